//! The Postgres backend (production: Supabase), ids as `UUID` and instants as `TIMESTAMPTZ`.

use std::time::Duration;

use chrono::{DateTime, Utc};
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions, PgRow};

use jiff::Timestamp;
use sqlx::Row;
use uuid::Uuid;

use super::StorageError;
use super::queries::queries;

/// The migrations in `migrations/postgres/`, embedded in the binary.
pub(super) static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/postgres");

/// The port of Supabase's transaction pooler (Supavisor in transaction mode).
const TRANSACTION_POOLER_PORT: u16 = 6543;

/// A pool that connects on first use, so that opening never blocks on the network; each
/// connection waits at most `timeout` for its turn.
pub(super) fn pool(mut options: PgConnectOptions, timeout: Duration) -> PgPool {
    if options.get_port() == TRANSACTION_POOLER_PORT {
        // A transaction pooler hands each transaction to whichever server connection is free,
        // so a statement prepared (and cached by name) on one may be missing on the next:
        // "prepared statement sqlx_s_1 does not exist". With no cache, sqlx prepares unnamed
        // statements per query, which the pooler supports. Port 5432 (session pooler or direct)
        // keeps the cache and its speed.
        options = options.statement_cache_capacity(0);
    }
    PgPoolOptions::new().acquire_timeout(timeout).connect_lazy_with(options)
}

fn encode_id(id: Uuid) -> Uuid {
    id
}

fn encode_instant(instant: Timestamp) -> DateTime<Utc> {
    // Postgres keeps microseconds; jiff's range (years -9999 to 9999) lies within chrono's.
    DateTime::from_timestamp_micros(instant.as_microsecond()).unwrap_or(DateTime::<Utc>::MIN_UTC)
}

fn decode_id(row: &PgRow, column: &str) -> Result<Uuid, StorageError> {
    Ok(row.try_get(column)?)
}

fn decode_opt_id(row: &PgRow, column: &str) -> Result<Option<Uuid>, StorageError> {
    Ok(row.try_get(column)?)
}

fn decode_instant(row: &PgRow, column: &str) -> Result<Timestamp, StorageError> {
    let instant: DateTime<Utc> = row.try_get(column)?;
    Timestamp::from_microsecond(instant.timestamp_micros())
        .map_err(|err| StorageError::Corrupt(format!("{column}: {err}")))
}

fn decode_opt_instant(row: &PgRow, column: &str) -> Result<Option<Timestamp>, StorageError> {
    let instant: Option<DateTime<Utc>> = row.try_get(column)?;
    instant
        .map(|instant| Timestamp::from_microsecond(instant.timestamp_micros()))
        .transpose()
        .map_err(|err| StorageError::Corrupt(format!("{column}: {err}")))
}

queries!(sqlx::Postgres, PgPool, PgRow);
