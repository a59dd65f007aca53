//! Witness prompts: a question drawn from the periods running now, worded for each level.

use super::{Dashas, Lord};
use crate::engines::Level;
use crate::engines::prompt::fnv1a;
use jiff::Timestamp;

/// A reflective question about the dashas in `result`, worded for `level`.
///
/// It names the mahadasha and antardasha running at `current_time` and when they turn (or, when
/// `current_time` lies outside the listed periods, the Moon's nakshatra and the period life began
/// in). The same result and level always give the same words; between the two phrasings of a
/// level, a hash of the result chooses.
pub fn witness_prompt(result: &Dashas, level: Level) -> String {
    let variant = (fingerprint(result) % 2) as usize;
    let nakshatra = result.birth_nakshatra.name;
    let Some(current) = &result.current else {
        let first = result.mahadashas.first();
        let lord = first.map_or(result.birth_nakshatra.lord, |m| m.lord);
        let balance = result.balance_years;
        return match level.get() {
            0 => format!(
                "Your life began with {balance:.1} years left of a {lord} period. What do you know about your first years \
                 that still shows up in how you live today?",
                lord = name(lord)
            ),
            1 => format!(
                "The Moon stood in {nakshatra} when you were born, opening your life inside a {lord} period. Which early \
                 theme can you still recognise in yourself?",
                lord = name(lord)
            ),
            2 => format!(
                "Your dasha story starts in {nakshatra}, in the middle of a {lord} chapter already under way. What did \
                 you inherit that was running before you arrived?",
                lord = name(lord)
            ),
            3 => format!(
                "A {lord} period was already unfolding when you arrived under {nakshatra}. What in you has never needed \
                 a period in order to be here?",
                lord = name(lord)
            ),
            4 => format!(
                "Before any {lord} years, before {nakshatra} was counted, what was already aware?",
                lord = name(lord)
            ),
            _ => format!(
                "{nakshatra}, {lord}, {balance:.1} years: numbers laid over a life. What remains when none of them is \
                 held?",
                lord = name(lord)
            ),
        };
    };
    let maha = name(current.mahadasha.lord);
    let antar = name(current.antardasha.lord);
    let prat = name(current.pratyantardasha.lord);
    let maha_since = day(current.mahadasha.start);
    let maha_until = day(current.mahadasha.end);
    let antar_until = day(current.antardasha.end);
    let prat_until = day(current.pratyantardasha.end);
    match (level.get(), variant) {
        (0, 0) => format!(
            "You are in a {maha} period, and inside it a {antar} stretch that lasts until {antar_until}. What is one \
             thing that has taken up more of your days lately, and did you choose it?"
        ),
        (0, _) => format!(
            "Until {antar_until} your chart marks a {antar} stretch inside a longer {maha} period. What is one small, \
             practical thing you keep coming back to these weeks?"
        ),
        (1, 0) => format!(
            "The {maha} mahadasha has been running since {maha_since}, with {antar} as its current sub-period. Which \
             concern keeps returning in this stretch, and what might it be asking of you?"
        ),
        (1, _) => format!(
            "{maha} sets the long season and {antar} the present weather until {antar_until}. What do you notice \
             yourself reaching for again and again right now?"
        ),
        (2, 0) => format!(
            "This {maha} chapter runs from {maha_since} to {maha_until}; its {antar} section turns on {antar_until}. \
             Looking at the chapter so far, what pattern do you see now that you could not see when it began?"
        ),
        (2, _) => format!(
            "Between {maha_since} and {maha_until} the {maha} years unfold, and {antar} leads the part you are in. \
             What story have you been telling about this time, and is it the only true one?"
        ),
        (3, 0) => format!(
            "{maha} for the long theme, {antar} for the present key, {prat} for the passing note until {prat_until}. \
             When a theme repeats like this, who is it that notices the repeating?"
        ),
        (3, _) => format!(
            "Inside {maha}, inside {antar}, a short {prat} phase ends on {prat_until}. Can you feel the difference \
             between what changes with the phases and what watches them change?"
        ),
        (4, 0) => format!(
            "A table can say that {antar} gives way on {antar_until} and {maha} on {maha_until}. What in you was here \
             before this period began and will be here when it ends?"
        ),
        (4, _) => format!(
            "{maha}, then {antar}, then {prat}: each period arrives and leaves on its date. Where do they arrive to?"
        ),
        (_, 0) => format!(
            "{maha}, {antar}, {prat}: seasons passing through awareness. Can you rest as that in which the {maha} \
             years appear, neither waiting for {maha_until} nor holding on?"
        ),
        (_, _) => format!(
            "The {prat} phase ends on {prat_until}, the {maha} years on {maha_until}. Is there anything here that \
             began, or anything that could end?"
        ),
    }
}

fn name(lord: Lord) -> &'static str {
    lord.name()
}

/// The UTC calendar date of an instant, `YYYY-MM-DD`.
fn day(ts: Timestamp) -> String {
    ts.strftime("%Y-%m-%d").to_string()
}

/// FNV-1a over the values that make this result what it is.
fn fingerprint(result: &Dashas) -> u64 {
    let running = result.current.as_ref().map(|current| current.pratyantardasha.start.as_second().to_le_bytes());
    fnv1a(
        result
            .birth_instant
            .as_second()
            .to_le_bytes()
            .into_iter()
            .chain(result.moon_longitude.to_bits().to_le_bytes())
            .chain(running.into_iter().flatten()),
    )
}
