//! The ephemeris: apparent geocentric positions of the Sun, Moon, planets and lunar nodes, the
//! Lahiri ayanamsa, and (in [`rise_set`]) risings and settings.
//!
//! Positions are geocentric, apparent (light-time, gravitational deflection by the Sun, annual
//! aberration, nutation) and tropical, on the ecliptic and equinox of date, the convention of
//! Swiss Ephemeris against which they are measured (see `docs/ephemeris.md` for the theories, the
//! accuracy measured and the valid range).
//!
//! ```
//! use noesis_core::ephemeris::{Body, Sky};
//! use noesis_core::time::Moment;
//!
//! let moment = Moment::from_timestamp("1991-08-13T08:01:00Z".parse().unwrap());
//! let sky = Sky::at(&moment).unwrap();
//! let sun = sky.position(Body::Sun).unwrap();
//! assert!((sun.longitude_deg - 140.0935).abs() < 0.001);
//! ```

mod ayanamsa;
mod chebyshev;
mod elp_mpp02;
mod fast_trig;
mod nodes;
mod nutation;
mod polynomial;
mod precession;
pub mod rise_set;
mod rotation;
pub mod sidereal;
mod snapshot;
mod state;
mod tables;
mod vsop87;

use crate::time::Moment;
use rotation::{Matrix3, Vector3, apply, multiply, r1, r3};
use state::StateVector;
use std::sync::OnceLock;

pub use ayanamsa::Ayanamsa;
pub use nutation::Nutation;
pub use snapshot::{BodyPositions, Snapshot, SnapshotPosition, snapshot};

/// A body the ephemeris knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Body {
    Sun,
    Moon,
    Mercury,
    Venus,
    Mars,
    Jupiter,
    Saturn,
    Uranus,
    Neptune,
    Pluto,
    /// The osculating ascending node of the Moon's orbit.
    TrueNode,
    /// The mean ascending node of the Moon's orbit.
    MeanNode,
}

impl Body {
    /// Every body, in the order the API lists them.
    pub const ALL: [Body; 12] = [
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
        Body::TrueNode,
        Body::MeanNode,
    ];

    /// The snake_case name used in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Body::Sun => "sun",
            Body::Moon => "moon",
            Body::Mercury => "mercury",
            Body::Venus => "venus",
            Body::Mars => "mars",
            Body::Jupiter => "jupiter",
            Body::Saturn => "saturn",
            Body::Uranus => "uranus",
            Body::Neptune => "neptune",
            Body::Pluto => "pluto",
            Body::TrueNode => "true_node",
            Body::MeanNode => "mean_node",
        }
    }
}

/// An apparent geocentric position on the ecliptic and equinox of date.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EclipticPosition {
    /// Tropical longitude, degrees in [0, 360).
    pub longitude_deg: f64,
    /// Latitude, degrees (zero for the nodes).
    pub latitude_deg: f64,
    /// Geocentric distance in AU (`None` for the nodes, which are directions, not bodies).
    pub distance_au: Option<f64>,
    /// Rate of change of the longitude, degrees per day (negative when retrograde).
    pub speed_deg_per_day: f64,
}

/// An apparent geocentric position on the true equator and equinox of date.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EquatorialPosition {
    /// Right ascension, radians in [0, 2π).
    pub right_ascension_rad: f64,
    /// Declination, radians.
    pub declination_rad: f64,
    /// Geocentric distance, AU.
    pub distance_au: f64,
}

/// Why a position could not be given.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EphemerisError {
    /// The instant lies outside the span the theories can be evaluated over at all.
    #[error("{year} is outside the ephemeris range (years {first} to {last})")]
    OutOfRange { year: i32, first: i32, last: i32 },
    /// The body's theory does not cover the instant (the DE422 fits of Mars to Pluto cover
    /// 1800-2200 only).
    #[error("{body} is only available from {first} to {last}")]
    BodyOutOfRange { body: &'static str, first: i32, last: i32 },
    /// The operation is not defined for this body (for example the equatorial place of a node).
    #[error("{operation} is not available for {body}")]
    Unsupported { body: &'static str, operation: &'static str },
}

/// What every position rests on, as `metadata.ephemeris` reports it (details in `docs/ephemeris.md`).
pub const THEORY: &str = "VSOP87B (Sun, Mercury, Venus), ELP/MPP02-DE405 (Moon), JPL DE422 fits (Mars-Pluto); IAU 2006 precession, IAU 2000B nutation";

/// First and last years whose positions were measured against Swiss Ephemeris.
pub const VALIDATED_YEARS: (i32, i32) = (1800, 2200);
/// First and last years the ephemeris computes at all; outside [`VALIDATED_YEARS`] every answer
/// carries a warning.
pub const COMPUTED_YEARS: (i32, i32) = (1000, 3000);

/// One arcsecond in radians.
pub(crate) const ARCSEC_RAD: f64 = std::f64::consts::PI / 648_000.0;

/// Speed of light in AU per day (IAU 2009: c = 299 792 458 m/s, au = 149 597 870 700 m).
const LIGHT_AU_PER_DAY: f64 = 173.144_632_674_240_34;
/// Heliocentric gravitational constant in AU³/day² (Gaussian constant k squared).
const GM_SUN: f64 = 0.000_295_912_208_285_591_1;
/// 2·GM☉/c² in AU, the scale of light deflection by the Sun.
const SUN_DEFLECTION_AU: f64 = 2.0 * 9.870_628_7e-9;

/// Everything about one instant that every body's position shares: the Earth's heliocentric state,
/// precession, nutation and the rotations between frames. Build it once per instant, then ask it
/// for as many bodies as needed.
#[derive(Debug, Clone)]
pub struct Sky {
    moment: Moment,
    centuries_tt: f64,
    earth: StateVector,
    nutation: Nutation,
    mean_obliquity_rad: f64,
    /// J2000 equator → mean ecliptic and equinox of date.
    to_mean_ecliptic: Matrix3,
    /// J2000 equator → true equator and equinox of date.
    to_true_equator: Matrix3,
    /// What a fixed direction gains in apparent longitude of date per day: general precession
    /// plus the rate of the nutation in longitude.
    precession_rate_deg_per_day: f64,
    /// The geometric Moon, computed on first use: the apparent Moon and the true node share it.
    moon: OnceLock<StateVector>,
    /// The Sun's fast reflex wobble that the DE422 tables leave out, computed on first use and
    /// shared by Mars to Pluto.
    reflex: OnceLock<StateVector>,
}

/// The apparent direction of a body seen from the geocentre, with what its speed needs.
struct ApparentVector {
    /// Unit vector of the apparent direction, J2000 equatorial.
    direction: Vector3,
    /// Rate of change of `direction`, per day.
    direction_rate: Vector3,
    /// Geocentric distance (at the light-time corrected epoch), AU.
    distance_au: f64,
}

impl Sky {
    /// Prepare the sky at `moment`.
    pub fn at(moment: &Moment) -> Result<Sky, EphemerisError> {
        let year = year_of(moment.jd_tt());
        if year < COMPUTED_YEARS.0 || year > COMPUTED_YEARS.1 {
            return Err(EphemerisError::OutOfRange { year, first: COMPUTED_YEARS.0, last: COMPUTED_YEARS.1 });
        }
        let t = moment.centuries_tt_since_j2000();
        let nutation = nutation::nutation(t);
        let mean_obliquity_rad = nutation::mean_obliquity(t);
        let precession = precession::precession_matrix(t);
        let to_mean_ecliptic = multiply(&r1(mean_obliquity_rad), &precession);
        // True equator of date: N = R1(−(ε+Δε)) · R3(−Δψ) · R1(ε), applied after precession.
        let nutation_matrix = multiply(
            &r1(-(mean_obliquity_rad + nutation.obliquity_rad)),
            &multiply(&r3(-nutation.longitude_rad), &r1(mean_obliquity_rad)),
        );
        Ok(Sky {
            moment: *moment,
            centuries_tt: t,
            earth: tables::EARTH.heliocentric(moment.jd_tt()),
            nutation,
            mean_obliquity_rad,
            to_mean_ecliptic,
            to_true_equator: multiply(&nutation_matrix, &precession),
            precession_rate_deg_per_day: precession::general_precession_rate_deg_per_day(t)
                + nutation.longitude_rate_rad_per_day.to_degrees(),
            moon: OnceLock::new(),
            reflex: OnceLock::new(),
        })
    }

    /// The instant this sky was built for.
    pub fn moment(&self) -> &Moment {
        &self.moment
    }

    /// Whether the instant lies inside [`VALIDATED_YEARS`].
    pub fn is_validated(&self) -> bool {
        let year = year_of(self.moment.jd_tt());
        (VALIDATED_YEARS.0..=VALIDATED_YEARS.1).contains(&year)
    }

    /// Nutation at this instant.
    pub fn nutation(&self) -> Nutation {
        self.nutation
    }

    /// True obliquity of the ecliptic (mean plus nutation), radians.
    pub fn true_obliquity_rad(&self) -> f64 {
        self.mean_obliquity_rad + self.nutation.obliquity_rad
    }

    /// The Lahiri ayanamsa at this instant.
    pub fn ayanamsa(&self) -> Ayanamsa {
        Ayanamsa::lahiri(self.centuries_tt, self.nutation)
    }

    /// Apparent geocentric ecliptic position of `body`, tropical, of date.
    pub fn position(&self, body: Body) -> Result<EclipticPosition, EphemerisError> {
        match body {
            Body::TrueNode => return Ok(self.true_node()),
            Body::MeanNode => return Ok(self.mean_node()),
            _ => {}
        }
        let apparent = self.apparent_vector(body)?;
        let direction = apply(&self.to_mean_ecliptic, &apparent.direction);
        let direction_rate = apply(&self.to_mean_ecliptic, &apparent.direction_rate);
        let (longitude, latitude) = rotation::spherical(&direction);
        let speed =
            rotation::longitude_rate(&direction, &direction_rate).to_degrees() + self.precession_rate_deg_per_day;
        Ok(EclipticPosition {
            longitude_deg: normalize_degrees(longitude.to_degrees() + self.nutation.longitude_rad.to_degrees()),
            latitude_deg: latitude.to_degrees(),
            distance_au: Some(apparent.distance_au),
            speed_deg_per_day: speed,
        })
    }

    /// Apparent geocentric right ascension and declination of `body` on the true equator of date
    /// (what risings, settings and sidereal-time work need). Not defined for the nodes.
    pub fn equatorial(&self, body: Body) -> Result<EquatorialPosition, EphemerisError> {
        let apparent = self.apparent_vector(body)?;
        let direction = apply(&self.to_true_equator, &apparent.direction);
        let (right_ascension_rad, declination_rad) = rotation::spherical(&direction);
        Ok(EquatorialPosition { right_ascension_rad, declination_rad, distance_au: apparent.distance_au })
    }

    fn geometric_moon(&self) -> StateVector {
        *self.moon.get_or_init(|| elp_mpp02::geocentric_moon(self.moment.jd_tt()))
    }

    /// Geometric heliocentric state of a planet (or `None` for the Sun, Moon and nodes).
    fn heliocentric(&self, body: Body, jd_tt: f64) -> Result<Option<StateVector>, EphemerisError> {
        let theory = match body {
            Body::Mercury => &tables::MERCURY,
            Body::Venus => &tables::VENUS,
            Body::Mars | Body::Jupiter | Body::Saturn | Body::Uranus | Body::Neptune | Body::Pluto => {
                let reflex = self.reflex.get_or_init(|| chebyshev::reflex(jd_tt));
                return chebyshev::heliocentric(body, jd_tt, reflex).map(Some).ok_or(EphemerisError::BodyOutOfRange {
                    body: body.name(),
                    first: VALIDATED_YEARS.0,
                    last: VALIDATED_YEARS.1,
                });
            }
            _ => return Ok(None),
        };
        Ok(Some(theory.heliocentric(jd_tt)))
    }

    fn apparent_vector(&self, body: Body) -> Result<ApparentVector, EphemerisError> {
        let jd_tt = self.moment.jd_tt();
        let earth = &self.earth;
        // The vector whose direction is seen, whether to bend it by the Sun's gravity, and the
        // body's true distance at the moment the light left it.
        let (geocentric, deflect, distance_au) = match body {
            Body::Sun => {
                // The Sun is the origin of the heliocentric frame: its geocentric vector is −Earth,
                // and light time only delays the Earth's own (negligible) barycentric wobble.
                let sun = StateVector {
                    position_au: rotation::scale(&earth.position_au, -1.0),
                    velocity_au_per_day: rotation::scale(&earth.velocity_au_per_day, -1.0),
                };
                let distance = sun.distance_au();
                (sun, false, distance)
            }
            Body::Moon => {
                // Light left the Moon τ ago, from where the Moon was then relative to where the
                // geocentre was then; the geocentre has since moved by v⊕·τ. Taking that motion into
                // the vector (as for the planets, whose theory is heliocentric) lets the annual
                // aberration below be applied uniformly; the two nearly cancel for the Moon.
                let moon = self.geometric_moon();
                let light_days = moon.distance_au() / LIGHT_AU_PER_DAY;
                let emitted = moon.extrapolate(-light_days);
                let earth_shift = rotation::scale(&earth.velocity_au_per_day, light_days);
                // That shift turns with the Earth's acceleration; at the Moon's distance its rate
                // (a⊕·τ/Δ = a⊕/c) is worth 1e-4 °/day and cancels the aberration's own turning.
                let seen = StateVector {
                    position_au: rotation::sub(&emitted.position_au, &earth_shift),
                    velocity_au_per_day: rotation::sub(
                        &emitted.velocity_au_per_day,
                        &rotation::scale(&solar_acceleration(&earth.position_au), light_days),
                    ),
                };
                (seen, false, emitted.distance_au())
            }
            Body::TrueNode | Body::MeanNode => {
                return Err(EphemerisError::Unsupported { body: body.name(), operation: "an apparent place" });
            }
            planet => {
                let Some(heliocentric) = self.heliocentric(planet, jd_tt)? else {
                    return Err(EphemerisError::Unsupported { body: planet.name(), operation: "a heliocentric state" });
                };
                // Light time: where the planet was when the light left it. Two iterations
                // converge to well under a millisecond.
                let mut light_days = heliocentric.minus(earth).distance_au() / LIGHT_AU_PER_DAY;
                for _ in 0..2 {
                    light_days = emitted_state(&heliocentric, light_days).minus(earth).distance_au() / LIGHT_AU_PER_DAY;
                }
                let emitted = emitted_state(&heliocentric, light_days);
                // The light time itself changes as the distance does; the apparent motion carries
                // the factor (1 − dτ/dt).
                let mut seen = emitted.minus(earth);
                let light_time_rate = rotation::dot(&seen.position_au, &seen.velocity_au_per_day)
                    / (seen.distance_au() * LIGHT_AU_PER_DAY);
                seen.velocity_au_per_day = rotation::sub(
                    &rotation::scale(&emitted.velocity_au_per_day, 1.0 - light_time_rate),
                    &earth.velocity_au_per_day,
                );
                let distance = seen.distance_au();
                (seen, true, distance)
            }
        };
        let position = geocentric.position_au;
        let velocity = geocentric.velocity_au_per_day;
        let distance = rotation::norm(&position);
        let geometric = rotation::scale(&position, 1.0 / distance);
        // The geometric direction's rate.
        let mut p_rate = rotation::unit_vector_rate(&geometric, &velocity, distance);
        let mut p = geometric;
        if deflect {
            p = rotation::add(&p, &solar_deflection(&position, &earth.position_au));
            // The deflection grows quickly near conjunction; its rate, by a central difference
            // along the straight-line motion, is worth up to 1e-3 °/day there.
            const H: f64 = 1.0 / 64.0;
            let step = |sign: f64| {
                solar_deflection(
                    &rotation::add(&position, &rotation::scale(&velocity, sign * H)),
                    &rotation::add(&earth.position_au, &rotation::scale(&earth.velocity_au_per_day, sign * H)),
                )
            };
            p_rate = rotation::add(&p_rate, &rotation::scale(&rotation::sub(&step(1.0), &step(-1.0)), 0.5 / H));
        }
        // Annual aberration, to first order in v/c (second order is 0.001″).
        let beta = rotation::scale(&earth.velocity_au_per_day, 1.0 / LIGHT_AU_PER_DAY);
        let aberrated = rotation::add(&p, &beta);
        let aberrated_norm = rotation::norm(&aberrated);
        let direction = rotation::scale(&aberrated, 1.0 / aberrated_norm);
        // The apparent direction's rate: the geometric direction's own (ṗ) plus the turning of the
        // aberration vector as the Earth's velocity changes (β̇ = a⊕/c, a⊕ from the Sun's pull).
        // Using the geometric rate alone would miss up to 1e-3 °/day (the aberration displacement
        // turns with the body's direction).
        let beta_rate = rotation::scale(&solar_acceleration(&earth.position_au), 1.0 / LIGHT_AU_PER_DAY);
        let direction_rate =
            rotation::unit_vector_rate(&direction, &rotation::add(&p_rate, &beta_rate), aberrated_norm);
        Ok(ApparentVector { direction, direction_rate, distance_au })
    }

    /// The osculating (true) ascending node of the Moon: the node of the plane that the Moon's
    /// geocentric position and velocity span, on the ecliptic of date, with nutation.
    ///
    /// Its rate comes from the change of the orbital angular momentum `h = r × v`: `ḣ = r × a`,
    /// where only the Sun's tidal pull contributes to `a` (the Earth's own pull is along `r`).
    fn true_node(&self) -> EclipticPosition {
        let moon = self.geometric_moon();
        let r = moon.position_au;
        // The Sun pulls the Moon (at Earth + r) and the Earth differently; the difference is what
        // turns the orbit.
        let earth = self.earth.position_au;
        let tidal = rotation::sub(&solar_acceleration(&rotation::add(&earth, &r)), &solar_acceleration(&earth));
        let h = apply(&self.to_mean_ecliptic, &rotation::cross(&r, &moon.velocity_au_per_day));
        let h_rate = apply(&self.to_mean_ecliptic, &rotation::cross(&r, &tidal));
        let node = h[0].atan2(-h[1]);
        let node_rate = (h[0] * h_rate[1] - h[1] * h_rate[0]) / (h[0] * h[0] + h[1] * h[1]);
        EclipticPosition {
            longitude_deg: normalize_degrees(node.to_degrees() + self.nutation.longitude_rad.to_degrees()),
            latitude_deg: 0.0,
            distance_au: None,
            speed_deg_per_day: node_rate.to_degrees() + self.precession_rate_deg_per_day,
        }
    }

    fn mean_node(&self) -> EclipticPosition {
        let (longitude_deg, speed_deg_per_day) = nodes::mean_node(self.centuries_tt);
        EclipticPosition {
            longitude_deg: normalize_degrees(longitude_deg + self.nutation.longitude_rad.to_degrees()),
            latitude_deg: 0.0,
            distance_au: None,
            speed_deg_per_day: speed_deg_per_day + self.nutation.longitude_rate_rad_per_day.to_degrees(),
        }
    }
}

/// The displacement of the unit direction to a body at geocentric `position` caused by the Sun's
/// gravity bending the light (Explanatory Supplement 1992, eq. 3.328-1; 1.75″ at the limb).
fn solar_deflection(position: &Vector3, earth: &Vector3) -> Vector3 {
    let p = rotation::scale(position, 1.0 / rotation::norm(position));
    let earth_distance = rotation::norm(earth);
    let e = rotation::scale(earth, 1.0 / earth_distance);
    let heliocentric = rotation::add(position, earth);
    let q = rotation::scale(&heliocentric, 1.0 / rotation::norm(&heliocentric));
    let g = SUN_DEFLECTION_AU / earth_distance / (1.0 + rotation::dot(&q, &e));
    let bend = rotation::sub(&rotation::scale(&e, rotation::dot(&p, &q)), &rotation::scale(&q, rotation::dot(&e, &p)));
    rotation::scale(&bend, g)
}

/// The Sun's gravitational acceleration at a heliocentric position, AU/day².
fn solar_acceleration(heliocentric: &Vector3) -> Vector3 {
    rotation::scale(heliocentric, -GM_SUN / rotation::norm(heliocentric).powi(3))
}

/// A heliocentric state `light_days` earlier, stepped back along the Sun's pull (the curvature
/// matters to the velocity: Mercury's changes by 1e-3 °/day worth over its ten minutes of light
/// time; planetary perturbations over that interval are far below it).
fn emitted_state(now: &StateVector, light_days: f64) -> StateVector {
    let r = now.position_au;
    let acceleration = solar_acceleration(&r);
    let v = now.velocity_au_per_day;
    StateVector {
        position_au: rotation::add(
            &rotation::sub(&r, &rotation::scale(&v, light_days)),
            &rotation::scale(&acceleration, 0.5 * light_days * light_days),
        ),
        velocity_au_per_day: rotation::sub(&v, &rotation::scale(&acceleration, light_days)),
    }
}

/// Degrees reduced to [0, 360).
pub(crate) fn normalize_degrees(x: f64) -> f64 {
    let r = x.rem_euclid(360.0);
    // rem_euclid can return 360.0 itself for tiny negative inputs.
    if r >= 360.0 { 0.0 } else { r }
}

/// Gregorian calendar year of a Julian day (good enough for range checks).
fn year_of(jd: f64) -> i32 {
    (2000.0 + (jd - crate::time::J2000_JD) / 365.2425).floor() as i32
}
