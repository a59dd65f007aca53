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

use super::model::UsageGroupBy;

/// The columns of `api_keys` that `key_from_row` reads.
pub(super) const KEY_COLUMNS: &str = "id, user_id, name, key_hash, prefix, tier, consciousness_level, scopes, \
     rate_limit_per_minute, created_at, expires_at, revoked_at, revoked_reason, last_used_at, rotated_from";

/// The columns of `users` that `user_from_row` reads.
pub(super) const USER_COLUMNS: &str = "id, email, name, tier, created_at";

/// The columns of `idempotency_keys` that `idempotency_from_row` reads.
pub(super) const IDEMPOTENCY_COLUMNS: &str =
    "key, request_hash, response_status, response_body, created_at, expires_at";

/// The keys that work at the instant `$1`: not revoked by then (a later `revoked_at` is a
/// revocation scheduled by a rotation) and not expired.
pub(super) const ACTIVE_AT_1: &str =
    "(revoked_at IS NULL OR revoked_at > $1) AND (expires_at IS NULL OR expires_at > $1)";

/// A newest-first listing page (see `page_query`): the rows after the cursor `($1, $2)`, then
/// the order and the limit `$3`. Served by the `(created_at, id)` indexes.
pub(super) const PAGE_AFTER: &str = "($1 IS NULL OR created_at < $1 OR (created_at = $1 AND id < $2))";
pub(super) const PAGE_ORDER: &str = "ORDER BY created_at DESC, id DESC LIMIT $3";

/// Rows per multi-row `INSERT` of usage: 11 parameters each keeps a statement under SQLite's
/// 32,766 and Postgres's 65,535 parameters.
pub(super) const USAGE_ROWS_PER_INSERT: usize = 1000;

/// Ids per statement where a statement takes a list of them (request counts, last use): far
/// under both databases' parameter limits, and more than a listing page or a usage batch holds,
/// so that in practice it is one statement.
pub(super) const IDS_PER_STATEMENT: usize = 1000;

/// The usage summary after its first CTE `w` (`grp, status, cache_hit, latency_us` of the
/// requests in the window): each group's counts and nearest-rank percentiles, largest first.
/// The rank of the p-th percentile of n values is ceil(p × n / 100), in integers
/// `(p × n + 99) / 100`: `(n + 1) / 2` for the median. Ties of `requests` go by group, the
/// no-group (`NULL`) last, the same on both databases.
pub(super) const USAGE_SUMMARY_TAIL: &str = "), ranked AS ( \
         SELECT grp, status, cache_hit, latency_us, \
                ROW_NUMBER() OVER (PARTITION BY grp ORDER BY latency_us) AS nth, \
                COUNT(*) OVER (PARTITION BY grp) AS n \
         FROM w) \
     SELECT grp, \
            COUNT(*) AS requests, \
            COUNT(*) FILTER (WHERE status BETWEEN 400 AND 499) AS client_errors, \
            COUNT(*) FILTER (WHERE status >= 500) AS server_errors, \
            COUNT(*) FILTER (WHERE cache_hit) AS cache_hits, \
            MAX(latency_us) FILTER (WHERE nth = (n + 1) / 2) AS p50_us, \
            MAX(latency_us) FILTER (WHERE nth = (95 * n + 99) / 100) AS p95_us \
     FROM ranked \
     GROUP BY grp \
     ORDER BY requests DESC, grp IS NULL, grp \
     LIMIT ";

/// The expression a usage summary groups by, as text on both databases (a Postgres `UUID`
/// casts to the same hyphenated lowercase text SQLite stores).
pub(super) fn usage_group_expression(group_by: UsageGroupBy) -> &'static str {
    match group_by {
        UsageGroupBy::Key => "CAST(key_id AS TEXT)",
        UsageGroupBy::User => "CAST(user_id AS TEXT)",
        UsageGroupBy::Engine => "engine_id",
        UsageGroupBy::Total => "CAST(NULL AS TEXT)",
    }
}

/// Microseconds as the fractional milliseconds the usage report shows.
pub(super) fn micros_to_millis(micros: i64) -> f64 {
    micros as f64 / 1000.0
}

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
        use std::collections::{BTreeMap, HashMap};

        use super::model::{
            Claim, IdempotencyRecord, KeyEvent, KeyFilter, KeyPage, NewKey, NewUser, Page, PageCursor, RequestCounts,
            Revocation, Revoked, Rotated, Rotation, StoredKey, UsageGroup, UsageQuery, UsageRecord, User, UserPage,
        };
        use super::queries::{
            ACTIVE_AT_1, IDEMPOTENCY_COLUMNS, IDS_PER_STATEMENT, KEY_COLUMNS, PAGE_AFTER, PAGE_ORDER,
            USAGE_ROWS_PER_INSERT, USAGE_SUMMARY_TAIL, USER_COLUMNS, join_scopes, micros_to_millis, split_scopes,
            usage_group_expression,
        };

        /// The connection a transaction runs on, which the steps shared by several queries take.
        type Connection = <$db as sqlx::Database>::Connection;
        type Query<'q> = sqlx::query::Query<'q, $db, <$db as sqlx::Database>::Arguments<'q>>;

        const EMAIL_TAKEN: &str = "a user with this email";
        const KEY_HASH_TAKEN: &str = "a key with this hash";
        const NO_SUCH_USER: &str = "the user";
        const NO_SUCH_KEY: &str = "the key";

        /// A number column as the type the model holds it in; `S` is the column's SQL integer
        /// type (`i32` for `INTEGER`, `i64` for `BIGINT` and counts).
        fn number<S, T>(row: &$row, column: &str) -> Result<T, StorageError>
        where
            S: for<'r> sqlx::Decode<'r, $db> + sqlx::Type<$db>,
            T: TryFrom<S>,
        {
            T::try_from(row.try_get::<S, _>(column)?)
                .map_err(|_| StorageError::Corrupt(format!("{column} is out of range")))
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
                consciousness_level: number::<i32, _>(row, "consciousness_level")?,
                scopes: split_scopes(row.try_get("scopes")?),
                rate_limit_per_minute: number::<i32, _>(row, "rate_limit_per_minute")?,
                created_at: decode_instant(row, "created_at")?,
                expires_at: decode_opt_instant(row, "expires_at")?,
                revoked_at: decode_opt_instant(row, "revoked_at")?,
                revoked_reason: row.try_get("revoked_reason")?,
                last_used_at: decode_opt_instant(row, "last_used_at")?,
                rotated_from: decode_opt_id(row, "rotated_from")?,
            })
        }

        fn event_from_row(row: &$row) -> Result<KeyEvent, StorageError> {
            Ok(KeyEvent {
                id: decode_id(row, "id")?,
                key_id: decode_id(row, "key_id")?,
                kind: row.try_get("kind")?,
                actor: row.try_get("actor")?,
                reason: row.try_get("reason")?,
                at: decode_instant(row, "at")?,
            })
        }

        fn idempotency_from_row(row: &$row) -> Result<IdempotencyRecord, StorageError> {
            Ok(IdempotencyRecord {
                key: row.try_get("key")?,
                request_hash: row.try_get("request_hash")?,
                response_status: number::<i32, _>(row, "response_status")?,
                response_body: row.try_get("response_body")?,
                created_at: decode_instant(row, "created_at")?,
                expires_at: decode_instant(row, "expires_at")?,
            })
        }

        fn usage_group_from_row(row: &$row) -> Result<UsageGroup, StorageError> {
            Ok(UsageGroup {
                group: row.try_get("grp")?,
                requests: number::<i64, _>(row, "requests")?,
                client_errors: number::<i64, _>(row, "client_errors")?,
                server_errors: number::<i64, _>(row, "server_errors")?,
                cache_hits: number::<i64, _>(row, "cache_hits")?,
                p50_latency_ms: micros_to_millis(row.try_get("p50_us")?),
                p95_latency_ms: micros_to_millis(row.try_get("p95_us")?),
            })
        }

        /// The row `sql` finds with its one parameter `value`, decoded, if there is one.
        async fn fetch_one_where<'q, T, V>(
            pool: &$pool,
            sql: &'q str,
            value: V,
            decode: fn(&$row) -> Result<T, StorageError>,
        ) -> Result<Option<T>, StorageError>
        where
            V: 'q + sqlx::Encode<'q, $db> + sqlx::Type<$db> + Send,
        {
            sqlx::query(sql).bind(value).fetch_optional(pool).await?.as_ref().map(decode).transpose()
        }

        /// A newest-first page query (`PAGE_AFTER`, `PAGE_ORDER`) with its first three parameters
        /// bound: the cursor and one row more than `limit`, which says whether a next page exists.
        fn page_query(sql: &str, after: Option<PageCursor>, limit: u32) -> Query<'_> {
            sqlx::query(sql)
                .bind(after.map(|cursor| encode_instant(cursor.created_at)))
                .bind(after.map(|cursor| encode_id(cursor.id)))
                .bind(i64::from(limit) + 1)
        }

        async fn insert_event(
            conn: &mut Connection,
            key_id: Uuid,
            kind: &str,
            actor: &str,
            reason: Option<&str>,
            now: Timestamp,
        ) -> Result<(), StorageError> {
            sqlx::query(
                "INSERT INTO api_key_events (id, key_id, kind, actor, reason, at) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(encode_id(Uuid::new_v4()))
            .bind(encode_id(key_id))
            .bind(kind)
            .bind(actor)
            .bind(reason)
            .bind(encode_instant(now))
            .execute(conn)
            .await
            .map_err(|err| StorageError::from_sqlx(err, "the event", NO_SUCH_KEY))?;
            Ok(())
        }

        /// Inserts `key`, replacing `rotated_from`, and its `create` event.
        async fn insert_key(
            conn: &mut Connection,
            key: &NewKey,
            rotated_from: Option<Uuid>,
            now: Timestamp,
        ) -> Result<StoredKey, StorageError> {
            let id = Uuid::new_v4();
            let scopes = join_scopes(&key.scopes);
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
            .bind(rotated_from.map(encode_id))
            .execute(&mut *conn)
            .await
            .map_err(|err| StorageError::from_sqlx(err, KEY_HASH_TAKEN, NO_SUCH_USER))?;
            insert_event(conn, id, "create", &key.actor, None, now).await?;
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
                rotated_from,
            })
        }

        /// Why a revocation or rotation of `key_id` changed nothing, after rolling `tx` back:
        /// `None` for no such key, else the instant it is (or will be) revoked at.
        async fn not_revocable(
            mut tx: sqlx::Transaction<'_, $db>,
            key_id: Uuid,
        ) -> Result<Option<Timestamp>, StorageError> {
            let row = sqlx::query("SELECT revoked_at FROM api_keys WHERE id = $1")
                .bind(encode_id(key_id))
                .fetch_optional(&mut *tx)
                .await?;
            tx.rollback().await?;
            match row {
                None => Ok(None),
                Some(row) => match decode_opt_instant(&row, "revoked_at")? {
                    Some(at) => Ok(Some(at)),
                    None => Err(StorageError::Corrupt("a key neither revoked nor revocable".to_string())),
                },
            }
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
            let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE lower(email) = lower($1)");
            fetch_one_where(pool, &sql, email, user_from_row).await
        }

        pub(super) async fn user_by_id(pool: &$pool, id: Uuid) -> Result<Option<User>, StorageError> {
            let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1");
            fetch_one_where(pool, &sql, encode_id(id), user_from_row).await
        }

        pub(super) async fn list_users(
            pool: &$pool,
            after: Option<PageCursor>,
            limit: u32,
        ) -> Result<UserPage, StorageError> {
            let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE {PAGE_AFTER} {PAGE_ORDER}");
            let rows = page_query(&sql, after, limit).fetch_all(pool).await?;
            Ok(Page::from_rows(rows.iter().map(user_from_row).collect::<Result<_, _>>()?, limit))
        }

        pub(super) async fn create_key(pool: &$pool, key: &NewKey, now: Timestamp) -> Result<StoredKey, StorageError> {
            let mut tx = pool.begin().await?;
            let stored = insert_key(&mut tx, key, key.rotated_from, now).await?;
            tx.commit().await?;
            Ok(stored)
        }

        pub(super) async fn key_by_hash(pool: &$pool, key_hash: &str) -> Result<Option<StoredKey>, StorageError> {
            let sql = format!("SELECT {KEY_COLUMNS} FROM api_keys WHERE key_hash = $1");
            fetch_one_where(pool, &sql, key_hash, key_from_row).await
        }

        pub(super) async fn key_by_id(pool: &$pool, id: Uuid) -> Result<Option<StoredKey>, StorageError> {
            let sql = format!("SELECT {KEY_COLUMNS} FROM api_keys WHERE id = $1");
            fetch_one_where(pool, &sql, encode_id(id), key_from_row).await
        }

        pub(super) async fn key_events(pool: &$pool, key_id: Uuid) -> Result<Vec<KeyEvent>, StorageError> {
            let rows = sqlx::query(
                "SELECT id, key_id, kind, actor, reason, at FROM api_key_events WHERE key_id = $1 ORDER BY at, id",
            )
            .bind(encode_id(key_id))
            .fetch_all(pool)
            .await?;
            rows.iter().map(event_from_row).collect()
        }

        pub(super) async fn list_keys(
            pool: &$pool,
            filter: &KeyFilter,
            after: Option<PageCursor>,
            limit: u32,
            now: Timestamp,
        ) -> Result<KeyPage, StorageError> {
            let sql = format!(
                "SELECT {KEY_COLUMNS} FROM api_keys \
                 WHERE {PAGE_AFTER} \
                   AND ($4 IS NULL OR user_id = $4) \
                   AND ($5 IS NULL OR tier = $5) \
                   AND ($6 IS NULL OR (revoked_at IS NOT NULL AND revoked_at <= $7) = $6) \
                 {PAGE_ORDER}"
            );
            let rows = page_query(&sql, after, limit)
                .bind(filter.user_id.map(encode_id))
                .bind(filter.tier.as_deref())
                .bind(filter.revoked)
                .bind(encode_instant(now))
                .fetch_all(pool)
                .await?;
            Ok(Page::from_rows(rows.iter().map(key_from_row).collect::<Result<_, _>>()?, limit))
        }

        pub(super) async fn active_keys(pool: &$pool, now: Timestamp) -> Result<Vec<StoredKey>, StorageError> {
            let sql = format!("SELECT {KEY_COLUMNS} FROM api_keys WHERE {ACTIVE_AT_1} ORDER BY id");
            let rows = sqlx::query(&sql).bind(encode_instant(now)).fetch_all(pool).await?;
            rows.iter().map(key_from_row).collect()
        }

        pub(super) async fn count_active_admin_keys(pool: &$pool, now: Timestamp) -> Result<u64, StorageError> {
            // Scopes are one space-separated text: padded with spaces, `admin` is a whole word.
            let sql = format!(
                "SELECT COUNT(*) AS keys FROM api_keys WHERE {ACTIVE_AT_1} AND ' ' || scopes || ' ' LIKE '% admin %'"
            );
            let row = sqlx::query(&sql).bind(encode_instant(now)).fetch_one(pool).await?;
            number::<i64, _>(&row, "keys")
        }

        pub(super) async fn revoke_key(
            pool: &$pool,
            revocation: &Revocation,
            now: Timestamp,
        ) -> Result<Option<Revoked>, StorageError> {
            let mut tx = pool.begin().await?;
            // The write comes first, so that SQLite takes its write lock at once instead of
            // upgrading a read lock, which can fail under concurrent writers. A revocation
            // scheduled for later (by a rotation) is brought forward to now.
            let updated = sqlx::query(
                "UPDATE api_keys SET revoked_at = $1, revoked_reason = $2 \
                 WHERE id = $3 AND (revoked_at IS NULL OR revoked_at > $1)",
            )
            .bind(encode_instant(now))
            .bind(revocation.reason.as_deref())
            .bind(encode_id(revocation.key_id))
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if updated == 0 {
                return Ok(not_revocable(tx, revocation.key_id).await?.map(Revoked::Already));
            }
            insert_event(&mut tx, revocation.key_id, "revoke", &revocation.actor, revocation.reason.as_deref(), now)
                .await?;
            tx.commit().await?;
            Ok(Some(Revoked::Now(now)))
        }

        pub(super) async fn rotate_key(
            pool: &$pool,
            rotation: &Rotation,
            now: Timestamp,
        ) -> Result<Rotated, StorageError> {
            let revoked_at = super::truncate_to_microsecond(rotation.grace_until).max(now);
            let mut tx = pool.begin().await?;
            // The write first, as in `revoke_key`; only a key with no revocation at all, past
            // or scheduled, can be rotated, so two concurrent rotations cannot both succeed.
            let old = sqlx::query(
                "UPDATE api_keys SET revoked_at = $1, revoked_reason = 'rotated' \
                 WHERE id = $2 AND revoked_at IS NULL RETURNING expires_at",
            )
            .bind(encode_instant(revoked_at))
            .bind(encode_id(rotation.old_key_id))
            .fetch_optional(&mut *tx)
            .await?;
            let Some(old) = old else {
                return Ok(match not_revocable(tx, rotation.old_key_id).await? {
                    None => Rotated::NotFound,
                    Some(at) => Rotated::AlreadyRevoked(at),
                });
            };
            let expires_at = decode_opt_instant(&old, "expires_at")?;
            let new_key = insert_key(&mut tx, &rotation.new_key, Some(rotation.old_key_id), now).await?;
            let reason = format!("replaced by {}", new_key.id);
            insert_event(&mut tx, rotation.old_key_id, "rotate", &rotation.actor, Some(&reason), now).await?;
            tx.commit().await?;
            let previous_valid_until = expires_at.map_or(revoked_at, |expires_at| expires_at.min(revoked_at));
            Ok(Rotated::Done { new_key, previous_valid_until })
        }

        pub(super) async fn touch_last_used(pool: &$pool, uses: &[(Uuid, Timestamp)]) -> Result<(), StorageError> {
            // The latest use of each key, once, in id order: one row per key in each statement
            // (Postgres would pick any of two), and concurrent batches lock keys in the same order.
            let mut latest: BTreeMap<Uuid, Timestamp> = BTreeMap::new();
            for &(id, at) in uses {
                let at = super::truncate_to_microsecond(at);
                latest.entry(id).and_modify(|seen| *seen = (*seen).max(at)).or_insert(at);
            }
            let latest: Vec<(Uuid, Timestamp)> = latest.into_iter().collect();
            let mut tx = pool.begin().await?;
            for chunk in latest.chunks(IDS_PER_STATEMENT) {
                // VALUES names its columns column1, column2 on both databases.
                let mut update = sqlx::QueryBuilder::<$db>::new("UPDATE api_keys SET last_used_at = v.column2 FROM (");
                update.push_values(chunk, |mut row, &(id, at)| {
                    row.push_bind(encode_id(id)).push_bind(encode_instant(at));
                });
                update.push(
                    ") AS v WHERE api_keys.id = v.column1 \
                     AND (api_keys.last_used_at IS NULL OR api_keys.last_used_at < v.column2)",
                );
                update.build().execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok(())
        }

        pub(super) async fn insert_usage(pool: &$pool, records: &[UsageRecord]) -> Result<u64, StorageError> {
            let mut written = 0;
            let mut tx = pool.begin().await?;
            for chunk in records.chunks(USAGE_ROWS_PER_INSERT) {
                let mut insert = sqlx::QueryBuilder::<$db>::new(
                    "INSERT INTO usage_logs (at, key_id, user_id, route, engine_id, workflow_id, status, latency_us, \
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
                        .push_bind(i64::try_from(record.latency_us).unwrap_or(i64::MAX))
                        .push_bind(record.cache_hit)
                        .push_bind(record.served_by.clone())
                        .push_bind(record.request_id.clone());
                });
                written += insert.build().execute(&mut *tx).await?.rows_affected();
            }
            tx.commit().await?;
            Ok(written)
        }

        pub(super) async fn key_request_counts(
            pool: &$pool,
            key_ids: &[Uuid],
            since: Timestamp,
        ) -> Result<HashMap<Uuid, RequestCounts>, StorageError> {
            let mut counts = HashMap::new();
            for chunk in key_ids.chunks(IDS_PER_STATEMENT) {
                let mut query =
                    sqlx::QueryBuilder::<$db>::new("SELECT key_id, COUNT(*) AS total, COUNT(*) FILTER (WHERE at >= ");
                query.push_bind(encode_instant(since)).push(") AS recent FROM usage_logs WHERE key_id IN (");
                let mut ids = query.separated(", ");
                for &id in chunk {
                    ids.push_bind(encode_id(id));
                }
                query.push(") GROUP BY key_id");
                for row in query.build().fetch_all(pool).await? {
                    let key_counts = RequestCounts {
                        total: number::<i64, _>(&row, "total")?,
                        since: number::<i64, _>(&row, "recent")?,
                    };
                    counts.insert(decode_id(&row, "key_id")?, key_counts);
                }
            }
            Ok(counts)
        }

        pub(super) async fn usage_for_key_since(
            pool: &$pool,
            key_id: Uuid,
            since: Timestamp,
        ) -> Result<u64, StorageError> {
            let row = sqlx::query("SELECT COUNT(*) AS requests FROM usage_logs WHERE key_id = $1 AND at >= $2")
                .bind(encode_id(key_id))
                .bind(encode_instant(since))
                .fetch_one(pool)
                .await?;
            number::<i64, _>(&row, "requests")
        }

        pub(super) async fn usage_summary(pool: &$pool, query: &UsageQuery) -> Result<Vec<UsageGroup>, StorageError> {
            // The filters are written in only when given, so that the planner sees a plain range on
            // `at` (or on `(key_id, at)`, `(user_id, at)`) rather than `$n IS NULL OR ...`.
            let group = usage_group_expression(query.group_by);
            let mut sql = sqlx::QueryBuilder::<$db>::new(format!(
                "WITH w AS (SELECT {group} AS grp, status, cache_hit, latency_us FROM usage_logs WHERE at >= "
            ));
            sql.push_bind(encode_instant(query.from)).push(" AND at < ").push_bind(encode_instant(query.to));
            if let Some(key_id) = query.key_id {
                sql.push(" AND key_id = ").push_bind(encode_id(key_id));
            }
            if let Some(user_id) = query.user_id {
                sql.push(" AND user_id = ").push_bind(encode_id(user_id));
            }
            sql.push(USAGE_SUMMARY_TAIL).push_bind(i64::from(query.limit));
            sql.build().fetch_all(pool).await?.iter().map(usage_group_from_row).collect()
        }

        pub(super) async fn idempotency_claim(
            pool: &$pool,
            record: &IdempotencyRecord,
            now: Timestamp,
        ) -> Result<Claim, StorageError> {
            let mut tx = pool.begin().await?;
            // One statement decides: it inserts, or replaces an expired record, or (a live record
            // holds the key) changes nothing but locks that row until the read below.
            let stored = sqlx::query(
                "INSERT INTO idempotency_keys (key, request_hash, response_status, response_body, created_at, \
                 expires_at) VALUES ($1, $2, $3, $4, $5, $6) \
                 ON CONFLICT (key) DO UPDATE SET request_hash = excluded.request_hash, \
                 response_status = excluded.response_status, response_body = excluded.response_body, \
                 created_at = excluded.created_at, expires_at = excluded.expires_at \
                 WHERE idempotency_keys.expires_at <= $7",
            )
            .bind(&record.key)
            .bind(&record.request_hash)
            .bind(i32::from(record.response_status))
            .bind(&record.response_body)
            .bind(encode_instant(record.created_at))
            .bind(encode_instant(record.expires_at))
            .bind(encode_instant(now))
            .execute(&mut *tx)
            .await
            .map_err(|err| StorageError::from_sqlx(err, "an idempotency record with this key", "a referenced row"))?
            .rows_affected();
            if stored > 0 {
                tx.commit().await?;
                return Ok(Claim::Stored);
            }
            let existing = live_idempotency_record(&mut *tx, &record.key, now).await?;
            tx.rollback().await?;
            existing
                .map(Claim::Existing)
                .ok_or_else(|| StorageError::Corrupt("an idempotency key neither free nor held".to_string()))
        }

        /// The record under `key` that has not expired at `now`.
        async fn live_idempotency_record<'e>(
            executor: impl sqlx::Executor<'e, Database = $db>,
            key: &str,
            now: Timestamp,
        ) -> Result<Option<IdempotencyRecord>, StorageError> {
            let sql = format!("SELECT {IDEMPOTENCY_COLUMNS} FROM idempotency_keys WHERE key = $1 AND expires_at > $2");
            let row = sqlx::query(&sql).bind(key).bind(encode_instant(now)).fetch_optional(executor).await?;
            row.as_ref().map(idempotency_from_row).transpose()
        }

        pub(super) async fn idempotency_get(
            pool: &$pool,
            key: &str,
            now: Timestamp,
        ) -> Result<Option<IdempotencyRecord>, StorageError> {
            live_idempotency_record(pool, key, now).await
        }

        pub(super) async fn idempotency_complete(
            pool: &$pool,
            key: &str,
            status: u16,
            body: &str,
            expires_at: Timestamp,
        ) -> Result<(), StorageError> {
            sqlx::query(
                "UPDATE idempotency_keys SET response_status = $1, response_body = $2, expires_at = $3 WHERE key = $4",
            )
            .bind(i32::from(status))
            .bind(body)
            .bind(encode_instant(expires_at))
            .bind(key)
            .execute(pool)
            .await?;
            Ok(())
        }

        pub(super) async fn idempotency_release(pool: &$pool, key: &str) -> Result<(), StorageError> {
            sqlx::query("DELETE FROM idempotency_keys WHERE key = $1").bind(key).execute(pool).await?;
            Ok(())
        }

        pub(super) async fn purge_expired_idempotency(pool: &$pool, now: Timestamp) -> Result<u64, StorageError> {
            let purged = sqlx::query("DELETE FROM idempotency_keys WHERE expires_at <= $1")
                .bind(encode_instant(now))
                .execute(pool)
                .await?
                .rows_affected();
            Ok(purged)
        }
    };
}

pub(super) use queries;
