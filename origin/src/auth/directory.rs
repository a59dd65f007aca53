//! Finding what a presented key grants: in-process memory first, the database when the memory
//! is not fresh, Redis when the database is away (DESIGN.md §5: "key checks keep working from
//! the cache while the database is away").
//!
//! - An entry is *fresh* for `KEY_CACHE_TTL_SECONDS` (default 5 s); then the next request asks
//!   the database again. Unknown keys are remembered too (a negative entry), so a stream of
//!   well-formed made-up keys costs one query per key per TTL, not one per request.
//! - A stale entry is kept for a day. When the database is away (or slower than
//!   [`STALE_REFRESH_BOUND`]), the stale entry answers: a known key keeps working through an
//!   outage, and a refresh never holds a request for the full database timeout.
//! - Each answer from the database is also written to Redis (when configured), so another
//!   replica, or this one after a restart, can answer from Redis during an outage.
//! - A revocation or rotation made through this origin calls [`KeyDirectory::forget`], so it takes
//!   effect here on the next request; one made elsewhere (another replica, the command line)
//!   takes effect within the TTL.

use std::sync::Arc;
use std::time::{Duration, Instant};

use noesis_core::keys::{Grant, KeyHash};

use crate::key_admin::grant_of;
use crate::metrics::Metrics;
use crate::redis_link::RedisLink;
use crate::storage::{Database, StorageError};

/// How long a refresh of a key that has a stale entry may wait for the database before the
/// stale entry answers.
pub const STALE_REFRESH_BOUND: Duration = Duration::from_secs(1);

/// After a failed refresh, how long the stale entry answers before the database is tried again.
const RETRY_AFTER_FAILURE: Duration = Duration::from_secs(1);

/// How long an entry is kept at all, in memory and in Redis.
const KEEP_FOR: Duration = Duration::from_secs(24 * 3600);

/// How many keys the memory holds (each entry is a few hundred bytes).
const CAPACITY: u64 = 200_000;

/// A remembered answer: the key's grant, or `None` for a key no one issued.
#[derive(Debug, Clone)]
struct Entry {
    grant: Option<Grant>,
    fetched: Instant,
}

/// The key lookup with its caches. Cheap to clone.
#[derive(Clone)]
pub struct KeyDirectory {
    db: Database,
    redis: Option<RedisLink>,
    memory: moka::future::Cache<[u8; 32], Arc<Entry>>,
    fresh_for: Duration,
    metrics: Arc<Metrics>,
}

impl std::fmt::Debug for KeyDirectory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyDirectory").field("fresh_for", &self.fresh_for).finish_non_exhaustive()
    }
}

impl KeyDirectory {
    pub fn new(db: Database, redis: Option<RedisLink>, fresh_for: Duration, metrics: Arc<Metrics>) -> KeyDirectory {
        let memory = moka::future::Cache::builder().max_capacity(CAPACITY).time_to_live(KEEP_FOR).build();
        KeyDirectory { db, redis, memory, fresh_for, metrics }
    }

    /// The grant of the key with this hash; `Ok(None)` for a key no one issued (revoked and
    /// expired keys are found: the caller judges them with [`Grant::admit`]).
    ///
    /// Fails only when the database is away (or refuses) and no cache knows the key.
    pub async fn lookup(&self, hash: &KeyHash) -> Result<Option<Grant>, StorageError> {
        let id = *hash.as_bytes();
        let remembered = self.memory.get(&id).await;
        if let Some(entry) = &remembered
            && entry.fetched.elapsed() < self.fresh_for
        {
            self.metrics.cache("key", "memory", "hit");
            return Ok(entry.grant.clone());
        }
        let fetched = match &remembered {
            // With an answer in hand, the database gets a short bound: a slow database must not
            // slow every request down to its timeout.
            Some(_) => tokio::time::timeout(STALE_REFRESH_BOUND, self.fetch(hash))
                .await
                .unwrap_or_else(|_| Err(StorageError::Unavailable("key refresh took too long".to_owned()))),
            None => self.fetch(hash).await,
        };
        match fetched {
            Ok(grant) => {
                self.metrics.cache("key", "none", "miss");
                self.remember(id, grant.clone()).await;
                self.share(hash, grant.as_ref()).await;
                Ok(grant)
            }
            Err(err) if err.is_unavailable() => {
                self.metrics.db_unavailable.inc();
                if let Some(entry) = remembered {
                    self.metrics.cache("key", "memory", "hit");
                    // Counted as fresh for RETRY_AFTER_FAILURE more, so during an outage one
                    // request a second tries the database, not every request.
                    let fetched = Instant::now()
                        .checked_sub(self.fresh_for.saturating_sub(RETRY_AFTER_FAILURE))
                        .unwrap_or_else(Instant::now);
                    self.memory.insert(id, Arc::new(Entry { grant: entry.grant.clone(), fetched })).await;
                    return Ok(entry.grant.clone());
                }
                match self.shared(hash).await {
                    Some(grant) => {
                        self.metrics.cache("key", "redis", "hit");
                        self.remember(id, grant.clone()).await;
                        Ok(grant)
                    }
                    None => Err(err),
                }
            }
            Err(err) => Err(err),
        }
    }

    /// Drops what is known of the key, here and in Redis, so the next request reads the database:
    /// called after this origin revokes or rotates it.
    pub async fn forget(&self, hash: &KeyHash) {
        self.memory.invalidate(hash.as_bytes()).await;
        if let Some(redis) = &self.redis {
            let name = redis_name(hash);
            let outcome = redis
                .run(|mut conn| async move { redis::cmd("DEL").arg(name).query_async::<i64>(&mut conn).await })
                .await;
            if outcome.is_err() {
                self.metrics.redis_failures.inc();
            }
        }
    }

    async fn fetch(&self, hash: &KeyHash) -> Result<Option<Grant>, StorageError> {
        match self.db.key_by_hash(&hash.to_string()).await? {
            Some(stored) => Ok(Some(grant_of(&stored)?)),
            None => Ok(None),
        }
    }

    async fn remember(&self, id: [u8; 32], grant: Option<Grant>) {
        self.memory.insert(id, Arc::new(Entry { grant, fetched: Instant::now() })).await;
    }

    /// Writes a known key's grant to Redis for the other replicas (unknown keys stay local: a
    /// flood of made-up keys must not fill the shared cache).
    async fn share(&self, hash: &KeyHash, grant: Option<&Grant>) {
        let (Some(redis), Some(grant)) = (&self.redis, grant) else { return };
        let Ok(json) = serde_json::to_string(grant) else { return };
        let name = redis_name(hash);
        let outcome = redis
            .run(|mut conn| async move {
                redis::cmd("SET")
                    .arg(name)
                    .arg(json)
                    .arg("EX")
                    .arg(KEEP_FOR.as_secs())
                    .query_async::<()>(&mut conn)
                    .await
            })
            .await;
        if outcome.is_err() {
            self.metrics.redis_failures.inc();
        }
    }

    async fn shared(&self, hash: &KeyHash) -> Option<Option<Grant>> {
        let redis = self.redis.as_ref()?;
        let name = redis_name(hash);
        let json = redis
            .run(|mut conn| async move { redis::cmd("GET").arg(name).query_async::<Option<String>>(&mut conn).await })
            .await;
        match json {
            Ok(Some(json)) => serde_json::from_str::<Grant>(&json).ok().map(Some),
            Ok(None) => None,
            Err(_) => {
                self.metrics.redis_failures.inc();
                None
            }
        }
    }
}

/// The Redis key of a key's grant. The hash is not a secret (DESIGN §2 stores it), but it is
/// what the grant is found by, so it is the name.
fn redis_name(hash: &KeyHash) -> String {
    format!("noesis:key:{hash}")
}
