//! The engines API as a client meets it: one request shape for every engine, every bad field named,
//! one envelope, one error type, and a cache key that depends on what was asked and nothing else.

use std::collections::BTreeSet;

use jiff::Timestamp;
use noesis_core::engines::hashing::InputHash;
use noesis_core::engines::registry::{self, Module};
use noesis_core::engines::request::{NAME_MAX_CHARS, OPTIONS_MAX_BYTES, OPTIONS_MAX_KEYS, RequestError, parse_request};
use noesis_core::engines::{
    ApiError, CalculationInput, Engine, EngineError, EngineMeta, FieldError, InputSpec, Level, Prepared, ProblemCode,
    ServedBy, TimeGranularity,
};
use proptest::prelude::*;
use serde_json::{Value, json};

// ---------------------------------------------------------------------------------------------
// Helpers

fn now() -> Timestamp {
    "2026-11-25T07:31:12Z".parse().unwrap()
}

fn level(n: u8) -> Level {
    Level::new(n).unwrap()
}

/// The request of DESIGN §2, with every field.
fn full_request() -> Value {
    json!({
        "birth_data": {"name": "Asha Rao", "date": "1991-08-13", "time": "13:31", "timezone": "Asia/Kolkata",
                       "latitude": 12.9716, "longitude": 77.5946},
        "current_time": "2026-11-25T07:30:00Z",
        "location": {"latitude": 12.9716, "longitude": 77.5946, "timezone": "Asia/Kolkata"},
        "options": {}
    })
}

fn parse(body: &Value) -> Result<CalculationInput, RequestError> {
    parse_request(body.to_string().as_bytes(), now())
}

/// The fields a refused body names, in order.
fn refused_fields(body: &Value) -> Vec<String> {
    match parse(body) {
        Err(RequestError::Invalid(errors)) => errors.into_iter().map(|e| e.field).collect(),
        other => panic!("expected field errors for {body}, got {other:?}"),
    }
}

/// The one error a body is refused with, for `field`.
fn refusal(body: &Value, field: &str) -> String {
    match parse(body) {
        Err(RequestError::Invalid(errors)) => {
            let messages: Vec<&FieldError> = errors.iter().filter(|e| e.field == field).collect();
            assert_eq!(messages.len(), 1, "{body}: {errors:?}");
            messages[0].message.clone()
        }
        other => panic!("expected field errors for {body}, got {other:?}"),
    }
}

fn with_birth(field: &str, value: Value) -> Value {
    let mut body = full_request();
    body["birth_data"][field] = value;
    body
}

/// A test engine at level 2 that reports the instant it was given, in 15-minute buckets.
#[derive(serde::Serialize)]
struct ClockResult {
    now: Timestamp,
    name: Option<String>,
    birth_instant: Option<Timestamp>,
}

const CLOCK_META: EngineMeta = EngineMeta {
    id: "test-clock",
    name: "Test clock",
    description: "Says back the instant it was given.",
    required_level: match Level::new(2) {
        Some(level) => level,
        None => Level::MIN,
    },
    version: "9.9.9",
    inputs: &[InputSpec { field: "current_time", required: false, description: "the instant said back" }],
    time_granularity: TimeGranularity::Seconds(900),
};

fn clock_calculate(input: &CalculationInput) -> Result<ClockResult, EngineError> {
    if let Some(unknown) = input.options.keys().next() {
        return Err(FieldError::new(format!("options.{unknown}"), "unknown option").into());
    }
    let birth = input.birth.as_ref();
    Ok(ClockResult {
        now: input.now,
        name: birth.and_then(|b| b.name.clone()),
        birth_instant: birth.and_then(|b| b.instant),
    })
}

fn clock_prompt(result: &ClockResult, level: Level) -> String {
    format!("At {} (level {}), who is noticing the time?", result.now, level.get())
}

static CLOCK: Module<ClockResult> =
    Module { meta: &CLOCK_META, calculate: clock_calculate, witness_prompt: clock_prompt };

fn run_clock(body: &Value, level_n: u8) -> Result<Value, ApiError> {
    let input = parse_request(body.to_string().as_bytes(), now())?;
    let prepared = Prepared::new(&CLOCK, input, level(level_n))?;
    let response = prepared.run(ServedBy::Edge)?;
    Ok(serde_json::to_value(response).unwrap())
}

/// What DESIGN §2 says each engine needs, and the test options a full request needs for it.
const DESIGN_LEVELS: [(&str, u8); 9] = [
    ("numerology", 0),
    ("biorhythm", 0),
    ("panchanga", 0),
    ("vedic-clock", 0),
    ("human-design", 1),
    ("biofield", 1),
    ("face-reading", 1),
    ("gene-keys", 2),
    ("vimshottari", 2),
];

/// A full request that `engine` should answer: the DESIGN example plus any options it requires.
fn full_request_for(engine: &dyn Engine) -> Value {
    let mut body = full_request();
    if engine.meta().id == "face-reading" {
        body["options"] = face_landmarks();
    }
    body
}

/// Face landmarks in the named form (normalised image coordinates of a plausible frontal face).
fn face_landmarks() -> Value {
    json!({"landmarks": {
        "forehead_top": [0.5, 0.1], "brow_center": [0.5, 0.3], "nose_base": [0.5, 0.55], "chin": [0.5, 0.9],
        "right_cheekbone": [0.2, 0.45], "left_cheekbone": [0.8, 0.45], "right_jaw": [0.27, 0.75],
        "left_jaw": [0.73, 0.75], "right_forehead": [0.3, 0.2], "left_forehead": [0.7, 0.2], "nose_tip": [0.5, 0.5]
    }})
}

// ---------------------------------------------------------------------------------------------
// Parsing: what a good request becomes

#[test]
fn the_design_example_parses_into_checked_values() {
    let input = parse(&full_request()).unwrap();
    let birth = input.birth.unwrap();
    assert_eq!(birth.name.as_deref(), Some("Asha Rao"));
    assert_eq!(birth.date.to_string(), "1991-08-13");
    assert_eq!(birth.time.map(|t| t.to_string()).as_deref(), Some("13:31:00"));
    assert_eq!(birth.zone.as_ref().map(|z| z.name()), Some("Asia/Kolkata"));
    assert_eq!(birth.instant.map(|t| t.to_string()).as_deref(), Some("1991-08-13T08:01:00Z"));
    let place = birth.place.unwrap();
    assert_eq!((place.latitude_deg(), place.longitude_deg()), (12.9716, 77.5946));
    assert_eq!(input.now.to_string(), "2026-11-25T07:30:00Z");
    let location = input.location.unwrap();
    assert_eq!(location.zone.map(|z| z.name().to_owned()).as_deref(), Some("Asia/Kolkata"));
    assert!(input.options.is_empty());
}

#[test]
fn an_empty_request_is_valid_and_current_time_defaults_to_now() {
    let input = parse(&json!({})).unwrap();
    assert_eq!((input.birth, input.location, input.now), (None, None, now()));
}

#[test]
fn null_means_the_same_as_absent() {
    let body = json!({"birth_data": {"date": "1991-08-13", "time": null, "name": null}, "current_time": null,
                      "location": null, "options": null});
    let input = parse(&body).unwrap();
    assert_eq!(input.now, now());
    let birth = input.birth.unwrap();
    assert_eq!((birth.time, birth.name, birth.instant), (None, None, None));
}

#[test]
fn seconds_are_optional_in_the_birth_time() {
    let input = parse(&with_birth("time", json!("13:31:45"))).unwrap();
    assert_eq!(input.birth.unwrap().instant.unwrap().to_string(), "1991-08-13T08:01:45Z");
}

#[test]
fn a_fixed_offset_is_a_zone() {
    let input = parse(&with_birth("timezone", json!("+0530"))).unwrap();
    let birth = input.birth.unwrap();
    assert_eq!(birth.zone.unwrap().name(), "+05:30");
    assert_eq!(birth.instant.unwrap().to_string(), "1991-08-13T08:01:00Z");
}

#[test]
fn current_time_takes_any_offset() {
    let mut body = full_request();
    body["current_time"] = json!("2026-11-25T13:00:00.5+05:30");
    assert_eq!(parse(&body).unwrap().now.to_string(), "2026-11-25T07:30:00.5Z");
}

#[test]
fn the_name_is_trimmed_and_may_be_200_characters() {
    let name = "é".repeat(NAME_MAX_CHARS);
    let input = parse(&with_birth("name", json!(format!("  {name}\u{3000}")))).unwrap();
    assert_eq!(input.birth.unwrap().name, Some(name));
}

#[test]
fn fold_is_taken_out_of_the_options_engines_see() {
    let mut body = full_request();
    body["options"] = json!({"fold": "later", "forecast_days": 3});
    let input = parse(&body).unwrap();
    assert_eq!(input.options, json!({"forecast_days": 3}).as_object().unwrap().clone());
}

// ---------------------------------------------------------------------------------------------
// Parsing: every bad field named, at once

#[test]
fn every_bad_field_is_named_at_once() {
    let body = json!({
        "birth_data": {"name": 7, "date": "13/08/1991", "time": "1:31 PM", "timezone": "Mars/Olympus",
                       "latitude": 91, "longitude": "77.5"},
        "current_time": "tomorrow",
        "location": {"latitude": 0, "timezone": "+25:00"},
        "options": [],
        "colour": "blue"
    });
    assert_eq!(
        refused_fields(&body),
        [
            "colour",
            "birth_data.name",
            "birth_data.date",
            "birth_data.time",
            "birth_data.timezone",
            "birth_data.latitude",
            "birth_data.longitude",
            "current_time",
            "location.timezone",
            "location.longitude",
            "options",
        ]
    );
}

#[test]
fn unknown_fields_are_refused_at_every_level() {
    let body = json!({
        "birth_data": {"date": "1991-08-13", "place": "Bengaluru"},
        "location": {"lat": 12.9},
        "current_time": "2026-11-25T07:30:00Z",
        "key": "nk_live_…"
    });
    assert_eq!(refused_fields(&body), ["key", "birth_data.place", "location.lat"]);
    let message = refusal(&body, "birth_data.place");
    assert!(message.contains("unknown field") && message.contains("latitude"), "{message}");
}

#[test]
fn a_body_that_is_not_an_object_is_refused_as_a_whole() {
    for body in [json!([]), json!("birth"), json!(1)] {
        let message = refusal(&body, "");
        assert!(message.contains("expected an object"), "{message}");
    }
}

#[test]
fn malformed_json_is_its_own_error_and_says_where() {
    for body in [&b""[..], b"{", b"{\"birth_data\": }", b"{} {}", b"\xff", b"{\"options\": {}, \"options\": {}}"] {
        match parse_request(body, now()) {
            Err(RequestError::MalformedJson(message)) => assert!(message.contains("line"), "{message}"),
            other => panic!("{body:?}: {other:?}"),
        }
    }
    let err = ApiError::from(parse_request(b"{", now()).unwrap_err());
    assert_eq!((err.code, err.code.status()), (ProblemCode::MalformedJson, 400));
}

#[test]
fn birth_date_must_be_iso_and_exist() {
    for bad in ["1991-8-13", "13-08-1991", "1991/08/13", "19910813", "1991-08-13T00:00:00Z", ""] {
        let message = refusal(&with_birth("date", json!(bad)), "birth_data.date");
        assert!(message.contains("YYYY-MM-DD"), "{bad}: {message}");
    }
    let message = refusal(&with_birth("date", json!("2023-02-29")), "birth_data.date");
    assert!(message.contains("not a date"), "{message}");
}

#[test]
fn birth_date_is_within_the_validated_ephemeris_years_and_says_why() {
    assert!(parse(&with_birth("date", json!("1800-01-01"))).is_ok());
    assert!(parse(&with_birth("date", json!("2200-12-31"))).is_ok());
    for bad in ["1799-12-31", "2201-01-01", "0001-01-01"] {
        let message = refusal(&with_birth("date", json!(bad)), "birth_data.date");
        assert!(message.contains("1800 to 2200") && message.contains("ephemeris"), "{message}");
    }
}

#[test]
fn birth_date_is_required_with_birth_data() {
    let message = refusal(&json!({"birth_data": {"time": "13:31"}}), "birth_data.date");
    assert!(message.contains("required"), "{message}");
}

#[test]
fn birth_time_is_hh_mm_or_hh_mm_ss() {
    for bad in ["1:31", "13.31", "13:31:00.5", "1:31 PM", "133100", "T13:31"] {
        let message = refusal(&with_birth("time", json!(bad)), "birth_data.time");
        assert!(message.contains("HH:MM"), "{bad}: {message}");
    }
    for bad in ["24:00", "13:60", "13:31:60"] {
        let message = refusal(&with_birth("time", json!(bad)), "birth_data.time");
        assert!(message.contains("not a time of day"), "{bad}: {message}");
    }
}

#[test]
fn timezone_is_an_iana_name_or_an_offset() {
    let message = refusal(&with_birth("timezone", json!("Asia/Bangalore")), "birth_data.timezone");
    assert!(message.contains("IANA"), "{message}");
    let message = refusal(&with_birth("timezone", json!("+19:00")), "birth_data.timezone");
    assert!(message.contains("18:00"), "{message}");
}

#[test]
fn coordinates_are_in_range() {
    let message = refusal(&with_birth("latitude", json!(90.5)), "birth_data.latitude");
    assert!(message.contains("-90 to 90"), "{message}");
    let message = refusal(&with_birth("longitude", json!(-180.01)), "birth_data.longitude");
    assert!(message.contains("-180 to 180"), "{message}");
    let message = refusal(&with_birth("latitude", json!("12.97")), "birth_data.latitude");
    assert!(message.contains("got a string"), "{message}");
}

#[test]
fn latitude_and_longitude_come_together_or_not_at_all() {
    let mut body = full_request();
    body["birth_data"].as_object_mut().unwrap().remove("longitude");
    body["location"].as_object_mut().unwrap().remove("latitude");
    assert_eq!(refused_fields(&body), ["birth_data.longitude", "location.latitude"]);
    let message = refusal(&body, "birth_data.longitude");
    assert!(message.contains("both"), "{message}");
}

#[test]
fn the_name_is_bounded_and_plain() {
    let message = refusal(&with_birth("name", json!("a".repeat(NAME_MAX_CHARS + 1))), "birth_data.name");
    assert!(message.contains("200"), "{message}");
    let message = refusal(&with_birth("name", json!("Asha\nRao")), "birth_data.name");
    assert!(message.contains("control"), "{message}");
}

#[test]
fn current_time_is_rfc3339_with_an_offset_within_the_validated_years() {
    for bad in ["2026-11-25T07:30:00", "2026-11-25", "2026-11-25T07:30Z", "now", "1764055800"] {
        let mut body = full_request();
        body["current_time"] = json!(bad);
        let message = refusal(&body, "current_time");
        assert!(message.contains("RFC 3339"), "{bad}: {message}");
    }
    let mut body = full_request();
    body["current_time"] = json!("2201-01-01T00:00:00Z");
    assert!(refusal(&body, "current_time").contains("1800 to 2200"));
}

#[test]
fn options_are_bounded_in_keys_and_size() {
    let mut body = full_request();
    let many: serde_json::Map<String, Value> = (0..=OPTIONS_MAX_KEYS).map(|i| (format!("k{i}"), json!(i))).collect();
    body["options"] = Value::Object(many);
    assert!(refusal(&body, "options").contains("at most 32"));

    body["options"] = json!({"blob": "x".repeat(OPTIONS_MAX_BYTES)});
    assert!(refusal(&body, "options").contains("bytes"));
}

#[test]
fn fold_must_be_earlier_or_later() {
    let mut body = full_request();
    body["options"] = json!({"fold": "first"});
    assert!(refusal(&body, "options.fold").contains("\"earlier\" or \"later\""));
}

// ---------------------------------------------------------------------------------------------
// Daylight saving: gaps and folds

fn new_york_birth(date: &str, time: &str, fold: Option<&str>) -> Value {
    let mut body = json!({"birth_data": {"date": date, "time": time, "timezone": "America/New_York"}});
    if let Some(fold) = fold {
        body["options"] = json!({"fold": fold});
    }
    body
}

fn birth_instant(body: &Value) -> String {
    parse(body).unwrap().birth.unwrap().instant.unwrap().to_string()
}

#[test]
fn a_birth_time_the_clocks_skipped_is_refused_naming_the_time_and_fold() {
    let body = new_york_birth("2021-03-14", "02:30", None);
    let message = refusal(&body, "birth_data.time");
    assert!(message.contains("does not exist") && message.contains("fold"), "{message}");
    let err = ApiError::from(parse(&body).unwrap_err());
    assert_eq!((err.code.as_str(), err.code.status()), ("VALIDATION_ERROR", 422));
}

#[test]
fn fold_chooses_the_instant_of_a_skipped_time() {
    assert_eq!(birth_instant(&new_york_birth("2021-03-14", "02:30", Some("earlier"))), "2021-03-14T06:30:00Z");
    assert_eq!(birth_instant(&new_york_birth("2021-03-14", "02:30", Some("later"))), "2021-03-14T07:30:00Z");
}

#[test]
fn a_birth_time_that_happened_twice_is_refused_unless_fold_says_which() {
    let message = refusal(&new_york_birth("2021-11-07", "01:30", None), "birth_data.time");
    assert!(message.contains("ambiguous") && message.contains("fold"), "{message}");
    assert_eq!(birth_instant(&new_york_birth("2021-11-07", "01:30", Some("earlier"))), "2021-11-07T05:30:00Z");
    assert_eq!(birth_instant(&new_york_birth("2021-11-07", "01:30", Some("later"))), "2021-11-07T06:30:00Z");
}

#[test]
fn fold_changes_nothing_for_an_ordinary_time() {
    let plain = parse(&new_york_birth("2021-07-01", "12:00", None)).unwrap();
    let folded = parse(&new_york_birth("2021-07-01", "12:00", Some("later"))).unwrap();
    assert_eq!(plain, folded);
    assert_eq!(InputHash::of(&plain, TimeGranularity::Timeless), InputHash::of(&folded, TimeGranularity::Timeless));
}

// ---------------------------------------------------------------------------------------------
// The pipeline: engine lookup, level gate, envelope

#[test]
fn an_unknown_engine_is_engine_not_found() {
    let err = registry::calculate("astrology", b"{}", Level::MAX, now(), ServedBy::Edge).unwrap_err();
    let problem = serde_json::to_value(err.to_problem(Some("req-7"))).unwrap();
    assert_eq!(problem["status"], 404);
    assert_eq!(problem["code"], "ENGINE_NOT_FOUND");
    assert_eq!(problem["title"], "Not Found");
    assert_eq!(problem["type"], "https://tryambakam.space/problems/engine-not-found");
    assert_eq!(problem["request_id"], "req-7");
    assert_eq!(problem["errors"], json!([]));
    assert!(problem["detail"].as_str().unwrap().contains("astrology"));
}

#[test]
fn a_key_below_the_engines_level_gets_level_required_with_the_level() {
    let err = run_clock(&full_request(), 1).unwrap_err();
    let problem = serde_json::to_value(err.to_problem(None)).unwrap();
    assert_eq!(problem["status"], 403);
    assert_eq!(problem["code"], "LEVEL_REQUIRED");
    assert_eq!(problem["required_level"], 2);
    assert!(problem["detail"].as_str().unwrap().contains("level 2"), "{problem}");
    assert!(run_clock(&full_request(), 2).is_ok());
    assert!(run_clock(&full_request(), 5).is_ok());
}

#[test]
fn registered_engines_gate_on_their_level_before_reading_the_body() {
    for engine in registry::all().iter().filter(|e| e.meta().required_level > Level::MIN) {
        let meta = engine.meta();
        let below = level(meta.required_level.get() - 1);
        let err = registry::calculate(meta.id, b"not json", below, now(), ServedBy::Edge).unwrap_err();
        assert_eq!(err.code, ProblemCode::LevelRequired, "{}", meta.id);
        assert_eq!(err.required_level, Some(meta.required_level));
    }
}

#[test]
fn the_envelope_has_the_shape_of_the_design() {
    let response = run_clock(&full_request(), 3).unwrap();
    let keys: BTreeSet<&str> = response.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        BTreeSet::from(["engine_id", "engine_version", "result", "witness_prompt", "consciousness_level", "metadata"])
    );
    assert_eq!(response["engine_id"], "test-clock");
    assert_eq!(response["engine_version"], "9.9.9");
    assert_eq!(response["consciousness_level"], 3);
    let metadata = &response["metadata"];
    let keys: BTreeSet<&str> = metadata.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        BTreeSet::from(["input_hash", "calculation_time_ms", "cached", "served_by", "ephemeris", "ayanamsa"])
    );
    assert_eq!(metadata["cached"], false);
    assert_eq!(metadata["served_by"], "edge");
    assert_eq!(metadata["ayanamsa"], "lahiri");
    assert_eq!(metadata["calculation_time_ms"], 0.0);
    let hash = metadata["input_hash"].as_str().unwrap();
    assert!(hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()), "{hash}");
}

#[test]
fn the_caller_fills_in_the_calculation_time() {
    let input = parse(&full_request()).unwrap();
    let response = Prepared::new(&CLOCK, input, level(2)).unwrap().run(ServedBy::Origin).unwrap();
    let timed = response.with_calculation_time_ms(0.21);
    assert_eq!(timed.metadata.calculation_time_ms, 0.21);
    assert_eq!(serde_json::to_value(&timed).unwrap()["metadata"]["served_by"], "origin");
}

#[test]
fn engine_validation_errors_become_validation_error_naming_the_field() {
    let mut body = full_request();
    body["options"] = json!({"colour": "blue"});
    let err = run_clock(&body, 2).unwrap_err();
    assert_eq!((err.code, err.code.status()), (ProblemCode::ValidationError, 422));
    assert_eq!(err.errors, [FieldError::new("options.colour", "unknown option")]);
}

#[test]
fn current_time_is_rounded_down_to_the_engines_bucket() {
    let mut body = full_request();
    body["current_time"] = json!("2026-11-25T07:44:59Z");
    let input = parse(&body).unwrap();
    let prepared = Prepared::new(&CLOCK, input, level(2)).unwrap();
    assert_eq!(prepared.input().now.to_string(), "2026-11-25T07:30:00Z");
    assert_eq!(prepared.valid_until().map(|t| t.to_string()).as_deref(), Some("2026-11-25T07:45:00Z"));
    assert_eq!(run_clock(&body, 2).unwrap()["result"]["now"], "2026-11-25T07:30:00Z");
}

#[test]
fn requests_in_one_bucket_share_a_hash_and_an_answer_and_the_next_bucket_does_not() {
    let at = |t: &str| {
        let mut body = full_request();
        body["current_time"] = json!(t);
        run_clock(&body, 2).unwrap()
    };
    let a = at("2026-11-25T07:30:00Z");
    let b = at("2026-11-25T07:44:59.999Z");
    let c = at("2026-11-25T07:45:00Z");
    assert_eq!(a, b);
    assert_ne!(a["metadata"]["input_hash"], c["metadata"]["input_hash"]);
}

#[test]
fn the_cache_key_names_engine_version_level_and_input() {
    let input = parse(&full_request()).unwrap();
    let at_2 = Prepared::new(&CLOCK, input.clone(), level(2)).unwrap();
    let at_3 = Prepared::new(&CLOCK, input, level(3)).unwrap();
    let key = at_2.cache_key().to_string();
    assert_eq!(key, format!("test-clock/9.9.9/2/{}", at_2.cache_key().input_hash));
    assert_ne!(at_2.cache_key(), at_3.cache_key());
    assert_eq!(at_2.cache_key().input_hash, at_3.cache_key().input_hash);
}

#[test]
fn reordering_the_request_changes_neither_hash_nor_answer() {
    let forwards = r#"{"birth_data": {"name": "Asha Rao", "date": "1991-08-13", "time": "13:31",
        "timezone": "Asia/Kolkata", "latitude": 12.9716, "longitude": 77.5946},
        "current_time": "2026-11-25T07:30:00Z", "options": {}}"#;
    let backwards = r#"{"options":{},"current_time":"2026-11-25T07:30:00Z","birth_data":{"longitude":77.5946,
        "latitude":12.9716,"timezone":"Asia/Kolkata","time":"13:31:00","date":"1991-08-13","name":"Asha Rao"}}"#;
    let run = |body: &str| {
        let input = parse_request(body.as_bytes(), now()).unwrap();
        Prepared::new(&CLOCK, input, level(2)).unwrap().run(ServedBy::Edge).unwrap()
    };
    assert_eq!(run(forwards), run(backwards));
    for engine in registry::all() {
        let id = engine.meta().id;
        let calculate = |body: &str| registry::calculate(id, body.as_bytes(), Level::MAX, now(), ServedBy::Edge);
        match (calculate(forwards), calculate(backwards)) {
            (Ok(a), Ok(b)) => assert_eq!(a, b, "{id}"),
            (Err(a), Err(b)) => assert_eq!(a, b, "{id}"),
            (a, b) => panic!("{id}: {a:?} against {b:?}"),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Every registered engine

#[test]
fn all_nine_engines_of_the_design_are_registered() {
    let registered: BTreeSet<&str> = registry::all().iter().map(|engine| engine.meta().id).collect();
    let design: BTreeSet<&str> = DESIGN_LEVELS.iter().map(|(id, _)| *id).collect();
    assert_eq!(registered, design);
}

#[test]
fn registered_engines_have_unique_ids_and_the_levels_of_the_design() {
    let mut seen = BTreeSet::new();
    for engine in registry::all() {
        let meta = engine.meta();
        assert!(seen.insert(meta.id), "{} registered twice", meta.id);
        let design = DESIGN_LEVELS.iter().find(|(id, _)| *id == meta.id);
        assert_eq!(design.map(|(_, level)| *level), Some(meta.required_level.get()), "{}", meta.id);
        assert!(registry::find(meta.id).is_some_and(|found| std::ptr::eq(found.meta(), meta)));
        let parts: Vec<&str> = meta.version.split('.').collect();
        assert!(parts.len() == 3 && parts.iter().all(|p| p.parse::<u32>().is_ok()), "{}: {}", meta.id, meta.version);
        for input in meta.inputs {
            let head = input.field.split('.').next().unwrap_or_default();
            assert!(["birth_data", "current_time", "location", "options"].contains(&head), "{}", input.field);
        }
    }
}

#[test]
fn every_registered_engine_answers_a_full_request_in_the_envelope() {
    for engine in registry::all() {
        let meta = engine.meta();
        let body = full_request_for(*engine).to_string();
        let response = registry::calculate(meta.id, body.as_bytes(), meta.required_level, now(), ServedBy::Origin)
            .unwrap_or_else(|err| panic!("{}: {err} {:?}", meta.id, err.errors));
        assert_eq!((response.engine_id.as_str(), response.engine_version.as_str()), (meta.id, meta.version));
        assert_eq!(response.consciousness_level, meta.required_level);
        assert!(response.result.is_object(), "{}: result is {}", meta.id, response.result);
        assert!(!response.witness_prompt.trim().is_empty(), "{}", meta.id);
        let json = serde_json::to_value(&response).unwrap();
        assert_eq!(json["metadata"]["served_by"], "origin");
        assert_eq!(json["metadata"]["input_hash"].as_str().map(str::len), Some(64));
    }
}

#[test]
fn every_registered_engine_words_its_witness_prompt_differently_for_each_level() {
    for engine in registry::all() {
        let meta = engine.meta();
        let body = full_request_for(*engine).to_string();
        let prompts: Vec<String> = Level::all()
            .filter(|level| *level >= meta.required_level)
            .map(|level| registry::calculate(meta.id, body.as_bytes(), level, now(), ServedBy::Edge).unwrap())
            .map(|response| response.witness_prompt)
            .collect();
        let distinct: BTreeSet<&String> = prompts.iter().collect();
        assert_eq!(distinct.len(), prompts.len(), "{}: {prompts:#?}", meta.id);
    }
}

#[test]
fn every_registered_engine_refuses_unknown_options_by_name() {
    for engine in registry::all() {
        let meta = engine.meta();
        let mut body = full_request_for(*engine);
        body["options"]["no_such_option"] = json!(1);
        let err = registry::calculate(meta.id, body.to_string().as_bytes(), Level::MAX, now(), ServedBy::Edge)
            .expect_err(meta.id);
        assert_eq!(err.code, ProblemCode::ValidationError, "{}", meta.id);
        assert!(err.errors.iter().any(|e| e.field == "options.no_such_option"), "{}: {:?}", meta.id, err.errors);
    }
}

/// An empty request lacks what every engine but a purely time-based one needs: the refusal names
/// fields the engine documents in its `inputs` (or the object they belong in, such as
/// `birth_data` when there is none), so a client can look up what to send.
#[test]
fn every_registered_engine_names_documented_fields_when_they_are_missing() {
    for engine in registry::all() {
        let meta = engine.meta();
        let names_an_input = |field: &str| {
            meta.inputs.iter().any(|input| {
                input.field == field || input.field.strip_prefix(field).is_some_and(|rest| rest.starts_with('.'))
            })
        };
        let required: Vec<&str> = meta.inputs.iter().filter(|i| i.required).map(|i| i.field).collect();
        match registry::calculate(meta.id, b"{}", Level::MAX, now(), ServedBy::Edge) {
            Ok(_) => {
                // Only `current_time` (which defaults to now) can be required of an engine that
                // answers an empty request.
                assert!(required.iter().all(|field| *field == "current_time"), "{}: requires {required:?}", meta.id);
            }
            Err(err) => {
                assert_eq!(err.code, ProblemCode::ValidationError, "{}", meta.id);
                assert!(!err.errors.is_empty(), "{}: {}", meta.id, err.detail);
                for error in &err.errors {
                    assert!(names_an_input(&error.field), "{}: names {}, not among its inputs", meta.id, error.field);
                }
            }
        }
    }
}

#[test]
fn timeless_engines_really_ignore_current_time() {
    for engine in registry::all().iter().filter(|e| e.meta().time_granularity == TimeGranularity::Timeless) {
        let meta = engine.meta();
        let at = |t: &str| {
            let mut body = full_request_for(*engine);
            body["current_time"] = json!(t);
            registry::calculate(meta.id, body.to_string().as_bytes(), Level::MAX, now(), ServedBy::Edge).unwrap()
        };
        assert_eq!(at("2026-11-25T07:30:00Z"), at("1901-02-03T04:05:06Z"), "{}", meta.id);
    }
}

// ---------------------------------------------------------------------------------------------
// Errors

#[test]
fn every_problem_code_has_the_status_of_the_design() {
    let design = [
        ("MALFORMED_JSON", 400),
        ("UNAUTHORIZED", 401),
        ("KEY_REVOKED", 401),
        ("KEY_EXPIRED", 401),
        ("FORBIDDEN", 403),
        ("LEVEL_REQUIRED", 403),
        ("ENGINE_NOT_FOUND", 404),
        ("WORKFLOW_NOT_FOUND", 404),
        ("NOT_FOUND", 404),
        ("METHOD_NOT_ALLOWED", 405),
        ("CONFLICT", 409),
        ("PAYLOAD_TOO_LARGE", 413),
        ("UNSUPPORTED_MEDIA_TYPE", 415),
        ("VALIDATION_ERROR", 422),
        ("RATE_LIMITED", 429),
        ("INTERNAL", 500),
        ("ORIGIN_UNAVAILABLE", 503),
        ("DB_UNAVAILABLE", 503),
    ];
    let ours: Vec<(&str, u16)> = ProblemCode::ALL.iter().map(|code| (code.as_str(), code.status())).collect();
    assert_eq!(ours, design);
    for code in ProblemCode::ALL {
        assert_eq!(serde_json::to_value(code).unwrap(), code.as_str());
    }
}

#[test]
fn a_validation_problem_lists_every_field_with_its_message() {
    let body = json!({"birth_data": {"date": "1991-02-30", "time": "25:00"}});
    let err = ApiError::from(parse(&body).unwrap_err());
    let problem = serde_json::to_value(err.to_problem(Some("abc"))).unwrap();
    assert_eq!(problem["status"], 422);
    assert_eq!(problem["title"], "Unprocessable Content");
    assert_eq!(problem["detail"], "2 fields of the request are not valid; see errors.");
    let fields: Vec<&str> =
        problem["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["birth_data.date", "birth_data.time"]);
    assert!(problem.get("required_level").is_none());
}

// ---------------------------------------------------------------------------------------------
// docs/engines.md's table is the registry's

const TABLE_BEGIN: &str = "<!-- engine-table:begin (generated by core/tests/engine_framework.rs) -->";
const TABLE_END: &str = "<!-- engine-table:end -->";

fn engine_table() -> String {
    let mut table = String::from(
        "| Engine | Id | Level | Requires | Also reads | `current_time` granularity | Version |\n\
         |---|---|---|---|---|---|---|\n",
    );
    for engine in registry::all() {
        let meta = engine.meta();
        let fields = |required: bool| {
            let fields: Vec<String> =
                meta.inputs.iter().filter(|i| i.required == required).map(|i| format!("`{}`", i.field)).collect();
            if fields.is_empty() { "–".to_owned() } else { fields.join(", ") }
        };
        let granularity = match meta.time_granularity {
            TimeGranularity::Timeless => "timeless".to_owned(),
            TimeGranularity::Seconds(s) if s % 86_400 == 0 => format!("{s} s ({} d)", s / 86_400),
            TimeGranularity::Seconds(s) if s % 3600 == 0 => format!("{s} s ({} h)", s / 3600),
            TimeGranularity::Seconds(s) if s % 60 == 0 => format!("{s} s ({} min)", s / 60),
            TimeGranularity::Seconds(s) => format!("{s} s"),
        };
        table.push_str(&format!(
            "| {} | `{}` | {} | {} | {} | {} | {} |\n",
            meta.name,
            meta.id,
            meta.required_level.get(),
            fields(true),
            fields(false),
            granularity,
            meta.version
        ));
    }
    table
}

/// Set `NOESIS_BLESS=1` to rewrite the table in docs/engines.md from the registry.
#[test]
fn the_engine_table_in_the_docs_is_the_registrys() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/engines.md");
    let doc = std::fs::read_to_string(&path).unwrap();
    let (Some(begin), Some(end)) = (doc.find(TABLE_BEGIN), doc.find(TABLE_END)) else {
        panic!("docs/engines.md lacks the markers {TABLE_BEGIN} … {TABLE_END}");
    };
    let current = doc[begin + TABLE_BEGIN.len()..end].trim();
    let expected = engine_table();
    if current != expected.trim() {
        if std::env::var_os("NOESIS_BLESS").is_some() {
            let updated = format!("{}{TABLE_BEGIN}\n{expected}{}", &doc[..begin], &doc[end..]);
            std::fs::write(&path, updated).unwrap();
        } else {
            panic!("docs/engines.md's engine table is stale; run with NOESIS_BLESS=1 to rewrite it as:\n{expected}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Property tests: the hash depends on what was asked and nothing else

/// The next number of a small deterministic generator (Knuth's MMIX LCG).
fn next(seed: &mut u64) -> usize {
    *seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
    (*seed >> 33) as usize
}

/// Writes `value` as JSON with object keys in an order drawn from `seed` and random whitespace.
fn write_scrambled(value: &Value, seed: &mut u64, out: &mut String) {
    let space = [" ", "", "\n  ", "\t", ""];
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            for i in (1..entries.len()).rev() {
                let j = next(seed) % (i + 1);
                entries.swap(i, j);
            }
            out.push('{');
            for (i, (key, item)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(space[next(seed) % space.len()]);
                out.push_str(&Value::from(key.as_str()).to_string());
                out.push_str(space[next(seed) % space.len()]);
                out.push(':');
                out.push_str(space[next(seed) % space.len()]);
                write_scrambled(item, seed, out);
            }
            out.push_str(space[next(seed) % space.len()]);
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_scrambled(item, seed, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

fn hash_of(body: &str, granularity: TimeGranularity) -> InputHash {
    InputHash::of(&parse_request(body.as_bytes(), now()).unwrap(), granularity)
}

prop_compose! {
    fn arb_request()(
        name in proptest::option::of("[A-Za-z][A-Za-z ]{0,20}[a-z]"),
        (year, month, day) in (1800i32..=2200, 1u32..=12, 1u32..=28),
        time in proptest::option::of((0u32..24, 0u32..60, proptest::option::of(0u32..60))),
        zone in proptest::option::of(prop_oneof![Just("Asia/Kolkata"), Just("+05:30"), Just("UTC"), Just("Europe/Paris")]),
        place in proptest::option::of((-90.0f64..=90.0, -180.0f64..=180.0)),
        current in proptest::option::of(0i64..4_000_000_000),
        location_zone in proptest::option::of(Just("Asia/Tokyo")),
        options in proptest::collection::btree_map("[a-z]{1,6}", prop_oneof![
            any::<i32>().prop_map(Value::from),
            any::<bool>().prop_map(Value::from),
            "[a-z]{0,5}".prop_map(Value::from),
            (-1e6f64..1e6).prop_map(Value::from),
        ], 0..5),
    ) -> Value {
        let mut birth = json!({"date": format!("{year:04}-{month:02}-{day:02}")});
        if let Some(name) = name { birth["name"] = json!(name); }
        if let Some((h, m, s)) = time {
            birth["time"] = json!(match s { Some(s) => format!("{h:02}:{m:02}:{s:02}"), None => format!("{h:02}:{m:02}") });
        }
        if let Some(zone) = zone { birth["timezone"] = json!(zone); }
        if let Some((lat, lon)) = place { birth["latitude"] = json!(lat); birth["longitude"] = json!(lon); }
        let mut body = json!({"birth_data": birth, "options": options});
        if let Some(secs) = current {
            body["current_time"] = json!(Timestamp::from_second(secs).unwrap().to_string());
        }
        if let Some(zone) = location_zone { body["location"] = json!({"timezone": zone}); }
        // Gaps and folds are another test's business; here every birth time resolves.
        body["options"]["fold"] = json!("earlier");
        body
    }
}

proptest! {
    #[test]
    fn the_hash_ignores_key_order_and_whitespace(body in arb_request(), seed in any::<u64>()) {
        let mut seed = seed;
        let mut scrambled = String::new();
        write_scrambled(&body, &mut seed, &mut scrambled);
        for granularity in [TimeGranularity::Timeless, TimeGranularity::Seconds(60)] {
            prop_assert_eq!(hash_of(&body.to_string(), granularity), hash_of(&scrambled, granularity));
        }
    }

    #[test]
    fn the_hash_changes_with_any_field(body in arb_request(), which in 0usize..9) {
        let mut changed = body.clone();
        let birth = &mut changed["birth_data"];
        match which {
            0 => birth["name"] = json!(format!("{}x", birth["name"].as_str().unwrap_or(""))),
            1 => {
                let date = birth["date"].as_str().unwrap().to_owned();
                let day: u32 = date[8..].parse().unwrap();
                birth["date"] = json!(format!("{}{:02}", &date[..8], day % 28 + 1));
            }
            2 => birth["time"] = json!(if birth["time"] == "00:00:01" { "00:00:02" } else { "00:00:01" }),
            3 => birth["timezone"] = json!(if birth["timezone"] == "America/Lima" { "Africa/Lagos" } else { "America/Lima" }),
            4 => {
                let lat = birth["latitude"].as_f64().map_or(1.0, |lat| if lat > 0.0 { lat / 2.0 } else { lat / 2.0 + 1.0 });
                birth["latitude"] = json!(lat);
                birth["longitude"] = json!(birth["longitude"].as_f64().unwrap_or(0.0));
            }
            5 => changed["location"] = json!({"timezone": if changed["location"]["timezone"] == "Asia/Tokyo" { "Asia/Seoul" } else { "Asia/Tokyo" }}),
            6 => changed["options"]["zz_added"] = json!(true),
            7 => changed["options"]["fold"] = json!(null),
            _ => changed["current_time"] = json!("2100-01-01T00:00:00Z"),
        }
        let before = hash_of(&body.to_string(), TimeGranularity::Seconds(60));
        if which == 7 {
            // Dropping `fold` changes nothing where there was nothing to choose (elsewhere the
            // request is refused instead).
            if let Ok(input) = parse_request(changed.to_string().as_bytes(), now()) {
                prop_assert_eq!(before, InputHash::of(&input, TimeGranularity::Seconds(60)));
            }
        } else {
            prop_assert_ne!(before, hash_of(&changed.to_string(), TimeGranularity::Seconds(60)));
        }
    }
}

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_filter("finite", |x| x.is_finite()).prop_map(Value::from),
        ".{0,12}".prop_map(Value::from),
        prop_oneof![Just("1991-08-13"), Just("13:31"), Just("Asia/Kolkata"), Just("2026-11-25T07:30:00Z")]
            .prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::btree_map("[a-z_]{1,10}", inner, 0..4)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

proptest! {
    #[test]
    fn any_bytes_are_answered_without_a_panic(body in proptest::collection::vec(any::<u8>(), 0..256)) {
        let _ = parse_request(&body, now());
    }

    #[test]
    fn any_value_in_any_field_is_parsed_or_named(
        path in prop_oneof![
            Just(vec!["birth_data"]), Just(vec!["birth_data", "name"]), Just(vec!["birth_data", "date"]),
            Just(vec!["birth_data", "time"]), Just(vec!["birth_data", "timezone"]),
            Just(vec!["birth_data", "latitude"]), Just(vec!["birth_data", "longitude"]), Just(vec!["current_time"]),
            Just(vec!["location"]), Just(vec!["location", "latitude"]), Just(vec!["location", "timezone"]),
            Just(vec!["options"]), Just(vec!["options", "fold"]),
        ],
        value in arb_json(),
    ) {
        let mut body = full_request();
        let mut slot = &mut body;
        for key in &path {
            slot = &mut slot[*key];
        }
        *slot = value;
        if let Err(RequestError::Invalid(errors)) = parse(&body) {
            let field = path.join(".");
            prop_assert!(!errors.is_empty());
            // Every error is about the field that changed or something inside it, or about a field
            // it pairs with (a lone latitude makes the longitude missing; a date makes the time
            // unresolvable).
            for error in &errors {
                let related = error.field.starts_with(&field)
                    || field.ends_with("latitude") && error.field.ends_with("longitude")
                    || field.ends_with("longitude") && error.field.ends_with("latitude")
                    || error.field == "birth_data.time";
                prop_assert!(related, "{} changed, {} named: {}", field, error.field, error.message);
            }
        }
    }
}
