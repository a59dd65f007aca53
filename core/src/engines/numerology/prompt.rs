//! Witness prompts: one reflective question built from a numerology result, worded for each level.

use super::{NumberReading, NumerologyResult};
use crate::engines::Level;
use crate::engines::prompt::fnv1a;

/// A reflective question about this result, plain and concrete at level 0 and, by level 5, turning
/// toward the one who is reading the numbers.
///
/// Deterministic: where a level has more than one phrasing, the result's own numbers choose it.
pub fn witness_prompt(result: &NumerologyResult, level: Level) -> String {
    let lp = &result.life_path;
    let ex = &result.expression;
    let su = describe(result.soul_urge.as_ref(), "soul urge", "no soul urge number (no vowels in the name)");
    let pe = describe(result.personality.as_ref(), "personality", "no personality number (no consonants in the name)");
    // FNV's lowest bit mixes poorly (it is the parity of the input), so read a high one.
    let second = (fingerprint(result) >> 40) & 1 == 1;
    match (level.get(), second) {
        (0, false) => format!(
            "Your life path number is {} ({}). Think of one moment this week when the {} in you took the \
             lead. What were you doing, and how did it feel?",
            lp.value,
            lp.keyword,
            lp.keyword.to_lowercase()
        ),
        (0, true) => format!(
            "Your name adds up to {} ({}) and your birthday number is {}. What is one everyday task where \
             the {} in you shows up without any effort?",
            ex.value,
            ex.keyword,
            result.birthday.value,
            ex.keyword.to_lowercase()
        ),
        (1, false) => format!(
            "Your name gives {su} inside and {pe} on the surface. When did what you want and what people \
             see of you last pull in different directions, and where in your body did you feel it?"
        ),
        (1, true) => format!(
            "Life path {} is often called the {}. Today, notice one feeling that fits that picture and one \
             that does not. Which of the two do you hold on to longer?",
            lp.value, lp.keyword
        ),
        (2, false) => format!(
            "Expression {} describes a way of acting as the {}. Watch it at work today: is it chosen fresh \
             each time, or is it an old habit that once kept you safe?",
            ex.value, ex.keyword
        ),
        (2, true) => format!(
            "Your birth date folds down step by step ({}) to a life path of {}. Which story about yourself \
             works the same way, folding many years into one tidy conclusion?",
            life_path_steps(result),
            lp.value
        ),
        (3, false) => format!(
            "Life path {}, expression {}, {su}, {pe}: which of these do you most want to be true of you, \
             and which would you rather not be? What changes if all of them are descriptions passing through?",
            lp.value, ex.value
        ),
        (3, true) => format!(
            "The same name counts as {} in the Pythagorean table and {} in the Chaldean one. If a name can be \
             counted two ways, how fixed is the self it names?",
            ex.value, result.chaldean.value
        ),
        (4, false) => format!(
            "The {} of life path {} is a shape that attention can take. Before attention takes any shape at \
             all, what is it like?",
            lp.keyword, lp.value
        ),
        (4, true) => format!(
            "Life path {} is a sum: {}. Someone seems to be doing the counting. Look for that one: is what \
             you find a number?",
            lp.value,
            life_path_steps(result)
        ),
        (_, false) => format!(
            "Life path {}, {su}: numbers appear, and something knows them appearing. Is that knowing ever \
             added up?",
            lp.value
        ),
        (_, true) => format!(
            "The letters {} become {}, then a meaning, then a sense of who you are. What is here before the \
             first letter is counted?",
            result.letters, ex.value
        ),
    }
}

fn describe(reading: Option<&NumberReading>, label: &str, absent: &str) -> String {
    reading.map_or_else(|| absent.to_owned(), |r| format!("{label} {} ({})", r.value, r.keyword))
}

fn chain(chain: &[u32]) -> String {
    chain.iter().map(u32::to_string).collect::<Vec<_>>().join(" → ")
}

/// How the life path was reached: `1985 → 23 → 5, 11 and 22 make 38 → 11`.
fn life_path_steps(result: &NumerologyResult) -> String {
    let parts = &result.life_path_parts;
    format!(
        "{}, {} and {} make {}",
        chain(&parts.year),
        chain(&parts.month),
        chain(&parts.day),
        chain(&result.life_path.chain)
    )
}

/// FNV-1a over the result's numbers and letters: a stable choice of phrasing per result.
fn fingerprint(result: &NumerologyResult) -> u64 {
    let numbers = [
        result.life_path.value,
        result.expression.value,
        result.soul_urge.as_ref().map_or(0, |r| r.value),
        result.personality.as_ref().map_or(0, |r| r.value),
        result.birthday.value,
        result.chaldean.value,
    ];
    fnv1a(numbers.iter().flat_map(|n| n.to_le_bytes()).chain(result.letters.bytes()))
}
