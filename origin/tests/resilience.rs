//! The origin when what it stands on fails (DESIGN.md §5), end to end over HTTP: a Postgres that
//! goes away or turns slow (a fresh schema of the test Postgres, reached through a TCP proxy
//! that the test cuts, slows and restores; skipped with a note when `TEST_DATABASE_URL` is
//! unset), a Redis that is killed and restarted (a private `redis-server`), a burst of
//! concurrent requests whose usage rows must all be written, the database cut and restored under
//! such a burst, and a Sentry that accepts connections and never answers (the real binary,
//! stopped with SIGTERM). Every test's comment names the promise it checks.

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use noesis_core::keys::{ApiKey, Environment};
use noesis_origin::app::Tuning;
use noesis_origin::auth::directory::STALE_REFRESH_BOUND;
use noesis_origin::usage::UsageConfig;
use reqwest::{Method, RequestBuilder, Response};
use serde_json::{Value, json};
use support::proxy::{Proxy, Schema};
use support::redis_server::{PrivateRedis, SHARED_REDIS};
use support::{Backend, TestOrigin, header, numerology_request, problem};
use uuid::Uuid;

const CALCULATE: &str = "/api/v1/engines/numerology/calculate";

/// The database timeout of the outage cases: short, so that an outage is noticed quickly.
const DB_TIMEOUT_MS: &str = "500";

/// The longest a request may take while the database is away or slow: its timeout, plus margin.
const ANSWER_BOUND: Duration = Duration::from_secs(3);

/// An origin on a fresh schema that it reaches through a proxy. Dropped in this order: the
/// origin stops, the proxy cuts what is left, the schema goes.
struct BehindProxy {
    origin: TestOrigin,
    proxy: Proxy,
    schema: Schema,
}

impl BehindProxy {
    /// `None` when there is no test Postgres. The database is held to the `DB_TIMEOUT_MS` of
    /// `settings`, which the app gets too.
    async fn start(settings: &[(&str, &str)]) -> Option<BehindProxy> {
        BehindProxy::start_tuned(settings, Tuning::default()).await
    }

    /// [`BehindProxy::start`] with the app's background work tuned.
    async fn start_tuned(settings: &[(&str, &str)], tuning: Tuning) -> Option<BehindProxy> {
        let schema = Schema::create().await?;
        let proxy = Proxy::start(schema.upstream()).await;
        let db = schema.through(&proxy, support::config(settings).db_timeout);
        let origin = TestOrigin::on(db, settings, tuning).await;
        Some(BehindProxy { origin, proxy, schema })
    }
}

/// Sends `request`; its response and how long the response took to come.
async fn timed(request: RequestBuilder) -> (Response, Duration) {
    let started = Instant::now();
    let response = request.send().await.expect("request sent");
    (response, started.elapsed())
}

/// Asserts that `response` is 503 `DB_UNAVAILABLE` and came within [`ANSWER_BOUND`].
async fn db_unavailable_in_bound((response, took): (Response, Duration), what: &str) {
    assert!(took < ANSWER_BOUND, "{what} took {took:?}");
    problem(response, 503, "DB_UNAVAILABLE").await;
}

/// `GET /ready`: its status and body.
async fn ready(origin: &TestOrigin) -> (u16, Value) {
    let response = origin.client.get(origin.url("/ready")).send().await.expect("request sent");
    (response.status().as_u16(), response.json().await.expect("a JSON answer"))
}

/// Asks `/ready` until it answers `status` with the cache `cache` (10 s at most); its body.
async fn ready_with(origin: &TestOrigin, status: u16, cache: &str) -> Value {
    let started = Instant::now();
    loop {
        let (code, body) = ready(origin).await;
        if code == status && body["components"]["cache"]["status"] == cache {
            return body;
        }
        assert!(started.elapsed() < Duration::from_secs(10), "/ready still says {code} {body}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A numerology request no one has sent before (a cache miss).
fn new_numerology_request() -> Value {
    json!({"birth_data": {"name": format!("Asha {}", Uuid::new_v4().simple()), "date": "1991-08-13"}})
}

/// A well-formed key that was never issued.
fn made_up_key() -> String {
    let mut random = [0u8; ApiKey::RANDOM_BYTES];
    random[..16].copy_from_slice(Uuid::new_v4().as_bytes());
    ApiKey::generate(Environment::Live, random).expose_secret().to_owned()
}

/// Waits until every request of `served` (id, status) whose id starts with `prefix` has its usage
/// row, then asserts that the rows are exactly those requests with those statuses. A request may
/// have two rows (delivery is at least once: an insert whose answer was lost in a cut is retried).
async fn every_row_written(world: &BehindProxy, prefix: &str, mut served: Vec<(String, i32)>) {
    let origin = &world.origin;
    let pattern = format!("{prefix}-%");
    let (rows, requests) = world.schema.wait_for_like(&origin.app.usage, &pattern, served.len() as i64).await;
    assert_eq!(requests, served.len() as i64);
    if rows > requests {
        eprintln!("{} rows written twice (an insert's answer was lost in the cut)", rows - requests);
    }
    let mut written = world.schema.requests_like(&pattern).await;
    written.sort();
    served.sort();
    assert_eq!(written, served);
}

/// Promises: "every database call has a timeout; past it the request gets 503 `DB_UNAVAILABLE`,
/// never a hang", "key checks keep working from the cache while the database is away", and
/// usage rows: "a database outage does not lose them" (DESIGN.md §5). Postgres is cut off
/// mid-test, connections and all, then restored.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_database_killed_mid_test_fails_fast_keeps_known_keys_and_loses_no_usage() {
    let Some(world) = BehindProxy::start(&[("DB_TIMEOUT_MS", DB_TIMEOUT_MS)]).await else { return };
    let origin = &world.origin;
    let admin = &origin.admin_key;
    let (_, key) = origin.create_key(0, &["engines"], json!({"rate_limit_per_minute": 1000})).await;
    let first = origin.post(CALCULATE, &key, &numerology_request()).await;
    assert_eq!((first.status().as_u16(), header(&first, "x-cache")), (200, "MISS"));
    // A made-up key seen before the outage is remembered as unknown.
    let seen_unknown = made_up_key();
    problem(origin.get("/api/v1/me", &seen_unknown).await, 401, "UNAUTHORIZED").await;

    world.proxy.cut();
    let prefix = format!("outage-{}", Uuid::new_v4().simple());
    // Every admitted request becomes a usage row: its request id and status.
    let mut served: Vec<(String, i32)> = Vec::new();
    let tagged = |method: Method, path: &str, api_key: &str, n: usize| {
        let id = format!("{prefix}-{n:02}");
        (origin.request(method, path, Some(api_key)).header("X-Request-Id", &id), id)
    };

    // (a) The known key's calculations, answered from the cache or computed: no database needed.
    // First while its cache entry is fresh, then once it is stale and its refresh fails.
    for round in 0..2 {
        if round == 1 {
            tokio::time::sleep(Duration::from_millis(1100)).await;
        }
        for n in 0..4 {
            let (body, expected) =
                if n % 2 == 0 { (numerology_request(), "HIT") } else { (new_numerology_request(), "MISS") };
            let (request, id) = tagged(Method::POST, CALCULATE, &key, round * 4 + n);
            let (response, took) = timed(request.json(&body)).await;
            assert_eq!(response.status(), 200, "calculation {n} of round {round}");
            assert_eq!(header(&response, "x-cache"), expected);
            assert!(took < STALE_REFRESH_BOUND + Duration::from_millis(500), "a calculation took {took:?}");
            served.push((id, 200));
        }
    }
    // (b) Routes that need the database: 503 within the timeout, never a hang.
    let user = json!({"email": format!("{prefix}@example.com"), "name": "Outage"});
    let (request, id) = tagged(Method::POST, "/api/v1/admin/users", admin, 8);
    db_unavailable_in_bound(timed(request.json(&user)).await, "POST /api/v1/admin/users").await;
    served.push((id, 503));
    let (request, id) = tagged(Method::GET, "/api/v1/me", &key, 9);
    db_unavailable_in_bound(timed(request).await, "GET /api/v1/me").await;
    served.push((id, 503));
    // (c) A well-formed key no cache knows: the origin cannot tell whether it was issued, so
    // 503, not 401. One remembered as unknown stays refused. Neither is admitted: no usage row.
    db_unavailable_in_bound(timed(origin.request(Method::GET, "/api/v1/me", Some(&made_up_key()))).await, "a new key")
        .await;
    problem(origin.get("/api/v1/me", &seen_unknown).await, 401, "UNAUTHORIZED").await;
    // (d) Not ready: the database is down.
    let started = Instant::now();
    let (status, body) = ready(origin).await;
    assert!(started.elapsed() < ANSWER_BOUND, "/ready took {:?}", started.elapsed());
    assert_eq!(
        (status, &body["status"], &body["components"]["database"]["status"]),
        (503, &json!("unavailable"), &json!("down"))
    );

    world.proxy.restore().await;
    ready_with(origin, 200, "disabled").await;
    // Every request served during the outage has its row, with its status.
    every_row_written(&world, &prefix, served).await;
    assert_eq!(origin.app.metrics.usage_dropped.get(), 0);
    // The database routes work again.
    assert_eq!(origin.post("/api/v1/admin/users", admin, &user).await.status(), 201);
    let me: Value = origin.get_json("/api/v1/me", &key).await;
    assert!(me["usage"]["requests"].as_u64().is_some_and(|count| count >= 10), "{me}");
}

/// Promises: "every database call has a timeout; past it the request gets 503 `DB_UNAVAILABLE`,
/// never a hang" and "key checks keep working from the cache while the database is away", when
/// the database is not gone but slow: every chunk either way held 2 s, four times the timeout.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_slow_database_answers_503_in_bound_while_cached_keys_keep_working() {
    let settings = [("DB_TIMEOUT_MS", DB_TIMEOUT_MS), ("KEY_CACHE_TTL_SECONDS", "2")];
    let Some(world) = BehindProxy::start(&settings).await else { return };
    let origin = &world.origin;
    let timeout = support::config(&settings).db_timeout;
    let (_, key) = origin.create_key(0, &["engines"], json!({"rate_limit_per_minute": 1000})).await;
    assert_eq!(origin.post(CALCULATE, &key, &numerology_request()).await.status(), 200);

    world.proxy.slow_down(Duration::from_secs(2));
    // A fresh cache entry answers without asking the database at all: faster than its timeout.
    let (response, took) = timed(origin.request(Method::POST, CALCULATE, Some(&key)).json(&numerology_request())).await;
    assert_eq!((response.status().as_u16(), header(&response, "x-cache")), (200, "HIT"));
    assert!(took < timeout, "a fresh key check took {took:?}");
    // The database routes and /ready give up at the timeout.
    let user = json!({"email": format!("{}@example.com", Uuid::new_v4().simple()), "name": "Slow"});
    let create = origin.request(Method::POST, "/api/v1/admin/users", Some(&origin.admin_key)).json(&user);
    db_unavailable_in_bound(timed(create).await, "POST /api/v1/admin/users").await;
    db_unavailable_in_bound(timed(origin.request(Method::GET, "/api/v1/me", Some(&key))).await, "GET /api/v1/me").await;
    let started = Instant::now();
    assert_eq!(ready(origin).await.0, 503);
    assert!(started.elapsed() < ANSWER_BOUND, "/ready took {:?}", started.elapsed());
    // A stale entry answers once its refresh has waited its bound (the refresh bound or the
    // database timeout, whichever is shorter).
    tokio::time::sleep(Duration::from_millis(2100)).await;
    for _ in 0..3 {
        let (response, took) =
            timed(origin.request(Method::POST, CALCULATE, Some(&key)).json(&numerology_request())).await;
        assert_eq!(response.status(), 200);
        assert!(
            took < STALE_REFRESH_BOUND.min(timeout) + Duration::from_millis(500),
            "a stale key check took {took:?}"
        );
    }

    // Back to speed: ready again, and the database routes work.
    world.proxy.slow_down(Duration::ZERO);
    ready_with(origin, 200, "disabled").await;
    assert_eq!(origin.post("/api/v1/admin/users", &origin.admin_key, &user).await.status(), 201);
    assert_eq!(origin.get("/api/v1/me", &key).await.status(), 200);
}

/// Promises: "Redis going away degrades to in-process, it never fails a request" (DESIGN.md
/// §5), and rate limits stay enforced (in process) meanwhile; Redis is used again once back.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_redis_killed_mid_test_degrades_to_in_process_and_fails_no_request() {
    let mut redis = PrivateRedis::start();
    let url = redis.url();
    let settings = [("REDIS_URL", url.as_str()), ("REDIS_TIMEOUT_MS", "200")];
    let origin = TestOrigin::start(Backend::Sqlite, &settings, Tuning::default()).await.expect("sqlite always runs");
    ready_with(&origin, 200, "up").await;
    let body = new_numerology_request();
    let admin = &origin.admin_key;
    assert_eq!(header(&origin.post(CALCULATE, admin, &body).await, "x-cache"), "MISS");
    assert_eq!(header(&origin.post(CALCULATE, admin, &body).await, "x-cache"), "HIT");

    redis.kill();
    // A burst of calculations (cached and not), /me and an admin listing, all at once.
    let requests: Vec<RequestBuilder> = (0..50)
        .map(|n| match n % 4 {
            0 => origin.request(Method::POST, CALCULATE, Some(admin)).json(&body),
            1 => origin.request(Method::POST, CALCULATE, Some(admin)).json(&new_numerology_request()),
            2 => origin.request(Method::GET, "/api/v1/me", Some(admin)),
            _ => origin.request(Method::GET, "/api/v1/admin/keys", Some(admin)),
        })
        .collect();
    let burst: Vec<_> = requests.into_iter().map(|request| tokio::spawn(timed(request))).collect();
    for (n, task) in burst.into_iter().enumerate() {
        let (response, took) = task.await.expect("a request does not panic");
        assert_eq!(response.status(), 200, "request {n}: {}", response.text().await.unwrap_or_default());
        assert!(took < Duration::from_secs(1), "request {n} took {took:?}");
    }
    let degraded = ready_with(&origin, 200, "down").await;
    assert_eq!(
        (&degraded["status"], &degraded["components"]["database"]["status"]),
        (&json!("degraded"), &json!("up"))
    );
    // The cached answer is still found, in memory.
    assert_eq!(header(&origin.post(CALCULATE, admin, &body).await, "x-cache"), "HIT");
    // Rate limits are counted in process: the sixth request in the minute is refused.
    let (_, limited) = origin.create_key(0, &["engines"], json!({"rate_limit_per_minute": 5})).await;
    away_from_a_minute_boundary().await;
    for n in 1..=5 {
        assert_eq!(origin.get("/api/v1/engines", &limited).await.status(), 200, "request {n} of 5");
    }
    problem(origin.get("/api/v1/engines", &limited).await, 429, "RATE_LIMITED").await;

    redis.restart();
    ready_with(&origin, 200, "up").await;
    assert_eq!(ready(&origin).await.1["status"], "ready");
}

/// Waits for the next minute when this one ends within 3 s: in-process rate limits count per
/// minute, and a boundary inside a short burst would open a second window.
async fn away_from_a_minute_boundary() {
    let into_minute = jiff::Timestamp::now().as_millisecond().rem_euclid(60_000);
    if into_minute > 57_000 {
        tokio::time::sleep(Duration::from_millis(u64::try_from(60_100 - into_minute).unwrap_or(0))).await;
    }
}

/// Promise: usage logs are written off the request path in batches and none is lost (DESIGN.md
/// §5): 200 concurrent calculations with one key are exactly 200 usage rows.
async fn concurrent_calculations_are_each_one_usage_row(origin: TestOrigin) {
    let (key_id, key) = origin.create_key(0, &["engines"], json!({"rate_limit_per_minute": 1000})).await;
    let burst: Vec<_> = (0..200)
        .map(|n| {
            let body = if n % 2 == 0 { numerology_request() } else { new_numerology_request() };
            tokio::spawn(origin.request(Method::POST, CALCULATE, Some(&key)).json(&body).send())
        })
        .collect();
    for task in burst {
        assert_eq!(task.await.expect("a request does not panic").expect("request sent").status(), 200);
    }
    let report = origin.usage_report(&format!("group_by=total&key_id={key_id}")).await;
    assert_eq!(report["total"]["requests"], 200, "{report}");
    assert_eq!(origin.app.metrics.usage_dropped.get(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_calculations_are_each_one_usage_row_on_sqlite() {
    concurrent_calculations_are_each_one_usage_row(TestOrigin::sqlite().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_calculations_are_each_one_usage_row_on_postgres() {
    let Some(origin) = TestOrigin::start(Backend::Postgres, &[], Tuning::default()).await else {
        eprintln!("TEST_DATABASE_URL is unset: skipping the Postgres run");
        return;
    };
    concurrent_calculations_are_each_one_usage_row(origin).await;
}

/// One answer of [`a_database_cut_and_restored_under_a_concurrent_burst_answers_in_bound_and_loses_no_usage`]:
/// its request id, status, problem code (when not 200), when it was sent and how long it took.
struct Answer {
    id: String,
    /// `GET /api/v1/me`, which needs the database; else a calculation, which must not.
    needs_database: bool,
    status: u16,
    code: Option<String>,
    sent: Instant,
    took: Duration,
}

/// Keeps asking `base` until `stop`: `GET /api/v1/me` (it needs the database) every third request,
/// else a calculation, cached or new; every request tagged `{prefix}-{client}-{n}`.
async fn keep_asking(
    client: reqwest::Client,
    base: String,
    key: String,
    prefix: String,
    stop: Arc<AtomicBool>,
) -> Vec<Answer> {
    let mut answers = Vec::new();
    for n in 0.. {
        if stop.load(Ordering::Relaxed) {
            break;
        }
        let id = format!("{prefix}-{n:04}");
        let request = match n % 3 {
            0 => client.get(format!("{base}/api/v1/me")),
            1 => client.post(format!("{base}{CALCULATE}")).json(&numerology_request()),
            _ => client.post(format!("{base}{CALCULATE}")).json(&new_numerology_request()),
        };
        let sent = Instant::now();
        let response = request.bearer_auth(&key).header("X-Request-Id", &id).send().await.expect("request sent");
        let status = response.status().as_u16();
        let code = if status == 200 {
            None
        } else {
            let body: Value = response.json().await.expect("a problem is JSON");
            body["code"].as_str().map(str::to_owned)
        };
        answers.push(Answer { id, needs_database: n % 3 == 0, status, code, sent, took: sent.elapsed() });
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    answers
}

/// Promises (DESIGN.md §5): "every database call has a timeout; past it the request gets 503
/// `DB_UNAVAILABLE`, never a hang", "key checks keep working from the cache while the database is
/// away", and usage rows: "a database outage does not lose them", here while requests are in
/// flight: six clients keep asking while Postgres is cut (connections and all) and restored. The
/// usage writer holds four events in memory, so the outage's rows go through the Redis spill list.
/// After recovery every request answered has exactly its row, with its status.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_database_cut_and_restored_under_a_concurrent_burst_answers_in_bound_and_loses_no_usage() {
    // A spill list of this test's own: any origin on the shared Redis drains the default one.
    let spill_key = format!("noesis:test:spill:{}", Uuid::new_v4().simple());
    let tuning = Tuning { usage: UsageConfig { buffer_capacity: 4, spill_key, ..UsageConfig::default() } };
    let settings = [("DB_TIMEOUT_MS", DB_TIMEOUT_MS), ("REDIS_URL", SHARED_REDIS)];
    let Some(world) = BehindProxy::start_tuned(&settings, tuning).await else { return };
    let origin = &world.origin;
    ready_with(origin, 200, "up").await;
    let (_, key) = origin.create_key(0, &["engines"], json!({"rate_limit_per_minute": 100_000})).await;
    assert_eq!(origin.post(CALCULATE, &key, &numerology_request()).await.status(), 200);
    assert_eq!(origin.get("/api/v1/me", &key).await.status(), 200);

    let prefix = format!("burst-{}", Uuid::new_v4().simple());
    let stop = Arc::new(AtomicBool::new(false));
    let clients: Vec<_> = (0..6)
        .map(|client| {
            let (base, key, stop) = (origin.base.clone(), key.clone(), stop.clone());
            tokio::spawn(keep_asking(origin.client.clone(), base, key, format!("{prefix}-{client}"), stop))
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(700)).await;
    let cut_at = Instant::now();
    world.proxy.cut();
    // Longer than the key cache's 1 s: the key check goes stale mid-outage and must still answer.
    tokio::time::sleep(Duration::from_millis(1800)).await;
    world.proxy.restore().await;
    let restored_at = Instant::now();
    tokio::time::sleep(Duration::from_millis(1200)).await;
    stop.store(true, Ordering::Relaxed);
    let mut answers = Vec::new();
    for client in clients {
        answers.extend(client.await.expect("a client does not panic"));
    }

    // Each answer came in bound, and is a success or the database's 503.
    for answer in &answers {
        assert!(answer.took < ANSWER_BOUND, "{} took {:?}", answer.id, answer.took);
        assert!(
            answer.status == 200 || (answer.status == 503 && answer.code.as_deref() == Some("DB_UNAVAILABLE")),
            "{}: {} {:?}",
            answer.id,
            answer.status,
            answer.code
        );
    }
    let during = |answer: &&Answer| answer.sent > cut_at && answer.sent + answer.took < restored_at;
    // Calculations never need the database: all answered, also during the cut.
    for answer in answers.iter().filter(|answer| !answer.needs_database) {
        assert_eq!(answer.status, 200, "calculation {}: {:?}", answer.id, answer.code);
    }
    let calculated_during = answers.iter().filter(during).filter(|answer| !answer.needs_database).count();
    let refused_during = answers.iter().filter(during).filter(|answer| answer.status == 503).count();
    assert!(refused_during > 0, "no request needing the database was refused during the cut");
    assert!(calculated_during > 0, "no calculation was answered during the cut");
    assert!(origin.app.metrics.usage_spilled.get() > 0, "the outage's rows did not reach the spill list");

    // After recovery: every answered request has its row, with its status; nothing dropped.
    ready_with(origin, 200, "up").await;
    let served = answers.iter().map(|answer| (answer.id.clone(), i32::from(answer.status))).collect();
    every_row_written(&world, &prefix, served).await;
    assert_eq!(origin.app.metrics.usage_dropped.get(), 0);
    eprintln!(
        "{} requests, {refused_during} refused and {calculated_during} calculations answered during the cut, {} rows spilled",
        answers.len(),
        origin.app.metrics.usage_spilled.get()
    );
}

/// A Sentry that accepts connections, reads what is sent and never answers: the connections it
/// took and the bytes it read.
struct HangingSentry {
    port: u16,
    connections: Arc<AtomicUsize>,
    bytes: Arc<AtomicUsize>,
}

impl HangingSentry {
    async fn start() -> HangingSentry {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind the fake Sentry");
        let port = listener.local_addr().expect("its address").port();
        let (connections, bytes) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let (accepted, read) = (connections.clone(), bytes.clone());
        tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                accepted.fetch_add(1, Ordering::Relaxed);
                let read = read.clone();
                tokio::spawn(async move {
                    use tokio::io::AsyncReadExt;
                    let mut buffer = vec![0u8; 16 * 1024];
                    // Read until the client gives up; never write a byte back.
                    while let Ok(count @ 1..) = stream.read(&mut buffer).await {
                        read.fetch_add(count, Ordering::Relaxed);
                    }
                });
            }
        });
        HangingSentry { port, connections, bytes }
    }
}

/// `noesis-origin` with `args` on the SQLite file `database`; its stdout (it must succeed).
fn origin_cli(args: &[&str], database: &std::path::Path) -> String {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_noesis-origin"))
        .args(args)
        .env_remove("DATABASE_URL")
        .env_remove("REDIS_URL")
        .env("NOESIS_SQLITE_PATH", database)
        .output()
        .expect("run noesis-origin");
    assert!(output.status.success(), "noesis-origin {args:?}: {output:?}");
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

/// A child process killed (SIGKILL) when dropped, so that a failing test leaves no server behind.
struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// How long `serve` may take to stop on SIGTERM while Sentry hangs: the Sentry client's flush at
/// shutdown waits at most 2 s (its `shutdown_timeout`), then its sending thread finishes the one
/// POST under way, bounded at 3 s (`SEND_TIMEOUT` in origin/src/error_reporting.rs), and skips
/// the rest; the rest of the stop is quick.
const STOP_BOUND: Duration = Duration::from_secs(8);

/// Promises: "an error reporter that hangs never slows a request" (events are queued and sent
/// off the request path) and "shutdown stays bounded when Sentry hangs" (every dependency
/// failure gets a bounded wait). The real binary, with `SENTRY_DSN` pointing at a server that
/// takes the connection and never answers; 5xx answers (each one an event) mixed with
/// calculations, then SIGTERM.
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_hanging_sentry_slows_no_request_and_shutdown_stays_bounded() {
    let sentry = HangingSentry::start().await;
    let database = std::env::temp_dir().join(format!("noesis-sentry-hang-{}.sqlite", Uuid::new_v4().simple()));
    origin_cli(&["migrate"], &database);
    let made: Value = serde_json::from_str(&origin_cli(
        &[
            "keys",
            "create",
            "--json",
            "--name",
            "admin",
            "--tier",
            "enterprise",
            "--level",
            "5",
            "--scopes",
            "engines,admin",
        ],
        &database,
    ))
    .expect("keys create --json");
    let key = made["api_key"].as_str().expect("an api_key").to_owned();
    let port = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port();
    let mut server = KillOnDrop(
        std::process::Command::new(env!("CARGO_BIN_EXE_noesis-origin"))
            .arg("serve")
            .env_remove("DATABASE_URL")
            .env_remove("REDIS_URL")
            .env("NOESIS_SQLITE_PATH", &database)
            .env("PORT", port.to_string())
            .env("SENTRY_DSN", format!("http://public@127.0.0.1:{}/1", sentry.port))
            .env("SENTRY_ENVIRONMENT", "test")
            .env("RUST_LOG", "warn")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("start noesis-origin serve"),
    );
    let child = &mut server.0;
    let base = format!("http://127.0.0.1:{port}");
    // reqwest here is built without a default TLS provider (the app installs one when it starts).
    noesis_origin::product_events::install_tls_provider();
    let client = reqwest::Client::new();
    let started = Instant::now();
    while client.get(format!("{base}/health")).send().await.is_err() {
        assert!(started.elapsed() < Duration::from_secs(20), "serve never answered");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // Two rounds: the first sends the events that get stuck, the second is served while they are.
    for round in 0..2 {
        let burst: Vec<_> = (0..30)
            .map(|n| {
                let request = if n % 3 == 0 {
                    client.post(format!("{base}/api/v1/admin/debug/error")).json(&json!({}))
                } else {
                    client.post(format!("{base}{CALCULATE}")).json(&new_numerology_request())
                };
                tokio::spawn(timed(request.bearer_auth(&key)))
            })
            .collect();
        for (n, task) in burst.into_iter().enumerate() {
            let (response, took) = task.await.expect("a request does not panic");
            let expected = if n % 3 == 0 { 500 } else { 200 };
            assert_eq!(response.status(), expected, "request {n} of round {round}");
            assert!(took < Duration::from_secs(1), "request {n} of round {round} took {took:?}");
        }
        if round == 0 {
            let waiting = Instant::now();
            while sentry.bytes.load(Ordering::Relaxed) == 0 {
                assert!(waiting.elapsed() < Duration::from_secs(10), "no event was sent to Sentry");
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
    }
    assert!(sentry.connections.load(Ordering::Relaxed) >= 1);

    let killed = std::process::Command::new("kill").args(["-TERM", &child.id().to_string()]).status().expect("kill");
    assert!(killed.success());
    let stopping = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for noesis-origin") {
            break status;
        }
        if stopping.elapsed() > STOP_BOUND + Duration::from_secs(5) {
            panic!("serve still running {:?} after SIGTERM with Sentry hanging", stopping.elapsed());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let took = stopping.elapsed();
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", database.display()));
    }
    assert!(took < STOP_BOUND, "serve took {took:?} to stop with Sentry hanging");
    assert!(status.success(), "{status:?}");
}
