//! The one error type of the storage layer.

/// Why a storage call failed.
///
/// [`StorageError::Unavailable`] is the database being away (down, unreachable, too slow, out of
/// connections): the API answers 503 `DB_UNAVAILABLE` for it. The other variants are refusals of
/// the data itself or faults of the program, and carry no SQL and no value that was written.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// The database did not answer in time, or could not be reached at all.
    #[error("the database is unavailable: {0}")]
    Unavailable(String),
    /// A row with the same unique value exists already; the text names what (e.g. "a user with this email").
    #[error("{0} already exists")]
    Duplicate(&'static str),
    /// A row refers to another that does not exist (e.g. a key for an unknown user).
    #[error("{0} does not exist")]
    MissingReference(&'static str),
    /// The database refused a value: a CHECK or NOT NULL constraint.
    #[error("the database refused a value: {0}")]
    Rejected(String),
    /// A value read back from the database is not what the schema promises.
    #[error("a stored value could not be read: {0}")]
    Corrupt(String),
    /// A migration failed or the database holds migrations this binary does not know.
    #[error("database migration failed: {0}")]
    Migrate(#[source] sqlx::migrate::MigrateError),
    /// Any other database error: a fault of the program, answered as 500.
    #[error("database error: {0}")]
    Database(#[source] sqlx::Error),
}

impl StorageError {
    /// Whether this is the database being away, which the API answers with 503 `DB_UNAVAILABLE`.
    pub fn is_unavailable(&self) -> bool {
        matches!(self, StorageError::Unavailable(_))
    }

    /// The error for a call that ran past its timeout.
    pub(crate) fn timed_out(timeout: std::time::Duration) -> StorageError {
        StorageError::Unavailable(format!("no answer within {} ms", timeout.as_millis()))
    }

    /// Classifies a driver error; `duplicate` and `missing` name what a unique or foreign-key
    /// violation means for the statement that failed.
    pub(crate) fn from_sqlx(err: sqlx::Error, duplicate: &'static str, missing: &'static str) -> StorageError {
        use sqlx::error::ErrorKind;
        if is_unavailable(&err) {
            return StorageError::Unavailable(err.to_string());
        }
        match err {
            sqlx::Error::Database(db) => match db.kind() {
                ErrorKind::UniqueViolation => StorageError::Duplicate(duplicate),
                ErrorKind::ForeignKeyViolation => StorageError::MissingReference(missing),
                ErrorKind::CheckViolation | ErrorKind::NotNullViolation => {
                    StorageError::Rejected(db.constraint().unwrap_or("constraint").to_string())
                }
                _ => StorageError::Database(sqlx::Error::Database(db)),
            },
            other => StorageError::Database(other),
        }
    }
}

impl From<sqlx::migrate::MigrateError> for StorageError {
    /// A migration that could not run because the database is away is [`StorageError::Unavailable`].
    fn from(err: sqlx::migrate::MigrateError) -> StorageError {
        use sqlx::migrate::MigrateError;
        match &err {
            MigrateError::Execute(cause) | MigrateError::ExecuteMigration(cause, _) if is_unavailable(cause) => {
                StorageError::Unavailable(cause.to_string())
            }
            _ => StorageError::Migrate(err),
        }
    }
}

/// Whether `err` is the database being away rather than a statement it refused.
fn is_unavailable(err: &sqlx::Error) -> bool {
    match err {
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed => true,
        // A proxy or pooler that accepts the connection but has no database behind it closes it
        // mid-handshake: sqlx reads garbage ("unexpected response from SSLRequest"). That is the
        // database being away, not a statement it refused.
        sqlx::Error::Protocol(_) => true,
        sqlx::Error::Database(db) => is_transient(db.code().as_deref()),
        _ => false,
    }
}

impl From<sqlx::Error> for StorageError {
    fn from(err: sqlx::Error) -> StorageError {
        StorageError::from_sqlx(err, "the row", "a referenced row")
    }
}

/// Error codes that mean "the database is away or busy", not "the statement is wrong":
/// Postgres class 08 (connection exception), 53 (insufficient resources) and 57P (operator
/// intervention: shutdown, cannot connect now); SQLite 5 (BUSY) and 6 (LOCKED).
fn is_transient(code: Option<&str>) -> bool {
    match code {
        Some(code) => {
            code.starts_with("08") || code.starts_with("53") || code.starts_with("57P") || code == "5" || code == "6"
        }
        None => false,
    }
}
