//! The middleware every request passes through: request id, problem bodies, response headers,
//! and one log line per request.

use std::sync::Arc;
use std::time::Instant;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument;

use noesis_core::http::problem::PROBLEM_JSON;
use noesis_core::http::request_id::RequestId;

use crate::auth::UsageNote;
use crate::error::ApiError;
use crate::error_reporting::{self, ErrorTags, IN_REQUEST, Panicked};
use crate::metrics::{Metrics, RouteLabels, RouteLatencyLabels};
use crate::request_id::X_REQUEST_ID;
use crate::routes::RoutePattern;

/// The header naming which tier answered: `edge` or `origin`.
pub const X_SERVED_BY: HeaderName = HeaderName::from_static(noesis_core::http::X_SERVED_BY);

/// Gives the request its [`RequestId`] (kept in the request's extensions for handlers), writes
/// the problem+json body of any [`ApiError`] a handler returned, and stamps `X-Request-Id` and
/// `X-Served-By: origin` on every response.
pub async fn request_context(State(metrics): State<Arc<Metrics>>, mut request: Request, next: Next) -> Response {
    let request_id = crate::request_id::from_header(request.headers().get(&X_REQUEST_ID));
    request.extensions_mut().insert(request_id.clone());
    let error_tags = ErrorTags::default();
    request.extensions_mut().insert(error_tags.clone());
    let span = tracing::info_span!(
        "request",
        request_id = %request_id,
        method = %request.method(),
        path = %request.uri().path(),
    );

    let method = request.method().clone();
    async move {
        let started = Instant::now();
        let mut response = IN_REQUEST.scope((), next.run(request)).await;
        let error = response.extensions_mut().remove::<ApiError>();
        if response.status().is_server_error() {
            report(&response, error.as_ref(), &method, &request_id, &error_tags);
        }
        if let Some(error) = error {
            response = problem_response(response, &error, &request_id);
        }
        let headers = response.headers_mut();
        headers.insert(X_REQUEST_ID, crate::request_id::header_value(&request_id));
        headers.insert(X_SERVED_BY, HeaderValue::from_static("origin"));
        let elapsed = started.elapsed();
        let route = response.extensions().get::<RoutePattern>().map_or("unmatched", |pattern| pattern.0.as_str());
        let status = response.status();
        metrics
            .requests
            .get_or_create(&RouteLabels {
                route: route.to_owned(),
                method: method.to_string(),
                status: format!("{}xx", status.as_u16() / 100),
            })
            .inc();
        metrics
            .request_duration
            .get_or_create(&RouteLatencyLabels { route: route.to_owned(), method: method.to_string() })
            .observe(elapsed.as_secs_f64());
        tracing::info!(status = status.as_u16(), route, latency_ms = elapsed.as_secs_f64() * 1e3, "served");
        response
    }
    .instrument(span)
    .await
}

/// Reports a 5xx answer to Sentry (when configured), with what the layers noted about it.
fn report(
    response: &Response,
    error: Option<&ApiError>,
    method: &axum::http::Method,
    request_id: &RequestId,
    tags: &ErrorTags,
) {
    let mut tags = tags.get();
    if let Some(note) = response.extensions().get::<UsageNote>() {
        tags.engine_id = note.engine_id.clone().or(tags.engine_id);
        tags.workflow_id = note.workflow_id.clone().or(tags.workflow_id);
    }
    if let Some(pattern) = response.extensions().get::<RoutePattern>() {
        tags.route = Some(pattern.0.clone());
    }
    let code =
        error.map_or_else(|| format!("HTTP_{}", response.status().as_u16()), |error| error.0.code.as_str().to_owned());
    let panicked = response.extensions().get::<Panicked>().map(|panic| panic.0.as_str());
    error_reporting::capture_server_error(response.status(), &code, method, request_id.as_str(), &tags, panicked);
}

/// Replaces the body of an error response with the problem document, keeping its status and
/// headers (for example the `Allow` of a 405).
fn problem_response(response: Response, error: &ApiError, request_id: &RequestId) -> Response {
    let (mut parts, _empty) = response.into_parts();
    let body = match serde_json::to_vec(&error.to_problem(request_id)) {
        Ok(body) => body,
        Err(err) => {
            tracing::error!(%err, "could not encode a problem document");
            Vec::new()
        }
    };
    parts.headers.insert(CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
    Response::from_parts(parts, Body::from(body))
}
