//! Rate limits: requests per key per minute (DESIGN.md §5), exact across origin replicas.
//!
//! The window is the calendar minute in UTC: a key's count starts at zero at every `hh:mm:00`
//! and the `RateLimit-Reset` header says how many seconds are left until then. A fixed window is
//! what a client can predict and what one atomic counter can enforce exactly; its known cost is
//! that a client may spend two windows' worth across a minute boundary.
//!
//! With Redis, every check is one Lua script (`INCR`, then `PEXPIRE` on the window's first hit)
//! on `noesis:rl:{key_id}:{minute}`, so every replica counts against the same number and the
//! limit holds exactly however many replicas serve the key. Keys expire shortly after their window.
//!
//! Without Redis, or when a Redis call fails (down, slow, open circuit), the check counts in
//! process instead, in a bounded cache of counters that forget a window two minutes after it
//! began. That is exact for one process; **during a Redis outage each replica counts alone**, so
//! a key spread over N replicas may get up to N times its limit until Redis answers again (the
//! in-process count also starts from zero, not from what Redis had counted). A request is never
//! refused or delayed beyond the Redis timeout because Redis is away.
//!
//! A refused request still counts: a client that keeps hammering does not earn its next request
//! sooner. [`RateLimiter::check`] only decides; the HTTP layer answers 429 and counts the refusal
//! in `Metrics::rate_limited` under the key's tier, which the limiter does not know.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use jiff::Timestamp;
use moka::future::Cache;
use uuid::Uuid;

pub use noesis_core::http::rate_limit::RateDecision;
use noesis_core::http::rate_limit::window;

use crate::metrics::Metrics;
use crate::redis_link::RedisLink;

/// How long a Redis counter outlives its window: replicas whose clocks run a little behind
/// still find the count of the minute they believe it is.
const REDIS_GRACE_MS: i64 = 10_000;

/// How many (key, minute) counters the in-process fallback keeps. Each is a few dozen bytes; a
/// counter evicted early (more active keys than this in two minutes) restarts from zero.
const LOCAL_CAPACITY: u64 = 200_000;

/// How long an in-process counter lives: its minute plus one, so a counter is never dropped
/// while its window is open.
const LOCAL_TTL: Duration = Duration::from_secs(120);

/// Increments the window's counter and, on its first hit, sets it to expire; returns the count.
/// One script so that the two steps cannot be split by a crash or a concurrent request.
const INCREMENT_SCRIPT: &str = r"
local count = redis.call('INCR', KEYS[1])
if count == 1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
return count
";

/// Checks requests against per-key limits. Cloning is cheap and shares the counters.
#[derive(Clone)]
pub struct RateLimiter {
    inner: Arc<Inner>,
}

struct Inner {
    redis: Option<RedisLink>,
    metrics: Arc<Metrics>,
    script: redis::Script,
    /// The fallback counters, by key and Unix minute.
    local: Cache<(Uuid, i64), Arc<AtomicU64>>,
}

impl std::fmt::Debug for RateLimiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RateLimiter").field("redis", &self.inner.redis).finish_non_exhaustive()
    }
}

impl RateLimiter {
    /// A limiter counting in `redis` when given (and reachable), in process otherwise.
    pub fn new(redis: Option<RedisLink>, metrics: Arc<Metrics>) -> RateLimiter {
        let local = Cache::builder().max_capacity(LOCAL_CAPACITY).time_to_live(LOCAL_TTL).build();
        RateLimiter { inner: Arc::new(Inner { redis, metrics, script: redis::Script::new(INCREMENT_SCRIPT), local }) }
    }

    /// Counts one request of `key_id` in the window of `now` and decides whether it may go on
    /// under `limit_per_minute` (0 refuses everything). Never fails and never waits on Redis
    /// longer than its timeout.
    pub async fn check(&self, key_id: Uuid, limit_per_minute: u32, now: Timestamp) -> RateDecision {
        let (minute, left_ms) = window(now);
        let count = match self.count_in_redis(key_id, minute, left_ms).await {
            Some(count) => count,
            None => self.count_in_process(key_id, minute).await,
        };
        RateDecision::of_count(count, limit_per_minute, left_ms)
    }

    /// The count after this request in Redis, or `None` without Redis or when the call failed.
    async fn count_in_redis(&self, key_id: Uuid, minute: i64, left_ms: i64) -> Option<u64> {
        let redis = self.inner.redis.as_ref()?;
        let key = format!("noesis:rl:{key_id}:{minute}");
        let script = &self.inner.script;
        let outcome = redis
            .run(|mut conn| async move {
                let mut invocation = script.prepare_invoke();
                invocation.key(key).arg(left_ms + REDIS_GRACE_MS);
                invocation.invoke_async::<i64>(&mut conn).await
            })
            .await;
        match outcome {
            Ok(count) => Some(u64::try_from(count).unwrap_or(0)),
            Err(_) => {
                // RedisLink logs the first failure of an outage; each fallback is counted.
                self.inner.metrics.redis_failures.inc();
                None
            }
        }
    }

    /// The count after this request in this process alone.
    async fn count_in_process(&self, key_id: Uuid, minute: i64) -> u64 {
        let counter = self.inner.local.get_with((key_id, minute), async { Arc::new(AtomicU64::new(0)) }).await;
        counter.fetch_add(1, Ordering::Relaxed).saturating_add(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_are_calendar_minutes() {
        let at = |s: &str| s.parse::<Timestamp>().expect("a valid instant");
        assert_eq!(window(at("2026-01-01T00:00:00Z")).1, 60_000);
        assert_eq!(window(at("2026-01-01T00:00:59.999Z")).1, 1);
        let (a, _) = window(at("2026-01-01T00:00:59.999Z"));
        let (b, _) = window(at("2026-01-01T00:01:00Z"));
        assert_eq!(b, a + 1);
        // Before 1970 too: the minute is floored, never rounded towards zero.
        assert_eq!(window(at("1969-12-31T23:59:30Z")), (-1, 30_000));
    }
}
