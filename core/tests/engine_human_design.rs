//! The human-design engine against its contract (ENGINES.md, "human-design"): the public check
//! values, the shape of the result, the bodygraph tables, properties that hold for every birth, and
//! an independent implementation of the rules compared with the engine over hundreds of births.

use jiff::Timestamp;
use noesis_core::engines::human_design::{
    self, Activation, Authority, CHANNELS, Center, Definition, HumanDesignResult, Type, chart,
};
use noesis_core::engines::{BirthData, CalculationInput, EngineError, Level, Options};
use noesis_core::ephemeris::{Body, Sky};
use noesis_core::time::Moment;
use noesis_core::time::zone::Zone;
use proptest::prelude::*;
use std::collections::BTreeSet;

fn input_born(utc: &str, options: serde_json::Value) -> CalculationInput {
    let instant: Timestamp = utc.parse().expect("instant");
    let zone = Zone::parse("UTC").expect("zone");
    let civil = zone.to_local(instant);
    let options: Options = match options {
        serde_json::Value::Object(map) => map,
        _ => Options::new(),
    };
    CalculationInput {
        birth: Some(BirthData {
            name: None,
            date: civil.date(),
            time: Some(civil.time()),
            zone: Some(zone),
            place: None,
            instant: Some(instant),
        }),
        now: "2026-01-01T00:00:00Z".parse().expect("now"),
        location: None,
        options,
    }
}

fn calculate(utc: &str) -> HumanDesignResult {
    human_design::calculate(&input_born(utc, serde_json::json!({}))).expect("chart")
}

fn four_gate_lines(c: &HumanDesignResult) -> [String; 4] {
    [
        c.personality.sun.gate_line(),
        c.personality.earth.gate_line(),
        c.design.sun.gate_line(),
        c.design.earth.gate_line(),
    ]
}

fn field_names(err: EngineError) -> Vec<String> {
    match err {
        EngineError::Validation(errors) => errors.into_iter().map(|e| e.field).collect(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// Public check values (ENGINES.md).
// ---------------------------------------------------------------------------------------------

#[test]
fn born_1991_08_13_0801_utc_is_a_2_4_split_sacral_generator() {
    let c = calculate("1991-08-13T08:01:00Z");
    assert_eq!(
        (c.kind, c.authority, c.profile.as_str(), c.definition),
        (Type::Generator, Authority::Sacral, "2/4", Definition::Split)
    );
    assert_eq!(four_gate_lines(&c), ["4.2", "49.2", "23.4", "43.4"]);
    let mut channels = c.channels.clone();
    channels.sort();
    assert_eq!(channels, ["23-43", "42-53"]);
}

#[test]
fn the_1991_personality_sun_is_at_140_0935_degrees_color_tone_base_2_5_4() {
    let sun = calculate("1991-08-13T08:01:00Z").personality.sun;
    assert!((sun.longitude - 140.0935).abs() < 0.00005, "{}", sun.longitude);
    assert_eq!((sun.color, sun.tone, sun.base), (2, 5, 4));
}

#[test]
fn the_1991_design_moment_is_1991_05_13_about_0828_utc() {
    let design = calculate("1991-08-13T08:01:00Z").design_time;
    let expected: Timestamp = "1991-05-13T08:28:00Z".parse().expect("instant");
    let off_s = design.duration_since(expected).as_secs_f64();
    // "≈08:28": within the minute 08:28, with 30 s either side for the rounding of the published value.
    assert!((-30.0..90.0).contains(&off_s), "design time {design}");
}

#[test]
fn born_1987_10_15_1205_utc_is_a_1_4_split_splenic_projector() {
    let c = calculate("1987-10-15T12:05:00Z");
    assert_eq!(
        (c.kind, c.authority, c.profile.as_str(), c.definition),
        (Type::Projector, Authority::Splenic, "1/4", Definition::Split)
    );
    assert_eq!(four_gate_lines(&c), ["32.1", "42.1", "62.4", "61.4"]);
}

#[test]
fn born_1985_06_20_0815_utc_is_a_1_3_split_sacral_generator() {
    let c = calculate("1985-06-20T08:15:00Z");
    assert_eq!(
        (c.kind, c.authority, c.profile.as_str(), c.definition),
        (Type::Generator, Authority::Sacral, "1/3", Definition::Split)
    );
    assert_eq!(four_gate_lines(&c), ["15.1", "10.1", "25.3", "46.3"]);
}

#[test]
fn wheel_points() {
    for (longitude, expected) in [(302.0, "41.1"), (290.75, "61.1"), (0.0, "25.2"), (3.875, "17.1"), (358.25, "25.1")] {
        assert_eq!(Activation::at(longitude).gate_line(), expected, "at {longitude}°");
    }
}

// ---------------------------------------------------------------------------------------------
// The shape of the result.
// ---------------------------------------------------------------------------------------------

#[test]
fn the_result_has_the_fields_and_conventions_of_the_contract() {
    let json = serde_json::to_value(calculate("1991-08-13T08:01:00Z")).expect("json");
    assert_eq!(json["type"], "Generator");
    assert_eq!(json["strategy"], "To Respond");
    assert_eq!(json["authority"], "Sacral");
    assert_eq!(json["profile"], "2/4");
    assert_eq!(json["definition"], "Split");
    assert_eq!(json["incarnation_cross"]["angle"], "Right");
    assert_eq!(json["incarnation_cross"]["gates"], serde_json::json!([4, 49, 23, 43]));
    let design_time = json["design_time"].as_str().expect("design_time");
    assert!(design_time.starts_with("1991-05-13T08:2") && design_time.ends_with('Z'), "{design_time}");
    assert!(json.get("svg").is_none(), "no drawing unless asked");
    for side in ["personality", "design"] {
        let bodies = json[side].as_object().expect(side);
        let names: Vec<&str> = bodies.keys().map(String::as_str).collect();
        assert_eq!(names.len(), 13);
        for body in [
            "sun",
            "earth",
            "moon",
            "north_node",
            "south_node",
            "mercury",
            "venus",
            "mars",
            "jupiter",
            "saturn",
            "uranus",
            "neptune",
            "pluto",
        ] {
            let a = &bodies[body];
            for field in ["longitude", "gate", "line", "color", "tone", "base"] {
                assert!(a.get(field).is_some(), "{side}.{body}.{field}");
            }
        }
    }
}

#[test]
fn defined_centers_are_named_as_the_contract_lists_them() {
    let json = serde_json::to_value(calculate("1991-08-13T08:01:00Z")).expect("json");
    let allowed = ["Head", "Ajna", "Throat", "G", "Heart", "Spleen", "SolarPlexus", "Sacral", "Root"];
    let defined = json["defined_centers"].as_array().expect("array");
    assert_eq!(defined, &["Ajna", "Throat", "Sacral", "Root"].map(serde_json::Value::from).to_vec());
    for name in defined {
        assert!(allowed.contains(&name.as_str().expect("string")));
    }
}

#[test]
fn svg_format_adds_a_bodygraph_with_every_gate() {
    let input = input_born("1991-08-13T08:01:00Z", serde_json::json!({"format": "svg"}));
    let c = human_design::calculate(&input).expect("chart");
    let svg = c.svg.as_deref().expect("svg");
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\"") && svg.ends_with("</svg>"));
    for gate in 1..=64 {
        assert!(svg.contains(&format!(">{gate}</text>")), "gate {gate} is labelled");
    }
    assert!(svg.contains("Generator · Sacral authority · 2/4 · Split definition"));
    let json = serde_json::to_value(&c).expect("json");
    assert!(json["svg"].is_string());
}

// ---------------------------------------------------------------------------------------------
// Errors name the field.
// ---------------------------------------------------------------------------------------------

#[test]
fn missing_birth_data_is_refused_naming_it() {
    let mut input = input_born("1991-08-13T08:01:00Z", serde_json::json!({}));
    input.birth = None;
    assert_eq!(field_names(human_design::calculate(&input).expect_err("refused")), ["birth_data"]);
}

#[test]
fn missing_time_and_timezone_are_refused_naming_both() {
    let mut input = input_born("1991-08-13T08:01:00Z", serde_json::json!({}));
    if let Some(birth) = input.birth.as_mut() {
        birth.time = None;
        birth.zone = None;
        birth.instant = None;
    }
    assert_eq!(
        field_names(human_design::calculate(&input).expect_err("refused")),
        ["birth_data.time", "birth_data.timezone"]
    );
}

#[test]
fn unknown_and_bad_options_are_refused_naming_them() {
    let input = input_born("1991-08-13T08:01:00Z", serde_json::json!({"colour": "red"}));
    assert_eq!(field_names(human_design::calculate(&input).expect_err("refused")), ["options.colour"]);
    let input = input_born("1991-08-13T08:01:00Z", serde_json::json!({"format": "png"}));
    assert_eq!(field_names(human_design::calculate(&input).expect_err("refused")), ["options.format"]);
    let input = input_born("1991-08-13T08:01:00Z", serde_json::json!({"format": 3}));
    assert_eq!(field_names(human_design::calculate(&input).expect_err("refused")), ["options.format"]);
}

#[test]
fn births_beyond_the_ephemeris_are_an_ephemeris_error() {
    let input = input_born("0900-06-01T00:00:00Z", serde_json::json!({}));
    assert!(matches!(human_design::calculate(&input), Err(EngineError::Ephemeris(_))));
}

// ---------------------------------------------------------------------------------------------
// Witness prompts.
// ---------------------------------------------------------------------------------------------

#[test]
fn witness_prompts_differ_by_level_are_deterministic_and_speak_of_this_chart() {
    for birth in ["1991-08-13T08:01:00Z", "1987-10-15T12:05:00Z", "1985-06-20T08:15:00Z"] {
        let c = calculate(birth);
        let prompts: Vec<String> = Level::all().map(|l| human_design::witness_prompt(&c, l)).collect();
        let distinct: BTreeSet<&String> = prompts.iter().collect();
        assert_eq!(distinct.len(), 6, "{prompts:#?}");
        for (level, prompt) in Level::all().zip(&prompts) {
            assert_eq!(&human_design::witness_prompt(&c, level), prompt, "deterministic");
            assert!(prompt.ends_with('?'), "a question: {prompt}");
            let specific = [
                format!("{:?}", c.kind),
                c.profile.clone(),
                c.personality.sun.gate.to_string(),
                c.design.sun.gate.to_string(),
                "Manifesting Generator".to_string(),
                "Self-Projected".to_string(),
                "centre".to_string(),
                "Solar Plexus".to_string(),
                "channel".to_string(),
                "definition".to_string(),
            ];
            assert!(specific.iter().any(|s| prompt.contains(s.as_str())), "no specifics: {prompt}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The bodygraph tables.
// ---------------------------------------------------------------------------------------------

#[test]
fn each_of_the_64_gates_belongs_to_exactly_one_centre() {
    for gate in 1..=64u8 {
        let holders: Vec<Center> = Center::ALL.into_iter().filter(|c| c.gates().contains(&gate)).collect();
        assert_eq!(holders.len(), 1, "gate {gate} is in {holders:?}");
    }
    let total: usize = Center::ALL.iter().map(|c| c.gates().len()).sum();
    assert_eq!(total, 64);
}

#[test]
fn the_36_channels_join_the_centres_of_their_gates() {
    assert_eq!(CHANNELS.len(), 36);
    let mut seen = BTreeSet::new();
    for channel in CHANNELS {
        let [a, b] = channel.gates;
        assert!(a < b, "{a}-{b} is written low-high");
        assert!(seen.insert((a, b)), "{a}-{b} twice");
        assert_eq!(Center::of_gate(a), Some(channel.centers[0]), "gate {a}");
        assert_eq!(Center::of_gate(b), Some(channel.centers[1]), "gate {b}");
        assert_ne!(channel.centers[0], channel.centers[1], "{a}-{b} joins two centres");
    }
    for gate in 1..=64u8 {
        assert!(CHANNELS.iter().any(|c| c.gates.contains(&gate)), "gate {gate} is in a channel");
    }
    // The well-known shape: the Throat is the hub with 13 channels, the Head has 3.
    let touching = |center: Center| CHANNELS.iter().filter(|c| c.centers.contains(&center)).count();
    assert_eq!(touching(Center::Throat), 13);
    assert_eq!(touching(Center::Head), 3);
    assert_eq!(touching(Center::Heart), 4);
}

// ---------------------------------------------------------------------------------------------
// Properties of every chart.
// ---------------------------------------------------------------------------------------------

/// Births from 1900 to 2100 (Pluto's theory covers 1800-2200; the Design lies 3 months earlier).
fn any_birth() -> impl Strategy<Value = Timestamp> {
    (-2_208_988_800i64..4_102_444_800i64).prop_map(|s| Timestamp::from_second(s).expect("in range"))
}

fn check_activation(name: &str, a: &Activation) -> Result<(), TestCaseError> {
    prop_assert!((0.0..360.0).contains(&a.longitude), "{name}: {}", a.longitude);
    prop_assert!((1..=64).contains(&a.gate) && (1..=6).contains(&a.line), "{name}: {a:?}");
    prop_assert!((1..=6).contains(&a.color) && (1..=6).contains(&a.tone) && (1..=5).contains(&a.base), "{name}: {a:?}");
    // Rebuild the start of the base interval from the numbers and check the longitude lies in it.
    let index = human_design::GATE_ORDER.iter().position(|&g| g == a.gate).expect("gate on the wheel") as f64;
    let line = 5.625 / 6.0;
    let color = line / 6.0;
    let tone = color / 6.0;
    let base = tone / 5.0;
    let start = 302.0
        + index * 5.625
        + f64::from(a.line - 1) * line
        + f64::from(a.color - 1) * color
        + f64::from(a.tone - 1) * tone
        + f64::from(a.base - 1) * base;
    let into = (a.longitude - start).rem_euclid(360.0);
    prop_assert!(into < base + 1e-9 || into > 360.0 - 1e-9, "{name}: {a:?} is {into}° past its base's start");
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn activations_are_in_range_and_match_their_longitude(birth in any_birth()) {
        let c = chart(birth).expect("chart");
        for (side, activations) in [("personality", &c.personality), ("design", &c.design)] {
            for (name, a) in activations.named() {
                check_activation(&format!("{side}.{name}"), a)?;
            }
            prop_assert_eq!(activations.earth, activations.sun.opposite());
            prop_assert_eq!(activations.south_node, activations.north_node.opposite());
        }
    }

    #[test]
    fn the_design_sun_stands_88_degrees_behind_within_a_second(birth in any_birth()) {
        let c = chart(birth).expect("chart");
        let arc = (c.personality.sun.longitude - c.design.sun.longitude).rem_euclid(360.0);
        // The Sun moves at most 1.02°/day: one second is 1.2e-5°.
        prop_assert!((arc - 88.0).abs() < 1.1e-5, "arc {arc}");
        let days = c.personality_time.duration_since(c.design_time).as_secs_f64() / 86_400.0;
        prop_assert!((85.0..=93.0).contains(&days), "{days} days");
    }

    #[test]
    fn defined_centres_are_exactly_those_an_active_channel_touches(birth in any_birth()) {
        let c = chart(birth).expect("chart");
        let activated: BTreeSet<u8> =
            c.personality.named().iter().chain(c.design.named().iter()).map(|(_, a)| a.gate).collect();
        let active: Vec<_> = CHANNELS.iter().filter(|ch| ch.gates.iter().all(|g| activated.contains(g))).collect();
        prop_assert_eq!(&c.channels, &active.iter().map(|ch| ch.name()).collect::<Vec<_>>());
        for center in Center::ALL {
            let touched = active.iter().any(|ch| ch.centers.contains(&center));
            prop_assert_eq!(c.defined_centers.contains(&center), touched, "{:?}", center);
            prop_assert_eq!(c.undefined_centers.contains(&center), !touched, "{:?}", center);
        }
        prop_assert_eq!(c.activated_gates, activated.into_iter().collect::<Vec<_>>());
    }

    #[test]
    fn the_type_agrees_with_the_defined_centres(birth in any_birth()) {
        let c = chart(birth).expect("chart");
        let defined = |center| c.defined_centers.contains(&center);
        match c.kind {
            Type::Reflector => prop_assert!(c.defined_centers.is_empty()),
            Type::Generator => prop_assert!(defined(Center::Sacral)),
            Type::ManifestingGenerator => prop_assert!(defined(Center::Sacral) && defined(Center::Throat)),
            Type::Manifestor => prop_assert!(!defined(Center::Sacral) && defined(Center::Throat)),
            Type::Projector => prop_assert!(!defined(Center::Sacral) && !c.defined_centers.is_empty()),
        }
        prop_assert_eq!(c.kind == Type::Reflector, c.definition == Definition::None);
        prop_assert_eq!(c.kind == Type::Reflector, c.authority == Authority::Lunar);
        if defined(Center::SolarPlexus) {
            prop_assert_eq!(c.authority, Authority::Emotional);
        }
        prop_assert_eq!(c.strategy, match c.kind {
            Type::Generator => "To Respond",
            Type::ManifestingGenerator => "To Respond, then Inform",
            Type::Manifestor => "To Inform",
            Type::Projector => "Wait for the Invitation",
            Type::Reflector => "Wait a Lunar Cycle",
        });
        let p_line = c.personality.sun.line;
        prop_assert_eq!(&c.profile, &format!("{}/{}", p_line, c.design.sun.line));
        prop_assert_eq!(c.incarnation_cross.gates, [
            c.personality.sun.gate,
            c.personality.earth.gate,
            c.design.sun.gate,
            c.design.earth.gate,
        ]);
    }
}

// ---------------------------------------------------------------------------------------------
// An independent implementation of the rules, written from ENGINES.md without the engine's code
// (only the ephemeris is shared), compared with the engine over 300 random births.
// ---------------------------------------------------------------------------------------------

mod independent {
    use super::*;

    /// The wheel, from 302° on.
    const WHEEL: &str = "41 19 13 49 30 55 37 63 22 36 25 17 21 51 42 3 27 24 2 23 8 20 16 35 45 12 15 52 39 53 62 56 \
                         31 33 7 4 29 59 40 64 47 6 46 18 48 57 32 50 28 44 1 43 14 34 9 5 26 11 10 58 38 54 61 60";

    /// Centre of each gate, 1 to 64 in order (H Head, A Ajna, T Throat, G, E hEart, S Spleen,
    /// P solar Plexus, C saCral, R Root).
    const CENTRE_OF_GATE: &str = "GGCAC PGTCG ATGCG TASRT EPTAG ECSCP TSTCT PPRRE RCAST GASPS ERRRP TSRCR HTHH";

    /// The channels, by gate number.
    const CHANNEL_LIST: &str = "1-8 2-14 3-60 4-63 5-15 6-59 7-31 9-52 10-20 10-34 10-57 11-56 12-22 13-33 16-48 \
                                17-62 18-58 19-49 20-34 20-57 21-45 23-43 24-61 25-51 26-44 27-50 28-38 29-46 30-41 \
                                32-54 34-57 35-36 37-40 39-55 42-53 47-64";

    pub fn centre_of(gate: u8) -> char {
        CENTRE_OF_GATE.chars().filter(|c| !c.is_whitespace()).nth(usize::from(gate) - 1).expect("gate 1-64")
    }

    fn channels() -> Vec<(u8, u8)> {
        CHANNEL_LIST
            .split_whitespace()
            .map(|pair| {
                let (a, b) = pair.split_once('-').expect("pair");
                (a.parse().expect("gate"), b.parse().expect("gate"))
            })
            .collect()
    }

    fn gate_and_line(longitude: f64) -> (u8, u8) {
        let wheel: Vec<u8> = WHEEL.split_whitespace().map(|g| g.parse().expect("gate")).collect();
        let degrees_in = (longitude - 302.0).rem_euclid(360.0);
        let gate = wheel[((degrees_in / 5.625) as usize).min(63)];
        let line = ((degrees_in % 5.625) / (5.625 / 6.0)) as u8 + 1;
        (gate, line.min(6))
    }

    fn longitudes(sky: &Sky) -> Vec<f64> {
        let mut out = Vec::new();
        for body in [
            Body::Sun,
            Body::Moon,
            Body::TrueNode,
            Body::Mercury,
            Body::Venus,
            Body::Mars,
            Body::Jupiter,
            Body::Saturn,
            Body::Uranus,
            Body::Neptune,
            Body::Pluto,
        ] {
            let lon = sky.position(body).expect("position").longitude_deg;
            out.push(lon);
            if matches!(body, Body::Sun | Body::TrueNode) {
                out.push(lon + 180.0);
            }
        }
        out
    }

    /// The Design moment by bisection on the Sun's arc back from birth, over 80-100 days.
    fn design_sky(birth: &Moment, birth_sun: f64) -> Sky {
        let arc = |jd: f64| {
            let sun = Sky::at(&Moment::from_jd_ut(jd)).and_then(|s| s.position(Body::Sun)).expect("sun");
            (birth_sun - sun.longitude_deg).rem_euclid(360.0)
        };
        let (mut early, mut late) = (birth.jd_ut() - 100.0, birth.jd_ut() - 80.0);
        while late - early > 1e-7 {
            let middle = (early + late) / 2.0;
            if arc(middle) > 88.0 { early = middle } else { late = middle }
        }
        Sky::at(&Moment::from_jd_ut((early + late) / 2.0)).expect("sky")
    }

    pub struct Reading {
        pub kind: &'static str,
        pub authority: &'static str,
        pub definition: usize,
        pub profile: String,
        pub channels: BTreeSet<(u8, u8)>,
    }

    pub fn read(birth: Timestamp) -> Reading {
        let moment = Moment::from_timestamp(birth);
        let sky = Sky::at(&moment).expect("sky");
        let personality = longitudes(&sky);
        let design = longitudes(&design_sky(&moment, personality[0]));
        let gates: BTreeSet<u8> = personality.iter().chain(&design).map(|&l| gate_and_line(l).0).collect();
        let active: BTreeSet<(u8, u8)> =
            channels().into_iter().filter(|(a, b)| gates.contains(a) && gates.contains(b)).collect();

        // Union-find over the nine centres.
        let letters = ['H', 'A', 'T', 'G', 'E', 'S', 'P', 'C', 'R'];
        let index = |c: char| letters.iter().position(|&l| l == c).expect("centre letter");
        let mut parent: Vec<usize> = (0..9).collect();
        fn root(parent: &mut [usize], mut i: usize) -> usize {
            while parent[i] != i {
                i = parent[i];
            }
            i
        }
        let mut defined = [false; 9];
        for &(a, b) in &active {
            let (x, y) = (index(centre_of(a)), index(centre_of(b)));
            defined[x] = true;
            defined[y] = true;
            let (rx, ry) = (root(&mut parent, x), root(&mut parent, y));
            parent[rx] = ry;
        }
        let is = |c: char| defined[index(c)];
        let mut roots = BTreeSet::new();
        for (i, _) in defined.iter().enumerate().filter(|(_, d)| **d) {
            roots.insert(root(&mut parent, i));
        }
        let throat_root = root(&mut parent, index('T'));
        let mut joined_to_throat = |c: char| is(c) && is('T') && root(&mut parent, index(c)) == throat_root;
        let motor_to_throat = ['C', 'P', 'E', 'R'].into_iter().any(&mut joined_to_throat);
        let g_to_throat = joined_to_throat('G');

        let kind = if roots.is_empty() {
            "Reflector"
        } else if is('C') && motor_to_throat {
            "ManifestingGenerator"
        } else if is('C') {
            "Generator"
        } else if motor_to_throat {
            "Manifestor"
        } else {
            "Projector"
        };
        let authority = if is('P') {
            "Emotional"
        } else if is('C') {
            "Sacral"
        } else if is('S') {
            "Splenic"
        } else if is('E') {
            "Ego"
        } else if g_to_throat {
            "SelfProjected"
        } else if is('H') || is('A') {
            "Mental"
        } else {
            "Lunar"
        };
        let profile = format!("{}/{}", gate_and_line(personality[0]).1, gate_and_line(design[0]).1);
        Reading { kind, authority, definition: roots.len(), profile, channels: active }
    }
}

#[test]
fn the_independent_centre_table_agrees_with_the_engine() {
    let letter = |c: Center| match c {
        Center::Head => 'H',
        Center::Ajna => 'A',
        Center::Throat => 'T',
        Center::G => 'G',
        Center::Heart => 'E',
        Center::Spleen => 'S',
        Center::SolarPlexus => 'P',
        Center::Sacral => 'C',
        Center::Root => 'R',
    };
    for gate in 1..=64u8 {
        assert_eq!(Some(independent::centre_of(gate)), Center::of_gate(gate).map(letter), "gate {gate}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn an_independent_reading_of_the_rules_agrees_with_the_engine(birth in any_birth()) {
        let c = chart(birth).expect("chart");
        let ours = independent::read(birth);
        let json = serde_json::to_value(&c).expect("json");
        prop_assert_eq!(json["type"].as_str(), Some(ours.kind));
        prop_assert_eq!(json["authority"].as_str(), Some(ours.authority));
        let groups = match c.definition {
            Definition::None => 0,
            Definition::Single => 1,
            Definition::Split => 2,
            Definition::TripleSplit => 3,
            Definition::QuadrupleSplit => 4,
        };
        prop_assert_eq!(groups, ours.definition);
        prop_assert_eq!(&c.profile, &ours.profile);
        let channels: BTreeSet<(u8, u8)> = c
            .channels
            .iter()
            .map(|name| {
                let (a, b) = name.split_once('-').expect("low-high");
                (a.parse().expect("gate"), b.parse().expect("gate"))
            })
            .collect();
        prop_assert_eq!(channels, ours.channels);
    }
}
