//! The checked inputs an engine receives. Built by the request parser from the raw JSON; every
//! value here has already been validated (dates exist, zones are known, coordinates are in range,
//! the local birth time resolved to an instant), so engines only ask "is it present?".

use super::{EngineError, FieldError};
use crate::ephemeris::rise_set::GeoPoint;
use crate::time::zone::Zone;
use jiff::Timestamp;
use jiff::civil::{Date, Time};

/// Engine-specific options, still as JSON: each engine parses the keys it knows into its own typed
/// options and refuses the rest, naming `options.<key>`.
pub type Options = serde_json::Map<String, serde_json::Value>;

/// The person whose chart is asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct BirthData {
    /// As given, trimmed; at most 200 characters.
    pub name: Option<String>,
    /// The local calendar date of birth.
    pub date: Date,
    /// The local clock time of birth, when known.
    pub time: Option<Time>,
    /// The zone the local date and time are in.
    pub zone: Option<Zone>,
    /// Where the birth took place.
    pub place: Option<GeoPoint>,
    /// The instant of birth: present exactly when `time` and `zone` are (a gap or fold in the zone
    /// was already resolved, or refused, by the parser).
    pub instant: Option<Timestamp>,
}

/// Where the caller is now (for engines about the present moment).
#[derive(Debug, Clone, PartialEq)]
pub struct Location {
    pub place: Option<GeoPoint>,
    pub zone: Option<Zone>,
}

/// Everything an engine may use.
#[derive(Debug, Clone, PartialEq)]
pub struct CalculationInput {
    pub birth: Option<BirthData>,
    /// `current_time` from the request, or the moment of the request.
    pub now: Timestamp,
    pub location: Option<Location>,
    pub options: Options,
}

impl CalculationInput {
    /// The instant of birth, for an engine that reads the sky at that minute; without it, an
    /// error naming each part of `birth_data` that is missing. `why_time` tells the client what
    /// the time of birth is needed for.
    pub(crate) fn birth_instant(&self, engine_id: &str, why_time: &str) -> Result<Timestamp, EngineError> {
        let Some(birth) = &self.birth else {
            return Err(FieldError::new(
                "birth_data",
                format!("{engine_id} needs birth_data with date, time and timezone"),
            )
            .into());
        };
        if let Some(instant) = birth.instant {
            return Ok(instant);
        }
        let mut errors = Vec::new();
        if birth.time.is_none() {
            errors.push(FieldError::new(
                "birth_data.time",
                format!("the local time of birth (HH:MM) is required: {why_time}"),
            ));
        }
        if birth.zone.is_none() {
            errors.push(FieldError::new(
                "birth_data.timezone",
                "the timezone of birth (an IANA name such as Asia/Kolkata, or an offset such as +05:30) is required",
            ));
        }
        if errors.is_empty() {
            // Time and zone present but not resolved: the request parser's contract says this cannot happen.
            errors.push(FieldError::new(
                "birth_data.time",
                "the local time of birth could not be resolved in its timezone",
            ));
        }
        Err(EngineError::Validation(errors))
    }
}
