//! Polynomials in time, the form of most astronomical expressions (precession angles, mean
//! elements, Laskar's P and Q): coefficients lowest power first, evaluated by Horner's rule.

/// `c[0] + c[1]·t + c[2]·t² + …`
pub(crate) fn value(c: &[f64], t: f64) -> f64 {
    c.iter().rev().fold(0.0, |acc, &k| acc * t + k)
}

/// The derivative `c[1] + 2·c[2]·t + 3·c[3]·t² + …`
pub(crate) fn rate(c: &[f64], t: f64) -> f64 {
    c.iter().enumerate().skip(1).rev().fold(0.0, |acc, (i, &k)| acc * t + i as f64 * k)
}

#[cfg(test)]
mod tests {
    #[test]
    fn value_and_rate_of_a_cubic() {
        let c = [1.0, -2.0, 0.5, 3.0];
        let t = 1.5;
        assert_eq!(super::value(&c, t), 1.0 - 3.0 + 0.5 * 2.25 + 3.0 * 3.375);
        assert_eq!(super::rate(&c, t), -2.0 + 1.5 + 9.0 * 2.25);
    }
}
