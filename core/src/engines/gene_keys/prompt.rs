//! Witness prompts: a question drawn from the profile's own keys, from the everyday shadow (level
//! 0) to the siddhi as what is already awake (level 5).

use super::keys::gene_key;
use super::sequences::{GeneKeysResult, Sphere};
use crate::engines::Level;
use crate::engines::prompt::fnv1a;

/// A question for someone with this profile, worded for `level`.
///
/// Deterministic: where a level has more than one phrasing, a hash of the profile picks one.
pub fn witness_prompt(result: &GeneKeysResult, level: Level) -> String {
    let life = named(result.activation_sequence.first());
    let evolution = named(result.activation_sequence.get(1));
    let radiance = named(result.activation_sequence.get(2));
    let purpose = named(result.activation_sequence.get(3));
    let attraction = named(result.venus_sequence.first());
    let eq = named(result.venus_sequence.get(2));
    let pearl = named(result.pearl_sequence.get(2));
    let pick = seed(result);
    match level.get() {
        0 => {
            if pick.is_multiple_of(2) {
                format!(
                    "Your Life's Work is Gene Key {} (line {}). Think of one moment at work today: did it feel more \
                     like {} or like {}? What small thing would have tipped it toward {}?",
                    life.key, life.line, life.shadow, life.gift, life.gift
                )
            } else {
                format!(
                    "Key {} sits in your Radiance, the sphere of health. When did {} wear on your body today, and \
                     what were you doing when {} took its place?",
                    radiance.key, radiance.shadow_lower, radiance.gift_lower
                )
            }
        }
        1 => format!(
            "Your Evolution sphere holds key {}, whose shadow is {}. Where did {} show up in you today, and what \
             might it be asking you to grow into?",
            evolution.key, evolution.shadow, evolution.shadow_lower
        ),
        2 => {
            if pick.is_multiple_of(2) {
                format!(
                    "Your Attraction sphere holds key {}, with the shadow of {}. In the relationship closest to you, \
                     where did {} appear this week, and what did it want you to see?",
                    attraction.key, attraction.shadow, attraction.shadow_lower
                )
            } else {
                format!(
                    "Your EQ sphere holds key {} ({} to {}). When your heart closed a little today, what did it \
                     protect, and what would {} have done instead?",
                    eq.key, eq.shadow, eq.gift, eq.gift_lower
                )
            }
        }
        3 => format!(
            "Your Purpose rests in key {} and your Pearl in key {}. Where does the gift of {} meet the gift of {} in \
             how you spend your days, and where do they pull apart?",
            purpose.key, pearl.key, purpose.gift, pearl.gift
        ),
        4 => format!(
            "Key {} and its programming partner, key {}, hold each other in balance. Find one moment today when {} \
             gave way to {}, or the other way round: could you watch the shift without taking a side?",
            life.key, evolution.key, life.shadow_lower, life.gift_lower
        ),
        _ => {
            if pick.is_multiple_of(2) {
                format!(
                    "{} is said to wait beneath the {} of key {}. If it is already here, who is it that would still \
                     be reaching for it?",
                    life.siddhi, life.shadow_lower, life.key
                )
            } else {
                format!(
                    "{}, {}, {}: three names for one light in key {}. What notices all three, and is it any of them?",
                    purpose.shadow, purpose.gift, purpose.siddhi, purpose.key
                )
            }
        }
    }
}

/// What a prompt needs of one sphere.
struct Named {
    key: u8,
    line: u8,
    shadow: &'static str,
    gift: &'static str,
    siddhi: &'static str,
    shadow_lower: String,
    gift_lower: String,
}

fn named(sphere: Option<&Sphere>) -> Named {
    let (key, line) = sphere.map_or((1, 1), |s| (s.key, s.line));
    let names = gene_key(key);
    let shadow = names.map_or("", |k| k.shadow);
    let gift = names.map_or("", |k| k.gift);
    Named {
        key,
        line,
        shadow,
        gift,
        siddhi: names.map_or("", |k| k.siddhi),
        shadow_lower: shadow.to_lowercase(),
        gift_lower: gift.to_lowercase(),
    }
}

/// A hash of the profile (FNV-1a over its keys and lines), to choose among phrasings.
fn seed(result: &GeneKeysResult) -> usize {
    let spheres = result.activation_sequence.iter().chain(&result.venus_sequence).chain(&result.pearl_sequence);
    (fnv1a(spheres.flat_map(|sphere| [sphere.key, sphere.line])) >> 32) as usize
}
