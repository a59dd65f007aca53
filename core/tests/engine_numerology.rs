//! The numerology engine against its contract in shared/ENGINES.md.

use jiff::civil::{Date, date};
use noesis_core::engines::numerology::{self, NumberReading, NumerologyResult};
use noesis_core::engines::{BirthData, CalculationInput, EngineError, Level, Options, TimeGranularity};
use proptest::prelude::*;
use serde_json::json;

fn input(name: Option<&str>, born: Date, options: serde_json::Value) -> CalculationInput {
    let birth =
        BirthData { name: name.map(str::to_owned), date: born, time: None, zone: None, place: None, instant: None };
    let options: Options = serde_json::from_value(options).expect("options are an object");
    CalculationInput {
        birth: Some(birth),
        now: "2026-01-01T00:00:00Z".parse().expect("valid"),
        location: None,
        options,
    }
}

fn numerology_of(name: &str, born: Date) -> NumerologyResult {
    numerology::calculate(&input(Some(name), born, json!({}))).expect("a valid request")
}

fn refused_fields(result: Result<NumerologyResult, EngineError>) -> Vec<String> {
    match result {
        Err(EngineError::Validation(errors)) => errors.into_iter().map(|e| e.field).collect(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

#[test]
fn born_1985_11_22_has_master_life_path_11() {
    let result = numerology_of("John Doe", date(1985, 11, 22));
    assert_eq!(result.life_path.value, 11);
    assert!(result.life_path.master);
    assert_eq!(result.life_path.chain, [38, 11]);
}

#[test]
fn born_1999_09_09_has_life_path_1_through_19_and_10() {
    let result = numerology_of("John Doe", date(1999, 9, 9));
    assert_eq!(result.life_path.value, 1);
    assert!(!result.life_path.master);
    assert_eq!(result.life_path.chain, [19, 10, 1]);
}

#[test]
fn john_doe_has_expression_8_soul_urge_8_personality_9() {
    let result = numerology_of("John Doe", date(1999, 9, 9));
    assert_eq!(result.expression.value, 8);
    assert_eq!(result.soul_urge.as_ref().map(|r| r.value), Some(8));
    assert_eq!(result.personality.as_ref().map(|r| r.value), Some(9));
    assert_eq!(result.expression.chain, [35, 8]);
    assert_eq!(result.letters, "JOHNDOE");
}

#[test]
fn chaldean_number_uses_the_chaldean_table() {
    // J1 O7 H5 N5 D4 O7 E5 = 34 → 7.
    let result = numerology_of("John Doe", date(1999, 9, 9));
    assert_eq!(result.chaldean.chain, [34, 7]);
}

#[test]
fn birthday_is_the_day_of_the_month_reduced() {
    assert_eq!(numerology_of("Ann", date(1990, 3, 29)).birthday.chain, [29, 11]);
    assert_eq!(numerology_of("Ann", date(1990, 3, 7)).birthday.chain, [7]);
}

#[test]
fn y_counts_as_a_vowel_only_when_asked() {
    let born = date(1990, 1, 1);
    let consonant = numerology_of("Mary", born);
    let vowel = numerology::calculate(&input(Some("Mary"), born, json!({"y_as_vowel": true}))).expect("valid");
    // M4 A1 R9 Y7: vowels A = 1, or A + Y = 8.
    assert_eq!(consonant.soul_urge.map(|r| r.value), Some(1));
    assert_eq!(vowel.soul_urge.map(|r| r.value), Some(8));
    assert_eq!(consonant.personality.map(|r| r.value), Some(2));
    assert_eq!(vowel.personality.map(|r| r.value), Some(4));
    assert_eq!(consonant.expression, vowel.expression);
}

#[test]
fn result_fields_carry_value_master_chain_and_a_meaning() {
    let json = serde_json::to_value(numerology_of("John Doe", date(1985, 11, 22))).expect("serialises");
    for field in ["life_path", "expression", "soul_urge", "personality", "birthday", "chaldean"] {
        let reading = &json[field];
        assert!(reading["value"].is_u64(), "{field}.value");
        assert!(reading["master"].is_boolean(), "{field}.master");
        assert!(reading["chain"].is_array(), "{field}.chain");
        assert!(reading["meaning"].as_str().is_some_and(|m| m.len() > 40), "{field}.meaning");
    }
    assert_eq!(json["life_path"]["keyword"], "Illuminator");
}

#[test]
fn a_missing_name_is_refused_naming_birth_data_name() {
    assert_eq!(refused_fields(numerology::calculate(&input(None, date(1990, 1, 1), json!({})))), ["birth_data.name"]);
}

#[test]
fn a_name_with_no_letters_is_refused_naming_birth_data_name() {
    for name in ["", "1234", "— · —", "李小龍", "Ω"] {
        let result = numerology::calculate(&input(Some(name), date(1990, 1, 1), json!({})));
        assert_eq!(refused_fields(result), ["birth_data.name"], "{name:?}");
    }
}

#[test]
fn missing_birth_data_names_both_fields_it_needs() {
    let mut request = input(None, date(1990, 1, 1), json!({}));
    request.birth = None;
    assert_eq!(refused_fields(numerology::calculate(&request)), ["birth_data.name", "birth_data.date"]);
}

#[test]
fn unknown_and_mistyped_options_are_refused_by_name() {
    let bad = input(Some("Ann"), date(1990, 1, 1), json!({"y_as_vowel": 1, "system": "chaldean"}));
    assert_eq!(refused_fields(numerology::calculate(&bad)), ["options.system", "options.y_as_vowel"]);
}

#[test]
fn numerology_ignores_current_time() {
    assert_eq!(numerology::META.time_granularity, TimeGranularity::Timeless);
    assert_eq!(numerology::META.id, "numerology");
    assert_eq!(numerology::META.required_level, Level::MIN);
    let mut later = input(Some("John Doe"), date(1999, 9, 9), json!({}));
    let earlier = numerology::calculate(&later).expect("valid");
    later.now = "2090-06-01T12:00:00Z".parse().expect("valid");
    assert_eq!(numerology::calculate(&later).expect("valid"), earlier);
}

#[test]
fn witness_prompts_differ_by_level_and_repeat_exactly() {
    let result = numerology_of("John Doe", date(1985, 11, 22));
    let prompts: Vec<String> = Level::all().map(|level| numerology::witness_prompt(&result, level)).collect();
    for (i, prompt) in prompts.iter().enumerate() {
        assert!(prompts[i + 1..].iter().all(|other| other != prompt), "level {i} repeats another level");
        assert!(prompt.ends_with('?'), "level {i} asks a question: {prompt}");
    }
    let again: Vec<String> = Level::all().map(|level| numerology::witness_prompt(&result, level)).collect();
    assert_eq!(prompts, again);
}

#[test]
fn witness_prompts_speak_of_this_result() {
    for (name, born) in
        [("John Doe", date(1985, 11, 22)), ("Maria Lopez", date(1972, 4, 30)), ("Lynn", date(2001, 1, 9))]
    {
        let result = numerology_of(name, born);
        let numbers = [
            result.life_path.value,
            result.expression.value,
            result.chaldean.value,
            result.birthday.value,
            result.soul_urge.as_ref().map_or(0, |r| r.value),
        ];
        for level in Level::all() {
            let prompt = numerology::witness_prompt(&result, level);
            assert!(
                numbers.iter().any(|n| *n > 0 && prompt.contains(&n.to_string())),
                "level {} prompt names none of the numbers: {prompt}",
                level.get()
            );
        }
    }
}

fn reduced(reading: &NumberReading) -> bool {
    matches!(reading.value, 1..=9 | 11 | 22 | 33)
        && reading.master == matches!(reading.value, 11 | 22 | 33)
        && reading.chain.last() == Some(&reading.value)
        && reading.chain.windows(2).all(|step| step[1] == digit_sum(step[0]) && step[1] < step[0])
}

fn digit_sum(n: u32) -> u32 {
    n.to_string().bytes().map(|b| u32::from(b - b'0')).sum()
}

fn readings(result: &NumerologyResult) -> Vec<&NumberReading> {
    [Some(&result.life_path), Some(&result.expression), result.soul_urge.as_ref(), result.personality.as_ref()]
        .into_iter()
        .chain([Some(&result.birthday), Some(&result.chaldean)])
        .flatten()
        .collect()
}

fn any_date() -> impl Strategy<Value = Date> {
    (1i16..=9999, 1i8..=12, 1i8..=31).prop_map(|(y, m, d)| {
        let last = date(y, m, 1).days_in_month();
        date(y, m, d.min(last))
    })
}

/// ASCII letters and the accented forms a name may carry instead, with some decomposed.
const ACCENTED: [(char, &[&str]); 7] = [
    ('a', &["á", "à", "â", "ä", "ã", "å", "ā", "ą", "ǎ", "a\u{301}"]),
    ('c', &["ç", "ć", "č", "ĉ", "c\u{327}"]),
    ('e', &["é", "è", "ê", "ë", "ē", "ę", "ě", "ệ", "e\u{300}"]),
    ('i', &["í", "ì", "î", "ï", "ī", "į", "ı"]),
    ('n', &["ñ", "ń", "ň", "ņ", "n\u{303}"]),
    ('o', &["ó", "ò", "ô", "ö", "õ", "ø", "ō", "ő", "ơ", "ồ"]),
    ('u', &["ú", "ù", "û", "ü", "ū", "ů", "ű", "ư", "ữ"]),
];

fn plain_name() -> impl Strategy<Value = String> {
    "[A-Za-z][A-Za-z '\\-]{0,40}"
}

proptest! {
    #[test]
    fn every_number_is_reduced_and_its_chain_ends_at_it(name in plain_name(), born in any_date(), y in any::<bool>()) {
        let result = numerology::calculate(&input(Some(&name), born, json!({"y_as_vowel": y}))).expect("valid");
        for reading in readings(&result) {
            prop_assert!(reduced(reading), "{reading:?}");
        }
        prop_assert_eq!(result.life_path_parts.day.last().copied(), Some(result.birthday.value));
    }

    #[test]
    fn case_does_not_change_the_numbers(name in "[A-Za-zÀ-ÖØ-öø-ſ '\\-]{1,40}", born in any_date()) {
        let Ok(original) = numerology::calculate(&input(Some(&name), born, json!({}))) else {
            return Ok(());
        };
        let upper = numerology_of(&name.to_uppercase(), born);
        let lower = numerology_of(&name.to_lowercase(), born);
        prop_assert_eq!(&upper, &original);
        prop_assert_eq!(&lower, &original);
    }

    #[test]
    fn diacritics_do_not_change_the_numbers(name in plain_name(), choices in proptest::collection::vec(any::<prop::sample::Index>(), 41), born in any_date()) {
        let decorated: String = name
            .chars()
            .zip(&choices)
            .map(|(c, choice)| {
                let lower = c.to_ascii_lowercase();
                match ACCENTED.iter().find(|(base, _)| *base == lower) {
                    Some((_, forms)) => {
                        let form = forms[choice.index(forms.len())];
                        if c.is_ascii_uppercase() { form.to_uppercase() } else { form.to_owned() }
                    }
                    None => c.to_string(),
                }
            })
            .collect();
        prop_assert_eq!(numerology_of(&decorated, born), numerology_of(&name, born), "{}", decorated);
    }
}
