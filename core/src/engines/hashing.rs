//! Canonical input hashing: one parsed input, one hash, whatever the JSON looked like.
//!
//! The hash is SHA-256 of a canonical text of the *parsed* [`CalculationInput`], never of the raw
//! body, so key order, whitespace, `"13:31"` against `"13:31:00"`, `"+0530"` against `"+05:30"`,
//! `12` against `12.0`, or a `fold` that had nothing to resolve, all give the same hash. The text
//! (see [`canonical_input`]) has a version line, then one JSON object with every field in a fixed
//! order (absent ones as `null`), numbers in Rust's shortest round-trip form with `-0.0` written
//! as `0.0`, and options with their keys sorted at every depth.
//!
//! What stays different on purpose: zones by name. `Asia/Kolkata` and `+05:30` agree today but not
//! in 1942 (war time), and engines report the zone and local times in it, so two zone names are two
//! inputs even when the birth instant is the same. Names that differ only in spelling (`+0530`,
//! `asia/kolkata`) are parsed to one zone and hash alike. Names are compared as given after
//! trimming (no Unicode normalisation): a composed and a decomposed `é` are two inputs, which costs
//! a cache miss, never a wrong answer.
//!
//! `current_time` enters as the engine will see it: rounded down to the engine's
//! [`TimeGranularity`] bucket, and left out entirely for a [`TimeGranularity::Timeless`] engine,
//! so every request within one bucket shares one cache entry. The cache key (DESIGN §4) adds the
//! engine id, its version and the caller's level ([`CacheKey`]).
//!
//! ```
//! use noesis_core::engines::hashing::InputHash;
//! use noesis_core::engines::request::parse_request;
//! use noesis_core::engines::TimeGranularity;
//!
//! let now = "2026-11-25T07:30:00Z".parse().unwrap();
//! let a = parse_request(br#"{"birth_data": {"date": "1991-08-13", "time": "13:31"}}"#, now).unwrap();
//! let b = parse_request(br#"{ "birth_data" : { "time" : "13:31:00", "date" : "1991-08-13" } }"#, now).unwrap();
//! assert_eq!(InputHash::of(&a, TimeGranularity::Timeless), InputHash::of(&b, TimeGranularity::Timeless));
//! assert_eq!(InputHash::of(&a, TimeGranularity::Timeless).to_string().len(), 64);
//! ```

use std::fmt::{self, Write as _};

use jiff::Timestamp;
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::{CalculationInput, Level, TimeGranularity};
use crate::ephemeris::rise_set::GeoPoint;
use crate::time::zone::Zone;

/// The first line of every canonical text; bumped if the text's layout ever changes, so that old
/// and new hashes can never collide.
const CANONICAL_VERSION: &str = "noesis-input/1";

/// How long a cached answer is kept when it does not depend on the time (DESIGN §4: 30 days).
pub const LONGEST_CACHE_LIFETIME: std::time::Duration = std::time::Duration::from_secs(30 * 24 * 3600);

/// How long an answer may be kept in a cache, asked at `now`, given when it stops being the
/// answer (`Prepared::valid_until`, the end of its time bucket; `None` when it does not depend on
/// the time).
///
/// Stale answers cannot be served whatever this says, since the cache key holds the rounded
/// `current_time`; the lifetime only decides when an entry stops taking room. So an answer for a
/// `current_time` the caller gave explicitly, whose bucket ended before `now`, is fixed for good and
/// kept as long as a timeless one; one for the running bucket is kept until the bucket ends.
///
/// ```
/// use noesis_core::engines::hashing::{cache_lifetime, LONGEST_CACHE_LIFETIME};
/// let now: jiff::Timestamp = "2026-11-25T07:30:20Z".parse().unwrap();
/// assert_eq!(cache_lifetime(Some("2026-11-25T07:31:00Z".parse().unwrap()), now).as_secs(), 40);
/// assert_eq!(cache_lifetime(Some("2020-01-01T00:00:00Z".parse().unwrap()), now), LONGEST_CACHE_LIFETIME);
/// assert_eq!(cache_lifetime(None, now), LONGEST_CACHE_LIFETIME);
/// ```
pub fn cache_lifetime(valid_until: Option<Timestamp>, now: Timestamp) -> std::time::Duration {
    match valid_until {
        Some(until) if until > now => std::time::Duration::try_from(until.duration_since(now))
            .unwrap_or(LONGEST_CACHE_LIFETIME)
            .min(LONGEST_CACHE_LIFETIME),
        _ => LONGEST_CACHE_LIFETIME,
    }
}

const NANOS_PER_SECOND: i128 = 1_000_000_000;

impl TimeGranularity {
    /// The bucket `[start, end)` holding `instant`, or `None` for a timeless engine. Buckets are
    /// multiples of the granularity counted from the Unix epoch; `Seconds(0)` is read as 1 s.
    ///
    /// ```
    /// use noesis_core::engines::TimeGranularity;
    ///
    /// let (start, end) = TimeGranularity::Seconds(900).bucket("2026-11-25T07:44:59.9Z".parse().unwrap()).unwrap();
    /// assert_eq!((start.to_string(), end.to_string()), ("2026-11-25T07:30:00Z".into(), "2026-11-25T07:45:00Z".into()));
    /// assert_eq!(TimeGranularity::Timeless.bucket(start), None);
    /// ```
    pub fn bucket(self, instant: Timestamp) -> Option<(Timestamp, Timestamp)> {
        let TimeGranularity::Seconds(seconds) = self else {
            return None;
        };
        let width = i128::from(seconds.max(1)) * NANOS_PER_SECOND;
        let start_ns = instant.as_nanosecond().div_euclid(width) * width;
        let start = Timestamp::from_nanosecond(start_ns).ok()?;
        // A bucket that would end past the last representable instant ends there.
        let end = Timestamp::from_nanosecond(start_ns + width).unwrap_or(Timestamp::MAX);
        Some((start, end))
    }

    /// `instant` rounded down to the start of its bucket; unchanged for a timeless engine.
    pub fn round_down(self, instant: Timestamp) -> Timestamp {
        self.bucket(instant).map_or(instant, |(start, _)| start)
    }
}

/// SHA-256 of the canonical text of one parsed input, as an engine with a given granularity sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct InputHash([u8; 32]);

impl InputHash {
    /// The hash of `input` for an engine of this `granularity` (the time is rounded here, so an
    /// already rounded input hashes the same).
    pub fn of(input: &CalculationInput, granularity: TimeGranularity) -> InputHash {
        let digest = Sha256::digest(canonical_input(input, granularity).as_bytes());
        let mut bytes = [0u8; 32];
        bytes.copy_from_slice(&digest);
        InputHash(bytes)
    }

    /// The 32 bytes of the digest.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

/// Lower-case hex, 64 characters: `metadata.input_hash`.
impl fmt::Display for InputHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|byte| write!(f, "{byte:02x}"))
    }
}

/// What identifies a cached engine answer (DESIGN §4): engine id, engine version, the caller's
/// level (the witness prompt depends on it) and the input hash. Never the API key.
///
/// Displays as `engine_id/version/level/input_hash`, safe in a URL path:
///
/// ```
/// # use noesis_core::engines::{hashing::{CacheKey, InputHash}, request::parse_request, Level, TimeGranularity};
/// # let input = parse_request(b"{}", "2026-11-25T07:30:00Z".parse().unwrap()).unwrap();
/// let key = CacheKey {
///     engine_id: "numerology",
///     engine_version: "1.0.0",
///     level: Level::new(3).unwrap(),
///     input_hash: InputHash::of(&input, TimeGranularity::Timeless),
/// };
/// assert!(key.to_string().starts_with("numerology/1.0.0/3/"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CacheKey {
    pub engine_id: &'static str,
    pub engine_version: &'static str,
    pub level: Level,
    pub input_hash: InputHash,
}

impl fmt::Display for CacheKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}/{}/{}", self.engine_id, self.engine_version, self.level.get(), self.input_hash)
    }
}

/// The canonical text that [`InputHash`] digests: a version line, then one line of JSON with the
/// fields in this fixed order and absent ones as `null`:
///
/// ```text
/// noesis-input/1
/// {"birth_data":{"name":…,"date":"YYYY-MM-DD","time":"HH:MM:SS","timezone":…,"latitude":…,"longitude":…,
///   "instant":…},"current_time":…,"location":{"latitude":…,"longitude":…,"timezone":…},"options":{…}}
/// ```
///
/// `instant` is the resolved birth instant, which carries the choice `options.fold` made (fold
/// itself is not written: it only matters through the instant).
pub fn canonical_input(input: &CalculationInput, granularity: TimeGranularity) -> String {
    let mut out = String::with_capacity(256);
    out.push_str(CANONICAL_VERSION);
    out.push_str("\n{\"birth_data\":");
    match &input.birth {
        None => out.push_str("null"),
        Some(birth) => {
            out.push_str("{\"name\":");
            write_opt(&mut out, birth.name.as_deref(), write_string);
            let _ =
                write!(out, ",\"date\":\"{:04}-{:02}-{:02}\"", birth.date.year(), birth.date.month(), birth.date.day());
            out.push_str(",\"time\":");
            match birth.time {
                None => out.push_str("null"),
                Some(t) => {
                    let _ = write!(out, "\"{:02}:{:02}:{:02}\"", t.hour(), t.minute(), t.second());
                }
            }
            out.push_str(",\"timezone\":");
            write_opt(&mut out, birth.zone.as_ref(), write_zone);
            out.push(',');
            write_place(&mut out, birth.place.as_ref());
            out.push_str(",\"instant\":");
            write_opt(&mut out, birth.instant.as_ref(), write_timestamp);
            out.push('}');
        }
    }
    out.push_str(",\"current_time\":");
    match granularity {
        TimeGranularity::Timeless => out.push_str("null"),
        TimeGranularity::Seconds(_) => write_timestamp(&mut out, &granularity.round_down(input.now)),
    }
    out.push_str(",\"location\":");
    match &input.location {
        None => out.push_str("null"),
        Some(location) => {
            out.push('{');
            write_place(&mut out, location.place.as_ref());
            out.push_str(",\"timezone\":");
            write_opt(&mut out, location.zone.as_ref(), write_zone);
            out.push('}');
        }
    }
    out.push_str(",\"options\":");
    write_object(&mut out, input.options.iter());
    out.push('}');
    out
}

fn write_opt<T: ?Sized>(out: &mut String, value: Option<&T>, write: fn(&mut String, &T)) {
    match value {
        None => out.push_str("null"),
        Some(value) => write(out, value),
    }
}

fn write_string(out: &mut String, s: &str) {
    // serde_json's escaping is deterministic: the same string always gives the same text.
    out.push_str(&Value::from(s).to_string());
}

fn write_zone(out: &mut String, zone: &Zone) {
    write_string(out, zone.name());
}

fn write_timestamp(out: &mut String, ts: &Timestamp) {
    let _ = write!(out, "\"{ts}\"");
}

fn write_place(out: &mut String, place: Option<&GeoPoint>) {
    match place {
        None => out.push_str("\"latitude\":null,\"longitude\":null"),
        Some(place) => {
            out.push_str("\"latitude\":");
            write_f64(out, place.latitude_deg());
            out.push_str(",\"longitude\":");
            write_f64(out, place.longitude_deg());
        }
    }
}

/// Rust's `{:?}` of an `f64` is the shortest text that reads back as the same number and always
/// shows it is a float (`12.0`, `1e-7`); `-0.0` is written as `0.0`.
fn write_f64(out: &mut String, x: f64) {
    let x = if x == 0.0 { 0.0 } else { x };
    let _ = write!(out, "{x:?}");
}

fn write_value(out: &mut String, value: &Value) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
            (Some(u), _, _) => {
                let _ = write!(out, "{u}");
            }
            (None, Some(i), _) => {
                let _ = write!(out, "{i}");
            }
            (None, None, Some(x)) => write_f64(out, x),
            (None, None, None) => out.push_str("null"),
        },
        Value::String(s) => write_string(out, s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(out, item);
            }
            out.push(']');
        }
        Value::Object(map) => write_object(out, map.iter()),
    }
}

/// An object with its keys in byte order, whatever order the map keeps them in.
fn write_object<'a>(out: &mut String, entries: impl Iterator<Item = (&'a String, &'a Value)>) {
    let mut entries: Vec<_> = entries.collect();
    entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
    out.push('{');
    for (i, (key, value)) in entries.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_string(out, key);
        out.push(':');
        write_value(out, value);
    }
    out.push('}');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engines::request::parse_request;

    fn input(body: &str) -> CalculationInput {
        parse_request(body.as_bytes(), "2026-11-25T07:31:12Z".parse().unwrap()).unwrap()
    }

    #[test]
    fn the_canonical_text_of_a_full_request() {
        let body = r#"{"birth_data": {"name": " Asha Rao ", "date": "1991-08-13", "time": "13:31",
            "timezone": "+0530", "latitude": 12.9716, "longitude": -0.0},
            "location": {"latitude": 12, "longitude": 77.5946},
            "options": {"z": [1, 2.5, {"b": true, "a": null}], "a": "x", "fold": "later"}}"#;
        assert_eq!(
            canonical_input(&input(body), TimeGranularity::Seconds(60)),
            "noesis-input/1\n{\"birth_data\":{\"name\":\"Asha Rao\",\"date\":\"1991-08-13\",\"time\":\"13:31:00\",\
             \"timezone\":\"+05:30\",\"latitude\":12.9716,\"longitude\":0.0,\"instant\":\"1991-08-13T08:01:00Z\"},\
             \"current_time\":\"2026-11-25T07:31:00Z\",\"location\":{\"latitude\":12.0,\"longitude\":77.5946,\
             \"timezone\":null},\"options\":{\"a\":\"x\",\"z\":[1,2.5,{\"a\":null,\"b\":true}]}}"
        );
    }

    #[test]
    fn a_timeless_engine_ignores_the_time_entirely() {
        let text = canonical_input(&input("{}"), TimeGranularity::Timeless);
        assert_eq!(
            text,
            "noesis-input/1\n{\"birth_data\":null,\"current_time\":null,\"location\":null,\"options\":{}}"
        );
    }

    #[test]
    fn buckets_round_down_before_the_epoch_too() {
        let g = TimeGranularity::Seconds(60);
        let (start, end) = g.bucket("1969-12-31T23:59:59.5Z".parse().unwrap()).unwrap();
        assert_eq!(start.to_string(), "1969-12-31T23:59:00Z");
        assert_eq!(end, Timestamp::UNIX_EPOCH);
        assert_eq!(
            TimeGranularity::Seconds(0).round_down("2000-01-01T00:00:00.7Z".parse().unwrap()).to_string(),
            "2000-01-01T00:00:00Z"
        );
    }

    #[test]
    fn integers_and_floats_in_options_stay_apart() {
        let int = input(r#"{"options": {"n": 1}}"#);
        let float = input(r#"{"options": {"n": 1.0}}"#);
        assert_ne!(InputHash::of(&int, TimeGranularity::Timeless), InputHash::of(&float, TimeGranularity::Timeless));
    }
}
