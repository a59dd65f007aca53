//! Witness prompts: one reflective question built from a biorhythm result, worded for each level.

use super::text::{phase_words, signed_percent, thousands};
use super::{BiorhythmResult, Cycle, CycleReading};
use crate::engines::Level;
use crate::engines::prompt::fnv1a;

/// A reflective question about this day's cycles, concrete at level 0 and, by level 5, turning
/// toward what notices the rhythms.
///
/// Deterministic: where a level has more than one phrasing, the result's own numbers choose it.
pub fn witness_prompt(result: &BiorhythmResult, level: Level) -> String {
    let days = thousands(result.days_alive);
    let (high, high_reading) = extreme(result, |a, b| a.value > b.value);
    let (low, low_reading) = extreme(result, |a, b| a.value < b.value);
    let high_pct = signed_percent(high_reading.percent);
    let low_pct = signed_percent(low_reading.percent);
    let physical = &result.cycles.physical;
    let emotional = &result.cycles.emotional;
    let intellectual = &result.cycles.intellectual;
    let second = fingerprint(result) % 2 == 1;
    match (level.get(), second) {
        (0, false) => format!(
            "You are {days} days old today. Your {} cycle is highest ({high_pct}%) and your {} cycle lowest \
             ({low_pct}%). What is one thing you could do today that suits that mix?",
            high.name(),
            low.name()
        ),
        (0, true) => format!(
            "Today your physical cycle is {} at {}%. How did your body actually feel when you got up this \
             morning, and does it match the number?",
            phase_words(physical.phase),
            signed_percent(physical.percent)
        ),
        (1, false) => format!(
            "Your emotional cycle stands at {}% and is {}. Pause for one breath: what mood is actually here \
             right now, and where in your body do you feel it?",
            signed_percent(emotional.percent),
            phase_words(emotional.phase)
        ),
        (1, true) => format!(
            "{} When things feel unsteady, what do you usually reach for first, and what happens if you \
             wait a moment before reaching?",
            critical_sentence(result)
        ),
        (2, false) => format!(
            "The chart puts your {} cycle low today ({low_pct}%). Does knowing that change how you read your \
             own tiredness or doubt? Which comes first, the feeling or the explanation?",
            low.name()
        ),
        (2, true) => format!(
            "Day {days} of your life. Which of today's reactions feel like repeats of very old ones, and \
             which, if any, feel new?"
        ),
        (3, false) => format!(
            "Physical {}%, emotional {}%, intellectual {}%: three rhythms rising and falling at their own \
             speeds. Who is it that says \"I'm up\" or \"I'm down\" as they move?",
            signed_percent(physical.percent),
            signed_percent(emotional.percent),
            signed_percent(intellectual.percent)
        ),
        (3, true) => format!(
            "Your {} cycle is {} today{}. Can today be met as fully as a peak would be, without waiting \
             for one?",
            low.name(),
            phase_words(low_reading.phase),
            match low_reading.days_to_peak {
                0 => String::new(),
                1 => " and peaks tomorrow".to_owned(),
                n => format!(" and peaks in {n} days"),
            }
        ),
        (4, false) => format!(
            "Four curves have crossed zero and turned again for {days} days. What in you has neither risen \
             nor fallen in all that time?"
        ),
        (4, true) => format!(
            "Today the {} cycle leads and the {} cycle trails, and both pass through awareness. Does \
             awareness itself have a phase?",
            high.name(),
            low.name()
        ),
        (_, false) => format!(
            "{days} days, four waves. Rest as what the waves are made of: is there anything here that needs \
             to peak?"
        ),
        (_, true) => format!(
            "Before \"physical {}%\" and \"emotional {}%\", before the word \"today\": what is simply here?",
            signed_percent(physical.percent),
            signed_percent(emotional.percent)
        ),
    }
}

/// The cycle whose reading wins `better` against all others (the first on a tie).
fn extreme(result: &BiorhythmResult, better: fn(&CycleReading, &CycleReading) -> bool) -> (Cycle, &CycleReading) {
    let mut best = (Cycle::Physical, &result.cycles.physical);
    for (cycle, reading) in result.cycles.iter() {
        if better(reading, best.1) {
            best = (cycle, reading);
        }
    }
    best
}

fn critical_sentence(result: &BiorhythmResult) -> String {
    let today: Vec<&str> =
        result.cycles.iter().filter(|(c, r)| Cycle::PRIMARY.contains(c) && r.critical).map(|(c, _)| c.name()).collect();
    if !today.is_empty() {
        return format!("Today is a critical day for your {} cycle{}.", today.join(" and "), plural(today.len()));
    }
    match result.critical_days.first() {
        Some(next) => format!(
            "Your next critical day is {}, in {} day{}.",
            next.date,
            next.days_from_target,
            plural(next.days_from_target as usize)
        ),
        None => format!("No critical day falls in the next {} days.", result.forecast_days),
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// FNV-1a over the days alive and forecast length: a stable choice of phrasing per result.
fn fingerprint(result: &BiorhythmResult) -> u64 {
    fnv1a(result.days_alive.to_le_bytes().into_iter().chain(result.forecast_days.to_le_bytes()))
}
