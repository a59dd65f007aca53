//! Biorhythm: four sine cycles counted from the day of birth.
//!
//! The physical (23 days), emotional (28) and intellectual (33) cycles are the primary ones; the
//! intuitive (38) is reported beside them. On day d of life (whole days from the birth date to the
//! target date) a cycle of period P stands at sin(2π·(d mod P)/P). A day is critical when it lies
//! within one day, inclusive, of a zero crossing of a primary cycle.
//!
//! The target date is the local calendar date of `current_time`, read in `location.timezone` when
//! the request gives one, else in `birth_data.timezone`, else in UTC; `result.zone` says which.
//! The result changes only at local midnight, so `current_time` rounded down to 15 minutes gives the
//! same answer (every UTC offset in use today is a whole number of quarter hours).

mod cycles;
mod prompt;
mod svg;
mod text;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::options::parse_options;
use super::{CalculationInput, EngineError, EngineMeta, FieldError, InputSpec, Level, Options, TimeGranularity};
use crate::time::zone::Zone;

pub use cycles::{Cycle, Phase};
pub use prompt::witness_prompt;

/// The longest forecast, in days, that `options.forecast_days` may ask for.
pub const MAX_FORECAST_DAYS: u16 = 366;

const DEFAULT_FORECAST_DAYS: u16 = 7;

/// The biorhythm engine's description for the API and the cache.
pub const META: EngineMeta = EngineMeta {
    id: "biorhythm",
    name: "Biorhythm",
    description: "Where your physical (23-day), emotional (28-day), intellectual (33-day) and intuitive \
                  (38-day) cycles stand today, the critical days ahead, and a day-by-day forecast, \
                  optionally drawn as an SVG chart.",
    required_level: Level::MIN,
    version: "1.0.0",
    inputs: &[
        InputSpec { field: "birth_data.date", required: true, description: "Date of birth: day 0 of every cycle." },
        InputSpec {
            field: "current_time",
            required: false,
            description: "Its local date is the target date (default: the moment of the request).",
        },
        InputSpec {
            field: "location.timezone",
            required: false,
            description: "Zone in which current_time's date is read; falls back to birth_data.timezone, then UTC.",
        },
        InputSpec {
            field: "birth_data.timezone",
            required: false,
            description: "Zone for the target date when no location.timezone is given.",
        },
        InputSpec {
            field: "options.forecast_days",
            required: false,
            description: "Days of forecast and critical days, starting with the target date: 1 to 366, default 7.",
        },
        InputSpec {
            field: "options.format",
            required: false,
            description: "\"svg\" adds an SVG chart of the curves in result.svg; default \"json\" (no chart).",
        },
    ],
    time_granularity: TimeGranularity::Seconds(900),
};

/// Biorhythm on the target date, with what lies ahead.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BiorhythmResult {
    pub birth_date: Date,
    /// The local date of `current_time` in `zone`.
    pub target_date: Date,
    /// The zone the target date was read in: an IANA name, an offset, or `UTC`.
    pub zone: String,
    /// Where `zone` came from: `location`, `birth_data`, or `default` (UTC).
    pub zone_source: &'static str,
    /// Whole days from the birth date to the target date (0 on the day of birth).
    pub days_alive: u32,
    pub cycles: Cycles,
    /// Whether the target date is critical in any primary cycle.
    pub critical: bool,
    /// The critical days among the `forecast_days` days starting with the target date.
    pub critical_days: Vec<CriticalDay>,
    /// How many days `forecast` covers, the target date first.
    pub forecast_days: u16,
    pub forecast: Vec<ForecastDay>,
    /// An SVG document charting the curves, when `options.format` is `"svg"`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub svg: Option<String>,
}

/// The four cycles on the target date.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Cycles {
    pub physical: CycleReading,
    pub emotional: CycleReading,
    pub intellectual: CycleReading,
    pub intuitive: CycleReading,
}

impl Cycles {
    /// Each cycle with its reading, primary cycles first.
    pub fn iter(&self) -> impl Iterator<Item = (Cycle, &CycleReading)> {
        [
            (Cycle::Physical, &self.physical),
            (Cycle::Emotional, &self.emotional),
            (Cycle::Intellectual, &self.intellectual),
            (Cycle::Intuitive, &self.intuitive),
        ]
        .into_iter()
    }
}

/// One cycle on one day.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CycleReading {
    /// sin(2π·(days_alive mod P)/P), from −1 to 1.
    pub value: f64,
    /// `value` × 100, rounded to one decimal: −100 to 100.
    pub percent: f64,
    /// `rising`, `peak`, `falling` or `trough`. The peak (trough) is the whole day nearest the
    /// curve's maximum (minimum), or the two days equally near it.
    pub phase: Phase,
    /// Whether the day lies within one day (inclusive) of this cycle's zero crossing.
    pub critical: bool,
    /// Days until the next peak day, 0 on one: 0 to P − 1.
    pub days_to_peak: u32,
    /// Days until this cycle's next critical day, 0 on one.
    pub days_to_critical: u32,
    /// The cycle's length, P.
    pub period_days: u32,
    /// days_alive mod P: 0 is the upward zero crossing.
    pub day_in_cycle: u32,
}

/// A critical day ahead and the primary cycles that make it critical.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CriticalDay {
    pub date: Date,
    /// 0 for the target date itself.
    pub days_from_target: u32,
    pub cycles: Vec<Cycle>,
}

/// The four values on one day of the forecast.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ForecastDay {
    pub date: Date,
    pub days_alive: u32,
    pub physical: f64,
    pub emotional: f64,
    pub intellectual: f64,
    pub intuitive: f64,
    /// Whether any primary cycle makes this day critical.
    pub critical: bool,
}

/// The options biorhythm accepts.
#[derive(Debug, Clone, Copy, Deserialize)]
struct BiorhythmOptions {
    #[serde(default = "default_forecast_days")]
    forecast_days: u16,
    #[serde(default)]
    format: Format,
}

fn default_forecast_days() -> u16 {
    DEFAULT_FORECAST_DAYS
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Format {
    #[default]
    Json,
    Svg,
}

/// Computes the biorhythm of `input.birth`'s date on the local date of `input.now`.
///
/// ```
/// use jiff::civil::date;
/// use noesis_core::engines::{biorhythm, BirthData, CalculationInput};
///
/// let birth = BirthData { name: None, date: date(1985, 6, 20), time: None, zone: None, place: None, instant: None };
/// let now = "2026-01-01T09:00:00Z".parse()?;
/// let result = biorhythm::calculate(&CalculationInput { birth: Some(birth), now, location: None, options: Default::default() })?;
/// assert_eq!(result.days_alive, 14_805);
/// assert_eq!(result.cycles.emotional.value, -1.0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// [`EngineError::Validation`] when `birth_data.date` is missing or after the target date, when an
/// option is unknown, mistyped or out of range, or when the forecast would run past the year 9999.
pub fn calculate(input: &CalculationInput) -> Result<BiorhythmResult, EngineError> {
    let options = checked_options(&input.options)?;
    let Some(birth) = &input.birth else {
        return Err(
            FieldError::new("birth_data.date", "required: biorhythm counts the days from the date of birth").into()
        );
    };
    let (zone, zone_source) = match (input.location.as_ref().and_then(|l| l.zone.as_ref()), &birth.zone) {
        (Some(zone), _) => (zone.clone(), "location"),
        (None, Some(zone)) => (zone.clone(), "birth_data"),
        (None, None) => (Zone::Fixed { name: "UTC".to_owned(), offset: jiff::tz::Offset::UTC }, "default"),
    };
    let target_date = zone.to_local(input.now).date();
    let days = target_date.duration_since(birth.date).as_secs().div_euclid(86_400);
    let Ok(days_alive) = u32::try_from(days) else {
        return Err(FieldError::new(
            "birth_data.date",
            format!("is after the target date {target_date} (the date of current_time in {})", zone.name()),
        )
        .into());
    };

    let mut forecast = Vec::with_capacity(usize::from(options.forecast_days));
    let mut critical_days = Vec::new();
    let mut date = target_date;
    for offset in 0..u32::from(options.forecast_days) {
        let d = days_alive + offset;
        let crossing: Vec<Cycle> = Cycle::PRIMARY.into_iter().filter(|c| c.is_critical(d)).collect();
        forecast.push(ForecastDay {
            date,
            days_alive: d,
            physical: Cycle::Physical.value(d),
            emotional: Cycle::Emotional.value(d),
            intellectual: Cycle::Intellectual.value(d),
            intuitive: Cycle::Intuitive.value(d),
            critical: !crossing.is_empty(),
        });
        if !crossing.is_empty() {
            critical_days.push(CriticalDay { date, days_from_target: offset, cycles: crossing });
        }
        if offset + 1 < u32::from(options.forecast_days) {
            date = date.tomorrow().map_err(|_| {
                FieldError::new("options.forecast_days", "would run the forecast past 9999-12-31; ask for fewer days")
            })?;
        }
    }

    let reading = |cycle: Cycle| {
        let value = cycle.value(days_alive);
        CycleReading {
            value,
            percent: (value * 1000.0).round() / 10.0 + 0.0,
            phase: cycle.phase(days_alive),
            critical: cycle.is_critical(days_alive),
            days_to_peak: cycle.days_to_peak(days_alive),
            days_to_critical: cycle.days_to_critical(days_alive),
            period_days: cycle.period_days(),
            day_in_cycle: cycle.day_in_cycle(days_alive),
        }
    };
    let mut result = BiorhythmResult {
        birth_date: birth.date,
        target_date,
        zone: zone.name().to_owned(),
        zone_source,
        days_alive,
        cycles: Cycles {
            physical: reading(Cycle::Physical),
            emotional: reading(Cycle::Emotional),
            intellectual: reading(Cycle::Intellectual),
            intuitive: reading(Cycle::Intuitive),
        },
        critical: Cycle::PRIMARY.iter().any(|c| c.is_critical(days_alive)),
        critical_days,
        forecast_days: options.forecast_days,
        forecast,
        svg: None,
    };
    if options.format == Format::Svg {
        result.svg = Some(svg::chart(&result));
    }
    Ok(result)
}

/// Reads the options, naming each bad one (`options.<key>`), and checks the forecast's length.
fn checked_options(options: &Options) -> Result<BiorhythmOptions, EngineError> {
    let parsed: BiorhythmOptions = parse_options(options, &META)?;
    if !(1..=MAX_FORECAST_DAYS).contains(&parsed.forecast_days) {
        return Err(FieldError::new(
            "options.forecast_days",
            format!("must be from 1 to {MAX_FORECAST_DAYS} days, got {}", parsed.forecast_days),
        )
        .into());
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engines::{BirthData, Location};
    use jiff::civil::date;

    fn input(now: &str, birth_zone: Option<&str>, location_zone: Option<&str>) -> CalculationInput {
        let birth = BirthData {
            name: None,
            date: date(1985, 6, 20),
            time: None,
            zone: birth_zone.map(|z| Zone::parse(z).unwrap()),
            place: None,
            instant: None,
        };
        let location = location_zone.map(|z| Location { place: None, zone: Some(Zone::parse(z).unwrap()) });
        CalculationInput { birth: Some(birth), now: now.parse().unwrap(), location, options: Options::new() }
    }

    #[test]
    fn the_target_date_is_read_in_the_location_zone_first_then_the_birth_zone_then_utc() {
        let now = "2025-12-31T20:00:00Z";
        let utc = calculate(&input(now, None, None)).unwrap();
        assert_eq!((utc.target_date, utc.zone.as_str(), utc.zone_source), (date(2025, 12, 31), "UTC", "default"));
        let born_in_tokyo = calculate(&input(now, Some("Asia/Tokyo"), None)).unwrap();
        assert_eq!((born_in_tokyo.target_date, born_in_tokyo.zone_source), (date(2026, 1, 1), "birth_data"));
        let now_in_new_york = calculate(&input(now, Some("Asia/Tokyo"), Some("America/New_York"))).unwrap();
        assert_eq!(
            (now_in_new_york.target_date, now_in_new_york.zone.as_str(), now_in_new_york.zone_source),
            (date(2025, 12, 31), "America/New_York", "location")
        );
        assert_eq!(born_in_tokyo.days_alive, utc.days_alive + 1);
    }

    #[test]
    fn forecast_starts_on_the_target_date_and_lists_its_critical_days() {
        let result = calculate(&input("2026-01-01T12:00:00Z", None, None)).unwrap();
        assert_eq!(result.forecast.len(), 7);
        assert_eq!(result.forecast[0].date, result.target_date);
        assert_eq!(result.forecast[6].date, date(2026, 1, 7));
        let flagged: Vec<Date> = result.forecast.iter().filter(|d| d.critical).map(|d| d.date).collect();
        let listed: Vec<Date> = result.critical_days.iter().map(|d| d.date).collect();
        assert_eq!(flagged, listed);
    }

    #[test]
    fn forecast_days_are_bounded() {
        for bad in [0, 367] {
            let mut request = input("2026-01-01T12:00:00Z", None, None);
            request.options.insert("forecast_days".into(), bad.into());
            let Err(EngineError::Validation(errors)) = calculate(&request) else { panic!("{bad} accepted") };
            assert_eq!(errors[0].field, "options.forecast_days");
        }
    }
}
