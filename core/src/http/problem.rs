//! The body of every refusal, from the engines, the edge and the origin alike: an RFC 9457
//! `application/problem+json` document with the Noesis members `code`, `request_id`, `errors`
//! and, for `LEVEL_REQUIRED`, `required_level` (`shared/DESIGN.md` §2 "Errors").
//!
//! [`ApiError::to_problem`](crate::engines::ApiError::to_problem) is the one place that writes it.

use serde::{Deserialize, Serialize};

use crate::engines::{FieldError, Level};

/// The media type of every error body.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// Where the `type` URIs of problems point: one page per error code.
pub const PROBLEM_TYPE_BASE: &str = "https://tryambakam.space/problems/";

/// Every code the API refuses a request with (DESIGN §2 "Errors"), with its HTTP status.
///
/// Two go beyond the design's list, on purpose: `METHOD_NOT_ALLOWED` (405, a known path with
/// the wrong method) and `CONFLICT` (409: an `Idempotency-Key` reused with another body or still
/// in flight, an email already taken, a key already revoked when asked to rotate).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ProblemCode {
    MalformedJson,
    Unauthorized,
    KeyRevoked,
    KeyExpired,
    Forbidden,
    LevelRequired,
    EngineNotFound,
    WorkflowNotFound,
    NotFound,
    MethodNotAllowed,
    Conflict,
    PayloadTooLarge,
    UnsupportedMediaType,
    ValidationError,
    RateLimited,
    Internal,
    OriginUnavailable,
    DbUnavailable,
}

impl ProblemCode {
    /// Every code, in the order of DESIGN §2.
    pub const ALL: [ProblemCode; 18] = [
        ProblemCode::MalformedJson,
        ProblemCode::Unauthorized,
        ProblemCode::KeyRevoked,
        ProblemCode::KeyExpired,
        ProblemCode::Forbidden,
        ProblemCode::LevelRequired,
        ProblemCode::EngineNotFound,
        ProblemCode::WorkflowNotFound,
        ProblemCode::NotFound,
        ProblemCode::MethodNotAllowed,
        ProblemCode::Conflict,
        ProblemCode::PayloadTooLarge,
        ProblemCode::UnsupportedMediaType,
        ProblemCode::ValidationError,
        ProblemCode::RateLimited,
        ProblemCode::Internal,
        ProblemCode::OriginUnavailable,
        ProblemCode::DbUnavailable,
    ];

    /// The code as clients see it, e.g. `LEVEL_REQUIRED`.
    pub const fn as_str(self) -> &'static str {
        match self {
            ProblemCode::MalformedJson => "MALFORMED_JSON",
            ProblemCode::Unauthorized => "UNAUTHORIZED",
            ProblemCode::KeyRevoked => "KEY_REVOKED",
            ProblemCode::KeyExpired => "KEY_EXPIRED",
            ProblemCode::Forbidden => "FORBIDDEN",
            ProblemCode::LevelRequired => "LEVEL_REQUIRED",
            ProblemCode::EngineNotFound => "ENGINE_NOT_FOUND",
            ProblemCode::WorkflowNotFound => "WORKFLOW_NOT_FOUND",
            ProblemCode::NotFound => "NOT_FOUND",
            ProblemCode::MethodNotAllowed => "METHOD_NOT_ALLOWED",
            ProblemCode::Conflict => "CONFLICT",
            ProblemCode::PayloadTooLarge => "PAYLOAD_TOO_LARGE",
            ProblemCode::UnsupportedMediaType => "UNSUPPORTED_MEDIA_TYPE",
            ProblemCode::ValidationError => "VALIDATION_ERROR",
            ProblemCode::RateLimited => "RATE_LIMITED",
            ProblemCode::Internal => "INTERNAL",
            ProblemCode::OriginUnavailable => "ORIGIN_UNAVAILABLE",
            ProblemCode::DbUnavailable => "DB_UNAVAILABLE",
        }
    }

    /// The HTTP status that goes with the code.
    pub const fn status(self) -> u16 {
        match self {
            ProblemCode::MalformedJson => 400,
            ProblemCode::Unauthorized | ProblemCode::KeyRevoked | ProblemCode::KeyExpired => 401,
            ProblemCode::Forbidden | ProblemCode::LevelRequired => 403,
            ProblemCode::EngineNotFound | ProblemCode::WorkflowNotFound | ProblemCode::NotFound => 404,
            ProblemCode::MethodNotAllowed => 405,
            ProblemCode::Conflict => 409,
            ProblemCode::PayloadTooLarge => 413,
            ProblemCode::UnsupportedMediaType => 415,
            ProblemCode::ValidationError => 422,
            ProblemCode::RateLimited => 429,
            ProblemCode::Internal => 500,
            ProblemCode::OriginUnavailable | ProblemCode::DbUnavailable => 503,
        }
    }

    /// The status's reason phrase: the problem's `title`.
    pub const fn title(self) -> &'static str {
        match self.status() {
            400 => "Bad Request",
            401 => "Unauthorized",
            403 => "Forbidden",
            404 => "Not Found",
            405 => "Method Not Allowed",
            409 => "Conflict",
            413 => "Content Too Large",
            415 => "Unsupported Media Type",
            422 => "Unprocessable Content",
            429 => "Too Many Requests",
            503 => "Service Unavailable",
            _ => "Internal Server Error",
        }
    }

    /// The problem's `type`: `https://tryambakam.space/problems/level-required`.
    pub fn type_uri(self) -> String {
        format!("{PROBLEM_TYPE_BASE}{}", self.as_str().to_ascii_lowercase().replace('_', "-"))
    }
}

/// An RFC 9457 problem document with the Noesis members `code`, `request_id`, `errors` and, for
/// `LEVEL_REQUIRED`, `required_level`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Problem {
    #[serde(rename = "type")]
    pub type_uri: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    pub code: ProblemCode,
    /// The request's `X-Request-Id` (`null` where there is no request, as in the command line).
    pub request_id: Option<String>,
    pub errors: Vec<FieldError>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub required_level: Option<Level>,
}
