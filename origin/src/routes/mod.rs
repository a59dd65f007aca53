//! The routes of the HTTP API, one module per route.

pub mod health;

use axum::Router;
use axum::http::{Method, Uri};
use axum::middleware;
use axum::routing::get;
use noesis_core::engines::ApiError as CoreError;

use crate::error::ApiError;
use crate::request_context::request_context;

/// The whole API: every route, the fallbacks that answer problem+json for unknown paths and
/// methods, and the request-context middleware around all of them.
pub fn router() -> Router {
    Router::new()
        .route("/health", get(health::health))
        .method_not_allowed_fallback(method_not_allowed)
        .fallback(not_found)
        .layer(middleware::from_fn(request_context))
}

async fn not_found(method: Method, uri: Uri) -> ApiError {
    CoreError::no_route(method.as_str(), uri.path()).into()
}

async fn method_not_allowed(method: Method, uri: Uri) -> ApiError {
    CoreError::method_not_allowed(method.as_str(), uri.path()).into()
}
