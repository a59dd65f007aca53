//! The mean ascending node of the Moon.

/// Longitude of the mean ascending node on the mean ecliptic of date (degrees, not yet reduced to
/// [0, 360)) and its rate in degrees per day, at `t` Julian centuries of TT from J2000.
/// Chapront et al. (1998) via Meeus, Astronomical Algorithms, eq. 47.7.
pub(crate) fn mean_node(t: f64) -> (f64, f64) {
    const C: [f64; 5] = [125.044_547_9, -1_934.136_289_1, 0.002_075_4, 1.0 / 467_441.0, -1.0 / 60_616_000.0];
    (super::polynomial::value(&C, t), super::polynomial::rate(&C, t) / 36_525.0)
}

#[cfg(test)]
mod tests {
    /// The mean node regresses once in 18.6 years: about −0.05295° a day.
    #[test]
    fn mean_node_regresses() {
        let (longitude, rate) = super::mean_node(0.0);
        assert!((longitude - 125.044_547_9).abs() < 1e-12);
        assert!((rate + 0.052_954).abs() < 1e-5, "{rate}");
    }
}
