//! The wheel (mandala): the 64 gates laid around the tropical zodiac, and the finer divisions of
//! each gate into lines, colors, tones and bases.
//!
//! Gate 41 begins at 302° of tropical longitude; the gates follow one another every 5.625° in the
//! order of [`GATE_ORDER`]. A gate holds 6 lines, a line 6 colors, a color 6 tones, a tone 5 bases,
//! so the circle divides into 64 · 6 · 6 · 6 · 5 = 69 120 equal steps of 1/192°, and every
//! division of a longitude is read off the one integer step it falls in.

use crate::ephemeris::normalize_degrees;
use serde::Serialize;

/// Tropical longitude where gate 41 begins, degrees.
pub const WHEEL_START_DEG: f64 = 302.0;

/// Width of one gate, degrees (360 / 64).
pub const GATE_SPAN_DEG: f64 = 5.625;

/// Width of one line, degrees (a sixth of a gate).
pub const LINE_SPAN_DEG: f64 = GATE_SPAN_DEG / 6.0;

/// The gates in wheel order, starting with gate 41 at [`WHEEL_START_DEG`] and running with
/// increasing longitude.
pub const GATE_ORDER: [u8; 64] = [
    41, 19, 13, 49, 30, 55, 37, 63, 22, 36, 25, 17, 21, 51, 42, 3, 27, 24, 2, 23, 8, 20, 16, 35, 45, 12, 15, 52, 39,
    53, 62, 56, 31, 33, 7, 4, 29, 59, 40, 64, 47, 6, 46, 18, 48, 57, 32, 50, 28, 44, 1, 43, 14, 34, 9, 5, 26, 11, 10,
    58, 38, 54, 61, 60,
];

/// Steps per degree: 64 gates · 6 lines · 6 colors · 6 tones · 5 bases over 360°.
const STEPS_PER_DEG: f64 = 192.0;
const STEPS: u32 = 69_120;
const STEPS_PER_GATE: u32 = 1_080;
const STEPS_PER_LINE: u32 = 180;
const STEPS_PER_COLOR: u32 = 30;
const STEPS_PER_TONE: u32 = 5;

/// Where one body stands on the wheel.
///
/// ```
/// use noesis_core::engines::human_design::Activation;
///
/// let sun = Activation::at(140.0935);
/// assert_eq!((sun.gate, sun.line, sun.color, sun.tone, sun.base), (4, 2, 2, 5, 4));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Activation {
    /// Apparent tropical longitude, degrees in [0, 360).
    pub longitude: f64,
    /// Gate, 1-64.
    pub gate: u8,
    /// Line within the gate, 1-6.
    pub line: u8,
    /// Color within the line, 1-6.
    pub color: u8,
    /// Tone within the color, 1-6.
    pub tone: u8,
    /// Base within the tone, 1-5.
    pub base: u8,
}

impl Activation {
    /// The activation of a body at tropical longitude `longitude_deg` (any real value; it is
    /// reduced to [0, 360)).
    pub fn at(longitude_deg: f64) -> Activation {
        let longitude = normalize_degrees(longitude_deg);
        let from_start = normalize_degrees(longitude - WHEEL_START_DEG);
        // `as` saturates (and maps NaN to 0), so the step is always a valid index.
        let step = ((from_start * STEPS_PER_DEG).floor() as u32).min(STEPS - 1);
        let division = |per: u32, count: u32| (step / per % count) as u8 + 1;
        Activation {
            longitude,
            gate: GATE_ORDER[(step / STEPS_PER_GATE) as usize],
            line: division(STEPS_PER_LINE, 6),
            color: division(STEPS_PER_COLOR, 6),
            tone: division(STEPS_PER_TONE, 6),
            base: division(1, 5),
        }
    }

    /// The activation directly opposite (180° away): the Earth of a Sun, the South Node of a
    /// North Node. Since 180° is exactly 32 gates, it carries the same line, color, tone and base.
    pub fn opposite(&self) -> Activation {
        Activation::at(self.longitude + 180.0)
    }

    /// `gate.line`, as charts write it (`"4.2"`).
    pub fn gate_line(&self) -> String {
        format!("{}.{}", self.gate, self.line)
    }
}

/// Position of `gate` in [`GATE_ORDER`], or `None` if it is not a gate (outside 1-64).
pub fn wheel_index(gate: u8) -> Option<usize> {
    GATE_ORDER.iter().position(|&g| g == gate)
}

/// Tropical longitude where `gate` begins, degrees in [0, 360).
///
/// ```
/// use noesis_core::engines::human_design::gate_start_deg;
///
/// assert_eq!(gate_start_deg(41), Some(302.0));
/// assert_eq!(gate_start_deg(25), Some(358.25));
/// assert_eq!(gate_start_deg(65), None);
/// ```
pub fn gate_start_deg(gate: u8) -> Option<f64> {
    wheel_index(gate).map(|i| normalize_degrees(WHEEL_START_DEG + i as f64 * GATE_SPAN_DEG))
}

/// The gate directly across the wheel (180° away) from `gate`: where the Earth stands when the
/// Sun is in `gate`, and in Gene Keys its programming partner.
///
/// ```
/// use noesis_core::engines::human_design::opposite_gate;
///
/// assert_eq!(opposite_gate(4), Some(49));
/// assert_eq!(opposite_gate(49), Some(4));
/// ```
pub fn opposite_gate(gate: u8) -> Option<u8> {
    wheel_index(gate).map(|i| GATE_ORDER[(i + 32) % 64])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_gate_appears_once_on_the_wheel() {
        let mut seen = [false; 65];
        for gate in GATE_ORDER {
            assert!((1..=64).contains(&gate));
            assert!(!seen[gate as usize], "gate {gate} twice");
            seen[gate as usize] = true;
        }
    }

    #[test]
    fn gate_boundaries_fall_where_the_wheel_says() {
        for (i, &gate) in GATE_ORDER.iter().enumerate() {
            let start = WHEEL_START_DEG + i as f64 * GATE_SPAN_DEG;
            let first = Activation::at(start);
            assert_eq!((first.gate, first.line, first.color, first.tone, first.base), (gate, 1, 1, 1, 1));
            let last = Activation::at(start + GATE_SPAN_DEG - 1e-9);
            assert_eq!((last.gate, last.line, last.color, last.tone, last.base), (gate, 6, 6, 6, 5));
        }
    }

    #[test]
    fn tiny_negative_longitudes_wrap_to_the_start_of_the_circle() {
        let a = Activation::at(-1e-18);
        assert_eq!(a.longitude, 0.0);
        assert_eq!(a.gate_line(), "25.2");
    }

    #[test]
    fn opposite_keeps_the_finer_divisions() {
        let sun = Activation::at(140.0935);
        let earth = sun.opposite();
        assert_eq!(earth.gate_line(), "49.2");
        assert_eq!((earth.color, earth.tone, earth.base), (sun.color, sun.tone, sun.base));
    }
}
