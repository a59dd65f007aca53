//! The checked inputs an engine receives. Built by the request parser from the raw JSON; every
//! value here has already been validated (dates exist, zones are known, coordinates are in range,
//! the local birth time resolved to an instant), so engines only ask "is it present?".

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
