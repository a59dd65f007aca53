//! The fixed facts of Vedic astrology that more than one engine reads: the 27 nakshatras, the nine
//! Vimshottari lords who rule them in turn, and the weekdays with their planets.
//!
//! The panchanga names the Moon's nakshatra and its lord, the vimshottari engine unfolds its dashas
//! from the same nakshatra and lord, and the vedic clock shares the panchanga's vara; keeping them
//! here means the engines cannot disagree. Names are the common romanisation without diacritics,
//! exactly as almanacs print them.

use serde::Serialize;

/// Degrees of sidereal longitude per nakshatra: 360° / 27 = 13°20′.
pub const NAKSHATRA_SPAN_DEG: f64 = 360.0 / 27.0;

/// The 27 nakshatras from 0° sidereal, 13°20′ each.
pub const NAKSHATRAS: [&str; 27] = [
    "Ashwini",
    "Bharani",
    "Krittika",
    "Rohini",
    "Mrigashira",
    "Ardra",
    "Punarvasu",
    "Pushya",
    "Ashlesha",
    "Magha",
    "Purva Phalguni",
    "Uttara Phalguni",
    "Hasta",
    "Chitra",
    "Swati",
    "Vishakha",
    "Anuradha",
    "Jyeshtha",
    "Mula",
    "Purva Ashadha",
    "Uttara Ashadha",
    "Shravana",
    "Dhanishta",
    "Shatabhisha",
    "Purva Bhadrapada",
    "Uttara Bhadrapada",
    "Revati",
];

/// One of the nine Vimshottari lords, in the order their dashas follow one another, which is also
/// the order in which they rule the nakshatras.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Lord {
    Ketu,
    Venus,
    Sun,
    Moon,
    Mars,
    Rahu,
    Jupiter,
    Saturn,
    Mercury,
}

/// The whole Vimshottari cycle: the nine mahadashas one after another.
pub const CYCLE_YEARS: u32 = 120;

impl Lord {
    /// The lords in sequence: Ketu's period is followed by Venus's, and so on, Mercury's by Ketu's.
    pub const SEQUENCE: [Lord; 9] = [
        Lord::Ketu,
        Lord::Venus,
        Lord::Sun,
        Lord::Moon,
        Lord::Mars,
        Lord::Rahu,
        Lord::Jupiter,
        Lord::Saturn,
        Lord::Mercury,
    ];

    /// The length of this lord's mahadasha in years; the nine add up to [`CYCLE_YEARS`].
    ///
    /// ```
    /// use noesis_core::engines::vedic::Lord;
    ///
    /// assert_eq!(Lord::Venus.years(), 20);
    /// assert_eq!(Lord::SEQUENCE.iter().map(|l| l.years()).sum::<u32>(), 120);
    /// ```
    pub const fn years(self) -> u32 {
        match self {
            Lord::Ketu => 7,
            Lord::Venus => 20,
            Lord::Sun => 6,
            Lord::Moon => 10,
            Lord::Mars => 7,
            Lord::Rahu => 18,
            Lord::Jupiter => 16,
            Lord::Saturn => 19,
            Lord::Mercury => 17,
        }
    }

    /// The position of this lord in [`Lord::SEQUENCE`].
    pub const fn position(self) -> usize {
        self as usize
    }

    /// The lord `steps` places further along the sequence, wrapping after Mercury.
    pub const fn after(self, steps: usize) -> Lord {
        Lord::SEQUENCE[(self.position() + steps) % 9]
    }

    /// The lord of nakshatra `index` (0 = Ashwini): the (index mod 9)-th lord.
    pub const fn of_nakshatra(index: usize) -> Lord {
        Lord::SEQUENCE[index % 9]
    }

    /// The English name, as serialized.
    pub const fn name(self) -> &'static str {
        match self {
            Lord::Ketu => "Ketu",
            Lord::Venus => "Venus",
            Lord::Sun => "Sun",
            Lord::Moon => "Moon",
            Lord::Mars => "Mars",
            Lord::Rahu => "Rahu",
            Lord::Jupiter => "Jupiter",
            Lord::Saturn => "Saturn",
            Lord::Mercury => "Mercury",
        }
    }
}

/// The weekdays, 0 = Sunday, as the panchanga names them.
pub const VARAS: [&str; 7] =
    ["Ravivara", "Somavara", "Mangalavara", "Budhavara", "Guruvara", "Shukravara", "Shanivara"];

/// The planet that rules each weekday, 0 = Sunday.
pub const WEEKDAY_LORDS: [&str; 7] = ["Sun", "Moon", "Mars", "Mercury", "Jupiter", "Venus", "Saturn"];

/// The weekday of a Vedic day (sunrise to sunrise), with its planet.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Vara {
    /// 0 = Sunday (Ravivara) to 6 = Saturday (Shanivara).
    pub index: u8,
    pub name: &'static str,
    /// The planet that rules the day.
    pub lord: &'static str,
}

impl Vara {
    /// The vara of weekday `index`, 0 = Sunday.
    ///
    /// ```
    /// use noesis_core::engines::vedic::Vara;
    ///
    /// assert_eq!((Vara::of_weekday(4).name, Vara::of_weekday(4).lord), ("Guruvara", "Jupiter"));
    /// ```
    pub fn of_weekday(index: u8) -> Vara {
        let day = usize::from(index) % 7;
        Vara { index, name: VARAS[day], lord: WEEKDAY_LORDS[day] }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nine_lords_fill_one_hundred_and_twenty_years() {
        assert_eq!(Lord::SEQUENCE.iter().map(|l| l.years()).sum::<u32>(), CYCLE_YEARS);
    }

    #[test]
    fn positions_match_the_sequence() {
        for (i, lord) in Lord::SEQUENCE.iter().enumerate() {
            assert_eq!(lord.position(), i);
        }
        assert_eq!(Lord::Mercury.after(1), Lord::Ketu);
    }

    #[test]
    fn nakshatra_lords_repeat_every_nine() {
        assert_eq!(Lord::of_nakshatra(0), Lord::Ketu);
        assert_eq!(Lord::of_nakshatra(9), Lord::Ketu);
        assert_eq!(Lord::of_nakshatra(11), Lord::Sun);
        assert_eq!(Lord::of_nakshatra(26), Lord::Mercury);
    }
}
