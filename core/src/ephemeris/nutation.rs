//! Nutation (IAU 2000B, McCarthy & Luzum 2003) and the mean obliquity of the ecliptic (IAU 2006).
//!
//! IAU 2000B is the 77-term abridgement of IAU 2000A, within 1 mas of it over 1995-2050 and a few
//! mas over our range: the same model Swiss Ephemeris applies by default, so the true ayanamsa (mean
//! plus Δψ) agrees with it to well under 0.01″.

use super::ARCSEC_RAD;
use super::tables::{NUTATION_IAU2000B, NUTATION_IAU2000B_PLANETARY_MAS};

/// The series' unit, 0.1 microarcsecond, in radians.
const TENTH_MICROARCSEC: f64 = ARCSEC_RAD * 1e-7;

/// Nutation in longitude and in obliquity, radians.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Nutation {
    /// Δψ, the shift of the true equinox along the ecliptic.
    pub longitude_rad: f64,
    /// Δε, the change of the obliquity.
    pub obliquity_rad: f64,
    /// dΔψ/dt in radians per day: up to 4e-5 °/day, part of every apparent longitude's speed.
    pub longitude_rate_rad_per_day: f64,
}

/// Nutation at `t` Julian centuries of TT from J2000.
pub fn nutation(t: f64) -> Nutation {
    // Delaunay arguments (Simon et al. 1994), linear in t as IAU 2000B prescribes, arcseconds.
    const RATES: [f64; 5] =
        [1_717_915_923.217_8, 129_596_581.048_1, 1_739_527_262.847_8, 1_602_961_601.209, -6_962_890.543_1];
    let arcsec = |a: f64, rate: f64| ((a + rate * t) % 1_296_000.0) * ARCSEC_RAD;
    let l = arcsec(485_868.249_036, RATES[0]);
    let l_sun = arcsec(1_287_104.793_05, RATES[1]);
    let f = arcsec(335_779.526_232, RATES[2]);
    let d = arcsec(1_072_260.703_69, RATES[3]);
    let omega = arcsec(450_160.398_036, RATES[4]);
    let mut dpsi = 0.0;
    let mut deps = 0.0;
    let mut dpsi_rate = 0.0; // per century
    for row in NUTATION_IAU2000B.iter().rev() {
        let argument = row[0] * l + row[1] * l_sun + row[2] * f + row[3] * d + row[4] * omega;
        let argument_rate =
            (row[0] * RATES[0] + row[1] * RATES[1] + row[2] * RATES[2] + row[3] * RATES[3] + row[4] * RATES[4])
                * ARCSEC_RAD;
        let (sin, cos) = argument.sin_cos();
        dpsi += (row[5] + row[6] * t) * sin + row[7] * cos;
        deps += (row[8] + row[9] * t) * cos + row[10] * sin;
        dpsi_rate += row[6] * sin + ((row[5] + row[6] * t) * cos - row[7] * sin) * argument_rate;
    }
    let (planetary_dpsi_mas, planetary_deps_mas) = NUTATION_IAU2000B_PLANETARY_MAS;
    Nutation {
        longitude_rad: dpsi * TENTH_MICROARCSEC + planetary_dpsi_mas * 1e-3 * ARCSEC_RAD,
        obliquity_rad: deps * TENTH_MICROARCSEC + planetary_deps_mas * 1e-3 * ARCSEC_RAD,
        longitude_rate_rad_per_day: dpsi_rate * TENTH_MICROARCSEC / 36_525.0,
    }
}

/// Mean obliquity of the ecliptic ε_A (IAU 2006, Hilton et al. 2006), radians.
pub fn mean_obliquity(t: f64) -> f64 {
    let arcsec = 84_381.406
        + t * (-46.836_769 + t * (-0.000_183_1 + t * (0.002_003_40 + t * (-0.000_000_576 - t * 0.000_000_043_4))));
    arcsec * ARCSEC_RAD
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Meeus example 22.a: 1987-04-10 0h TD → Δψ = −3.788″, Δε = +9.443″ (IAU 1980; IAU 2000B
    /// differs by a few milliarcseconds).
    #[test]
    fn meeus_example_22a() {
        let t = (2_446_895.5 - 2_451_545.0) / 36_525.0;
        let n = nutation(t);
        assert!((n.longitude_rad / ARCSEC_RAD + 3.788).abs() < 0.01, "{}", n.longitude_rad / ARCSEC_RAD);
        assert!((n.obliquity_rad / ARCSEC_RAD - 9.443).abs() < 0.01, "{}", n.obliquity_rad / ARCSEC_RAD);
    }

    /// SOFA's test of iauNut00b: 2400000.5 + 53736 TT → Δψ = −0.9632552291148362783e-5 rad,
    /// Δε = 0.4063197106621159367e-4 rad.
    #[test]
    fn sofa_nut00b_check_value() {
        let t = (2_400_000.5 + 53_736.0 - 2_451_545.0) / 36_525.0;
        let n = nutation(t);
        assert!((n.longitude_rad + 0.963_255_229_114_836_3e-5).abs() < 1e-13);
        assert!((n.obliquity_rad - 0.406_319_710_662_115_9e-4).abs() < 1e-13);
    }

    #[test]
    fn obliquity_at_j2000_is_84381_406_arcsec() {
        assert!((mean_obliquity(0.0) / ARCSEC_RAD - 84_381.406).abs() < 1e-9);
    }
}
