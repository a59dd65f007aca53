//! The Hologenetic Profile: the spheres of the Activation, Venus and Pearl sequences, each read
//! from one Human Design activation (key = gate, line carried over).

use super::keys::{gene_key, programming_partner};
use crate::engines::human_design::HumanDesignResult;
use serde::Serialize;

/// A gate and its line: all a sphere needs from an activation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct GateLine {
    pub gate: u8,
    pub line: u8,
}

/// The eleven Human Design activations the profile is read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SphereSources {
    pub p_sun: GateLine,
    pub p_earth: GateLine,
    pub p_venus: GateLine,
    pub p_mars: GateLine,
    pub p_jupiter: GateLine,
    pub d_sun: GateLine,
    pub d_earth: GateLine,
    pub d_moon: GateLine,
    pub d_venus: GateLine,
    pub d_mars: GateLine,
    pub d_jupiter: GateLine,
}

impl SphereSources {
    /// The activations of a Human Design chart.
    pub fn of_chart(chart: &HumanDesignResult) -> SphereSources {
        let (p, d) = (&chart.personality, &chart.design);
        let gl = |a: &crate::engines::human_design::Activation| GateLine { gate: a.gate, line: a.line };
        SphereSources {
            p_sun: gl(&p.sun),
            p_earth: gl(&p.earth),
            p_venus: gl(&p.venus),
            p_mars: gl(&p.mars),
            p_jupiter: gl(&p.jupiter),
            d_sun: gl(&d.sun),
            d_earth: gl(&d.earth),
            d_moon: gl(&d.moon),
            d_venus: gl(&d.venus),
            d_mars: gl(&d.mars),
            d_jupiter: gl(&d.jupiter),
        }
    }
}

/// One sphere of the profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sphere {
    /// The sphere's name, e.g. `"Life's Work"`.
    pub sphere: &'static str,
    /// The Gene Key, 1-64 (the gate of the activation).
    pub key: u8,
    /// The line, 1-6.
    pub line: u8,
    /// The Human Design activation it is read from, e.g. `"personality.sun"`.
    pub activation: &'static str,
    /// What the sphere speaks of, in a phrase of our own.
    pub theme: &'static str,
}

/// A Gene Key that appears in the profile, with its names, description and programming partner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeyEntry {
    pub key: u8,
    pub shadow: &'static str,
    pub gift: &'static str,
    pub siddhi: &'static str,
    pub description: &'static str,
    /// The key directly across the wheel (180° away).
    pub programming_partner: u8,
}

/// Where the activations came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// Computed from `birth_data` by the human-design engine.
    BirthData,
    /// Taken from `options.hd_gates`.
    HdGates,
}

/// A Gene Keys profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GeneKeysResult {
    pub source: Source,
    /// Life's Work, Evolution, Radiance, Purpose.
    pub activation_sequence: Vec<Sphere>,
    /// Attraction, IQ, EQ, SQ, and Core.
    pub venus_sequence: Vec<Sphere>,
    /// Vocation, Culture, Pearl, and Brand.
    pub pearl_sequence: Vec<Sphere>,
    /// Every key in the spheres above, in the order it first appears.
    pub keys: Vec<KeyEntry>,
}

fn sphere(sphere: &'static str, from: GateLine, activation: &'static str, theme: &'static str) -> Sphere {
    Sphere { sphere, key: from.gate, line: from.line, activation, theme }
}

/// The profile read from `s`.
pub fn profile(s: &SphereSources, source: Source) -> GeneKeysResult {
    let activation_sequence = vec![
        sphere("Life's Work", s.p_sun, "personality.sun", "what you are here to offer through your work in the world"),
        sphere("Evolution", s.p_earth, "personality.earth", "the challenge that keeps shaping and growing you"),
        sphere("Radiance", s.d_sun, "design.sun", "what keeps you vital, healthy and shining"),
        sphere("Purpose", s.d_earth, "design.earth", "what grounds you and gives life its deepest meaning"),
    ];
    let venus_sequence = vec![
        sphere("Attraction", s.d_moon, "design.moon", "the relationships you draw in and what they come to teach"),
        sphere("IQ", s.p_venus, "personality.venus", "how your mind learned its patterns in childhood"),
        sphere("EQ", s.p_mars, "personality.mars", "how your heart learned to guard itself and to open"),
        sphere("SQ", s.d_venus, "design.venus", "the heart's capacity to love without conditions"),
        sphere("Core", s.d_mars, "design.mars", "the deepest wound, and the gift it hides"),
    ];
    let pearl_sequence = vec![
        sphere("Vocation", s.d_mars, "design.mars", "the kind of work your nature serves best"),
        sphere("Culture", s.d_jupiter, "design.jupiter", "the people and settings in which you thrive and contribute"),
        sphere("Pearl", s.p_jupiter, "personality.jupiter", "the prosperity that grows from simplicity and service"),
        sphere("Brand", s.p_sun, "personality.sun", "how the world comes to know you (the key of your Life's Work)"),
    ];
    let mut keys: Vec<KeyEntry> = Vec::new();
    for s in activation_sequence.iter().chain(&venus_sequence).chain(&pearl_sequence) {
        if keys.iter().any(|k| k.key == s.key) {
            continue;
        }
        // Every sphere's key is a gate 1-64, so both lookups succeed.
        if let (Some(key), Some(partner)) = (gene_key(s.key), programming_partner(s.key)) {
            keys.push(KeyEntry {
                key: key.key,
                shadow: key.shadow,
                gift: key.gift,
                siddhi: key.siddhi,
                description: key.description,
                programming_partner: partner,
            });
        }
    }
    GeneKeysResult { source, activation_sequence, venus_sequence, pearl_sequence, keys }
}
