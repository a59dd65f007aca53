//! Heliocentric planets from VSOP87B (Bretagnon & Francou 1988, A&A 202, 309).
//!
//! VSOP87B gives heliocentric spherical coordinates referred to the dynamical ecliptic and equinox
//! of J2000.0 as Poisson series `Σ τ^α Σ A·cos(B + C·τ)`, τ in Julian millennia of TT from J2000.
//! The tables in `tables/vsop87_*.rs` are the published series truncated by the generator
//! (`scripts/ephemeris-data/gen_tables.mjs`), which prints what each truncation costs. Velocities
//! come from differentiating the same series, so speed costs no second evaluation.

use super::fast_trig;
use super::rotation::{Matrix3, apply};
use super::state::StateVector;

/// One body's series: per coordinate, per power α of τ, the terms `[A, B, C]`.
pub(crate) struct Vsop87Body {
    pub longitude: &'static [&'static [[f64; 3]]],
    pub latitude: &'static [&'static [[f64; 3]]],
    pub radius: &'static [&'static [[f64; 3]]],
}

const DAYS_PER_MILLENNIUM: f64 = 365_250.0;

/// VSOP87 dynamical ecliptic J2000 → FK5 equatorial J2000, from the VSOP87 distribution's README
/// (Bretagnon & Francou). It carries the J2000 obliquity and the 0.09″ offset of the FK5 equinox.
/// The Moon's ELP/MPP02 frame shares that ecliptic, so `elp_mpp02` uses it too.
pub(super) const VSOP87_TO_FK5: Matrix3 = [
    [1.0, 0.000_000_440_360, -0.000_000_190_919],
    [-0.000_000_479_966, 0.917_482_137_087, -0.397_776_982_902],
    [0.0, 0.397_776_982_902, 0.917_482_137_087],
];

/// Value of one coordinate's series and its rate per millennium.
fn series(powers: &[&[[f64; 3]]], tau: f64) -> (f64, f64) {
    let mut value = 0.0;
    let mut rate = 0.0;
    let mut tau_power = 1.0; // τ^α
    let mut tau_power_below = 0.0; // τ^(α−1), zero for α = 0
    for (alpha, terms) in powers.iter().enumerate() {
        let mut sum = 0.0;
        let mut sum_rate = 0.0;
        for &[a, b, c] in terms.iter() {
            let (sin, cos) = fast_trig::sin_cos(b + c * tau);
            sum += a * cos;
            sum_rate -= a * c * sin;
        }
        value += sum * tau_power;
        rate += sum_rate * tau_power + alpha as f64 * sum * tau_power_below;
        tau_power_below = tau_power;
        tau_power *= tau;
    }
    (value, rate)
}

impl Vsop87Body {
    /// Heliocentric position and velocity at `jd_tt`, in the J2000 equatorial frame.
    pub(crate) fn heliocentric(&self, jd_tt: f64) -> StateVector {
        let tau = (jd_tt - crate::time::J2000_JD) / DAYS_PER_MILLENNIUM;
        let (l, dl) = series(self.longitude, tau);
        let (b, db) = series(self.latitude, tau);
        let (r, dr) = series(self.radius, tau);
        let (sl, cl) = l.sin_cos();
        let (sb, cb) = b.sin_cos();
        let position = [r * cb * cl, r * cb * sl, r * sb];
        let velocity = [
            (dr * cb * cl - r * sb * db * cl - r * cb * sl * dl) / DAYS_PER_MILLENNIUM,
            (dr * cb * sl - r * sb * db * sl + r * cb * cl * dl) / DAYS_PER_MILLENNIUM,
            (dr * sb + r * cb * db) / DAYS_PER_MILLENNIUM,
        ];
        StateVector {
            position_au: apply(&VSOP87_TO_FK5, &position),
            velocity_au_per_day: apply(&VSOP87_TO_FK5, &velocity),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tables;

    /// Meeus, Astronomical Algorithms (2nd ed.), example 32.a: Venus on 1992-12-20 0h TD,
    /// JDE 2448976.5, L = 26.11428°, B = −2.62070°, R = 0.724603 AU (full VSOP87D, of date; the
    /// B series here is J2000, so compare the radius and the J2000 longitude it implies loosely).
    #[test]
    fn venus_radius_matches_meeus_example_32a() {
        let state = tables::VENUS.heliocentric(2_448_976.5);
        let r = state.distance_au();
        assert!((r - 0.724_603).abs() < 2e-6, "R = {r}");
    }

    /// VSOP87B check values published with the theory (file vsop87.chk, Earth at JD 2451545.0):
    /// L = 1.7519238681 rad, B = −0.0000039656 rad, R = 0.9833276819 AU. Our series are truncated
    /// (terms under 5e-9 rad dropped; together they move L by 2.9e-8 rad = 0.006″ here).
    #[test]
    fn earth_matches_the_vsop87b_check_values_at_j2000() {
        let (l, _) = super::series(tables::EARTH.longitude, 0.0);
        let (b, _) = super::series(tables::EARTH.latitude, 0.0);
        let (r, _) = super::series(tables::EARTH.radius, 0.0);
        assert!((l.rem_euclid(std::f64::consts::TAU) - 1.751_923_868_1).abs() < 5e-8, "L {l}");
        assert!((b + 0.000_003_965_6).abs() < 5e-8, "B {b}");
        assert!((r - 0.983_327_681_9).abs() < 5e-8, "R {r}");
    }

    /// The series' own derivative agrees with a numerical one.
    #[test]
    fn velocity_is_the_derivative_of_position() {
        for body in [&tables::EARTH, &tables::MERCURY, &tables::VENUS] {
            let jd = 2_460_000.25;
            // A power of two, so that jd ± h is exact: a Julian day near 2.46e6 has a resolution of
            // 4.7e-10 day in f64, which would otherwise swamp the comparison.
            let h = 1.0 / 1024.0;
            let a = body.heliocentric(jd - h).position_au;
            let b = body.heliocentric(jd + h).position_au;
            let v = body.heliocentric(jd).velocity_au_per_day;
            for i in 0..3 {
                let numeric = (b[i] - a[i]) / (2.0 * h);
                assert!((numeric - v[i]).abs() < 1e-10, "component {i}: {numeric} vs {}", v[i]);
            }
        }
    }
}
