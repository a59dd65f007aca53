//! The biofield engine against its contract in ENGINES.md: a chakra profile from the natal chart
//! and today's transits by documented rules, measured values blended in only when sent, the same
//! answer every time, `inputs_used` telling what shaped it, and errors that name the field.

use jiff::civil::{date, time};
use noesis_core::engines::biofield::{self, Aspect, ChakraName, ChakraProfile, Dignity, HouseSystem, Measurement};
use noesis_core::engines::{BirthData, CalculationInput, EngineError, Level, Options, TimeGranularity};
use noesis_core::ephemeris::Body;
use noesis_core::ephemeris::rise_set::GeoPoint;
use noesis_core::time::zone::{Zone, resolve_local};
use proptest::prelude::*;
use serde_json::{Value, json};

fn bengaluru_birth(with_place: bool) -> BirthData {
    let zone = Zone::parse("Asia/Kolkata").expect("zone");
    let instant = resolve_local(date(1991, 8, 13), time(13, 31, 0, 0), &zone, None).expect("instant");
    BirthData {
        name: None,
        date: date(1991, 8, 13),
        time: Some(time(13, 31, 0, 0)),
        zone: Some(zone),
        place: with_place.then(|| GeoPoint::new(12.9716, 77.5946).expect("place")),
        instant: Some(instant),
    }
}

fn input(birth: Option<BirthData>, options: Value) -> CalculationInput {
    let options = match options {
        Value::Object(map) => map,
        _ => Options::new(),
    };
    CalculationInput { birth, now: "2026-01-01T00:00:00Z".parse().expect("now"), location: None, options }
}

fn profile(with_place: bool, options: Value) -> ChakraProfile {
    biofield::calculate(&input(Some(bengaluru_birth(with_place)), options)).expect("a profile")
}

fn error_fields(err: EngineError) -> Vec<String> {
    match err {
        EngineError::Validation(errors) => errors.into_iter().map(|e| e.field).collect(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

#[test]
fn seven_chakras_root_to_crown_each_with_its_ruler() {
    let p = profile(true, json!({}));
    let names: Vec<ChakraName> = p.chakras.iter().map(|c| c.name).collect();
    assert_eq!(
        names,
        [
            ChakraName::Muladhara,
            ChakraName::Svadhisthana,
            ChakraName::Manipura,
            ChakraName::Anahata,
            ChakraName::Vishuddha,
            ChakraName::Ajna,
            ChakraName::Sahasrara
        ]
    );
    let rulers: Vec<Body> = p.chakras.iter().map(|c| c.ruler).collect();
    assert_eq!(rulers, [Body::Saturn, Body::Jupiter, Body::Mars, Body::Venus, Body::Mercury, Body::Moon, Body::Sun]);
    assert_eq!(p.zodiac, "tropical");
}

#[test]
fn the_natal_chart_is_the_ephemeris_at_birth() {
    let p = profile(true, json!({}));
    // ENGINES.md: the Sun at 140.0935° on 1991-08-13 08:01 UTC, in Leo, its own sign.
    let sun = p.natal.iter().find(|b| b.body == Body::Sun).expect("sun");
    assert!((sun.longitude_deg - 140.0935).abs() < 0.0005);
    assert_eq!((sun.sign, sun.dignity), ("Leo", Some(Dignity::Domicile)));
    // Saturn at 302.25° (Swiss Ephemeris): Aquarius, its own sign.
    let saturn = p.natal.iter().find(|b| b.body == Body::Saturn).expect("saturn");
    assert_eq!((saturn.sign, saturn.dignity), ("Aquarius", Some(Dignity::Domicile)));
    assert!(saturn.retrograde);
    assert_eq!(p.natal.iter().find(|b| b.body == Body::Pluto).expect("pluto").dignity, None);
    // The Ascendant in early Sagittarius gives whole-sign houses from Sagittarius: the Sun in Leo
    // is in the 9th.
    assert_eq!(p.house_system, Some(HouseSystem::WholeSign));
    assert!(p.ascendant_deg.is_some_and(|a| (240.0..250.0).contains(&a)));
    assert_eq!(sun.house, Some(9));
}

/// Every chakra's chart score is 50 plus its factors, and the factors are exactly what the
/// documented rules give for the chart facts the result lists.
#[test]
fn scores_follow_the_documented_rules_from_the_listed_chart_facts() {
    let p = profile(true, json!({}));
    for chakra in &p.chakras {
        let sum: f64 = chakra.factors.iter().map(|f| f.points).sum();
        assert_eq!(50.0 + sum, chakra.chart_score, "{:?}", chakra.name);
        assert_eq!(chakra.score, chakra.chart_score);
        assert!(chakra.measured.is_none());

        // Recompute from the placements and aspects in the result.
        let ruler = p.natal.iter().find(|b| b.body == chakra.ruler).expect("ruler");
        let mut expected = match ruler.dignity.expect("classical") {
            Dignity::Domicile => 15.0,
            Dignity::Exaltation => 10.0,
            Dignity::Peregrine => 0.0,
            Dignity::Detriment => -10.0,
            Dignity::Fall => -15.0,
        };
        let natal_aspects: f64 = p
            .natal_aspects
            .iter()
            .filter(|a| a.first == chakra.ruler || a.second == chakra.ruler)
            .map(|a| match a.aspect {
                Aspect::Trine => 5.0,
                Aspect::Sextile => 3.0,
                Aspect::Conjunction => 2.0,
                Aspect::Square | Aspect::Opposition => -4.0,
            })
            .sum();
        expected += natal_aspects.clamp(-20.0, 20.0);
        let n = p.natal.iter().filter(|b| b.house.is_some_and(|h| chakra.houses.contains(&h))).count() as f64;
        expected += (6.0 * n - 5.0 * chakra.houses.len() as f64).clamp(-15.0, 15.0);
        let now = p.transits.iter().find(|b| b.body == chakra.ruler).expect("ruler now");
        expected += match now.dignity.expect("classical") {
            Dignity::Domicile => 5.0,
            Dignity::Exaltation => 4.0,
            Dignity::Peregrine => 0.0,
            Dignity::Detriment => -4.0,
            Dignity::Fall => -5.0,
        };
        let transit_aspects: f64 = p
            .transit_aspects
            .iter()
            .filter(|a| a.second == chakra.ruler)
            .map(|a| match a.aspect {
                Aspect::Trine => 3.0,
                Aspect::Sextile | Aspect::Conjunction => 2.0,
                Aspect::Square | Aspect::Opposition => -3.0,
            })
            .sum();
        expected += transit_aspects.clamp(-10.0, 10.0);
        assert_eq!(chakra.chart_score, (50.0 + expected).clamp(0.0, 100.0), "{:?}", chakra.name);
    }
    let max = p.chakras.iter().map(|c| c.score).fold(f64::MIN, f64::max);
    let min = p.chakras.iter().map(|c| c.score).fold(f64::MAX, f64::min);
    assert_eq!(p.chakras.iter().find(|c| c.name == p.strongest).expect("strongest").score, max);
    assert_eq!(p.chakras.iter().find(|c| c.name == p.quietest).expect("quietest").score, min);
}

#[test]
fn aspects_are_within_their_documented_orbs() {
    let p = profile(true, json!({}));
    for a in &p.natal_aspects {
        let orb = match a.aspect {
            Aspect::Conjunction | Aspect::Opposition => 8.0,
            Aspect::Square | Aspect::Trine => 7.0,
            Aspect::Sextile => 5.0,
        };
        assert!(a.orb_deg <= orb, "{a:?}");
    }
    for a in &p.transit_aspects {
        assert!(a.orb_deg <= if a.aspect == Aspect::Sextile { 2.0 } else { 3.0 }, "{a:?}");
    }
}

#[test]
fn factors_name_the_chart_facts() {
    let p = profile(true, json!({}));
    let root = &p.chakras[0];
    assert!(root.factors.iter().any(|f| f.rule == "natal_dignity" && f.detail == "natal Saturn in Aquarius: domicile"));
    assert!(root.factors.iter().any(|f| f.rule == "houses" && f.detail.contains("houses 2 and 4")));
    assert!(root.factors.iter().any(|f| f.rule == "transit_dignity" && f.detail.starts_with("Saturn now in")));
}

#[test]
fn measurements_are_blended_by_the_documented_rule_and_listed() {
    let chart = profile(true, json!({}));
    let measured = profile(
        true,
        json!({"measurements": {"hrv_rmssd_ms": 120, "respiration_rate_bpm": 18, "self_rated_energy": 10}}),
    );
    // Indices: RMSSD 120 ms → 100, 18 breaths/min → 50, energy 10 → 100.
    let indices: Vec<(Measurement, f64)> = measured.measurements.iter().map(|m| (m.measurement, m.index)).collect();
    assert_eq!(
        indices,
        [
            (Measurement::HrvRmssdMs, 100.0),
            (Measurement::RespirationRateBpm, 50.0),
            (Measurement::SelfRatedEnergy, 100.0)
        ]
    );
    let extra = [30.0, 30.0, 30.0, 22.5, 15.0];
    for (i, (a, b)) in chart.chakras.iter().zip(&measured.chakras).enumerate() {
        assert_eq!(a.chart_score, b.chart_score);
        if i < 5 {
            let expected = ((0.7 * a.chart_score + extra[i]) * 10.0).round() / 10.0;
            assert_eq!(b.score, expected, "{:?}", b.name);
            assert!(b.measured.is_some());
        } else {
            // Ajna and Sahasrara take no measurement.
            assert_eq!(b.score, a.score);
            assert!(b.measured.is_none());
        }
    }
    for field in [
        "options.measurements.hrv_rmssd_ms",
        "options.measurements.respiration_rate_bpm",
        "options.measurements.self_rated_energy",
    ] {
        assert!(measured.inputs_used.iter().any(|f| f == field), "{field}");
    }
}

#[test]
fn inputs_used_without_a_place_or_measurements() {
    let p = profile(false, json!({}));
    assert_eq!(p.inputs_used, ["birth_data.date", "birth_data.time", "birth_data.timezone", "current_time"]);
    let skipped: Vec<&str> = p.inputs_skipped.iter().map(|s| s.field).collect();
    assert_eq!(skipped, ["birth_data.latitude", "birth_data.longitude", "options.measurements"]);
    assert_eq!((p.ascendant_deg, p.house_system), (None, None));
    assert!(p.natal.iter().all(|b| b.house.is_none()));
    assert!(p.chakras.iter().all(|c| c.factors.iter().all(|f| f.rule != "houses")));

    let with = profile(true, json!({"house_system": "equal", "measurements": {"self_rated_energy": 4}}));
    assert_eq!(
        with.inputs_used,
        [
            "birth_data.date",
            "birth_data.time",
            "birth_data.timezone",
            "birth_data.latitude",
            "birth_data.longitude",
            "options.house_system",
            "current_time",
            "options.measurements.self_rated_energy"
        ]
    );
    assert!(with.inputs_skipped.is_empty());
    assert_eq!(with.house_system, Some(HouseSystem::Equal));
}

#[test]
fn the_same_input_gives_the_same_answer() {
    let options = json!({"measurements": {"hrv_rmssd_ms": 33.3}});
    let a = profile(true, options.clone());
    let b = profile(true, options);
    assert_eq!(a, b);
    assert_eq!(serde_json::to_string(&a).expect("json"), serde_json::to_string(&b).expect("json"));
}

#[test]
fn missing_birth_fields_are_named() {
    let mut birth = bengaluru_birth(true);
    birth.time = None;
    birth.instant = None;
    let err = biofield::calculate(&input(Some(birth), json!({}))).expect_err("refused");
    assert_eq!(error_fields(err), ["birth_data.time"]);
    let err = biofield::calculate(&input(None, json!({}))).expect_err("refused");
    assert_eq!(error_fields(err), ["birth_data"]);
}

#[test]
fn bad_options_are_named() {
    let cases = [
        (json!({"measurements": {"hrv_rmssd_ms": 1000}}), "options.measurements.hrv_rmssd_ms"),
        (json!({"measurements": {"respiration_rate_bpm": 2}}), "options.measurements.respiration_rate_bpm"),
        (json!({"measurements": {"self_rated_energy": 11}}), "options.measurements.self_rated_energy"),
        (json!({"measurements": {"self_rated_energy": 6.5}}), "options.measurements.self_rated_energy"),
        (json!({"measurements": {"aura_brightness": 9}}), "options.measurements.aura_brightness"),
        (json!({"measurements": 42}), "options.measurements"),
        (json!({"house_system": "placidus"}), "options.house_system"),
        (json!({"chakra_count": 12}), "options.chakra_count"),
    ];
    for (options, field) in cases {
        let err = biofield::calculate(&input(Some(bengaluru_birth(true)), options)).expect_err(field);
        assert_eq!(error_fields(err), [field]);
    }
}

#[test]
fn meta_matches_the_contract() {
    assert_eq!(biofield::META.id, "biofield");
    assert_eq!(biofield::META.required_level, Level::new(1).expect("level"));
    assert_eq!(biofield::META.time_granularity, TimeGranularity::Seconds(3600));
    let required: Vec<_> = biofield::META.inputs.iter().filter(|i| i.required).map(|i| i.field).collect();
    assert_eq!(required, ["birth_data.date", "birth_data.time", "birth_data.timezone"]);
}

#[test]
fn witness_prompts_differ_across_levels_and_name_the_profile() {
    let p = profile(true, json!({}));
    let prompts: Vec<String> = Level::all().map(|l| biofield::witness_prompt(&p, l)).collect();
    for (i, a) in prompts.iter().enumerate() {
        for b in &prompts[i + 1..] {
            assert_ne!(a, b);
        }
    }
    let quiet = format!("{:?}", p.quietest);
    let strong = format!("{:?}", p.strongest);
    assert!(prompts.iter().all(|s| s.contains(&quiet) || s.contains(&strong)), "{prompts:#?}");
    for level in Level::all() {
        assert_eq!(biofield::witness_prompt(&p, level), biofield::witness_prompt(&p, level));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Any birth, place, transit time and measurement set gives scores within 0-100 that are 50
    /// plus their factors, blended only where a measurement touches.
    #[test]
    fn scores_stay_within_the_scale(
        birth_s in -2_000_000_000i64..3_000_000_000i64,
        now_s in -2_000_000_000i64..3_000_000_000i64,
        latitude in -89.0f64..89.0,
        longitude in -180.0f64..180.0,
        hrv in proptest::option::of(5.0f64..=300.0),
        energy in proptest::option::of(1u8..=10),
    ) {
        let instant = jiff::Timestamp::from_second(birth_s).expect("ts");
        let zone = Zone::parse("UTC").expect("zone");
        let local = zone.to_local(instant);
        let birth = BirthData {
            name: None,
            date: local.date(),
            time: Some(local.time()),
            zone: Some(zone),
            place: Some(GeoPoint::new(latitude, longitude).expect("place")),
            instant: Some(instant),
        };
        let mut measurements = serde_json::Map::new();
        if let Some(h) = hrv { measurements.insert("hrv_rmssd_ms".into(), json!(h)); }
        if let Some(e) = energy { measurements.insert("self_rated_energy".into(), json!(e)); }
        let options = json!({"measurements": measurements}).as_object().cloned().expect("object");
        let input = CalculationInput {
            birth: Some(birth),
            now: jiff::Timestamp::from_second(now_s).expect("ts"),
            location: None,
            options,
        };
        let p = biofield::calculate(&input).expect("a profile");
        for c in &p.chakras {
            prop_assert!((0.0..=100.0).contains(&c.score) && (0.0..=100.0).contains(&c.chart_score));
            prop_assert_eq!(50.0 + c.factors.iter().map(|f| f.points).sum::<f64>(), c.chart_score);
            if c.measured.is_none() {
                prop_assert_eq!(c.score, c.chart_score);
            }
        }
        prop_assert!(p.ascendant_deg.is_some_and(|a| (0.0..360.0).contains(&a)));
    }
}
