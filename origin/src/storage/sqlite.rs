//! The embedded SQLite backend (no `DATABASE_URL`): ids as hyphenated UUID text, instants as
//! fixed-width UTC text (`2026-11-25T07:30:00.000000Z`), so that text order is time order.

use std::path::Path;
use std::time::Duration;

use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteRow, SqliteSynchronous,
};

use jiff::Timestamp;
use sqlx::Row;
use uuid::Uuid;

use super::StorageError;
use super::queries::queries;

/// The migrations in `migrations/sqlite/`, embedded in the binary.
pub(super) static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/sqlite");

/// A pool on the file at `path`, created if missing, in WAL mode (readers do not wait for the
/// writer). A writer waits up to `timeout` for the write lock before giving up as unavailable.
pub(super) fn pool(path: &Path, timeout: Duration) -> SqlitePool {
    let options = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        // NORMAL is durable in WAL mode except for the last transactions before a power loss.
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(timeout);
    SqlitePoolOptions::new().acquire_timeout(timeout).connect_lazy_with(options)
}

fn encode_id(id: Uuid) -> String {
    id.as_hyphenated().to_string()
}

fn encode_instant(instant: Timestamp) -> String {
    // Six digits always: fixed width keeps text order equal to time order.
    format!("{:.6}", super::truncate_to_microsecond(instant))
}

fn parse_id(column: &str, text: &str) -> Result<Uuid, StorageError> {
    Uuid::try_parse(text).map_err(|err| StorageError::Corrupt(format!("{column}: {err}")))
}

fn parse_instant(column: &str, text: &str) -> Result<Timestamp, StorageError> {
    text.parse().map_err(|err| StorageError::Corrupt(format!("{column}: {err}")))
}

fn decode_id(row: &SqliteRow, column: &str) -> Result<Uuid, StorageError> {
    parse_id(column, row.try_get(column)?)
}

fn decode_opt_id(row: &SqliteRow, column: &str) -> Result<Option<Uuid>, StorageError> {
    row.try_get::<Option<&str>, _>(column)?.map(|text| parse_id(column, text)).transpose()
}

fn decode_instant(row: &SqliteRow, column: &str) -> Result<Timestamp, StorageError> {
    parse_instant(column, row.try_get(column)?)
}

fn decode_opt_instant(row: &SqliteRow, column: &str) -> Result<Option<Timestamp>, StorageError> {
    row.try_get::<Option<&str>, _>(column)?.map(|text| parse_instant(column, text)).transpose()
}

queries!(sqlx::Sqlite, SqlitePool, SqliteRow);
