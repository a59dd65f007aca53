//! The workflow's witness prompt: one reflective question about the whole reading, built from its
//! strongest tension on the axes the workflow is most about (else its strongest tension, theme or
//! alignment, in that order), plain and practical at level 0 and, by level 5, turning toward
//! whatever notices the reading.

use super::vocabulary::{self as v};
use super::{Alignment, Tension, Theme, names, number_word};
use crate::engines::Level;
use crate::workflows::WorkflowMeta;

/// The prompt for a synthesis of the answers of `engines`.
pub(super) fn prompt(
    workflow: &WorkflowMeta,
    level: Level,
    engines: &[&str],
    themes: &[Theme],
    alignments: &[Alignment],
    tensions: &[Tension],
) -> String {
    let level = level.get();
    let rank =
        |tension: &Tension| workflow.emphasis.iter().position(|axis| *axis == tension.axis).unwrap_or(usize::MAX);
    // The list is strongest first, and `min_by_key` keeps the first of equals.
    if let Some(tension) = tensions.iter().min_by_key(|tension| rank(tension)) {
        return tension_prompt(tension, level);
    }
    if let Some(theme) = themes.first() {
        return theme_prompt(theme, level);
    }
    if let Some(alignment) = alignments.first() {
        return alignment_prompt(alignment, level);
    }
    match engines {
        [] => nothing_prompt(workflow, level),
        [one] => lone_prompt(one, level),
        several => quiet_prompt(several, level),
    }
}

fn ids(engines: &[String]) -> Vec<&str> {
    engines.iter().map(String::as_str).collect()
}

fn tension_prompt(tension: &Tension, level: u8) -> String {
    let side = |i: usize| {
        tension
            .sides
            .get(i)
            .map_or((String::new(), ""), |side| (names(&ids(&side.engines)), v::pole_words(&side.pole).1))
    };
    let ((who_a, a), (who_b, b)) = (side(0), side(1));
    let one = |i: usize| tension.sides.get(i).is_some_and(|side| side.engines.len() == 1);
    let (point_a, point_b) = (if one(0) { "points" } else { "point" }, if one(1) { "points" } else { "point" });
    let (lean_a, lean_b) = (if one(0) { "leans" } else { "lean" }, if one(1) { "leans" } else { "lean" });
    match level {
        0 => format!(
            "{who_a} {point_a} to {a}; {who_b} {point_b} to {b}. What is one small thing you could do today that gives \
             each of them a little room?"
        ),
        1 => format!(
            "Part of this reading leans toward {a} ({who_a}), part toward {b} ({who_b}). Picture each in turn: \
             where do you feel it in your body, and which one lets you breathe more easily?"
        ),
        2 => format!(
            "{who_a} {lean_a} toward {a}; {who_b} {lean_b} toward {b}. When two pulls like these meet in you, which do you usually obey, \
             and what has that habit been protecting?"
        ),
        3 => format!(
            "{} or {b}: the systems describe you both ways. If neither description had to be who you are, what \
             would be left to choose?",
            v::capitalised(a)
        ),
        4 => format!("A pull toward {a}, a pull toward {b}. Before either becomes a decision, what is aware of both?"),
        _ => format!(
            "{} and {b} arise together and are known together. Does the knowing lean either way?",
            v::capitalised(a)
        ),
    }
}

fn theme_prompt(theme: &Theme, level: u8) -> String {
    let shown = v::prose(theme.axis, &theme.value);
    let cap = v::capitalised(&shown);
    let who = names(&ids(&theme.engines));
    let n = number_word(theme.engines.len());
    let all = if theme.engines.len() > 2 { "all" } else { "both" };
    match level {
        0 => {
            format!("{cap} shows up in {n} of these systems ({who}). Where might {shown} show up in what you do today?")
        }
        1 => format!(
            "{cap} keeps coming back: {who} {all} name it. What do you feel when the same sign finds you more than once?"
        ),
        2 => format!(
            "{who} {all} return to {shown}. What in your life keeps returning in the same way, and what holds it in place?"
        ),
        3 => format!(
            "{cap}, and {shown} again. If no system ever pointed to {shown}, would anything about you be missing?"
        ),
        4 => format!("{cap} echoes through {n} systems. Before it is named at all, what is here?"),
        _ => format!("{cap} appears, and appears again. To what does it appear?"),
    }
}

fn alignment_prompt(alignment: &Alignment, level: u8) -> String {
    let pole = v::pole_words(&alignment.pole).1;
    let who = names(&ids(&alignment.engines));
    let all = if alignment.engines.len() > 2 { "all" } else { "both" };
    match level {
        0 => format!("{who} agree on {pole}. What would {pole} look like in one thing you do today?"),
        1 => {
            format!("{who} {all} point to {pole}. Is that what your body wants right now, or only what the charts say?")
        }
        2 => format!("Several systems agree on {pole} ({who}). Is that a new direction for you, or the familiar one?"),
        3 => format!("{who} agree: {pole}. Who would you be if, just once, you did the opposite?"),
        4 => format!("The systems converge on {pole}. What is here before any direction at all?"),
        _ => format!("Agreement appears, {pole}, and is seen. Does the seeing agree with anything?"),
    }
}

fn lone_prompt(engine: &str, level: u8) -> String {
    let name = names(&[engine]);
    match level {
        0 => format!(
            "Only {name} answered in this run, so nothing can be compared yet. What is one thing from its answer \
             you could try today?"
        ),
        1 => format!("Only {name} answered this time. As you read its answer, what do you feel, and where?"),
        2 => format!("Only {name} answered this time. Which part of its answer sounds like a story you already tell?"),
        3 => {
            format!("{name} speaks alone this time. With nothing to confirm it, how much of it do you take to be you?")
        }
        4 => format!("A single answer, from {name}. Before you agree or disagree with it, what is here?"),
        _ => format!("One answer appears, from {name}, and is known. What knows it?"),
    }
}

fn quiet_prompt(engines: &[&str], level: u8) -> String {
    let who = names(engines);
    match level {
        0 => format!(
            "{who} each describe this moment in their own terms, and none repeats another. Which one fits your day \
             best, and why?"
        ),
        1 => format!("{who} agree on nothing in particular. Which of their answers do you feel most, and where?"),
        2 => format!(
            "{who} do not echo each other. Which answer do you reach for first, and what makes it the familiar one?"
        ),
        3 => format!("{who} each give a different picture. If none of them were the real you, what would you be?"),
        4 => "Several descriptions, no common thread. What is here before any of them?".to_owned(),
        _ => format!("Descriptions appear, from {who}, and are known. Is the knowing one of them?"),
    }
}

fn nothing_prompt(workflow: &WorkflowMeta, level: u8) -> String {
    let name = workflow.name;
    match level {
        0 => format!(
            "No engine of {name} could answer this time; the skipped and failed lists say why. What would you like \
             this reading to help you with once they can?"
        ),
        1 => format!("{name} has no answers for you yet. What do you feel, meeting a reading with nothing in it?"),
        2 => format!("{name} came back empty this time. What do you usually do when an answer does not come?"),
        3 => "No system describes you this time. Who are you, with no description at all?".to_owned(),
        4 => "Nothing was calculated. What is here, with nothing to read?".to_owned(),
        _ => "No answer appears. What knows that none appears?".to_owned(),
    }
}
