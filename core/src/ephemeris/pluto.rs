//! Heliocentric Pluto, 1800–2200, from a Chebyshev fit to JPL's DE422.
//!
//! VSOP87 has no Pluto, and Meeus's Pluto series only covers 1885–2099, so
//! `scripts/ephemeris-data/gen_pluto.py` fits DE422 (public domain, NASA/JPL) and writes
//! [`super::pluto_table`]. The position is Pluto's system barycentre minus the Sun, in the ICRF
//! equatorial frame (the table is not frame-biased: ICRF and the mean equator and equinox of
//! J2000.0 differ by the frame bias, about 0.02″), AU, with the argument taken as TT (DE422 runs
//! on TDB; TDB − TT < 2 ms moves Pluto by < 1e-11 AU).
//!
//! The heliocentric path carries the Sun's reflex wobble, whose fast part (Mercury, Venus, the
//! Earth–Moon barycentre and Mars: up to 3.6e-6 AU with periods of 88–687 days) would need short
//! segments. So the fit is split: `position = reflex(t) + chebyshev(t)`, where `reflex` is
//! `Σ (GM_i / GM_sun) · r_i(t)` over those four bodies with `r_i` from Kepler orbits (constants in
//! the table) and the Chebyshev series, 4096-day segments of degree 20, fits the smooth rest.
//! Measured against DE422 every 0.25 day: max position error 3.9e-10 AU (3e-6″ at Pluto's
//! distance), velocity 8e-12 AU/day. Each segment is constrained to DE422's position and velocity
//! at both ends, so position and velocity are continuous across boundaries.
//!
//! Against the Swiss Ephemeris (whose files come from DE431) the difference is not the fit's
//! but the ephemerides': DE422's and DE431's Pluto agree near 2000 and drift apart smoothly,
//! seen from the Sun 0.24″ median, ≤ 0.46″ over 1885–2099 and 1.26″ at 2200.

use super::pluto_table::{
    PLUTO_CHEB, PLUTO_NCOEF, PLUTO_SEGMENT_DAYS, PLUTO_SEGMENTS, PLUTO_START_JD, REFLEX_BODIES, REFLEX_OBLIQUITY_RAD,
};
use super::state::StateVector;

/// The interval of JD TT, both ends included, in which [`heliocentric_equatorial`] answers.
/// It runs from 1799-12-16 to 2203-09-06 (TT): 1800-01-01 .. 2201-01-01 with a little margin.
pub(crate) const PLUTO_VALID_JD_TT: (f64, f64) =
    (PLUTO_START_JD, PLUTO_START_JD + PLUTO_SEGMENT_DAYS * PLUTO_SEGMENTS as f64);

const J2000_JD: f64 = 2_451_545.0;
const DAYS_PER_CENTURY: f64 = 36_525.0;

/// Heliocentric position (AU) and velocity (AU/day) of Pluto's system barycentre, ICRF
/// equatorial, at `jd_tt`; `None` outside [`PLUTO_VALID_JD_TT`] or for a non-finite date.
pub(crate) fn heliocentric_equatorial(jd_tt: f64) -> Option<StateVector> {
    let (first, last) = PLUTO_VALID_JD_TT;
    // Written so that NaN fails the test too.
    if !(jd_tt >= first && jd_tt <= last) {
        return None;
    }
    let offset = jd_tt - first;
    // The last instant belongs to the last segment (x = +1).
    let index = ((offset / PLUTO_SEGMENT_DAYS).floor() as usize).min(PLUTO_SEGMENTS - 1);
    let start = index as f64 * PLUTO_SEGMENT_DAYS;
    let x = (2.0 * (offset - start) / PLUTO_SEGMENT_DAYS - 1.0).clamp(-1.0, 1.0);
    let smooth = segment_state(index, x)?;
    let wobble = reflex(jd_tt);
    Some(StateVector {
        position_au: add(smooth.position_au, wobble.position_au),
        velocity_au_per_day: add(smooth.velocity_au_per_day, wobble.velocity_au_per_day),
    })
}

/// The Chebyshev part on segment `index` at normalised time `x` in [−1, 1].
fn segment_state(index: usize, x: f64) -> Option<StateVector> {
    let segment = PLUTO_CHEB.get(index)?;
    let scale = 2.0 / PLUTO_SEGMENT_DAYS; // dx/dt
    let mut position_au = [0.0; 3];
    let mut velocity_au_per_day = [0.0; 3];
    for axis in 0..3 {
        let (value, derivative) = clenshaw(&segment[axis], x);
        position_au[axis] = value;
        velocity_au_per_day[axis] = derivative * scale;
    }
    Some(StateVector { position_au, velocity_au_per_day })
}

/// Σ c_k T_k(x) and its derivative with respect to x, by Clenshaw's recurrence and its
/// derivative (b_k = c_k + 2x b_{k+1} − b_{k+2}, d_k = 2 b_{k+1} + 2x d_{k+1} − d_{k+2}).
fn clenshaw(coefficients: &[f64; PLUTO_NCOEF], x: f64) -> (f64, f64) {
    let two_x = 2.0 * x;
    let (mut b1, mut b2) = (0.0_f64, 0.0_f64); // b_{k+1}, b_{k+2}
    let (mut d1, mut d2) = (0.0_f64, 0.0_f64); // d_{k+1}, d_{k+2}
    for &c in coefficients[1..].iter().rev() {
        let d0 = 2.0 * b1 + two_x * d1 - d2;
        let b0 = c + two_x * b1 - b2;
        (b2, b1) = (b1, b0);
        (d2, d1) = (d1, d0);
    }
    // Now b1 = b_1, b2 = b_2, d1 = d_1, d2 = d_2.
    let value = coefficients[0] + x * b1 - b2;
    let derivative = b1 + x * d1 - d2;
    (value, derivative)
}

/// The Sun's fast reflex as seen in heliocentric coordinates: Σ μ_i r_i over the bodies in
/// [`REFLEX_BODIES`]. Mirrors `kepler_state` in gen_pluto.py, so that the table's remainder and
/// this model add up to DE422.
fn reflex(jd_tt: f64) -> StateVector {
    let mut position_au = [0.0; 3];
    let mut velocity_au_per_day = [0.0; 3];
    for (mu, elements, rates) in REFLEX_BODIES.iter() {
        let (p, v) = kepler_equatorial(elements, rates, jd_tt);
        for axis in 0..3 {
            position_au[axis] += mu * p[axis];
            velocity_au_per_day[axis] += mu * v[axis];
        }
    }
    StateVector { position_au, velocity_au_per_day }
}

/// Heliocentric equatorial position (AU) and velocity (AU/day) of a Kepler orbit with mean
/// elements `a, e, I, L, ϖ, Ω` (AU, –, degrees; J2000 ecliptic) and their rates per century.
/// The velocity follows the mean anomaly only (the slow turning of the orbit, < 2e-7 AU/day for
/// these bodies, is left out, as in the generator; weighted by μ ≤ 3e-6 it is negligible).
fn kepler_equatorial(elements: &[f64; 6], rates: &[f64; 6], jd_tt: f64) -> ([f64; 3], [f64; 3]) {
    let t = (jd_tt - J2000_JD) / DAYS_PER_CENTURY;
    let el = |i: usize| elements[i] + rates[i] * t;
    let a = el(0);
    let e = el(1);
    let inclination = el(2).to_radians();
    let mean_longitude = el(3).to_radians();
    let perihelion = el(4).to_radians();
    let node = el(5).to_radians();
    let mean_motion = (rates[3] - rates[4]).to_radians() / DAYS_PER_CENTURY; // rad/day
    let mean_anomaly = (mean_longitude - perihelion).rem_euclid(core::f64::consts::TAU);
    let argument_of_perihelion = perihelion - node;

    let mut ecc_anomaly = mean_anomaly + e * mean_anomaly.sin();
    for _ in 0..6 {
        ecc_anomaly -= (ecc_anomaly - e * ecc_anomaly.sin() - mean_anomaly) / (1.0 - e * ecc_anomaly.cos());
    }
    let (s_e, c_e) = ecc_anomaly.sin_cos();
    let b = (1.0 - e * e).sqrt();
    let xp = a * (c_e - e);
    let yp = a * b * s_e;
    let e_dot = mean_motion / (1.0 - e * c_e);
    let vxp = -a * s_e * e_dot;
    let vyp = a * b * c_e * e_dot;

    let (so, co) = argument_of_perihelion.sin_cos();
    let (sn, cn) = node.sin_cos();
    let (si, ci) = inclination.sin_cos();
    let p = [co * cn - so * sn * ci, co * sn + so * cn * ci, so * si];
    let q = [-so * cn - co * sn * ci, -so * sn + co * cn * ci, co * si];
    let (se, ce) = REFLEX_OBLIQUITY_RAD.sin_cos();
    let to_equatorial = |u: f64, v: f64| {
        let x = p[0] * u + q[0] * v;
        let y = p[1] * u + q[1] * v;
        let z = p[2] * u + q[2] * v;
        [x, ce * y - se * z, se * y + ce * z]
    };
    (to_equatorial(xp, yp), to_equatorial(vxp, vyp))
}

fn add(a: [f64; 3], b: [f64; 3]) -> [f64; 3] {
    [a[0] + b[0], a[1] + b[1], a[2] + b[2]]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// DE422 heliocentric Pluto (system barycentre − Sun), ICRF, AU and AU/day, straight from
    /// DE422 (not from the fit), as printed by `scripts/ephemeris-data/gen_pluto.py`.
    #[rustfmt::skip]
    const DE422_CHECKS: [(f64, [f64; 3], [f64; 3]); 6] = [
        // 1800-01-01T00 TT
        (2378496.5, [36.32749783848799, -11.854783579496994, -14.64093582465371],
            [0.0015114761633102463, 0.002148035527539815, 0.00021231373968453465]),
        // 1900-01-01T12 TT
        (2415021.0, [10.29603210274452, 44.52855857360542, 10.789167733606698],
            [-0.002160998536650687, -4.848087657379901e-05, 0.0006375600299359801]),
        // J2000.0
        (2451545.0, [-9.875354161483463, -27.978869011531877, -5.7536908106789175],
            [0.003028750953862692, -0.0011275923204500913, -0.0012651295363913777]),
        // 1991-08-13T08:01 TT
        (2448481.834027778, [-18.512469607188326, -23.137535942120792, -1.6435194630717207],
            [0.002543267737055265, -0.0020141901245662244, -0.001396075529456608]),
        // 2100-03-01T06 TT
        (2488128.75, [39.61707473563007, 28.57676580617764, -3.020471986865107],
            [-0.0009848858425271759, 0.0017061289542326247, 0.000828891562640906]),
        // 2200-12-31T18 TT
        (2524958.25, [-27.832756425514695, 17.289951797132886, 13.78512719029708],
            [-0.0010994616101799221, -0.00276213975040009, -0.0005303622158300589]),
    ];

    fn distance(a: [f64; 3], b: [f64; 3]) -> f64 {
        ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2) + (a[2] - b[2]).powi(2)).sqrt()
    }

    #[test]
    fn matches_de422_check_values() {
        for (jd, position, velocity) in DE422_CHECKS {
            let state = heliocentric_equatorial(jd).expect("inside the table");
            let dp = distance(state.position_au, position);
            let dv = distance(state.velocity_au_per_day, velocity);
            assert!(dp < 1e-8, "JD {jd}: position off by {dp:e} AU");
            assert!(dv < 1e-10, "JD {jd}: velocity off by {dv:e} AU/day");
        }
    }

    #[test]
    fn continuous_across_segment_boundaries() {
        for index in 1..PLUTO_SEGMENTS {
            let before = segment_state(index - 1, 1.0).expect("segment exists");
            let after = segment_state(index, -1.0).expect("segment exists");
            let dp = distance(before.position_au, after.position_au);
            let dv = distance(before.velocity_au_per_day, after.velocity_au_per_day);
            assert!(dp < 1e-9, "boundary {index}: position jumps by {dp:e} AU");
            assert!(dv < 1e-9, "boundary {index}: velocity jumps by {dv:e} AU/day");

            // And through the public function, a hair either side of the boundary: the step
            // must be the velocity times the interval.
            let jd = PLUTO_START_JD + index as f64 * PLUTO_SEGMENT_DAYS;
            let h = 1e-3;
            let left = heliocentric_equatorial(jd - h).expect("inside");
            let right = heliocentric_equatorial(jd + h).expect("inside");
            for axis in 0..3 {
                let step = right.position_au[axis] - left.position_au[axis];
                let predicted = 2.0 * h * left.velocity_au_per_day[axis];
                assert!((step - predicted).abs() < 1e-9, "boundary {index} axis {axis}");
            }
        }
    }

    #[test]
    fn velocity_is_the_derivative_of_position() {
        let (first, last) = PLUTO_VALID_JD_TT;
        let h = 0.5;
        let mut jd = first + 1.0;
        while jd < last - 1.0 {
            let s = heliocentric_equatorial(jd).expect("inside");
            let p = heliocentric_equatorial(jd + h).expect("inside").position_au;
            let m = heliocentric_equatorial(jd - h).expect("inside").position_au;
            for axis in 0..3 {
                let numeric = (p[axis] - m[axis]) / (2.0 * h);
                let diff = (numeric - s.velocity_au_per_day[axis]).abs();
                assert!(diff < 1e-10, "JD {jd} axis {axis}: {diff:e} AU/day");
            }
            jd += 97.3;
        }
    }

    #[test]
    fn covers_1800_to_2200_and_refuses_outside() {
        let (first, last) = PLUTO_VALID_JD_TT;
        assert!(first < 2_378_496.5 - 1.0, "must start before 1800-01-01");
        assert!(last > 2_524_958.5 + 1.0, "must end after 2201-01-01");
        assert!(heliocentric_equatorial(first).is_some());
        assert!(heliocentric_equatorial(last).is_some());
        assert!(heliocentric_equatorial(first - 1e-6).is_none());
        assert!(heliocentric_equatorial(last + 1e-6).is_none());
        assert!(heliocentric_equatorial(f64::NAN).is_none());
        assert!(heliocentric_equatorial(f64::INFINITY).is_none());
        assert!(heliocentric_equatorial(f64::NEG_INFINITY).is_none());
        assert!(heliocentric_equatorial(0.0).is_none());
    }

    #[test]
    fn distance_stays_on_plutos_orbit() {
        let (first, last) = PLUTO_VALID_JD_TT;
        let mut jd = first;
        while jd <= last {
            let r = heliocentric_equatorial(jd).expect("inside").distance_au();
            assert!((29.5..49.5).contains(&r), "JD {jd}: r = {r} AU");
            jd += 50.0;
        }
    }
}
