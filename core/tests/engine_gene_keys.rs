//! The gene-keys engine against its contract (ENGINES.md, "gene-keys"): spheres read from the
//! Human Design activations they name, programming partners, the table of 64 keys, the two
//! sources of activations (birth data and `options.hd_gates`), errors and witness prompts.

use jiff::Timestamp;
use noesis_core::engines::gene_keys::{self, GENE_KEYS, GeneKeysResult, Source, gene_key, programming_partner};
use noesis_core::engines::human_design::{self, Activation, gate_start_deg};
use noesis_core::engines::{BirthData, CalculationInput, EngineError, Level, Options};
use noesis_core::time::zone::Zone;
use proptest::prelude::*;
use serde_json::{Value, json};
use std::collections::BTreeSet;

fn input(born_utc: Option<&str>, options: Value) -> CalculationInput {
    let birth = born_utc.map(|utc| {
        let instant: Timestamp = utc.parse().expect("instant");
        let zone = Zone::parse("UTC").expect("zone");
        let local = zone.to_local(instant);
        BirthData {
            name: None,
            date: local.date(),
            time: Some(local.time()),
            zone: Some(zone),
            place: None,
            instant: Some(instant),
        }
    });
    let options: Options = match options {
        Value::Object(map) => map,
        _ => Options::new(),
    };
    CalculationInput { birth, now: "2026-01-01T00:00:00Z".parse().expect("now"), location: None, options }
}

fn born(utc: &str) -> GeneKeysResult {
    gene_keys::calculate(&input(Some(utc), json!({}))).expect("profile")
}

fn field_names(err: EngineError) -> Vec<String> {
    match err {
        EngineError::Validation(errors) => errors.into_iter().map(|e| e.field).collect(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

/// (sphere name, key.line) of a sequence.
fn spheres(sequence: &[gene_keys::Sphere]) -> Vec<(&'static str, String)> {
    sequence.iter().map(|s| (s.sphere, format!("{}.{}", s.key, s.line))).collect()
}

// ---------------------------------------------------------------------------------------------
// Spheres come from the activations ENGINES.md names.
// ---------------------------------------------------------------------------------------------

#[test]
fn the_1991_check_birth_has_life_work_4_2_evolution_49_2_radiance_23_4_purpose_43_4() {
    let profile = born("1991-08-13T08:01:00Z");
    assert_eq!(
        spheres(&profile.activation_sequence),
        [
            ("Life's Work", "4.2".to_string()),
            ("Evolution", "49.2".to_string()),
            ("Radiance", "23.4".to_string()),
            ("Purpose", "43.4".to_string()),
        ]
    );
    assert_eq!(profile.source, Source::BirthData);
}

#[test]
fn the_other_check_births_give_their_four_prime_gifts() {
    let gates = |utc| born(utc).activation_sequence.iter().map(|s| format!("{}.{}", s.key, s.line)).collect::<Vec<_>>();
    assert_eq!(gates("1987-10-15T12:05:00Z"), ["32.1", "42.1", "62.4", "61.4"]);
    assert_eq!(gates("1985-06-20T08:15:00Z"), ["15.1", "10.1", "25.3", "46.3"]);
}

fn any_birth() -> impl Strategy<Value = Timestamp> {
    (-2_208_988_800i64..4_102_444_800i64).prop_map(|s| Timestamp::from_second(s).expect("in range"))
}

fn gate_line(a: &Activation) -> (u8, u8) {
    (a.gate, a.line)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn every_sphere_equals_the_human_design_activation_it_comes_from(birth in any_birth()) {
        let hd = human_design::chart(birth).expect("chart");
        let gk = gene_keys::from_birth(birth).expect("profile");
        let (p, d) = (&hd.personality, &hd.design);
        let expected = [
            ("Life's Work", gate_line(&p.sun), "personality.sun"),
            ("Evolution", gate_line(&p.earth), "personality.earth"),
            ("Radiance", gate_line(&d.sun), "design.sun"),
            ("Purpose", gate_line(&d.earth), "design.earth"),
            ("Attraction", gate_line(&d.moon), "design.moon"),
            ("IQ", gate_line(&p.venus), "personality.venus"),
            ("EQ", gate_line(&p.mars), "personality.mars"),
            ("SQ", gate_line(&d.venus), "design.venus"),
            ("Core", gate_line(&d.mars), "design.mars"),
            ("Vocation", gate_line(&d.mars), "design.mars"),
            ("Culture", gate_line(&d.jupiter), "design.jupiter"),
            ("Pearl", gate_line(&p.jupiter), "personality.jupiter"),
            ("Brand", gate_line(&p.sun), "personality.sun"),
        ];
        let all: Vec<_> = gk.activation_sequence.iter().chain(&gk.venus_sequence).chain(&gk.pearl_sequence).collect();
        prop_assert_eq!(all.len(), expected.len());
        for (sphere, (name, (key, line), activation)) in all.iter().zip(expected) {
            prop_assert_eq!(sphere.sphere, name);
            prop_assert_eq!((sphere.key, sphere.line), (key, line), "{}", name);
            prop_assert_eq!(sphere.activation, activation);
        }
        // The key list covers exactly the spheres' keys, each once, with its names.
        let in_spheres: BTreeSet<u8> = all.iter().map(|s| s.key).collect();
        let listed: Vec<u8> = gk.keys.iter().map(|k| k.key).collect();
        prop_assert_eq!(listed.iter().copied().collect::<BTreeSet<_>>(), in_spheres);
        prop_assert_eq!(listed.len(), gk.keys.iter().map(|k| k.key).collect::<BTreeSet<_>>().len());
        for entry in &gk.keys {
            let key = gene_key(entry.key).expect("key");
            prop_assert_eq!((entry.shadow, entry.gift, entry.siddhi), (key.shadow, key.gift, key.siddhi));
            prop_assert_eq!(Some(entry.programming_partner), programming_partner(entry.key));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Programming partners.
// ---------------------------------------------------------------------------------------------

#[test]
fn programming_partners_are_mutual_and_180_degrees_apart() {
    for key in 1..=64u8 {
        let partner = programming_partner(key).expect("partner");
        assert_ne!(partner, key);
        assert_eq!(programming_partner(partner), Some(key), "partner of {partner}");
        let apart = (gate_start_deg(partner).expect("start") - gate_start_deg(key).expect("start")).rem_euclid(360.0);
        assert_eq!(apart, 180.0, "{key} and {partner}");
    }
    assert_eq!(programming_partner(0), None);
    assert_eq!(programming_partner(65), None);
}

#[test]
fn life_work_and_evolution_are_programming_partners() {
    let profile = born("1987-10-15T12:05:00Z");
    let (life, evolution) = (&profile.activation_sequence[0], &profile.activation_sequence[1]);
    assert_eq!(programming_partner(life.key), Some(evolution.key));
    assert_eq!(life.line, evolution.line);
}

// ---------------------------------------------------------------------------------------------
// The 64 keys.
// ---------------------------------------------------------------------------------------------

#[test]
fn all_64_keys_have_three_names_and_a_description() {
    assert_eq!(GENE_KEYS.len(), 64);
    for key in 1..=64u8 {
        let k = gene_key(key).expect("key");
        assert_eq!(k.key, key);
        for (what, name) in [("shadow", k.shadow), ("gift", k.gift), ("siddhi", k.siddhi)] {
            assert!(!name.trim().is_empty(), "key {key} {what}");
            assert!(name.chars().next().is_some_and(char::is_uppercase), "key {key} {what} {name}");
        }
        assert!(k.description.len() > 40, "key {key} description");
    }
}

#[test]
fn a_few_well_known_keys_carry_their_published_names() {
    let names = |key| gene_key(key).map(|k| (k.shadow, k.gift, k.siddhi));
    assert_eq!(names(1), Some(("Entropy", "Freshness", "Beauty")));
    assert_eq!(names(13), Some(("Discord", "Discernment", "Empathy")));
    assert_eq!(names(25), Some(("Constriction", "Acceptance", "Universal Love")));
    assert_eq!(names(55), Some(("Victimisation", "Freedom", "Freedom")));
    assert_eq!(names(64), Some(("Confusion", "Imagination", "Illumination")));
}

#[test]
fn each_shadow_and_each_gift_is_used_once() {
    let shadows: BTreeSet<_> = GENE_KEYS.iter().map(|k| k.shadow).collect();
    let gifts: BTreeSet<_> = GENE_KEYS.iter().map(|k| k.gift).collect();
    assert_eq!(shadows.len(), 64);
    assert_eq!(gifts.len(), 64);
}

// ---------------------------------------------------------------------------------------------
// options.hd_gates.
// ---------------------------------------------------------------------------------------------

#[test]
fn hd_gates_give_the_same_profile_as_the_birth_they_came_from() {
    let birth = "1985-06-20T08:15:00Z";
    let hd = human_design::chart(birth.parse().expect("instant")).expect("chart");
    // The human-design result's own activation objects, passed straight through.
    let hd_json = serde_json::to_value(&hd).expect("json");
    let options = json!({"hd_gates": {"personality": hd_json["personality"], "design": hd_json["design"]}});
    let from_gates = gene_keys::calculate(&input(None, options)).expect("profile");
    let from_birth = born(birth);
    assert_eq!(from_gates.source, Source::HdGates);
    assert_eq!(from_gates.activation_sequence, from_birth.activation_sequence);
    assert_eq!(from_gates.venus_sequence, from_birth.venus_sequence);
    assert_eq!(from_gates.pearl_sequence, from_birth.pearl_sequence);
    assert_eq!(from_gates.keys, from_birth.keys);
}

#[test]
fn hd_gates_as_gate_line_strings_with_the_earth_left_out() {
    let options = json!({"hd_gates": {
        "personality": {"sun": "4.2", "venus": "7.3", "mars": "33.6", "jupiter": "29.1"},
        "design": {"sun": "23.4", "moon": "1.1", "venus": "8.2", "mars": "45.5", "jupiter": "64.6"}
    }});
    let profile = gene_keys::calculate(&input(None, options)).expect("profile");
    let json = serde_json::to_value(&profile).expect("json");
    assert_eq!(json["source"], "hd_gates");
    assert_eq!(
        json["activation_sequence"][1],
        json!({
            "sphere": "Evolution",
            "key": 49,
            "line": 2,
            "activation": "personality.earth",
            "theme": "the challenge that keeps shaping and growing you"
        })
    );
    assert_eq!(json["activation_sequence"][3]["key"], 43);
    assert_eq!(json["venus_sequence"][0]["sphere"], "Attraction");
    assert_eq!(json["venus_sequence"][0]["key"], 1);
    assert_eq!(json["pearl_sequence"][2]["sphere"], "Pearl");
    assert_eq!(json["pearl_sequence"][2]["key"], 29);
    let first = &json["keys"][0];
    assert_eq!(
        (first["key"].clone(), first["shadow"].clone(), first["gift"].clone(), first["siddhi"].clone()),
        (json!(4), json!("Intolerance"), json!("Understanding"), json!("Forgiveness"))
    );
    assert_eq!(first["programming_partner"], 49);
}

#[test]
fn hd_gates_are_preferred_to_birth_data() {
    let options = json!({"hd_gates": {
        "personality": {"sun": "4.2", "venus": "7.3", "mars": "33.6", "jupiter": "29.1"},
        "design": {"sun": "23.4", "moon": "1.1", "venus": "8.2", "mars": "45.5", "jupiter": "64.6"}
    }});
    let profile = gene_keys::calculate(&input(Some("1987-10-15T12:05:00Z"), options)).expect("profile");
    assert_eq!(profile.source, Source::HdGates);
    assert_eq!(profile.activation_sequence[0].key, 4);
}

#[test]
fn bad_hd_gates_are_refused_naming_each_field() {
    let options = json!({"hd_gates": {
        "personality": {"sun": "4.9", "venus": "7.3", "mars": "33.6"},
        "design": {"sun": "23.4", "earth": "44.4", "moon": "1.1", "venus": "8.2", "mars": "45.5", "jupiter": 64}
    }});
    let mut fields = field_names(gene_keys::calculate(&input(None, options)).expect_err("refused"));
    fields.sort();
    assert_eq!(
        fields,
        [
            "options.hd_gates.design.earth",
            "options.hd_gates.design.jupiter",
            "options.hd_gates.personality.jupiter",
            "options.hd_gates.personality.sun",
        ]
    );
    let fields = field_names(gene_keys::calculate(&input(None, json!({"hd_gates": "4.2"}))).expect_err("refused"));
    assert_eq!(fields, ["options.hd_gates"]);
}

#[test]
fn unknown_options_are_refused_naming_them() {
    let fields = field_names(
        gene_keys::calculate(&input(Some("1991-08-13T08:01:00Z"), json!({"format": "svg"}))).expect_err("refused"),
    );
    assert_eq!(fields, ["options.format"]);
}

// ---------------------------------------------------------------------------------------------
// Missing birth data.
// ---------------------------------------------------------------------------------------------

#[test]
fn without_birth_data_or_hd_gates_the_request_is_refused_naming_birth_data() {
    assert_eq!(field_names(gene_keys::calculate(&input(None, json!({}))).expect_err("refused")), ["birth_data"]);
}

#[test]
fn a_birth_without_time_or_timezone_is_refused_naming_them() {
    let mut request = input(Some("1991-08-13T08:01:00Z"), json!({}));
    if let Some(birth) = request.birth.as_mut() {
        birth.time = None;
        birth.zone = None;
        birth.instant = None;
    }
    assert_eq!(
        field_names(gene_keys::calculate(&request).expect_err("refused")),
        ["birth_data.time", "birth_data.timezone"]
    );
}

// ---------------------------------------------------------------------------------------------
// Witness prompts.
// ---------------------------------------------------------------------------------------------

#[test]
fn witness_prompts_differ_by_level_are_deterministic_and_name_this_profiles_keys() {
    for birth in ["1991-08-13T08:01:00Z", "1987-10-15T12:05:00Z", "1985-06-20T08:15:00Z"] {
        let profile = born(birth);
        let prompts: Vec<String> = Level::all().map(|l| gene_keys::witness_prompt(&profile, l)).collect();
        assert_eq!(prompts.iter().collect::<BTreeSet<_>>().len(), 6, "{prompts:#?}");
        let keys: Vec<String> = profile.keys.iter().map(|k| k.key.to_string()).collect();
        for (level, prompt) in Level::all().zip(&prompts) {
            assert_eq!(&gene_keys::witness_prompt(&profile, level), prompt);
            assert!(prompt.ends_with('?'), "{prompt}");
            assert!(
                keys.iter().any(|k| prompt.contains(&format!("key {k}")) || prompt.contains(&format!("Key {k}"))),
                "{prompt}"
            );
        }
    }
}
