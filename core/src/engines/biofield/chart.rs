//! The astrological facts the chakra profile is built from: signs, the traditional dignities,
//! major aspects, the Ascendant and houses. All on the tropical zodiac.

use crate::ephemeris::{Body, EphemerisError, Sky, normalize_degrees, sidereal};
use serde::Serialize;

/// The ten bodies of the chart, in the order the result lists them.
pub const BODIES: [Body; 10] = [
    Body::Sun,
    Body::Moon,
    Body::Mercury,
    Body::Venus,
    Body::Mars,
    Body::Jupiter,
    Body::Saturn,
    Body::Uranus,
    Body::Neptune,
    Body::Pluto,
];

/// The tropical signs from 0° (the March equinox), 30° each.
pub const SIGNS: [&str; 12] = [
    "Aries",
    "Taurus",
    "Gemini",
    "Cancer",
    "Leo",
    "Virgo",
    "Libra",
    "Scorpio",
    "Sagittarius",
    "Capricorn",
    "Aquarius",
    "Pisces",
];

/// The sign index (0 = Aries) of a tropical longitude in degrees.
pub fn sign_of(longitude_deg: f64) -> usize {
    ((longitude_deg.rem_euclid(360.0) / 30.0) as usize).min(11)
}

/// A classical planet's essential dignity in a sign.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Dignity {
    /// In a sign it rules.
    Domicile,
    /// In the sign of its exaltation.
    Exaltation,
    /// In a sign opposite one it rules.
    Detriment,
    /// In the sign opposite its exaltation.
    Fall,
    /// None of the four.
    Peregrine,
}

impl Dignity {
    pub fn name(self) -> &'static str {
        match self {
            Dignity::Domicile => "domicile",
            Dignity::Exaltation => "exaltation",
            Dignity::Detriment => "detriment",
            Dignity::Fall => "fall",
            Dignity::Peregrine => "peregrine",
        }
    }
}

/// The traditional dignity table of the seven classical planets (Ptolemy, Tetrabiblos I.17-19):
/// (domiciles, exaltation, detriments, fall), signs 0 = Aries.
fn dignity_table(body: Body) -> Option<([usize; 2], usize, [usize; 2], usize)> {
    // A planet with one domicile lists it twice.
    Some(match body {
        Body::Sun => ([4, 4], 0, [10, 10], 6),
        Body::Moon => ([3, 3], 1, [9, 9], 7),
        Body::Mercury => ([2, 5], 5, [8, 11], 11),
        Body::Venus => ([1, 6], 11, [7, 0], 5),
        Body::Mars => ([0, 7], 9, [6, 1], 3),
        Body::Jupiter => ([8, 11], 3, [2, 5], 9),
        Body::Saturn => ([9, 10], 6, [3, 4], 0),
        _ => return None,
    })
}

/// The dignity of a classical planet in `sign`, or `None` for the outer planets (the traditional
/// tables do not cover them). Where two apply (Mercury in Virgo, in Pisces) the stronger one
/// counts: domicile before exaltation, fall before detriment.
///
/// ```
/// use noesis_core::engines::biofield::{Dignity, dignity};
/// use noesis_core::ephemeris::Body;
///
/// assert_eq!(dignity(Body::Saturn, 9), Some(Dignity::Domicile)); // Capricorn
/// assert_eq!(dignity(Body::Mercury, 11), Some(Dignity::Fall)); // Pisces
/// assert_eq!(dignity(Body::Uranus, 10), None);
/// ```
pub fn dignity(body: Body, sign: usize) -> Option<Dignity> {
    let (domiciles, exaltation, detriments, fall) = dignity_table(body)?;
    Some(if domiciles.contains(&sign) {
        Dignity::Domicile
    } else if sign == exaltation {
        Dignity::Exaltation
    } else if sign == fall {
        Dignity::Fall
    } else if detriments.contains(&sign) {
        Dignity::Detriment
    } else {
        Dignity::Peregrine
    })
}

/// A major (Ptolemaic) aspect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Aspect {
    Conjunction,
    Sextile,
    Square,
    Trine,
    Opposition,
}

impl Aspect {
    pub const ALL: [Aspect; 5] =
        [Aspect::Conjunction, Aspect::Sextile, Aspect::Square, Aspect::Trine, Aspect::Opposition];

    /// The exact angle, degrees.
    pub fn angle_deg(self) -> f64 {
        match self {
            Aspect::Conjunction => 0.0,
            Aspect::Sextile => 60.0,
            Aspect::Square => 90.0,
            Aspect::Trine => 120.0,
            Aspect::Opposition => 180.0,
        }
    }

    /// The orb allowed between two natal bodies, degrees.
    pub fn natal_orb_deg(self) -> f64 {
        match self {
            Aspect::Conjunction | Aspect::Opposition => 8.0,
            Aspect::Square | Aspect::Trine => 7.0,
            Aspect::Sextile => 5.0,
        }
    }

    /// The orb allowed between a transiting and a natal body, degrees.
    pub fn transit_orb_deg(self) -> f64 {
        match self {
            Aspect::Sextile => 2.0,
            _ => 3.0,
        }
    }

    /// The aspect as a verb between two bodies: "Mars square Saturn", "Pluto conjunct Saturn".
    pub fn verb(self) -> &'static str {
        match self {
            Aspect::Conjunction => "conjunct",
            Aspect::Sextile => "sextile",
            Aspect::Square => "square",
            Aspect::Trine => "trine",
            Aspect::Opposition => "opposite",
        }
    }
}

/// The aspect two longitudes make within the orbs `orb` gives, and its orb in degrees.
pub fn aspect_between(a_deg: f64, b_deg: f64, orb: impl Fn(Aspect) -> f64) -> Option<(Aspect, f64)> {
    let separation = (a_deg - b_deg).rem_euclid(360.0);
    let separation = if separation > 180.0 { 360.0 - separation } else { separation };
    Aspect::ALL.into_iter().find_map(|aspect| {
        let off = (separation - aspect.angle_deg()).abs();
        (off <= orb(aspect)).then_some((aspect, off))
    })
}

/// The Ascendant, the ecliptic degree rising on the eastern horizon, tropical degrees in [0, 360).
///
/// From the local apparent sidereal time θ, the true obliquity ε and the latitude φ:
/// λ = atan2(cos θ, −(sin θ cos ε + tan φ sin ε)) (Meeus, Astronomical Algorithms, ch. 14). Of
/// the two points where the ecliptic meets the horizon this picks the eastern one, checked by the
/// sign of its hour angle (inside the polar circles the formula alone can return the western one).
pub fn ascendant_deg(sky: &Sky, latitude_deg: f64, longitude_deg: f64) -> f64 {
    let gast = sidereal::greenwich_apparent_sidereal_time_rad(sky);
    let theta = sidereal::local_sidereal_time_rad(gast, longitude_deg);
    let epsilon = sky.true_obliquity_rad();
    let phi = latitude_deg.to_radians();
    let lambda = theta.cos().atan2(-(theta.sin() * epsilon.cos() + phi.tan() * epsilon.sin()));
    // Hour angle of that ecliptic point: east of the meridian when sin H < 0.
    let alpha = (lambda.sin() * epsilon.cos()).atan2(lambda.cos());
    let hour_angle = theta - alpha;
    let lambda = if hour_angle.sin() > 0.0 { lambda + std::f64::consts::PI } else { lambda };
    normalize_degrees(lambda.to_degrees())
}

/// How the twelve houses are counted from the Ascendant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HouseSystem {
    /// The Ascendant's whole sign is the 1st house, the next sign the 2nd, and so on.
    WholeSign,
    /// Twelve 30° houses, the 1st starting at the Ascendant degree.
    Equal,
}

impl HouseSystem {
    /// The house (1-12) of a longitude.
    pub fn house_of(self, longitude_deg: f64, ascendant_deg: f64) -> u8 {
        let index = match self {
            HouseSystem::WholeSign => (sign_of(longitude_deg) + 12 - sign_of(ascendant_deg)) % 12,
            HouseSystem::Equal => (((longitude_deg - ascendant_deg).rem_euclid(360.0) / 30.0) as usize).min(11),
        };
        index as u8 + 1
    }
}

/// Tropical longitudes (and speeds) of the ten bodies in one sky.
pub fn longitudes(sky: &Sky) -> Result<[(Body, f64, f64); 10], EphemerisError> {
    let mut out = [(Body::Sun, 0.0, 0.0); 10];
    for (slot, body) in out.iter_mut().zip(BODIES) {
        let position = sky.position(body)?;
        *slot = (body, position.longitude_deg, position.speed_deg_per_day);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::Moment;

    #[test]
    fn dignities_follow_the_traditional_table() {
        assert_eq!(dignity(Body::Sun, 4), Some(Dignity::Domicile));
        assert_eq!(dignity(Body::Sun, 0), Some(Dignity::Exaltation));
        assert_eq!(dignity(Body::Sun, 10), Some(Dignity::Detriment));
        assert_eq!(dignity(Body::Sun, 6), Some(Dignity::Fall));
        assert_eq!(dignity(Body::Sun, 2), Some(Dignity::Peregrine));
        assert_eq!(dignity(Body::Mercury, 5), Some(Dignity::Domicile));
        assert_eq!(dignity(Body::Venus, 0), Some(Dignity::Detriment));
        assert_eq!(dignity(Body::Mars, 9), Some(Dignity::Exaltation));
        assert_eq!(dignity(Body::Jupiter, 9), Some(Dignity::Fall));
        assert_eq!(dignity(Body::Moon, 7), Some(Dignity::Fall));
        assert_eq!(dignity(Body::Pluto, 7), None);
    }

    #[test]
    fn aspects_respect_their_orbs_across_zero() {
        let natal = Aspect::natal_orb_deg;
        assert_eq!(aspect_between(358.0, 4.0, natal).map(|x| x.0), Some(Aspect::Conjunction));
        assert_eq!(aspect_between(10.0, 130.0, natal).map(|x| x.0), Some(Aspect::Trine));
        assert_eq!(aspect_between(10.0, 138.0, natal), None);
        let (aspect, orb) = aspect_between(0.0, 186.5, natal).expect("opposition");
        assert_eq!(aspect, Aspect::Opposition);
        assert!((orb - 6.5).abs() < 1e-12);
        assert_eq!(aspect_between(0.0, 63.0, Aspect::transit_orb_deg), None);
    }

    #[test]
    fn houses_count_from_the_ascendant() {
        assert_eq!(HouseSystem::WholeSign.house_of(95.0, 275.0), 7);
        assert_eq!(HouseSystem::WholeSign.house_of(271.0, 299.0), 1);
        assert_eq!(HouseSystem::Equal.house_of(271.0, 299.0), 12);
        assert_eq!(HouseSystem::Equal.house_of(300.0, 299.0), 1);
    }

    /// The Ascendant lies on the horizon, in the east, at every latitude and sidereal time tried.
    #[test]
    fn the_ascendant_is_on_the_eastern_horizon() {
        for hours in 0..24 {
            let ts = jiff::Timestamp::from_second(1_700_000_000 + hours * 3_600 + 1_234).expect("ts");
            let sky = Sky::at(&Moment::from_timestamp(ts)).expect("sky");
            for latitude in [-80.0, -45.0, -12.0, 0.0, 12.97, 51.5, 66.0, 80.0] {
                let longitude = 77.59;
                let asc = ascendant_deg(&sky, latitude, longitude).to_radians();
                let eps = sky.true_obliquity_rad();
                let alpha = (asc.sin() * eps.cos()).atan2(asc.cos());
                let delta = (asc.sin() * eps.sin()).asin();
                let theta =
                    sidereal::local_sidereal_time_rad(sidereal::greenwich_apparent_sidereal_time_rad(&sky), longitude);
                let h = theta - alpha;
                let phi: f64 = f64::to_radians(latitude);
                let altitude = (phi.sin() * delta.sin() + phi.cos() * delta.cos() * h.cos()).asin();
                assert!(altitude.abs() < 1e-9, "altitude {altitude} at {latitude}° hour {hours}");
                assert!(h.sin() <= 1e-12, "western at {latitude}° hour {hours}");
            }
        }
    }

    /// At the poles the horizon is the equator; the answer stays a finite longitude.
    #[test]
    fn the_ascendant_at_the_poles_is_finite() {
        let sky = Sky::at(&Moment::from_jd_ut(2_451_545.3)).expect("sky");
        for latitude in [-90.0, 90.0] {
            let asc = ascendant_deg(&sky, latitude, 0.0);
            assert!(asc.is_finite() && (0.0..360.0).contains(&asc), "{asc}");
        }
    }

    /// Bengaluru, 1991-08-13 13:31 IST: local sidereal time about 10h39m (θ ≈ 159.8°), so by
    /// hand λ = atan2(cos θ, −(sin θ cos ε + tan φ sin ε)) ≈ 246.5°, early Sagittarius.
    #[test]
    fn bengaluru_1991_rises_in_early_sagittarius() {
        let ts: jiff::Timestamp = "1991-08-13T08:01:00Z".parse().expect("ts");
        let sky = Sky::at(&Moment::from_timestamp(ts)).expect("sky");
        let asc = ascendant_deg(&sky, 12.9716, 77.5946);
        assert_eq!(SIGNS[sign_of(asc)], "Sagittarius", "{asc}");
        assert!((asc - 246.5).abs() < 1.0, "{asc}");
    }
}
