//! ΔT = TT − UT, the Earth's clock error, in seconds.
//!
//! The Earth's rotation is irregular and slowing, so UT drifts against the uniform TT of the
//! ephemerides: ΔT was about −2 s in 1900, 64 s in 2000 and 69 s today. Every position computed
//! from a UT instant moves with it (the Moon by 0.55″ per second of ΔT), so the model follows
//! the best determinations available, the same ones Swiss Ephemeris uses:
//!
//! - **1955 – 2023-05: observed.** Half-yearly values of the US Naval Observatory to 1972.5, then
//!   IERS monthly values (from UT1 − UTC and leap seconds), as published in the npm package
//!   `astronomia` 4.2.0. Interpolated with a cubic Hermite spline whose slopes come from the
//!   neighbouring knots: it passes through every observation, with continuous value and slope.
//! - **−720 – 1955: reconstructed from eclipses and occultations.** The cubic spline of
//!   Morrison, Stephenson, Hohenkerk & Zawilski (2021, the 2020 addendum to Stephenson,
//!   Morrison & Hohenkerk 2016), table S15. Its 1955 value is 0.66 s below the observed one; as
//!   in Swiss Ephemeris, that gap is closed linearly over the 1000 days before 1955-01-01.
//! - **Before −720.** Their long-term parabola `−320 + 32.5 u²`, `u = (year − 1825) / 100`,
//!   shifted by a constant to meet the spline.
//! - **After 2023-05: extrapolated.** The cubic of Stephenson, Morrison & Hohenkerk (2016),
//!   `64 + 0.1737 t + 0.0008 t² + 4.033e-6 t³` with `t = year − 2000` (published with their
//!   series by HM Nautical Almanac Office), and from 2500 on `42.5 + 32.5 u²` with
//!   `u = (year − 2000) / 100`; Swiss Ephemeris extrapolates with the same expressions. The
//!   last observation is held and eased into the cubic over the following 50 years (a smoothstep),
//!   so ΔT leaves the observations level, as it has actually been (69.2 s in 2023, about 69.1 s
//!   in 2025), instead of climbing the cubic's 0.2 s per year at once.
//!
//! The result is continuous everywhere (no jump at any seam) and defined for every finite Julian
//! Day. `core/tests/time_delta_t.rs` holds it to Swiss Ephemeris and `docs/time.md` lists the
//! measured differences. ΔT's own uncertainty grows from milliseconds (observed era) to about a
//! second a decade out, to seconds around 1800 and minutes to hours in antiquity.
//!
//! ```
//! use noesis_core::time::{delta_t, julian};
//!
//! let jd_2000 = julian::jd_from_gregorian(2000, 1, 1.0);
//! assert!((delta_t::delta_t_seconds(jd_2000) - 63.83).abs() < 0.01);
//! ```

use super::delta_t_table::{HALF_YEARLY_FIRST_YEAR, HALF_YEARLY_S, MONTHLY_FIRST, MONTHLY_S, STEPHENSON_2020_SPLINE};
use super::julian::jd_midnight;

/// ΔT = TT − UT in seconds at a Julian Day on the UT scale.
///
/// Defined and continuous for every finite input (NaN in, NaN out); validated against Swiss
/// Ephemeris for 1800-2200 and meant for use from −1000 to 3000 (see the module docs).
///
/// ```
/// use noesis_core::time::{delta_t, julian};
///
/// let at = |year| delta_t::delta_t_seconds(julian::jd_from_gregorian(year, 1, 1.0));
/// assert!((at(1900) - -1.98).abs() < 0.05);
/// assert!((at(1950) - 28.93).abs() < 0.05);
/// assert!((at(2020) - 69.36).abs() < 0.05);
/// assert!(at(-1000) > 25_000.0); // about 7 hours in antiquity
/// ```
pub fn delta_t_seconds(jd_ut: f64) -> f64 {
    let (first, last) = (KNOT_JD[0], KNOT_JD[KNOTS - 1]);
    if jd_ut < first {
        reconstructed(jd_ut)
    } else if jd_ut <= last {
        observed(jd_ut)
    } else {
        // Also NaN, which propagates.
        after_observations(jd_ut)
    }
}

const HALF_YEARLY: usize = HALF_YEARLY_S.len();
const KNOTS: usize = HALF_YEARLY + MONTHLY_S.len();

/// Julian Day (UT) of every observation, half-yearly knots first, then the monthly ones.
static KNOT_JD: [f64; KNOTS] = knot_jds();

const fn knot_jds() -> [f64; KNOTS] {
    let mut jds = [0.0; KNOTS];
    let mut i = 0;
    while i < HALF_YEARLY {
        let year = (HALF_YEARLY_FIRST_YEAR + (i / 2) as i32) as i64;
        let jan_1 = jd_midnight(year, 1, 1);
        jds[i] = if i % 2 == 0 { jan_1 } else { jan_1 + 0.5 * (jd_midnight(year + 1, 1, 1) - jan_1) };
        i += 1;
    }
    let mut k = 0;
    while k < MONTHLY_S.len() {
        let month0 = MONTHLY_FIRST.1 - 1 + k as i32;
        let year = MONTHLY_FIRST.0 + month0.div_euclid(12);
        let month = month0.rem_euclid(12) + 1;
        jds[HALF_YEARLY + k] = jd_midnight(year as i64, month as i64, 1);
        k += 1;
    }
    jds
}

fn knot_delta_t(i: usize) -> f64 {
    if i < HALF_YEARLY { HALF_YEARLY_S[i] } else { MONTHLY_S[i - HALF_YEARLY] }
}

/// Cubic Hermite interpolation between the observations around `jd` (which must lie within
/// them).
fn observed(jd: f64) -> f64 {
    let i = KNOT_JD.partition_point(|&knot| knot <= jd).saturating_sub(1).min(KNOTS - 2);
    let (x0, x1) = (KNOT_JD[i], KNOT_JD[i + 1]);
    let h = x1 - x0;
    let t = (jd - x0) / h;
    let (t2, t3) = (t * t, t * t * t);
    let h00 = 2.0 * t3 - 3.0 * t2 + 1.0;
    let h10 = t3 - 2.0 * t2 + t;
    let h01 = -2.0 * t3 + 3.0 * t2;
    let h11 = t3 - t2;
    h00 * knot_delta_t(i) + h10 * h * slope(i) + h01 * knot_delta_t(i + 1) + h11 * h * slope(i + 1)
}

/// dΔT/dJD at knot `i`: the slope of the parabola through it and its two neighbours (one-sided
/// at the ends of the series).
fn slope(i: usize) -> f64 {
    let secant = |j: usize| (knot_delta_t(j + 1) - knot_delta_t(j)) / (KNOT_JD[j + 1] - KNOT_JD[j]);
    if i == 0 {
        return secant(0);
    }
    if i == KNOTS - 1 {
        return secant(KNOTS - 2);
    }
    let (h0, h1) = (KNOT_JD[i] - KNOT_JD[i - 1], KNOT_JD[i + 1] - KNOT_JD[i]);
    (secant(i - 1) * h1 + secant(i) * h0) / (h0 + h1)
}

/// Days before the first observation (1955-01-01) over which the spline is brought onto it.
const SPLINE_HANDOVER_DAYS: f64 = 1000.0;

/// ΔT before 1955: the Stephenson et al. spline, and their parabola before it starts.
fn reconstructed(jd: f64) -> f64 {
    let year = decimal_year(jd);
    let spline_start = STEPHENSON_2020_SPLINE[0][0];
    let value = if year < spline_start {
        let shift = stephenson_2020_spline(spline_start) - stephenson_2016_parabola(spline_start);
        stephenson_2016_parabola(year) + shift
    } else {
        stephenson_2020_spline(year)
    };
    let first = KNOT_JD[0];
    let gap = knot_delta_t(0) - stephenson_2020_spline(decimal_year(first));
    let weight = (1.0 - (first - jd) / SPLINE_HANDOVER_DAYS).max(0.0);
    value + gap * weight
}

fn stephenson_2020_spline(year: f64) -> f64 {
    let i = STEPHENSON_2020_SPLINE.partition_point(|row| row[0] <= year).saturating_sub(1);
    let [start, end, a0, a1, a2, a3] = STEPHENSON_2020_SPLINE[i];
    horner((year - start) / (end - start), &[a0, a1, a2, a3])
}

/// Stephenson, Morrison & Hohenkerk (2016), long-term parabola.
fn stephenson_2016_parabola(year: f64) -> f64 {
    let u = (year - 1825.0) / 100.0;
    -320.0 + 32.5 * u * u
}

/// Years after the last observation over which its offset from the extrapolation fades out.
const FADE_YEARS: f64 = 50.0;

fn after_observations(jd: f64) -> f64 {
    let (year, last_year) = (decimal_year(jd), decimal_year(KNOT_JD[KNOTS - 1]));
    let last = knot_delta_t(KNOTS - 1);
    // Hold the last observation and ease into the long-term cubic with a smoothstep over
    // FADE_YEARS: value and slope are continuous at both ends. The cubic alone climbs 0.2 s a year
    // from the start, while the Earth's rotation has not been slowing since 2020 (ΔT 69.2 s in
    // 2023 and about 69.1 s in 2025), so it would overshoot the present by half a second.
    let x = ((year - last_year) / FADE_YEARS).clamp(0.0, 1.0);
    let ease = x * x * (3.0 - 2.0 * x);
    last + (stephenson_2016_future(year) - last) * ease
}

/// Gregorian years, 2000.0 at 2000-01-01T00:00 UT: precise enough for long-term expressions
/// whose own uncertainty is seconds or more.
fn decimal_year(jd: f64) -> f64 {
    2000.0 + (jd - 2_451_544.5) / 365.2425
}

/// ΔT after the observations: Stephenson, Morrison & Hohenkerk (2016) extrapolation.
fn stephenson_2016_future(year: f64) -> f64 {
    if year < 2500.0 {
        horner(year - 2000.0, &[64.0, 521.0 / 3000.0, 1.0 / 1250.0, 121.0 / 30_000_000.0])
    } else {
        let u = (year - 2000.0) / 100.0;
        42.5 + 32.5 * u * u
    }
}

/// `c[0] + c[1] x + c[2] x² + …`
fn horner(x: f64, coefficients: &[f64]) -> f64 {
    coefficients.iter().rev().fold(0.0, |acc, &c| acc * x + c)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// JD of a decimal Gregorian year, the inverse of `decimal_year`.
    fn jd_of_year(year: f64) -> f64 {
        2_451_544.5 + (year - 2000.0) * 365.2425
    }

    /// The largest change of ΔT across `jd` over a thousandth of a second of time.
    fn jump_at(jd: f64) -> f64 {
        let eps = 1e-8;
        (delta_t_seconds(jd + eps) - delta_t_seconds(jd - eps)).abs()
    }

    #[test]
    fn passes_through_every_observation() {
        for (i, &jd) in KNOT_JD.iter().enumerate() {
            assert!((delta_t_seconds(jd) - knot_delta_t(i)).abs() < 1e-9, "knot {i}");
        }
    }

    #[test]
    fn knots_are_strictly_increasing() {
        assert!(KNOT_JD.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(KNOT_JD[HALF_YEARLY], jd_midnight(1973, 2, 1));
        assert_eq!(KNOT_JD[KNOTS - 1], jd_midnight(2023, 5, 1));
    }

    #[test]
    fn no_jump_at_any_seam() {
        let last = decimal_year(KNOT_JD[KNOTS - 1]);
        let mut seams = vec![
            KNOT_JD[0],
            KNOT_JD[0] - SPLINE_HANDOVER_DAYS,
            KNOT_JD[HALF_YEARLY - 1],
            KNOT_JD[HALF_YEARLY],
            KNOT_JD[KNOTS - 1],
            jd_of_year(last + FADE_YEARS),
            jd_of_year(2500.0),
        ];
        seams.extend(STEPHENSON_2020_SPLINE.iter().map(|row| jd_of_year(row[0])));
        for jd in seams {
            assert!(jump_at(jd) < 0.01, "jump of {} s at JD {jd}", jump_at(jd));
        }
    }

    #[test]
    fn spline_hands_over_to_observations_at_1955() {
        assert_eq!(KNOT_JD[0], jd_midnight(1955, 1, 1));
        let gap = knot_delta_t(0) - stephenson_2020_spline(decimal_year(KNOT_JD[0]));
        assert!(gap.abs() < 1.0, "{gap} s");
    }

    #[test]
    fn future_expressions_meet_at_2500() {
        let below = horner(500.0, &[64.0, 521.0 / 3000.0, 1.0 / 1250.0, 121.0 / 30_000_000.0]);
        assert!((below - stephenson_2016_future(2500.0)).abs() < 1e-9);
    }
}
