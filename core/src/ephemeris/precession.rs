//! Precession from the J2000 equator to the mean equator of date (IAU 2006, Capitaine et al. 2003,
//! the P03 angles of IERS Conventions 2010 eq. 5.40), and the general precession in longitude that
//! also defines the Lahiri ayanamsa.

use super::rotation::{Matrix3, multiply, r2, r3};
use super::{ARCSEC_RAD, polynomial};

/// The matrix taking J2000 mean-equatorial coordinates to mean-equatorial coordinates of date, at
/// `t` Julian centuries of TT from J2000: `R3(−z_A) · R2(θ_A) · R3(−ζ_A)`.
pub(crate) fn precession_matrix(t: f64) -> Matrix3 {
    let zeta =
        polynomial::value(&[2.650_545, 2_306.083_227, 0.298_849_9, 0.018_018_28, -0.000_005_971, -0.000_000_317_3], t);
    let z =
        polynomial::value(&[-2.650_545, 2_306.077_181, 1.092_734_8, 0.018_268_37, -0.000_028_596, -0.000_000_290_4], t);
    let theta =
        polynomial::value(&[0.0, 2_004.191_903, -0.429_493_4, -0.041_822_64, -0.000_007_089, -0.000_000_127_4], t);
    multiply(&r3(-z * ARCSEC_RAD), &multiply(&r2(theta * ARCSEC_RAD), &r3(-zeta * ARCSEC_RAD)))
}

const GENERAL_PRECESSION: [f64; 6] = [0.0, 5_028.796_195, 1.105_434_8, 0.000_079_64, -0.000_023_857, -0.000_000_038_3];

/// General precession in longitude p_A since J2000, arcseconds.
pub fn general_precession_arcsec(t: f64) -> f64 {
    polynomial::value(&GENERAL_PRECESSION, t)
}

/// Rate of the general precession, degrees per day: what a fixed direction gains in longitude of
/// date each day.
pub(crate) fn general_precession_rate_deg_per_day(t: f64) -> f64 {
    polynomial::rate(&GENERAL_PRECESSION, t) / 3600.0 / 36_525.0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The precession matrix at J2000 is the identity up to the 2.65″ constant terms that cancel.
    #[test]
    fn identity_at_j2000() {
        let m = precession_matrix(0.0);
        for (i, row) in m.iter().enumerate() {
            for (j, x) in row.iter().enumerate() {
                let expected = if i == j { 1.0 } else { 0.0 };
                assert!((x - expected).abs() < 1e-12);
            }
        }
    }

    /// A century of general precession is 5028.8″ (about 1.397°).
    #[test]
    fn general_precession_over_a_century() {
        assert!((general_precession_arcsec(1.0) - 5_029.901_7).abs() < 0.01);
        let rate = general_precession_rate_deg_per_day(0.0);
        assert!((rate * 36_525.0 * 3600.0 - 5_028.796_195).abs() < 1e-6);
    }
}
