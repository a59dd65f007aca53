//! The four cycles and everything that follows from a whole number of days alive.
//!
//! A cycle of period P has value sin(2π·(d mod P)/P) on day d of life. Its zero crossings fall at
//! d = k·P/2 and its peak at d = P/4 (mod P); for odd P these land between two days, which is why
//! the checks below compare doubled or quadrupled day counts, in integers, with P.

use serde::Serialize;

/// One biorhythm cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Cycle {
    Physical,
    Emotional,
    Intellectual,
    Intuitive,
}

impl Cycle {
    /// All four, primary cycles first.
    pub const ALL: [Cycle; 4] = [Cycle::Physical, Cycle::Emotional, Cycle::Intellectual, Cycle::Intuitive];

    /// The three cycles whose zero crossings make a day critical.
    pub const PRIMARY: [Cycle; 3] = [Cycle::Physical, Cycle::Emotional, Cycle::Intellectual];

    /// The cycle's length in days.
    pub const fn period_days(self) -> u32 {
        match self {
            Cycle::Physical => 23,
            Cycle::Emotional => 28,
            Cycle::Intellectual => 33,
            Cycle::Intuitive => 38,
        }
    }

    pub const fn name(self) -> &'static str {
        match self {
            Cycle::Physical => "physical",
            Cycle::Emotional => "emotional",
            Cycle::Intellectual => "intellectual",
            Cycle::Intuitive => "intuitive",
        }
    }

    /// Where day `days_alive` falls in the cycle, 0 to period − 1 (0 = the upward zero crossing).
    pub const fn day_in_cycle(self, days_alive: u32) -> u32 {
        days_alive % self.period_days()
    }

    /// sin(2π·(d mod P)/P), evaluated on the equivalent angle in [0, π/2] so that the crossings are
    /// exactly 0 and the two halves of the cycle exact mirrors of each other.
    pub fn value(self, days_alive: u32) -> f64 {
        let p = self.period_days();
        // Twice the day in cycle, so that angle = π·half_turns/P.
        let mut half_turns = 2 * self.day_in_cycle(days_alive);
        let mut sign = 1.0;
        if half_turns > p {
            // sin(θ + π) = −sin θ
            half_turns -= p;
            sign = -1.0;
        }
        if 2 * half_turns > p {
            // sin(π − θ) = sin θ
            half_turns = p - half_turns;
        }
        // `+ 0.0` turns −0.0 into 0.0.
        sign * (std::f64::consts::PI * f64::from(half_turns) / f64::from(p)).sin() + 0.0
    }

    /// Whether day `days_alive` lies within one day (inclusive) of a zero crossing of this cycle:
    /// |d − k·P/2| ≤ 1 for some k, that is |2d − k·P| ≤ 2.
    pub const fn is_critical(self, days_alive: u32) -> bool {
        let p = self.period_days();
        let m = (2 * self.day_in_cycle(days_alive)) % p;
        m <= 2 || m >= p - 2
    }

    /// Whether day `days_alive` is a peak day: the day (or, when P/4 falls halfway, the two days)
    /// nearest the maximum at P/4.
    pub const fn is_peak(self, days_alive: u32) -> bool {
        self.nearest_day_to(days_alive, 1)
    }

    /// Whether day `days_alive` is a trough day, nearest the minimum at 3P/4.
    pub const fn is_trough(self, days_alive: u32) -> bool {
        self.nearest_day_to(days_alive, 3)
    }

    /// Whether the day in cycle r is the nearest whole day (or one of two equally near) to
    /// `quarters`·P/4: |4r − quarters·P| as small as any day's can be.
    const fn nearest_day_to(self, days_alive: u32, quarters: u32) -> bool {
        let target = quarters * self.period_days();
        let off = (target % 4) as i64;
        let best = if off < 4 - off { off } else { 4 - off };
        (4 * self.day_in_cycle(days_alive) as i64 - target as i64).abs() == best
    }

    /// Which way the curve is heading on day `days_alive`.
    pub const fn phase(self, days_alive: u32) -> Phase {
        let p = self.period_days();
        let quarter_turns = 4 * self.day_in_cycle(days_alive);
        if self.is_peak(days_alive) {
            Phase::Peak
        } else if self.is_trough(days_alive) {
            Phase::Trough
        } else if quarter_turns < p || quarter_turns > 3 * p {
            Phase::Rising
        } else {
            Phase::Falling
        }
    }

    /// Days from `days_alive` to the next peak day, 0 when it is one.
    pub fn days_to_peak(self, days_alive: u32) -> u32 {
        self.days_until(days_alive, Cycle::is_peak)
    }

    /// Days from `days_alive` to the next critical day of this cycle, 0 when it is one.
    pub fn days_to_critical(self, days_alive: u32) -> u32 {
        self.days_until(days_alive, Cycle::is_critical)
    }

    /// The first k in 0..P with `test(d + k)`; every test used here holds at least once a cycle,
    /// and it depends on d mod P only, so counting from the day in cycle cannot overflow.
    fn days_until(self, days_alive: u32, test: fn(Cycle, u32) -> bool) -> u32 {
        let start = self.day_in_cycle(days_alive);
        (0..self.period_days()).find(|k| test(self, start + k)).unwrap_or(0)
    }
}

/// Which way a cycle is heading: up from its trough, at its peak, down from its peak, at its trough.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Phase {
    Rising,
    Peak,
    Falling,
    Trough,
}

impl Phase {
    pub const fn name(self) -> &'static str {
        match self {
            Phase::Rising => "rising",
            Phase::Peak => "peak",
            Phase::Falling => "falling",
            Phase::Trough => "trough",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_follow_the_sine_formula() {
        for cycle in Cycle::ALL {
            let p = f64::from(cycle.period_days());
            for d in 0..200 {
                let direct = (std::f64::consts::TAU * f64::from(d % cycle.period_days()) / p).sin();
                assert!((cycle.value(d) - direct).abs() < 1e-12, "{cycle:?} day {d}");
            }
        }
    }

    #[test]
    fn crossings_are_exactly_zero() {
        assert_eq!(Cycle::Emotional.value(14), 0.0);
        assert_eq!(Cycle::Emotional.value(28).to_bits(), 0.0f64.to_bits());
        assert_eq!(Cycle::Emotional.value(21), -1.0);
    }

    #[test]
    fn critical_days_sit_around_each_crossing() {
        let critical = |cycle: Cycle| (0..cycle.period_days()).filter(|&r| cycle.is_critical(r)).collect::<Vec<_>>();
        // Crossings at 0 and 11.5: days 22, 0, 1 and 11, 12.
        assert_eq!(critical(Cycle::Physical), [0, 1, 11, 12, 22]);
        // Crossings at 0 and 14.
        assert_eq!(critical(Cycle::Emotional), [0, 1, 13, 14, 15, 27]);
        assert_eq!(critical(Cycle::Intellectual), [0, 1, 16, 17, 32]);
    }

    #[test]
    fn peaks_are_the_days_nearest_a_quarter_cycle() {
        let peaks = |cycle: Cycle| (0..cycle.period_days()).filter(|&r| cycle.is_peak(r)).collect::<Vec<_>>();
        assert_eq!(peaks(Cycle::Physical), [6]);
        assert_eq!(peaks(Cycle::Emotional), [7]);
        assert_eq!(peaks(Cycle::Intellectual), [8]);
        assert_eq!(peaks(Cycle::Intuitive), [9, 10]);
        assert_eq!(Cycle::Physical.days_to_peak(7), 22);
        assert_eq!(Cycle::Intuitive.days_to_peak(10), 0);
    }

    #[test]
    fn phases_go_round_in_order() {
        let phases: Vec<Phase> = (0..23).map(|d| Cycle::Physical.phase(d)).collect();
        assert_eq!(phases[0], Phase::Rising);
        assert_eq!(phases[6], Phase::Peak);
        assert_eq!(phases[7], Phase::Falling);
        assert_eq!(phases[17], Phase::Trough);
        assert_eq!(phases[18], Phase::Rising);
    }
}
