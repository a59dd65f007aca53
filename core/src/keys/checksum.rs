//! The key checksum: CRC-32 of the prefix and body, written as 6 base62 digits.
//!
//! Why CRC-32 (`docs/keys.md` has the longer story): it is not a security control (anyone can
//! compute it) but a filter that refuses typos, truncations and random guesses before any lookup.
//! For that job a CRC has what a truncated hash lacks, a guarantee: every error confined to 32
//! consecutive bits is caught, so every single-character change and every swap of two neighbours
//! is refused, always, not with high probability. It is the checksum GitHub's token format uses,
//! and the `crc` crate computes it in pure Rust from a table built at compile time, so it builds
//! for wasm32 and is already in the workspace's lock file.

use crc::{CRC_32_ISO_HDLC, Crc};

use super::base62;

/// The number of base62 digits the checksum takes.
pub(super) const LEN: usize = 6;

// Six digits hold every CRC-32 value, so writing one loses nothing: two different checksums are
// always two different texts.
const _: () = assert!(62u64.pow(LEN as u32) > u32::MAX as u64);

/// CRC-32/ISO-HDLC, the one of zlib, PNG and Ethernet (check value `0xCBF43926`).
static CRC_32: Crc<u32> = Crc::<u32>::new(&CRC_32_ISO_HDLC);

/// The checksum text of `covered` (the key's prefix and body).
pub(super) fn of(covered: &[u8]) -> [u8; LEN] {
    let mut number = CRC_32.checksum(covered).to_be_bytes();
    let mut digits = [0; LEN];
    base62::write_low_digits(&mut number, &mut digits);
    digits
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_crc_is_the_standard_crc_32() {
        assert_eq!(CRC_32.checksum(b"123456789"), 0xCBF4_3926);
        // 0xCBF43926 written in base62.
        assert_eq!(&of(b"123456789"), b"3jZRME");
    }

    #[test]
    fn small_crcs_are_zero_padded() {
        // CRC-32 of no bytes is 0.
        assert_eq!(&of(b""), b"000000");
    }
}
