//! The Lahiri (Chitrapaksha) ayanamsa: the arc between the tropical and the sidereal zodiac.
//!
//! Mean Lahiri is 23.857092° at J2000.0 and grows with the IAU 2006 general precession in longitude
//! p_A (Capitaine et al. 2003); the true ayanamsa adds the nutation in longitude, so that a sidereal
//! longitude is simply the apparent tropical longitude minus the true ayanamsa.

use super::Nutation;
use super::precession::general_precession_arcsec;

/// Lahiri ayanamsa at J2000.0, degrees (Indian Astronomical Ephemeris convention).
const LAHIRI_AT_J2000_DEG: f64 = 23.857_092;

/// The ayanamsa at one instant, in degrees.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ayanamsa {
    /// Without nutation.
    pub mean_deg: f64,
    /// With the nutation in longitude; subtract this from apparent tropical longitudes.
    pub true_deg: f64,
}

impl Ayanamsa {
    /// Lahiri ayanamsa at `t` Julian centuries of TT from J2000.
    pub fn lahiri(t: f64, nutation: Nutation) -> Ayanamsa {
        let mean_deg = LAHIRI_AT_J2000_DEG + general_precession_arcsec(t) / 3600.0;
        Ayanamsa { mean_deg, true_deg: mean_deg + nutation.longitude_rad.to_degrees() }
    }

    /// A sidereal longitude from an apparent tropical one, degrees in [0, 360).
    pub fn sidereal(&self, tropical_longitude_deg: f64) -> f64 {
        super::normalize_degrees(tropical_longitude_deg - self.true_deg)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// ENGINES.md: 23.857092° mean and 23.853222° true at J2000.0.
    #[test]
    fn lahiri_at_j2000() {
        let n = super::super::nutation::nutation(0.0);
        let a = Ayanamsa::lahiri(0.0, n);
        assert!((a.mean_deg - 23.857_092).abs() < 1e-9);
        assert!((a.true_deg - 23.853_222).abs() < 2e-6, "true {}", a.true_deg);
    }
}
