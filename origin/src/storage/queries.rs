//! The queries, written once and expanded for each backend.
//!
//! The SQL is the same text on Postgres and SQLite (both take `$1`-style parameters); what
//! differs is how ids and instants travel: `UUID` and `TIMESTAMPTZ` on Postgres, fixed-width text
//! on SQLite. So each backend module imports `Timestamp`, `Uuid`, `sqlx::Row` and `StorageError`,
//! defines `encode_id`, `encode_instant`, `decode_id`, `decode_opt_id`, `decode_instant` and
//! `decode_opt_instant`, then invokes `queries!` with its database, pool and row types.
//!
//! Why not one of the alternatives: functions generic over `sqlx::Database` would need a wall of
//! trait bounds on every query, and sqlx's `Any` driver has neither `UUID` nor `TIMESTAMPTZ` (nor
//! typed parameters), so it would push both databases down to text and integers.

/// The columns of `api_keys` that `key_from_row` reads.
pub(super) const KEY_COLUMNS: &str = "id, user_id, name, key_hash, prefix, tier, consciousness_level, scopes, \
     rate_limit_per_minute, created_at, expires_at, revoked_at, revoked_reason, last_used_at, rotated_from";

/// Rows per multi-row `INSERT` of usage: 11 parameters each keeps a statement under SQLite's
/// 32,766 and Postgres's 65,535 parameters.
pub(super) const USAGE_ROWS_PER_INSERT: usize = 1000;

/// Scopes are stored as one space-separated text, sorted so that equal sets store equally.
pub(super) fn join_scopes(scopes: &[String]) -> String {
    let mut scopes: Vec<&str> = scopes.iter().map(String::as_str).collect();
    scopes.sort_unstable();
    scopes.dedup();
    scopes.join(" ")
}

pub(super) fn split_scopes(scopes: &str) -> Vec<String> {
    scopes.split_whitespace().map(str::to_string).collect()
}

/// Expands to the query functions for one backend; see the module documentation.
macro_rules! queries {
    ($db:ty, $pool:ty, $row:ty) => {
        use super::model::{
            KeyCursor, KeyFilter, KeyPage, NewKey, NewUser, Revocation, Revoked, StoredKey, UsageRecord, User,
        };
        use super::queries::{KEY_COLUMNS, USAGE_ROWS_PER_INSERT, join_scopes, split_scopes};

        const EMAIL_TAKEN: &str = "a user with this email";
        const KEY_HASH_TAKEN: &str = "a key with this hash";
        const NO_SUCH_USER: &str = "the user";
        const NO_SUCH_KEY: &str = "the key";

        fn int<T: TryFrom<i32>>(row: &$row, column: &str) -> Result<T, StorageError> {
            let value: i32 = row.try_get(column)?;
            T::try_from(value).map_err(|_| StorageError::Corrupt(format!("{column} = {value} is out of range")))
        }

        fn user_from_row(row: &$row) -> Result<User, StorageError> {
            Ok(User {
                id: decode_id(row, "id")?,
                email: row.try_get("email")?,
                name: row.try_get("name")?,
                tier: row.try_get("tier")?,
                created_at: decode_instant(row, "created_at")?,
            })
        }

        fn key_from_row(row: &$row) -> Result<StoredKey, StorageError> {
            Ok(StoredKey {
                id: decode_id(row, "id")?,
                user_id: decode_id(row, "user_id")?,
                name: row.try_get("name")?,
                key_hash: row.try_get("key_hash")?,
                prefix: row.try_get("prefix")?,
                tier: row.try_get("tier")?,
                consciousness_level: int(row, "consciousness_level")?,
                scopes: split_scopes(row.try_get("scopes")?),
                rate_limit_per_minute: int(row, "rate_limit_per_minute")?,
                created_at: decode_instant(row, "created_at")?,
                expires_at: decode_opt_instant(row, "expires_at")?,
                revoked_at: decode_opt_instant(row, "revoked_at")?,
                revoked_reason: row.try_get("revoked_reason")?,
                last_used_at: decode_opt_instant(row, "last_used_at")?,
                rotated_from: decode_opt_id(row, "rotated_from")?,
            })
        }

        pub(super) async fn ping(pool: &$pool) -> Result<(), StorageError> {
            sqlx::query("SELECT 1").execute(pool).await?;
            Ok(())
        }

        pub(super) async fn create_user(pool: &$pool, user: &NewUser, now: Timestamp) -> Result<User, StorageError> {
            let id = Uuid::new_v4();
            sqlx::query("INSERT INTO users (id, email, name, tier, created_at) VALUES ($1, $2, $3, $4, $5)")
                .bind(encode_id(id))
                .bind(&user.email)
                .bind(&user.name)
                .bind(&user.tier)
                .bind(encode_instant(now))
                .execute(pool)
                .await
                .map_err(|err| StorageError::from_sqlx(err, EMAIL_TAKEN, NO_SUCH_USER))?;
            let (email, name, tier) = (user.email.clone(), user.name.clone(), user.tier.clone());
            Ok(User { id, email, name, tier, created_at: now })
        }

        pub(super) async fn find_user_by_email(pool: &$pool, email: &str) -> Result<Option<User>, StorageError> {
            sqlx::query("SELECT id, email, name, tier, created_at FROM users WHERE lower(email) = lower($1)")
                .bind(email)
                .fetch_optional(pool)
                .await?
                .as_ref()
                .map(user_from_row)
                .transpose()
        }

        pub(super) async fn create_key(pool: &$pool, key: &NewKey, now: Timestamp) -> Result<StoredKey, StorageError> {
            let id = Uuid::new_v4();
            let scopes = join_scopes(&key.scopes);
            let mut tx = pool.begin().await?;
            sqlx::query(
                "INSERT INTO api_keys (id, user_id, name, key_hash, prefix, tier, consciousness_level, scopes, \
                 rate_limit_per_minute, created_at, expires_at, rotated_from) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            )
            .bind(encode_id(id))
            .bind(encode_id(key.user_id))
            .bind(&key.name)
            .bind(&key.key_hash)
            .bind(&key.prefix)
            .bind(&key.tier)
            .bind(i32::from(key.consciousness_level))
            .bind(&scopes)
            .bind(i32::try_from(key.rate_limit_per_minute).unwrap_or(i32::MAX))
            .bind(encode_instant(now))
            .bind(key.expires_at.map(encode_instant))
            .bind(key.rotated_from.map(encode_id))
            .execute(&mut *tx)
            .await
            .map_err(|err| StorageError::from_sqlx(err, KEY_HASH_TAKEN, NO_SUCH_USER))?;
            sqlx::query(
                "INSERT INTO api_key_events (id, key_id, kind, actor, reason, at) \
                 VALUES ($1, $2, 'create', $3, NULL, $4)",
            )
            .bind(encode_id(Uuid::new_v4()))
            .bind(encode_id(id))
            .bind(&key.actor)
            .bind(encode_instant(now))
            .execute(&mut *tx)
            .await
            .map_err(|err| StorageError::from_sqlx(err, "the event", NO_SUCH_KEY))?;
            tx.commit().await?;
            Ok(StoredKey {
                id,
                user_id: key.user_id,
                name: key.name.clone(),
                key_hash: key.key_hash.clone(),
                prefix: key.prefix.clone(),
                tier: key.tier.clone(),
                consciousness_level: key.consciousness_level,
                scopes: split_scopes(&scopes),
                rate_limit_per_minute: key.rate_limit_per_minute,
                created_at: now,
                expires_at: key.expires_at.map(super::truncate_to_microsecond),
                revoked_at: None,
                revoked_reason: None,
                last_used_at: None,
                rotated_from: key.rotated_from,
            })
        }

        pub(super) async fn key_by_hash(pool: &$pool, key_hash: &str) -> Result<Option<StoredKey>, StorageError> {
            sqlx::query(&format!("SELECT {KEY_COLUMNS} FROM api_keys WHERE key_hash = $1"))
                .bind(key_hash)
                .fetch_optional(pool)
                .await?
                .as_ref()
                .map(key_from_row)
                .transpose()
        }

        pub(super) async fn list_keys(
            pool: &$pool,
            filter: &KeyFilter,
            after: Option<KeyCursor>,
            limit: u32,
        ) -> Result<KeyPage, StorageError> {
            // One more row than asked for says whether there is a next page.
            let sql = format!(
                "SELECT {KEY_COLUMNS} FROM api_keys \
                 WHERE ($1 IS NULL OR user_id = $1) \
                   AND ($2 IS NULL OR tier = $2) \
                   AND ($3 IS NULL OR (revoked_at IS NOT NULL) = $3) \
                   AND ($4 IS NULL OR created_at < $4 OR (created_at = $4 AND id < $5)) \
                 ORDER BY created_at DESC, id DESC \
                 LIMIT $6"
            );
            let rows = sqlx::query(&sql)
                .bind(filter.user_id.map(encode_id))
                .bind(filter.tier.as_deref())
                .bind(filter.revoked)
                .bind(after.map(|cursor| encode_instant(cursor.created_at)))
                .bind(after.map(|cursor| encode_id(cursor.id)))
                .bind(i64::from(limit) + 1)
                .fetch_all(pool)
                .await?;
            let mut items = rows.iter().map(key_from_row).collect::<Result<Vec<_>, _>>()?;
            let next_cursor = if items.len() > limit as usize {
                items.truncate(limit as usize);
                items.last().map(|key| KeyCursor { created_at: key.created_at, id: key.id })
            } else {
                None
            };
            Ok(KeyPage { items, next_cursor })
        }

        pub(super) async fn revoke_key(
            pool: &$pool,
            revocation: &Revocation,
            now: Timestamp,
        ) -> Result<Option<Revoked>, StorageError> {
            let mut tx = pool.begin().await?;
            // The write comes first, so that SQLite takes its write lock at once instead of
            // upgrading a read lock, which can fail under concurrent writers.
            let updated = sqlx::query(
                "UPDATE api_keys SET revoked_at = $1, revoked_reason = $2 WHERE id = $3 AND revoked_at IS NULL",
            )
            .bind(encode_instant(now))
            .bind(revocation.reason.as_deref())
            .bind(encode_id(revocation.key_id))
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if updated == 0 {
                let row = sqlx::query("SELECT revoked_at FROM api_keys WHERE id = $1")
                    .bind(encode_id(revocation.key_id))
                    .fetch_optional(&mut *tx)
                    .await?;
                tx.rollback().await?;
                return match row {
                    None => Ok(None),
                    Some(row) => match decode_opt_instant(&row, "revoked_at")? {
                        Some(at) => Ok(Some(Revoked::Already(at))),
                        None => Err(StorageError::Corrupt("a key neither revoked nor revocable".to_string())),
                    },
                };
            }
            sqlx::query(
                "INSERT INTO api_key_events (id, key_id, kind, actor, reason, at) \
                 VALUES ($1, $2, 'revoke', $3, $4, $5)",
            )
            .bind(encode_id(Uuid::new_v4()))
            .bind(encode_id(revocation.key_id))
            .bind(&revocation.actor)
            .bind(revocation.reason.as_deref())
            .bind(encode_instant(now))
            .execute(&mut *tx)
            .await
            .map_err(|err| StorageError::from_sqlx(err, "the event", NO_SUCH_KEY))?;
            tx.commit().await?;
            Ok(Some(Revoked::Now(now)))
        }

        pub(super) async fn insert_usage(pool: &$pool, records: &[UsageRecord]) -> Result<u64, StorageError> {
            let mut written = 0;
            let mut tx = pool.begin().await?;
            for chunk in records.chunks(USAGE_ROWS_PER_INSERT) {
                let mut insert = sqlx::QueryBuilder::<$db>::new(
                    "INSERT INTO usage_logs (at, key_id, user_id, route, engine_id, workflow_id, status, latency_ms, \
                     cache_hit, served_by, request_id) ",
                );
                insert.push_values(chunk, |mut row, record| {
                    row.push_bind(encode_instant(record.at))
                        .push_bind(record.key_id.map(encode_id))
                        .push_bind(record.user_id.map(encode_id))
                        .push_bind(record.route.clone())
                        .push_bind(record.engine_id.clone())
                        .push_bind(record.workflow_id.clone())
                        .push_bind(i32::from(record.status))
                        .push_bind(i32::try_from(record.latency_ms).unwrap_or(i32::MAX))
                        .push_bind(record.cache_hit)
                        .push_bind(record.served_by.clone())
                        .push_bind(record.request_id.clone());
                });
                written += insert.build().execute(&mut *tx).await?.rows_affected();
            }
            tx.commit().await?;
            Ok(written)
        }
    };
}

pub(super) use queries;
