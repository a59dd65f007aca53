//! Per-key rate limits at the edge: a fixed window of one calendar minute (UTC), as the origin's.
//!
//! **The counters live in the memory of one isolate.** Cloudflare runs many isolates (one or more
//! per data centre), so a key spread over N isolates may get up to N times its limit per minute;
//! the origin's limit (exact, in Redis) still holds for what reaches it. Cloudflare's rate-limit
//! binding would count per data centre, but it does not run under `wrangler dev`, so the edge
//! counts in memory and says so. A refused request still counts.

use std::collections::HashMap;

use jiff::Timestamp;
use noesis_core::keys::KeyId;

const WINDOW_MS: i64 = 60_000;

/// Past this many counters, those of finished windows are dropped.
const PRUNE_AT: usize = 10_000;

/// The answer for one request, and what the response tells the client about its limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateDecision {
    pub allowed: bool,
    pub limit: u32,
    pub remaining: u32,
    /// Seconds until the window ends (at least 1).
    pub reset_after_seconds: u32,
}

impl RateDecision {
    /// `RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset`, and `Retry-After` on a refusal.
    pub fn headers(&self) -> Vec<(&'static str, String)> {
        let mut headers = vec![
            ("RateLimit-Limit", self.limit.to_string()),
            ("RateLimit-Remaining", self.remaining.to_string()),
            ("RateLimit-Reset", self.reset_after_seconds.to_string()),
        ];
        if !self.allowed {
            headers.push(("Retry-After", self.reset_after_seconds.to_string()));
        }
        headers
    }
}

/// The isolate's counters, by key and Unix minute.
#[derive(Debug, Default)]
pub struct RateLimiter {
    counters: HashMap<(KeyId, i64), u64>,
}

impl RateLimiter {
    /// Counts one request of `key_id` at `now` against `limit_per_minute`.
    pub fn check(&mut self, key_id: KeyId, limit_per_minute: u32, now: Timestamp) -> RateDecision {
        let ms = now.as_millisecond();
        let minute = ms.div_euclid(WINDOW_MS);
        if self.counters.len() >= PRUNE_AT {
            self.counters.retain(|(_, window), _| *window >= minute);
        }
        let count = self.counters.entry((key_id, minute)).or_insert(0);
        *count += 1;
        let left_ms = (minute + 1) * WINDOW_MS - ms;
        RateDecision {
            allowed: *count <= u64::from(limit_per_minute),
            limit: limit_per_minute,
            remaining: u32::try_from(u64::from(limit_per_minute).saturating_sub(*count)).unwrap_or(0),
            reset_after_seconds: u32::try_from((left_ms + 999) / 1000).unwrap_or(60).max(1),
        }
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
