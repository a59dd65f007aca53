//! The result cache against a real Redis: the shared one at `127.0.0.1:6379` (keys are random
//! per test) and, for the outage, a private `redis-server` this test starts and kills.

mod support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use noesis_origin::metrics::{CacheLabels, Metrics};
use noesis_origin::result_cache::{Layer, MAX_TTL, ResultCache};
use support::redis_server::{PrivateRedis, SHARED_REDIS, connected};
use uuid::Uuid;

const MEMORY: u64 = 1 << 20;

fn lookups(metrics: &Metrics, layer: &'static str, outcome: &'static str) -> u64 {
    metrics.cache_lookups.get_or_create(&CacheLabels { cache: "result", layer, outcome }).get()
}

fn random_key() -> String {
    format!("test:{}", Uuid::new_v4().simple())
}

#[tokio::test]
async fn an_answer_put_is_found_in_memory() {
    let metrics = Arc::new(Metrics::new());
    let cache = ResultCache::new(MEMORY, None, metrics.clone());
    let key = random_key();
    assert_eq!(cache.get(&key).await, None);
    cache.put(&key, Bytes::from_static(b"{\"answer\":42}"), Duration::from_secs(60)).await;
    assert_eq!(cache.get(&key).await, Some((Bytes::from_static(b"{\"answer\":42}"), Layer::Memory)));
    assert_eq!((lookups(&metrics, "memory", "hit"), lookups(&metrics, "none", "miss")), (1, 1));
}

#[tokio::test]
async fn a_second_replica_finds_the_answer_in_redis_for_the_time_it_has_left() {
    let metrics = Arc::new(Metrics::new());
    let first = ResultCache::new(MEMORY, Some(connected(SHARED_REDIS).await), metrics.clone());
    let second = ResultCache::new(MEMORY, Some(connected(SHARED_REDIS).await), metrics.clone());
    let key = random_key();
    let value = Bytes::from(vec![7u8; 5000]);

    first.put(&key, value.clone(), Duration::from_millis(1500)).await;
    assert_eq!(second.get(&key).await, Some((value.clone(), Layer::Redis)));
    // Copied into the second replica's memory...
    assert_eq!(second.get(&key).await, Some((value, Layer::Memory)));
    assert_eq!(lookups(&metrics, "redis", "hit"), 1);
    // ...only for the time it had left in Redis.
    tokio::time::sleep(Duration::from_millis(1700)).await;
    assert_eq!(second.get(&key).await, None);
    assert_eq!(first.get(&key).await, None);
    assert_eq!(metrics.redis_failures.get(), 0);
}

#[tokio::test]
async fn answers_expire_with_their_ttl_which_is_capped() {
    let link = connected(SHARED_REDIS).await;
    let cache = ResultCache::new(MEMORY, Some(link.clone()), Arc::new(Metrics::new()));
    let (short, long, rewritten) = (random_key(), random_key(), random_key());

    cache.put(&short, Bytes::from_static(b"short"), Duration::from_millis(300)).await;
    cache.put(&rewritten, Bytes::from_static(b"v1"), Duration::from_millis(300)).await;
    cache.put(&rewritten, Bytes::from_static(b"v2"), Duration::from_secs(60)).await;
    cache.put(&long, Bytes::from_static(b"long"), Duration::from_secs(365 * 24 * 3600)).await;
    assert!(cache.get(&short).await.is_some());
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(cache.get(&short).await, None, "expired in memory and in Redis");
    assert_eq!(
        cache.get(&rewritten).await,
        Some((Bytes::from_static(b"v2"), Layer::Memory)),
        "a rewrite renews the TTL"
    );

    let redis_key = format!("noesis:result:{long}");
    let pttl: i64 = link
        .run(|mut conn| async move { redis::cmd("PTTL").arg(&redis_key).query_async(&mut conn).await })
        .await
        .expect("PTTL");
    let cap = i64::try_from(MAX_TTL.as_millis()).expect("fits");
    assert!(pttl > cap - 60_000 && pttl <= cap, "PTTL {pttl} is capped at 30 days");

    // A zero TTL stores nothing.
    let zero = random_key();
    cache.put(&zero, Bytes::from_static(b"x"), Duration::ZERO).await;
    assert_eq!(cache.get(&zero).await, None);
}

#[tokio::test]
async fn with_redis_gone_the_cache_still_works_from_memory() {
    let mut server = PrivateRedis::start();
    let metrics = Arc::new(Metrics::new());
    let cache = ResultCache::new(MEMORY, Some(connected(&server.url()).await), metrics.clone());
    let (before, after) = (random_key(), random_key());
    cache.put(&before, Bytes::from_static(b"before"), Duration::from_secs(60)).await;
    assert_eq!(metrics.redis_failures.get(), 0);

    server.kill();
    let started = Instant::now();
    assert_eq!(cache.get(&before).await, Some((Bytes::from_static(b"before"), Layer::Memory)));
    cache.put(&after, Bytes::from_static(b"after"), Duration::from_secs(60)).await;
    assert_eq!(cache.get(&after).await, Some((Bytes::from_static(b"after"), Layer::Memory)));
    for _ in 0..20 {
        assert_eq!(cache.get(&random_key()).await, None);
    }
    assert!(started.elapsed() < Duration::from_secs(5), "took {:?} with Redis gone", started.elapsed());
    assert!(metrics.redis_failures.get() >= 1);
}

#[tokio::test]
async fn memory_holds_about_max_bytes() {
    let cache = ResultCache::new(20_000, None, Arc::new(Metrics::new()));
    let keys: Vec<String> = (0..200).map(|_| random_key()).collect();
    for key in &keys {
        cache.put(key, Bytes::from(vec![1u8; 1000]), Duration::from_secs(60)).await;
    }
    let mut kept = 0;
    for key in &keys {
        kept += usize::from(cache.get(key).await.is_some());
    }
    // About 20 entries of 1000 bytes (plus their keys) fit; eviction is applied in batches.
    assert!((1..=40).contains(&kept), "{kept} of 200 entries of 1000 bytes kept in 20 000 bytes");
}
