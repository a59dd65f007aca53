//! The edge's own counters, sent with its usage batches (`POST /internal/v1/usage`, field
//! `counters`), appear on the origin's `/metrics` as `noesis_edge_*_total`, added up across
//! batches; a batch without them (an older edge) is still taken.

mod support;

use reqwest::Method;
use serde_json::json;
use support::{EDGE_SECRET, METRICS_TOKEN, TestOrigin};

async fn post_batch(origin: &TestOrigin, batch: serde_json::Value) -> u16 {
    let response = origin.request(Method::POST, "/internal/v1/usage", Some(EDGE_SECRET)).json(&batch).send().await;
    response.expect("request sent").status().as_u16()
}

#[tokio::test]
async fn edge_counters_reach_metrics() {
    let origin = TestOrigin::sqlite().await;
    let counters = json!({"requests_2xx": 5, "requests_5xx": 1, "cache_hits": 3, "cache_misses": 2,
        "allowlist_refreshes": 1, "origin_forward_failures": 1, "sentry_events_sent": 1,
        "product_events_dropped": 4, "usage_events_dropped": 0});
    assert_eq!(post_batch(&origin, json!({"events": [], "counters": counters})).await, 202);
    assert_eq!(post_batch(&origin, json!({"events": [], "counters": {"cache_hits": 2}})).await, 202);
    assert_eq!(post_batch(&origin, json!({"events": []})).await, 202, "a batch of an older edge");
    // A counter from a newer edge is ignored, not refused.
    assert_eq!(post_batch(&origin, json!({"events": [], "counters": {"future_counter": 9}})).await, 202);

    let metrics = origin.get("/metrics", METRICS_TOKEN).await.text().await.unwrap();
    for line in [
        r#"noesis_edge_requests_total{status="2xx"} 5"#,
        r#"noesis_edge_requests_total{status="5xx"} 1"#,
        "noesis_edge_cache_hits_total 5",
        "noesis_edge_cache_misses_total 2",
        "noesis_edge_allowlist_refreshes_total 1",
        "noesis_edge_allowlist_refresh_failures_total 0",
        "noesis_edge_origin_forward_failures_total 1",
        "noesis_edge_sentry_events_sent_total 1",
        "noesis_edge_product_events_dropped_total 4",
        "noesis_edge_usage_events_dropped_total 0",
    ] {
        assert!(metrics.lines().any(|got| got == line), "{line:?} not on /metrics:\n{metrics}");
    }
    assert!(!metrics.contains("future_counter"), "{metrics}");
}
