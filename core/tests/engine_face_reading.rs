//! The face-reading engine against its contract in ENGINES.md: landmarks in, proportions and a
//! dosha reading out by the documented rules, no image, no invented measurement, the same answer
//! every time, and errors that name the field.

use noesis_core::engines::face_reading::{self, Dosha, FaceReading, LandmarkFormat};
use noesis_core::engines::{CalculationInput, EngineError, Level, Options, TimeGranularity};
use proptest::prelude::*;
use serde_json::{Value, json};

/// The mesh indices the engine reads, with a hand-made position for each.
type Face = [(usize, [f64; 2]); 21];

/// A long, narrow face with small eyes, thin lips and a slender nose.
const LONG_FACE: Face = [
    (10, [0.5, 0.10]),  // forehead_top
    (9, [0.5, 0.25]),   // brow_center
    (2, [0.5, 0.50]),   // nose_base
    (152, [0.5, 0.80]), // chin: height 0.70
    (234, [0.25, 0.40]),
    (454, [0.75, 0.40]), // cheekbones: width 0.50
    (172, [0.33, 0.70]),
    (397, [0.67, 0.70]), // jaw 0.34
    (54, [0.30, 0.15]),
    (284, [0.70, 0.15]), // forehead 0.40
    (1, [0.5, 0.45]),    // nose tip, centred
    (33, [0.30, 0.30]),
    (133, [0.37, 0.30]),
    (362, [0.63, 0.30]),
    (263, [0.70, 0.30]), // eyes 0.07 each
    (0, [0.5, 0.60]),
    (17, [0.5, 0.64]), // lips 0.04 high
    (61, [0.42, 0.62]),
    (291, [0.58, 0.62]), // mouth 0.16 wide
    (129, [0.45, 0.47]),
    (358, [0.55, 0.47]), // nose wings 0.10
];

/// A broad face with a wide jaw, large eyes, full lips and a broad nose.
const BROAD_FACE: Face = [
    (10, [0.5, 0.17]),
    (9, [0.5, 0.28]),
    (2, [0.5, 0.50]),
    (152, [0.5, 0.78]), // height 0.61
    (234, [0.20, 0.45]),
    (454, [0.80, 0.45]), // width 0.60
    (172, [0.24, 0.70]),
    (397, [0.76, 0.70]), // jaw 0.52
    (54, [0.27, 0.20]),
    (284, [0.73, 0.20]), // forehead 0.46
    (1, [0.5, 0.45]),
    (33, [0.30, 0.35]),
    (133, [0.42, 0.35]),
    (362, [0.58, 0.35]),
    (263, [0.70, 0.35]), // eyes 0.12
    (0, [0.5, 0.60]),
    (17, [0.5, 0.68]), // lips 0.08
    (61, [0.42, 0.64]),
    (291, [0.58, 0.64]), // mouth 0.16
    (129, [0.42, 0.47]),
    (358, [0.58, 0.47]), // nose 0.16
];

fn mesh(face: &Face) -> Value {
    let mut points = vec![json!([0.5, 0.5, 0.0]); 468];
    for &(index, [x, y]) in face {
        points[index] = json!([x, y, 0.01]);
    }
    Value::Array(points)
}

fn input(options: Value) -> CalculationInput {
    let options = match options {
        Value::Object(map) => map,
        _ => Options::new(),
    };
    CalculationInput { birth: None, now: "2026-01-01T00:00:00Z".parse().expect("now"), location: None, options }
}

fn read(options: Value) -> FaceReading {
    face_reading::calculate(&input(options)).expect("a reading")
}

fn error_fields(err: EngineError) -> Vec<String> {
    match err {
        EngineError::Validation(errors) => errors.into_iter().map(|e| e.field).collect(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

fn proportion<'a>(reading: &'a FaceReading, name: &str) -> &'a face_reading::Proportion {
    reading.proportions.iter().find(|p| p.name == name).unwrap_or_else(|| panic!("no {name}"))
}

#[test]
fn a_long_narrow_face_reads_vata_by_the_documented_rules() {
    let reading = read(json!({"landmarks": mesh(&LONG_FACE)}));
    assert_eq!(reading.landmark_format, LandmarkFormat::Mesh468);
    // 0.70 / 0.50 = 1.4 ≥ 1.25 → Vata, 2 points.
    let ratio = proportion(&reading, "face_length_to_width");
    assert!((ratio.value - 1.4).abs() < 1e-12);
    assert_eq!((ratio.dosha, ratio.points), (Some(Dosha::Vata), 2.0));
    // 0.34 / 0.50 = 0.68 < 0.71 → Vata.
    assert!((proportion(&reading, "jaw_to_cheekbone_width").value - 0.68).abs() < 1e-12);
    assert_eq!(proportion(&reading, "jaw_to_cheekbone_width").dosha, Some(Dosha::Vata));
    // 0.40 / 0.34 = 1.176 ≥ 1.15 → Pitta (a face tapering to the chin).
    assert_eq!(proportion(&reading, "forehead_to_jaw_width").dosha, Some(Dosha::Pitta));
    // Eyes 0.07 / 0.50 = 0.14, lips 0.04 / 0.16 = 0.25, nose 0.10 / 0.50 = 0.20: all Vata.
    assert!((proportion(&reading, "eye_width_to_face_width").value - 0.14).abs() < 1e-12);
    assert!((proportion(&reading, "lip_height_to_mouth_width").value - 0.25).abs() < 1e-12);
    assert!((proportion(&reading, "nose_width_to_face_width").value - 0.20).abs() < 1e-12);
    // Thirds 0.15, 0.25, 0.30 of 0.70: the upper third is 12 % over its reference 0.191 → Vata.
    let upper = proportion(&reading, "upper_third");
    assert!((upper.value - 0.15 / 0.70).abs() < 1e-12);
    assert_eq!(upper.dosha, Some(Dosha::Vata));
    assert_eq!(proportion(&reading, "lower_third").dosha, None);
    // Vata 2 + 1 + 1 + 1 + 1 + 1 = 7 points, Pitta 1: 87.5 % and 12.5 %.
    assert_eq!((reading.dosha.points.vata, reading.dosha.points.pitta, reading.dosha.points.kapha), (7.0, 1.0, 0.0));
    assert_eq!((reading.dosha.vata, reading.dosha.pitta, reading.dosha.kapha), (87.5, 12.5, 0.0));
    assert_eq!(reading.dosha.dominant, Dosha::Vata);
    assert_eq!(reading.dosha.tendency, "Vata");
    // Vata is space and air, Pitta fire and water.
    let e = reading.elements;
    assert_eq!((e.space, e.air, e.fire, e.water, e.earth), (43.8, 43.8, 6.3, 6.3, 0.0));
    assert_eq!(reading.symmetry, Some(1.0));
    assert_eq!(reading.pose_warning, None);
}

#[test]
fn a_broad_face_reads_kapha_by_the_documented_rules() {
    let reading = read(json!({"landmarks": mesh(&BROAD_FACE)}));
    // 0.61 / 0.60 = 1.017 < 1.08 → Kapha; jaw 0.52 / 0.60 = 0.867 ≥ 0.84 → Kapha; forehead 0.46 /
    // 0.52 = 0.885 < 0.97 → Kapha; eyes 0.20, lips 0.50, nose 0.267 → Kapha; the lower third
    // (0.28 / 0.61 = 0.459, 11 % over 0.414) → Kapha.
    for p in &reading.proportions {
        assert!(p.dosha.is_none() || p.dosha == Some(Dosha::Kapha), "{} → {:?}", p.name, p.dosha);
    }
    assert_eq!(proportion(&reading, "lower_third").dosha, Some(Dosha::Kapha));
    assert_eq!(reading.dosha.points.kapha, 8.0);
    assert_eq!((reading.dosha.vata, reading.dosha.pitta, reading.dosha.kapha), (0.0, 0.0, 100.0));
    assert_eq!(reading.dosha.tendency, "Kapha");
    assert_eq!((reading.elements.water, reading.elements.earth), (50.0, 50.0));
}

#[test]
fn the_aspect_ratio_puts_x_and_y_in_the_same_units() {
    // On an image twice as wide as high, every width doubles: 0.70 / 1.00 = 0.7 → Kapha.
    let reading = read(json!({"landmarks": mesh(&LONG_FACE), "image_aspect_ratio": 2.0}));
    let ratio = proportion(&reading, "face_length_to_width");
    assert!((ratio.value - 0.7).abs() < 1e-12);
    assert_eq!(ratio.dosha, Some(Dosha::Kapha));
    assert_eq!(reading.image_aspect_ratio, 2.0);
    assert_eq!(reading.inputs_used, ["options.landmarks", "options.image_aspect_ratio"]);
}

#[test]
fn inputs_used_and_skipped_say_what_shaped_the_reading() {
    let reading = read(json!({"landmarks": mesh(&LONG_FACE)}));
    assert_eq!(reading.inputs_used, ["options.landmarks"]);
    assert_eq!(reading.inputs_skipped.len(), 1);
    assert_eq!(reading.inputs_skipped[0].field, "options.image_aspect_ratio");
}

#[test]
fn named_points_are_accepted_and_missing_optional_ones_are_reported() {
    let names = [
        (10, "forehead_top"),
        (9, "brow_center"),
        (2, "nose_base"),
        (152, "chin"),
        (234, "right_cheekbone"),
        (454, "left_cheekbone"),
        (172, "right_jaw"),
        (397, "left_jaw"),
        (54, "right_forehead"),
        (284, "left_forehead"),
        (0, "upper_lip_top"),
        (17, "lower_lip_bottom"),
        (61, "mouth_right"),
        (291, "mouth_left"),
    ];
    let mut landmarks = serde_json::Map::new();
    for (index, name) in names {
        let [x, y] = LONG_FACE.iter().find(|(i, _)| *i == index).map(|(_, p)| *p).expect("point");
        landmarks.insert(name.to_owned(), json!({"x": x, "y": y}));
    }
    let reading = read(json!({"landmarks": landmarks, "image_aspect_ratio": 1.0}));
    assert_eq!(reading.landmark_format, LandmarkFormat::Named);
    let measured: Vec<&str> = reading.proportions.iter().map(|p| p.name).collect();
    assert!(measured.contains(&"lip_height_to_mouth_width"));
    assert!(!measured.contains(&"eye_width_to_face_width"));
    assert!(!measured.contains(&"nose_width_to_face_width"));
    let skipped: Vec<&str> = reading.inputs_skipped.iter().map(|s| s.field.as_str()).collect();
    assert!(skipped.iter().any(|f| f.contains("options.landmarks.right_eye_outer")), "{skipped:?}");
    assert!(skipped.iter().any(|f| f.contains("options.landmarks.nose_right")), "{skipped:?}");
    assert!(skipped.contains(&"options.landmarks.nose_tip"));
    assert_eq!(reading.symmetry, None);
    // The same face through the mesh and through names measures the same.
    let full = read(json!({"landmarks": mesh(&LONG_FACE)}));
    assert_eq!(proportion(&reading, "face_length_to_width").value, proportion(&full, "face_length_to_width").value);
}

#[test]
fn a_turned_head_is_flagged() {
    let mut face = LONG_FACE;
    face[10] = (1, [0.68, 0.45]); // the nose tip near the left cheekbone
    let reading = read(json!({"landmarks": mesh(&face)}));
    assert!(reading.symmetry.is_some_and(|s| s < 0.8));
    assert!(reading.pose_warning.is_some());
}

#[test]
fn missing_landmarks_are_a_422_naming_options_landmarks() {
    let err = face_reading::calculate(&input(json!({}))).expect_err("refused");
    assert_eq!(error_fields(err), ["options.landmarks"]);
}

#[test]
fn identical_landmarks_are_a_clear_422_not_nan() {
    let all_same = Value::Array(vec![json!([0.5, 0.5]); 468]);
    match face_reading::calculate(&input(json!({"landmarks": all_same}))) {
        Err(EngineError::Validation(errors)) => {
            assert_eq!(errors.len(), 1);
            assert_eq!(errors[0].field, "options.landmarks");
            assert!(errors[0].message.contains("cheekbone"), "{}", errors[0].message);
        }
        other => panic!("expected a 422, got {other:?}"),
    }
}

#[test]
fn bad_options_are_named() {
    let landmarks = mesh(&LONG_FACE);
    let cases = [
        (json!({"landmarks": landmarks.clone(), "photo": "data:image/png;base64,AAAA"}), "options.photo"),
        (json!({"landmarks": landmarks.clone(), "image_aspect_ratio": 9}), "options.image_aspect_ratio"),
        (json!({"landmarks": landmarks.clone(), "image_aspect_ratio": "wide"}), "options.image_aspect_ratio"),
        (json!({"landmarks": "a face"}), "options.landmarks"),
        (json!({"landmarks": vec![json!([0.5, 0.5]); 479]}), "options.landmarks"),
        (json!({"landmarks": {"forehead_top": [0.5, -0.1]}}), "options.landmarks.forehead_top"),
    ];
    for (options, field) in cases {
        let err = face_reading::calculate(&input(options)).expect_err(field);
        assert_eq!(error_fields(err)[0], field);
    }
}

#[test]
fn the_same_landmarks_give_the_same_answer() {
    let a = read(json!({"landmarks": mesh(&BROAD_FACE)}));
    let b = read(json!({"landmarks": mesh(&BROAD_FACE)}));
    assert_eq!(a, b);
    assert_eq!(serde_json::to_string(&a).expect("json"), serde_json::to_string(&b).expect("json"));
}

#[test]
fn meta_matches_the_contract() {
    assert_eq!(face_reading::META.id, "face-reading");
    assert_eq!(face_reading::META.required_level, Level::new(1).expect("level"));
    assert_eq!(face_reading::META.time_granularity, TimeGranularity::Timeless);
    let required: Vec<_> = face_reading::META.inputs.iter().filter(|i| i.required).map(|i| i.field).collect();
    assert_eq!(required, ["options.landmarks"]);
}

#[test]
fn witness_prompts_differ_across_levels_and_name_the_reading() {
    for face in [&LONG_FACE, &BROAD_FACE] {
        let reading = read(json!({"landmarks": mesh(face)}));
        let prompts: Vec<String> = Level::all().map(|l| face_reading::witness_prompt(&reading, l)).collect();
        for (i, a) in prompts.iter().enumerate() {
            for b in &prompts[i + 1..] {
                assert_ne!(a, b);
            }
        }
        let name = reading.dosha.dominant;
        let name = format!("{name:?}");
        assert!(prompts.iter().all(|p| p.contains(&name)), "{prompts:#?}");
        for level in Level::all() {
            assert_eq!(face_reading::witness_prompt(&reading, level), face_reading::witness_prompt(&reading, level));
        }
    }
}

fn all_finite(reading: &FaceReading) -> bool {
    let d = &reading.dosha;
    let e = &reading.elements;
    reading.proportions.iter().all(|p| p.value.is_finite() && p.points.is_finite())
        && [d.vata, d.pitta, d.kapha, e.space, e.air, e.fire, e.water, e.earth].iter().all(|x| x.is_finite())
        && reading.symmetry.is_none_or(f64::is_finite)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Any points in range give either a finite reading or a 422 naming `options.landmarks`:
    /// never NaN, never a panic, and the shares add up to 100.
    #[test]
    fn any_valid_landmarks_give_a_finite_reading_or_a_clear_422(
        coords in proptest::collection::vec((0.0f64..=1.0, 0.0f64..=1.0), 21),
        aspect in 0.25f64..=4.0,
    ) {
        let mut face = LONG_FACE;
        for (slot, (x, y)) in face.iter_mut().zip(coords) {
            slot.1 = [x, y];
        }
        match face_reading::calculate(&input(json!({"landmarks": mesh(&face), "image_aspect_ratio": aspect}))) {
            Ok(reading) => {
                prop_assert!(all_finite(&reading));
                let d = &reading.dosha;
                prop_assert!((d.vata + d.pitta + d.kapha - 100.0).abs() < 0.2);
            }
            Err(EngineError::Validation(errors)) => {
                prop_assert_eq!(errors.len(), 1);
                prop_assert_eq!(errors[0].field.as_str(), "options.landmarks");
            }
            Err(other) => prop_assert!(false, "unexpected {:?}", other),
        }
    }

    /// Moving every point together changes nothing: only proportions count.
    #[test]
    fn a_shifted_face_reads_the_same(dx in -0.15f64..0.15, dy in -0.09f64..0.09) {
        let mut face = LONG_FACE;
        for slot in face.iter_mut() {
            slot.1 = [slot.1[0] + dx, slot.1[1] + dy];
        }
        let moved = read(json!({"landmarks": mesh(&face)}));
        let still = read(json!({"landmarks": mesh(&LONG_FACE)}));
        prop_assert_eq!(moved.dosha, still.dosha);
    }
}
