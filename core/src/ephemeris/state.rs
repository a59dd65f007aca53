//! Cartesian state vectors, the common currency between the body theories and the apparent-place
//! pipeline.
//!
//! Every theory (VSOP87 for the Earth, Mercury and Venus, Chebyshev fits to DE422 for Mars..Pluto,
//! ELP/MPP02 for the Moon) hands back a [`StateVector`] in the same frame: **equatorial, mean
//! equator and equinox of J2000.0 (FK5 ≈ ICRS to 0.02″), astronomical units and AU per day, TT**.
//! Keeping one frame means the apparent-place pipeline (light time, aberration, precession,
//! nutation) is written once.

/// Position and velocity of a body in the J2000 equatorial frame.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StateVector {
    /// Position in astronomical units.
    pub position_au: [f64; 3],
    /// Velocity in astronomical units per day (TT).
    pub velocity_au_per_day: [f64; 3],
}

impl StateVector {
    /// The state moved back in time by `dt_days` with a straight-line step, used for the light-time
    /// correction where the interval (at most hours) makes the curvature of the path negligible.
    pub fn extrapolate(&self, dt_days: f64) -> StateVector {
        let p = self.position_au;
        let v = self.velocity_au_per_day;
        StateVector {
            position_au: [p[0] + v[0] * dt_days, p[1] + v[1] * dt_days, p[2] + v[2] * dt_days],
            velocity_au_per_day: v,
        }
    }

    /// `self − other`, component by component (for example planet minus Earth).
    pub fn minus(&self, other: &StateVector) -> StateVector {
        let (p, q) = (self.position_au, other.position_au);
        let (v, w) = (self.velocity_au_per_day, other.velocity_au_per_day);
        StateVector {
            position_au: [p[0] - q[0], p[1] - q[1], p[2] - q[2]],
            velocity_au_per_day: [v[0] - w[0], v[1] - w[1], v[2] - w[2]],
        }
    }

    /// Distance from the origin of the frame, in AU.
    pub fn distance_au(&self) -> f64 {
        let p = self.position_au;
        (p[0] * p[0] + p[1] * p[1] + p[2] * p[2]).sqrt()
    }
}
