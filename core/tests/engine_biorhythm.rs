//! The biorhythm engine against its contract in shared/ENGINES.md.

use jiff::Timestamp;
use jiff::civil::{Date, date};
use noesis_core::engines::biorhythm::{self, BiorhythmResult, Cycle};
use noesis_core::engines::{BirthData, CalculationInput, EngineError, Level, Location, Options, TimeGranularity};
use noesis_core::time::zone::Zone;
use proptest::prelude::*;
use serde_json::json;
use std::f64::consts::TAU;

fn birth(born: Date, zone: Option<&str>) -> BirthData {
    BirthData {
        name: None,
        date: born,
        time: None,
        zone: zone.map(|z| Zone::parse(z).expect("a known zone")),
        place: None,
        instant: None,
    }
}

fn input(born: Date, now: &str, options: serde_json::Value) -> CalculationInput {
    let options: Options = serde_json::from_value(options).expect("options are an object");
    CalculationInput { birth: Some(birth(born, None)), now: now.parse().expect("an instant"), location: None, options }
}

fn biorhythm_of(born: Date, now: &str) -> BiorhythmResult {
    biorhythm::calculate(&input(born, now, json!({}))).expect("a valid request")
}

fn refused_fields(result: Result<BiorhythmResult, EngineError>) -> Vec<String> {
    match result {
        Err(EngineError::Validation(errors)) => errors.into_iter().map(|e| e.field).collect(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

fn assert_close(actual: f64, expected: f64, what: &str) {
    // The check values are given to 5 decimals.
    assert!((actual - expected).abs() <= 5e-6, "{what}: {actual} is not {expected}");
}

#[test]
fn born_1985_06_20_on_2026_01_01_has_lived_14805_days() {
    let result = biorhythm_of(date(1985, 6, 20), "2026-01-01T12:00:00Z");
    assert_eq!(result.target_date, date(2026, 1, 1));
    assert_eq!(result.days_alive, 14_805);
    assert_close(result.cycles.physical.value, -0.94226, "physical");
    assert_close(result.cycles.emotional.value, -1.0, "emotional");
    assert_close(result.cycles.intellectual.value, -0.75575, "intellectual");
    assert_close(result.cycles.intuitive.value, -0.61421, "intuitive");
    assert_eq!(result.cycles.physical.percent, -94.2);
    assert_eq!(result.cycles.emotional.phase, biorhythm::Phase::Trough);
}

#[test]
fn result_has_the_contract_fields() {
    let json = serde_json::to_value(biorhythm_of(date(1985, 6, 20), "2026-01-01T12:00:00Z")).expect("serialises");
    assert_eq!(json["days_alive"], 14_805);
    assert_eq!(json["target_date"], "2026-01-01");
    for cycle in ["physical", "emotional", "intellectual", "intuitive"] {
        let reading = &json["cycles"][cycle];
        for field in ["value", "percent", "phase", "critical", "days_to_peak", "days_to_critical"] {
            assert!(!reading[field].is_null(), "cycles.{cycle}.{field}");
        }
    }
    assert_eq!(json["forecast"].as_array().map(Vec::len), Some(7));
    assert_eq!(json["critical_days"][0]["date"], "2026-01-07");
    assert_eq!(json["critical_days"][0]["cycles"], json!(["physical", "emotional"]));
    assert!(json.get("svg").is_none(), "no chart unless asked");
}

#[test]
fn the_target_date_is_the_local_date_of_current_time() {
    // 20:00 UTC on New Year's Eve is already New Year's Day in Tokyo.
    let now: Timestamp = "2025-12-31T20:00:00Z".parse().expect("an instant");
    let request = |birth_zone: Option<&str>, location_zone: Option<&str>| CalculationInput {
        birth: Some(birth(date(1985, 6, 20), birth_zone)),
        now,
        location: location_zone.map(|z| Location { place: None, zone: Some(Zone::parse(z).expect("known")) }),
        options: Options::new(),
    };
    let utc = biorhythm::calculate(&request(None, None)).expect("valid");
    assert_eq!((utc.target_date, utc.zone.as_str()), (date(2025, 12, 31), "UTC"));
    let birth_zone = biorhythm::calculate(&request(Some("Asia/Tokyo"), None)).expect("valid");
    assert_eq!((birth_zone.target_date, birth_zone.days_alive), (date(2026, 1, 1), 14_805));
    let location_zone = biorhythm::calculate(&request(Some("Asia/Tokyo"), Some("-05:00"))).expect("valid");
    assert_eq!((location_zone.target_date, location_zone.zone.as_str()), (date(2025, 12, 31), "-05:00"));
}

#[test]
fn forecast_days_sets_the_forecast_and_critical_window() {
    let result = biorhythm::calculate(&input(date(1985, 6, 20), "2026-01-01T12:00:00Z", json!({"forecast_days": 30})))
        .expect("valid");
    assert_eq!(result.forecast.len(), 30);
    assert_eq!(result.forecast.last().map(|d| d.date), Some(date(2026, 1, 30)));
    assert!(result.critical_days.iter().all(|d| d.days_from_target < 30));
}

#[test]
fn svg_format_draws_a_self_contained_chart() {
    let result = biorhythm::calculate(&input(date(1985, 6, 20), "2026-01-01T12:00:00Z", json!({"format": "svg"})))
        .expect("valid");
    let svg = result.svg.expect("a chart");
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(svg.trim_end().ends_with("</svg>"));
    for label in ["<title", "Today · 2026-01-01", "Physical", "Emotional", "Intellectual", "Intuitive", "−100%"] {
        assert!(svg.contains(label), "the chart shows {label}");
    }
    for outside in ["<script", "href", "@import", "url(", "<image"] {
        assert!(!svg.contains(outside), "the chart must not reach outside: {outside}");
    }
    assert_eq!(svg.matches("<text").count(), svg.matches("</text>").count());
}

#[test]
fn a_missing_birth_date_is_refused_naming_it() {
    let mut request = input(date(1985, 6, 20), "2026-01-01T12:00:00Z", json!({}));
    request.birth = None;
    assert_eq!(refused_fields(biorhythm::calculate(&request)), ["birth_data.date"]);
}

#[test]
fn a_birth_after_the_target_date_is_refused() {
    let result = biorhythm::calculate(&input(date(2030, 1, 1), "2026-01-01T12:00:00Z", json!({})));
    assert_eq!(refused_fields(result), ["birth_data.date"]);
}

#[test]
fn bad_options_are_refused_by_name() {
    let refused =
        |options| refused_fields(biorhythm::calculate(&input(date(1985, 6, 20), "2026-01-01T12:00:00Z", options)));
    assert_eq!(refused(json!({"forecast_days": 0})), ["options.forecast_days"]);
    assert_eq!(refused(json!({"forecast_days": 367})), ["options.forecast_days"]);
    assert_eq!(refused(json!({"forecast_days": 1e9})), ["options.forecast_days"]);
    assert_eq!(refused(json!({"forecast_days": "seven"})), ["options.forecast_days"]);
    assert_eq!(refused(json!({"format": "png"})), ["options.format"]);
    assert_eq!(refused(json!({"cycles": ["physical"]})), ["options.cycles"]);
}

#[test]
fn a_forecast_past_the_year_9999_is_refused() {
    let result = biorhythm::calculate(&input(date(1985, 6, 20), "9999-12-30T12:00:00Z", json!({"forecast_days": 7})));
    assert_eq!(refused_fields(result), ["options.forecast_days"]);
}

#[test]
fn meta_describes_a_level_0_engine_cached_per_quarter_hour() {
    assert_eq!(biorhythm::META.id, "biorhythm");
    assert_eq!(biorhythm::META.required_level, Level::MIN);
    assert_eq!(biorhythm::META.time_granularity, TimeGranularity::Seconds(900));
    assert!(biorhythm::META.inputs.iter().any(|i| i.field == "birth_data.date" && i.required));
}

#[test]
fn witness_prompts_differ_by_level_and_repeat_exactly() {
    for now in ["2026-01-01T12:00:00Z", "2026-01-02T12:00:00Z"] {
        let result = biorhythm_of(date(1985, 6, 20), now);
        let prompts: Vec<String> = Level::all().map(|level| biorhythm::witness_prompt(&result, level)).collect();
        for (i, prompt) in prompts.iter().enumerate() {
            assert!(prompts[i + 1..].iter().all(|other| other != prompt), "level {i} repeats another level");
            assert!(prompt.ends_with('?'), "level {i} asks a question: {prompt}");
            let specific = ["14,80", "%", "physical", "emotional", "intellectual", "intuitive", "critical"];
            assert!(specific.iter().any(|s| prompt.contains(s)), "level {i} says nothing of this result: {prompt}");
        }
        let again: Vec<String> = Level::all().map(|level| biorhythm::witness_prompt(&result, level)).collect();
        assert_eq!(prompts, again);
    }
}

/// The definition, independently: day d is within one day of a crossing at k·P/2.
fn near_crossing(cycle: Cycle, d: u32) -> bool {
    let half = f64::from(cycle.period_days()) / 2.0;
    let k = (f64::from(d) / half).round();
    [k - 1.0, k, k + 1.0].iter().any(|k| (f64::from(d) - k * half).abs() <= 1.0)
}

fn formula(cycle: Cycle, d: u32) -> f64 {
    (TAU * f64::from(d % cycle.period_days()) / f64::from(cycle.period_days())).sin()
}

const ZONES: [&str; 6] =
    ["UTC", "Asia/Kolkata", "America/New_York", "Pacific/Kiritimati", "-09:30", "Australia/Lord_Howe"];

proptest! {
    #[test]
    fn cycles_keep_to_the_definitions(
        born_days in 0i64..40_000,
        lived_seconds in 0i64..(120 * 365 * 86_400),
        zone in prop::sample::select(&ZONES[..]),
        forecast_days in 1u16..=60,
    ) {
        let born = date(1900, 1, 1).checked_add(jiff::Span::new().days(born_days)).expect("in range");
        let now = Timestamp::from_second(Zone::parse("UTC").expect("UTC").day_bounds(born).0.as_second() + lived_seconds).expect("in range");
        let request = CalculationInput {
            birth: Some(birth(born, Some(zone))),
            now,
            location: None,
            options: serde_json::from_value(json!({"forecast_days": forecast_days})).expect("object"),
        };
        let Ok(result) = biorhythm::calculate(&request) else {
            // Only when the birth zone's date of `now` is still before the birth date.
            prop_assert!(lived_seconds < 86_400);
            return Ok(());
        };
        let d = result.days_alive;
        for (cycle, reading) in result.cycles.iter() {
            let p = cycle.period_days();
            prop_assert!((-1.0..=1.0).contains(&reading.value));
            prop_assert!((reading.value - formula(cycle, d)).abs() < 1e-12);
            prop_assert!((reading.percent - 100.0 * reading.value).abs() <= 0.05 + 1e-9);
            prop_assert!(reading.days_to_peak < p);
            let peak_value = formula(cycle, d + reading.days_to_peak);
            prop_assert!((0..p).all(|r| formula(cycle, r) <= peak_value + 1e-12), "{:?} peak", cycle);
            prop_assert!((0..reading.days_to_peak).all(|k| formula(cycle, d + k) < peak_value - 1e-12));
            prop_assert_eq!(reading.critical, near_crossing(cycle, d));
            prop_assert!(near_crossing(cycle, d + reading.days_to_critical));
            prop_assert!((0..reading.days_to_critical).all(|k| !near_crossing(cycle, d + k)));
        }
        prop_assert_eq!(result.critical, Cycle::PRIMARY.iter().any(|&c| near_crossing(c, d)));
        prop_assert_eq!(result.forecast.len(), usize::from(forecast_days));
        let mut listed = result.critical_days.iter();
        for (offset, day) in (0u32..).zip(&result.forecast) {
            prop_assert_eq!(day.days_alive, d + offset);
            prop_assert!((day.physical - formula(Cycle::Physical, d + offset)).abs() < 1e-12);
            prop_assert!((day.intuitive - formula(Cycle::Intuitive, d + offset)).abs() < 1e-12);
            let crossing: Vec<Cycle> = Cycle::PRIMARY.into_iter().filter(|&c| near_crossing(c, d + offset)).collect();
            prop_assert_eq!(day.critical, !crossing.is_empty());
            if day.critical {
                let entry = listed.next().expect("every critical day is listed");
                prop_assert_eq!((entry.date, entry.days_from_target, &entry.cycles), (day.date, offset, &crossing));
            }
        }
        prop_assert!(listed.next().is_none());
    }

    #[test]
    fn the_result_holds_for_the_whole_quarter_hour(
        lived_seconds in 0i64..(60 * 365 * 86_400),
        zone in prop::sample::select(&ZONES[..]),
    ) {
        let born = date(1970, 1, 1);
        let now = Timestamp::from_second(lived_seconds).expect("in range");
        let bucket = Timestamp::from_second(lived_seconds - lived_seconds.rem_euclid(900)).expect("in range");
        let at = |now| biorhythm::calculate(&CalculationInput {
            birth: Some(birth(born, Some(zone))), now, location: None, options: Options::new(),
        });
        prop_assert_eq!(at(now).ok(), at(bucket).ok());
    }
}
