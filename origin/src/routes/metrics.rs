//! `GET /metrics`: the Prometheus text format, behind `METRICS_TOKEN` (a bearer token). With no
//! token configured the route does not exist (404): metrics name routes, engines and volumes,
//! which are not for the public.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::HeaderValue;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use noesis_core::engines::{ApiError as CoreError, ProblemCode};

use crate::app::App;
use crate::bearer;
use crate::error::ApiError;

/// What `prometheus-client` writes: OpenMetrics text, which Prometheus reads.
const OPENMETRICS: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

/// `GET /metrics`.
pub async fn metrics(State(app): State<Arc<App>>, request: Request) -> Response {
    let Some(token) = &app.metrics_token else {
        return ApiError(CoreError::no_route(request.method().as_str(), request.uri().path())).into_response();
    };
    if !bearer::presents(request.headers(), token) {
        return ApiError::new(
            ProblemCode::Unauthorized,
            "This route takes METRICS_TOKEN as `Authorization: Bearer …`.",
        )
        .into_response();
    }
    let mut response = app.metrics.render().into_response();
    response.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static(OPENMETRICS));
    response
}
