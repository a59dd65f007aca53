//! The synthesis of a workflow's answers: what recurs across engines, where they agree, where they
//! pull apart, and one witness prompt for the whole.
//!
//! Computed from the engines' results alone, by fixed rules (`docs/workflows.md`), in our own words:
//! no text generator, no randomness, and the same answers always give the same synthesis, whatever
//! order they arrive in.
//!
//! 1. Each answer is read into *signals* ([`signals`]): values on the axes of a small shared
//!    vocabulary ([`vocabulary`]), each citing the result fields it came from.
//! 2. **Themes**: a value of a categorical axis (a planet, an element, a dosha, a number's root)
//!    that at least two engines give, from at least two independent facts. Two engines reading the
//!    very same fact (panchanga and vimshottari both name the lord of the Moon's nakshatra at birth)
//!    are one voice, not two.
//! 3. On each polar axis (momentum, direction, pace) every engine takes the side most of its signals
//!    take, or none on a tie. **Alignments**: two or more engines on one side. **Tensions**: engines on
//!    both sides, with a question that holds both.
//! 4. The **witness prompt** is built from the strongest tension on the axes the workflow is most
//!    about ([`WorkflowMeta::emphasis`]), else the strongest tension, theme or alignment, worded for
//!    the caller's level; with one answer or none it says so.

mod signals;
mod vocabulary;
mod witness;

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use self::signals::Signal;
use self::vocabulary as v;
pub use self::vocabulary::Axis;
use super::WorkflowMeta;
use super::plan::sentence_list;
use crate::engines::{EngineResponse, Level, registry};

/// What the engines of a workflow say together. Never absent from a response: with fewer than two
/// answers its lists are empty and the prompt says what there is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Synthesis {
    /// The engines whose answers were read, by id in alphabetical order.
    pub engines: Vec<String>,
    /// Values that recur across engines, strongest first.
    pub themes: Vec<Theme>,
    /// Engines pointing the same way on one axis, strongest first.
    pub alignments: Vec<Alignment>,
    /// Engines pointing opposite ways on one axis, strongest first.
    pub tensions: Vec<Tension>,
    /// One reflective question for the whole reading, worded for the caller's level.
    pub witness_prompt: String,
}

/// A value that recurs across engines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Theme {
    /// `{axis}-{value}`, e.g. `planet-mars`, `number-4`.
    pub id: String,
    pub axis: Axis,
    pub value: String,
    pub title: String,
    pub description: String,
    /// The engines it draws on, by id in alphabetical order.
    pub engines: Vec<String>,
    pub evidence: Vec<Evidence>,
}

/// Two or more engines pointing the same way on one axis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alignment {
    /// `{axis}-{pole}`, e.g. `direction-outward`.
    pub id: String,
    pub axis: Axis,
    pub pole: String,
    pub title: String,
    pub description: String,
    pub engines: Vec<String>,
    pub evidence: Vec<Evidence>,
}

/// Engines pointing opposite ways on one axis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tension {
    /// The axis's name, e.g. `pace`.
    pub id: String,
    pub axis: Axis,
    pub title: String,
    pub description: String,
    /// A question that holds both sides rather than choosing one.
    pub question: String,
    /// Every engine on either side.
    pub engines: Vec<String>,
    /// The two sides, in the axis's order.
    pub sides: Vec<TensionSide>,
    pub evidence: Vec<Evidence>,
}

/// One side of a tension.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TensionSide {
    pub pole: String,
    pub engines: Vec<String>,
}

/// One result field a synthesis item rests on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    pub engine_id: String,
    /// A JSON pointer into that engine's `result`, e.g. `/hora/lord`.
    pub field: String,
    /// The field's value, as short text.
    pub value: String,
    /// On a polar axis, the side this field was read as.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pole: Option<String>,
}

/// The synthesis of `outputs`, the answers of `workflow`'s engines, for a caller of `level`.
///
/// Never fails: an answer whose result lacks a field gives no signal from it, an answer from an
/// engine this crate does not know is left out (and not listed in `engines`), and a second answer
/// from one engine is ignored. Every item names only engines whose answers are in `outputs`.
pub fn synthesize(workflow: &WorkflowMeta, level: Level, outputs: &[EngineResponse]) -> Synthesis {
    let mut answers: BTreeMap<&'static str, &EngineResponse> = BTreeMap::new();
    for output in outputs {
        if let Some(engine) = registry::find(&output.engine_id) {
            answers.entry(engine.meta().id).or_insert(output);
        }
    }
    let signals: Vec<Signal> =
        answers.iter().flat_map(|(engine, answer)| signals::read(engine, &answer.result, workflow.moment)).collect();
    let themes = themes(&signals);
    let (alignments, tensions) = sides(&signals);
    let engines: Vec<&'static str> = answers.keys().copied().collect();
    let witness_prompt = witness::prompt(workflow, level, &engines, &themes, &alignments, &tensions);
    Synthesis {
        engines: engines.iter().map(|id| (*id).to_owned()).collect(),
        themes,
        alignments,
        tensions,
        witness_prompt,
    }
}

/// The themes among `signals`, strongest (most independent voices, then most engines) first.
fn themes(signals: &[Signal]) -> Vec<Theme> {
    let mut groups: BTreeMap<(Axis, &str), Vec<&Signal>> = BTreeMap::new();
    for signal in signals.iter().filter(|s| s.axis.poles().is_none()) {
        groups.entry((signal.axis, signal.value)).or_default().push(signal);
    }
    let mut themes: Vec<(usize, Theme)> = groups
        .into_iter()
        .filter_map(|((axis, value), group)| {
            let voices = voices(&group);
            let engines = engines_of(&group);
            if engines.len() < 2 || voices < 2 {
                return None;
            }
            let shown = v::prose(axis, value);
            let description =
                format!("{} recurs: {}.{}", v::capitalised(&shown), details(&group), shared_facts(&group));
            let theme = Theme {
                id: format!("{}-{value}", axis.name()),
                axis,
                value: value.to_owned(),
                title: v::capitalised(&shown),
                description,
                engines: owned(&engines),
                evidence: evidence(&group),
            };
            Some((voices, theme))
        })
        .collect();
    themes.sort_by(|(voices_a, a), (voices_b, b)| {
        (voices_b, b.engines.len())
            .cmp(&(voices_a, a.engines.len()))
            .then_with(|| (a.axis, &a.value).cmp(&(b.axis, &b.value)))
    });
    themes.into_iter().map(|(_, theme)| theme).collect()
}

/// The alignments and tensions among `signals`.
fn sides(signals: &[Signal]) -> (Vec<Alignment>, Vec<Tension>) {
    let mut alignments = Vec::new();
    let mut tensions = Vec::new();
    for axis in [Axis::Momentum, Axis::Direction, Axis::Pace] {
        let Some(poles) = axis.poles() else { continue };
        let mut by_engine: BTreeMap<&str, Vec<&Signal>> = BTreeMap::new();
        for signal in signals.iter().filter(|s| s.axis == axis) {
            by_engine.entry(signal.engine).or_default().push(signal);
        }
        // Each engine on the side most of its signals take; an engine split evenly takes none.
        let mut taken: [Vec<&Signal>; 2] = [Vec::new(), Vec::new()];
        for engine_signals in by_engine.values() {
            let count = |pole: &str| engine_signals.iter().filter(|s| s.value == pole).count();
            let (first, second) = (count(poles[0]), count(poles[1]));
            if first == second {
                continue;
            }
            let side = usize::from(second > first);
            taken[side].extend(engine_signals.iter().filter(|s| s.value == poles[side]));
        }
        for (pole, group) in poles.iter().zip(&taken) {
            let engines = engines_of(group);
            if engines.len() < 2 || voices(group) < 2 {
                continue;
            }
            alignments.push(Alignment {
                id: format!("{}-{pole}", axis.name()),
                axis,
                pole: (*pole).to_owned(),
                title: v::alignment_title(pole).to_owned(),
                description: format!("{} point {}: {}.", count(engines.len()), v::pole_words(pole).0, details(group)),
                engines: owned(&engines),
                evidence: evidence(group),
            });
        }
        if taken.iter().all(|group| !group.is_empty()) {
            let [first, second] = &taken;
            let (engines_a, engines_b) = (engines_of(first), engines_of(second));
            let description = format!(
                "Pulling {}: {}. Pulling {}: {}.",
                v::pole_words(poles[0]).0,
                details(first),
                v::pole_words(poles[1]).0,
                details(second)
            );
            let all: Vec<&Signal> = first.iter().chain(second).copied().collect();
            tensions.push(Tension {
                id: axis.name().to_owned(),
                axis,
                title: axis.tension_title().to_owned(),
                description,
                question: axis.question().to_owned(),
                engines: owned(&engines_of(&all)),
                sides: vec![
                    TensionSide { pole: poles[0].to_owned(), engines: owned(&engines_a) },
                    TensionSide { pole: poles[1].to_owned(), engines: owned(&engines_b) },
                ],
                evidence: evidence(&all),
            });
        }
    }
    alignments
        .sort_by(|a, b| b.engines.len().cmp(&a.engines.len()).then_with(|| (a.axis, &a.pole).cmp(&(b.axis, &b.pole))));
    tensions.sort_by(|a, b| {
        let smaller = |t: &Tension| t.sides.iter().map(|side| side.engines.len()).min().unwrap_or(0);
        (b.engines.len(), smaller(b)).cmp(&(a.engines.len(), smaller(a))).then_with(|| a.axis.cmp(&b.axis))
    });
    (alignments, tensions)
}

/// How many independent facts a group of signals rests on.
fn voices(group: &[&Signal]) -> usize {
    group.iter().map(|signal| signal.voice()).collect::<BTreeSet<_>>().len()
}

/// The engines of a group, in alphabetical order.
fn engines_of(group: &[&Signal]) -> Vec<&'static str> {
    group.iter().map(|signal| signal.engine).collect::<BTreeSet<_>>().into_iter().collect()
}

fn owned(engines: &[&str]) -> Vec<String> {
    engines.iter().map(|id| (*id).to_owned()).collect()
}

fn evidence(group: &[&Signal]) -> Vec<Evidence> {
    let mut evidence: Vec<Evidence> = group.iter().flat_map(|signal| signal.evidence.iter().cloned()).collect();
    evidence.sort_by(|a, b| (&a.engine_id, &a.field).cmp(&(&b.engine_id, &b.field)));
    evidence.dedup();
    evidence
}

/// An engine's name as the API lists it (`Vedic Clock`).
pub(super) fn engine_name(id: &str) -> &'static str {
    registry::find(id).map_or("an engine", |engine| engine.meta().name)
}

/// `Panchanga, Numerology and Vedic Clock`.
pub(super) fn names(engines: &[&str]) -> String {
    let names: Vec<&str> = engines.iter().map(|id| engine_name(id)).collect();
    sentence_list(&names)
}

/// `Two engines`, `Nine engines`.
fn count(n: usize) -> String {
    format!("{} engines", v::capitalised(&number_word(n)))
}

/// `two`, `nine`; digits from ten on.
pub(super) fn number_word(n: usize) -> String {
    const WORDS: [&str; 10] = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];
    WORDS.get(n).map_or_else(|| n.to_string(), |word| (*word).to_owned())
}

/// What each engine of a group contributed: `Vedic Clock (the lord of the current hora); …`.
fn details(group: &[&Signal]) -> String {
    let mut by_engine: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for signal in group {
        by_engine.entry(signal.engine).or_default().push(&signal.note);
    }
    let parts: Vec<String> =
        by_engine.iter().map(|(engine, notes)| format!("{} ({})", engine_name(engine), sentence_list(notes))).collect();
    parts.join("; ")
}

/// A sentence for each fact read by more than one engine of a group, saying it counts once.
fn shared_facts(group: &[&Signal]) -> String {
    let mut shared: BTreeMap<&str, (&str, BTreeSet<&str>)> = BTreeMap::new();
    for signal in group {
        if let Some(basis) = &signal.basis {
            shared.entry(basis.key.as_str()).or_insert((basis.label, BTreeSet::new())).1.insert(signal.engine);
        }
    }
    shared
        .values()
        .filter(|(_, engines)| engines.len() > 1)
        .map(|(label, engines)| {
            let engines: Vec<&str> = engines.iter().copied().collect();
            format!(" {} read one fact here ({label}), so together they count once.", names(&engines))
        })
        .collect()
}
