//! Sentry error reporting against a local HTTP server that takes `POST /api/<project>/envelope/`
//! as Sentry does: what arrives is parsed (envelope header, item headers, event JSON) and checked
//! for tags, fingerprints and the number of events, and the raw bytes for the absence of keys,
//! authorization and birth data. Without `SENTRY_DSN` nothing is sent; a panic in a handler is
//! one event and the server keeps serving. Performance transactions: none at a traces sample
//! rate of 0, one per request at 1.0, named by the route pattern and carrying no request data.
//!
//! One test function: the Sentry client is process-wide.

mod support;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::routing::post;
use noesis_origin::error_reporting;
use reqwest::Method;
use serde_json::{Value, json};
use support::{TestOrigin, header};

/// What arrived: the project of the URL and the envelope's bytes.
type Received = Arc<Mutex<Vec<(String, Vec<u8>)>>>;

/// A Sentry stand-in: records every envelope POSTed to `/api/<project>/envelope/`.
struct FakeSentry {
    base: String,
    envelopes: Received,
}

impl FakeSentry {
    async fn start() -> FakeSentry {
        let envelopes = Arc::new(Mutex::new(Vec::new()));
        let app = Router::new()
            .route(
                "/api/{project}/envelope/",
                post(|State(envelopes): State<Received>, Path(project): Path<String>, body: Bytes| async move {
                    envelopes.lock().unwrap().push((project, body.to_vec()));
                    axum::Json(json!({"id": "0"}))
                }),
            )
            .with_state(envelopes.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("{}", listener.local_addr().unwrap());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        FakeSentry { base, envelopes }
    }

    fn dsn(&self) -> String {
        format!("http://public@{}/1", self.base)
    }

    fn raw(&self) -> Vec<(String, Vec<u8>)> {
        self.envelopes.lock().unwrap().clone()
    }

    /// The events of every envelope.
    fn events(&self) -> Vec<Value> {
        self.items("event")
    }

    /// The payloads of every item of type `kind` in every envelope:
    /// `header\n(item header\npayload\n)*`.
    fn items(&self, kind: &str) -> Vec<Value> {
        let mut events = Vec::new();
        for (project, body) in self.raw() {
            assert_eq!(project, "1");
            let text = String::from_utf8(body).expect("envelopes here are UTF-8");
            let mut lines = text.lines();
            let header: Value = serde_json::from_str(lines.next().expect("an envelope header")).unwrap();
            assert!(header.is_object(), "{header}");
            while let Some(item_header) = lines.next() {
                if item_header.is_empty() {
                    continue;
                }
                let item_header: Value = serde_json::from_str(item_header).expect("an item header is JSON");
                let payload = lines.next().expect("an item payload");
                if item_header["type"] == kind {
                    events.push(serde_json::from_str(payload).expect("an event is JSON"));
                }
            }
        }
        events
    }

    async fn wait_for_events(&self, count: usize) -> Vec<Value> {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let events = self.events();
            if events.len() >= count || Instant::now() > deadline {
                return events;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

#[tokio::test]
async fn server_errors_and_panics_reach_sentry_tagged_and_scrubbed() {
    let sentry = FakeSentry::start().await;
    let origin = TestOrigin::sqlite().await;
    let birth_data = json!({"name": "Ada Lovelace", "birth_date": "1815-12-10", "birth_time": "04:30"});
    let debug = "/api/v1/admin/debug/error?token=nk_test_QueryStringSecret1";
    let send = |path: &str| {
        origin
            .request(Method::POST, path, Some(&origin.admin_key))
            .header("x-api-key", "nk_live_HeaderSecret42")
            .header("cookie", "session=nk_live_CookieSecret7")
            .json(&birth_data)
            .send()
    };

    // Without SENTRY_DSN: no client, nothing sent.
    let unset = support::config(&[]);
    assert!(unset.sentry.is_none());
    assert!(error_reporting::init(unset.sentry.as_ref()).is_none());
    let response = send(debug).await.unwrap();
    assert_eq!(response.status(), 500);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(sentry.raw().is_empty(), "sent without SENTRY_DSN");

    // With it (and, explicitly, no performance transactions).
    let config = support::config(&[
        ("SENTRY_DSN", &sentry.dsn()),
        ("SENTRY_ENVIRONMENT", "test"),
        ("SENTRY_TRACES_SAMPLE_RATE", "0"),
    ]);
    let guard = error_reporting::init(config.sentry.as_ref()).expect("Sentry starts");

    let response = send(debug).await.unwrap();
    let error_request_id = header(&response, "x-request-id").to_owned();
    support::problem(response, 500, "INTERNAL").await;

    let response = send("/api/v1/admin/debug/error?panic=true").await.unwrap();
    let panic_request_id = header(&response, "x-request-id").to_owned();
    support::problem(response, 500, "INTERNAL").await;
    let health = origin.client.get(origin.url("/health")).send().await.unwrap();
    assert_eq!(health.status(), 200, "the server keeps serving after a panic");

    // A 4xx is not reported.
    let response = origin.request(Method::GET, "/api/v1/engines/no-such-engine", Some(&origin.admin_key)).send().await;
    assert!(response.unwrap().status().is_client_error());

    let events = sentry.wait_for_events(2).await;
    drop(guard);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let events_after_flush = sentry.events();
    assert_eq!(events_after_flush.len(), 2, "one event per 5xx, one for the panic: {events_after_flush:#?}");
    assert_eq!(events.len(), 2);

    let by_request = |id: &str| {
        events_after_flush
            .iter()
            .find(|event| event["tags"]["request_id"] == id)
            .unwrap_or_else(|| panic!("no event for request {id}: {events_after_flush:#?}"))
            .clone()
    };
    for (id, panicked) in [(&error_request_id, false), (&panic_request_id, true)] {
        let event = by_request(id);
        let tags = &event["tags"];
        assert_eq!(tags["route"], "/api/v1/admin/debug/error", "{event:#}");
        assert_eq!(tags["tier"], "enterprise", "{event:#}");
        assert_eq!(tags["consciousness_level"], "5", "{event:#}");
        assert_eq!(tags["problem_code"], "INTERNAL", "{event:#}");
        assert_eq!(event["fingerprint"], json!(["/api/v1/admin/debug/error", "INTERNAL"]), "{event:#}");
        assert_eq!(event["environment"], "test", "{event:#}");
        assert_eq!(event["release"], concat!("noesis-origin@", env!("CARGO_PKG_VERSION")), "{event:#}");
        // `error` is the protocol's default level and is left out.
        assert!(event["level"].is_null() || event["level"] == "error", "{event:#}");
        assert!(event.get("request").is_none_or(Value::is_null), "{event:#}");
        assert_eq!(tags.get("panic").is_some(), panicked, "{event:#}");
    }

    for (_, body) in sentry.raw() {
        let raw = String::from_utf8_lossy(&body).to_ascii_lowercase();
        for forbidden in [
            "nk_live_",
            "nk_test_",
            &origin.admin_key.to_ascii_lowercase(),
            "authorization",
            "x-api-key",
            "cookie",
            "ada lovelace",
            "1815",
            "04:30",
            "birth",
            "querystringsecret",
        ] {
            assert!(!raw.contains(forbidden), "{forbidden:?} reached Sentry: {raw}");
        }
    }
    assert!(sentry.items("transaction").is_empty(), "a transaction was sent at a sample rate of 0");

    // Performance transactions at a sample rate of 1: one per matched request, named by its
    // route pattern, never by the path as sent, and with nothing of the request.
    let config = support::config(&[("SENTRY_DSN", &sentry.dsn()), ("SENTRY_TRACES_SAMPLE_RATE", "1.0")]);
    let guard = error_reporting::init(config.sentry.as_ref()).expect("Sentry starts");
    let response = origin
        .request(Method::GET, "/api/v1/engines/numerology?token=nk_live_QuerySecret9", Some(&origin.admin_key))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let response = origin.request(Method::POST, debug, Some(&origin.admin_key)).json(&birth_data).send().await;
    assert_eq!(response.unwrap().status(), 500);
    let unmatched = origin.request(Method::GET, "/no/such/nk_live_PathSecret3", None).send().await.unwrap();
    assert_eq!(unmatched.status(), 404);
    drop(guard);
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut transactions = sentry.items("transaction");
    while transactions.len() < 2 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
        transactions = sentry.items("transaction");
    }
    let mut names: Vec<&str> = transactions.iter().filter_map(|t| t["transaction"].as_str()).collect();
    names.sort_unstable();
    assert_eq!(
        names,
        ["GET /api/v1/engines/{id}", "POST /api/v1/admin/debug/error"],
        "one transaction per matched request: {transactions:#?}"
    );
    for transaction in &transactions {
        assert_eq!(transaction["tags"]["runtime"], "origin", "{transaction:#}");
        assert!(transaction.get("request").is_none_or(Value::is_null), "{transaction:#}");
        assert_eq!(transaction["release"], concat!("noesis-origin@", env!("CARGO_PKG_VERSION")), "{transaction:#}");
    }
    let debug_transaction = transactions.iter().find(|t| t["transaction"] == "POST /api/v1/admin/debug/error").unwrap();
    assert_eq!(debug_transaction["contexts"]["trace"]["status"], "internal_error", "{debug_transaction:#}");
    for (_, body) in sentry.raw() {
        let raw = String::from_utf8_lossy(&body).to_ascii_lowercase();
        for forbidden in
            ["nk_live_", "querysecret", "pathsecret", "numerology?", &origin.admin_key.to_ascii_lowercase()]
        {
            assert!(!raw.contains(forbidden), "{forbidden:?} reached Sentry: {raw}");
        }
    }
}
