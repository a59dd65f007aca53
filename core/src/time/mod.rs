//! Instants, time scales and civil time.
//!
//! The astronomy needs two time scales for every instant:
//!
//! - **UT** (Universal Time, UT1), which follows the Earth's rotation: sidereal time, house cusps
//!   and anything that depends on where the Earth is turned are computed from it.
//! - **TT** (Terrestrial Time), the uniform time of the ephemerides: where the Sun, Moon and
//!   planets are is computed from it.
//!
//! They differ by ΔT = TT − UT, about 69 s today and minutes to hours in antiquity, see
//! [`delta_t`]. A [`Moment`] carries both so no engine can mix them up.
//!
//! Civil time (what a birth certificate says) reaches a [`Moment`] through [`zone`]: a local date
//! and time in an IANA zone or at a fixed offset resolves to a [`jiff::Timestamp`] (UTC), and
//! [`Moment::from_timestamp`] takes it from there, treating UTC as UT1 (they never differ by more
//! than 0.9 s; see `docs/time.md`).
//!
//! ```
//! use jiff::civil::date;
//! use noesis_core::time::{Moment, zone::{self, Zone}};
//!
//! let kolkata = Zone::parse("Asia/Kolkata")?;
//! let ts = zone::resolve_local(date(1991, 8, 13), jiff::civil::time(13, 31, 0, 0), &kolkata, None)?;
//! assert_eq!(ts.to_string(), "1991-08-13T08:01:00Z");
//!
//! let moment = Moment::from_timestamp(ts);
//! assert!((moment.delta_t_seconds() - 58.0).abs() < 0.5);
//! # Ok::<(), noesis_core::time::TimeError>(())
//! ```

pub mod delta_t;
mod delta_t_table;
mod error;
pub mod julian;
pub mod zone;

pub use error::TimeError;

/// Julian Day of the standard epoch J2000.0, 2000-01-01T12:00:00 TT (IAU 1976).
pub const J2000_JD: f64 = 2_451_545.0;

/// Days in a Julian century, the unit of time in the IAU precession and nutation series.
pub const DAYS_PER_JULIAN_CENTURY: f64 = 36_525.0;

const SECONDS_PER_DAY: f64 = 86_400.0;

/// An instant on both time scales the astronomy needs, UT and TT, as Julian Days.
///
/// An `f64` Julian Day resolves about 40 µs near the present, during which the Moon moves
/// 0.00002″: far below anything the engines report.
///
/// ```
/// use noesis_core::time::{J2000_JD, Moment};
///
/// let noon = Moment::from_timestamp("2000-01-01T12:00:00Z".parse()?);
/// assert_eq!(noon.jd_ut(), J2000_JD);
/// // ΔT was 63.8 s then, so J2000.0 (which is on the TT scale) came 63.8 s earlier.
/// assert!((noon.jd_tt() - J2000_JD - 63.83 / 86_400.0).abs() < 1e-7);
/// # Ok::<(), jiff::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Moment {
    jd_ut: f64,
    jd_tt: f64,
    delta_t_s: f64,
}

impl Moment {
    /// The moment of a UTC timestamp, treating UTC as UT1.
    ///
    /// UTC is kept within 0.9 s of UT1 by leap seconds; the difference (DUT1) is not modelled,
    /// as Swiss Ephemeris does not model it either when given a UT Julian Day. It moves the Moon
    /// by at most 0.5″ and the Sun by 0.04″.
    ///
    /// ```
    /// use noesis_core::time::Moment;
    ///
    /// let m = Moment::from_timestamp("1957-10-04T19:26:24Z".parse()?);
    /// assert!((m.jd_ut() - 2_436_116.31).abs() < 1e-9);
    /// # Ok::<(), jiff::Error>(())
    /// ```
    pub fn from_timestamp(ts: jiff::Timestamp) -> Moment {
        Moment::from_jd_ut(julian::jd_from_timestamp(ts))
    }

    /// The moment at a Julian Day on the UT scale.
    ///
    /// ```
    /// use noesis_core::time::Moment;
    ///
    /// let m = Moment::from_jd_ut(2_451_545.0);
    /// assert_eq!(m.to_timestamp().to_string(), "2000-01-01T12:00:00Z");
    /// ```
    pub fn from_jd_ut(jd_ut: f64) -> Moment {
        let delta_t_s = delta_t::delta_t_seconds(jd_ut);
        Moment { jd_ut, jd_tt: jd_ut + delta_t_s / SECONDS_PER_DAY, delta_t_s }
    }

    /// The moment at a Julian Day on the TT scale, such as an ephemeris event found in TT.
    ///
    /// ΔT is a function of UT, so this solves `jd_tt = jd_ut + ΔT(jd_ut)` for `jd_ut` by fixed-point
    /// iteration; ΔT changes by well under a second per day, so it settles within a few steps.
    ///
    /// ```
    /// use noesis_core::time::Moment;
    ///
    /// let m = Moment::from_jd_tt(2_451_545.0);
    /// assert_eq!(m.jd_tt(), 2_451_545.0);
    /// assert_eq!(m.to_timestamp().to_string(), "2000-01-01T11:58:56.171Z");
    /// ```
    pub fn from_jd_tt(jd_tt: f64) -> Moment {
        let mut jd_ut = jd_tt - delta_t::delta_t_seconds(jd_tt) / SECONDS_PER_DAY;
        for _ in 0..8 {
            let next = jd_tt - delta_t::delta_t_seconds(jd_ut) / SECONDS_PER_DAY;
            let settled = (next - jd_ut).abs() < 1e-12;
            jd_ut = next;
            if settled {
                break;
            }
        }
        Moment { jd_ut, jd_tt, delta_t_s: delta_t::delta_t_seconds(jd_ut) }
    }

    /// Julian Day on the UT (UT1) scale.
    pub fn jd_ut(&self) -> f64 {
        self.jd_ut
    }

    /// Julian Day on the TT scale (what ephemerides take; TDB differs from it by < 2 ms).
    pub fn jd_tt(&self) -> f64 {
        self.jd_tt
    }

    /// ΔT = TT − UT at this moment, in seconds.
    ///
    /// ```
    /// use noesis_core::time::Moment;
    ///
    /// let m = Moment::from_timestamp("2020-01-01T00:00:00Z".parse()?);
    /// assert!((m.delta_t_seconds() - 69.36).abs() < 0.05);
    /// # Ok::<(), jiff::Error>(())
    /// ```
    pub fn delta_t_seconds(&self) -> f64 {
        self.delta_t_s
    }

    /// Julian centuries of TT since J2000.0: `(jd_tt − 2451545.0) / 36525`, the argument of the
    /// precession, nutation and planetary series.
    ///
    /// ```
    /// use noesis_core::time::Moment;
    ///
    /// assert_eq!(Moment::from_jd_tt(2_451_545.0 + 36_525.0).centuries_tt_since_j2000(), 1.0);
    /// ```
    pub fn centuries_tt_since_j2000(&self) -> f64 {
        (self.jd_tt - J2000_JD) / DAYS_PER_JULIAN_CENTURY
    }

    /// The UTC timestamp of this moment (UT read as UTC), rounded to the millisecond.
    ///
    /// Julian Days outside what [`jiff::Timestamp`] can hold (years −9999 to 9999) saturate at
    /// its limits.
    ///
    /// ```
    /// use noesis_core::time::Moment;
    ///
    /// let ts: jiff::Timestamp = "1991-08-13T08:01:00.123Z".parse()?;
    /// assert_eq!(Moment::from_timestamp(ts).to_timestamp(), ts);
    /// # Ok::<(), jiff::Error>(())
    /// ```
    pub fn to_timestamp(&self) -> jiff::Timestamp {
        julian::timestamp_from_jd(self.jd_ut)
    }

    /// The moment `days` later on the UT scale (earlier if negative), with ΔT taken afresh.
    ///
    /// ```
    /// use noesis_core::time::Moment;
    ///
    /// let m = Moment::from_jd_ut(2_451_545.0).plus_days(0.5);
    /// assert_eq!(m.to_timestamp().to_string(), "2000-01-02T00:00:00Z");
    /// ```
    pub fn plus_days(&self, days: f64) -> Moment {
        Moment::from_jd_ut(self.jd_ut + days)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tt_minus_ut_is_delta_t() {
        let m = Moment::from_jd_ut(2_459_000.5);
        let from_jds = (m.jd_tt() - m.jd_ut()) * SECONDS_PER_DAY;
        assert!((from_jds - m.delta_t_seconds()).abs() < 1e-4);
    }

    #[test]
    fn from_jd_tt_inverts_from_jd_ut_across_the_model_range() {
        // Years −1000 to 3000, where ΔT runs from about 25 000 s down to −6 s and back up.
        let mut jd = 1_355_807.5;
        while jd < 2_817_152.5 {
            let m = Moment::from_jd_ut(jd);
            let back = Moment::from_jd_tt(m.jd_tt());
            assert!((back.jd_ut() - jd).abs() < 1e-9, "jd_ut {jd}: got {}", back.jd_ut());
            jd += 3_652.5 / 7.0;
        }
    }

    #[test]
    fn non_finite_julian_days_do_not_panic() {
        for jd in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            let m = Moment::from_jd_ut(jd);
            let _ = m.to_timestamp();
            let _ = Moment::from_jd_tt(jd);
        }
    }
}
