//! The engine request: raw JSON in, a checked [`CalculationInput`] out.
//!
//! Every engine takes the same request (`shared/DESIGN.md` §2):
//!
//! ```json
//! {"birth_data": {"name": "Asha Rao", "date": "1991-08-13", "time": "13:31", "timezone": "Asia/Kolkata",
//!                 "latitude": 12.9716, "longitude": 77.5946},
//!  "current_time": "2026-11-25T07:30:00Z",
//!  "location": {"latitude": 12.9716, "longitude": 77.5946, "timezone": "Asia/Kolkata"},
//!  "options": {}}
//! ```
//!
//! [`parse_request`] is the one place where it is checked: what comes out cannot hold a bad value,
//! so no engine re-checks a date, a zone or a coordinate. It reports every bad field at once, each
//! named by its dotted path with what was expected, rather than stopping at the first. The rules
//! (also in `docs/engines.md`):
//!
//! - Unknown fields are refused at every level, so a misspelt `timezone` is not silently ignored.
//!   `null` means the same as leaving the field out.
//! - `birth_data.date` is `YYYY-MM-DD` in years 1800 to 2200, the span over which the ephemeris was
//!   validated against Swiss Ephemeris; `current_time` is RFC 3339 with an offset, in the same
//!   years, and defaults to the moment of the request.
//! - `birth_data.time` is `HH:MM` or `HH:MM:SS`; `timezone` is an IANA name or a UTC offset.
//! - Latitude (±90°) and longitude (±180°) come together or not at all.
//! - `birth_data.name` is trimmed and at most 200 characters, without control characters.
//! - `options` has at most 32 keys and at most 64 KiB of JSON. `options.fold` (`"earlier"` or
//!   `"later"`) chooses the instant of a birth time that the zone skipped or repeated; it is
//!   consumed here, so engines never see it.
//!
//! ```
//! use noesis_core::engines::request::{parse_request, RequestError};
//!
//! let now = "2026-11-25T07:30:00Z".parse().unwrap();
//! let body = br#"{"birth_data": {"date": "1991-08-13", "time": "13:31", "timezone": "Asia/Kolkata"}}"#;
//! let input = parse_request(body, now).unwrap();
//! let instant = input.birth.and_then(|birth| birth.instant).unwrap();
//! assert_eq!(instant.to_string(), "1991-08-13T08:01:00Z");
//!
//! let bad = br#"{"birth_data": {"date": "1991-13-01", "time": "25:00"}, "colour": "blue"}"#;
//! let Err(RequestError::Invalid(errors)) = parse_request(bad, now) else { panic!() };
//! let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
//! assert_eq!(fields, ["colour", "birth_data.date", "birth_data.time"]);
//! ```

mod strict_json;

use jiff::Timestamp;
use jiff::civil::{Date, Time};
use serde_json::{Map, Value};

use super::{BirthData, CalculationInput, FieldError, Location, Options};
use crate::ephemeris::VALIDATED_YEARS;
use crate::ephemeris::rise_set::GeoPoint;
use crate::time::zone::{Fold, Zone, resolve_local};

/// The longest `birth_data.name` accepted, in characters (Unicode scalar values) after trimming.
pub const NAME_MAX_CHARS: usize = 200;
/// The most keys `options` may have.
pub const OPTIONS_MAX_KEYS: usize = 32;
/// The most bytes `options` may take, written as compact JSON: room for a 468-point face mesh.
pub const OPTIONS_MAX_BYTES: usize = 64 * 1024;

const TOP_LEVEL_FIELDS: &[&str] = &["birth_data", "current_time", "location", "options"];
const BIRTH_DATA_FIELDS: &[&str] = &["name", "date", "time", "timezone", "latitude", "longitude"];
const LOCATION_FIELDS: &[&str] = &["latitude", "longitude", "timezone"];

/// Why a request body could not become a [`CalculationInput`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequestError {
    /// The body is not one well-formed JSON value (400 `MALFORMED_JSON`). The message says where.
    #[error("The body is not valid JSON: {0}.")]
    MalformedJson(String),
    /// The JSON is well-formed but some fields are not acceptable (422 `VALIDATION_ERROR`): every
    /// one of them, unknown top-level fields first, then in the order `birth_data`, `current_time`,
    /// `location`, `options`.
    #[error("{} of the request {} not valid; see errors.", count_fields(.0.len()), if .0.len() == 1 { "is" } else { "are" })]
    Invalid(Vec<FieldError>),
}

fn count_fields(n: usize) -> String {
    if n == 1 { "One field".to_owned() } else { format!("{n} fields") }
}

/// Parses a request body (JSON bytes) into the input every engine takes.
///
/// `now` is the moment of the request, used when the body has no `current_time`: the core reads
/// no clock, so the caller passes it.
pub fn parse_request(body: &[u8], now: Timestamp) -> Result<CalculationInput, RequestError> {
    let value = strict_json::from_slice(body).map_err(|err| RequestError::MalformedJson(err.to_string()))?;
    parse_request_value(&value, now)
}

/// Parses a request already read as JSON (for callers that hold a [`Value`], such as a workflow
/// that embeds the request). Duplicate keys can no longer be seen here; [`parse_request`] refuses
/// them.
pub fn parse_request_value(body: &Value, now: Timestamp) -> Result<CalculationInput, RequestError> {
    let mut errors = Errors::default();
    let Some(top) = errors.object(body, "", TOP_LEVEL_FIELDS) else {
        return Err(RequestError::Invalid(errors.0));
    };
    let (fold, options) = match present(top, "options") {
        Some(value) => parse_options(value, &mut errors),
        None => (Parsed::Absent, Options::new()),
    };
    let birth = present(top, "birth_data").and_then(|value| parse_birth_data(value, fold, &mut errors));
    let current_time = match present(top, "current_time") {
        Some(value) => parse_current_time(value, &mut errors),
        None => Some(now),
    };
    let location = present(top, "location").and_then(|value| parse_location(value, &mut errors));
    errors.sort_in_field_order();
    match current_time {
        Some(now) if errors.0.is_empty() => Ok(CalculationInput { birth, now, location, options }),
        _ => Err(RequestError::Invalid(errors.0)),
    }
}

/// A field as read: absent (or `null`), present but refused (its error is already recorded), or
/// present and good.
#[derive(Debug, Clone, Copy)]
enum Parsed<T> {
    Absent,
    Invalid,
    Value(T),
}

impl<T> Parsed<T> {
    fn value(self) -> Option<T> {
        match self {
            Parsed::Value(value) => Some(value),
            Parsed::Absent | Parsed::Invalid => None,
        }
    }

    fn is_present(&self) -> bool {
        !matches!(self, Parsed::Absent)
    }
}

/// The errors found so far.
#[derive(Default)]
struct Errors(Vec<FieldError>);

impl Errors {
    fn push(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push(FieldError::new(field, message));
    }

    /// `value` as an object whose keys are all in `allowed`; each other key is an error.
    fn object<'v>(&mut self, value: &'v Value, path: &str, allowed: &[&str]) -> Option<&'v Map<String, Value>> {
        let Value::Object(map) = value else {
            let expected = format!("expected an object with the fields {}", allowed.join(", "));
            self.push(path, format!("{expected}, got {}", kind(value)));
            return None;
        };
        for key in map.keys().filter(|key| !allowed.contains(&key.as_str())) {
            self.push(join(path, key), format!("unknown field; expected one of {}", allowed.join(", ")));
        }
        Some(map)
    }

    fn string<'v>(&mut self, value: &'v Value, path: &str, expected: &str) -> Parsed<&'v str> {
        match value {
            Value::String(s) => Parsed::Value(s),
            other => {
                self.push(path, format!("expected {expected}, got {}", kind(other)));
                Parsed::Invalid
            }
        }
    }

    fn number(&mut self, value: &Value, path: &str, expected: &str) -> Parsed<f64> {
        match value.as_f64() {
            Some(n) if value.is_number() => Parsed::Value(n),
            _ => {
                self.push(path, format!("expected {expected}, got {}", kind(value)));
                Parsed::Invalid
            }
        }
    }

    /// Puts the errors in the order of the contract's fields (unknown top-level fields first,
    /// then `birth_data`, `current_time`, `location`, `options`), whatever order they were found in.
    fn sort_in_field_order(&mut self) {
        let rank = |field: &str| {
            let head = field.split('.').next().unwrap_or(field);
            TOP_LEVEL_FIELDS.iter().position(|known| *known == head).map_or(0, |i| i + 1)
        };
        self.0.sort_by_key(|error| rank(&error.field));
    }
}

/// The value of `key`, treating `null` as absent.
fn present<'v>(map: &'v Map<String, Value>, key: &str) -> Option<&'v Value> {
    map.get(key).filter(|value| !value.is_null())
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() { key.to_owned() } else { format!("{path}.{key}") }
}

/// What a JSON value is, for "expected …, got …".
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn parse_birth_data(value: &Value, fold: Parsed<Fold>, errors: &mut Errors) -> Option<BirthData> {
    let map = errors.object(value, "birth_data", BIRTH_DATA_FIELDS)?;
    let name = match present(map, "name") {
        Some(value) => parse_name(value, errors),
        None => Parsed::Absent,
    };
    let date = match present(map, "date") {
        Some(value) => parse_date(value, "birth_data.date", errors),
        None => {
            errors.push("birth_data.date", "required when birth_data is given: a date YYYY-MM-DD such as 1991-08-13");
            Parsed::Invalid
        }
    };
    let time = match present(map, "time") {
        Some(value) => parse_time(value, "birth_data.time", errors),
        None => Parsed::Absent,
    };
    let zone = match present(map, "timezone") {
        Some(value) => parse_zone(value, "birth_data.timezone", errors),
        None => Parsed::Absent,
    };
    let place = parse_place(map, "birth_data", errors);

    let instant = match (date, time, &zone) {
        (Parsed::Value(date), Parsed::Value(time), Parsed::Value(zone)) => {
            match resolve_local(date, time, zone, fold.value()) {
                Ok(instant) => Some(instant),
                Err(err) => {
                    errors.push("birth_data.time", format!("{err} (options.fold)"));
                    None
                }
            }
        }
        _ => None,
    };
    Some(BirthData {
        name: name.value(),
        date: date.value()?,
        time: time.value(),
        zone: zone.value(),
        place: place.value(),
        instant,
    })
}

fn parse_name(value: &Value, errors: &mut Errors) -> Parsed<String> {
    const FIELD: &str = "birth_data.name";
    let Parsed::Value(raw) = errors.string(value, FIELD, "a name as a string") else {
        return Parsed::Invalid;
    };
    let name = raw.trim();
    if name.chars().count() > NAME_MAX_CHARS {
        errors.push(FIELD, format!("expected at most {NAME_MAX_CHARS} characters, got {}", name.chars().count()));
        return Parsed::Invalid;
    }
    if name.chars().any(char::is_control) {
        errors.push(FIELD, "expected a name without control characters (line breaks, tabs, NUL)");
        return Parsed::Invalid;
    }
    if name.is_empty() { Parsed::Absent } else { Parsed::Value(name.to_owned()) }
}

/// The validated years, as a sentence that says why the limit exists.
fn year_range_reason() -> String {
    format!(
        "years {} to {} only: the span over which the ephemeris is validated against Swiss Ephemeris",
        VALIDATED_YEARS.0, VALIDATED_YEARS.1
    )
}

fn in_validated_years(year: i16) -> bool {
    (VALIDATED_YEARS.0..=VALIDATED_YEARS.1).contains(&i32::from(year))
}

fn parse_date(value: &Value, field: &str, errors: &mut Errors) -> Parsed<Date> {
    const EXPECTED: &str = "a date YYYY-MM-DD such as 1991-08-13";
    let Parsed::Value(text) = errors.string(value, field, EXPECTED) else {
        return Parsed::Invalid;
    };
    let Some([year, month, day]) = digit_groups(text, b'-', &[4, 2, 2]) else {
        errors.push(field, format!("expected {EXPECTED}, got {text:?}"));
        return Parsed::Invalid;
    };
    let (Ok(year), Ok(month), Ok(day)) = (i16::try_from(year), i8::try_from(month), i8::try_from(day)) else {
        errors.push(field, format!("expected {EXPECTED}, got {text:?}"));
        return Parsed::Invalid;
    };
    let Ok(date) = Date::new(year, month, day) else {
        errors.push(field, format!("{text} is not a date of the Gregorian calendar"));
        return Parsed::Invalid;
    };
    if !in_validated_years(year) {
        errors.push(field, format!("{text} is out of range: {}", year_range_reason()));
        return Parsed::Invalid;
    }
    Parsed::Value(date)
}

fn parse_time(value: &Value, field: &str, errors: &mut Errors) -> Parsed<Time> {
    const EXPECTED: &str = "a local time HH:MM or HH:MM:SS (24-hour clock) such as 13:31";
    let Parsed::Value(text) = errors.string(value, field, EXPECTED) else {
        return Parsed::Invalid;
    };
    let parts =
        digit_groups(text, b':', &[2, 2]).map(|[h, m]| [h, m, 0]).or_else(|| digit_groups(text, b':', &[2, 2, 2]));
    let Some([hour, minute, second]) = parts else {
        errors.push(field, format!("expected {EXPECTED}, got {text:?}"));
        return Parsed::Invalid;
    };
    let time = match (i8::try_from(hour), i8::try_from(minute), i8::try_from(second)) {
        (Ok(h), Ok(m), Ok(s)) if h < 24 && m < 60 && s < 60 => Time::new(h, m, s, 0).ok(),
        _ => None,
    };
    match time {
        Some(time) => Parsed::Value(time),
        None => {
            errors.push(field, format!("{text} is not a time of day: hours 00-23, minutes and seconds 00-59"));
            Parsed::Invalid
        }
    }
}

/// Splits `text` at `separator` into groups of exactly the given numbers of ASCII digits.
fn digit_groups<const N: usize>(text: &str, separator: u8, widths: &[usize; N]) -> Option<[u32; N]> {
    let mut groups = text.as_bytes().split(|b| *b == separator);
    let mut out = [0u32; N];
    for (slot, width) in out.iter_mut().zip(widths) {
        let group = groups.next()?;
        if group.len() != *width || !group.iter().all(u8::is_ascii_digit) {
            return None;
        }
        *slot = group.iter().fold(0, |n, digit| n * 10 + u32::from(digit - b'0'));
    }
    groups.next().is_none().then_some(out)
}

fn parse_zone(value: &Value, field: &str, errors: &mut Errors) -> Parsed<Zone> {
    const EXPECTED: &str = "an IANA time zone such as \"Asia/Kolkata\" or a UTC offset such as \"+05:30\"";
    let Parsed::Value(text) = errors.string(value, field, EXPECTED) else {
        return Parsed::Invalid;
    };
    match Zone::parse(text) {
        Ok(zone) => Parsed::Value(zone),
        Err(err) => {
            errors.push(field, err.to_string());
            Parsed::Invalid
        }
    }
}

/// `latitude` and `longitude` of the object at `path`: both or neither.
fn parse_place(map: &Map<String, Value>, path: &str, errors: &mut Errors) -> Parsed<GeoPoint> {
    let lat_field = format!("{path}.latitude");
    let lon_field = format!("{path}.longitude");
    let latitude = match present(map, "latitude") {
        Some(value) => match errors.number(value, &lat_field, "degrees north as a number from -90 to 90") {
            Parsed::Value(lat) => match GeoPoint::new(lat, 0.0) {
                Ok(_) => Parsed::Value(lat),
                Err(err) => {
                    errors.push(&lat_field, err.to_string());
                    Parsed::Invalid
                }
            },
            other => other,
        },
        None => Parsed::Absent,
    };
    let longitude = match present(map, "longitude") {
        Some(value) => match errors.number(value, &lon_field, "degrees east as a number from -180 to 180") {
            Parsed::Value(lon) => match GeoPoint::new(0.0, lon) {
                Ok(_) => Parsed::Value(lon),
                Err(err) => {
                    errors.push(&lon_field, err.to_string());
                    Parsed::Invalid
                }
            },
            other => other,
        },
        None => Parsed::Absent,
    };
    match (latitude, longitude) {
        (Parsed::Value(lat), Parsed::Value(lon)) => GeoPoint::new(lat, lon).map_or(Parsed::Invalid, Parsed::Value),
        (Parsed::Absent, Parsed::Absent) => Parsed::Absent,
        (lat, lon) => {
            if !lat.is_present() {
                errors.push(&lat_field, format!("required with {lon_field}: give both coordinates or neither"));
            }
            if !lon.is_present() {
                errors.push(&lon_field, format!("required with {lat_field}: give both coordinates or neither"));
            }
            Parsed::Invalid
        }
    }
}

fn parse_current_time(value: &Value, errors: &mut Errors) -> Option<Timestamp> {
    const FIELD: &str = "current_time";
    const EXPECTED: &str =
        "an RFC 3339 instant with an offset such as 2026-11-25T07:30:00Z or 2026-11-25T13:00:00+05:30";
    let Parsed::Value(text) = errors.string(value, FIELD, EXPECTED) else {
        return None;
    };
    let parsed = if is_rfc3339(text) { text.parse::<Timestamp>().ok() } else { None };
    let Some(instant) = parsed else {
        errors.push(FIELD, format!("expected {EXPECTED}, got {text:?}"));
        return None;
    };
    let year = instant.to_zoned_datetime(jiff::tz::TimeZone::UTC).year();
    if !in_validated_years(year) {
        errors.push(FIELD, format!("{text} is out of range: {}", year_range_reason()));
        return None;
    }
    Some(instant)
}

/// Whether `text` has the shape of RFC 3339's `date-time`: `YYYY-MM-DDTHH:MM:SS[.fraction]` then
/// `Z` or `±HH:MM` (a space may stand for the `T`, as RFC 3339 allows). jiff then checks the
/// values; this only keeps out the other ISO 8601 spellings jiff would also read.
fn is_rfc3339(text: &str) -> bool {
    let bytes = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| bytes.get(range).is_some_and(|b| b.iter().all(u8::is_ascii_digit));
    let at = |i: usize, allowed: &[u8]| bytes.get(i).is_some_and(|b| allowed.contains(b));
    let head = digits(0..4)
        && at(4, b"-")
        && digits(5..7)
        && at(7, b"-")
        && digits(8..10)
        && at(10, b"Tt ")
        && digits(11..13)
        && at(13, b":")
        && digits(14..16)
        && at(16, b":")
        && digits(17..19);
    if !head {
        return false;
    }
    let mut rest = &bytes[19..];
    if let Some(fraction) = rest.strip_prefix(b".") {
        let n = fraction.iter().take_while(|b| b.is_ascii_digit()).count();
        if n == 0 {
            return false;
        }
        rest = &fraction[n..];
    }
    match rest {
        [b'Z' | b'z'] => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] => [h1, h2, m1, m2].iter().all(|b| b.is_ascii_digit()),
        _ => false,
    }
}

fn parse_location(value: &Value, errors: &mut Errors) -> Option<Location> {
    let map = errors.object(value, "location", LOCATION_FIELDS)?;
    let zone = match present(map, "timezone") {
        Some(value) => parse_zone(value, "location.timezone", errors),
        None => Parsed::Absent,
    };
    let place = parse_place(map, "location", errors);
    // An empty location says nothing; keeping it as absent keeps one input one hash.
    match (place, zone) {
        (Parsed::Absent, Parsed::Absent) => None,
        (place, zone) => Some(Location { place: place.value(), zone: zone.value() }),
    }
}

/// The options for the engine, and `fold`, which is the parser's own and is taken out.
fn parse_options(value: &Value, errors: &mut Errors) -> (Parsed<Fold>, Options) {
    const FIELD: &str = "options";
    let Value::Object(map) = value else {
        errors.push(FIELD, format!("expected an object of engine options, got {}", kind(value)));
        return (Parsed::Invalid, Options::new());
    };
    if map.len() > OPTIONS_MAX_KEYS {
        errors.push(FIELD, format!("expected at most {OPTIONS_MAX_KEYS} options, got {}", map.len()));
    }
    let bytes = serde_json::to_string(map).map_or(usize::MAX, |json| json.len());
    if bytes > OPTIONS_MAX_BYTES {
        errors.push(FIELD, format!("expected at most {OPTIONS_MAX_BYTES} bytes of options as JSON, got {bytes}"));
    }
    let mut options = map.clone();
    let fold = match options.remove("fold") {
        None | Some(Value::Null) => Parsed::Absent,
        Some(value) => match serde_json::from_value::<Fold>(value) {
            Ok(fold) => Parsed::Value(fold),
            Err(_) => {
                errors.push(
                    "options.fold",
                    "expected \"earlier\" or \"later\": which instant a birth time means when the zone's \
                     clocks skipped or repeated it",
                );
                Parsed::Invalid
            }
        },
    };
    (fold, options)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digit_groups_take_exact_widths() {
        assert_eq!(digit_groups("1991-08-13", b'-', &[4, 2, 2]), Some([1991, 8, 13]));
        assert_eq!(digit_groups("1991-8-13", b'-', &[4, 2, 2]), None);
        assert_eq!(digit_groups("1991-08-13-", b'-', &[4, 2, 2]), None);
        assert_eq!(digit_groups("+991-08-13", b'-', &[4, 2, 2]), None);
        assert_eq!(digit_groups("13:31", b':', &[2, 2]), Some([13, 31]));
    }

    #[test]
    fn rfc3339_shapes() {
        for good in ["2026-11-25T07:30:00Z", "2026-11-25t07:30:00.125z", "2026-11-25 13:00:00+05:30"] {
            assert!(is_rfc3339(good), "{good}");
        }
        for bad in ["2026-11-25T07:30Z", "20261125T073000Z", "2026-11-25T07:30:00", "2026-11-25T07:30:00+0530"] {
            assert!(!is_rfc3339(bad), "{bad}");
        }
        assert!(!is_rfc3339("2026-11-25T07:30:00.Z"));
        assert!(!is_rfc3339("2026-11-25T07:30:00+05:30[Asia/Kolkata]"));
    }
}
