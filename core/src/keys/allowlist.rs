//! The allow-list document: what `GET /internal/v1/allowlist` answers and the edge keeps
//! (DESIGN.md §4). Defined once here so the origin writes and the edge reads the same type.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::Grant;

/// Every active key at one instant, sorted by key id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Allowlist {
    /// When the origin read the keys.
    pub generated_at: Timestamp,
    /// The active keys (not revoked, not expired at `generated_at`), sorted by key id.
    pub keys: Vec<Grant>,
}

impl Allowlist {
    /// The allow-list of `keys` at `generated_at`; sorts them so that the same set gives the
    /// same document and the same [`etag`](Allowlist::etag).
    pub fn new(generated_at: Timestamp, mut keys: Vec<Grant>) -> Allowlist {
        keys.sort_by_key(|grant| grant.key_id);
        Allowlist { generated_at, keys }
    }

    /// A strong ETag (quoted) of the keys alone, not of `generated_at`: it changes when a key
    /// is created, revoked, rotated or changed, and only then, so an edge that polls gets 304
    /// while nothing changed.
    ///
    /// ```
    /// use noesis_core::keys::Allowlist;
    ///
    /// let morning = Allowlist::new("2026-11-25T07:30:00Z".parse().unwrap(), vec![]);
    /// let noon = Allowlist::new("2026-11-25T12:00:00Z".parse().unwrap(), vec![]);
    /// assert_eq!(morning.etag(), noon.etag());
    /// assert!(morning.etag().starts_with('"') && morning.etag().len() == 2 + 32);
    /// ```
    pub fn etag(&self) -> String {
        let mut hasher = Sha256::new();
        for grant in &self.keys {
            // Serializing a Grant cannot fail: every field is a plain value.
            hasher.update(serde_json::to_vec(grant).unwrap_or_default());
            hasher.update(b"\n");
        }
        let digest = hasher.finalize();
        let hex: String = digest[..16].iter().map(|byte| format!("{byte:02x}")).collect();
        format!("\"{hex}\"")
    }
}
