//! Witness prompts: a question drawn from the dosha reading and the proportion that carried it.

use super::FaceReading;
use crate::engines::Level;
use crate::engines::prompt::fnv1a;

/// A reflective question about the reading in `result`, worded for `level`.
///
/// It names the tendency and the proportion that gave the dominant dosha the most points. The
/// same result and level always give the same words; between the two phrasings of a level, a
/// hash of the proportions chooses.
pub fn witness_prompt(result: &FaceReading, level: Level) -> String {
    let tendency = &result.dosha.tendency;
    let dominant = result.dosha.dominant.name();
    let share = match result.dosha.dominant {
        super::Dosha::Vata => result.dosha.vata,
        super::Dosha::Pitta => result.dosha.pitta,
        super::Dosha::Kapha => result.dosha.kapha,
    };
    let carrier = result
        .proportions
        .iter()
        .filter(|p| p.dosha == Some(result.dosha.dominant))
        .max_by(|a, b| a.points.total_cmp(&b.points))
        .map_or_else(|| "the overall shape".to_owned(), |p| format!("{} ({:.2})", words(p.name), p.value));
    let variant = (fingerprint(result) % 2) as usize;
    match (level.get(), variant) {
        (0, 0) => format!(
            "{share} % of your face reading points to {dominant} (tendency: {tendency}), led by the {carrier}. In \
             your daily routine, what helps you feel steady, and what throws you off?"
        ),
        (0, _) => format!(
            "The reading says {tendency}, mostly from the {carrier}. Think of how you eat, sleep and move: does \
             that tendency show up anywhere you can actually see?"
        ),
        (1, 0) => format!(
            "A {tendency} leaning, read from the {carrier}. When you are tired or stressed, which way do you tip: \
             restless, heated, or heavy?"
        ),
        (1, _) => format!(
            "{dominant} carries {share} % of this reading. What would it look like to work with that quality this \
             week rather than against it?"
        ),
        (2, 0) => format!(
            "Tradition reads {tendency} in a face like this ({carrier}). Which parts of that description do you \
             recognise, and which do you resist being told?"
        ),
        (2, _) => format!(
            "Your features were read as {tendency}. Is there a story you carry about your face or your body that \
             is older than this reading, and is it still true?"
        ),
        (3, 0) => {
            format!("{dominant}, {share} %: a measure of a face. Who looks out through the face that was measured?")
        }
        (3, _) => format!(
            "Proportions like the {carrier} were turned into a {tendency} reading. Can you notice the one who is \
             interested in this, before it agrees or disagrees?"
        ),
        (4, 0) => format!(
            "Space, air, fire, water, earth: the reading weighs them in your features, {dominant} foremost. What in \
             you is not made of any element?"
        ),
        (4, _) => format!("A {tendency} face is seen. What is it that sees, and does it have a shape?"),
        (_, 0) => format!(
            "Face, proportion, {dominant}: all of it appears. Rest as the open seeing in which even the seer is \
             not found."
        ),
        (_, _) => format!("Before any {tendency} and before any face, what was never measured?"),
    }
}

/// A proportion's name in words.
fn words(name: &str) -> &'static str {
    match name {
        "face_length_to_width" => "length-to-width ratio of the face",
        "jaw_to_cheekbone_width" => "jaw-to-cheekbone width",
        "forehead_to_jaw_width" => "forehead-to-jaw width",
        "eye_width_to_face_width" => "eye-to-face width",
        "lip_height_to_mouth_width" => "lip fullness",
        "nose_width_to_face_width" => "nose-to-face width",
        "upper_third" => "share of the upper third",
        "middle_third" => "share of the middle third",
        _ => "share of the lower third",
    }
}

/// FNV-1a over the proportion values.
fn fingerprint(result: &FaceReading) -> u64 {
    fnv1a(result.proportions.iter().flat_map(|p| p.value.to_bits().to_le_bytes()))
}
