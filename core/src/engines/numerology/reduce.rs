//! Reduction: summing a number's digits until one digit, or a master number, is left.

/// The master numbers, which reduction keeps instead of summing further.
const MASTER_NUMBERS: [u32; 3] = [11, 22, 33];

/// Whether `n` is one of the master numbers 11, 22 and 33.
pub(super) fn is_master(n: u32) -> bool {
    MASTER_NUMBERS.contains(&n)
}

/// A number and every step of its reduction: `chain` starts at the number itself and ends at the
/// reduced value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Reduction {
    pub(super) chain: Vec<u32>,
}

impl Reduction {
    pub(super) fn value(&self) -> u32 {
        // The chain always holds at least the number it started from.
        self.chain.last().copied().unwrap_or_default()
    }
}

/// Reduces `n` digit by digit, keeping 11, 22 and 33: 1985 → 23 → 5, 38 → 11, 19 → 10 → 1.
pub(super) fn reduce(n: u32) -> Reduction {
    let mut chain = vec![n];
    let mut current = n;
    while current > 9 && !is_master(current) {
        current = digit_sum(current);
        chain.push(current);
    }
    Reduction { chain }
}

fn digit_sum(mut n: u32) -> u32 {
    let mut sum = 0;
    while n > 0 {
        sum += n % 10;
        n /= 10;
    }
    sum
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reduces_through_every_step() {
        assert_eq!(reduce(1985).chain, [1985, 23, 5]);
        assert_eq!(reduce(19).chain, [19, 10, 1]);
        assert_eq!(reduce(7).chain, [7]);
        assert_eq!(reduce(u32::MAX).value(), 3);
    }

    #[test]
    fn keeps_master_numbers_wherever_they_appear() {
        assert_eq!(reduce(38).chain, [38, 11]);
        assert_eq!(reduce(22).chain, [22]);
        assert_eq!(reduce(1966).chain, [1966, 22]);
        assert_eq!(reduce(6999).chain, [6999, 33]);
        assert_eq!(reduce(1992).chain, [1992, 21, 3]);
    }
}
