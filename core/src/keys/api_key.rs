//! The API key itself: its format, parsing without a lookup, and generation from the caller's
//! random bytes.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::hash::KeyHash;
use super::{base62, checksum};

const PREFIX_LEN: usize = 8;
const BODY_LEN: usize = 32;
const COVERED_LEN: usize = PREFIX_LEN + BODY_LEN;

/// Which world a key belongs to: its prefix says so, `nk_live_` or `nk_test_`, so that a test key
/// pasted into production (or a live key into a test suite) is recognisable at a glance and by
/// secret scanners.
///
/// ```
/// use noesis_core::keys::Environment;
/// assert_eq!(Environment::Live.prefix(), "nk_live_");
/// assert_eq!(serde_json::to_string(&Environment::Test).unwrap(), r#""test""#);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Environment {
    Live,
    Test,
}

impl Environment {
    /// The first 8 characters of every key of this environment.
    pub const fn prefix(self) -> &'static str {
        match self {
            Environment::Live => "nk_live_",
            Environment::Test => "nk_test_",
        }
    }

    /// The environment whose keys start like `text`, if any.
    fn of_prefix(text: &str) -> Option<Environment> {
        [Environment::Live, Environment::Test].into_iter().find(|environment| text.starts_with(environment.prefix()))
    }
}

/// Why a text is not an API key. The messages say what is wrong and never quote the text: it may
/// be a real key with one typo, or some other secret pasted in the wrong place. Every variant is
/// a 401 `UNAUTHORIZED` for the caller.
///
/// ```
/// use noesis_core::keys::{ApiKey, KeyFormatError};
///
/// let err = ApiKey::parse("nk_live_short").unwrap_err();
/// assert_eq!(err, KeyFormatError::Length { found: 13 });
/// assert_eq!(err.to_string(), "An API key is 46 characters long; this one has 13.");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum KeyFormatError {
    /// It does not start with `nk_live_` or `nk_test_`: not a Noesis key at all.
    #[error("An API key starts with nk_live_ or nk_test_; this one does not.")]
    Prefix,
    /// A character after the prefix is not a base62 digit (`0-9`, `A-Z`, `a-z`). `position`
    /// counts characters from 1, the prefix included.
    #[error("Character {position} of the API key is not a letter or digit (A-Z, a-z, 0-9).")]
    Alphabet { position: usize },
    /// It has the prefix and the alphabet but not the length: cut short or run on. `found` is
    /// its length in characters.
    #[error("An API key is {} characters long; this one has {found}.", ApiKey::LEN)]
    Length { found: usize },
    /// Its last 6 characters are not the checksum of the 40 before them: it was mistyped or
    /// altered, or made up.
    #[error("The API key's checksum does not match: it was mistyped, altered or made up.")]
    Checksum,
}

/// A well-formed API key: `nk_live_` or `nk_test_`, 32 random base62 characters, and a 6-character
/// base62 checksum (CRC-32) of the 40 before it. Holding one means the format and checksum are
/// right; whether the key exists, is active and what it grants is the allow-list's business, by
/// its [`hash`](ApiKey::hash).
///
/// The key is a secret, so `Debug` and `Display` show only its [display prefix](ApiKey::display_prefix)
/// and `…`, it has no `Serialize`, and it has no `PartialEq` (compare [`KeyHash`]es, which do so in
/// constant time). [`ApiKey::expose_secret`] is the one way to the full text, for the single
/// response that returns a new key to its owner.
///
/// ```
/// use noesis_core::keys::{ApiKey, Environment};
///
/// let key: ApiKey = "nk_live_bKLaMqUiIawolD691iK8Ufvf9Ncn7q8d0b1Llq".parse().unwrap();
/// assert_eq!(key.environment(), Environment::Live);
/// assert_eq!(key.display_prefix(), "nk_live_bKLa");
/// assert_eq!(format!("{key}"), "nk_live_bKLa…");
/// assert_eq!(format!("{key:?}"), r#"ApiKey("nk_live_bKLa…")"#);
/// ```
#[derive(Clone)]
pub struct ApiKey {
    environment: Environment,
    /// Exactly [`ApiKey::LEN`] ASCII characters, checksum verified.
    text: String,
}

impl ApiKey {
    /// The length of every key, in characters (and bytes: keys are ASCII).
    pub const LEN: usize = COVERED_LEN + checksum::LEN;

    /// The length of [`ApiKey::display_prefix`]: the environment prefix and 4 random characters.
    pub const DISPLAY_PREFIX_LEN: usize = 12;

    /// How many random bytes [`ApiKey::generate`] takes: 512 bits, far more than the 190.5 bits a
    /// key holds, so that reducing them to base62 has no bias worth the name (below 2^-321).
    pub const RANDOM_BYTES: usize = 64;

    /// Reads `text` as an API key, checking in order that it starts with `nk_live_` or `nk_test_`,
    /// that the rest is base62, that it is 46 characters long and that its checksum matches. No
    /// lookup, no allocation before the checks pass: garbage costs microseconds, never a query.
    ///
    /// The text must be the key alone: the caller strips `Bearer ` and surrounding whitespace.
    ///
    /// ```
    /// use noesis_core::keys::{ApiKey, KeyFormatError};
    ///
    /// assert!(ApiKey::parse("nk_test_RxnvOf5LFQW8jES7aPVEzqA5lO3MW8I347fWaQ").is_ok());
    /// // One character changed: the checksum no longer matches.
    /// assert_eq!(ApiKey::parse("nk_test_RxnvOf5LFQW8jES7aPVEzqA5lO3MW8I347fWaR").unwrap_err(), KeyFormatError::Checksum);
    /// assert_eq!(ApiKey::parse("nk_test_Rxnv-f5LFQW8jES7aPVEzqA5lO3MW8I347fWaQ").unwrap_err(), KeyFormatError::Alphabet { position: 13 });
    /// ```
    pub fn parse(text: &str) -> Result<ApiKey, KeyFormatError> {
        let Some(environment) = Environment::of_prefix(text) else {
            return Err(KeyFormatError::Prefix);
        };
        // The prefix is ASCII, so characters and bytes agree up to here.
        if let Some(index) = text[PREFIX_LEN..].chars().position(|c| !u8::try_from(c).is_ok_and(base62::is_digit)) {
            return Err(KeyFormatError::Alphabet { position: PREFIX_LEN + index + 1 });
        }
        // All ASCII from here on, so the byte length is the character count.
        if text.len() != ApiKey::LEN {
            return Err(KeyFormatError::Length { found: text.len() });
        }
        let (covered, given) = text.as_bytes().split_at(COVERED_LEN);
        if checksum::of(covered) != given {
            return Err(KeyFormatError::Checksum);
        }
        Ok(ApiKey { environment, text: text.to_owned() })
    }

    /// A new key for `environment` made from `random`, which must come from a cryptographically
    /// secure generator (the OS CSPRNG: `getrandom` at the origin, `crypto.getRandomValues` at the
    /// edge). The core reads no randomness itself, so the same bytes always give the same key.
    ///
    /// The 64 bytes are read as one big-endian 512-bit number `n`, and the body is the 32 low
    /// base62 digits of `n`, i.e. `n mod 62^32`. Each of the 62^32 bodies is then as likely as
    /// any other up to a relative error below 62^32 / 2^512 < 2^-321: no per-character modulo
    /// bias (`byte % 62` would favour `0`-`7` by a quarter), and 32·log2(62) ≈ 190.5 bits of
    /// entropy (`docs/keys.md` has the arithmetic).
    ///
    /// ```
    /// use noesis_core::keys::{ApiKey, Environment};
    ///
    /// let key = ApiKey::generate(Environment::Live, [0; ApiKey::RANDOM_BYTES]);
    /// assert_eq!(key.expose_secret(), "nk_live_000000000000000000000000000000002Dsvs9");
    /// ```
    pub fn generate(environment: Environment, random: [u8; ApiKey::RANDOM_BYTES]) -> ApiKey {
        let mut number = random;
        let mut key = [0u8; ApiKey::LEN];
        key[..PREFIX_LEN].copy_from_slice(environment.prefix().as_bytes());
        base62::write_low_digits(&mut number, &mut key[PREFIX_LEN..COVERED_LEN]);
        let sum = checksum::of(&key[..COVERED_LEN]);
        key[COVERED_LEN..].copy_from_slice(&sum);
        ApiKey { environment, text: key.iter().map(|&byte| char::from(byte)).collect() }
    }

    /// Whether this is a live or a test key.
    pub fn environment(&self) -> Environment {
        self.environment
    }

    /// The SHA-256 of the whole key: what the database and the edge allow-list hold in its place.
    ///
    /// A plain, unsalted hash is the right tool here, unlike for passwords: a key has 190 random
    /// bits, so neither a dictionary nor brute force can invert its hash, and a deterministic hash
    /// can be looked up by value.
    pub fn hash(&self) -> KeyHash {
        KeyHash::from_bytes(Sha256::digest(self.text.as_bytes()).into())
    }

    /// The first 12 characters (`nk_live_` and 4 random ones): stored beside the hash so that
    /// listings and logs can tell keys apart. It gives away 24 of the 190 random bits.
    pub fn display_prefix(&self) -> &str {
        &self.text[..ApiKey::DISPLAY_PREFIX_LEN]
    }

    /// The full key. For the one response that hands a new key to its owner, and for sending it as
    /// a credential; never for logs, errors or storage (store [`ApiKey::hash`]).
    pub fn expose_secret(&self) -> &str {
        &self.text
    }
}

impl FromStr for ApiKey {
    type Err = KeyFormatError;

    fn from_str(text: &str) -> Result<ApiKey, KeyFormatError> {
        ApiKey::parse(text)
    }
}

/// The display prefix and `…`, never the secret.
impl fmt::Display for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}…", self.display_prefix())
    }
}

/// The display prefix and `…`, never the secret.
impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ApiKey").field(&format_args!("\"{self}\"")).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIVE: &str = "nk_live_bKLaMqUiIawolD691iK8Ufvf9Ncn7q8d0b1Llq";

    #[test]
    fn generation_matches_an_independent_big_integer_conversion() {
        // Python: int.from_bytes(bytes(range(64)), "big") % 62**32 in base62, then zlib.crc32.
        let random: [u8; 64] = std::array::from_fn(|i| i as u8);
        assert_eq!(ApiKey::generate(Environment::Live, random).expose_secret(), LIVE);
        assert_eq!(
            ApiKey::generate(Environment::Test, [0xFF; 64]).expose_secret(),
            "nk_test_RxnvOf5LFQW8jES7aPVEzqA5lO3MW8I347fWaQ"
        );
    }

    #[test]
    fn the_checks_run_prefix_alphabet_length_checksum() {
        // Wrong in every way at once: the prefix is what is reported.
        assert_eq!(ApiKey::parse("nk_beta_!").unwrap_err(), KeyFormatError::Prefix);
        // A bad character and a bad length: the character is reported.
        assert_eq!(ApiKey::parse("nk_live_ab cd").unwrap_err(), KeyFormatError::Alphabet { position: 11 });
        // A bad length and (necessarily) a bad checksum: the length is reported.
        assert_eq!(ApiKey::parse(&LIVE[..45]).unwrap_err(), KeyFormatError::Length { found: 45 });
    }

    #[test]
    fn positions_count_characters_not_bytes() {
        let text = format!("{}é{}", &LIVE[..20], &LIVE[21..]);
        assert_eq!(ApiKey::parse(&text).unwrap_err(), KeyFormatError::Alphabet { position: 21 });
        let text = format!("nk_live_ééé!{}", &LIVE[12..]);
        assert_eq!(ApiKey::parse(&text).unwrap_err(), KeyFormatError::Alphabet { position: 9 });
    }

    #[test]
    fn a_trailing_newline_is_refused_not_trimmed() {
        assert_eq!(ApiKey::parse(&format!("{LIVE}\n")).unwrap_err(), KeyFormatError::Alphabet { position: 47 });
    }
}
