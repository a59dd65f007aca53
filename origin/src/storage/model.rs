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
    /// Only revoked keys (`true`) or only keys not revoked (`false`), as of the listing: a key
    /// whose revocation is scheduled for later (a rotated key in its grace period) is not revoked.
    pub revoked: Option<bool>,
}

/// One page of a listing, newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    /// The rows on this page.
    pub items: Vec<T>,
    /// Where the next page starts; `None` on the last page.
    pub next_cursor: Option<PageCursor>,
}

/// One page of a key listing.
pub type KeyPage = Page<StoredKey>;

/// One page of a user listing.
pub type UserPage = Page<User>;

impl<T> Page<T>
where
    for<'a> PageCursor: From<&'a T>,
{
    /// The page from the rows a query returned when asked for one more than `limit`: that extra
    /// row only says whether there is a next page, which starts after the last row kept.
    pub(crate) fn from_rows(mut items: Vec<T>, limit: u32) -> Page<T> {
        let limit = limit as usize;
        let next_cursor = if items.len() > limit {
            items.truncate(limit);
            items.last().map(PageCursor::from)
        } else {
            None
        };
        Page { items, next_cursor }
    }
}

/// Where a page of a listing (keys or users) starts: just after the row with this creation
/// time and id, in the listing's order (newest first, ties broken by id).
///
/// Its text form is what the API hands out as `next_cursor`; clients treat it as opaque.
///
/// ```
/// use noesis_origin::storage::PageCursor;
///
/// let cursor: PageCursor = "1764064388000000_3f2a8c1e-6f1b-4c3a-9d7e-2b5f0a1c4d6e".parse().unwrap();
/// assert_eq!(cursor.created_at.to_string(), "2025-11-25T09:53:08Z");
/// assert_eq!(cursor.to_string().parse::<PageCursor>(), Ok(cursor));
/// assert!("yesterday".parse::<PageCursor>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageCursor {
    /// The creation time of the last row on the previous page.
    pub created_at: Timestamp,
    /// Its id.
    pub id: Uuid,
}

/// The cursor of key listings (the name it had before users were listed too).
pub type KeyCursor = PageCursor;

/// A cursor that is not one this API handed out.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a cursor from a previous page")]
pub struct BadCursor;

impl fmt::Display for PageCursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}_{}", self.created_at.as_microsecond(), self.id.as_hyphenated())
    }
}

impl FromStr for PageCursor {
    type Err = BadCursor;

    fn from_str(text: &str) -> Result<PageCursor, BadCursor> {
        let (micros, id) = text.split_once('_').ok_or(BadCursor)?;
        let micros = micros.parse::<i64>().map_err(|_| BadCursor)?;
        let created_at = Timestamp::from_microsecond(micros).map_err(|_| BadCursor)?;
        let id = Uuid::try_parse(id).map_err(|_| BadCursor)?;
        Ok(PageCursor { created_at, id })
    }
}

impl From<&User> for PageCursor {
    fn from(user: &User) -> PageCursor {
        PageCursor { created_at: user.created_at, id: user.id }
    }
}

impl From<&StoredKey> for PageCursor {
    fn from(key: &StoredKey) -> PageCursor {
        PageCursor { created_at: key.created_at, id: key.id }
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
    /// Time to answer, in microseconds.
    pub latency_us: u64,
    /// Whether a cache answered.
    pub cache_hit: bool,
    /// `edge` or `origin`.
    pub served_by: String,
    /// The request's `X-Request-Id`.
    pub request_id: String,
}

/// A rotation to record: a new key replaces an old one, which keeps working for a grace period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rotation {
    /// The key being replaced.
    pub old_key_id: Uuid,
    /// Its replacement. Its `rotated_from` is set to `old_key_id` whatever it holds; its `actor`
    /// signs the new key's `create` event.
    pub new_key: NewKey,
    /// When the old key stops working. An instant already past means now: a rotation never
    /// back-dates a revocation.
    pub grace_until: Timestamp,
    /// Who rotates it, for the old key's `rotate` event.
    pub actor: String,
}

/// One entry of a key's audit trail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyEvent {
    /// The event's id.
    pub id: Uuid,
    /// The key it is about.
    pub key_id: Uuid,
    /// `create`, `revoke` or `rotate`.
    pub kind: String,
    /// Who did it: an admin key id, `bootstrap`, `cli`.
    pub actor: String,
    /// Why: the revocation's reason; for `rotate`, which key replaces this one.
    pub reason: Option<String>,
    /// When.
    pub at: Timestamp,
}

/// What a rotation found.
#[derive(Debug, Clone, PartialEq, Eq)]
#[expect(clippy::large_enum_variant, reason = "one value per rotation, matched at once: a box would only cost")]
pub enum Rotated {
    /// The new key exists and the old one's revocation is scheduled.
    Done {
        /// The replacement, as stored.
        new_key: StoredKey,
        /// When the old key stops working: the end of the grace period, or its expiry if that
        /// comes first.
        previous_valid_until: Timestamp,
    },
    /// There is no key with that id; nothing was written.
    NotFound,
    /// The key is revoked, or its revocation is scheduled already (by an earlier rotation), at
    /// this instant; nothing was written.
    AlreadyRevoked(Timestamp),
}

/// A key's request counts, for listings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RequestCounts {
    /// Every request logged with the key.
    pub total: u64,
    /// Those logged at or after the `since` instant of the query.
    pub since: u64,
}

/// What the usage summary groups requests by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UsageGroupBy {
    /// One group per key id.
    Key,
    /// One group per user id.
    User,
    /// One group per engine id.
    Engine,
    /// One group for the whole window.
    Total,
}

/// The usage summary to compute: requests in `[from, to)`, optionally of one key or one user,
/// grouped, the `limit` largest groups.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageQuery {
    /// The start of the window, included.
    pub from: Timestamp,
    /// The end of the window, excluded.
    pub to: Timestamp,
    /// How to group.
    pub group_by: UsageGroupBy,
    /// Only this key's requests.
    pub key_id: Option<Uuid>,
    /// Only this user's requests.
    pub user_id: Option<Uuid>,
    /// At most this many groups.
    pub limit: u32,
}

/// One group of the usage summary.
#[derive(Debug, Clone, PartialEq)]
pub struct UsageGroup {
    /// The key id, user id or engine id of the group (hyphenated for ids); `None` for the
    /// requests that had none, and for the one group of [`UsageGroupBy::Total`].
    pub group: Option<String>,
    /// Requests in the group.
    pub requests: u64,
    /// Those answered 4xx.
    pub client_errors: u64,
    /// Those answered 5xx.
    pub server_errors: u64,
    /// Those a cache answered.
    pub cache_hits: u64,
    /// The median latency, in milliseconds, by nearest rank (see
    /// [`Database::usage_summary`](super::Database::usage_summary)).
    pub p50_latency_ms: f64,
    /// The 95th percentile latency, in milliseconds (nearest rank).
    pub p95_latency_ms: f64,
}

/// A finished response kept under an idempotency key, so that a retried request gets it again
/// instead of running twice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyRecord {
    /// `<caller key id>:<client Idempotency-Key>`, at most 255 characters.
    pub key: String,
    /// SHA-256 of the request (method, path, body), lowercase hex: the same key with another
    /// request is the client's mistake, not a retry.
    pub request_hash: String,
    /// The status answered.
    pub response_status: u16,
    /// The body answered.
    pub response_body: String,
    /// When it was answered.
    pub created_at: Timestamp,
    /// When the record stops counting.
    pub expires_at: Timestamp,
}

/// What claiming an idempotency key found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// The key was free (or its record had expired): the record given is stored.
    Stored,
    /// A record that has not expired holds the key; it is unchanged.
    Existing(IdempotencyRecord),
}
