//! The edge's one error type and its RFC 9457 `application/problem+json` form, shaped exactly
//! like the origin's so a client cannot tell which tier refused it except by `X-Served-By`.

use std::fmt;

use serde::Serialize;

use crate::request_id::RequestId;

/// The media type of every error body.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// Where the `type` URIs of problems point: one page per error code.
const PROBLEM_TYPE_BASE: &str = "https://tryambakam.space/problems/";

/// Everything the edge can refuse a request with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// No route has this path.
    NotFound {
        /// The request's method.
        method: String,
        /// The request's path, without the query string (which may hold secrets).
        path: String,
    },
    /// The path exists, but not for this method.
    MethodNotAllowed {
        /// The request's method.
        method: String,
        /// The request's path, without the query string.
        path: String,
    },
}

impl ApiError {
    /// The HTTP status.
    pub fn status(&self) -> u16 {
        match self {
            ApiError::NotFound { .. } => 404,
            ApiError::MethodNotAllowed { .. } => 405,
        }
    }

    /// The status's reason phrase, used as the problem's `title`.
    pub fn title(&self) -> &'static str {
        match self {
            ApiError::NotFound { .. } => "Not Found",
            ApiError::MethodNotAllowed { .. } => "Method Not Allowed",
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
        Problem {
            type_uri: format!("{PROBLEM_TYPE_BASE}{}", self.code().to_ascii_lowercase().replace('_', "-")),
            title: self.title(),
            status: self.status(),
            detail: self.to_string(),
            code: self.code(),
            request_id: request_id.as_str().to_owned(),
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiError::NotFound { method, path } => write!(f, "No route matches {method} {path}."),
            ApiError::MethodNotAllowed { method, path } => {
                write!(f, "{method} is not allowed on {path}.")
            }
        }
    }
}

impl std::error::Error for ApiError {}

/// An RFC 9457 problem document, with the Noesis extension members `code` and `request_id`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// A URI naming the kind of problem.
    #[serde(rename = "type")]
    pub type_uri: String,
    /// A short summary of the kind of problem.
    pub title: &'static str,
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
    fn not_found_has_the_contract_shape() {
        let error = ApiError::NotFound { method: "GET".into(), path: "/nope".into() };
        let request_id = RequestId::parse("abc").unwrap();
        assert_eq!(
            serde_json::to_value(error.to_problem(&request_id)).unwrap(),
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
    fn method_not_allowed_is_a_405() {
        let error = ApiError::MethodNotAllowed { method: "POST".into(), path: "/health".into() };
        let problem = error.to_problem(&RequestId::generate());
        assert_eq!((problem.status, problem.code, problem.title), (405, "METHOD_NOT_ALLOWED", "Method Not Allowed"));
        assert_eq!(problem.type_uri, "https://tryambakam.space/problems/method-not-allowed");
    }
}
