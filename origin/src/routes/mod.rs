//! The routes of the HTTP API and the layers around them.
//!
//! ```text
//! /health, /ready, /metrics, /api/openapi.json          open (metrics: METRICS_TOKEN)
//! /api/v1/engines…                                      key with scope `engines`
//! /api/v1/workflows…                                    key with scope `workflows`
//! /api/v1/me                                            any valid key
//! /api/v1/admin/…                                       key with scope `admin`; POSTs idempotent
//! /api/v1/admin/debug/error                             scope `admin`: a 500 (or panic) for checking Sentry
//! /internal/v1/…                                        the edge's NOESIS_EDGE_SECRET
//! ```
//!
//! Around all of them, outermost first: a Sentry hub per request, the request context (request id, problem bodies,
//! headers, log line and metrics), panic catching (a panic is a 500 problem and the server goes
//! on), CORS (preflight answered here), and the 64 KiB body limit; around each matched route, a
//! sampled Sentry performance transaction named by the route pattern.

pub mod admin;
pub mod engines;
pub mod health;
pub mod internal;
pub mod me;
pub mod metrics;
pub mod openapi;
pub mod ready;
pub mod workflows;

use std::any::Any;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Query, Request};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::http::{HeaderName, Method, Uri};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use noesis_core::engines::ApiError as CoreError;
use noesis_core::keys::Scope;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};

use crate::app::App;
use crate::auth::{Caller, Needs, keyed};
use crate::body::MAX_BODY_BYTES;
use crate::error::ApiError;
use crate::error_reporting::{ErrorTags, Panicked};
use crate::idempotency::idempotent;
use crate::request_context::request_context;

/// The largest usage batch the edge may post: 1 MiB (about 4,000 events).
const MAX_USAGE_BODY_BYTES: usize = 1024 * 1024;

/// The route pattern that served a request (`/api/v1/engines/{id}/calculate`), in the
/// response's extensions for the request context's log line and metrics.
#[derive(Debug, Clone)]
pub struct RoutePattern(pub String);

/// The whole API for `app`, with `allowed_origins` let through by CORS.
pub fn router(app: Arc<App>, allowed_origins: Vec<axum::http::HeaderValue>) -> Router {
    let keyed_by = |scope: Option<Scope>| middleware::from_fn_with_state((app.clone(), Needs(scope)), keyed);
    let engines = Router::new()
        .route("/api/v1/engines", get(engines::list))
        .route("/api/v1/engines/{id}", get(engines::info))
        .route("/api/v1/engines/{id}/calculate", post(engines::calculate))
        .route_layer(middleware::from_fn(note_caller))
        .route_layer(keyed_by(Some(Scope::Engines)));
    let workflows = Router::new()
        .route("/api/v1/workflows", get(workflows::list))
        .route("/api/v1/workflows/{id}", get(workflows::info))
        .route("/api/v1/workflows/{id}/execute", post(workflows::execute))
        .route_layer(middleware::from_fn(note_caller))
        .route_layer(keyed_by(Some(Scope::Workflows)));
    let account = Router::new().route("/api/v1/me", get(me::me)).route_layer(keyed_by(None));
    let admin = Router::new()
        .route("/api/v1/admin/keys", post(admin::keys::create).get(admin::keys::list))
        .route("/api/v1/admin/keys/{key_id}", get(admin::keys::get))
        .route("/api/v1/admin/keys/{key_id}/revoke", post(admin::keys::revoke))
        .route("/api/v1/admin/keys/{key_id}/rotate", post(admin::keys::rotate))
        .route("/api/v1/admin/users", post(admin::users::create).get(admin::users::list))
        .route("/api/v1/admin/usage", get(admin::usage::report))
        .route_layer(middleware::from_fn(note_caller))
        // Layers wrap what is above them: the key check runs first, then idempotency.
        .route_layer(middleware::from_fn_with_state(app.clone(), idempotent))
        .route_layer(keyed_by(Some(Scope::Admin)));
    // For checking the Sentry wiring: a 500 (or, with `?panic=true`, a panic) on demand.
    let debug = Router::new()
        .route("/api/v1/admin/debug/error", post(debug_error))
        .route_layer(middleware::from_fn(note_caller))
        .route_layer(keyed_by(Some(Scope::Admin)));
    let internal = Router::new()
        .route("/internal/v1/allowlist", get(internal::allowlist))
        .route("/internal/v1/keys/{key_hash}", get(internal::key))
        .route("/internal/v1/usage", post(internal::usage).layer(DefaultBodyLimit::max(MAX_USAGE_BODY_BYTES)))
        .route_layer(middleware::from_fn_with_state(app.clone(), internal::edge_only));
    let open = Router::new()
        .route("/health", get(health::health))
        .route("/ready", get(ready::ready))
        .route("/metrics", get(metrics::metrics))
        .route("/api/openapi.json", get(openapi::openapi_json));

    let metrics = app.metrics.clone();
    Router::new()
        .merge(open)
        .merge(engines)
        .merge(workflows)
        .merge(account)
        .merge(admin)
        .merge(debug)
        .merge(internal)
        .with_state(app)
        .route_layer(middleware::from_fn(note_route))
        // Matched routes only: a transaction is named by its route pattern, and an unmatched
        // path (which could be anything a caller typed) gets none.
        .route_layer(middleware::from_fn(crate::error_reporting::transaction))
        .method_not_allowed_fallback(method_not_allowed)
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(cors(allowed_origins))
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(middleware::from_fn_with_state(metrics, request_context))
        .layer(sentry_tower::NewSentryLayer::<Request>::new_from_top())
}

/// CORS for the configured browser origins; preflights are answered here, before any key check.
fn cors(allowed_origins: Vec<axum::http::HeaderValue>) -> CorsLayer {
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(allowed_origins))
        .allow_methods([Method::GET, Method::POST, Method::OPTIONS])
        .allow_headers([
            AUTHORIZATION,
            CONTENT_TYPE,
            HeaderName::from_static("x-api-key"),
            HeaderName::from_static("x-request-id"),
            HeaderName::from_static("idempotency-key"),
        ])
        .expose_headers([
            HeaderName::from_static("x-request-id"),
            HeaderName::from_static("x-served-by"),
            HeaderName::from_static("x-cache"),
            HeaderName::from_static("server-timing"),
            HeaderName::from_static("ratelimit-limit"),
            HeaderName::from_static("ratelimit-remaining"),
            HeaderName::from_static("ratelimit-reset"),
            HeaderName::from_static("retry-after"),
        ])
        .max_age(Duration::from_secs(600))
}

/// Copies the matched route pattern into the response, for logs and metrics, and into the
/// error tags with the engine or workflow id the path names.
async fn note_route(request: Request, next: Next) -> Response {
    let pattern = request.extensions().get::<MatchedPath>().map(|path| path.as_str().to_owned());
    if let (Some(pattern), Some(tags)) = (&pattern, request.extensions().get::<ErrorTags>()) {
        let id = path_id(pattern, request.uri().path());
        tags.update(|tags| {
            tags.route = Some(pattern.clone());
            if pattern.starts_with("/api/v1/engines/{id}") {
                tags.engine_id = id;
            } else if pattern.starts_with("/api/v1/workflows/{id}") {
                tags.workflow_id = id;
            }
        });
    }
    let mut response = next.run(request).await;
    if let Some(pattern) = pattern {
        response.extensions_mut().insert(RoutePattern(pattern));
    }
    response
}

/// The `{id}` segment of `path` for a route `pattern`, if the pattern has one.
fn path_id(pattern: &str, path: &str) -> Option<String> {
    let at = pattern.split('/').position(|segment| segment == "{id}")?;
    path.split('/').nth(at).map(str::to_owned)
}

/// Notes the caller's tier and level in the error tags (inside the key check).
async fn note_caller(request: Request, next: Next) -> Response {
    if let (Some(caller), Some(tags)) = (request.extensions().get::<Caller>(), request.extensions().get::<ErrorTags>())
    {
        tags.update(|tags| {
            tags.tier = Some(caller.grant.tier.as_str().to_owned());
            tags.consciousness_level = Some(u8::from(caller.grant.consciousness_level).to_string());
        });
    }
    next.run(request).await
}

/// `?panic=true` on the debug route.
#[derive(Debug, serde::Deserialize)]
struct DebugError {
    #[serde(default)]
    panic: bool,
}

/// `POST /api/v1/admin/debug/error` (admin scope): answers 500 `INTERNAL`, or panics with
/// `?panic=true`, so that the Sentry wiring can be checked in a deployment.
async fn debug_error(Query(debug): Query<DebugError>) -> ApiError {
    if debug.panic {
        panic!("debug panic requested through /api/v1/admin/debug/error");
    }
    ApiError::internal(&"debug error requested through /api/v1/admin/debug/error")
}

/// A panic in a handler: logged, answered as a 500 problem (reported to Sentry by the request
/// context); the server goes on serving.
fn panic_response(panic: Box<dyn Any + Send + 'static>) -> Response {
    let message = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("(no message)");
    let mut response = ApiError::internal(&format!("a handler panicked: {message}")).into_response();
    response.extensions_mut().insert(Panicked(message.to_owned()));
    response
}

async fn not_found(method: Method, uri: Uri) -> ApiError {
    CoreError::no_route(method.as_str(), uri.path()).into()
}

async fn method_not_allowed(method: Method, uri: Uri) -> ApiError {
    CoreError::method_not_allowed(method.as_str(), uri.path()).into()
}
