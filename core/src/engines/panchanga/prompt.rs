//! Witness prompts drawn from a panchanga.

use super::result::Panchanga;
use crate::engines::Level;
use crate::engines::prompt::fnv1a;

/// A reflective question built from this panchanga, worded for `level` (0 plain and practical,
/// 5 turned toward the one who notices). The same result and level always give the same words.
pub fn witness_prompt(result: &Panchanga, level: Level) -> String {
    let tithi = format!("{} {}", result.tithi.paksha, result.tithi.name);
    let nakshatra = result.nakshatra.name;
    let waxing = result.tithi.index < 15;
    let variant = fingerprint(result) % 2;
    match (level.get(), variant) {
        (0, 0) => format!(
            "It is {tithi}, and the Moon is {}. What is one practical thing you could {} before this lunar day ends?",
            if waxing { "growing fuller" } else { "thinning toward new" },
            if waxing { "begin or build on" } else { "finish or clear away" },
        ),
        (0, _) => format!(
            "The Moon is in {nakshatra} on this {}. What does your body need today that you have been putting off?",
            result.vara.name
        ),
        (1, 0) => format!(
            "With the Moon in {nakshatra} (pada {}) during {tithi}, notice what you reach for first when you feel \
             rushed. Is it what you would choose if you slowed down?",
            result.nakshatra.pada
        ),
        (1, _) => format!(
            "{tithi} falls on a {} ruled by {}. Where today are you pushing, and where could you simply show up?",
            result.vara.name, result.vara.lord
        ),
        (2, 0) => format!(
            "The yoga now is {} and the karana {}. Which old habit quietly steers your day, and what happens when you \
             watch it without arguing with it?",
            result.yoga.name, result.karana.name
        ),
        (2, _) => format!(
            "{nakshatra}, ruled by {}, colours this {tithi}. Which story about yourself do you keep retelling, and \
             who would you be for one hour without it?",
            result.nakshatra.lord
        ),
        (3, 0) => format!(
            "The Moon has drawn {:.0}° ahead of the Sun. Which feeling has come back to you more than once today, and \
             can you let it stay without needing it to change?",
            result.elongation_deg
        ),
        (3, _) => format!(
            "Under {} yoga in {nakshatra}, notice the space between an impulse and your answer to it. What lives in \
             that space?",
            result.yoga.name
        ),
        (4, 0) => format!(
            "{tithi} gives way to the next lunar day soon, as every mood gives way to the next. What in you watches \
             the moods arrive and leave without being one of them?"
        ),
        (4, _) => format!(
            "The Moon moves through {nakshatra} whether or not you attend to it. Right now, is there a noticing that \
             is not yours, that simply happens?"
        ),
        (5, 0) => format!(
            "{tithi}, {nakshatra}, {}: names laid over one moving sky. Before any name arrives, what is already \
             aware?",
            result.yoga.name
        ),
        (_, _) => format!(
            "Sun at {:.1}°, Moon at {:.1}°, and this very seeing of them. Is the one who sees apart from what is \
             seen?",
            result.sun_longitude, result.moon_longitude
        ),
    }
}

/// A small deterministic hash of the limbs, to vary the wording from day to day.
fn fingerprint(result: &Panchanga) -> u64 {
    fnv1a([result.tithi.index, result.nakshatra.index, result.yoga.index, result.karana.slot, result.vara.index])
}
