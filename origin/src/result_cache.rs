//! The cache of finished answers (engine results, workflow runs): in process first, then Redis.
//!
//! Answers are deterministic for their key (the engine, its version, the level and the hash of
//! the canonical input, DESIGN.md §4), so a cached answer is as good as a fresh one until its TTL,
//! which the caller chooses: long for birth-only results, until the time bucket ends for
//! time-dependent ones. Values are opaque bytes (the handler stores the serialized response).
//!
//! - **Memory**: a moka cache weighed by bytes (`max_bytes` in all), each entry with its own TTL.
//!   Always there, so without Redis everything works in one process.
//! - **Redis** (when configured): `noesis:result:{key}` with `PX`, shared by every replica. A value
//!   found there is copied into memory for the time it has left. A Redis failure is a miss or a
//!   skipped write, never an error: Redis going away makes the cache per-process, nothing more.
//!
//! Each lookup is counted once in `Metrics::cache_lookups` under `cache="result"`, with the layer
//! that answered (`memory`, `redis`) or `none` for a miss of both.

use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use moka::Expiry;
use moka::future::Cache;

use crate::metrics::Metrics;
use crate::redis_link::RedisLink;

/// The longest an answer is kept, whatever the caller asks: birth-only results are asked for
/// 30 days (DESIGN.md §4), and nothing should live longer than that.
pub const MAX_TTL: Duration = Duration::from_secs(30 * 24 * 60 * 60);

/// Which layer answered a lookup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layer {
    /// This process's memory.
    Memory,
    /// The shared Redis.
    Redis,
}

impl Layer {
    /// The layer's name as a metric label: `memory` or `redis`.
    pub fn as_str(self) -> &'static str {
        match self {
            Layer::Memory => "memory",
            Layer::Redis => "redis",
        }
    }
}

/// A cached answer and how long it may live from its insertion.
#[derive(Clone)]
struct Entry {
    value: Bytes,
    ttl: Duration,
}

/// Gives each entry its own TTL, renewed when a key is written again.
struct PerEntryTtl;

impl Expiry<String, Entry> for PerEntryTtl {
    fn expire_after_create(&self, _key: &String, entry: &Entry, _created_at: Instant) -> Option<Duration> {
        Some(entry.ttl)
    }

    fn expire_after_update(
        &self,
        _key: &String,
        entry: &Entry,
        _updated_at: Instant,
        _duration_until_expiry: Option<Duration>,
    ) -> Option<Duration> {
        Some(entry.ttl)
    }
}

/// The two-layer cache. Cloning is cheap and shares both layers.
#[derive(Clone)]
pub struct ResultCache {
    memory: Cache<String, Entry>,
    redis: Option<RedisLink>,
    metrics: Arc<Metrics>,
}

impl std::fmt::Debug for ResultCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResultCache").field("redis", &self.redis).finish_non_exhaustive()
    }
}

fn redis_key(key: &str) -> String {
    format!("noesis:result:{key}")
}

impl ResultCache {
    /// A cache holding at most about `max_bytes` of keys and values in memory, backed by
    /// `redis` when given.
    pub fn new(max_bytes: u64, redis: Option<RedisLink>, metrics: Arc<Metrics>) -> ResultCache {
        let memory = Cache::builder()
            .max_capacity(max_bytes)
            .weigher(|key: &String, entry: &Entry| u32::try_from(key.len() + entry.value.len()).unwrap_or(u32::MAX))
            .expire_after(PerEntryTtl)
            .build();
        ResultCache { memory, redis, metrics }
    }

    /// The answer stored under `key` and the layer it came from, or `None` when neither layer
    /// has it (or Redis could not be asked).
    pub async fn get(&self, key: &str) -> Option<(Bytes, Layer)> {
        let found = match self.memory.get(key).await {
            Some(entry) => Some((entry.value, Layer::Memory)),
            None => self.get_from_redis(key).await.map(|value| (value, Layer::Redis)),
        };
        let (layer, outcome) = match &found {
            Some((_, layer)) => (layer.as_str(), "hit"),
            None => ("none", "miss"),
        };
        self.metrics.cache("result", layer, outcome);
        found
    }

    /// The value in Redis, copied into memory for the time it has left there.
    async fn get_from_redis(&self, key: &str) -> Option<Bytes> {
        let redis = self.redis.as_ref()?;
        let full_key = redis_key(key);
        // One round trip for the value and its remaining lifetime.
        let outcome = redis
            .run(|mut conn| async move {
                redis::pipe()
                    .cmd("GET")
                    .arg(&full_key)
                    .cmd("PTTL")
                    .arg(&full_key)
                    .query_async::<(Option<Vec<u8>>, i64)>(&mut conn)
                    .await
            })
            .await;
        let (value, pttl_ms) = match outcome {
            Ok(found) => found,
            Err(_) => {
                self.metrics.redis_failures.inc();
                return None;
            }
        };
        let value = Bytes::from(value?);
        // -1: no expiry (written by something else); -2: gone since the GET. Either way the
        // value read is good; it is kept in memory only for a positive remaining time.
        let ttl = match pttl_ms {
            -1 => Some(MAX_TTL),
            ms => u64::try_from(ms).ok().filter(|&ms| ms > 0).map(|ms| Duration::from_millis(ms).min(MAX_TTL)),
        };
        if let Some(ttl) = ttl {
            self.memory.insert(key.to_string(), Entry { value: value.clone(), ttl }).await;
        }
        Some(value)
    }

    /// Stores `value` under `key` for `ttl` (at most [`MAX_TTL`]) in memory and, when
    /// configured, in Redis. A zero TTL stores nothing. Waits for Redis at most its timeout;
    /// a handler that must not wait at all can spawn this on a clone.
    pub async fn put(&self, key: &str, value: Bytes, ttl: Duration) {
        let ttl = ttl.min(MAX_TTL);
        let Ok(ttl_ms @ 1..) = u64::try_from(ttl.as_millis()) else { return };
        self.memory.insert(key.to_string(), Entry { value: value.clone(), ttl }).await;
        let Some(redis) = &self.redis else { return };
        let full_key = redis_key(key);
        let outcome = redis
            .run(|mut conn| async move {
                redis::cmd("SET")
                    .arg(&full_key)
                    .arg(value.as_ref())
                    .arg("PX")
                    .arg(ttl_ms)
                    .query_async::<()>(&mut conn)
                    .await
            })
            .await;
        if outcome.is_err() {
            self.metrics.redis_failures.inc();
        }
    }
}
