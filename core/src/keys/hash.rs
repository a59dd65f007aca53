//! The stored form of a key: its SHA-256.

use std::fmt::{self, Write as _};
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use subtle::ConstantTimeEq;

use super::KeyAttributeError;

/// The SHA-256 of an API key ([`ApiKey::hash`](super::ApiKey::hash)): the only form of a key the
/// database, the allow-list and the bootstrap setting hold. Written as 64 lowercase hex
/// characters (`Display`, serde); read back with [`KeyHash::from_hex`] (either case).
///
/// Equality is constant time (the `subtle` crate, pure Rust, builds for wasm32), so comparing a
/// presented key's hash with a stored one reveals nothing through timing about how many bytes
/// agree. That is defence in depth rather than the main wall: a hash map or a database index
/// finding the hash is not constant time, and needs not be, because knowing bytes of the SHA-256
/// of a 190-bit random secret does not help anyone find the secret.
///
/// ```
/// use noesis_core::keys::{ApiKey, KeyHash};
///
/// let key = ApiKey::parse("nk_live_bKLaMqUiIawolD691iK8Ufvf9Ncn7q8d0b1Llq").unwrap();
/// let stored = key.hash().to_string();
/// assert_eq!(stored, "c94d03b3e34b47fe9289be1b5d6d7f5e03b23dd4f473686e123252d503b9c690");
/// assert_eq!(KeyHash::from_hex(&stored).unwrap(), key.hash());
/// ```
#[derive(Clone, Copy)]
pub struct KeyHash([u8; 32]);

impl KeyHash {
    /// The hash whose 32 bytes are `bytes`.
    pub const fn from_bytes(bytes: [u8; 32]) -> KeyHash {
        KeyHash(bytes)
    }

    /// The 32 bytes of the digest.
    pub const fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// Reads a hash written as 64 hex characters, as stored (lowercase) or as some tools print it
    /// (uppercase).
    ///
    /// ```
    /// use noesis_core::keys::KeyHash;
    ///
    /// let upper = "C94D03B3E34B47FE9289BE1B5D6D7F5E03B23DD4F473686E123252D503B9C690";
    /// assert_eq!(KeyHash::from_hex(upper).unwrap().to_string(), upper.to_ascii_lowercase());
    /// assert!(KeyHash::from_hex("c94d").is_err());
    /// ```
    pub fn from_hex(text: &str) -> Result<KeyHash, KeyAttributeError> {
        let text = text.as_bytes();
        if text.len() != 64 {
            return Err(KeyAttributeError::KeyHash);
        }
        let mut bytes = [0; 32];
        for (byte, pair) in bytes.iter_mut().zip(text.chunks_exact(2)) {
            let (Some(high), Some(low)) = (hex_value(pair[0]), hex_value(pair[1])) else {
                return Err(KeyAttributeError::KeyHash);
            };
            *byte = (high << 4) | low;
        }
        Ok(KeyHash(bytes))
    }
}

fn hex_value(digit: u8) -> Option<u8> {
    char::from(digit).to_digit(16).and_then(|value| u8::try_from(value).ok())
}

/// Constant time in the bytes' values (see the type's documentation).
impl PartialEq for KeyHash {
    fn eq(&self, other: &KeyHash) -> bool {
        self.0.ct_eq(&other.0).into()
    }
}

impl Eq for KeyHash {}

// Written by hand because `PartialEq` is: the two must agree, and they do, both being over the
// 32 bytes.
impl Hash for KeyHash {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.hash(state);
    }
}

/// 64 lowercase hex characters.
impl fmt::Display for KeyHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|byte| write!(f, "{byte:02x}"))
    }
}

/// The first 8 hex characters and `…`: enough to tell hashes apart in a log line.
impl fmt::Debug for KeyHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut short = String::with_capacity(12);
        self.0[..4].iter().try_for_each(|byte| write!(short, "{byte:02x}"))?;
        write!(f, "KeyHash(\"{short}…\")")
    }
}

impl FromStr for KeyHash {
    type Err = KeyAttributeError;

    fn from_str(text: &str) -> Result<KeyHash, KeyAttributeError> {
        KeyHash::from_hex(text)
    }
}

impl Serialize for KeyHash {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for KeyHash {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<KeyHash, D::Error> {
        let text = String::deserialize(deserializer)?;
        KeyHash::from_hex(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips_and_debug_is_short() {
        let hash = KeyHash::from_bytes(std::array::from_fn(|i| i as u8 * 7));
        let hex = hash.to_string();
        assert_eq!(hex.len(), 64);
        assert_eq!(hex.parse::<KeyHash>().unwrap(), hash);
        assert_eq!(format!("{hash:?}"), "KeyHash(\"00070e15…\")");
    }

    #[test]
    fn equality_sees_every_byte() {
        let hash = KeyHash::from_bytes([9; 32]);
        for i in 0..32 {
            let mut bytes = [9; 32];
            bytes[i] ^= 1;
            assert_ne!(KeyHash::from_bytes(bytes), hash);
        }
    }

    #[test]
    fn malformed_hex_is_refused() {
        let valid = "00".repeat(32);
        assert!(KeyHash::from_hex(&valid).is_ok());
        assert_eq!(KeyHash::from_hex(&valid[1..]), Err(KeyAttributeError::KeyHash));
        assert_eq!(KeyHash::from_hex(&format!("g{}", &valid[1..])), Err(KeyAttributeError::KeyHash));
        assert_eq!(KeyHash::from_hex(&format!("+{}", &valid[1..])), Err(KeyAttributeError::KeyHash));
        assert_eq!(KeyHash::from_hex(&format!("é{}", &valid[2..])), Err(KeyAttributeError::KeyHash));
    }

    #[test]
    fn serde_writes_the_hex_text() {
        let hash = KeyHash::from_bytes([0xAB; 32]);
        let json = serde_json::to_string(&hash).unwrap();
        assert_eq!(json, format!("\"{}\"", "ab".repeat(32)));
        assert_eq!(serde_json::from_str::<KeyHash>(&json).unwrap(), hash);
        assert!(serde_json::from_str::<KeyHash>("\"ab\"").is_err());
    }
}
