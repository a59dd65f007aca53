//! The arithmetic of the dashas: the balance left at birth, and the periods cut proportionally
//! out of each other.
//!
//! Every boundary is first computed as an offset in years from the start of the first mahadasha,
//! then turned into an instant once, rounded to the second. A sub-period's last boundary is its
//! parent's end itself, not a sum that could drift from it, so periods are contiguous to the
//! second and every parent's sub-periods end exactly when it ends.

use crate::engines::vedic::{CYCLE_YEARS, Lord, NAKSHATRA_SPAN_DEG};
use crate::engines::{EngineError, FieldError};
use jiff::Timestamp;

/// Where the Moon stood in its nakshatra at birth and how much of the first mahadasha remained.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Balance {
    /// The Moon's nakshatra, 0 = Ashwini … 26 = Revati.
    pub nakshatra: usize,
    /// The nakshatra's lord, whose mahadasha was running at birth.
    pub lord: Lord,
    /// How much of the nakshatra the Moon had already crossed, in [0, 1).
    pub elapsed_fraction: f64,
    /// The years of the lord's mahadasha still to run at birth: remaining fraction × lord's years.
    pub balance_years: f64,
}

impl Balance {
    /// The years of the first mahadasha that had already passed at birth.
    pub fn elapsed_years(&self) -> f64 {
        f64::from(self.lord.years()) - self.balance_years
    }
}

/// The dasha balance at birth from the Moon's sidereal longitude in degrees.
///
/// ```
/// use noesis_core::engines::vimshottari::{Lord, birth_balance};
///
/// // 125° is 5° into Magha (120° to 133°20′), which Ketu rules: 5/8 of its 7 years remain.
/// let balance = birth_balance(125.0);
/// assert_eq!(balance.nakshatra, 9);
/// assert_eq!(balance.lord, Lord::Ketu);
/// assert!((balance.balance_years - 4.375).abs() < 1e-12);
/// ```
pub fn birth_balance(moon_sidereal_deg: f64) -> Balance {
    // Measured in nakshatras: the integer part names it, the fraction is how far the Moon is in.
    let position = moon_sidereal_deg.rem_euclid(360.0) / NAKSHATRA_SPAN_DEG;
    let nakshatra = (position.floor().max(0.0) as usize).min(26);
    let elapsed_fraction = (position - nakshatra as f64).clamp(0.0, 1.0);
    let lord = Lord::of_nakshatra(nakshatra);
    let balance_years = (1.0 - elapsed_fraction) * f64::from(lord.years());
    Balance { nakshatra, lord, elapsed_fraction, balance_years }
}

/// A period as offsets in years from the start of the first mahadasha.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Span {
    pub lord: Lord,
    pub start: f64,
    pub end: f64,
    /// The period's full length in years (for the first mahadasha, including what passed before birth).
    pub years: f64,
}

impl Span {
    /// The nine sub-periods, starting with this period's own lord, each `years × sub-lord's years
    /// / 120` long.
    pub fn subdivide(&self) -> [Span; 9] {
        let mut cumulative = 0u32;
        let mut start = self.start;
        std::array::from_fn(|i| {
            let lord = self.lord.after(i);
            cumulative += lord.years();
            let end = if i == 8 {
                self.end
            } else {
                self.start + self.years * f64::from(cumulative) / f64::from(CYCLE_YEARS)
            };
            let span = Span { lord, start, end, years: self.years * f64::from(lord.years()) / f64::from(CYCLE_YEARS) };
            start = end;
            span
        })
    }
}

/// The mahadashas from the one running at birth (which began before it) until the cycle covers
/// 120 years from birth: ten periods, or nine when the Moon stood at the very start of its
/// nakshatra.
pub fn mahadashas(balance: &Balance) -> Vec<Span> {
    let cover_until = balance.elapsed_years() + f64::from(CYCLE_YEARS);
    let mut spans = Vec::with_capacity(10);
    let mut start = 0u32;
    let mut step = 0;
    while f64::from(start) < cover_until && step < 10 {
        let lord = balance.lord.after(step);
        let end = start + lord.years();
        spans.push(Span { lord, start: f64::from(start), end: f64::from(end), years: f64::from(lord.years()) });
        start = end;
        step += 1;
    }
    spans
}

/// Turns offsets in years into instants: the first mahadasha began `elapsed` years of
/// `year_days` days before birth.
#[derive(Debug, Clone, Copy)]
pub struct Timeline {
    birth_seconds: f64,
    elapsed_years: f64,
    year_seconds: f64,
}

impl Timeline {
    pub fn new(birth: Timestamp, balance: &Balance, year_days: f64) -> Timeline {
        let birth_seconds = birth.as_second() as f64 + f64::from(birth.subsec_nanosecond()) * 1e-9;
        Timeline { birth_seconds, elapsed_years: balance.elapsed_years(), year_seconds: year_days * 86_400.0 }
    }

    /// The instant `offset_years` after the start of the first mahadasha, to the second.
    pub fn instant(&self, offset_years: f64) -> Result<Timestamp, EngineError> {
        let seconds = (self.birth_seconds + (offset_years - self.elapsed_years) * self.year_seconds).round();
        // Birth years are bounded by the ephemeris (1000-3000), so this holds for every accepted
        // request; the check keeps a wrong bound from ever panicking.
        Timestamp::from_second(seconds as i64).map_err(|_| {
            EngineError::from(FieldError::new("birth_data.date", "the dasha periods would run beyond the year 9999"))
        })
    }

    /// Offset in years of the birth instant from the start of the first mahadasha.
    pub fn birth_offset(&self) -> f64 {
        self.elapsed_years
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_start_of_a_nakshatra_leaves_the_whole_period() {
        let b = birth_balance(0.0);
        assert_eq!((b.nakshatra, b.lord), (0, Lord::Ketu));
        assert_eq!(b.balance_years, 7.0);
        assert_eq!(mahadashas(&b).len(), 9);
    }

    #[test]
    fn the_end_of_the_zodiac_is_revati_with_almost_nothing_left() {
        let b = birth_balance(359.999_999);
        assert_eq!((b.nakshatra, b.lord), (26, Lord::Mercury));
        assert!(b.balance_years < 1e-5 && b.balance_years >= 0.0);
    }

    #[test]
    fn longitudes_outside_the_circle_wrap() {
        assert_eq!(birth_balance(485.0), birth_balance(125.0));
        assert_eq!(birth_balance(-235.0).nakshatra, 9);
    }

    #[test]
    fn a_partly_elapsed_period_gives_ten_mahadashas_covering_120_years_from_birth() {
        let b = birth_balance(125.0);
        let spans = mahadashas(&b);
        assert_eq!(spans.len(), 10);
        assert_eq!(spans[0].lord, Lord::Ketu);
        assert_eq!(spans[9].lord, Lord::Ketu);
        assert!(spans[9].end >= b.elapsed_years() + 120.0);
    }

    #[test]
    fn sub_periods_start_with_the_parents_lord_and_end_with_it() {
        let parent = Span { lord: Lord::Rahu, start: 3.0, end: 21.0, years: 18.0 };
        let subs = parent.subdivide();
        assert_eq!(subs[0].lord, Lord::Rahu);
        assert_eq!(subs[1].lord, Lord::Jupiter);
        assert_eq!(subs[8].lord, Lord::Mars);
        assert_eq!(subs[0].start, 3.0);
        assert_eq!(subs[8].end, 21.0);
        // Rahu in Rahu: 18 × 18 / 120 = 2.7 years.
        assert!((subs[0].years - 2.7).abs() < 1e-12);
        assert!((subs.iter().map(|s| s.years).sum::<f64>() - 18.0).abs() < 1e-12);
        for pair in subs.windows(2) {
            assert_eq!(pair[0].end, pair[1].start);
        }
    }
}
