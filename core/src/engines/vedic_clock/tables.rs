//! The names, lords and hours of the clocks.

/// The organ clock of Chinese medicine: each organ's two-hour window by local clock time, as
/// (starting hour, organ, element), from Lung at 03:00 round to Liver at 01:00.
pub(crate) const ORGANS: [(u8, &str, &str); 12] = [
    (3, "Lung", "Metal"),
    (5, "Large Intestine", "Metal"),
    (7, "Stomach", "Earth"),
    (9, "Spleen", "Earth"),
    (11, "Heart", "Fire"),
    (13, "Small Intestine", "Fire"),
    (15, "Bladder", "Water"),
    (17, "Kidney", "Water"),
    (19, "Pericardium", "Fire"),
    (21, "Triple Burner", "Fire"),
    (23, "Gallbladder", "Wood"),
    (1, "Liver", "Wood"),
];

/// What each organ's window is a good time to notice, in our own words (same order as
/// [`ORGANS`]).
pub(crate) const ORGAN_FOCUS: [&str; 12] = [
    "breath, and what is ready to be let go",
    "clearing out and releasing what is spent",
    "a nourishing first meal and taking things in",
    "turning food and thought into steady energy",
    "warmth, connection and the heart of the day's work",
    "sorting what matters from what does not",
    "steady work and letting tension drain",
    "rest for reserves; winding the day down",
    "closeness and protecting what you care for",
    "settling body and house for the night",
    "deep rest while decisions quietly ripen",
    "the deepest rest, when the body renews itself",
];

/// The Ayurvedic dosha clock: (starting hour, dosha), from Kapha at 06:00 round to Vata at 02:00.
pub(crate) const DOSHAS: [(u8, &str); 6] =
    [(6, "Kapha"), (10, "Pitta"), (14, "Vata"), (18, "Kapha"), (22, "Pitta"), (2, "Vata")];

/// The character of each dosha's hours, in our own words.
pub(crate) fn dosha_qualities(dosha: &str) -> &'static str {
    match dosha {
        "Kapha" => "steady, heavy and calm: suited to sustained effort and grounding",
        "Pitta" => "sharp, warm and focused: suited to digestion, decisions and concentrated work",
        _ => "light, quick and mobile: suited to creativity, movement and communication",
    }
}

/// The planets in the order of the horas: the Chaldean order (slowest to fastest) begun at the
/// Sun. Each hora's lord follows the previous hora's.
pub(crate) const HORA_ORDER: [&str; 7] = ["Sun", "Venus", "Mercury", "Moon", "Saturn", "Jupiter", "Mars"];

/// The order in which the night choghadiyas step through the lords.
pub(crate) const NIGHT_CHOGHADIYA_ORDER: [&str; 7] = ["Jupiter", "Moon", "Venus", "Mars", "Saturn", "Mercury", "Sun"];

/// The choghadiya each lord gives, and its quality.
pub(crate) fn choghadiya_of(lord: &str) -> (&'static str, &'static str) {
    match lord {
        "Sun" => ("Udveg", "inauspicious"),
        "Venus" => ("Char", "neutral"),
        "Mercury" => ("Labh", "auspicious"),
        "Moon" => ("Amrit", "auspicious"),
        "Saturn" => ("Kaal", "inauspicious"),
        "Jupiter" => ("Shubh", "auspicious"),
        _ => ("Rog", "inauspicious"),
    }
}

/// The thirty muhurtas, fifteen of the day from sunrise and fifteen of the night from sunset.
pub(crate) const MUHURTAS: [&str; 30] = [
    "Rudra",
    "Ahi",
    "Mitra",
    "Pitri",
    "Vasu",
    "Varaha",
    "Vishvedeva",
    "Vidhi",
    "Satamukhi",
    "Puruhuta",
    "Vahini",
    "Naktanakara",
    "Varuna",
    "Aryaman",
    "Bhaga",
    "Girisha",
    "Ajapada",
    "Ahirbudhnya",
    "Pushya",
    "Ashvini",
    "Yama",
    "Agni",
    "Vidhatri",
    "Kanda",
    "Aditi",
    "Jiva",
    "Vishnu",
    "Dyumadgadyuti",
    "Brahma",
    "Samudra",
];

/// Which eighth of the daytime (1-8) is Rahu Kalam on each weekday, 0 = Sunday.
pub(crate) const RAHU_KALAM_PART: [u8; 7] = [8, 2, 7, 5, 6, 4, 3];

/// Where a lord stands in [`HORA_ORDER`].
pub(crate) fn hora_position(lord: &str) -> usize {
    HORA_ORDER.iter().position(|l| *l == lord).unwrap_or(0)
}

/// Where a lord stands in [`NIGHT_CHOGHADIYA_ORDER`].
pub(crate) fn night_position(lord: &str) -> usize {
    NIGHT_CHOGHADIYA_ORDER.iter().position(|l| *l == lord).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engines::vedic::WEEKDAY_LORDS;

    /// Twenty-four horas later the sequence lands on the next weekday's lord: 24 = 3 × 7 + 3.
    #[test]
    fn the_hora_order_carries_each_weekday_into_the_next() {
        for weekday in 0..7 {
            let first = hora_position(WEEKDAY_LORDS[weekday]);
            assert_eq!(HORA_ORDER[(first + 24) % 7], WEEKDAY_LORDS[(weekday + 1) % 7]);
        }
    }

    #[test]
    fn organ_and_dosha_windows_tile_the_clock() {
        let mut hours: Vec<u8> = ORGANS.iter().map(|(h, _, _)| *h).collect();
        hours.sort_unstable();
        assert_eq!(hours, (0..12).map(|k| 2 * k + 1).collect::<Vec<u8>>());
        let mut hours: Vec<u8> = DOSHAS.iter().map(|(h, _)| *h).collect();
        hours.sort_unstable();
        assert_eq!(hours, [2, 6, 10, 14, 18, 22]);
    }
}
