//! The rows the storage layer reads and writes, as plain values.
//!
//! Tiers and scopes are kept as the strings the schema stores (its CHECK constraints hold them to
//! the known values); the HTTP layer parses them into the domain types of `noesis_core::keys`.

use std::fmt;
use std::str::FromStr;

use jiff::Timestamp;
use uuid::Uuid;

/// A user to create: the owner of keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUser {
    /// The address, stored as given; unique whatever its case.
    pub email: String,
    /// A display name.
    pub name: String,
    /// `free`, `premium` or `enterprise`.
    pub tier: String,
}

/// A stored user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// The user's id.
    pub id: Uuid,
    /// The address as it was given.
    pub email: String,
    /// The display name.
    pub name: String,
    /// `free`, `premium` or `enterprise`.
    pub tier: String,
    /// When the user was created.
    pub created_at: Timestamp,
}

/// A key to create. Only its hash and display prefix are stored, never the key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewKey {
    /// The owner.
    pub user_id: Uuid,
    /// A label chosen by the admin.
    pub name: String,
    /// SHA-256 of the whole key, lowercase hex.
    pub key_hash: String,
    /// The first 12 characters of the key, for listings.
    pub prefix: String,
    /// `free`, `premium` or `enterprise`.
    pub tier: String,
    /// 0 to 5.
    pub consciousness_level: u8,
    /// Scope names: `engines`, `workflows`, `admin`.
    pub scopes: Vec<String>,
    /// Requests allowed per minute.
    pub rate_limit_per_minute: u32,
    /// When the key stops working, if ever.
    pub expires_at: Option<Timestamp>,
    /// The key this one replaces by rotation.
    pub rotated_from: Option<Uuid>,
    /// Who creates it, for the audit event: an admin key id, `bootstrap`, `cli`.
    pub actor: String,
}

/// A stored key: every column but the secret, which is never stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredKey {
    /// The key's id.
    pub id: Uuid,
    /// The owner.
    pub user_id: Uuid,
    /// The admin's label.
    pub name: String,
    /// SHA-256 of the key, lowercase hex.
    pub key_hash: String,
    /// The first 12 characters of the key.
    pub prefix: String,
    /// `free`, `premium` or `enterprise`.
    pub tier: String,
    /// 0 to 5.
    pub consciousness_level: u8,
    /// Scope names.
    pub scopes: Vec<String>,
    /// Requests allowed per minute.
    pub rate_limit_per_minute: u32,
    /// When the key was created.
    pub created_at: Timestamp,
    /// When the key stops working, if ever.
    pub expires_at: Option<Timestamp>,
    /// When the key was revoked, if it was.
    pub revoked_at: Option<Timestamp>,
    /// Why it was revoked, if a reason was given.
    pub revoked_reason: Option<String>,
    /// When the key was last seen on a request.
    pub last_used_at: Option<Timestamp>,
    /// The key this one replaced by rotation.
    pub rotated_from: Option<Uuid>,
}

/// Which keys a listing returns; every filter left `None` lets all keys through.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeyFilter {
    /// Only this user's keys.
    pub user_id: Option<Uuid>,
    /// Only keys of this tier.
    pub tier: Option<String>,
    /// Only revoked keys (`true`) or only keys not revoked (`false`).
    pub revoked: Option<bool>,
}

/// One page of a key listing, newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyPage {
    /// The keys on this page.
    pub items: Vec<StoredKey>,
    /// Where the next page starts; `None` on the last page.
    pub next_cursor: Option<KeyCursor>,
}

/// Where a page of keys starts: just after the key with this creation time and id, in the
/// listing's order (newest first, ties broken by id).
///
/// Its text form is what the API hands out as `next_cursor`; clients treat it as opaque.
///
/// ```
/// use noesis_origin::storage::KeyCursor;
///
/// let cursor: KeyCursor = "1764064388000000_3f2a8c1e-6f1b-4c3a-9d7e-2b5f0a1c4d6e".parse().unwrap();
/// assert_eq!(cursor.created_at.to_string(), "2025-11-25T09:53:08Z");
/// assert_eq!(cursor.to_string().parse::<KeyCursor>(), Ok(cursor));
/// assert!("yesterday".parse::<KeyCursor>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyCursor {
    /// The creation time of the last key on the previous page.
    pub created_at: Timestamp,
    /// Its id.
    pub id: Uuid,
}

/// A cursor that is not one this API handed out.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a cursor from a previous page")]
pub struct BadCursor;

impl fmt::Display for KeyCursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}_{}", self.created_at.as_microsecond(), self.id.as_hyphenated())
    }
}

impl FromStr for KeyCursor {
    type Err = BadCursor;

    fn from_str(text: &str) -> Result<KeyCursor, BadCursor> {
        let (micros, id) = text.split_once('_').ok_or(BadCursor)?;
        let micros = micros.parse::<i64>().map_err(|_| BadCursor)?;
        let created_at = Timestamp::from_microsecond(micros).map_err(|_| BadCursor)?;
        let id = Uuid::try_parse(id).map_err(|_| BadCursor)?;
        Ok(KeyCursor { created_at, id })
    }
}

/// A revocation to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revocation {
    /// The key to revoke.
    pub key_id: Uuid,
    /// Why, if the admin said.
    pub reason: Option<String>,
    /// Who revokes it, for the audit event.
    pub actor: String,
}

/// What a revocation found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Revoked {
    /// The key was active and is revoked as of this instant.
    Now(Timestamp),
    /// The key had been revoked already, at this instant; nothing changed and no event was written.
    Already(Timestamp),
}

impl Revoked {
    /// When the key was revoked, by this call or an earlier one.
    pub fn revoked_at(self) -> Timestamp {
        match self {
            Revoked::Now(at) | Revoked::Already(at) => at,
        }
    }
}

/// One request, as the usage log records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageRecord {
    /// When the request arrived.
    pub at: Timestamp,
    /// The key it used, if any.
    pub key_id: Option<Uuid>,
    /// The key's owner, if known.
    pub user_id: Option<Uuid>,
    /// The route pattern, e.g. `/api/v1/engines/{id}/calculate`.
    pub route: String,
    /// The engine, for calculations.
    pub engine_id: Option<String>,
    /// The workflow, for workflow runs.
    pub workflow_id: Option<String>,
    /// The HTTP status answered.
    pub status: u16,
    /// Time to answer, in milliseconds.
    pub latency_ms: u32,
    /// Whether a cache answered.
    pub cache_hit: bool,
    /// `edge` or `origin`.
    pub served_by: String,
    /// The request's `X-Request-Id`.
    pub request_id: String,
}
