//! Witness prompts drawn from the clocks.

use super::result::VedicClock;
use crate::engines::Level;
use crate::engines::prompt::fnv1a;

/// A reflective question built from where the clocks stand, worded for `level` (0 plain and
/// practical, 5 turned toward the one who notices). The same result and level always give the
/// same words.
pub fn witness_prompt(result: &VedicClock, level: Level) -> String {
    let organ = result.organ.name;
    let dosha = result.dosha.name;
    let hora = result.hora.as_ref().map(|h| h.lord);
    let choghadiya = result.choghadiya.as_ref().map(|c| (c.name, c.quality));
    let muhurta = result.muhurta.as_ref().map(|m| m.name);
    let variant = fingerprint(result) % 2;
    match level.get() {
        0 => match (choghadiya, variant) {
            (Some((name, quality)), 0) => format!(
                "It is {name} choghadiya ({quality}) and the {organ} hours. What is one simple thing your body is asking \
                 for right now: water, food, movement or rest?"
            ),
            _ => format!(
                "These are the {organ} hours and the {dosha} part of the day. What would help you most in the next two \
                 hours, and what can wait?"
            ),
        },
        1 => match (hora, variant) {
            (Some(lord), 0) => format!(
                "The hour belongs to {lord}, and {dosha} sets the tone. Notice how your attention moves just now: \
                 toward the task in front of you, or away from it?"
            ),
            _ => format!(
                "The {dosha} hours are {}. Does the way you are spending this time fit that, or push against it?",
                result.dosha.qualities
            ),
        },
        2 => format!(
            "The {organ} window is a time for {}. Which habit usually fills this part of your day, and what does it \
             give you?",
            result.organ.focus
        ),
        3 => match muhurta {
            Some(name) => format!(
                "You are inside the muhurta called {name}, one of thirty in this day. What are you feeling in this \
                 one, and can it be felt fully before it passes?"
            ),
            None => format!(
                "The {organ} hours will hand over to the next organ soon. What feeling is present right now, and can \
                 it be felt fully before it passes?"
            ),
        },
        4 => format!(
            "{dosha} hours, {organ} hours{}: clocks laid over the same moment. Which part of you keeps time, and which \
             part was never counting?",
            hora.map(|lord| format!(", the hour of {lord}")).unwrap_or_default()
        ),
        _ => format!(
            "At {} the clocks say {organ} and {dosha}. Before any clock names it, what is this moment, and who is \
             aware of it?",
            result.local_time.get(11..16).unwrap_or(&result.local_time)
        ),
    }
}

/// A small deterministic hash of the windows, to vary the wording from hour to hour.
fn fingerprint(result: &VedicClock) -> u64 {
    let names = [Some(result.organ.name), Some(result.dosha.name), result.hora.as_ref().map(|h| h.lord)];
    fnv1a(names.iter().flatten().flat_map(|name| name.bytes()))
}
