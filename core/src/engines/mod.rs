//! The nine engines.
//!
//! Each engine lives in its own folder with its pure calculation (typed input → typed result whose
//! field names are the public contract of `shared/ENGINES.md`), its witness prompts, and its tests.
//! The shared input types below are what the request parser ([`request`]) hands to every engine
//! once the raw JSON has been checked: nothing downstream re-validates. [`registry`] lists the
//! engines and runs a request through one of them; [`hashing`] gives the cache key; [`response`]
//! holds the envelope and the one error type of the engines API. What several engines share lives
//! beside them: `options` reads every engine's options the same way, `prompt` the hash that picks
//! a witness prompt's wording, and [`vedic`] the nakshatras, lords and weekdays.

pub mod biofield;
pub mod biorhythm;
pub mod face_reading;
pub mod gene_keys;
pub mod human_design;
pub mod numerology;
pub mod panchanga;
pub mod vedic_clock;
pub mod vimshottari;

pub mod catalog;
pub mod hashing;
mod input;
mod level;
mod options;
mod prompt;
pub mod registry;
pub mod request;
pub mod response;
pub mod vedic;

pub use crate::http::problem::{Problem, ProblemCode};
pub use input::{BirthData, CalculationInput, Location, Options};
pub use level::Level;
pub use registry::{Prepared, calculate, prepare};
pub use response::{ApiError, EngineResponse, ServedBy};

/// What every engine is to the API: its description, and a calculation that yields a JSON result
/// and a witness prompt worded for the caller's level.
///
/// Engines do not implement this by hand: each engine module exports `META`, `calculate` and
/// `witness_prompt`, and [`registry::Module`] turns those into an `Engine`; [`registry::all`]
/// lists them.
pub trait Engine: Send + Sync {
    /// The engine's id, level, version, inputs and time granularity.
    fn meta(&self) -> &'static EngineMeta;

    /// Runs the engine on a checked input whose `now` is already rounded to the engine's time
    /// granularity, and words the witness prompt for `level`.
    fn calculate(&self, input: &CalculationInput, level: Level) -> Result<EngineOutput, EngineError>;
}

/// One engine's answer before it is wrapped in the response envelope.
#[derive(Debug, Clone, PartialEq)]
pub struct EngineOutput {
    /// The engine's typed result, as JSON: the `result` of the response.
    pub result: serde_json::Value,
    /// A reflective question drawn from this result, worded for the caller's level.
    pub witness_prompt: String,
}

/// What describes an engine to the API (its listing) and to the cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EngineMeta {
    /// The id in routes, e.g. `human-design`.
    pub id: &'static str,
    pub name: &'static str,
    /// One or two sentences in our own words.
    pub description: &'static str,
    pub required_level: Level,
    /// Bumped whenever a result could change for the same input; part of every cache key.
    pub version: &'static str,
    /// Request fields the engine needs (`birth_data.time`) or can use, and what for.
    pub inputs: &'static [InputSpec],
    pub time_granularity: TimeGranularity,
}

/// One request field an engine reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InputSpec {
    /// Dotted path, e.g. `birth_data.date`, `current_time`, `options.forecast_days`.
    pub field: &'static str,
    pub required: bool,
    pub description: &'static str,
}

/// How the result depends on `current_time`, which decides how it may be cached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeGranularity {
    /// `current_time` plays no part: the result depends on the birth data alone (cache long).
    Timeless,
    /// The engine computes with `current_time` rounded down to a multiple of this many seconds
    /// (counted from the Unix epoch), so results are identical within a bucket and cacheable
    /// until it ends. Every UTC offset in use is a multiple of 15 minutes, so 900 keeps local
    /// day boundaries on bucket boundaries.
    Seconds(u32),
}

/// One problem with one field of a request, as problem+json's `errors[]` carries it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldError {
    /// The field's path in the request, e.g. `birth_data.time` or `options.forecast_days`.
    pub field: String,
    /// What was wrong and what was expected, in words a developer can act on.
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> FieldError {
        FieldError { field: field.into(), message: message.into() }
    }
}

/// Why an engine could not answer.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EngineError {
    /// The request lacks a field this engine needs, or a field's value cannot be used (422).
    #[error("the request is not valid for this engine")]
    Validation(Vec<FieldError>),
    /// The instant asked about lies outside what the astronomy can compute (422).
    #[error(transparent)]
    Ephemeris(#[from] crate::ephemeris::EphemerisError),
}

impl From<FieldError> for EngineError {
    fn from(e: FieldError) -> EngineError {
        EngineError::Validation(vec![e])
    }
}

impl EngineError {
    /// The fields a validation error names, as a client reads them from `errors[].field`.
    #[cfg(test)]
    pub(crate) fn fields(&self) -> Vec<&str> {
        match self {
            EngineError::Validation(errors) => errors.iter().map(|e| e.field.as_str()).collect(),
            EngineError::Ephemeris(_) => Vec::new(),
        }
    }
}

/// Both values, or the errors of either: when both are validation errors, every field of both,
/// so a client learns of all its mistakes at once; an ephemeris error stands alone.
pub(crate) fn both<A, B>(a: Result<A, EngineError>, b: Result<B, EngineError>) -> Result<(A, B), EngineError> {
    match (a, b) {
        (Ok(a), Ok(b)) => Ok((a, b)),
        (Err(EngineError::Validation(mut first)), Err(EngineError::Validation(second))) => {
            first.extend(second);
            Err(EngineError::Validation(first))
        }
        (Err(e), _) | (_, Err(e)) => Err(e),
    }
}
