//! The shared vocabulary the synthesis translates every engine into, and every table that does the
//! translating: one place to read (and to change) what each engine's results are taken to mean.
//!
//! Two kinds of axis. On a *categorical* axis (planet, element, dosha, number) a value that turns up
//! in two engines is a theme. On a *polar* axis (momentum, direction, pace) each engine that takes a
//! side points one of two ways: two engines on one side are an alignment, engines on both sides a
//! tension. The interpretations below are our own, chosen to be simple and stated; where a table
//! follows a tradition, its comment says which. `docs/workflows.md` gives the same tables in prose.

use serde::{Deserialize, Serialize};

/// One dimension along which engines can be compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Axis {
    /// A planet (graha), as a lord, ruler or number's planet.
    Planet,
    /// Fire, earth, air, water or space.
    Element,
    /// Vata, Pitta or Kapha.
    Dosha,
    /// A number's root, 1 to 9.
    Number,
    /// Building (beginning, waxing) against releasing (completing, waning).
    Momentum,
    /// Outward (action, expression) against inward (reflection, receiving).
    Direction,
    /// Now (answer in the moment) against wait (let it ripen).
    Pace,
}

impl Axis {
    /// The two poles of a polar axis, the first named first in every text; `None` for a
    /// categorical axis.
    pub const fn poles(self) -> Option<[&'static str; 2]> {
        match self {
            Axis::Momentum => Some([BUILDING, RELEASING]),
            Axis::Direction => Some([OUTWARD, INWARD]),
            Axis::Pace => Some([NOW, WAIT]),
            Axis::Planet | Axis::Element | Axis::Dosha | Axis::Number => None,
        }
    }

    pub const fn name(self) -> &'static str {
        match self {
            Axis::Planet => "planet",
            Axis::Element => "element",
            Axis::Dosha => "dosha",
            Axis::Number => "number",
            Axis::Momentum => "momentum",
            Axis::Direction => "direction",
            Axis::Pace => "pace",
        }
    }

    /// The title of a tension on this axis.
    pub(super) const fn tension_title(self) -> &'static str {
        match self {
            Axis::Momentum => "Beginning and ending",
            Axis::Direction => "Outward and inward",
            Axis::Pace => "Now and later",
            Axis::Planet | Axis::Element | Axis::Dosha | Axis::Number => "",
        }
    }

    /// The question a tension on this axis asks: one that holds both sides, not one that picks.
    pub(super) const fn question(self) -> &'static str {
        match self {
            Axis::Momentum => {
                "What in you is finishing, what is starting, and could the ending be the ground the beginning \
                 stands on?"
            }
            Axis::Direction => {
                "Where could you step out and be seen while keeping company with the part of you that would \
                 rather stay quiet?"
            }
            Axis::Pace => {
                "What would a response look like that is ready now, yet leaves the larger choice to ripen in \
                 its own time?"
            }
            Axis::Planet | Axis::Element | Axis::Dosha | Axis::Number => "",
        }
    }
}

pub(super) const BUILDING: &str = "building";
pub(super) const RELEASING: &str = "releasing";
pub(super) const OUTWARD: &str = "outward";
pub(super) const INWARD: &str = "inward";
pub(super) const NOW: &str = "now";
pub(super) const WAIT: &str = "wait";

/// How a pole reads in a description ("… point {phrase}") and in a witness prompt (a noun).
pub(super) fn pole_words(pole: &str) -> (&'static str, &'static str) {
    match pole {
        BUILDING => ("toward beginning and building", "something beginning"),
        RELEASING => ("toward completing and letting go", "something coming to an end"),
        OUTWARD => ("outward, toward action and being seen", "going out to meet the world"),
        INWARD => ("inward, toward reflection and receiving", "turning inward"),
        NOW => ("toward answering in the moment", "answering now"),
        _ => ("toward waiting until things ripen", "waiting for the right time"),
    }
}

/// The title of an alignment on `pole`.
pub(super) fn alignment_title(pole: &str) -> &'static str {
    match pole {
        BUILDING => "Toward a beginning",
        RELEASING => "Toward an ending",
        OUTWARD => "Toward the world",
        INWARD => "Toward the inner life",
        NOW => "Ready now",
        _ => "Not yet",
    }
}

/// A categorical value as it reads in prose: `Mars`, `fire`, `Pitta`, `the number 4`.
pub(super) fn prose(axis: Axis, value: &str) -> String {
    match axis {
        Axis::Planet | Axis::Dosha => capitalised(value),
        Axis::Number => format!("the number {value}"),
        _ => value.to_owned(),
    }
}

pub(super) fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| first.to_uppercase().chain(chars).collect())
}

// ---- Planets -------------------------------------------------------------------------------------

/// The nine grahas, and the way each leans on the direction axis (our reading of their common
/// significations): the Sun (self), Mars (action), Jupiter (expansion) and Rahu (worldly hunger)
/// outward; the Moon (feeling), Venus (receiving), Saturn (restraint) and Ketu (detachment) inward;
/// Mercury, the go-between, neither.
const PLANETS: [(&str, Option<&str>); 9] = [
    ("sun", Some(OUTWARD)),
    ("moon", Some(INWARD)),
    ("mars", Some(OUTWARD)),
    ("mercury", None),
    ("jupiter", Some(OUTWARD)),
    ("venus", Some(INWARD)),
    ("saturn", Some(INWARD)),
    ("rahu", Some(OUTWARD)),
    ("ketu", Some(INWARD)),
];

/// The planet named `name` (any letter case), as its vocabulary value.
pub(super) fn planet(name: &str) -> Option<&'static str> {
    PLANETS.iter().map(|(planet, _)| *planet).find(|planet| planet.eq_ignore_ascii_case(name))
}

/// The direction a planet leans, if it leans.
pub(super) fn planet_direction(planet: &str) -> Option<&'static str> {
    PLANETS.iter().find(|(p, _)| *p == planet).and_then(|(_, direction)| *direction)
}

/// The planet of each root number in Vedic numerology (anka jyotisha, Cheiro's table): 1 Sun,
/// 2 Moon, 3 Jupiter, 4 Rahu, 5 Mercury, 6 Venus, 7 Ketu, 8 Saturn, 9 Mars.
const NUMBER_PLANETS: [&str; 9] = ["sun", "moon", "jupiter", "rahu", "mercury", "venus", "ketu", "saturn", "mars"];

pub(super) fn number_planet(root: u8) -> Option<&'static str> {
    NUMBER_PLANETS.get(usize::from(root).checked_sub(1)?).copied()
}

// ---- Numbers -------------------------------------------------------------------------------------

/// The roots 1 to 9 as vocabulary values.
const ROOTS: [&str; 9] = ["1", "2", "3", "4", "5", "6", "7", "8", "9"];

/// The root of `n`: its digits summed until one is left (13 → 4, 49 → 13 → 4, 11 → 2). Master
/// numbers are compared by their root too: the comparison is of roots, not of numerology's own
/// reductions. `None` for 0.
pub(super) fn root(n: u64) -> Option<u8> {
    (n > 0).then(|| u8::try_from(1 + (n - 1) % 9).unwrap_or(9))
}

pub(super) fn root_value(root: u8) -> Option<&'static str> {
    ROOTS.get(usize::from(root).checked_sub(1)?).copied()
}

/// Numerology's momentum: the root 1 opens a cycle, 9 closes it; the others take no side.
pub(super) fn number_momentum(root: u8) -> Option<&'static str> {
    match root {
        1 => Some(BUILDING),
        9 => Some(RELEASING),
        _ => None,
    }
}

/// Numerology's direction: odd roots are the active numbers, even roots the receptive ones (a
/// common convention of Pythagorean numerology).
pub(super) fn number_direction(root: u8) -> &'static str {
    if root % 2 == 1 { OUTWARD } else { INWARD }
}

// ---- Elements and doshas -------------------------------------------------------------------------

/// The five elements, in the order ties are listed.
pub(super) const ELEMENTS: [&str; 5] = ["fire", "earth", "air", "water", "space"];

/// The element of an organ-clock phase. The Chinese five phases meet our elements in Fire, Earth
/// and Water; Metal and Wood have no counterpart here and give no element.
pub(super) fn organ_element(phase: &str) -> Option<&'static str> {
    match phase {
        "Fire" => Some("fire"),
        "Earth" => Some("earth"),
        "Water" => Some("water"),
        _ => None,
    }
}

/// The element of a chakra, as the tantric tradition assigns them to the lower five; Ajna and
/// Sahasrara lie beyond the elements and give none.
pub(super) fn chakra_element(chakra: &str) -> Option<&'static str> {
    match chakra {
        "Muladhara" => Some("earth"),
        "Svadhisthana" => Some("water"),
        "Manipura" => Some("fire"),
        "Anahata" => Some("air"),
        "Vishuddha" => Some("space"),
        _ => None,
    }
}

/// The dosha named `name` (any letter case), as its vocabulary value.
pub(super) fn dosha(name: &str) -> Option<&'static str> {
    ["vata", "pitta", "kapha"].into_iter().find(|dosha| dosha.eq_ignore_ascii_case(name))
}

// ---- Cycles and timing ---------------------------------------------------------------------------

/// A biorhythm phase on the momentum axis: by the way the curve is heading, so rising and the
/// trough (about to rise) build, falling and the peak (about to fall) release.
pub(super) fn biorhythm_momentum(phase: &str) -> Option<&'static str> {
    match phase {
        "rising" | "trough" => Some(BUILDING),
        "falling" | "peak" => Some(RELEASING),
        _ => None,
    }
}

/// A biorhythm value (−1 to 1) on the direction axis: clearly up is outward, clearly down inward,
/// and within ±0.2 of the line no side.
pub(super) fn biorhythm_direction(value: f64) -> Option<&'static str> {
    const THRESHOLD: f64 = 0.2;
    if value > THRESHOLD {
        Some(OUTWARD)
    } else if value < -THRESHOLD {
        Some(INWARD)
    } else {
        None
    }
}

/// Where in a dasha period the present stands, as a fraction from 0 (start) to 1 (end), on the
/// momentum axis: the first third builds, the last third releases.
pub(super) fn period_momentum(fraction: f64) -> Option<&'static str> {
    if fraction < 1.0 / 3.0 {
        Some(BUILDING)
    } else if fraction > 2.0 / 3.0 {
        Some(RELEASING)
    } else {
        None
    }
}

/// The paksha on the momentum axis: the bright (waxing) half builds, the dark (waning) releases.
pub(super) fn paksha_momentum(paksha: &str) -> Option<&'static str> {
    match paksha {
        "Shukla" => Some(BUILDING),
        "Krishna" => Some(RELEASING),
        _ => None,
    }
}

/// The yogas that almanacs mark as unfavourable for starting things; the other eighteen are
/// counted favourable.
const UNFAVOURABLE_YOGAS: [&str; 9] =
    ["Vishkambha", "Atiganda", "Shula", "Ganda", "Vyaghata", "Vajra", "Vyatipata", "Parigha", "Vaidhriti"];

/// A yoga on the pace axis.
pub(super) fn yoga_pace(yoga: &str) -> &'static str {
    if UNFAVOURABLE_YOGAS.contains(&yoga) { WAIT } else { NOW }
}

/// A karana on the pace axis: only Vishti (Bhadra), avoided for new undertakings, takes a side.
pub(super) fn karana_pace(karana: &str) -> Option<&'static str> {
    (karana == "Vishti").then_some(WAIT)
}

/// A choghadiya's quality (`auspicious` or `inauspicious`, as the vedic-clock engine gives it) on
/// the pace axis.
pub(super) fn choghadiya_pace(quality: &str) -> Option<&'static str> {
    match quality {
        "auspicious" => Some(NOW),
        "inauspicious" => Some(WAIT),
        _ => None,
    }
}

// ---- Human Design and Gene Keys ------------------------------------------------------------------

/// A Human Design type on the direction axis: the energy types (with a defined Sacral or a motor
/// to the Throat) outward, Projectors and Reflectors, who wait to be invited or for the Moon, inward.
pub(super) fn hd_type_direction(hd_type: &str) -> Option<&'static str> {
    match hd_type {
        "Generator" | "ManifestingGenerator" | "Manifestor" => Some(OUTWARD),
        "Projector" | "Reflector" => Some(INWARD),
        _ => None,
    }
}

/// A Human Design authority on the pace axis: the authorities that speak in the moment (Sacral,
/// Splenic, Ego, Self-Projected) against those that need time to reach clarity (Emotional, Mental,
/// Lunar).
pub(super) fn hd_authority_pace(authority: &str) -> Option<&'static str> {
    match authority {
        "Sacral" | "Splenic" | "Ego" | "SelfProjected" => Some(NOW),
        "Emotional" | "Mental" | "Lunar" => Some(WAIT),
        _ => None,
    }
}

/// A hexagram line on the direction axis: lines 1-3 (the lower, personal trigram) inward, lines
/// 4-6 (the upper, transpersonal trigram) outward.
pub(super) fn line_direction(line: u64) -> Option<&'static str> {
    match line {
        1..=3 => Some(INWARD),
        4..=6 => Some(OUTWARD),
        _ => None,
    }
}
