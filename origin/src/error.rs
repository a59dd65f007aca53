//! The one error type of the HTTP API, and its RFC 9457 `application/problem+json` form.
//!
//! Handlers return [`ApiError`]; its [`IntoResponse`] only sets the status and tucks the error
//! into the response's extensions. The body is written in one place, the request-context
//! middleware, because only there is the request id known: see
//! [`request_context`](crate::request_context::request_context).

use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::request_id::RequestId;

/// The media type of every error body.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// Where the `type` URIs of problems point: one page per error code.
const PROBLEM_TYPE_BASE: &str = "https://tryambakam.space/problems/";

/// Everything the API can refuse a request with.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ApiError {
    /// No route has this path.
    #[error("No route matches {method} {path}.")]
    NotFound {
        /// The request's method.
        method: Method,
        /// The request's path, without the query string (which may hold secrets).
        path: String,
    },
    /// The path exists, but not for this method.
    #[error("{method} is not allowed on {path}.")]
    MethodNotAllowed {
        /// The request's method.
        method: Method,
        /// The request's path, without the query string.
        path: String,
    },
}

impl ApiError {
    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::NotFound { .. } => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
        }
    }

    /// The stable machine-readable code clients branch on.
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::NotFound { .. } => "NOT_FOUND",
            ApiError::MethodNotAllowed { .. } => "METHOD_NOT_ALLOWED",
        }
    }

    /// The problem document for this error, as answered to the request `request_id`.
    pub fn to_problem(&self, request_id: &RequestId) -> Problem {
        let status = self.status();
        Problem {
            type_uri: format!("{PROBLEM_TYPE_BASE}{}", self.code().to_ascii_lowercase().replace('_', "-")),
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            detail: self.to_string(),
            code: self.code(),
            request_id: request_id.as_str().to_owned(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = self.status().into_response();
        response.extensions_mut().insert(self);
        response
    }
}

/// An RFC 9457 problem document, with the Noesis extension members `code` and `request_id`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// A URI naming the kind of problem.
    #[serde(rename = "type")]
    pub type_uri: String,
    /// A short summary of the kind of problem (the status's reason phrase).
    pub title: String,
    /// The HTTP status, repeated for clients that only see the body.
    pub status: u16,
    /// What went wrong with this request, for a person.
    pub detail: String,
    /// The stable machine-readable code.
    pub code: &'static str,
    /// The request's `X-Request-Id`.
    pub request_id: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_found_becomes_a_problem_with_code_and_request_id() {
        let error = ApiError::NotFound { method: Method::GET, path: "/nope".into() };
        let request_id = RequestId::parse("abc").unwrap();
        let problem = serde_json::to_value(error.to_problem(&request_id)).unwrap();
        assert_eq!(
            problem,
            serde_json::json!({
                "type": "https://tryambakam.space/problems/not-found",
                "title": "Not Found",
                "status": 404,
                "detail": "No route matches GET /nope.",
                "code": "NOT_FOUND",
                "request_id": "abc",
            })
        );
    }

    #[test]
    fn method_not_allowed_is_a_405_problem() {
        let error = ApiError::MethodNotAllowed { method: Method::POST, path: "/health".into() };
        let problem = error.to_problem(&RequestId::generate());
        assert_eq!((problem.status, problem.code), (405, "METHOD_NOT_ALLOWED"));
        assert_eq!(problem.title, "Method Not Allowed");
    }
}
