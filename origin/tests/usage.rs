//! The usage writer against real databases and a real Redis.
//!
//! The outage cases run on a fresh schema of the Postgres at `TEST_DATABASE_URL` (skipped with a
//! note when it is unset), reached through a TCP proxy (`support::proxy`) that can be cut and
//! restored: the database really goes away for the writer, connections and all. The burst case runs on
//! SQLite too. Spill cases use the shared Redis at `127.0.0.1:6379` with a random list key.

mod support;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use jiff::Timestamp;
use noesis_origin::metrics::Metrics;
use noesis_origin::redis_link::RedisLink;
use noesis_origin::storage::{Database, DatabaseTarget, NewKey, NewUser, UsageRecord};
use noesis_origin::usage::{self, UsageConfig, UsageSink, UsageWriter};
use sqlx::postgres::PgConnectOptions;
use support::proxy::{Proxy, Schema};
use support::redis_server::{SHARED_REDIS, connected};
use uuid::Uuid;

/// Short, so that a cut database is noticed quickly.
const OUTAGE_TIMEOUT: Duration = Duration::from_millis(300);

fn record(key_id: Uuid, n: usize) -> UsageRecord {
    UsageRecord {
        at: Timestamp::now(),
        key_id: Some(key_id),
        user_id: None,
        route: "/api/v1/engines/{id}/calculate".to_string(),
        engine_id: Some("numerology".to_string()),
        workflow_id: None,
        status: 200,
        latency_us: n as u64,
        cache_hit: n.is_multiple_of(2),
        served_by: "origin".to_string(),
        request_id: format!("req-{n}"),
    }
}

fn record_all(sink: &UsageSink, key_id: Uuid, range: std::ops::Range<usize>) {
    for n in range {
        sink.record(record(key_id, n));
    }
}

// ---------------------------------------------------------------------------------------------
// Redis for spilling

/// A writer's world for the outage cases: a fresh schema behind a proxy, the writer's metrics,
/// and, when it may spill, the shared Redis with a list key of its own (Redis deletes the list
/// once it is drained).
struct Outage {
    schema: Schema,
    proxy: Proxy,
    metrics: Arc<Metrics>,
    spill: Option<(RedisLink, String)>,
}

impl Outage {
    /// `None` when there is no test Postgres. The database starts cut off when `cut`.
    async fn new(cut: bool, spill: bool) -> Option<Outage> {
        let schema = Schema::create().await?;
        let proxy = Proxy::start(schema.upstream()).await;
        if cut {
            proxy.cut();
        }
        let spill = if spill {
            Some((connected(SHARED_REDIS).await, format!("noesis:test:spill:{}", Uuid::new_v4())))
        } else {
            None
        };
        Some(Outage { schema, proxy, metrics: Arc::new(Metrics::new()), spill })
    }

    /// A writer (another one each call: a restarted process) holding `buffer_capacity` events.
    fn start(&self, buffer_capacity: usize) -> (UsageSink, UsageWriter) {
        let (redis, spill_key) = match &self.spill {
            Some((link, key)) => (Some(link.clone()), key.clone()),
            None => (None, "unused".to_string()),
        };
        let config = UsageConfig { buffer_capacity, spill_key, ..UsageConfig::default() };
        usage::start(self.schema.through(&self.proxy, OUTAGE_TIMEOUT), redis, self.metrics.clone(), config)
    }

    /// The length of the spill list.
    async fn spilled(&self) -> u64 {
        let Some((link, key)) = &self.spill else { return 0 };
        link.run(|mut conn| async move { redis::cmd("LLEN").arg(key).query_async(&mut conn).await })
            .await
            .expect("LLEN")
    }
}

// ---------------------------------------------------------------------------------------------
// The cases

/// 10 000 records in one burst, half of them on a real key whose `last_used_at` must follow.
async fn a_burst_is_written_in_full(db: Database) {
    let user = NewUser { email: format!("{}@example.com", Uuid::new_v4()), name: "Asha".into(), tier: "free".into() };
    let user = db.create_user(&user).await.expect("create a user");
    let key_hash = format!("{}{}", Uuid::new_v4().simple(), Uuid::new_v4().simple());
    let key = db
        .create_key(&NewKey {
            user_id: user.id,
            name: "burst".into(),
            prefix: key_hash[..12].to_string(),
            key_hash: key_hash.clone(),
            tier: "free".into(),
            consciousness_level: 0,
            scopes: vec!["engines".into()],
            rate_limit_per_minute: 60,
            expires_at: None,
            rotated_from: None,
            actor: "test".into(),
        })
        .await
        .expect("create a key");
    let other = Uuid::new_v4();
    let since = Timestamp::now();

    let metrics = Arc::new(Metrics::new());
    let (sink, writer) = usage::start(db.clone(), None, metrics.clone(), UsageConfig::default());
    let started = Instant::now();
    for n in 0..10_000usize {
        sink.record(record(if n.is_multiple_of(2) { key.id } else { other }, n));
    }
    let recorded_in = started.elapsed();
    sink.flush().await;
    let latest = Timestamp::now();

    assert_eq!(db.usage_for_key_since(key.id, since).await.expect("count"), 5000);
    assert_eq!(db.usage_for_key_since(other, since).await.expect("count"), 5000);
    assert_eq!((metrics.usage_written.get(), metrics.usage_dropped.get()), (10_000, 0));
    assert_eq!(metrics.usage_buffered.get(), 0);
    let last_used = db.key_by_id(key.id).await.expect("read the key").and_then(|key| key.last_used_at);
    assert!(last_used.is_some_and(|at| at > since && at <= latest), "last_used_at {last_used:?}");
    assert!(recorded_in < Duration::from_secs(1), "recording 10 000 took {recorded_in:?}");
    writer.shutdown(Duration::from_secs(5)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_records_in_a_burst_are_all_written_on_postgres() {
    let Some(schema) = Schema::create().await else { return };
    a_burst_is_written_in_full(Database::open_postgres(schema.options(), Duration::from_secs(5))).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_records_in_a_burst_are_all_written_on_sqlite() {
    let path: PathBuf = std::env::temp_dir().join(format!("noesis-usage-test-{}.sqlite", Uuid::new_v4().simple()));
    let db = Database::open(&DatabaseTarget::Sqlite(path.clone()), Duration::from_secs(5));
    db.migrate().await.expect("migrate");
    a_burst_is_written_in_full(db.clone()).await;
    db.close().await;
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_cut_during_a_burst_loses_nothing() {
    let Some(outage) = Outage::new(false, false).await else { return };
    let (proxy, metrics) = (&outage.proxy, &outage.metrics);
    let (sink, writer) = outage.start(UsageConfig::default().buffer_capacity);
    let key = Uuid::new_v4();

    record_all(&sink, key, 0..3000);
    // Cut while the writer is at work: some batches written, others not yet.
    let started = Instant::now();
    while metrics.usage_written.get() == 0 {
        assert!(started.elapsed() < Duration::from_secs(5), "nothing written before the cut");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    proxy.cut();
    record_all(&sink, key, 3000..6000);
    sink.flush().await;
    tokio::time::sleep(Duration::from_millis(1000)).await;
    record_all(&sink, key, 6000..7000);
    sink.flush().await;
    assert!(metrics.usage_buffered.get() > 0, "events are held while the database is away");
    assert!(metrics.db_unavailable.get() > 0);

    proxy.restore().await;
    record_all(&sink, key, 7000..8000);
    let (rows, requests) = outage.schema.wait_for(&sink, 8000).await;
    assert_eq!(requests, 8000);
    if rows > requests {
        eprintln!("{} rows written twice (an insert's answer was lost in the cut)", rows - requests);
    }
    assert_eq!(metrics.usage_dropped.get(), 0);
    assert_eq!(metrics.usage_buffered.get(), 0);
    writer.shutdown(Duration::from_secs(5)).await;
}

/// 1000 events while the database is away, with room for 10 in memory: without Redis the other
/// 990 are dropped, every one counted; with Redis they are spilled and written once it is back.
async fn a_tiny_buffer_during_an_outage(spill: bool) {
    let Some(outage) = Outage::new(true, spill).await else { return };
    let (sink, writer) = outage.start(10);
    let metrics = &outage.metrics;
    let (beyond_memory, kept) = (990, if spill { 1000 } else { 10 });

    record_all(&sink, Uuid::new_v4(), 0..1000);
    sink.flush().await;
    assert_eq!(metrics.usage_buffered.get(), 10);
    let (spilled, dropped) = if spill { (beyond_memory, 0) } else { (0, beyond_memory) };
    assert_eq!(
        (metrics.usage_spilled.get(), outage.spilled().await, metrics.usage_dropped.get()),
        (spilled, spilled, dropped)
    );

    outage.proxy.restore().await;
    assert_eq!(outage.schema.wait_for(&sink, kept).await.1, kept);
    assert_eq!((metrics.usage_written.get(), metrics.usage_dropped.get()), (kept as u64, dropped));
    assert_eq!(outage.spilled().await, 0, "the spill list is drained");
    writer.shutdown(Duration::from_secs(5)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tiny_buffer_without_redis_drops_exactly_what_does_not_fit() {
    a_tiny_buffer_during_an_outage(false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tiny_buffer_with_redis_spills_and_drops_nothing() {
    a_tiny_buffer_during_an_outage(true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_batch_is_dropped_and_counted_without_wedging_the_writer() {
    let Some(schema) = Schema::create().await else { return };
    let metrics = Arc::new(Metrics::new());
    let db = Database::open_postgres(schema.options(), Duration::from_secs(5));
    let config = UsageConfig { batch_size: 10, ..UsageConfig::default() };
    let (sink, writer) = usage::start(db, None, metrics.clone(), config);
    let key = Uuid::new_v4();

    record_all(&sink, key, 0..10);
    // A status outside 100..=599 breaks the table's CHECK: the whole batch of 10 is refused.
    for n in 10..20 {
        sink.record(UsageRecord { status: 999, ..record(key, n) });
    }
    record_all(&sink, key, 20..30);
    sink.flush().await;

    assert_eq!(schema.rows().await, (20, 20));
    assert_eq!((metrics.usage_written.get(), metrics.usage_dropped.get()), (20, 10));
    writer.shutdown(Duration::from_secs(5)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_with_the_database_away_spills_and_the_next_writer_drains_it() {
    let Some(outage) = Outage::new(true, true).await else { return };
    let (sink, writer) = outage.start(100_000);
    let metrics = &outage.metrics;

    record_all(&sink, Uuid::new_v4(), 0..200);
    let started = Instant::now();
    writer.shutdown(Duration::from_secs(1)).await;
    assert!(started.elapsed() < Duration::from_secs(4), "shutdown took {:?}", started.elapsed());
    assert_eq!(metrics.usage_spilled.get(), 200);
    assert_eq!(outage.spilled().await, 200);
    sink.record(record(Uuid::new_v4(), 200));
    assert_eq!(metrics.usage_dropped.get(), 1, "a record after shutdown is counted as dropped");

    // The next process (or another replica) drains the list when its database answers.
    outage.proxy.restore().await;
    let (sink, writer) = outage.start(100_000);
    assert_eq!(outage.schema.wait_for(&sink, 200).await.1, 200);
    assert_eq!(outage.spilled().await, 0);
    writer.shutdown(Duration::from_secs(5)).await;
}

#[tokio::test]
async fn flush_returns_promptly_while_the_writer_retries() {
    // A writer whose database never answers still answers flush after one attempt.
    let port = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port();
    let options = PgConnectOptions::new().host("127.0.0.1").port(port).username("nobody");
    let metrics = Arc::new(Metrics::new());
    let (sink, writer) =
        usage::start(Database::open_postgres(options, OUTAGE_TIMEOUT), None, metrics.clone(), UsageConfig::default());
    record_all(&sink, Uuid::new_v4(), 0..5);
    let started = Instant::now();
    sink.flush().await;
    sink.flush().await;
    assert!(started.elapsed() < Duration::from_secs(3), "flush took {:?}", started.elapsed());
    assert_eq!(metrics.usage_buffered.get(), 5);
    writer.shutdown(Duration::from_millis(200)).await;
    assert_eq!(metrics.usage_dropped.get(), 5, "without Redis, what is held at shutdown is counted as lost");
}
