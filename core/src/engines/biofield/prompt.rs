//! Witness prompts: a question drawn from the strongest and quietest chakras of the profile.

use super::{Chakra, ChakraProfile};
use crate::engines::Level;
use crate::engines::prompt::fnv1a;

/// A reflective question about the profile in `result`, worded for `level`.
///
/// It names the strongest and the quietest chakra and the chart fact that weighs most on the
/// quietest. The same result and level always give the same words; between the two phrasings of
/// a level, a hash of the scores chooses.
pub fn witness_prompt(result: &ChakraProfile, level: Level) -> String {
    let find = |name| result.chakras.iter().find(|c| c.name == name);
    let (Some(high), Some(low)) = (find(result.strongest), find(result.quietest)) else {
        return "Where in your body do you feel most awake right now, and where least?".to_owned();
    };
    let variant = (fingerprint(result) % 2) as usize;
    let h = label(high);
    let l = label(low);
    let hs = high.score;
    let ls = low.score;
    let fact = heaviest(low);
    let measured = if result.measurements.is_empty() { "your chart" } else { "your chart and your own measurements" };
    match (level.get(), variant) {
        (0, 0) => format!(
            "In this reading your {h} scores highest, at {hs}, and your {l} lowest, at {ls}. Think of today: where did \
             you feel most at ease in your body, and where did you hold back?"
        ),
        (0, _) => format!(
            "Your {l} comes out quietest, at {ls}, mostly because of this: {fact}. What is one simple thing you could \
             do this week that would feel good for that part of you?"
        ),
        (1, 0) => format!(
            "Read from {measured}, {h} stands out at {hs} while {l} rests at {ls}. Which of the two do you lean on \
             when things get hard, and which do you tend to forget?"
        ),
        (1, _) => format!(
            "The heaviest weight on your {l} ({ls}) is this: {fact}. Does that match anything you notice in how you \
             live right now?"
        ),
        (2, 0) => format!(
            "The profile tilts toward {h}, at {hs}, and away from {l}, at {ls}. When you rely on your strongest \
             centre, what do you avoid feeling in the quietest?"
        ),
        (2, _) => format!(
            "One chart fact, {fact}, keeps your {l} down at {ls}. What would change if you met that quietness with \
             curiosity rather than correction?"
        ),
        (3, 0) => format!(
            "High {h}, low {l}: a map of where attention gathers and where it thins. Can you feel {l} now, directly, \
             without deciding whether it is too little?"
        ),
        (3, _) => format!(
            "The numbers say {h} {hs}, {l} {ls}. Set them aside for a breath: what does the place of {l} feel like \
             from the inside, just as it is?"
        ),
        (4, 0) => format!(
            "A strong {h}, a quiet {l}: both are known. What is it that knows them, and does it have a centre of its \
             own?"
        ),
        (4, _) => format!(
            "Energy gathers in {h} and thins in {l}. Is the awareness that notices this any stronger in one place \
             than in the other?"
        ),
        (_, 0) => format!(
            "{h} and {l}, high and low, appear in the same open space. Can you rest as that space, which neither \
             rises nor falls?"
        ),
        (_, _) => format!("Before the {hs} of {h} and the {ls} of {l}, before root or crown, what is already whole?"),
    }
}

/// "Anahata (heart)".
fn label(chakra: &Chakra) -> String {
    format!("{:?} ({})", chakra.name, chakra.english)
}

/// The factor with the most negative points on this chakra, or its dignity when none is negative.
fn heaviest(chakra: &Chakra) -> String {
    chakra
        .factors
        .iter()
        .min_by(|a, b| a.points.total_cmp(&b.points))
        .map_or_else(|| "its ruler's place in the chart".to_owned(), |f| f.detail.clone())
}

/// FNV-1a over the chakra scores.
fn fingerprint(result: &ChakraProfile) -> u64 {
    fnv1a(result.chakras.iter().flat_map(|chakra| chakra.score.to_bits().to_le_bytes()))
}
