//! Base62 digits: `0-9`, `A-Z`, `a-z`, in ASCII order, so that digit strings of one length sort
//! like the numbers they write. Letters and digits only: a key survives double-click selection,
//! URLs, shells and headers without quoting.

/// The 62 digits, the value of each being its index.
pub(super) const ALPHABET: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// Whether `byte` is one of the [`ALPHABET`]'s digits.
pub(super) const fn is_digit(byte: u8) -> bool {
    byte.is_ascii_alphanumeric()
}

/// Writes `number mod 62^out.len()` into `out` as base62 digits, most significant first and
/// zero-padded, where `number` is a big-endian unsigned integer of any width. `number` is used
/// as scratch space: it is divided by 62 once per digit.
///
/// This is schoolbook long division, one pass per digit (32 passes over 64 bytes for a key body:
/// about two thousand small divisions, once per key created). It needs no big-integer crate and
/// runs in time that depends only on the lengths, never on the value.
pub(super) fn write_low_digits(number: &mut [u8], out: &mut [u8]) {
    for slot in out.iter_mut().rev() {
        let mut remainder = 0u16;
        for byte in number.iter_mut() {
            let dividend = (remainder << 8) | u16::from(*byte);
            // remainder < 62, so dividend < 62 * 256 and the quotient fits in a byte.
            *byte = (dividend / 62) as u8;
            remainder = dividend % 62;
        }
        *slot = ALPHABET[usize::from(remainder)];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digits(mut number: Vec<u8>, count: usize) -> String {
        let mut out = vec![0; count];
        write_low_digits(&mut number, &mut out);
        String::from_utf8(out).expect("base62 digits are ASCII")
    }

    #[test]
    fn small_numbers_are_written_zero_padded() {
        assert_eq!(digits(vec![0], 3), "000");
        assert_eq!(digits(vec![61], 3), "00z");
        assert_eq!(digits(vec![62], 3), "010");
        // 0x0F0B = 3851 = 62^2 + 7.
        assert_eq!(digits(vec![0x0F, 0x0B], 3), "107");
        // 3843 = 62^2 - 1, the largest two-digit number.
        assert_eq!(digits(3843u16.to_be_bytes().to_vec(), 2), "zz");
        assert_eq!(digits(3844u16.to_be_bytes().to_vec(), 3), "100");
    }

    #[test]
    fn only_the_low_digits_are_kept() {
        // 3844 = 62^2: its two low digits are zero.
        assert_eq!(digits(3844u16.to_be_bytes().to_vec(), 2), "00");
        assert_eq!(digits(u32::MAX.to_be_bytes().to_vec(), 6), "4gfFC3");
    }

    #[test]
    fn a_wide_number_matches_an_independent_big_integer_conversion() {
        // Python: int.from_bytes(bytes(range(64)), "big") % 62**32, written in this alphabet.
        let number: Vec<u8> = (0..64).collect();
        assert_eq!(digits(number, 32), "bKLaMqUiIawolD691iK8Ufvf9Ncn7q8d");
    }

    #[test]
    fn the_alphabet_is_the_letters_and_digits_in_ascii_order() {
        assert!(ALPHABET.is_sorted());
        assert!(ALPHABET.iter().all(|&byte| is_digit(byte)));
        assert_eq!((0..=u8::MAX).filter(|&byte| is_digit(byte)).count(), ALPHABET.len());
    }
}
