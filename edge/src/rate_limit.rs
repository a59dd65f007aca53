//! Per-key rate limits at the edge: a fixed window of one calendar minute (UTC), as the origin's.
//!
//! **The counters live in the memory of one isolate.** Cloudflare runs many isolates (one or more
//! per data centre), so a key spread over N isolates may get up to N times its limit per minute;
//! the origin's limit (exact, in Redis) still holds for what reaches it. Cloudflare's rate-limit
//! binding would count per data centre, but it does not run under `wrangler dev`, so the edge
//! counts in memory and says so. A refused request still counts.

use std::collections::HashMap;

use jiff::Timestamp;
pub use noesis_core::http::rate_limit::RateDecision;
use noesis_core::http::rate_limit::window;
use noesis_core::keys::KeyId;

/// Past this many counters, those of finished windows are dropped.
const PRUNE_AT: usize = 10_000;

/// The isolate's counters, by key and Unix minute.
#[derive(Debug, Default)]
pub struct RateLimiter {
    counters: HashMap<(KeyId, i64), u64>,
}

impl RateLimiter {
    /// Counts one request of `key_id` at `now` against `limit_per_minute`.
    pub fn check(&mut self, key_id: KeyId, limit_per_minute: u32, now: Timestamp) -> RateDecision {
        let (minute, left_ms) = window(now);
        if self.counters.len() >= PRUNE_AT {
            self.counters.retain(|(_, window), _| *window >= minute);
        }
        let count = self.counters.entry((key_id, minute)).or_insert(0);
        *count += 1;
        RateDecision::of_count(*count, limit_per_minute, left_ms)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(n: u128) -> KeyId {
        KeyId::from(uuid::Uuid::from_u128(n))
    }

    #[test]
    fn counts_per_key_per_minute_and_refuses_past_the_limit() {
        let mut limiter = RateLimiter::default();
        let now: Timestamp = "2026-11-25T07:30:20Z".parse().unwrap();
        let first = limiter.check(key(1), 2, now);
        assert_eq!((first.allowed, first.remaining, first.reset_after_seconds), (true, 1, 40));
        assert!(limiter.check(key(1), 2, now).allowed);
        let third = limiter.check(key(1), 2, now);
        assert!(!third.allowed);
        assert_eq!(third.remaining, 0);
        assert!(third.headers().contains(&("Retry-After", "40".to_owned())));
        assert!(limiter.check(key(2), 2, now).allowed);
        let next_minute: Timestamp = "2026-11-25T07:31:00Z".parse().unwrap();
        let fresh = limiter.check(key(1), 2, next_minute);
        assert_eq!((fresh.allowed, fresh.remaining, fresh.reset_after_seconds), (true, 1, 60));
    }

    #[test]
    fn old_windows_are_pruned() {
        let mut limiter = RateLimiter::default();
        let start: Timestamp = "2026-11-25T07:30:00Z".parse().unwrap();
        for n in 0..PRUNE_AT as u128 {
            limiter.check(key(n), 1, start);
        }
        limiter.check(key(0), 1, "2026-11-25T07:32:00Z".parse().unwrap());
        assert_eq!(limiter.counters.len(), 1);
    }
}
