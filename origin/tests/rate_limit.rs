//! Rate limits against a real Redis: the shared one at `127.0.0.1:6379` (keys are random per
//! test) and, for the outage, a private `redis-server` this test starts, kills and restarts.

mod support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use jiff::Timestamp;
use noesis_origin::metrics::Metrics;
use noesis_origin::rate_limit::{RateDecision, RateLimiter};
use support::redis_server::{PrivateRedis, SHARED_REDIS, answers_again, connected};
use uuid::Uuid;

/// Runs `count` checks of `key_id` at once, spread over the limiters in turn.
async fn concurrent_checks(limiters: &[RateLimiter], key_id: Uuid, limit: u32, count: usize) -> Vec<RateDecision> {
    let now = Timestamp::now();
    let tasks: Vec<_> = (0..count)
        .map(|n| {
            let limiter = limiters[n % limiters.len()].clone();
            tokio::spawn(async move { limiter.check(key_id, limit, now).await })
        })
        .collect();
    let mut decisions = Vec::with_capacity(count);
    for task in tasks {
        decisions.push(task.await.expect("a check does not panic"));
    }
    decisions
}

/// Asserts that exactly `limit` of `decisions` were allowed, each seeing a different count.
fn exactly_limit_allowed(decisions: &[RateDecision], limit: u32) {
    let allowed: Vec<&RateDecision> = decisions.iter().filter(|d| d.allowed).collect();
    assert_eq!(allowed.len(), limit as usize, "allowed");
    let mut remaining: Vec<u32> = allowed.iter().map(|d| d.remaining).collect();
    remaining.sort_unstable();
    assert_eq!(remaining, (0..limit).collect::<Vec<_>>(), "each allowed request saw its own count");
    assert!(decisions.iter().filter(|d| !d.allowed).all(|d| d.remaining == 0 && d.limit == limit));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn exactly_the_limit_is_allowed_among_concurrent_requests_through_redis() {
    let metrics = Arc::new(Metrics::new());
    let limiter = RateLimiter::new(Some(connected(SHARED_REDIS).await), metrics.clone());
    let decisions = concurrent_checks(&[limiter], Uuid::new_v4(), 50, 200).await;
    exactly_limit_allowed(&decisions, 50);
    assert_eq!(metrics.redis_failures.get(), 0, "every check was counted in Redis");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_replicas_sharing_redis_share_one_count() {
    let metrics = Arc::new(Metrics::new());
    let replicas = [
        RateLimiter::new(Some(connected(SHARED_REDIS).await), metrics.clone()),
        RateLimiter::new(Some(connected(SHARED_REDIS).await), metrics.clone()),
    ];
    let decisions = concurrent_checks(&replicas, Uuid::new_v4(), 50, 200).await;
    exactly_limit_allowed(&decisions, 50);
    assert_eq!(metrics.redis_failures.get(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn without_redis_the_count_is_kept_in_process() {
    let limiter = RateLimiter::new(None, Arc::new(Metrics::new()));
    let key = Uuid::new_v4();
    exactly_limit_allowed(&concurrent_checks(std::slice::from_ref(&limiter), key, 50, 200).await, 50);

    // Another key has its own count; the same key starts again in the next minute.
    let now = Timestamp::now();
    assert_eq!(limiter.check(Uuid::new_v4(), 50, now).await.remaining, 49);
    let next_minute = now.checked_add(jiff::SignedDuration::from_secs(60)).expect("in range");
    let decision = limiter.check(key, 50, next_minute).await;
    assert!(decision.allowed);
    assert_eq!(decision.remaining, 49);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redis_killed_mid_test_falls_back_without_error_or_hang() {
    let mut redis = PrivateRedis::start();
    let metrics = Arc::new(Metrics::new());
    let link = connected(&redis.url()).await;
    let limiter = RateLimiter::new(Some(link.clone()), metrics.clone());
    let replica = RateLimiter::new(Some(connected(&redis.url()).await), metrics.clone());
    let key = Uuid::new_v4();
    let now = Timestamp::now();

    for n in 1..=10 {
        assert_eq!(limiter.check(key, 1000, now).await.remaining, 1000 - n);
    }
    assert_eq!(metrics.redis_failures.get(), 0);

    redis.kill();
    let started = Instant::now();
    let during: Vec<RateDecision> = {
        let mut decisions = Vec::new();
        for _ in 0..20 {
            decisions.push(limiter.check(key, 1000, now).await);
        }
        decisions
    };
    // The first call may wait for the timeout; the open circuit makes the others immediate.
    assert!(started.elapsed() < Duration::from_secs(5), "checks took {:?} with Redis down", started.elapsed());
    assert!(during.iter().all(|d| d.allowed));
    // Counted in process from zero: this replica alone, as documented.
    assert_eq!(during.last().map(|d| d.remaining), Some(1000 - 20));
    assert!(metrics.redis_failures.get() >= 1);

    // Back on the same port (empty: no persistence): both replicas count in Redis again.
    redis.restart();
    answers_again(&link).await;
    let fresh_key = Uuid::new_v4();
    let started = Instant::now();
    loop {
        // The replica's own link may still be in its open-circuit pause: wait for its first Redis count.
        let failures = metrics.redis_failures.get();
        let first = replica.check(fresh_key, 1000, now).await;
        if metrics.redis_failures.get() == failures {
            assert_eq!(first.remaining, 999);
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(10), "the replica never counted in Redis again");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    for _ in 0..4 {
        limiter.check(fresh_key, 1000, now).await;
    }
    assert_eq!(replica.check(fresh_key, 1000, now).await.remaining, 1000 - 6, "one shared count");
}

#[tokio::test]
async fn headers_say_the_limit_the_rest_and_when_to_retry() {
    let limiter = RateLimiter::new(None, Arc::new(Metrics::new()));
    let key = Uuid::new_v4();
    let now: Timestamp = "2026-11-25T07:30:45.5Z".parse().expect("a valid instant");

    let first = limiter.check(key, 2, now).await;
    assert_eq!(first, RateDecision { allowed: true, limit: 2, remaining: 1, reset_after_seconds: 15 });
    assert_eq!(
        first.headers(),
        [
            ("RateLimit-Limit", "2".to_string()),
            ("RateLimit-Remaining", "1".to_string()),
            ("RateLimit-Reset", "15".to_string())
        ]
    );
    limiter.check(key, 2, now).await;
    let refused = limiter.check(key, 2, now).await;
    assert!(!refused.allowed);
    assert_eq!(
        refused.headers(),
        [
            ("RateLimit-Limit", "2".to_string()),
            ("RateLimit-Remaining", "0".to_string()),
            ("RateLimit-Reset", "15".to_string()),
            ("Retry-After", "15".to_string())
        ]
    );

    // The last millisecond of a window still says 1 second; a limit of 0 refuses everything.
    let last: Timestamp = "2026-11-25T07:30:59.999Z".parse().expect("a valid instant");
    let zero = limiter.check(Uuid::new_v4(), 0, last).await;
    assert_eq!(zero, RateDecision { allowed: false, limit: 0, remaining: 0, reset_after_seconds: 1 });
}
