//! Sidereal time: how far the Earth has turned, measured from the equinox.
//!
//! Greenwich mean sidereal time follows the IAU 2006 definition (IERS Conventions 2010, §5.5.7):
//! the Earth rotation angle θ of UT1 plus a polynomial in TT that accounts for the precession of
//! the equinox along the equator,
//!
//! ```text
//! θ(UT1)  = 2π (0.779 057 273 2640 + 1.002 737 811 911 354 48 · (JD_UT1 − 2451545.0))   (eq. 5.15)
//! GMST    = θ + 0.014506″ + 4612.156534″ t + 1.3915817″ t² − 0.00000044″ t³
//!             − 0.000029956″ t⁴ − 0.0000000368″ t⁵                                   (eq. 5.32)
//! ```
//!
//! with `t` in Julian centuries of TT from J2000.0. Apparent sidereal time adds the equation of
//! the equinoxes Δψ·cos ε (the nutation of the equinox projected onto the equator); the IAU 2006
//! "complementary terms" that the full equation carries stay below 0.003″ (0.2 ms) and are left
//! out. Local sidereal time adds the observer's east longitude.
//!
//! Sidereal time takes UT as UTC, as [`Moment`] does: |UT1 − UTC| < 0.9 s, i.e. up to 13.5″ of
//! rotation, is the limit for anything that needs the Earth's orientation more exactly than that.
//!
//! ```
//! use noesis_core::ephemeris::{Sky, sidereal};
//! use noesis_core::time::Moment;
//!
//! // Meeus, Astronomical Algorithms, example 12.a: 1987 April 10, 0h UT.
//! let moment = Moment::from_timestamp("1987-04-10T00:00:00Z".parse().unwrap());
//! let hours = sidereal::greenwich_mean_sidereal_time_rad(&moment).to_degrees() / 15.0;
//! assert!((hours - (13.0 + 10.0 / 60.0 + 46.3668 / 3600.0)).abs() < 0.01 / 3600.0);
//!
//! let sky = Sky::at(&moment).unwrap();
//! let apparent = sidereal::greenwich_apparent_sidereal_time_rad(&sky).to_degrees() / 15.0;
//! assert!((apparent - (13.0 + 10.0 / 60.0 + 46.1351 / 3600.0)).abs() < 0.01 / 3600.0);
//! ```

use std::f64::consts::TAU;

use super::{ARCSEC_RAD, Sky, polynomial};
use crate::time::{J2000_JD, Moment};

/// θ at J2000.0 UT1, in turns (IERS Conventions 2010, eq. 5.15).
const ERA_AT_J2000_TURNS: f64 = 0.779_057_273_264_0;
/// Turns of θ per UT1 day beyond the whole one (IERS Conventions 2010, eq. 5.15).
const ERA_EXTRA_TURNS_PER_DAY: f64 = 0.002_737_811_911_354_48;
/// GMST − θ as a polynomial in TT centuries, arcseconds, constant term first (IERS Conventions
/// 2010, eq. 5.32).
const GMST_MINUS_ERA_ARCSEC: [f64; 6] =
    [0.014_506, 4_612.156_534, 1.391_581_7, -0.000_000_44, -0.000_029_956, -0.000_000_036_8];

/// The Earth rotation angle θ at a UT1 Julian Day, radians in [0, 2π).
///
/// The whole days of the Julian Day are dropped before multiplying, so the angle keeps the
/// resolution of the day fraction (about 0.6 mas near the present).
///
/// ```
/// use noesis_core::ephemeris::sidereal::earth_rotation_angle_rad;
///
/// // At J2000.0 UT1, θ is 0.7790572732640 turns.
/// assert!((earth_rotation_angle_rad(2_451_545.0) - 0.779_057_273_264 * std::f64::consts::TAU).abs() < 1e-12);
/// ```
pub fn earth_rotation_angle_rad(jd_ut: f64) -> f64 {
    let days = jd_ut - J2000_JD;
    let turns = days.rem_euclid(1.0) + ERA_AT_J2000_TURNS + ERA_EXTRA_TURNS_PER_DAY * days;
    normalize_rad(turns.rem_euclid(1.0) * TAU)
}

/// Greenwich mean sidereal time (IAU 2006), radians in [0, 2π).
///
/// ```
/// use noesis_core::ephemeris::sidereal::greenwich_mean_sidereal_time_rad;
/// use noesis_core::time::Moment;
///
/// // Meeus example 12.b: 1987 April 10, 19:21:00 UT → 128.7378734°.
/// let moment = Moment::from_timestamp("1987-04-10T19:21:00Z".parse().unwrap());
/// assert!((greenwich_mean_sidereal_time_rad(&moment).to_degrees() - 128.737_873_4).abs() < 1e-4);
/// ```
pub fn greenwich_mean_sidereal_time_rad(moment: &Moment) -> f64 {
    greenwich_mean(moment.jd_ut(), moment.centuries_tt_since_j2000())
}

/// The equation of the equinoxes Δψ·cos ε at the sky's instant, radians: apparent minus mean
/// sidereal time (about ±1.1 s of time, mostly with the 18.6-year period of the lunar node).
pub fn equation_of_the_equinoxes_rad(sky: &Sky) -> f64 {
    sky.nutation().longitude_rad * sky.true_obliquity_rad().cos()
}

/// Greenwich apparent sidereal time at the sky's instant: the hour angle of the true equinox of
/// date, radians in [0, 2π). Subtract a body's apparent right ascension (from
/// [`Sky::equatorial`]) and add the east longitude to get its local hour angle.
pub fn greenwich_apparent_sidereal_time_rad(sky: &Sky) -> f64 {
    normalize_rad(greenwich_mean_sidereal_time_rad(sky.moment()) + equation_of_the_equinoxes_rad(sky))
}

/// Local sidereal time at an east-positive longitude (west is negative), radians in [0, 2π),
/// from a Greenwich sidereal time, mean or apparent (the local one is of the same kind).
///
/// ```
/// use noesis_core::ephemeris::sidereal::local_sidereal_time_rad;
///
/// // 6h at Greenwich is 11h10m at 77.5° E (Bengaluru).
/// let local = local_sidereal_time_rad(90f64.to_radians(), 77.5);
/// assert!((local.to_degrees() - 167.5).abs() < 1e-12);
/// ```
pub fn local_sidereal_time_rad(greenwich_rad: f64, longitude_deg: f64) -> f64 {
    normalize_rad(greenwich_rad + longitude_deg.to_radians())
}

/// GMST from a UT1 Julian Day and TT centuries since J2000.0, radians in [0, 2π). For callers
/// that step through a day without building a [`Moment`] per step.
pub(crate) fn greenwich_mean(jd_ut: f64, centuries_tt: f64) -> f64 {
    let gmst_minus_era = polynomial::value(&GMST_MINUS_ERA_ARCSEC, centuries_tt);
    normalize_rad(earth_rotation_angle_rad(jd_ut) + gmst_minus_era * ARCSEC_RAD)
}

/// An angle reduced to [0, 2π).
fn normalize_rad(x: f64) -> f64 {
    let r = x.rem_euclid(TAU);
    // rem_euclid can return 2π itself for tiny negative inputs.
    if r >= TAU { 0.0 } else { r }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hms_to_rad(h: f64, m: f64, s: f64) -> f64 {
        (h + m / 60.0 + s / 3600.0) * 15f64.to_radians()
    }

    /// Radians of sidereal time as seconds of time.
    fn seconds(rad: f64) -> f64 {
        rad.to_degrees() / 15.0 * 3600.0
    }

    fn moment(iso: &str) -> Moment {
        Moment::from_timestamp(iso.parse().unwrap())
    }

    /// Meeus example 12.a: 1987-04-10 0h UT, GMST 13h10m46.3668s (IAU 1982 expression; IAU 2006
    /// differs from it by a few milliseconds).
    #[test]
    fn mean_sidereal_time_matches_meeus_12a() {
        let got = greenwich_mean_sidereal_time_rad(&moment("1987-04-10T00:00:00Z"));
        let off_s = seconds(got - hms_to_rad(13.0, 10.0, 46.3668));
        assert!(off_s.abs() < 0.01, "GMST off by {off_s} s");
    }

    /// Meeus example 12.a, apparent: 13h10m46.1351s (Δψ = −3.788″, ε = 23°26′36.85″).
    #[test]
    fn apparent_sidereal_time_matches_meeus_12a() {
        let sky = Sky::at(&moment("1987-04-10T00:00:00Z")).unwrap();
        let off_s = seconds(greenwich_apparent_sidereal_time_rad(&sky) - hms_to_rad(13.0, 10.0, 46.1351));
        assert!(off_s.abs() < 0.01, "GAST off by {off_s} s");
        let equation_s = seconds(equation_of_the_equinoxes_rad(&sky));
        assert!((equation_s + 0.2317).abs() < 0.001, "equation of the equinoxes {equation_s} s");
    }

    /// Meeus example 12.b: 1987-04-10 19:21:00 UT, GMST 128.7378734° = 8h34m57.0896s.
    #[test]
    fn mean_sidereal_time_matches_meeus_12b() {
        let got = greenwich_mean_sidereal_time_rad(&moment("1987-04-10T19:21:00Z"));
        let off_s = seconds(got - hms_to_rad(8.0, 34.0, 57.0896));
        assert!(off_s.abs() < 0.01, "GMST off by {off_s} s");
    }

    /// The Earth turns once relative to the stars in 0.99726966 days (the ERA), and once
    /// relative to the precessing equinox in 86164.0905 s = 0.99726957 days (the mean sidereal
    /// day, Explanatory Supplement 1992, table 3.21.1).
    #[test]
    fn a_sidereal_day_is_one_turn() {
        let (jd, t) = (2_460_000.25, 0.24);
        let turn_s = |a: f64, b: f64| seconds((b - a + 1.0).rem_euclid(TAU) - 1.0);
        let stellar_day = 1.0 / (1.0 + ERA_EXTRA_TURNS_PER_DAY);
        assert!(turn_s(earth_rotation_angle_rad(jd), earth_rotation_angle_rad(jd + stellar_day)).abs() < 1e-4);
        let sidereal_day = 86_164.090_5 / 86_400.0;
        let later = greenwich_mean(jd + sidereal_day, t + sidereal_day / 36_525.0);
        assert!(turn_s(greenwich_mean(jd, t), later).abs() < 1e-4);
    }

    #[test]
    fn local_sidereal_time_wraps_into_one_turn() {
        assert!((local_sidereal_time_rad(6.0, 90.0) - (6.0 + std::f64::consts::FRAC_PI_2 - TAU)).abs() < 1e-12);
        assert!((local_sidereal_time_rad(0.1, -180.0) - (0.1 + std::f64::consts::PI)).abs() < 1e-12);
    }
}
