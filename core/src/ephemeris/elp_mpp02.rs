//! The geocentric Moon from ELP/MPP02 (Chapront & Francou 2003, A&A 404, 735), the version whose
//! constants were fitted to JPL DE405.
//!
//! The series give longitude (added to the mean longitude W1), latitude and distance referred to the
//! mean ecliptic of date and the departure point γ′2000; Laskar's P, Q polynomials then rotate them
//! to the inertial ecliptic of J2000, and the VSOP87 matrix carries that to the J2000 equator. Each
//! term is `A·sin(φ0 + φ1·T + … + φ4·T⁴)` times `T^α`, T in Julian centuries of TT from J2000.

use super::rotation::{Matrix3, apply, multiply};
use super::state::StateVector;
use super::tables;
use super::vsop87::VSOP87_TO_FK5;
use super::{ARCSEC_RAD, fast_trig, polynomial};

/// One coordinate's series, per power α of T, terms `[A, φ0, φ1, φ2, φ3, φ4]`.
pub(crate) struct ElpSeries {
    pub longitude: &'static [&'static [[f64; 6]]],
    pub latitude: &'static [&'static [[f64; 6]]],
    pub distance: &'static [&'static [[f64; 6]]],
}

const KM_PER_AU: f64 = 149_597_870.7;
const DAYS_PER_CENTURY: f64 = 36_525.0;

fn series(powers: &[&[[f64; 6]]], t: f64) -> (f64, f64) {
    let mut value = 0.0;
    let mut rate = 0.0;
    let mut t_power = 1.0;
    let mut t_power_below = 0.0;
    for (alpha, terms) in powers.iter().enumerate() {
        let mut sum = 0.0;
        let mut sum_rate = 0.0;
        for row in terms.iter() {
            let [a, p0, p1, p2, p3, p4] = *row;
            let phase = p0 + t * (p1 + t * (p2 + t * (p3 + t * p4)));
            let phase_rate = p1 + t * (2.0 * p2 + t * (3.0 * p3 + t * 4.0 * p4));
            let (sin, cos) = fast_trig::sin_cos(phase);
            sum += a * sin;
            sum_rate += a * cos * phase_rate;
        }
        value += sum * t_power;
        rate += sum_rate * t_power + alpha as f64 * sum * t_power_below;
        t_power_below = t_power;
        t_power *= t;
    }
    (value, rate)
}

/// Laskar's rotation from the mean ecliptic of date to the inertial ecliptic of J2000, as
/// published with ELP/MPP02. Its drift over a day is far below the series' precision, so the
/// velocity is rotated with the same matrix.
fn ecliptic_of_date_to_j2000(t: f64) -> Matrix3 {
    let p = polynomial::value(
        &[0.0, 0.101_803_91e-4, 0.470_204_39e-6, -0.541_736_7e-9, -0.250_794_8e-11, 0.463_486e-14],
        t,
    );
    let q = polynomial::value(
        &[0.0, -0.113_469_002e-3, 0.123_726_74e-6, 0.126_541_70e-8, -0.137_180_8e-11, -0.320_334e-14],
        t,
    );
    let s = (1.0 - p * p - q * q).sqrt();
    [
        [1.0 - 2.0 * p * p, 2.0 * p * q, 2.0 * p * s],
        [2.0 * p * q, 1.0 - 2.0 * q * q, -2.0 * q * s],
        [-2.0 * p * s, 2.0 * q * s, 1.0 - 2.0 * p * p - 2.0 * q * q],
    ]
}

/// Geocentric geometric Moon at `jd_tt`, J2000 equatorial, AU and AU/day.
pub(crate) fn geocentric_moon(jd_tt: f64) -> StateVector {
    let t = (jd_tt - crate::time::J2000_JD) / DAYS_PER_CENTURY;
    let (dl, ddl) = series(tables::MOON.longitude, t);
    let (b, db) = series(tables::MOON.latitude, t);
    let (r, dr) = series(tables::MOON.distance, t);
    let l = polynomial::value(&tables::MOON_W1, t) + dl * ARCSEC_RAD;
    let rate_l = polynomial::rate(&tables::MOON_W1, t) + ddl * ARCSEC_RAD;
    let (b, rate_b) = (b * ARCSEC_RAD, db * ARCSEC_RAD);
    let (sl, cl) = l.sin_cos();
    let (sb, cb) = b.sin_cos();
    let position = [r * cb * cl, r * cb * sl, r * sb];
    let velocity = [
        dr * cb * cl - r * sb * rate_b * cl - r * cb * sl * rate_l,
        dr * cb * sl - r * sb * rate_b * sl + r * cb * cl * rate_l,
        dr * sb + r * cb * rate_b,
    ];
    let to_equator = multiply(&VSOP87_TO_FK5, &ecliptic_of_date_to_j2000(t));
    let position = apply(&to_equator, &position);
    let velocity = apply(&to_equator, &velocity);
    let per_day = 1.0 / (KM_PER_AU * DAYS_PER_CENTURY);
    StateVector {
        position_au: [position[0] / KM_PER_AU, position[1] / KM_PER_AU, position[2] / KM_PER_AU],
        velocity_au_per_day: [velocity[0] * per_day, velocity[1] * per_day, velocity[2] * per_day],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn velocity_is_the_derivative_of_position() {
        for jd in [2_451_545.0 + 1234.5, 2_413_230.5, 2_500_000.25] {
            let h = 1.0 / 1024.0; // exact in f64, so jd ± h carries no rounding
            let a = geocentric_moon(jd - h).position_au;
            let b = geocentric_moon(jd + h).position_au;
            let v = geocentric_moon(jd).velocity_au_per_day;
            for i in 0..3 {
                let numeric = (b[i] - a[i]) / (2.0 * h);
                assert!((numeric - v[i]).abs() < 1e-10, "component {i}: {numeric} vs {}", v[i]);
            }
        }
    }

    /// Meeus example 47.a: 1992-04-12 0h TD, distance 368409.7 km (truncated ELP-2000/82 there,
    /// so agreement to a few km is all that is expected).
    #[test]
    fn distance_matches_meeus_example_47a() {
        let km = geocentric_moon(2_448_724.5).distance_au() * KM_PER_AU;
        assert!((km - 368_409.7).abs() < 5.0, "distance {km} km");
    }
}
