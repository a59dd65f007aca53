//! `options` of the vimshottari engine, parsed once into [`DashaOptions`].

use super::META;
use crate::engines::options::parse_options;
use crate::engines::{EngineError, FieldError, Options};
use serde::Deserialize;

/// Default year length in days: the Julian year most software uses for dashas.
pub const DEFAULT_YEAR_DAYS: f64 = 365.25;
/// Accepted year lengths, days: from the 360-day savana year to a little over the sidereal year.
pub const YEAR_DAYS_RANGE: std::ops::RangeInclusive<f64> = 360.0..=366.0;

/// Which antardashas carry their pratyantardashas in `mahadashas`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Pratyantardashas {
    /// Every antardasha of every mahadasha (about 800 periods; see the module docs for the size).
    All,
    /// Only the antardasha running at `current_time` (the others carry none).
    Current,
}

/// The engine's options, checked.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DashaOptions {
    pub year_days: f64,
    pub pratyantardashas: Pratyantardashas,
}

#[derive(Debug, Deserialize)]
struct RawOptions {
    year_days: Option<f64>,
    pratyantardashas: Option<Pratyantardashas>,
}

/// Parses `options`, naming each unknown or bad key as `options.<key>`.
pub fn parse(options: &Options) -> Result<DashaOptions, EngineError> {
    let raw: RawOptions = parse_options(options, &META)?;
    let year_days = raw.year_days.unwrap_or(DEFAULT_YEAR_DAYS);
    if !YEAR_DAYS_RANGE.contains(&year_days) {
        return Err(FieldError::new(
            "options.year_days",
            format!("the year length must be from 360 to 366 days (365.25 by default), got {year_days}"),
        )
        .into());
    }
    Ok(DashaOptions { year_days, pratyantardashas: raw.pratyantardashas.unwrap_or(Pratyantardashas::All) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn options(value: serde_json::Value) -> Options {
        match value {
            serde_json::Value::Object(map) => map,
            _ => Options::new(),
        }
    }

    #[test]
    fn defaults() {
        let parsed = parse(&Options::new()).unwrap();
        assert_eq!(parsed.year_days, 365.25);
        assert_eq!(parsed.pratyantardashas, Pratyantardashas::All);
    }

    #[test]
    fn year_days_is_bounded() {
        assert_eq!(parse(&options(json!({"year_days": 360}))).unwrap().year_days, 360.0);
        assert_eq!(parse(&options(json!({"year_days": 400}))).unwrap_err().fields(), ["options.year_days"]);
        assert_eq!(parse(&options(json!({"year_days": "365"}))).unwrap_err().fields(), ["options.year_days"]);
    }

    #[test]
    fn unknown_keys_are_named() {
        let err = parse(&options(json!({"yeardays": 365, "pratyantardashas": "some"}))).unwrap_err();
        assert_eq!(err.fields(), ["options.pratyantardashas", "options.yeardays"]);
    }
}
