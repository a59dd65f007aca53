//! The panchanga engine against its contract (shared/ENGINES.md): the public check values, the
//! rules as properties at random instants, an independent reimplementation of the limbs, the
//! errors a caller sees, and the witness prompts.

use jiff::civil::{Date, date};
use jiff::{SignedDuration, Timestamp};
use noesis_core::engines::panchanga::{self, At, Panchanga};
use noesis_core::engines::{BirthData, CalculationInput, EngineError, Level, Location, Options, TimeGranularity};
use noesis_core::ephemeris::rise_set::{GeoPoint, sun_rise_set};
use noesis_core::ephemeris::{Body, Sky};
use noesis_core::time::Moment;
use noesis_core::time::zone::{Zone, resolve_local};
use proptest::prelude::*;
use serde_json::json;

fn bengaluru() -> GeoPoint {
    GeoPoint::new(12.9716, 77.5946).expect("valid place")
}

fn zone(name: &str) -> Zone {
    Zone::parse(name).expect("valid zone")
}

fn birth(local: &str, zone_name: &str, place: GeoPoint) -> CalculationInput {
    let z = zone(zone_name);
    let civil: jiff::civil::DateTime = local.parse().expect("civil date and time");
    let instant = resolve_local(civil.date(), civil.time(), &z, None).expect("a unique instant");
    CalculationInput {
        birth: Some(BirthData {
            name: None,
            date: civil.date(),
            time: Some(civil.time()),
            zone: Some(z),
            place: Some(place),
            instant: Some(instant),
        }),
        now: "2030-01-01T00:00:00Z".parse().expect("instant"),
        location: None,
        options: Options::new(),
    }
}

fn now_at(instant: Timestamp, place: GeoPoint, zone_name: Option<&str>) -> CalculationInput {
    CalculationInput {
        birth: None,
        now: instant,
        location: Some(Location { place: Some(place), zone: zone_name.map(zone) }),
        options: Options::new(),
    }
}

fn calculate(input: &CalculationInput) -> Panchanga {
    panchanga::calculate(input).expect("a panchanga")
}

fn local_hms(ts: Timestamp, zone_name: &str) -> String {
    zone(zone_name).to_local(ts).strftime("%H:%M:%S").to_string()
}

fn tithi_label(p: &Panchanga) -> String {
    format!("{} {}", p.tithi.paksha, p.tithi.name)
}

fn field_errors(result: Result<Panchanga, EngineError>) -> Vec<String> {
    match result {
        Err(EngineError::Validation(errors)) => errors.into_iter().map(|e| e.field).collect(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

// The public check values.

#[test]
fn birth_1991_08_13_1331_ist_is_shukla_chaturthi_in_uttara_phalguni() {
    let p = calculate(&birth("1991-08-13T13:31", "+05:30", bengaluru()));
    assert_eq!(tithi_label(&p), "Shukla Chaturthi");
    assert_eq!((p.nakshatra.name, p.nakshatra.pada), ("Uttara Phalguni", 4));
    assert_eq!(p.yoga.name, "Siddha");
    assert_eq!(p.karana.name, "Vishti");
    assert!((p.moon_longitude - 159.806).abs() < 0.0005, "Moon {}", p.moon_longitude);
    assert!((p.sun_longitude - 116.349).abs() < 0.0005, "Sun {}", p.sun_longitude);
    assert_eq!(p.nakshatra.lord, "Sun");
    assert_eq!(p.instant.to_string(), "1991-08-13T08:01:00Z");
}

#[test]
fn now_2026_03_10_1241_ist_is_krishna_saptami_in_anuradha() {
    let instant = "2026-03-10T12:41:00+05:30".parse().expect("instant");
    let p = calculate(&now_at(instant, bengaluru(), Some("+05:30")));
    assert_eq!(tithi_label(&p), "Krishna Saptami");
    assert_eq!((p.nakshatra.name, p.nakshatra.pada), ("Anuradha", 4));
    assert_eq!(p.yoga.name, "Vajra");
    assert_eq!(p.karana.name, "Bava");
}

/// ENGINES.md puts the Vishti → Bava change at 12:40:35 IST. The JPL-based Swiss Ephemeris (2.10.03,
/// DE431 files) puts the elongation's 258° at 12:40:36.11 with our ΔT (69.79 s) and at 12:40:37.03
/// with its own (68.88 s); our ephemeris gives 12:40:36.26, so the first whole second of Bava is
/// 12:40:37. SE's analytic fallback (Moshier, used when its data files are missing) gives
/// 12:40:35.48, which is where the published value comes from. The test pins our second and holds
/// the published one to the 2 s that separate the two ephemerides.
#[test]
fn vishti_gives_way_to_bava_at_12_40_35_ist_on_2026_03_10() {
    let before = "2026-03-10T12:40:00+05:30".parse().expect("instant");
    let p = calculate(&now_at(before, bengaluru(), Some("+05:30")));
    assert_eq!(p.karana.name, "Vishti");
    assert_eq!(local_hms(p.karana.ends_at, "+05:30"), "12:40:37");
    let published: Timestamp = "2026-03-10T12:40:35+05:30".parse().expect("instant");
    assert!((p.karana.ends_at - published).abs() <= SignedDuration::from_secs(2), "{}", p.karana.ends_at);
    // The Bava karana that follows is the one in force at 12:41.
    let after = calculate(&now_at(p.karana.ends_at, bengaluru(), Some("+05:30")));
    assert_eq!(after.karana.name, "Bava");
    let a_second_earlier =
        calculate(&now_at(p.karana.ends_at - SignedDuration::from_secs(1), bengaluru(), Some("+05:30")));
    assert_eq!(a_second_earlier.karana.name, "Vishti");
}

#[test]
fn noon_utc_on_2000_01_01_is_krishna_ekadashi_in_swati() {
    let instant = "2000-01-01T12:00:00Z".parse().expect("instant");
    let p = calculate(&now_at(instant, GeoPoint::new(51.4779, -0.0015).expect("Greenwich"), Some("UTC")));
    assert_eq!(tithi_label(&p), "Krishna Ekadashi");
    assert_eq!((p.nakshatra.name, p.nakshatra.pada), ("Swati", 4));
    assert_eq!(p.yoga.name, "Dhriti");
    assert_eq!(p.karana.name, "Bava");
    assert!((p.ayanamsa - 23.857).abs() < 0.0005, "mean ayanamsa {}", p.ayanamsa);
    assert!(p.ayanamsa_true_deg < p.ayanamsa, "the nutation in longitude was negative then");
    // Swiss Ephemeris (2.10.03, DE431 files) has the elongation reach 312° at 07:49:46.73 UT on the
    // 2nd: the first whole second of Dwadashi is 07:49:47.
    assert_eq!(p.tithi.ends_at.to_string(), "2000-01-02T07:49:47Z");
}

/// End times against Swiss Ephemeris 2.10.03 (DE431 files, its own ΔT), solved to the millisecond
/// for the same angles: ours are the first whole second of the next limb, so they fall within a
/// second after SE's, give or take the ΔT the two use (up to a second near 2026 and 2150).
#[test]
fn end_times_agree_with_swiss_ephemeris_within_two_seconds() {
    let cases = [
        ("1991-08-13T08:01:00Z", ["1991-08-13T16:34:03.191Z", "1991-08-13T08:21:17.361Z", "1991-08-13T14:17:53.990Z"]),
        ("2026-03-10T07:11:00Z", ["2026-03-10T20:24:49.223Z", "2026-03-10T13:35:20.390Z", "2026-03-11T03:42:14.194Z"]),
        ("1850-06-01T00:00:00Z", ["1850-06-01T12:39:00.996Z", "1850-06-02T00:25:05.196Z", "1850-06-01T07:01:52.139Z"]),
        ("2150-01-01T18:00:00Z", ["2150-01-02T05:57:00.120Z", "2150-01-02T08:54:23.316Z", "2150-01-02T04:20:47.501Z"]),
    ];
    for (instant, [tithi, nakshatra, yoga]) in cases {
        let limbs = panchanga::limbs(instant.parse().expect("instant")).expect("limbs");
        for (ours, theirs) in
            [(limbs.tithi.ends_at, tithi), (limbs.nakshatra.ends_at, nakshatra), (limbs.yoga.ends_at, yoga)]
        {
            let theirs: Timestamp = theirs.parse().expect("instant");
            assert!((ours - theirs).abs() <= SignedDuration::from_secs(2), "{instant}: {ours} against SE {theirs}");
        }
    }
}

// The vara, sunrise and options.at.

#[test]
fn before_sunrise_the_vara_is_still_yesterdays() {
    // 2024-03-20 was a Wednesday; sunrise in Bengaluru came at 06:23:41 IST.
    let early =
        calculate(&now_at("2024-03-20T05:30:00+05:30".parse().expect("instant"), bengaluru(), Some("Asia/Kolkata")));
    assert_eq!((early.vara.index, early.vara.name, early.vara.lord), (2, "Mangalavara", "Mars"));
    let late =
        calculate(&now_at("2024-03-20T06:30:00+05:30".parse().expect("instant"), bengaluru(), Some("Asia/Kolkata")));
    assert_eq!((late.vara.index, late.vara.name, late.vara.lord), (3, "Budhavara", "Mercury"));
    let sunrise = late.sunrise.expect("a sunrise");
    assert_eq!(local_hms(sunrise, "Asia/Kolkata"), "06:23:41");
    assert_eq!(early.next_sunrise, Some(sunrise));
    let (sunset, next) = (late.sunset.expect("a sunset"), late.next_sunrise.expect("a next sunrise"));
    assert!(sunrise < sunset && sunset < next);
    assert!(late.moonrise.is_some());
}

#[test]
fn at_sunrise_gives_the_day_as_it_stood_at_local_sunrise() {
    let mut input = now_at("2024-03-20T15:00:00+05:30".parse().expect("instant"), bengaluru(), Some("Asia/Kolkata"));
    input.options = json!({"at": "sunrise"}).as_object().cloned().expect("object");
    let p = calculate(&input);
    assert_eq!(p.at, At::Sunrise);
    assert_eq!(Some(p.instant), p.sunrise);
    assert_eq!(local_hms(p.instant, "Asia/Kolkata"), "06:23:41");
    assert_eq!(p.vara.name, "Budhavara");
    let at_that_moment = calculate(&now_at(p.instant, bengaluru(), Some("Asia/Kolkata")));
    assert_eq!(
        (p.tithi.index, p.nakshatra.index, p.yoga.index),
        (at_that_moment.tithi.index, at_that_moment.nakshatra.index, at_that_moment.yoga.index)
    );
}

#[test]
fn polar_day_is_an_answer_with_the_civil_weekday_and_a_note() {
    let tromso = GeoPoint::new(69.6492, 18.9553).expect("Tromsø");
    let p = calculate(&now_at("2024-06-21T12:00:00Z".parse().expect("instant"), tromso, Some("Europe/Oslo")));
    assert_eq!((p.sunrise, p.sunset), (None, None));
    assert_eq!(p.vara.name, "Shukravara", "2024-06-21 was a Friday");
    assert!(p.notes.iter().any(|n| n.contains("polar day")), "{:?}", p.notes);
}

#[test]
fn without_a_timezone_the_local_mean_time_is_used_and_said() {
    let p = calculate(&now_at("2024-03-20T06:30:00+05:30".parse().expect("instant"), bengaluru(), None));
    assert_eq!(p.timezone, "+05:10:23");
    assert_eq!(p.local_time, "2024-03-20T06:10:23");
    assert!(p.notes.iter().any(|n| n.contains("local mean time")));
}

// Errors name the fields.

#[test]
fn without_birth_data_or_a_place_the_missing_fields_are_named() {
    let input = CalculationInput {
        birth: None,
        now: "2026-01-01T00:00:00Z".parse().expect("instant"),
        location: Some(Location { place: None, zone: Some(zone("Asia/Kolkata")) }),
        options: Options::new(),
    };
    assert_eq!(field_errors(panchanga::calculate(&input)), ["location.latitude", "location.longitude"]);
}

#[test]
fn a_birth_without_time_or_place_names_each_missing_field() {
    let input = CalculationInput {
        birth: Some(BirthData {
            name: None,
            date: date(1991, 8, 13),
            time: None,
            zone: Some(zone("Asia/Kolkata")),
            place: None,
            instant: None,
        }),
        now: "2026-01-01T00:00:00Z".parse().expect("instant"),
        location: None,
        options: Options::new(),
    };
    assert_eq!(
        field_errors(panchanga::calculate(&input)),
        ["birth_data.time", "birth_data.latitude", "birth_data.longitude"]
    );
}

#[test]
fn unknown_and_malformed_options_are_refused_by_name() {
    let mut input = birth("1991-08-13T13:31", "+05:30", bengaluru());
    input.options = json!({"at": "dusk"}).as_object().cloned().expect("object");
    assert_eq!(field_errors(panchanga::calculate(&input)), ["options.at"]);
    input.options = json!({"ayanamsa": "raman"}).as_object().cloned().expect("object");
    assert_eq!(field_errors(panchanga::calculate(&input)), ["options.ayanamsa"]);
}

#[test]
fn instants_beyond_the_ephemeris_are_refused() {
    let far = calculate_err(now_at("3500-01-01T00:00:00Z".parse().expect("instant"), bengaluru(), Some("UTC")));
    assert!(matches!(far, EngineError::Ephemeris(_)), "{far:?}");
}

fn calculate_err(input: CalculationInput) -> EngineError {
    match panchanga::calculate(&input) {
        Err(e) => e,
        Ok(p) => panic!("expected an error, got {p:?}"),
    }
}

#[test]
fn meta_declares_level_0_and_minute_granularity() {
    assert_eq!(panchanga::META.id, "panchanga");
    assert_eq!(panchanga::META.required_level, Level::MIN);
    assert_eq!(panchanga::META.time_granularity, TimeGranularity::Seconds(60));
    assert!(panchanga::META.inputs.iter().any(|i| i.field == "options.at"));
}

#[test]
fn the_result_serialises_with_the_contract_field_names() {
    let p = calculate(&birth("1991-08-13T13:31", "Asia/Kolkata", bengaluru()));
    let value = serde_json::to_value(&p).expect("json");
    for key in [
        "tithi",
        "nakshatra",
        "yoga",
        "karana",
        "vara",
        "sunrise",
        "sunset",
        "moonrise",
        "sun_longitude",
        "moon_longitude",
        "ayanamsa",
    ] {
        assert!(value.get(key).is_some(), "missing {key}");
    }
    for (limb, keys) in [
        ("tithi", &["index", "name", "paksha", "ends_at"][..]),
        ("nakshatra", &["index", "name", "pada", "lord", "ends_at"]),
        ("yoga", &["index", "name", "ends_at"]),
        ("karana", &["name", "ends_at"]),
        ("vara", &["index", "name"]),
    ] {
        for key in keys {
            assert!(value[limb].get(*key).is_some(), "missing {limb}.{key}");
        }
    }
    let ends_at = value["tithi"]["ends_at"].as_str().expect("a string");
    assert!(ends_at.ends_with('Z'), "{ends_at}");
}

// Witness prompts.

#[test]
fn witness_prompts_differ_by_level_name_the_day_and_repeat_exactly() {
    let p = calculate(&birth("1991-08-13T13:31", "Asia/Kolkata", bengaluru()));
    let prompts: Vec<String> = Level::all().map(|level| panchanga::witness_prompt(&p, level)).collect();
    for (i, a) in prompts.iter().enumerate() {
        for b in &prompts[i + 1..] {
            assert_ne!(a, b);
        }
    }
    let specifics = [p.tithi.name, p.nakshatra.name, p.yoga.name, p.karana.name, p.vara.name, p.nakshatra.lord];
    for prompt in &prompts {
        assert!(
            specifics.iter().any(|s| prompt.contains(s)) || prompt.contains(&format!("{:.1}", p.sun_longitude)),
            "{prompt}"
        );
    }
    let again: Vec<String> = Level::all().map(|level| panchanga::witness_prompt(&p, level)).collect();
    assert_eq!(prompts, again);
}

// Properties at random instants and places.

/// The limbs straight from the rules and the ephemeris, without the engine: (tithi, nakshatra,
/// pada, yoga, karana slot).
fn limbs_from_the_rules(ts: Timestamp) -> (u8, u8, u8, u8, u8) {
    let sky = Sky::at(&Moment::from_timestamp(ts)).expect("in range");
    let ayanamsa = sky.ayanamsa().true_deg;
    let sun = sky.position(Body::Sun).expect("sun").longitude_deg;
    let moon = sky.position(Body::Moon).expect("moon").longitude_deg;
    let elongation = (moon - sun).rem_euclid(360.0);
    let moon_sid = (moon - ayanamsa).rem_euclid(360.0);
    let sun_sid = (sun - ayanamsa).rem_euclid(360.0);
    let mansion = 360.0 / 27.0;
    (
        (elongation / 12.0) as u8,
        (moon_sid / mansion) as u8,
        ((moon_sid / (mansion / 4.0)) as u8) % 4 + 1,
        (((sun_sid + moon_sid) % 360.0) / mansion) as u8,
        (elongation / 6.0) as u8 + 1,
    )
}

/// The karana of a slot, written out from the rule.
fn karana_of_slot(slot: u8) -> &'static str {
    const MOVABLE: [&str; 7] = ["Bava", "Balava", "Kaulava", "Taitila", "Gara", "Vanija", "Vishti"];
    match slot {
        1 => "Kimstughna",
        58 => "Shakuni",
        59 => "Chatushpada",
        60 => "Naga",
        s => MOVABLE[usize::from((s - 2) % 7)],
    }
}

/// The weekday (0 = Sunday) of the Vedic day at `ts`: the local date of the last sunrise.
fn vara_from_the_rules(ts: Timestamp, place: GeoPoint, z: &Zone) -> Option<i8> {
    let today: Date = z.to_local(ts).date();
    let rise_today = sun_rise_set(today, z, place).expect("in range").rise?;
    let date = if rise_today <= ts { today } else { today.yesterday().expect("a date") };
    Some(date.weekday().to_sunday_zero_offset())
}

fn instant_strategy() -> impl Strategy<Value = Timestamp> {
    // 1900-01-01 to 2100-01-01.
    (-2_208_988_800_i64..4_102_444_800_i64).prop_map(|s| Timestamp::from_second(s).expect("in range"))
}

fn place_strategy() -> impl Strategy<Value = GeoPoint> {
    (-60.0..60.0_f64, -180.0..180.0_f64).prop_map(|(lat, lon)| GeoPoint::new(lat, lon).expect("in range"))
}

const ZONES: [&str; 5] = ["Asia/Kolkata", "America/New_York", "Europe/Berlin", "Australia/Sydney", "UTC"];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// An independent implementation of the rules agrees with the engine at every instant.
    #[test]
    fn the_limbs_agree_with_an_independent_implementation(
        ts in instant_strategy(),
        place in place_strategy(),
        z in 0..ZONES.len(),
    ) {
        let p = calculate(&now_at(ts, place, Some(ZONES[z])));
        let (tithi, nakshatra, pada, yoga, slot) = limbs_from_the_rules(ts);
        prop_assert_eq!(p.tithi.index, tithi);
        prop_assert_eq!(p.nakshatra.index, nakshatra);
        prop_assert_eq!(p.nakshatra.pada, pada);
        prop_assert_eq!(p.yoga.index, yoga);
        prop_assert_eq!(p.karana.slot, slot);
        prop_assert_eq!(p.karana.name, karana_of_slot(slot));
        prop_assert_eq!(p.tithi.paksha, if tithi < 15 { "Shukla" } else { "Krishna" });
        if let Some(vara) = vara_from_the_rules(ts, place, &zone(ZONES[z])) {
            prop_assert_eq!(i16::from(p.vara.index), i16::from(vara));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// The indices follow from the longitudes the result gives, each end lies after the instant,
    /// and at the end the next limb holds while a second before it the current one still does.
    #[test]
    fn indices_follow_the_longitudes_and_each_end_begins_the_next_limb(
        ts in instant_strategy(),
        place in place_strategy(),
    ) {
        let p = calculate(&now_at(ts, place, Some("UTC")));
        let elongation = (p.moon_longitude - p.sun_longitude).rem_euclid(360.0);
        let mansion = 360.0 / 27.0;
        prop_assert_eq!(p.tithi.index, (elongation / 12.0) as u8);
        prop_assert_eq!(p.karana.slot, (elongation / 6.0) as u8 + 1);
        prop_assert_eq!(p.nakshatra.index, (p.moon_longitude / mansion) as u8);
        prop_assert_eq!(p.yoga.index, (((p.sun_longitude + p.moon_longitude) % 360.0) / mansion) as u8);
        prop_assert!(p.sunrise.is_none_or(|rise| rise <= ts));
        prop_assert!(p.next_sunrise.is_none_or(|next| ts < next));

        let one_second = SignedDuration::from_secs(1);
        let ends = [
            (p.tithi.ends_at, 0usize, 30u8, p.tithi.index),
            (p.nakshatra.ends_at, 1, 27, p.nakshatra.index),
            (p.yoga.ends_at, 3, 27, p.yoga.index),
            (p.karana.ends_at, 4, 60, p.karana.slot - 1),
        ];
        for (end, which, count, index) in ends {
            prop_assert!(end > ts, "ends at {} before {}", end, ts);
            prop_assert!(end - ts < SignedDuration::from_hours(28));
            prop_assert_eq!(end.subsec_nanosecond(), 0);
            let pick = |ts: Timestamp| {
                let l = limbs_from_the_rules(ts);
                [l.0, l.1, l.2, l.3, l.4 - 1][which]
            };
            prop_assert_eq!(pick(end), (index + 1) % count, "at the end {}", end);
            if end - one_second > ts {
                prop_assert_eq!(pick(end - one_second), index, "a second before the end {}", end);
            }
        }
    }
}
