//! What the engines API answers: the response envelope, and the one error type with its RFC 9457
//! problem document.
//!
//! Edge and origin both build their answers from these types, so a client cannot tell them apart
//! except by `metadata.served_by` and `X-Served-By`. Each maps [`ApiError`] to an
//! `application/problem+json` response in one place, using [`ApiError::to_problem`] with its own
//! request id.

use serde::{Deserialize, Serialize};

use super::request::RequestError;
use super::{EngineError, FieldError, Level};

/// `metadata.ephemeris`: the astronomy every engine's answer rests on (see `docs/ephemeris.md`).
pub const EPHEMERIS: &str = "noesis-ephemeris 1 (VSOP87B planets, ELP/MPP02 Moon, JPL DE422 fits)";

/// `metadata.ayanamsa`: the sidereal zodiac used wherever one is (Lahiri, Chitrapaksha).
pub const AYANAMSA: &str = "lahiri";

/// Where the `type` URIs of problems point: one page per error code.
pub const PROBLEM_TYPE_BASE: &str = "https://tryambakam.space/problems/";

/// The envelope of one engine's answer, `shared/DESIGN.md` §2.
///
/// ```json
/// {"engine_id": "human-design", "engine_version": "1.0.0", "result": {}, "witness_prompt": "…",
///  "consciousness_level": 1,
///  "metadata": {"input_hash": "…", "calculation_time_ms": 0.21, "cached": false, "served_by": "edge",
///               "ephemeris": "…", "ayanamsa": "lahiri"}}
/// ```
///
/// It also reads back from JSON, so a cached answer can be served with `cached` set and the
/// timing of the hit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EngineResponse {
    pub engine_id: String,
    pub engine_version: String,
    /// The engine's result; its fields are the contract of `shared/ENGINES.md`.
    pub result: serde_json::Value,
    pub witness_prompt: String,
    /// The caller's level, which the witness prompt is worded for.
    pub consciousness_level: Level,
    pub metadata: ResponseMetadata,
}

/// `metadata` of an [`EngineResponse`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResponseMetadata {
    /// Hex SHA-256 of the canonical input ([`super::hashing`]).
    pub input_hash: String,
    /// Wall-clock time of the calculation, measured by the caller (the core reads no clock):
    /// 0 until [`EngineResponse::with_calculation_time_ms`] sets it.
    pub calculation_time_ms: f64,
    /// Whether this answer came from a cache.
    pub cached: bool,
    pub served_by: ServedBy,
    pub ephemeris: String,
    pub ayanamsa: String,
}

/// Which tier answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ServedBy {
    Edge,
    Origin,
}

impl EngineResponse {
    /// The same response, with the calculation time the caller measured.
    pub fn with_calculation_time_ms(mut self, ms: f64) -> EngineResponse {
        self.metadata.calculation_time_ms = if ms.is_finite() && ms >= 0.0 { ms } else { 0.0 };
        self
    }
}

/// Every code the API refuses a request with (DESIGN §2 "Errors"), with its HTTP status.
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
    pub const ALL: [ProblemCode; 17] = [
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

/// Why the engines API refused or failed a request: a code, a sentence for a person, and the
/// fields at fault.
///
/// ```
/// use noesis_core::engines::response::{ApiError, ProblemCode};
///
/// let err = ApiError::engine_not_found("astrology");
/// assert_eq!((err.code, err.code.status()), (ProblemCode::EngineNotFound, 404));
/// let problem = serde_json::to_value(err.to_problem(Some("req-1"))).unwrap();
/// assert_eq!(problem["type"], "https://tryambakam.space/problems/engine-not-found");
/// assert_eq!(problem["request_id"], "req-1");
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{code}: {detail}", code = .code.as_str())]
pub struct ApiError {
    pub code: ProblemCode,
    /// What went wrong with this request, in words a developer can act on.
    pub detail: String,
    /// The fields at fault (for `VALIDATION_ERROR`; empty otherwise).
    pub errors: Vec<FieldError>,
    /// For `LEVEL_REQUIRED`: the level the engine needs.
    pub required_level: Option<Level>,
}

impl ApiError {
    /// An error with a code and a detail, and no field errors.
    pub fn new(code: ProblemCode, detail: impl Into<String>) -> ApiError {
        ApiError { code, detail: detail.into(), errors: Vec::new(), required_level: None }
    }

    /// `ENGINE_NOT_FOUND` for an id no engine has.
    pub fn engine_not_found(engine_id: &str) -> ApiError {
        let shown: String = engine_id.chars().take(64).collect();
        ApiError::new(
            ProblemCode::EngineNotFound,
            format!("No engine has the id {shown:?}; GET /api/v1/engines lists them."),
        )
    }

    /// `LEVEL_REQUIRED`: the caller's key is below the engine's level.
    pub fn level_required(engine_id: &str, required: Level, have: Level) -> ApiError {
        ApiError {
            required_level: Some(required),
            ..ApiError::new(
                ProblemCode::LevelRequired,
                format!(
                    "The {engine_id} engine needs consciousness level {} or above; this key has level {}.",
                    required.get(),
                    have.get()
                ),
            )
        }
    }

    /// `VALIDATION_ERROR` naming each field at fault.
    pub fn validation(errors: Vec<FieldError>) -> ApiError {
        RequestError::Invalid(errors).into()
    }

    /// The RFC 9457 document for this error, answered to the request `request_id`.
    pub fn to_problem(&self, request_id: Option<&str>) -> Problem {
        Problem {
            type_uri: self.code.type_uri(),
            title: self.code.title().to_owned(),
            status: self.code.status(),
            detail: self.detail.clone(),
            code: self.code,
            request_id: request_id.map(str::to_owned),
            errors: self.errors.clone(),
            required_level: self.required_level,
        }
    }
}

impl From<RequestError> for ApiError {
    fn from(err: RequestError) -> ApiError {
        let detail = err.to_string();
        match err {
            RequestError::MalformedJson(_) => ApiError::new(ProblemCode::MalformedJson, detail),
            RequestError::Invalid(errors) => ApiError { errors, ..ApiError::new(ProblemCode::ValidationError, detail) },
        }
    }
}

impl From<EngineError> for ApiError {
    fn from(err: EngineError) -> ApiError {
        match err {
            EngineError::Validation(errors) => RequestError::Invalid(errors).into(),
            EngineError::Ephemeris(err) => ApiError::new(
                ProblemCode::ValidationError,
                format!("The instant asked about is beyond what the ephemeris computes: {err}."),
            ),
        }
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
