//! The origin when what it stands on fails (DESIGN.md §5), end to end over HTTP: a Postgres that
//! goes away or turns slow (a fresh schema of the test Postgres, reached through a TCP proxy
//! that the test cuts, slows and restores; skipped with a note when `TEST_DATABASE_URL` is
//! unset), a Redis that is killed and restarted (a private `redis-server`), and a burst of
//! concurrent requests whose usage rows must all be written.

mod support;

use std::time::{Duration, Instant};

use noesis_core::keys::{ApiKey, Environment};
use noesis_origin::app::Tuning;
use noesis_origin::auth::directory::STALE_REFRESH_BOUND;
use reqwest::{Method, RequestBuilder, Response};
use serde_json::{Value, json};
use support::proxy::{Proxy, Schema};
use support::redis_server::PrivateRedis;
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
        let schema = Schema::create().await?;
        let proxy = Proxy::start(schema.upstream()).await;
        let db = schema.through(&proxy, support::config(settings).db_timeout);
        let origin = TestOrigin::on(db, settings, Tuning::default()).await;
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
    let pattern = format!("{prefix}-%");
    let (rows, requests) = world.schema.wait_for_like(&origin.app.usage, &pattern, served.len() as i64).await;
    assert_eq!(requests, served.len() as i64);
    if rows > requests {
        eprintln!("{} rows written twice (an insert's answer was lost in the cut)", rows - requests);
    }
    assert_eq!(world.schema.requests_like(&pattern).await, served);
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
