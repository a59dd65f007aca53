//! Storage: users, API keys and their audit events, usage logs, idempotency records.
//!
//! Two backends behind one [`Database`]: Postgres in production (`DATABASE_URL`, e.g. Supabase)
//! and, with no `DATABASE_URL`, an embedded SQLite file, so a new user needs nothing installed.
//! Each has its own migrations (`migrations/postgres/`, `migrations/sqlite/`: the same schema in
//! each database's types) and its own concrete sqlx pool; the queries are written once
//! (see `queries.rs`). The test suite runs the same cases against both.
//!
//! Every call is bounded by the database timeout (`DB_TIMEOUT_MS`, default 5 s). Past it, or when
//! the database cannot be reached at all, the call fails with [`StorageError::Unavailable`],
//! which the API answers with 503 `DB_UNAVAILABLE`: a request never hangs on the database.
//!
//! ```no_run
//! # async fn demo() -> Result<(), noesis_origin::storage::StorageError> {
//! use std::time::Duration;
//! use noesis_origin::storage::{Database, DatabaseTarget, NewUser};
//!
//! let db = Database::open(&DatabaseTarget::Sqlite("noesis.sqlite".into()), Duration::from_secs(5));
//! db.migrate().await?;
//! let asha = NewUser { email: "asha@example.com".into(), name: "Asha".into(), tier: "free".into() };
//! let user = db.create_user(&asha).await?;
//! assert_eq!(db.find_user_by_email("ASHA@example.com").await?, Some(user));
//! # Ok(())
//! # }
//! ```

mod error;
mod model;
mod postgres;
mod queries;
mod sqlite;

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use jiff::Timestamp;
use sqlx::postgres::PgConnectOptions;
use uuid::Uuid;

pub use error::StorageError;
pub use model::{
    BadCursor, Claim, IdempotencyRecord, KeyCursor, KeyEvent, KeyFilter, KeyPage, NewKey, NewUser, Page, PageCursor,
    RequestCounts, Revocation, Revoked, Rotated, Rotation, StoredKey, UsageGroup, UsageGroupBy, UsageQuery,
    UsageRecord, User, UserPage,
};

/// The database timeout when `DB_TIMEOUT_MS` is unset.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);

/// The SQLite file when neither `DATABASE_URL` nor `NOESIS_SQLITE_PATH` is set.
pub const DEFAULT_SQLITE_PATH: &str = "noesis.sqlite";

/// Applying migrations may take longer than one query; it gets this long, or the database
/// timeout if that is longer.
const MIGRATION_TIMEOUT: Duration = Duration::from_secs(60);

/// Which database to use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseTarget {
    /// Postgres, from `DATABASE_URL`.
    Postgres(PostgresUrl),
    /// The embedded SQLite file at this path (`NOESIS_SQLITE_PATH`, default `./noesis.sqlite`).
    Sqlite(PathBuf),
}

impl fmt::Display for DatabaseTarget {
    /// Where the data lives, without the password: for logs and the `migrate` command.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DatabaseTarget::Postgres(url) => {
                let options = &url.options;
                let database = options.get_database().unwrap_or("(default database)");
                write!(f, "postgres {}:{}/{}", options.get_host(), options.get_port(), database)
            }
            DatabaseTarget::Sqlite(path) => write!(f, "sqlite {}", path.display()),
        }
    }
}

/// A parsed `postgres://` URL. Its `Debug` form hides everything but host, port and database,
/// so that a logged configuration never shows the password.
#[derive(Clone)]
pub struct PostgresUrl {
    url: String,
    // Boxed: the options are large and a `DatabaseTarget` is mostly a path.
    options: Box<PgConnectOptions>,
}

impl PartialEq for PostgresUrl {
    fn eq(&self, other: &PostgresUrl) -> bool {
        self.url == other.url
    }
}

impl Eq for PostgresUrl {}

impl fmt::Debug for PostgresUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (host, port, database) =
            (self.options.get_host(), self.options.get_port(), self.options.get_database().unwrap_or(""));
        write!(f, "PostgresUrl(postgres://***@{host}:{port}/{database})")
    }
}

impl FromStr for PostgresUrl {
    type Err = String;

    /// Parses a `postgres://` or `postgresql://` URL. The error never repeats the URL, which
    /// may hold a password.
    fn from_str(url: &str) -> Result<PostgresUrl, String> {
        let url = url.trim();
        if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
            return Err("it must start with postgres:// or postgresql:// (for SQLite, leave it unset and set \
                        NOESIS_SQLITE_PATH)"
                .to_string());
        }
        let options = PgConnectOptions::from_str(url).map_err(|err| format!("it is not a usable URL ({err})"))?;
        Ok(PostgresUrl { url: url.to_string(), options: Box::new(options) })
    }
}

/// The pool of one backend.
#[derive(Debug, Clone)]
enum Pool {
    Postgres(sqlx::PgPool),
    Sqlite(sqlx::SqlitePool),
}

/// The origin's database: a connection pool and the timeout every call is held to.
///
/// Cloning is cheap and shares the pool.
#[derive(Debug, Clone)]
pub struct Database {
    pool: Pool,
    timeout: Duration,
}

/// Runs the same query function on whichever pool `$db` holds, within its timeout.
macro_rules! on_pool {
    ($db:expr, $limit:expr, $query:ident($($arg:expr),*)) => {{
        let db: &Database = $db;
        match &db.pool {
            Pool::Postgres(pool) => within($limit, postgres::$query(pool $(, $arg)*)).await,
            Pool::Sqlite(pool) => within($limit, sqlite::$query(pool $(, $arg)*)).await,
        }
    }};
}

/// `call`, or [`StorageError::Unavailable`] when it takes longer than `limit`.
async fn within<T>(limit: Duration, call: impl Future<Output = Result<T, StorageError>>) -> Result<T, StorageError> {
    tokio::time::timeout(limit, call).await.unwrap_or_else(|_| Err(StorageError::timed_out(limit)))
}

/// `instant` without its nanoseconds: both backends keep microseconds, so every instant is cut
/// to that before it is written and what is read back equals what was written.
pub(crate) fn truncate_to_microsecond(instant: Timestamp) -> Timestamp {
    Timestamp::from_microsecond(instant.as_microsecond()).unwrap_or(instant)
}

impl Database {
    /// The database at `target`, with every call held to `timeout`.
    ///
    /// Nothing is connected yet: connections open on first use, so opening never blocks (and
    /// the SQLite file is created by the first call, usually [`migrate`](Database::migrate)).
    pub fn open(target: &DatabaseTarget, timeout: Duration) -> Database {
        let pool = match target {
            DatabaseTarget::Postgres(url) => Pool::Postgres(postgres::pool((*url.options).clone(), timeout)),
            DatabaseTarget::Sqlite(path) => Pool::Sqlite(sqlite::pool(path, timeout)),
        };
        Database { pool, timeout }
    }

    /// The Postgres database at `options`, for tests that choose a schema through connection options.
    pub fn open_postgres(options: PgConnectOptions, timeout: Duration) -> Database {
        Database { pool: Pool::Postgres(postgres::pool(options, timeout)), timeout }
    }

    /// `postgres` or `sqlite`.
    pub fn backend(&self) -> &'static str {
        match self.pool {
            Pool::Postgres(_) => "postgres",
            Pool::Sqlite(_) => "sqlite",
        }
    }

    /// Applies the migrations this binary carries that the database has not seen yet.
    ///
    /// Fails if the database holds a migration this binary does not know (a newer release
    /// migrated it) or one whose text changed since it was applied.
    pub async fn migrate(&self) -> Result<(), StorageError> {
        let limit = self.timeout.max(MIGRATION_TIMEOUT);
        match &self.pool {
            Pool::Postgres(pool) => within(limit, async { Ok(postgres::MIGRATOR.run(pool).await?) }).await,
            Pool::Sqlite(pool) => within(limit, async { Ok(sqlite::MIGRATOR.run(pool).await?) }).await,
        }
    }

    /// Answers when the database does: for the readiness check.
    pub async fn ping(&self) -> Result<(), StorageError> {
        on_pool!(self, self.timeout, ping())
    }

    /// Creates a user. An email already taken, in any case, is [`StorageError::Duplicate`].
    pub async fn create_user(&self, user: &NewUser) -> Result<User, StorageError> {
        on_pool!(self, self.timeout, create_user(user, now()))
    }

    /// The user with this email, compared without regard to case.
    pub async fn find_user_by_email(&self, email: &str) -> Result<Option<User>, StorageError> {
        on_pool!(self, self.timeout, find_user_by_email(email))
    }

    /// The user with this id.
    pub async fn user_by_id(&self, id: Uuid) -> Result<Option<User>, StorageError> {
        on_pool!(self, self.timeout, user_by_id(id))
    }

    /// Up to `limit` users, newest first, starting after `after`: the same paging as
    /// [`list_keys`](Database::list_keys).
    pub async fn list_users(&self, after: Option<PageCursor>, limit: u32) -> Result<UserPage, StorageError> {
        on_pool!(self, self.timeout, list_users(after, limit))
    }

    /// Creates a key and its `create` audit event, in one transaction: either both are
    /// written or neither is. A `user_id` with no user is [`StorageError::MissingReference`].
    pub async fn create_key(&self, key: &NewKey) -> Result<StoredKey, StorageError> {
        on_pool!(self, self.timeout, create_key(key, now()))
    }

    /// The key with this hash, revoked or not.
    pub async fn key_by_hash(&self, key_hash: &str) -> Result<Option<StoredKey>, StorageError> {
        on_pool!(self, self.timeout, key_by_hash(key_hash))
    }

    /// The key with this id, revoked or not.
    pub async fn key_by_id(&self, id: Uuid) -> Result<Option<StoredKey>, StorageError> {
        on_pool!(self, self.timeout, key_by_id(id))
    }

    /// A key's audit trail (create, revoke, rotate), oldest first; empty for an unknown key.
    pub async fn key_events(&self, key_id: Uuid) -> Result<Vec<KeyEvent>, StorageError> {
        on_pool!(self, self.timeout, key_events(key_id))
    }

    /// Up to `limit` keys that pass `filter`, newest first, starting after `after`.
    ///
    /// `filter.revoked` is judged now: a key is revoked once its `revoked_at` has passed, and
    /// a rotated key in its grace period is not revoked yet.
    pub async fn list_keys(
        &self,
        filter: &KeyFilter,
        after: Option<PageCursor>,
        limit: u32,
    ) -> Result<KeyPage, StorageError> {
        on_pool!(self, self.timeout, list_keys(filter, after, limit, now()))
    }

    /// The keys that work at `now` (not revoked by then, not expired), ordered by id: the
    /// edge's allow-list. The order is stable, so a hash of the list is a stable ETag.
    pub async fn active_keys(&self, now: Timestamp) -> Result<Vec<StoredKey>, StorageError> {
        on_pool!(self, self.timeout, active_keys(now))
    }

    /// How many keys with the `admin` scope work at `now`: at first start, whether an admin
    /// key has to be made.
    pub async fn count_active_admin_keys(&self, now: Timestamp) -> Result<u64, StorageError> {
        on_pool!(self, self.timeout, count_active_admin_keys(now))
    }

    /// Revokes a key now and writes its `revoke` audit event, in one transaction. `None` when
    /// there is no such key.
    ///
    /// A key revoked already (its `revoked_at` has passed) is left as it is:
    /// [`Revoked::Already`], no event. A key whose revocation is only scheduled (a rotated key
    /// in its grace period) is revoked now, with this call's reason, instead of at the end of
    /// the grace period.
    pub async fn revoke_key(&self, revocation: &Revocation) -> Result<Option<Revoked>, StorageError> {
        on_pool!(self, self.timeout, revoke_key(revocation, now()))
    }

    /// Replaces a key by a new one, in one transaction: the new key and its `create` event
    /// (actor `new_key.actor`, `rotated_from` the old key), and on the old key a revocation
    /// scheduled at `grace_until` (now if that has passed) with reason `rotated`, and a `rotate`
    /// event whose reason names the new key.
    ///
    /// The old key keeps working until then. A key with any revocation, past or scheduled,
    /// cannot be rotated ([`Rotated::AlreadyRevoked`]): rotating twice would leave two
    /// replacements. An expired key can be: its replacement is how its owner gets back in.
    pub async fn rotate_key(&self, rotation: &Rotation) -> Result<Rotated, StorageError> {
        on_pool!(self, self.timeout, rotate_key(rotation, now()))
    }

    /// Records when keys were last used: each key's `last_used_at` becomes the latest of its
    /// stored value and the instants given for it (batches may arrive out of order). One
    /// statement per thousand keys, all in one transaction; unknown keys are skipped.
    pub async fn touch_last_used(&self, uses: &[(Uuid, Timestamp)]) -> Result<(), StorageError> {
        on_pool!(self, self.timeout, touch_last_used(uses))
    }

    /// Writes usage records in multi-row inserts, all in one transaction; returns how many.
    pub async fn insert_usage(&self, records: &[UsageRecord]) -> Result<u64, StorageError> {
        on_pool!(self, self.timeout, insert_usage(records))
    }

    /// Each key's requests, in all and since `since`, for listings, in one query (per thousand
    /// keys). A key with no request logged is absent from the map: read it with
    /// `.get(&id).copied().unwrap_or_default()`.
    pub async fn key_request_counts(
        &self,
        key_ids: &[Uuid],
        since: Timestamp,
    ) -> Result<HashMap<Uuid, RequestCounts>, StorageError> {
        on_pool!(self, self.timeout, key_request_counts(key_ids, since))
    }

    /// The requests logged with this key at or after `since`: the usage `/me` reports.
    pub async fn usage_for_key_since(&self, key_id: Uuid, since: Timestamp) -> Result<u64, StorageError> {
        on_pool!(self, self.timeout, usage_for_key_since(key_id, since))
    }

    /// The usage report: the requests logged in `[query.from, query.to)`, of one key or user if
    /// asked, grouped by `query.group_by`, the `query.limit` largest groups by requests (ties by
    /// group; the requests with no key, user or engine form the group `None`). A window with
    /// no request gives no group, [`UsageGroupBy::Total`] included.
    ///
    /// The percentiles are by nearest rank: sorted ascending, the p-th percentile of a group's
    /// n latencies is the one at (1-based) rank ⌈p × n / 100⌉, so it is always a latency that
    /// was observed (the median of 4 values is the 2nd, their p95 the 4th). They are computed
    /// in the database, with window functions, by the same SQL on both backends; no latency
    /// list is loaded.
    pub async fn usage_summary(&self, query: &UsageQuery) -> Result<Vec<UsageGroup>, StorageError> {
        on_pool!(self, self.timeout, usage_summary(query))
    }

    /// Stores the finished response `record` under its key unless a record that has not expired
    /// holds the key already: then that one is returned, unchanged ([`Claim::Existing`]). An
    /// expired record under the key is replaced. Atomic: of two concurrent claims, one stores.
    pub async fn idempotency_claim(&self, record: &IdempotencyRecord) -> Result<Claim, StorageError> {
        on_pool!(self, self.timeout, idempotency_claim(record, now()))
    }

    /// The record under `key` unless it has expired at `now`.
    pub async fn idempotency_get(&self, key: &str, now: Timestamp) -> Result<Option<IdempotencyRecord>, StorageError> {
        on_pool!(self, self.timeout, idempotency_get(key, now))
    }

    /// Stores the finished answer of the request that claimed `key` (its claim held a
    /// placeholder), to be replayed until `expires_at`.
    pub async fn idempotency_complete(
        &self,
        key: &str,
        status: u16,
        body: &str,
        expires_at: Timestamp,
    ) -> Result<(), StorageError> {
        on_pool!(self, self.timeout, idempotency_complete(key, status, body, expires_at))
    }

    /// Gives up the claim on `key` (its request failed), so a retry under the same key can run.
    pub async fn idempotency_release(&self, key: &str) -> Result<(), StorageError> {
        on_pool!(self, self.timeout, idempotency_release(key))
    }

    /// Deletes the idempotency records expired at `now`; returns how many.
    pub async fn purge_expired_idempotency(&self, now: Timestamp) -> Result<u64, StorageError> {
        on_pool!(self, self.timeout, purge_expired_idempotency(now))
    }

    /// Closes every connection, waiting for those in use to come back.
    pub async fn close(&self) {
        match &self.pool {
            Pool::Postgres(pool) => pool.close().await,
            Pool::Sqlite(pool) => pool.close().await,
        }
    }
}

/// The current instant, at the precision the database keeps.
fn now() -> Timestamp {
    truncate_to_microsecond(Timestamp::now())
}
