//! Risings, settings and meridian transits of the Sun and the Moon within a local calendar day.
//!
//! The question answered is the one a calendar asks: on this date, in this time zone, at this
//! place, when does the body rise, set and cross the meridian? Every event returned lies in the
//! local day `[00:00, 24:00)` as [`Zone::day_bounds`] gives it (23 or 25 hours when the clocks
//! change). An event that does not happen that day is `None`, and [`RiseSet::absence`] says why:
//! the body stays above the horizon all day (for the Sun, polar day), stays below it (polar night),
//! or simply does not rise (or set) before the day ends, as happens to the Moon about once a month.
//!
//! ```
//! use jiff::civil::date;
//! use noesis_core::ephemeris::rise_set::{GeoPoint, sun_rise_set};
//! use noesis_core::time::zone::Zone;
//!
//! let bengaluru = GeoPoint::new(12.9716, 77.5946)?;
//! let kolkata = Zone::parse("Asia/Kolkata")?;
//! let day = sun_rise_set(date(2024, 3, 20), &kolkata, bengaluru)?;
//! let local = |ts| kolkata.to_local(ts).strftime("%H:%M:%S").to_string();
//! // Swiss Ephemeris, the centre at −0.8333°: 06:23:41.446 and 18:30:28.723 IST.
//! assert_eq!(local(day.rise.unwrap()), "06:23:41");
//! assert_eq!(local(day.set.unwrap()), "18:30:28");
//! assert_eq!(local(day.transit.unwrap()), "12:26:59");
//! assert!(day.absence.is_none());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # What "rise" means
//!
//! The moment the body's upper limb touches a flat sea-level horizon, seen through a standard
//! atmosphere:
//!
//! - **Sun:** the centre at a topocentric geometric altitude of −0°50′ = −(34′ refraction + 16′
//!   mean semidiameter), the convention of almanacs and of `shared/ENGINES.md`.
//! - **Moon:** done properly topocentric rather than with Meeus's geocentric shortcut
//!   h₀ = 0.7275·π − 34′ (ch. 15): the Moon's apparent geocentric place is moved to the observer
//!   on the WGS84 ellipsoid (its horizontal parallax is about 57′), and the event is when the
//!   topocentric centre stands at −34′ − s, with s the topocentric semidiameter from the Moon's
//!   mean radius and its distance from the observer. (The shortcut ignores the Earth's
//!   flattening, worth up to about 20″ of altitude: a second or two of time.)
//!
//! # Accuracy and its limits
//!
//! Against Swiss Ephemeris asked for exactly these conventions, the events agree within 0.15 s
//! for the Sun and 0.5 s for the Moon (600 random places and dates, 1800-2199, up to 72° of
//! latitude), and the transits within 0.2 s. Against SE's default rising (upper limb, its own
//! refraction of 34.58′ for 10 °C) they agree within 30 s for |latitude| ≤ 60° (measured: 8.3 s
//! for the Sun, 7.3 s for the Moon; `core/tests/ephemeris_rise_set.rs` has the table). What is
//! not modelled, and what it costs:
//!
//! - **Refraction** is the standard 34′; the real one near the horizon varies with temperature and
//!   pressure by several arcminutes, which moves events by tens of seconds in the tropics and
//!   minutes at high latitudes. No almanac does better without the weather.
//! - **Elevation** is taken as sea level and the horizon as flat: for an observer 100 m up the
//!   horizon dips by about 18′, which brings sunrise a minute or more earlier.
//! - **UT1 is taken as UTC** (as everywhere in the crate): up to 0.9 s.
//! - Where the Sun skims along the horizon (high latitudes near the solstices), its altitude
//!   changes so slowly that an arcminute of refraction moves an event by many minutes, or makes
//!   or removes it: the times there are exact for the model, but the model (the refraction
//!   above all) is not that good.
//!
//! # Method
//!
//! The apparent geocentric place of the body (true equator and equinox of date, as a vector) is
//! computed at a few instants spanning the day and interpolated (Lagrange) in between: three for
//! the Sun, five for the Moon, which keeps the interpolated place within 0.01″ of a full
//! evaluation. Each altitude then costs a sidereal time and a few trigonometric calls. The
//! altitude minus the event altitude is sampled every hour (Sun) or half-hour (Moon) from a step
//! before the day to a step after it; sign changes bracket the events, and each turning point
//! between samples is searched for an extremum that dips across the horizon unseen (a Sun that
//! grazes it, the last days of polar night). Each root is refined by the Illinois method to
//! better than a millisecond.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;

use super::{Body, EphemerisError, Sky, sidereal};
use crate::time::zone::Zone;
use crate::time::{DAYS_PER_JULIAN_CENTURY, J2000_JD, Moment, julian};

/// Altitude of the Sun's centre when its upper limb touches the horizon, degrees: 34′ of
/// refraction plus a semidiameter of 16′ below the true horizon (topocentric, unrefracted).
pub const SUN_ALTITUDE_AT_RISE_DEG: f64 = -(34.0 + 16.0) / 60.0;

/// Standard refraction at the horizon, radians (34′, the value of the almanacs; Meeus ch. 15).
const HORIZON_REFRACTION_RAD: f64 = 34.0 / 60.0 * std::f64::consts::PI / 180.0;

/// WGS84 equatorial radius and flattening.
const EARTH_EQUATORIAL_RADIUS_KM: f64 = 6_378.137;
const EARTH_FLATTENING: f64 = 1.0 / 298.257_223_563;
/// The astronomical unit (IAU 2012 resolution B2).
const AU_KM: f64 = 149_597_870.7;
/// Mean radius of the Moon (IAU Working Group on Cartographic Coordinates, 2015).
const MOON_RADIUS_KM: f64 = 1_737.4;

/// Root refinement stops when the bracket is narrower than this (about 1 ms).
const ROOT_TOLERANCE_DAYS: f64 = 1.0e-8;
/// Extremum searches stop when the interval is narrower than this (1 s): near an extremum the
/// altitude changes by well under a milliarcsecond within it.
const EXTREMUM_TOLERANCE_DAYS: f64 = 1.0 / 86_400.0;

const HOUR_DAYS: f64 = 1.0 / 24.0;

/// A place on the Earth: geodetic latitude and east-positive longitude, degrees.
///
/// The values are checked once, when it is built, so a `GeoPoint` always holds a latitude in
/// [−90°, 90°] and a longitude in [−180°, 180°].
///
/// ```
/// use noesis_core::ephemeris::rise_set::{GeoPoint, GeoPointError};
///
/// let quito = GeoPoint::new(-0.1807, -78.4678)?;
/// assert_eq!(quito.longitude_deg(), -78.4678);
/// assert!(matches!(GeoPoint::new(91.0, 0.0), Err(GeoPointError::Latitude { .. })));
/// assert!(matches!(GeoPoint::new(0.0, f64::NAN), Err(GeoPointError::Longitude { .. })));
/// # Ok::<(), GeoPointError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct GeoPoint {
    latitude_deg: f64,
    longitude_deg: f64,
}

/// Why a [`GeoPoint`] could not be built.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
pub enum GeoPointError {
    #[error("latitude must be a number of degrees from -90 to 90 (north positive), got {latitude_deg}")]
    Latitude { latitude_deg: f64 },
    #[error("longitude must be a number of degrees from -180 to 180 (east positive), got {longitude_deg}")]
    Longitude { longitude_deg: f64 },
}

impl GeoPoint {
    /// The place at a geodetic latitude (north positive) and longitude (east positive), degrees.
    pub fn new(latitude_deg: f64, longitude_deg: f64) -> Result<GeoPoint, GeoPointError> {
        if !(-90.0..=90.0).contains(&latitude_deg) {
            return Err(GeoPointError::Latitude { latitude_deg });
        }
        if !(-180.0..=180.0).contains(&longitude_deg) {
            return Err(GeoPointError::Longitude { longitude_deg });
        }
        Ok(GeoPoint { latitude_deg, longitude_deg })
    }

    /// Geodetic latitude, degrees, north positive.
    pub fn latitude_deg(&self) -> f64 {
        self.latitude_deg
    }

    /// Longitude, degrees, east positive.
    pub fn longitude_deg(&self) -> f64 {
        self.longitude_deg
    }
}

/// The rising, setting and upper transit of a body within one local calendar day.
///
/// Each event is the first of its kind in the day (near the poles the Moon can rise twice in
/// one day; a 25-hour day can hold two of anything).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RiseSet {
    /// When the upper limb comes above the horizon.
    pub rise: Option<Timestamp>,
    /// When the upper limb goes below the horizon.
    pub set: Option<Timestamp>,
    /// When the centre crosses the meridian above the pole (for the Sun, local apparent noon);
    /// `None` on the day each month the Moon skips it. Given whether or not the body is above
    /// the horizon then.
    pub transit: Option<Timestamp>,
    /// Why `rise` or `set` is `None`; `None` when both are given.
    pub absence: Option<Absence>,
}

/// Why a rising or setting is missing from a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Absence {
    /// The body is above the horizon the whole day: polar day, for the Sun. Neither event.
    AboveAllDay,
    /// The body is below the horizon the whole day: polar night, for the Sun. Neither event.
    BelowAllDay,
    /// The body crosses the horizon this day, but only one way; the other event falls on
    /// another day (the Moon, about once a month; the Sun at the edges of polar day and night).
    NotThisDay,
}

/// Sunrise, sunset and local apparent noon on a local calendar day, see the [module
/// documentation](self).
///
/// Errors only when the day lies outside the span the ephemeris computes
/// ([`super::COMPUTED_YEARS`]). A day without a sunrise or sunset is an answer, not an error:
///
/// ```
/// use jiff::civil::date;
/// use noesis_core::ephemeris::rise_set::{Absence, GeoPoint, sun_rise_set};
/// use noesis_core::time::zone::Zone;
///
/// let tromso = GeoPoint::new(69.6492, 18.9553)?;
/// let oslo = Zone::parse("Europe/Oslo")?;
/// let midsummer = sun_rise_set(date(2024, 6, 21), &oslo, tromso)?;
/// assert_eq!((midsummer.rise, midsummer.set), (None, None));
/// assert_eq!(midsummer.absence, Some(Absence::AboveAllDay));
/// // The midnight sun still culminates, at 12:46 CEST.
/// let noon = oslo.to_local(midsummer.transit.unwrap());
/// assert_eq!(noon.strftime("%H:%M").to_string(), "12:46");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn sun_rise_set(date: Date, zone: &Zone, place: GeoPoint) -> Result<RiseSet, EphemerisError> {
    rise_set(Disc::Sun, date, zone, place)
}

/// Moonrise, moonset and the Moon's upper transit on a local calendar day, see the [module
/// documentation](self).
///
/// ```
/// use jiff::civil::date;
/// use noesis_core::ephemeris::rise_set::{Absence, GeoPoint, moon_rise_set};
/// use noesis_core::time::zone::Zone;
///
/// let bengaluru = GeoPoint::new(12.9716, 77.5946)?;
/// let kolkata = Zone::parse("Asia/Kolkata")?;
/// let day = moon_rise_set(date(2050, 12, 21), &kolkata, bengaluru)?;
/// // Swiss Ephemeris: moonrise 12:15:07 IST; the next moonset is at 00:48 on the 22nd.
/// let rise = kolkata.to_local(day.rise.unwrap());
/// assert_eq!(rise.strftime("%H:%M").to_string(), "12:15");
/// assert_eq!((day.set, day.absence), (None, Some(Absence::NotThisDay)));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn moon_rise_set(date: Date, zone: &Zone, place: GeoPoint) -> Result<RiseSet, EphemerisError> {
    rise_set(Disc::Moon, date, zone, place)
}

/// The geometric (unrefracted) altitude of a body's centre above the horizon of `place` at the
/// sky's instant, seen from the place itself (topocentric: for the Moon this is up to 1° lower
/// than seen from the Earth's centre), degrees. Not defined for the nodes.
///
/// ```
/// use noesis_core::ephemeris::rise_set::{GeoPoint, SUN_ALTITUDE_AT_RISE_DEG, topocentric_altitude_deg};
/// use noesis_core::ephemeris::{Body, Sky};
/// use noesis_core::time::Moment;
///
/// let bengaluru = GeoPoint::new(12.9716, 77.5946)?;
/// let sunrise = Moment::from_timestamp("2024-03-20T00:53:41.442Z".parse()?);
/// let altitude = topocentric_altitude_deg(&Sky::at(&sunrise)?, Body::Sun, bengaluru)?;
/// assert!((altitude - SUN_ALTITUDE_AT_RISE_DEG).abs() < 1.0 / 3600.0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn topocentric_altitude_deg(sky: &Sky, body: Body, place: GeoPoint) -> Result<f64, EphemerisError> {
    let observer = Observer::at(place);
    let geocentric = geocentric_vector(sky, body)?;
    let local_sidereal_rad = sidereal::greenwich_apparent_sidereal_time_rad(sky) + observer.longitude_rad;
    Ok(observer.horizontal(geocentric, local_sidereal_rad).altitude_rad.to_degrees())
}

/// The bodies this module knows how to rise and set, and what their rising means.
#[derive(Debug, Clone, Copy)]
enum Disc {
    Sun,
    Moon,
}

impl Disc {
    fn body(self) -> Body {
        match self {
            Disc::Sun => Body::Sun,
            Disc::Moon => Body::Moon,
        }
    }

    /// Topocentric geometric altitude of the centre when the upper limb is on the horizon.
    fn altitude_at_rise_rad(self, distance_earth_radii: f64) -> f64 {
        match self {
            Disc::Sun => SUN_ALTITUDE_AT_RISE_DEG.to_radians(),
            Disc::Moon => {
                let radius = MOON_RADIUS_KM / EARTH_EQUATORIAL_RADIUS_KM;
                -HORIZON_REFRACTION_RAD - (radius / distance_earth_radii).asin()
            }
        }
    }

    /// Spacing of the altitude samples: no two events of the same kind, and no rise and set,
    /// fall closer together than this except where the body grazes the horizon (which the
    /// extremum search catches).
    fn sample_step_days(self) -> f64 {
        match self {
            Disc::Sun => HOUR_DAYS,
            Disc::Moon => HOUR_DAYS / 2.0,
        }
    }

    /// Interpolation: at most this spacing between full evaluations of the place, and this
    /// many of them per Lagrange polynomial. Measured in `interpolated_place_stays_within_0_01_arcsec`:
    /// the Sun moves smoothly enough for a parabola through three places 13 hours apart, the
    /// Moon needs a quartic through places 6.5 hours apart.
    fn interpolation(self) -> (f64, usize) {
        match self {
            Disc::Sun => (13.0 * HOUR_DAYS, 3),
            Disc::Moon => (6.5 * HOUR_DAYS, 5),
        }
    }
}

fn rise_set(disc: Disc, date: Date, zone: &Zone, place: GeoPoint) -> Result<RiseSet, EphemerisError> {
    let (start, end) = zone.day_bounds(date);
    let start_jd = julian::jd_from_timestamp(start);
    let end_jd = julian::jd_from_timestamp(end).max(start_jd);
    let step = disc.sample_step_days();
    let track = Track::new(disc, place, start_jd - step, end_jd + step)?;
    let in_day = |t: f64| {
        let ts = julian::timestamp_from_jd(track.origin_jd + t);
        (start <= ts && ts < end).then_some(ts)
    };

    let count = (track.span_days / step).ceil().max(1.0) as usize;
    let step = track.span_days / count as f64;
    let mut samples: Vec<Sample> = (0..=count).map(|k| track.sample(k as f64 * step)).collect();
    let hidden: Vec<Sample> = samples.windows(3).filter_map(|w| track.hidden_crossing(w[0], w[1], w[2])).collect();
    samples.extend(hidden);
    samples.sort_by(|a, b| a.t.total_cmp(&b.t));

    let (day_start, day_end) = (start_jd - track.origin_jd, end_jd - track.origin_jd);
    let mut day = RiseSet { rise: None, set: None, transit: None, absence: None };
    for pair in samples.windows(2) {
        let (before, after) = (pair[0], pair[1]);
        if after.t < day_start || before.t > day_end {
            continue;
        }
        if before.is_up() != after.is_up() {
            let t = refine_root(|t| track.sample(t).excess_rad, before.t, before.excess_rad, after.t, after.excess_rad);
            let slot = if after.is_up() { &mut day.rise } else { &mut day.set };
            if slot.is_none() {
                *slot = in_day(t);
            }
        }
        let crosses_meridian = before.west < 0.0 && after.west >= 0.0 && before.south > 0.0 && after.south > 0.0;
        if crosses_meridian && day.transit.is_none() {
            let t = refine_root(|t| track.sample(t).west, before.t, before.west, after.t, after.west);
            day.transit = in_day(t);
        }
    }
    day.absence = match (day.rise, day.set) {
        (Some(_), Some(_)) => None,
        (Some(_), None) | (None, Some(_)) => Some(Absence::NotThisDay),
        // No crossing inside the day: the body is on one side all day.
        (None, None) if track.sample(day_start).is_up() => Some(Absence::AboveAllDay),
        (None, None) => Some(Absence::BelowAllDay),
    };
    Ok(day)
}

/// The observer: where the zenith points and where the place is relative to the geocentre.
#[derive(Debug, Clone, Copy)]
struct Observer {
    /// Sine and cosine of the geodetic latitude (the direction of the zenith).
    sin_latitude: f64,
    cos_latitude: f64,
    /// ρ·sin φ′ and ρ·cos φ′: the place's distance from the equator plane and from the Earth's
    /// axis, in equatorial Earth radii (Meeus ch. 11, at sea level).
    rho_sin: f64,
    rho_cos: f64,
    longitude_rad: f64,
}

/// Where a body stands in the observer's sky.
#[derive(Debug, Clone, Copy)]
struct Horizontal {
    /// Topocentric geometric altitude of the centre.
    altitude_rad: f64,
    /// Distance from the observer, equatorial Earth radii.
    distance_earth_radii: f64,
    /// cos δ · sin H and cos δ · cos H of the geocentric place (H the local hour angle): the
    /// first changes sign, from negative to positive, at the upper transit, when the second is
    /// positive. At the transit the topocentric place is on the meridian too, since the observer
    /// is in the meridian plane.
    west: f64,
    south: f64,
}

impl Observer {
    fn at(place: GeoPoint) -> Observer {
        let latitude = place.latitude_deg.to_radians();
        let (sin_latitude, cos_latitude) = latitude.sin_cos();
        let polar = 1.0 - EARTH_FLATTENING;
        let (sin_u, cos_u) = (polar * sin_latitude).atan2(cos_latitude).sin_cos();
        Observer {
            sin_latitude,
            cos_latitude,
            rho_sin: polar * sin_u,
            rho_cos: cos_u,
            longitude_rad: place.longitude_deg.to_radians(),
        }
    }

    /// The body at geocentric `position` (true equator and equinox of date, Earth radii) when the
    /// local apparent sidereal time is `local_sidereal_rad`.
    fn horizontal(&self, position: [f64; 3], local_sidereal_rad: f64) -> Horizontal {
        let (sin_t, cos_t) = local_sidereal_rad.sin_cos();
        let [x, y, z] = position;
        // The frame of the local meridian: axis 1 toward the meridian on the equator, axis 2 west,
        // axis 3 to the celestial pole. The observer is at (ρ cos φ′, 0, ρ sin φ′).
        let south = x * cos_t + y * sin_t;
        let west = x * sin_t - y * cos_t;
        let (m, p) = (south - self.rho_cos, z - self.rho_sin);
        let distance = (m * m + west * west + p * p).sqrt();
        let sin_altitude = (m * self.cos_latitude + p * self.sin_latitude) / distance;
        let geocentric_distance = (x * x + y * y + z * z).sqrt();
        Horizontal {
            altitude_rad: sin_altitude.clamp(-1.0, 1.0).asin(),
            distance_earth_radii: distance,
            west: west / geocentric_distance,
            south: south / geocentric_distance,
        }
    }
}

/// The apparent geocentric place of `body` as a vector on the true equator and equinox of date,
/// in equatorial Earth radii.
fn geocentric_vector(sky: &Sky, body: Body) -> Result<[f64; 3], EphemerisError> {
    let place = sky.equatorial(body)?;
    let distance = place.distance_au * AU_KM / EARTH_EQUATORIAL_RADIUS_KM;
    let (sin_ra, cos_ra) = place.right_ascension_rad.sin_cos();
    let (sin_dec, cos_dec) = place.declination_rad.sin_cos();
    Ok([distance * cos_dec * cos_ra, distance * cos_dec * sin_ra, distance * sin_dec])
}

/// One altitude evaluation, at `t` days after the track's origin.
#[derive(Debug, Clone, Copy)]
struct Sample {
    t: f64,
    /// Altitude of the centre above its altitude at rising: positive when the body is up.
    excess_rad: f64,
    west: f64,
    south: f64,
}

impl Sample {
    fn is_up(&self) -> bool {
        self.excess_rad >= 0.0
    }
}

/// The body's place over a stretch of time, from a few full evaluations, and the observer.
struct Track {
    disc: Disc,
    observer: Observer,
    /// UT Julian Day of the first node; times inside the track count days from it.
    origin_jd: f64,
    span_days: f64,
    node_spacing_days: f64,
    /// Nodes per Lagrange polynomial.
    window: usize,
    /// Geocentric vector (Earth radii) and equation of the equinoxes (radians) at each node.
    nodes: Vec<[f64; 4]>,
    /// ΔT of the first node, days: it changes by milliseconds over a day.
    tt_minus_ut_days: f64,
}

impl Track {
    fn new(disc: Disc, place: GeoPoint, first_jd: f64, last_jd: f64) -> Result<Track, EphemerisError> {
        let (max_spacing, window) = disc.interpolation();
        let span_days = last_jd - first_jd;
        let count = ((span_days / max_spacing).ceil() as usize + 1).max(window);
        let node_spacing_days = span_days / (count - 1) as f64;
        let node = |k: usize| -> Result<(Moment, [f64; 4]), EphemerisError> {
            let moment = Moment::from_jd_ut(first_jd + k as f64 * node_spacing_days);
            let sky = Sky::at(&moment)?;
            let [x, y, z] = geocentric_vector(&sky, disc.body())?;
            Ok((moment, [x, y, z, sidereal::equation_of_the_equinoxes_rad(&sky)]))
        };
        // Both ends first, so a day outside the ephemeris range fails before any other work.
        let (first, first_node) = node(0)?;
        let (_, last_node) = node(count - 1)?;
        let mut nodes = Vec::with_capacity(count);
        nodes.push(first_node);
        for k in 1..count - 1 {
            nodes.push(node(k)?.1);
        }
        nodes.push(last_node);
        Ok(Track {
            disc,
            observer: Observer::at(place),
            origin_jd: first_jd,
            span_days,
            node_spacing_days,
            window,
            nodes,
            tt_minus_ut_days: first.jd_tt() - first.jd_ut(),
        })
    }

    /// Lagrange interpolation of the nodes at `t`, on the `window` nodes centred nearest to it.
    fn interpolate(&self, t: f64) -> [f64; 4] {
        let u = t / self.node_spacing_days;
        let last_first = self.nodes.len() - self.window;
        let first = ((u - (self.window - 1) as f64 / 2.0).round().max(0.0) as usize).min(last_first);
        let x = u - first as f64;
        let mut out = [0.0; 4];
        for (j, node) in self.nodes[first..first + self.window].iter().enumerate() {
            let weight =
                (0..self.window).filter(|&i| i != j).fold(1.0, |w, i| w * (x - i as f64) / (j as f64 - i as f64));
            for (o, v) in out.iter_mut().zip(node) {
                *o += weight * v;
            }
        }
        out
    }

    fn sample(&self, t: f64) -> Sample {
        let [x, y, z, equation_of_equinoxes] = self.interpolate(t);
        let jd_ut = self.origin_jd + t;
        let centuries_tt = (jd_ut + self.tt_minus_ut_days - J2000_JD) / DAYS_PER_JULIAN_CENTURY;
        let local_sidereal =
            sidereal::greenwich_mean(jd_ut, centuries_tt) + equation_of_equinoxes + self.observer.longitude_rad;
        let h = self.observer.horizontal([x, y, z], local_sidereal);
        Sample {
            t,
            excess_rad: h.altitude_rad - self.disc.altitude_at_rise_rad(h.distance_earth_radii),
            west: h.west,
            south: h.south,
        }
    }

    /// When the middle of three consecutive samples is a turning point on the same side of the
    /// horizon as its neighbours, the true extremum between the outer two may still lie across
    /// the horizon (a rise and a set less than two steps apart); if so, returns it.
    fn hidden_crossing(&self, before: Sample, middle: Sample, after: Sample) -> Option<Sample> {
        let is_max = middle.excess_rad >= before.excess_rad && middle.excess_rad >= after.excess_rad;
        let is_min = middle.excess_rad <= before.excess_rad && middle.excess_rad <= after.excess_rad;
        let sign = match (is_max && !middle.is_up(), is_min && middle.is_up()) {
            (true, _) => 1.0,
            (_, true) => -1.0,
            _ => return None,
        };
        let t = golden_section_maximum(|t| sign * self.sample(t).excess_rad, before.t, after.t);
        let extremum = self.sample(t);
        (extremum.is_up() != middle.is_up()).then_some(extremum)
    }
}

/// A root of `f` between `a` and `b`, where `f` has the values `fa` and `fb` of opposite signs
/// (the sign of zero counting as positive), by the Illinois variant of regula falsi: it never
/// leaves the bracket and converges superlinearly from both sides.
fn refine_root(f: impl Fn(f64) -> f64, mut a: f64, mut fa: f64, mut b: f64, mut fb: f64) -> f64 {
    let mut kept_a_last = None;
    for _ in 0..100 {
        if (b - a).abs() <= ROOT_TOLERANCE_DAYS {
            break;
        }
        let c = b - fb * (b - a) / (fb - fa);
        let fc = f(c);
        if (fc >= 0.0) == (fb >= 0.0) {
            b = c;
            fb = fc;
            if kept_a_last == Some(true) {
                fa /= 2.0;
            }
            kept_a_last = Some(true);
        } else {
            a = c;
            fa = fc;
            if kept_a_last == Some(false) {
                fb /= 2.0;
            }
            kept_a_last = Some(false);
        }
    }
    b - fb * (b - a) / (fb - fa)
}

/// Where `f` is largest between `a` and `b`, assuming one maximum there (golden-section search).
fn golden_section_maximum(f: impl Fn(f64) -> f64, mut a: f64, mut b: f64) -> f64 {
    let ratio = (5f64.sqrt() - 1.0) / 2.0;
    let mut c = b - ratio * (b - a);
    let mut d = a + ratio * (b - a);
    let (mut fc, mut fd) = (f(c), f(d));
    while b - a > EXTREMUM_TOLERANCE_DAYS {
        if fc > fd {
            b = d;
            d = c;
            fd = fc;
            c = b - ratio * (b - a);
            fc = f(c);
        } else {
            a = c;
            c = d;
            fc = fd;
            d = a + ratio * (b - a);
            fd = f(d);
        }
    }
    (a + b) / 2.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ephemeris::ARCSEC_RAD;
    use jiff::civil::date;

    fn utc() -> Zone {
        Zone::parse("UTC").unwrap()
    }

    /// The excess of a body's altitude over its rising altitude from a full evaluation of the
    /// sky at `ts`, not the interpolated track.
    fn direct_excess_rad(disc: Disc, place: GeoPoint, ts: Timestamp) -> f64 {
        let sky = Sky::at(&Moment::from_timestamp(ts)).unwrap();
        let observer = Observer::at(place);
        let local = sidereal::greenwich_apparent_sidereal_time_rad(&sky) + observer.longitude_rad;
        let h = observer.horizontal(geocentric_vector(&sky, disc.body()).unwrap(), local);
        h.altitude_rad - disc.altitude_at_rise_rad(h.distance_earth_radii)
    }

    #[test]
    fn interpolated_place_stays_within_0_01_arcsec() {
        let place = GeoPoint::new(45.0, 10.0).unwrap();
        for disc in [Disc::Sun, Disc::Moon] {
            for first_jd in [2_378_500.3, 2_451_545.1, 2_460_390.7, 2_524_000.9] {
                let track = Track::new(disc, place, first_jd, first_jd + 26.0 * HOUR_DAYS).unwrap();
                let mut worst: f64 = 0.0;
                for k in 0..=260 {
                    let t = k as f64 * track.span_days / 260.0;
                    let [x, y, z, _] = track.interpolate(t);
                    let sky = Sky::at(&Moment::from_jd_ut(first_jd + t)).unwrap();
                    let [a, b, c] = geocentric_vector(&sky, disc.body()).unwrap();
                    let cross = [y * c - z * b, z * a - x * c, x * b - y * a];
                    let norm = |v: [f64; 3]| (v[0] * v[0] + v[1] * v[1] + v[2] * v[2]).sqrt();
                    worst = worst.max(norm(cross) / norm([x, y, z]) / norm([a, b, c]) / ARCSEC_RAD);
                }
                assert!(worst < 0.01, "{disc:?} from JD {first_jd}: {worst}″ off");
            }
        }
    }

    /// The Moon at its events stands where it should, to an arcsecond of a full evaluation.
    #[test]
    fn moon_events_are_at_the_rising_altitude() {
        for (lat, lon) in [(0.0, 0.0), (51.5, -0.1), (-33.9, 151.2), (60.0, 25.0), (-60.0, -70.0)] {
            let place = GeoPoint::new(lat, lon).unwrap();
            for day in 0..30 {
                let date = date(2024, 1, 1).checked_add(jiff::Span::new().days(day * 13)).unwrap();
                let events = moon_rise_set(date, &utc(), place).unwrap();
                for ts in [events.rise, events.set].into_iter().flatten() {
                    let off = direct_excess_rad(Disc::Moon, place, ts) / ARCSEC_RAD;
                    assert!(off.abs() < 1.0, "{lat} {lon} {date}: {off}″ at {ts}");
                }
            }
        }
    }

    /// 69.65° N (Tromsø) at the end of the polar night: the first sunrise is a brief glimpse
    /// around noon. Whatever the day, each event lies in it and the classification holds.
    #[test]
    fn the_end_of_the_polar_night_rises_and_sets_within_the_day() {
        let tromso = GeoPoint::new(69.6492, 18.9553).unwrap();
        let oslo = Zone::parse("Europe/Oslo").unwrap();
        let mut saw_both = false;
        let mut last_night = None;
        for day in 1..=31 {
            let events = sun_rise_set(date(2024, 1, day), &oslo, tromso).unwrap();
            match events.absence {
                Some(Absence::BelowAllDay) => last_night = Some(day),
                None => {
                    let (rise, set) = (events.rise.unwrap(), events.set.unwrap());
                    assert!(rise < set, "2024-01-{day}: rise {rise} after set {set}");
                    saw_both = true;
                }
                other => panic!("2024-01-{day}: {other:?}"),
            }
        }
        assert_eq!(last_night, Some(14), "the polar night at Tromsø ends in mid-January");
        assert!(saw_both);
    }

    /// A Sun that clears its rising altitude by a few arcseconds at noon is up for a few
    /// minutes, between two hourly samples that both see it below: the extremum search finds it.
    /// (Here at 68.8296° N, 24° E: 10:27:26.9 to 10:35:40.9 UT; Swiss Ephemeris, centre at −50′:
    /// 10:27:27.0 to 10:35:42.0. Without the search, the day has no sunrise at all.)
    #[test]
    fn a_sun_that_grazes_the_horizon_between_samples_is_found() {
        let (day, longitude) = (date(2024, 1, 10), 24.0);
        let probe = sun_rise_set(day, &utc(), GeoPoint::new(70.0, longitude).unwrap()).unwrap();
        let noon = probe.transit.unwrap();
        let minute_of_hour = (noon.as_second().rem_euclid(3600)) as f64 / 60.0;
        assert!((10.0..50.0).contains(&minute_of_hour), "noon at {noon} is too close to a sample");
        // The latitude where the centre culminates 20″ above −50′ (8.8″ of parallax aside).
        let sky = Sky::at(&Moment::from_timestamp(noon)).unwrap();
        let declination_deg = sky.equatorial(Body::Sun).unwrap().declination_rad.to_degrees();
        let latitude = 90.0 + declination_deg - SUN_ALTITUDE_AT_RISE_DEG - 20.0 / 3600.0;
        let glimpse = sun_rise_set(day, &utc(), GeoPoint::new(latitude, longitude).unwrap()).unwrap();
        let (Some(rise), Some(set)) = (glimpse.rise, glimpse.set) else {
            panic!("missed at {latitude}°: {glimpse:?}");
        };
        let minutes = (set - rise).as_secs_f64() / 60.0;
        assert!(0.0 < minutes && minutes < 15.0, "up for {minutes} min");
        assert!(rise < noon && noon < set);
    }

    #[test]
    fn root_and_extremum_searches() {
        let root = refine_root(|x| x * x * x - 2.0, 0.0, -2.0, 2.0, 6.0);
        assert!((root - 2f64.cbrt()).abs() < 1e-8);
        let top = golden_section_maximum(|x| -(x - 0.3) * (x - 0.3), 0.0, 1.0);
        assert!((top - 0.3).abs() < EXTREMUM_TOLERANCE_DAYS);
    }
}
