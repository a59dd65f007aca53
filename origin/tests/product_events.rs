//! PostHog product events against local HTTP servers that take `POST /batch/` as PostHog does:
//! what arrives is parsed and checked (event names, properties, owners, no key anywhere), and a
//! PostHog that is down or slow never slows the requests being served.

mod support;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::routing::post;
use noesis_origin::app::Tuning;
use reqwest::Method;
use serde_json::{Value, json};
use support::{Backend, METRICS_TOKEN, TestOrigin, human_design_request, numerology_request};

const PROJECT_KEY: &str = "phc_test_project_key";

/// A PostHog stand-in: records every body POSTed to `/batch/`, after `delay`.
struct FakePostHog {
    base: String,
    bodies: Arc<Mutex<Vec<String>>>,
}

impl FakePostHog {
    async fn start(delay: Duration) -> FakePostHog {
        let bodies = Arc::new(Mutex::new(Vec::new()));
        let app = Router::new()
            .route(
                "/batch/",
                post(|State((bodies, delay)): State<(Arc<Mutex<Vec<String>>>, Duration)>, body: Bytes| async move {
                    tokio::time::sleep(delay).await;
                    bodies.lock().unwrap().push(String::from_utf8_lossy(&body).into_owned());
                    axum::Json(json!({"status": 1}))
                }),
            )
            .with_state((bodies.clone(), delay));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        FakePostHog { base, bodies }
    }

    fn bodies(&self) -> Vec<String> {
        self.bodies.lock().unwrap().clone()
    }

    /// Every event received, from every batch.
    fn events(&self) -> Vec<Value> {
        let mut events = Vec::new();
        for body in self.bodies() {
            let batch: Value = serde_json::from_str(&body).expect("a batch is JSON");
            assert_eq!(batch["api_key"], PROJECT_KEY, "{batch}");
            events.extend(batch["batch"].as_array().expect("`batch` is a list").iter().cloned());
        }
        events
    }
}

/// An address nothing listens on.
async fn nothing_listening() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    base
}

async fn origin_sending_to(host: &str) -> TestOrigin {
    TestOrigin::start(Backend::Sqlite, &[("POSTHOG_API_KEY", PROJECT_KEY), ("POSTHOG_HOST", host)], Tuning::default())
        .await
        .unwrap()
}

async fn metrics(origin: &TestOrigin) -> String {
    origin.request(Method::GET, "/metrics", Some(METRICS_TOKEN)).send().await.unwrap().text().await.unwrap()
}

fn metric(text: &str, name: &str) -> u64 {
    text.lines()
        .find_map(|line| line.strip_prefix(name).and_then(|rest| rest.strip_prefix(' ')))
        .and_then(|value| value.trim().parse().ok())
        .unwrap_or_else(|| panic!("no {name} in {text}"))
}

fn one<'a>(events: &'a [Value], name: &str, filter: impl Fn(&Value) -> bool) -> &'a Value {
    let found: Vec<&Value> = events.iter().filter(|event| event["event"] == name && filter(event)).collect();
    assert_eq!(found.len(), 1, "{name}: {events:#?}");
    found[0]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_arrive_with_their_properties_and_no_key() {
    let posthog = FakePostHog::start(Duration::ZERO).await;
    let origin = origin_sending_to(&posthog.base).await;
    let owner = origin.admin_user.to_string();

    let path = "/api/v1/engines/numerology/calculate";
    assert_eq!(origin.post(path, &origin.admin_key, &numerology_request()).await.status(), 200);
    assert_eq!(origin.post(path, &origin.admin_key, &numerology_request()).await.status(), 200);
    let workflow = "/api/v1/workflows/daily-practice/execute";
    assert_eq!(origin.post(workflow, &origin.admin_key, &human_design_request()).await.status(), 200);
    // An unknown (well-formed looking) key, behind a proxy.
    let refused = origin
        .request(Method::GET, "/api/v1/me", Some("nk_live_notarealkeyatall0000000000000000"))
        .header("x-forwarded-for", "203.0.113.7, 10.0.0.1")
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 401);
    let (_, limited) = origin.create_key(0, &["engines"], json!({"rate_limit_per_minute": 1})).await;
    assert_eq!(origin.post(path, &limited, &numerology_request()).await.status(), 200);
    assert_eq!(origin.post(path, &limited, &numerology_request()).await.status(), 429);

    origin.app.product_events.flush().await;
    let events = posthog.events();

    for event in &events {
        assert_eq!(event["properties"]["$lib"], "noesis-origin", "{event}");
        assert!(event["timestamp"].as_str().is_some_and(|at| at.ends_with('Z')), "{event}");
        assert!(event["uuid"].as_str().is_some(), "{event}");
    }
    let miss = one(&events, "engine_calculation", |e| {
        e["properties"]["cache_hit"] == false && e["distinct_id"] == *owner && e["properties"]["tier"] == "enterprise"
    });
    assert_eq!(miss["properties"]["engine_id"], "numerology");
    assert_eq!(miss["properties"]["tier"], "enterprise");
    assert_eq!(miss["properties"]["level"], 5);
    assert_eq!(miss["properties"]["status"], 200);
    assert!(miss["properties"]["duration_ms"].as_f64().is_some_and(|ms| ms >= 0.0), "{miss}");
    let hit = one(&events, "engine_calculation", |e| {
        e["properties"]["cache_hit"] == true && e["distinct_id"] == *owner && e["properties"]["tier"] == "enterprise"
    });
    assert_eq!(hit["properties"]["status"], 200);

    let run = one(&events, "workflow_execution", |_| true);
    assert_eq!(run["distinct_id"], owner.as_str());
    assert_eq!(run["properties"]["workflow_id"], "daily-practice");
    assert_eq!(run["properties"]["status"], 200);
    assert_eq!(run["properties"]["cache_hit"], false);
    assert_eq!(run["properties"]["tier"], "enterprise");

    let failure = one(&events, "auth_failure", |_| true);
    let client = failure["distinct_id"].as_str().unwrap();
    assert_eq!(client.len(), 16);
    assert!(client.chars().all(|c| c.is_ascii_hexdigit()), "{failure}");
    assert_eq!(client, noesis_origin::product_events::hash_client("203.0.113.7"));
    assert_eq!(failure["properties"]["client_hash"], client);
    assert!(failure["properties"]["code"].as_str().is_some_and(|code| !code.is_empty()), "{failure}");

    let limit = one(&events, "rate_limit_hit", |_| true);
    assert_eq!(limit["distinct_id"], owner.as_str(), "the limited key's owner");
    assert_eq!(limit["properties"]["tier"], "free");
    assert_eq!(limit["properties"]["level"], 0);
    let limited_calls = events
        .iter()
        .filter(|e| e["event"] == "engine_calculation" && e["properties"]["tier"] == "free")
        .map(|e| e["properties"]["status"].as_u64().unwrap())
        .collect::<Vec<_>>();
    assert_eq!(limited_calls, vec![200], "a refused call runs no calculation");

    // No key of any kind in anything PostHog received, nor the client's address.
    for body in posthog.bodies() {
        for secret in ["nk_live_", "nk_test_", origin.admin_key.as_str(), limited.as_str(), "203.0.113.7"] {
            assert!(!body.contains(secret), "{secret} in {body}");
        }
    }
    let text = metrics(&origin).await;
    assert_eq!(metric(&text, "noesis_product_events_sent_total"), events.len() as u64, "{text}");
    assert_eq!(metric(&text, "noesis_product_events_dropped_total"), 0, "{text}");
}

/// Serves `count` calculations from 8 concurrent clients and returns how long it took.
async fn burst(origin: &TestOrigin, count: usize) -> Duration {
    let started = Instant::now();
    let mut tasks = Vec::new();
    for worker in 0..8 {
        let (client, url, key) =
            (origin.client.clone(), origin.url("/api/v1/engines/numerology/calculate"), origin.admin_key.clone());
        tasks.push(tokio::spawn(async move {
            for n in (worker..count).step_by(8) {
                let body = json!({"birth_data": {"name": format!("Person {n}"), "date": "1991-08-13"}});
                let response = client.post(&url).bearer_auth(&key).json(&body).send().await.unwrap();
                assert_eq!(response.status(), 200);
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    let elapsed = started.elapsed();
    eprintln!("{count} requests in {elapsed:?}");
    elapsed
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_down_posthog_slows_nothing_and_losses_are_counted() {
    let origin = origin_sending_to(&nothing_listening().await).await;
    let elapsed = burst(&origin, 200).await;
    // Served at the speed of the calculations (about 0.1 s here), not of PostHog.
    assert!(elapsed < Duration::from_secs(2), "200 requests took {elapsed:?}");
    origin.app.product_events.flush().await;
    let text = metrics(&origin).await;
    assert_eq!(metric(&text, "noesis_product_events_dropped_total"), 200, "{text}");
    assert_eq!(metric(&text, "noesis_product_events_sent_total"), 0, "{text}");
    assert!(metric(&text, "noesis_posthog_request_failures_total") >= 2, "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_posthog_slows_nothing_and_losses_are_counted() {
    let posthog = FakePostHog::start(Duration::from_secs(5)).await;
    let origin = origin_sending_to(&posthog.base).await;
    let elapsed = burst(&origin, 200).await;
    // Waiting once for a 5 s PostHog (or the 2 s timeout) would take longer than the whole burst
    // may; blocking per request would take 400 s.
    assert!(elapsed < Duration::from_secs(2), "200 requests took {elapsed:?}");
    origin.app.product_events.flush().await;
    let text = metrics(&origin).await;
    let dropped = metric(&text, "noesis_product_events_dropped_total");
    let sent = metric(&text, "noesis_product_events_sent_total");
    assert_eq!(sent, 0, "every POST timed out: {text}");
    assert_eq!(dropped, 200, "{text}");
    assert!(metric(&text, "noesis_posthog_request_failures_total") >= 2, "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_an_api_key_nothing_is_sent_and_nothing_breaks() {
    let posthog = FakePostHog::start(Duration::ZERO).await;
    let origin = TestOrigin::start(Backend::Sqlite, &[("POSTHOG_HOST", posthog.base.as_str())], Tuning::default())
        .await
        .unwrap();
    assert!(!origin.app.product_events.is_enabled());
    let elapsed = burst(&origin, 16).await;
    assert!(elapsed < Duration::from_secs(10), "{elapsed:?}");
    origin.app.product_events.flush().await;
    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert!(posthog.bodies().is_empty());
    let text = metrics(&origin).await;
    assert_eq!(metric(&text, "noesis_product_events_sent_total"), 0, "{text}");
}
