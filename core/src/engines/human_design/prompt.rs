//! Witness prompts: one reflective question drawn from the chart itself, worded for the caller's
//! level, from concrete and everyday (0) to the witness turning toward itself (5).

use super::bodygraph::{Authority, Center, Definition, Type};
use super::chart::HumanDesignResult;
use crate::engines::Level;
use crate::engines::prompt::fnv1a;

/// A question for someone with this chart, worded for `level`.
///
/// Deterministic: where a level has more than one phrasing, a hash of the chart picks one.
pub fn witness_prompt(chart: &HumanDesignResult, level: Level) -> String {
    let kind = chart.kind.label();
    let authority = chart.authority.label();
    let cue = authority_cue(chart.authority);
    let strategy = strategy_cue(chart.kind);
    let profile = &chart.profile;
    let (p_line, d_line) = (chart.personality.sun.line, chart.design.sun.line);
    let p_sun = chart.personality.sun.gate;
    let d_sun = chart.design.sun.gate;
    let pick = seed(chart);
    match level.get() {
        0 => {
            if pick.is_multiple_of(2) {
                format!(
                    "As a {kind} with {authority} authority, think of one choice you made today. Did it come from \
                     {cue}, or from a plan in your head? What happened next?"
                )
            } else {
                format!(
                    "Your chart reads {kind}, whose strategy is {strategy}. Name one moment today when you did that, \
                     and one when you skipped it. How did each one feel in your body?"
                )
            }
        }
        1 => match open_center(chart) {
            Some(open) => {
                let (name, pressure) = (open.label(), center_pressure(open));
                let defined = list_or_none(&chart.defined_centers);
                if pick.is_multiple_of(2) {
                    format!(
                        "Your {name} centre is open, so you take in its pressure from the people around you. Where \
                         today did you carry a {pressure} that was not yours to carry?"
                    )
                } else {
                    format!(
                        "With {defined} defined and your {name} open, what did you absorb from someone else today \
                         and mistake for your own? What changes when you set it down?"
                    )
                }
            }
            None => format!(
                "Every centre of yours is defined, from gate {p_sun} down: a fixed, steady way of being. Where did \
                 that steadiness help someone today, and where did it leave no room for what they brought?"
            ),
        },
        2 => match chart.channels.first() {
            Some(channel) => format!(
                "The channel {channel} runs constantly in you, one of {} in your chart. When did you feel its steady \
                 current today, and did you use it or push against it?",
                chart.channels.len()
            ),
            None => format!(
                "No channel is fixed in your chart, not even through your Sun in gate {p_sun}: you sample everyone's \
                 energy and reflect it back. Whose did you mirror most today, and what did the mirror show you about \
                 them, not you?"
            ),
        },
        3 => {
            if pick.is_multiple_of(2) {
                format!(
                    "Your {profile} profile pairs a conscious line {p_line} with an unconscious line {d_line}. Which \
                     of the two led you today, and what was the other one quietly doing?"
                )
            } else {
                format!(
                    "With a {} definition, {}. What do you reach for to feel whole, and what happens if you simply \
                     notice the reaching?",
                    definition_name(chart.definition),
                    definition_cue(chart.definition)
                )
            }
        }
        4 => {
            if pick.is_multiple_of(2) {
                format!(
                    "Your Personality Sun stands in gate {p_sun}, what you know of yourself; your Design Sun in gate \
                     {d_sun}, set some three months before you were born and lived without asking. Where did gate \
                     {d_sun} move you today before you knew it?"
                )
            } else {
                format!(
                    "The {kind} pattern and its {authority} authority run whether or not you watch them. Today, can \
                     you find the gap between the pattern deciding and you claiming the decision?"
                )
            }
        }
        _ => {
            if pick.is_multiple_of(2) {
                format!(
                    "{kind}, {authority} authority, profile {profile}, gates {p_sun} and {d_sun}: all of this is \
                     seen. Is the one who sees it defined anywhere, or open everywhere?"
                )
            } else {
                format!(
                    "Let the {kind} live its strategy and the {authority} authority make its choices. What is left \
                     over, that neither chooses nor waits?"
                )
            }
        }
    }
}

/// What deciding by this authority feels like, in plain words.
fn authority_cue(authority: Authority) -> &'static str {
    match authority {
        Authority::Emotional => "waiting until your feelings had settled",
        Authority::Sacral => "a gut sound of yes or no",
        Authority::Splenic => "a quiet, instant hunch",
        Authority::Ego => "what you truly wanted and would commit to",
        Authority::SelfProjected => "hearing yourself say it out loud",
        Authority::Mental => "talking it through with people you trust",
        Authority::Lunar => "giving it a full month",
    }
}

fn strategy_cue(kind: Type) -> &'static str {
    match kind {
        Type::Generator => "to respond to what life brings rather than start from nothing",
        Type::ManifestingGenerator => "to respond first, then tell others what you are about to do",
        Type::Manifestor => "to tell the people affected before you act",
        Type::Projector => "to wait for recognition and an invitation",
        Type::Reflector => "to let a big decision ripen over a whole lunar cycle",
    }
}

/// The first open centre worth asking about (the ones people feel most in daily life first).
fn open_center(chart: &HumanDesignResult) -> Option<Center> {
    [Center::SolarPlexus, Center::Sacral, Center::Heart, Center::Head, Center::Ajna, Center::Spleen, Center::G]
        .into_iter()
        .chain(Center::ALL)
        .find(|c| !chart.defined_centers.contains(c))
}

/// The kind of borrowed pressure an open centre tends to pick up.
fn center_pressure(center: Center) -> &'static str {
    match center {
        Center::Head => "question that kept circling",
        Center::Ajna => "need to be certain",
        Center::Throat => "urge to be heard",
        Center::G => "question of who you are or where you belong",
        Center::Heart => "need to prove your worth",
        Center::Spleen => "fear you held on to",
        Center::SolarPlexus => "mood",
        Center::Sacral => "busyness that kept going past enough",
        Center::Root => "rush to get things over with",
    }
}

fn definition_name(definition: Definition) -> &'static str {
    match definition {
        Definition::None => "open",
        Definition::Single => "single",
        Definition::Split => "split",
        Definition::TripleSplit => "triple-split",
        Definition::QuadrupleSplit => "quadruple-split",
    }
}

fn definition_cue(definition: Definition) -> &'static str {
    match definition {
        Definition::None => "nothing in you is fixed and everyone passes through",
        Definition::Single => "all of your defined centres speak as one",
        Definition::Split => "two parts of you look for a bridge, often in another person",
        Definition::TripleSplit => "three parts of you take time, and many people, to come together",
        Definition::QuadrupleSplit => "four parts of you join slowly, each in its own company",
    }
}

fn list_or_none(centers: &[Center]) -> String {
    let names: Vec<&str> = centers.iter().map(|&c| c.label()).collect();
    match names.as_slice() {
        [] => "nothing".to_string(),
        [one] => format!("your {one}"),
        [rest @ .., last] => format!("your {} and {last}", rest.join(", ")),
    }
}

/// A hash of the chart's values (FNV-1a over its gates and lines), to choose among phrasings.
fn seed(chart: &HumanDesignResult) -> usize {
    let activations = chart.personality.named().into_iter().chain(chart.design.named());
    (fnv1a(activations.flat_map(|(_, a)| [a.gate, a.line])) >> 32) as usize
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engines::human_design::chart;

    #[test]
    fn the_open_centre_named_is_open() {
        let c = chart("1991-08-13T08:01:00Z".parse().expect("instant")).expect("chart");
        let open = open_center(&c).expect("some centre is open");
        assert!(!c.defined_centers.contains(&open));
        let prompt = witness_prompt(&c, Level::new(1).expect("level"));
        assert!(prompt.contains(open.label()), "{prompt}");
    }
}
