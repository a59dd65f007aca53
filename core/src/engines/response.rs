//! What the engines API answers: the response envelope, and the one error type with its RFC 9457
//! problem document.
//!
//! Edge and origin both build their answers from these types, so a client cannot tell them apart
//! except by `metadata.served_by` and `X-Served-By`. Each maps [`ApiError`] to an
//! `application/problem+json` response in one place, using [`ApiError::to_problem`] with its own
//! request id; the [`Problem`] document and its codes are in [`crate::http::problem`].

use serde::{Deserialize, Serialize};

use super::request::RequestError;
use super::{EngineError, FieldError, Level};
use crate::http::problem::{Problem, ProblemCode};

/// `metadata.ephemeris`: the astronomy every engine's answer rests on (see `docs/ephemeris.md`).
pub const EPHEMERIS: &str = crate::ephemeris::THEORY;

/// `metadata.ayanamsa`: the sidereal zodiac used wherever one is (Lahiri, Chitrapaksha).
pub const AYANAMSA: &str = "lahiri";

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

/// Why the engines API refused or failed a request: a code, a sentence for a person, and the
/// fields at fault.
///
/// ```
/// use noesis_core::engines::{ApiError, ProblemCode};
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

    /// `NOT_FOUND`: no route has this path. `path` is without the query string, which may hold
    /// secrets.
    pub fn no_route(method: &str, path: &str) -> ApiError {
        ApiError::new(ProblemCode::NotFound, format!("No route matches {method} {path}."))
    }

    /// `METHOD_NOT_ALLOWED`: the path exists, but not for this method (the response names the
    /// allowed ones in `Allow`).
    pub fn method_not_allowed(method: &str, path: &str) -> ApiError {
        ApiError::new(ProblemCode::MethodNotAllowed, format!("{method} is not allowed on {path}."))
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
