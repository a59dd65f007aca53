//! Julian Days: the continuous day count the astronomy runs on.
//!
//! A Julian Day (JD) counts days from noon UT on 1 January 4713 BC of the Julian calendar; its
//! fraction is the time of day, with 0.5 at midnight. Dates here are in the proleptic Gregorian
//! calendar with astronomical year numbering (year 0 is 1 BC, year −1 is 2 BC), as in
//! [`jiff::civil::Date`]; historical dates written in the Julian calendar must be converted
//! first.
//!
//! ```
//! use noesis_core::time::julian;
//!
//! // Meeus, Astronomical Algorithms, example 7.a: 1957 October 4.81 (Sputnik 1).
//! assert!((julian::jd_from_gregorian(1957, 10, 4.81) - 2_436_116.31).abs() < 1e-9);
//! ```

use jiff::Timestamp;
use jiff::civil::DateTime;

use super::TimeError;

/// Julian Day of the Unix epoch, 1970-01-01T00:00:00 UTC.
pub const UNIX_EPOCH_JD: f64 = 2_440_587.5;

const NANOS_PER_DAY: i128 = 86_400_000_000_000;
const MILLIS_PER_DAY: f64 = 86_400_000.0;

/// The Julian Day of a UTC timestamp, on whatever scale the timestamp is read as (here: UT).
///
/// Exact to the resolution of an `f64` (about 40 µs near the present).
///
/// ```
/// use noesis_core::time::{J2000_JD, julian};
///
/// assert_eq!(julian::jd_from_timestamp("2000-01-01T12:00:00Z".parse()?), J2000_JD);
/// assert_eq!(julian::jd_from_timestamp(jiff::Timestamp::UNIX_EPOCH), julian::UNIX_EPOCH_JD);
/// # Ok::<(), jiff::Error>(())
/// ```
pub fn jd_from_timestamp(ts: Timestamp) -> f64 {
    let nanos = ts.as_nanosecond();
    // Whole days and the remainder separately: the sum rounds once, at the last step.
    let days = nanos.div_euclid(NANOS_PER_DAY);
    let rest = nanos.rem_euclid(NANOS_PER_DAY);
    (UNIX_EPOCH_JD + days as f64) + rest as f64 / NANOS_PER_DAY as f64
}

/// The UTC timestamp of a Julian Day, rounded to the millisecond.
///
/// Julian Days outside the years −9999 to 9999 that [`Timestamp`] can hold saturate at
/// [`Timestamp::MIN`] or [`Timestamp::MAX`] (NaN gives [`Timestamp::MIN`]); use
/// [`try_timestamp_from_jd`] to be told instead.
///
/// ```
/// use noesis_core::time::julian;
///
/// assert_eq!(julian::timestamp_from_jd(2_436_116.31).to_string(), "1957-10-04T19:26:24Z");
/// assert_eq!(julian::timestamp_from_jd(1e12), jiff::Timestamp::MAX);
/// ```
pub fn timestamp_from_jd(jd: f64) -> Timestamp {
    try_timestamp_from_jd(jd).unwrap_or(if jd > UNIX_EPOCH_JD { Timestamp::MAX } else { Timestamp::MIN })
}

/// The UTC timestamp of a Julian Day, rounded to the millisecond, or
/// [`TimeError::OutOfRange`] when it is not finite or outside the years −9999 to 9999.
///
/// ```
/// use noesis_core::time::{julian, TimeError};
///
/// assert_eq!(julian::try_timestamp_from_jd(2_451_545.0)?.to_string(), "2000-01-01T12:00:00Z");
/// assert!(matches!(julian::try_timestamp_from_jd(f64::NAN), Err(TimeError::OutOfRange { .. })));
/// # Ok::<(), TimeError>(())
/// ```
pub fn try_timestamp_from_jd(jd: f64) -> Result<Timestamp, TimeError> {
    let out_of_range =
        || TimeError::OutOfRange { detail: format!("Julian Day {jd} is outside the years -9999 to 9999") };
    // jiff's range is ±3.7 million days around the Unix epoch; test before casting.
    let days = jd - UNIX_EPOCH_JD;
    if !days.is_finite() || days.abs() > 4.0e6 {
        return Err(out_of_range());
    }
    let whole = days.floor();
    let millis = whole as i64 * 86_400_000 + ((days - whole) * MILLIS_PER_DAY).round() as i64;
    Timestamp::from_millisecond(millis).map_err(|_| out_of_range())
}

/// The Julian Day of a proleptic Gregorian date, `day` carrying the time of day as a fraction
/// (Meeus's convention: 4.81 is 19:26:24 on the 4th).
///
/// Defined for every year, not only those a [`jiff::civil::Date`] can hold. A month outside
/// 1-12 rolls over into the neighbouring years (month 13 is January of `year + 1`, month 0 is
/// December of `year − 1`).
///
/// ```
/// use noesis_core::time::julian;
///
/// assert_eq!(julian::jd_from_gregorian(2000, 1, 1.5), 2_451_545.0);
/// // The Julian Day epoch, 1 January 4713 BC (Julian calendar) = 24 November −4713 (Gregorian).
/// assert_eq!(julian::jd_from_gregorian(-4713, 11, 24.5), 0.0);
/// ```
pub fn jd_from_gregorian(year: i32, month: i32, day: f64) -> f64 {
    let year = i64::from(year) + i64::from(month - 1).div_euclid(12);
    let month = i64::from(month - 1).rem_euclid(12) + 1;
    let midnight_before_day_1 = jd_midnight(year, month, 1) - 1.0;
    midnight_before_day_1 + day
}

/// The proleptic Gregorian date of a Julian Day as `(year, month, day)`, `day` carrying the time
/// of day as a fraction: the inverse of [`jd_from_gregorian`].
///
/// ```
/// use noesis_core::time::julian;
///
/// let (year, month, day) = julian::gregorian_from_jd(2_436_116.31);
/// assert_eq!((year, month), (1957, 10));
/// assert!((day - 4.81).abs() < 1e-9);
/// ```
pub fn gregorian_from_jd(jd: f64) -> (i32, i32, f64) {
    // Julian Day number N is the day whose midnight falls at JD N − 0.5.
    let shifted = jd + 0.5;
    // Clamped so that absurd inputs (±1e300, NaN → 0) cannot overflow the day arithmetic.
    let day_number = shifted.floor().clamp(-2.0e11, 2.0e11);
    let (year, month, day) = civil_from_days(day_number as i64 - UNIX_EPOCH_DAY_NUMBER);
    (year as i32, month as i32, day as f64 + (shifted - day_number))
}

/// The Julian Day of a civil date and time read as UT.
///
/// ```
/// use jiff::civil::date;
/// use noesis_core::time::{J2000_JD, julian};
///
/// assert_eq!(julian::jd_from_civil(date(2000, 1, 1).at(12, 0, 0, 0)), J2000_JD);
/// ```
pub fn jd_from_civil(dt: DateTime) -> f64 {
    let midnight = jd_midnight(i64::from(dt.year()), i64::from(dt.month()), i64::from(dt.day()));
    let nanos_of_day = i64::from(dt.hour()) * 3_600_000_000_000
        + i64::from(dt.minute()) * 60_000_000_000
        + i64::from(dt.second()) * 1_000_000_000
        + i64::from(dt.subsec_nanosecond());
    midnight + nanos_of_day as f64 / NANOS_PER_DAY as f64
}

/// Julian Day number of 1970-01-01 (the day that begins at JD 2440587.5).
const UNIX_EPOCH_DAY_NUMBER: i64 = 2_440_588;

/// The Julian Day at 0h UT of a proleptic Gregorian date (month 1-12).
pub(super) const fn jd_midnight(year: i64, month: i64, day: i64) -> f64 {
    (days_from_civil(year, month, day) + UNIX_EPOCH_DAY_NUMBER) as f64 - 0.5
}

/// Days from 1970-01-01 to a proleptic Gregorian date (month 1-12), for any year.
///
/// Howard Hinnant's `days_from_civil` (public domain, "chrono-Compatible Low-Level Date
/// Algorithms"): the year is shifted to start in March so the leap day falls last.
const fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The proleptic Gregorian date `days` after 1970-01-01; the inverse of [`days_from_civil`].
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_count_round_trips_over_the_whole_proleptic_range() {
        let mut days = -4_000_000;
        while days < 4_000_000 {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
            days += 997;
        }
    }

    #[test]
    fn gregorian_leap_rules() {
        // 1900 is not a leap year, 2000 is.
        assert_eq!(jd_midnight(1900, 3, 1) - jd_midnight(1900, 2, 28), 1.0, "1900-02-29 must not exist");
        assert_eq!(jd_midnight(2000, 3, 1) - jd_midnight(2000, 2, 28), 2.0);
    }
}
