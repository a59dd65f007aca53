//! The four lunar limbs (tithi, nakshatra, yoga, karana) at an instant, and when each ends.
//!
//! Each limb is a whole number of equal arcs of one angle that only ever grows:
//!
//! | limb      | angle                                   | arc   |
//! |-----------|-----------------------------------------|-------|
//! | tithi     | Moon − Sun (the elongation)             | 12°   |
//! | karana    | Moon − Sun                              | 6°    |
//! | nakshatra | Moon, sidereal                          | 13°20′ |
//! | yoga      | Sun + Moon, both sidereal               | 13°20′ |
//!
//! so a limb ends when its angle reaches the next multiple of the arc. The Moon outruns the Sun
//! by 10.7° to 15.4° a day, so no limb lasts longer than 1.14 days.
//!
//! # Finding the ends
//!
//! Evaluating the full ephemeris costs tens of microseconds, and a Newton search for four ends
//! would need a dozen evaluations. Instead the ephemeris is asked three times: at the instant,
//! 0.625 days later (the Moon only) and 1.25 days later, each time for longitudes and speeds.
//! Between them the Sun's longitude follows the cubic through its two ends and their slopes (its
//! motion is so even that this is exact to a microarcsecond), and the Moon's a quartic through its
//! three values and slopes. The lunar slopes are trusted only up to a common offset, solved for
//! by asking the Hermite quintic to be a quartic: the ephemeris's lunar speed, the derivative of a
//! truncated series, strays from the rate of its own longitude by a fraction of an arcsecond a
//! day. What remains keeps the interpolated angles within 0.02″ of the ephemeris over the span
//! (measured in `interpolation_follows_the_ephemeris`), some 40 ms at the slowest the angles move.
//!
//! The ends are then roots of polynomials, found by Newton's method kept inside a bracket (the
//! angles are monotonic, so the bracket always holds exactly one root). An end is the first whole
//! second at which the next limb holds; when the root lies so close to a whole second that the
//! interpolation's error could put it on the wrong side, the full ephemeris decides.

use jiff::{SignedDuration, Timestamp};

use crate::engines::vedic::NAKSHATRA_SPAN_DEG;
use crate::ephemeris::{Body, EphemerisError, Sky, normalize_degrees};
use crate::time::Moment;

/// One tithi: 12°.
pub(crate) const TITHI_ARC_DEG: f64 = 12.0;
/// One karana: half a tithi.
pub(crate) const KARANA_ARC_DEG: f64 = 6.0;

/// Days from the instant asked to the last interpolation node: longer than any limb lasts.
const TRACK_SPAN_DAYS: f64 = 1.25;
/// Newton steps stop below this (about 0.1 ms).
const ROOT_TOLERANCE_DAYS: f64 = 1.0e-9;
/// A bound on how far the interpolated angles stray from the ephemeris over a track (measured
/// worst 0.018″; `interpolation_follows_the_ephemeris` holds it under this bound). A root closer
/// to a whole second than the time the angle takes to move this far gets that second decided by
/// the full ephemeris.
const INTERPOLATION_ERROR_ARCSEC: f64 = 0.025;
const SECONDS_PER_DAY: f64 = 86_400.0;
/// Spans searched at most for one end (see [`Track::end_of`]).
const MAX_TRACKS: usize = 8;

/// The Sun and the Moon at one instant: what the limbs are computed from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Luminaries {
    /// Apparent tropical longitudes, degrees in [0, 360).
    pub sun_tropical_deg: f64,
    pub moon_tropical_deg: f64,
    /// Their rates, degrees per day.
    pub sun_speed_deg_per_day: f64,
    pub moon_speed_deg_per_day: f64,
    /// Lahiri ayanamsa, degrees.
    pub ayanamsa_mean_deg: f64,
    pub ayanamsa_true_deg: f64,
}

impl Luminaries {
    pub(crate) fn at(moment: &Moment) -> Result<Luminaries, EphemerisError> {
        let sky = Sky::at(moment)?;
        let sun = sky.position(Body::Sun)?;
        let moon = sky.position(Body::Moon)?;
        let ayanamsa = sky.ayanamsa();
        Ok(Luminaries {
            sun_tropical_deg: sun.longitude_deg,
            moon_tropical_deg: moon.longitude_deg,
            sun_speed_deg_per_day: sun.speed_deg_per_day,
            moon_speed_deg_per_day: moon.speed_deg_per_day,
            ayanamsa_mean_deg: ayanamsa.mean_deg,
            ayanamsa_true_deg: ayanamsa.true_deg,
        })
    }

    /// The Sun's sidereal longitude, degrees in [0, 360).
    pub(crate) fn sun_sidereal_deg(&self) -> f64 {
        normalize_degrees(self.sun_tropical_deg - self.ayanamsa_true_deg)
    }

    /// The Moon's sidereal longitude, degrees in [0, 360).
    pub(crate) fn moon_sidereal_deg(&self) -> f64 {
        normalize_degrees(self.moon_tropical_deg - self.ayanamsa_true_deg)
    }

    /// The angle whose arcs make `limb`, degrees in [0, 360).
    fn angle(&self, limb: Limb) -> f64 {
        match limb {
            Limb::Tithi | Limb::Karana => normalize_degrees(self.moon_tropical_deg - self.sun_tropical_deg),
            Limb::Nakshatra => self.moon_sidereal_deg(),
            Limb::Yoga => normalize_degrees(self.sun_sidereal_deg() + self.moon_sidereal_deg()),
        }
    }

    /// How many whole arcs of `limb` the angle has covered: the limb's 0-based index (for the
    /// karana, 0-59: its slot minus one).
    pub(crate) fn index(&self, limb: Limb) -> u8 {
        arc_index(self.angle(limb), limb.arc_deg(), limb.count())
    }

    /// The nakshatra's quarter, 1-4.
    pub(crate) fn pada(&self) -> u8 {
        arc_index(self.moon_sidereal_deg(), NAKSHATRA_SPAN_DEG / 4.0, 108) % 4 + 1
    }
}

/// One of the four limbs that end at an angle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Limb {
    Tithi,
    Nakshatra,
    Yoga,
    Karana,
}

impl Limb {
    fn arc_deg(self) -> f64 {
        match self {
            Limb::Tithi => TITHI_ARC_DEG,
            Limb::Karana => KARANA_ARC_DEG,
            Limb::Nakshatra | Limb::Yoga => NAKSHATRA_SPAN_DEG,
        }
    }

    fn count(self) -> u8 {
        match self {
            Limb::Tithi => 30,
            Limb::Karana => 60,
            Limb::Nakshatra | Limb::Yoga => 27,
        }
    }
}

/// `floor(angle / arc)`, kept below `count` (an angle a hair under 360° can round up to it).
fn arc_index(angle_deg: f64, arc_deg: f64, count: u8) -> u8 {
    let index = (angle_deg / arc_deg).floor();
    if index.is_finite() && index >= 0.0 { (index as u8).min(count - 1) } else { 0 }
}

/// The limbs at an instant, and the instants they end.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct LimbsAt {
    pub luminaries: Luminaries,
    pub tithi_ends_at: Timestamp,
    pub nakshatra_ends_at: Timestamp,
    pub yoga_ends_at: Timestamp,
    pub karana_ends_at: Timestamp,
}

/// The limbs at `instant` with their end times.
pub(crate) fn limbs_at(instant: Timestamp) -> Result<LimbsAt, EphemerisError> {
    let track = Track::starting(instant)?;
    let luminaries = track.first;
    let tithi_ends_at = track.end_of(Limb::Tithi)?;
    // A karana in the second half of its tithi ends with it.
    let karana_ends_at =
        if luminaries.index(Limb::Karana) % 2 == 1 { tithi_ends_at } else { track.end_of(Limb::Karana)? };
    Ok(LimbsAt {
        luminaries,
        tithi_ends_at,
        nakshatra_ends_at: track.end_of(Limb::Nakshatra)?,
        yoga_ends_at: track.end_of(Limb::Yoga)?,
        karana_ends_at,
    })
}

/// The Sun and the Moon interpolated over [`TRACK_SPAN_DAYS`] from an instant.
struct Track {
    start: Timestamp,
    /// The luminaries at `start`, exactly as the ephemeris gives them.
    first: Luminaries,
    /// Hermite interpolants of the unwrapped tropical longitudes, in days since `start`: the
    /// Sun's through the two ends, the Moon's through the three nodes.
    sun: Hermite,
    moon: Hermite,
    /// The true ayanamsa at the three nodes (it moves by 0.14″ a day and nods by 0.1″ a day at
    /// most: a parabola is far more than enough).
    ayanamsa_deg: [f64; 3],
}

/// What the middle node needs: the Moon and the ayanamsa, not the Sun.
struct MoonNode {
    moon_tropical_deg: f64,
    moon_speed_deg_per_day: f64,
    ayanamsa_true_deg: f64,
}

impl MoonNode {
    fn at(moment: &Moment) -> Result<MoonNode, EphemerisError> {
        let sky = Sky::at(moment)?;
        let moon = sky.position(Body::Moon)?;
        Ok(MoonNode {
            moon_tropical_deg: moon.longitude_deg,
            moon_speed_deg_per_day: moon.speed_deg_per_day,
            ayanamsa_true_deg: sky.ayanamsa().true_deg,
        })
    }
}

/// `raw` (degrees) plus the whole turns that bring it nearest to `expected`.
fn unwrap_near(raw: f64, expected: f64) -> f64 {
    raw + 360.0 * ((expected - raw) / 360.0).round()
}

impl Track {
    fn starting(start: Timestamp) -> Result<Track, EphemerisError> {
        let moment = Moment::from_timestamp(start);
        let first = Luminaries::at(&moment)?;
        let half = TRACK_SPAN_DAYS / 2.0;
        let middle = MoonNode::at(&moment.plus_days(half))?;
        let last = Luminaries::at(&moment.plus_days(TRACK_SPAN_DAYS))?;
        // Neither body moves 30° between nodes: the turn nearest to the previous node plus its
        // motion is the right one.
        let mean_step = |from: f64, to: f64, days: f64| days * (from + to) / 2.0;
        let sun_end = unwrap_near(
            last.sun_tropical_deg,
            first.sun_tropical_deg
                + mean_step(first.sun_speed_deg_per_day, last.sun_speed_deg_per_day, TRACK_SPAN_DAYS),
        );
        let moon_middle = unwrap_near(
            middle.moon_tropical_deg,
            first.moon_tropical_deg + mean_step(first.moon_speed_deg_per_day, middle.moon_speed_deg_per_day, half),
        );
        let moon_end = unwrap_near(
            last.moon_tropical_deg,
            moon_middle + mean_step(middle.moon_speed_deg_per_day, last.moon_speed_deg_per_day, half),
        );
        Ok(Track {
            start,
            first,
            sun: Hermite::new(
                &[0.0, TRACK_SPAN_DAYS],
                &[first.sun_tropical_deg, sun_end],
                &[first.sun_speed_deg_per_day, last.sun_speed_deg_per_day],
            ),
            moon: Hermite::with_slope_offset(
                [0.0, half, TRACK_SPAN_DAYS],
                [first.moon_tropical_deg, moon_middle, moon_end],
                [first.moon_speed_deg_per_day, middle.moon_speed_deg_per_day, last.moon_speed_deg_per_day],
            ),
            ayanamsa_deg: [first.ayanamsa_true_deg, middle.ayanamsa_true_deg, last.ayanamsa_true_deg],
        })
    }

    /// The true ayanamsa and its rate at `s` days, from the parabola through the three nodes.
    fn ayanamsa(&self, s: f64) -> (f64, f64) {
        let h = TRACK_SPAN_DAYS / 2.0;
        let [a0, a1, a2] = self.ayanamsa_deg;
        let (d1, d2) = ((a1 - a0) / h, (a2 - 2.0 * a1 + a0) / (2.0 * h * h));
        (a0 + s * d1 + s * (s - h) * d2, d1 + (2.0 * s - h) * d2)
    }

    /// The limb's angle at `s` days, continuing its value at the start (in [0, 360)) without
    /// wrapping, and its rate.
    fn angle(&self, limb: Limb, s: f64) -> (f64, f64) {
        let (sun, sun_rate) = self.sun.value_and_rate(s);
        let (moon, moon_rate) = self.moon.value_and_rate(s);
        let (ayanamsa, ayanamsa_rate) = self.ayanamsa(s);
        let combine = |sun: f64, moon: f64, ayanamsa: f64| match limb {
            Limb::Tithi | Limb::Karana => moon - sun,
            Limb::Nakshatra => moon - ayanamsa,
            Limb::Yoga => moon + sun - 2.0 * ayanamsa,
        };
        let at_start = combine(self.sun.first_value, self.moon.first_value, self.ayanamsa_deg[0]);
        let angle = combine(sun, moon, ayanamsa) - at_start + self.first.angle(limb);
        let rate = combine(sun_rate, moon_rate, ayanamsa_rate);
        (angle, rate)
    }

    /// When the limb current at the start gives way to the next one, to the whole second (the
    /// first second at which the next one holds).
    fn end_of(&self, limb: Limb) -> Result<Timestamp, EphemerisError> {
        let index = self.first.index(limb);
        let mut target = f64::from(index + 1) * limb.arc_deg();
        let mut later: Option<Track> = None;
        // The end lies within the first track (no limb outlasts its span); were the ephemeris to
        // say otherwise, the search moves on a span at a time rather than guess.
        for _ in 0..MAX_TRACKS {
            let track = later.as_ref().unwrap_or(self);
            let (at_end, _) = track.angle(limb, TRACK_SPAN_DAYS);
            if at_end >= target {
                let s = track.root(limb, target);
                let (_, rate_deg_per_day) = track.angle(limb, s);
                let margin_seconds = INTERPOLATION_ERROR_ARCSEC / 3600.0 / rate_deg_per_day * SECONDS_PER_DAY;
                let root = track.start + seconds(s * SECONDS_PER_DAY);
                return whole_second_after(limb, index, root, margin_seconds);
            }
            let next = Track::starting(track.start + seconds(TRACK_SPAN_DAYS * SECONDS_PER_DAY))?;
            target = next.first.angle(limb) + (target - at_end);
            later = Some(next);
        }
        Ok(later.as_ref().unwrap_or(self).start)
    }

    /// Where the interpolated angle of `limb` reaches `target`, days from the start; the caller
    /// has checked that it does within the span.
    fn root(&self, limb: Limb, target: f64) -> f64 {
        let (mut lo, mut hi) = (0.0, TRACK_SPAN_DAYS);
        let (angle0, rate0) = self.angle(limb, 0.0);
        let mut s = ((target - angle0) / rate0).clamp(lo, hi);
        for _ in 0..60 {
            let (angle, rate) = self.angle(limb, s);
            let excess = angle - target;
            if excess < 0.0 {
                lo = s;
            } else {
                hi = s;
            }
            let newton = s - excess / rate;
            let next = if rate > 0.0 && newton > lo && newton < hi { newton } else { (lo + hi) / 2.0 };
            let step = (next - s).abs();
            s = next;
            if step < ROOT_TOLERANCE_DAYS {
                break;
            }
        }
        s
    }
}

/// The first whole second at which limb `index` no longer holds, given the interpolated `root`:
/// the second at or after it, unless `root` lies within `margin_seconds` of a whole second, where
/// the interpolation's error could put it on the wrong side and the ephemeris decides.
fn whole_second_after(
    limb: Limb,
    index: u8,
    root: Timestamp,
    margin_seconds: f64,
) -> Result<Timestamp, EphemerisError> {
    let index_at = |ts: Timestamp| Luminaries::at(&Moment::from_timestamp(ts)).map(|l| l.index(limb));
    let floor = floor_to_second(root);
    if (root - floor).as_secs_f64() < margin_seconds && index_at(floor)? != index {
        return Ok(floor);
    }
    let ceil = if floor == root { floor } else { floor + SignedDuration::from_secs(1) };
    if (ceil - root).as_secs_f64() < margin_seconds && index_at(ceil)? == index {
        return Ok(ceil + SignedDuration::from_secs(1));
    }
    Ok(ceil)
}

/// A duration of `s` seconds, to the microsecond.
fn seconds(s: f64) -> SignedDuration {
    SignedDuration::from_micros((s * 1e6).round() as i64)
}

/// The last whole second at or before `ts`.
fn floor_to_second(ts: Timestamp) -> Timestamp {
    // `as_second` truncates toward zero; before 1970 a fraction means the second below.
    let whole = ts.as_second() - i64::from(ts.subsec_nanosecond() < 0);
    Timestamp::from_second(whole).unwrap_or(ts)
}

/// The polynomial through two or three points with given values and slopes (a cubic or a
/// quintic), in Newton's divided-difference form on the doubled nodes `x0 x0 x1 x1 …`.
#[derive(Debug, Clone, Copy)]
struct Hermite {
    /// How many coefficients are in use: twice the number of points.
    len: usize,
    nodes: [f64; 6],
    coefficients: [f64; 6],
    /// The value at the first point.
    first_value: f64,
}

impl Hermite {
    /// Up to three points: `x`, `values` and `slopes` of one length (extra points are ignored).
    fn new(x: &[f64], values: &[f64], slopes: &[f64]) -> Hermite {
        let points = x.len().min(values.len()).min(slopes.len()).min(3);
        let len = 2 * points;
        let mut nodes = [0.0; 6];
        let mut table = [0.0; 6];
        for i in 0..len {
            nodes[i] = x[i / 2];
            table[i] = values[i / 2];
        }
        let mut coefficients = [0.0; 6];
        coefficients[0] = table[0];
        for order in 1..len {
            for i in (order..len).rev() {
                let width = nodes[i] - nodes[i - order];
                table[i] = if width == 0.0 { slopes[i / 2] } else { (table[i] - table[i - 1]) / width };
            }
            coefficients[order] = table[order];
        }
        Hermite { len, nodes, coefficients, first_value: values.first().copied().unwrap_or(0.0) }
    }

    /// The quartic through three values whose slopes are known up to one common offset: the
    /// Hermite quintic after shifting every slope by the amount that cancels its fifth-degree
    /// term.
    fn with_slope_offset(x: [f64; 3], values: [f64; 3], slopes: [f64; 3]) -> Hermite {
        let plain = Hermite::new(&x, &values, &slopes);
        let shifted = Hermite::new(&x, &values, &slopes.map(|s| s + 1.0));
        let per_unit = shifted.coefficients[5] - plain.coefficients[5];
        if per_unit == 0.0 || !per_unit.is_finite() {
            return plain;
        }
        let offset = -plain.coefficients[5] / per_unit;
        Hermite::new(&x, &values, &slopes.map(|s| s + offset))
    }

    /// The polynomial and its derivative at `s`.
    fn value_and_rate(&self, s: f64) -> (f64, f64) {
        let Some(top) = self.len.checked_sub(1) else { return (0.0, 0.0) };
        let mut value = self.coefficients[top];
        let mut rate = 0.0;
        for k in (0..top).rev() {
            rate = rate * (s - self.nodes[k]) + value;
            value = value * (s - self.nodes[k]) + self.coefficients[k];
        }
        (value, rate)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Arcseconds between two angles.
    fn arcsec(a: f64, b: f64) -> f64 {
        ((a - b + 180.0).rem_euclid(360.0) - 180.0).abs() * 3600.0
    }

    /// The interpolated angles stay within 0.03″ of the ephemeris (the bound the end search
    /// relies on is 0.04″) over tracks spread across 1850-2150.
    #[test]
    fn interpolation_follows_the_ephemeris() {
        let mut worst: f64 = 0.0;
        // 1850-01-01 plus 64 steps of 1717.3 days (not a multiple of any lunar period).
        for k in 0..64 {
            let start = Timestamp::from_second(-3_786_825_600 + k * 148_374_720).unwrap();
            let track = Track::starting(start).unwrap();
            for step in 1..25 {
                let s = TRACK_SPAN_DAYS * f64::from(step) / 25.0;
                let full = Luminaries::at(&Moment::from_timestamp(start + seconds(s * SECONDS_PER_DAY))).unwrap();
                for limb in [Limb::Tithi, Limb::Nakshatra, Limb::Yoga] {
                    worst = worst.max(arcsec(track.angle(limb, s).0, full.angle(limb)));
                }
            }
        }
        assert!(worst < INTERPOLATION_ERROR_ARCSEC, "{worst}″");
    }

    #[test]
    fn hermite_reproduces_a_quintic() {
        let f = |x: f64| 1.0 - 2.0 * x + 0.5 * x.powi(3) - 0.25 * x.powi(5);
        let df = |x: f64| -2.0 + 1.5 * x * x - 1.25 * x.powi(4);
        let h = Hermite::new(&[0.0, 0.6, 1.3], &[f(0.0), f(0.6), f(1.3)], &[df(0.0), df(0.6), df(1.3)]);
        for x in [0.0, 0.1, 0.77, 1.3, 1.5] {
            let (value, rate) = h.value_and_rate(x);
            assert!((value - f(x)).abs() < 1e-12 && (rate - df(x)).abs() < 1e-11, "{x}");
        }
    }

    #[test]
    fn ends_fall_on_the_first_second_of_the_next_limb() {
        let instant: Timestamp = "2026-03-10T07:11:00Z".parse().unwrap();
        let limbs = limbs_at(instant).unwrap();
        for (limb, end) in [
            (Limb::Tithi, limbs.tithi_ends_at),
            (Limb::Nakshatra, limbs.nakshatra_ends_at),
            (Limb::Yoga, limbs.yoga_ends_at),
            (Limb::Karana, limbs.karana_ends_at),
        ] {
            let index = |ts: Timestamp| Luminaries::at(&Moment::from_timestamp(ts)).unwrap().index(limb);
            let before = end - SignedDuration::from_secs(1);
            assert_eq!(index(before), limbs.luminaries.index(limb), "{limb:?} still holds a second before {end}");
            assert_eq!(index(end), (limbs.luminaries.index(limb) + 1) % limb.count(), "{limb:?} at {end}");
        }
    }

    #[test]
    fn indices_stay_in_range_at_the_edges() {
        assert_eq!(arc_index(359.999_999_999_999_9, 12.0, 30), 29);
        assert_eq!(arc_index(0.0, NAKSHATRA_SPAN_DEG, 27), 0);
        assert_eq!(arc_index(f64::NAN, 6.0, 60), 0);
    }
}
