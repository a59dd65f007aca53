//! The one error type of the HTTP API, and its RFC 9457 `application/problem+json` form.
//!
//! A refusal is the core's [`CoreError`], the one the engines, the edge and the command line
//! answer with too, so every tier writes the same problem document. Here it only becomes an axum
//! response: [`IntoResponse`] sets the status and tucks the error into the response's
//! extensions. The body is written in one place, the request-context middleware, because only
//! there is the request id known: see [`request_context`](crate::request_context::request_context).

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use noesis_core::engines::{ApiError as CoreError, ProblemCode};
use noesis_core::http::problem::Problem;
use noesis_core::http::request_id::RequestId;

use crate::storage::StorageError;

/// Everything the API can refuse a request with.
#[derive(Debug, Clone, thiserror::Error)]
#[error(transparent)]
pub struct ApiError(#[from] pub CoreError);

impl ApiError {
    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        StatusCode::from_u16(self.0.code.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    /// The problem document for this error, as answered to the request `request_id`.
    pub fn to_problem(&self, request_id: &RequestId) -> Problem {
        self.0.to_problem(Some(request_id.as_str()))
    }
}

impl ApiError {
    /// A refusal with this code and detail.
    pub fn new(code: ProblemCode, detail: impl Into<String>) -> ApiError {
        ApiError(CoreError::new(code, detail))
    }

    /// 500 `INTERNAL` for a fault of the program: logged here with its cause, answered with
    /// nothing of it (no SQL, no stack, no secret reaches the client).
    pub fn internal(cause: &dyn std::fmt::Display) -> ApiError {
        tracing::error!(%cause, "internal error");
        ApiError::new(ProblemCode::Internal, "Something went wrong on our side; it has been logged. Try again later.")
    }

    /// 503 `DB_UNAVAILABLE`.
    pub fn db_unavailable() -> ApiError {
        ApiError::new(
            ProblemCode::DbUnavailable,
            "The database did not answer in time; nothing was changed. Try again in a few seconds.",
        )
    }
}

impl From<StorageError> for ApiError {
    /// The database being away is 503 `DB_UNAVAILABLE`; a duplicate is 409 `CONFLICT`; a
    /// refused value is 422; anything else is a fault of ours, 500.
    fn from(err: StorageError) -> ApiError {
        match err {
            StorageError::Unavailable(reason) => {
                tracing::warn!(%reason, "database unavailable");
                ApiError::db_unavailable()
            }
            StorageError::Duplicate(what) => ApiError::new(ProblemCode::Conflict, format!("{what} already exists.")),
            StorageError::MissingReference(what) => {
                ApiError::new(ProblemCode::ValidationError, format!("{what} does not exist."))
            }
            other => ApiError::internal(&other),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_found_becomes_a_problem_with_code_and_request_id() {
        let error = ApiError(CoreError::no_route("GET", "/nope"));
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
                "errors": [],
            })
        );
    }

    #[test]
    fn method_not_allowed_is_a_405_problem() {
        let error = ApiError(CoreError::method_not_allowed("POST", "/health"));
        assert_eq!(error.status(), StatusCode::METHOD_NOT_ALLOWED);
        let problem = error.to_problem(&crate::request_id::generate());
        assert_eq!((problem.status, problem.code.as_str()), (405, "METHOD_NOT_ALLOWED"));
        assert_eq!(problem.title, "Method Not Allowed");
    }
}
