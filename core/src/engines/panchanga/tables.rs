//! The standard names of the limbs that are the panchanga's own: tithis, yogas and karanas. The
//! nakshatras and varas, which other engines read too, are in [`crate::engines::vedic`].
//!
//! These are facts users expect verbatim (the common romanisation without diacritics), so they are
//! given exactly as almanacs print them.

/// The fifteen tithis of a paksha; the fifteenth is Purnima in the bright half and Amavasya in the
/// dark half (see [`tithi_name`]).
const TITHIS: [&str; 14] = [
    "Pratipada",
    "Dwitiya",
    "Tritiya",
    "Chaturthi",
    "Panchami",
    "Shashthi",
    "Saptami",
    "Ashtami",
    "Navami",
    "Dashami",
    "Ekadashi",
    "Dwadashi",
    "Trayodashi",
    "Chaturdashi",
];

/// The waxing (bright) and waning (dark) halves of the lunar month.
pub(crate) const PAKSHAS: [&str; 2] = ["Shukla", "Krishna"];

/// The name of tithi `index` (0-29, 0 = Shukla Pratipada) within its paksha.
pub(crate) fn tithi_name(index: u8) -> &'static str {
    match index {
        14 => "Purnima",
        29 => "Amavasya",
        i => TITHIS[usize::from(i % 15).min(TITHIS.len() - 1)],
    }
}

/// The 27 yogas (nitya yogas), each 13°20′ of the sum of the sidereal Sun and Moon.
pub(crate) const YOGAS: [&str; 27] = [
    "Vishkambha",
    "Priti",
    "Ayushman",
    "Saubhagya",
    "Shobhana",
    "Atiganda",
    "Sukarma",
    "Dhriti",
    "Shula",
    "Ganda",
    "Vriddhi",
    "Dhruva",
    "Vyaghata",
    "Harshana",
    "Vajra",
    "Siddhi",
    "Vyatipata",
    "Variyana",
    "Parigha",
    "Shiva",
    "Siddha",
    "Sadhya",
    "Shubha",
    "Shukla",
    "Brahma",
    "Indra",
    "Vaidhriti",
];

/// The seven movable karanas, which fill half-tithi slots 2 to 57 in turn.
const MOVABLE_KARANAS: [&str; 7] = ["Bava", "Balava", "Kaulava", "Taitila", "Gara", "Vanija", "Vishti"];

/// The name of the karana in half-tithi slot `slot` (1-60): slot 1 is Kimstughna, 2-57 cycle
/// through the movable seven, 58-60 are Shakuni, Chatushpada and Naga.
pub(crate) fn karana_name(slot: u8) -> &'static str {
    match slot {
        0 | 1 => "Kimstughna",
        58 => "Shakuni",
        59 => "Chatushpada",
        60.. => "Naga",
        s => MOVABLE_KARANAS[usize::from(s - 2) % MOVABLE_KARANAS.len()],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tithi_names_close_each_paksha_with_the_full_and_new_moon() {
        assert_eq!(tithi_name(0), "Pratipada");
        assert_eq!(tithi_name(3), "Chaturthi");
        assert_eq!(tithi_name(14), "Purnima");
        assert_eq!(tithi_name(15), "Pratipada");
        assert_eq!(tithi_name(25), "Ekadashi");
        assert_eq!(tithi_name(29), "Amavasya");
    }

    #[test]
    fn karana_slots_follow_the_fixed_and_movable_pattern() {
        let names: Vec<&str> = (1..=60).map(karana_name).collect();
        assert_eq!(names[0], "Kimstughna");
        assert_eq!(&names[1..9], &["Bava", "Balava", "Kaulava", "Taitila", "Gara", "Vanija", "Vishti", "Bava"]);
        assert_eq!(names[56], "Vishti", "slot 57 closes the eighth round of the movable karanas");
        assert_eq!(&names[57..], &["Shakuni", "Chatushpada", "Naga"]);
        assert_eq!(names.iter().filter(|n| **n == "Vishti").count(), 8);
    }
}
