//! The panchanga's result: the public contract of `shared/ENGINES.md`, with a few additions.

use jiff::Timestamp;
use serde::Serialize;

use super::options::At;
use crate::engines::vedic::Vara;

/// The panchanga of one instant at one place.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Panchanga {
    /// The instant described (UTC): the birth, `current_time`, or with `options.at = "sunrise"`
    /// the local sunrise of that date.
    pub instant: Timestamp,
    /// Which instant `options.at` asked for.
    pub at: At,
    /// The zone local dates and times are read in: the request's, or the local mean time of the
    /// longitude when only coordinates were given.
    pub timezone: String,
    /// `instant` as local civil date and time in `timezone`.
    pub local_time: String,
    pub tithi: Tithi,
    pub nakshatra: Nakshatra,
    pub yoga: Yoga,
    pub karana: Karana,
    /// The weekday of the Vedic day (sunrise to sunrise) the instant falls in.
    pub vara: Vara,
    /// The sunrise that began the Vedic day of `instant`; `null` where the Sun does not rise and
    /// set (see `notes`).
    pub sunrise: Option<Timestamp>,
    /// The sunset of that Vedic day.
    pub sunset: Option<Timestamp>,
    /// The sunrise that ends that Vedic day.
    pub next_sunrise: Option<Timestamp>,
    /// The Moon's rising on the local date of `sunrise` (of `instant` where there is no sunrise);
    /// `null` on the day each month it does not rise.
    pub moonrise: Option<Timestamp>,
    /// The Sun's sidereal (Lahiri) longitude at `instant`, degrees in [0, 360).
    pub sun_longitude: f64,
    /// The Moon's sidereal (Lahiri) longitude at `instant`, degrees in [0, 360).
    pub moon_longitude: f64,
    /// The mean Lahiri ayanamsa at `instant`, degrees, as almanacs quote it.
    pub ayanamsa: f64,
    /// The true ayanamsa (mean plus the nutation in longitude), degrees: what the sidereal
    /// longitudes above subtract from the apparent tropical ones.
    pub ayanamsa_true_deg: f64,
    /// The Moon's lead over the Sun, degrees in [0, 360): twelve per tithi.
    pub elongation_deg: f64,
    /// What a user should know about how this answer was reached (empty when nothing unusual).
    pub notes: Vec<String>,
}

/// The four limbs that are arcs of the Sun's and Moon's longitudes, at one instant, with the
/// longitudes they come from: what [`super::limbs`] returns, and what [`Panchanga`] carries
/// beside the vara and the day's risings.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Limbs {
    /// The instant described (UTC).
    pub instant: Timestamp,
    pub tithi: Tithi,
    pub nakshatra: Nakshatra,
    pub yoga: Yoga,
    pub karana: Karana,
    /// The Sun's sidereal (Lahiri) longitude, degrees in [0, 360).
    pub sun_longitude: f64,
    /// The Moon's sidereal (Lahiri) longitude, degrees in [0, 360).
    pub moon_longitude: f64,
    /// The mean Lahiri ayanamsa, degrees.
    pub ayanamsa: f64,
    /// The true Lahiri ayanamsa, degrees: what the sidereal longitudes subtract.
    pub ayanamsa_true_deg: f64,
    /// The Moon's lead over the Sun, degrees in [0, 360).
    pub elongation_deg: f64,
}

/// The lunar day: 12° of the Moon's elongation from the Sun.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tithi {
    /// 0-29: 0 = Shukla Pratipada, 14 = Purnima, 15 = Krishna Pratipada, 29 = Amavasya.
    pub index: u8,
    /// 1-15 within the paksha.
    pub number: u8,
    /// The tithi's name within its paksha, e.g. `Chaturthi`.
    pub name: &'static str,
    /// `Shukla` (waxing) or `Krishna` (waning).
    pub paksha: &'static str,
    /// The first whole second of the next tithi.
    pub ends_at: Timestamp,
}

/// The lunar mansion: 13°20′ of the Moon's sidereal longitude.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Nakshatra {
    /// 0-26, 0 = Ashwini.
    pub index: u8,
    pub name: &'static str,
    /// The quarter (3°20′) the Moon is in, 1-4.
    pub pada: u8,
    /// The nakshatra's Vimshottari lord.
    pub lord: &'static str,
    /// The first whole second of the next nakshatra.
    pub ends_at: Timestamp,
}

/// The luni-solar yoga: 13°20′ of the sum of the sidereal Sun and Moon.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Yoga {
    /// 0-26, 0 = Vishkambha.
    pub index: u8,
    pub name: &'static str,
    /// The first whole second of the next yoga.
    pub ends_at: Timestamp,
}

/// Half a tithi: 6° of the Moon's elongation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Karana {
    /// The half-tithi slot of the lunar month, 1-60 (1 = Kimstughna, 58-60 the fixed karanas).
    pub slot: u8,
    pub name: &'static str,
    /// The first whole second of the next karana.
    pub ends_at: Timestamp,
}
