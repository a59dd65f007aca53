//! API keys: the format, its checksum, the stored hash, and what a key grants.
//!
//! Shared by the edge and the origin so that both refuse the same garbage the same way
//! (`shared/DESIGN.md` §2 "Authentication", `docs/keys.md`):
//!
//! - [`ApiKey`]: `nk_live_` or `nk_test_` ([`Environment`]), 32 random base62 characters, and a
//!   6-character base62 CRC-32 of what precedes them. [`ApiKey::parse`] checks all of it without a
//!   lookup; [`ApiKey::generate`] turns the caller's CSPRNG bytes into a key (the core draws no
//!   random numbers itself).
//! - [`KeyHash`]: the SHA-256 of a key, the only form of it that is ever stored, with
//!   constant-time equality. [`ApiKey::display_prefix`] is the other stored part, for listings.
//! - What a key grants: [`Tier`] (with its default rate limit), [`Scope`] and [`Scopes`], the
//!   consciousness level ([`Level`](crate::engines::Level), shared with the engines), and its
//!   [`KeyId`]; a [`Grant`] puts them together as one allow-list entry, judged the same way at
//!   the edge and the origin.
//!
//! ```
//! use noesis_core::keys::{ApiKey, Environment, KeyFormatError};
//!
//! // The origin passes bytes from the OS CSPRNG; these are only for the example.
//! let key = ApiKey::generate(Environment::Test, [7; ApiKey::RANDOM_BYTES]);
//! let parsed = ApiKey::parse(key.expose_secret()).unwrap();
//! assert_eq!(parsed.hash(), key.hash());
//! assert_eq!(parsed.display_prefix(), &key.expose_secret()[..12]);
//!
//! assert_eq!(ApiKey::parse("ghp_not_ours").unwrap_err(), KeyFormatError::Prefix);
//! ```

mod allowlist;
mod api_key;
mod base62;
mod checksum;
mod grant;
mod hash;
mod key_id;
mod presented;
mod scope;
mod tier;

pub use allowlist::Allowlist;
pub use api_key::{ApiKey, Environment, KeyFormatError};
pub use grant::{Grant, malformed_key, missing_key, unknown_key};
pub use hash::KeyHash;
pub use key_id::KeyId;
pub use presented::presented_key;
pub use scope::{Scope, Scopes};
pub use tier::Tier;

/// Why a key's attribute, written as text (a tier, a scope, a key id, a stored hash), could not
/// be read. Unlike [`KeyFormatError`], these may quote what they were given: none of them is a
/// secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyAttributeError {
    #[error("`{0}` is not a tier: expected free, premium or enterprise.")]
    Tier(String),
    #[error("`{0}` is not a scope: expected engines, workflows or admin.")]
    Scope(String),
    #[error("A key id is a UUID written as 36 characters, like 67e55044-10b1-426f-9247-bb680e5fe0c8.")]
    KeyId,
    #[error("A key hash is 64 hexadecimal characters, the SHA-256 of the key.")]
    KeyHash,
}
