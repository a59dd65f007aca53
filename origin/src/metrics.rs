//! The origin's Prometheus metrics (DESIGN.md §5), served as text by `GET /metrics`.
//!
//! One [`Metrics`] per process, created with the app and handed to each part that counts; no
//! global registry, so tests that start several apps in one process keep their counts apart.
//! Label values are always from small closed sets (route patterns, engine ids, outcomes), never
//! a key, a user or a path as sent, so the number of series stays bounded.

use std::fmt;

use prometheus_client::encoding::{EncodeLabelSet, text};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::{Family, MetricConstructor};
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

use noesis_core::http::usage::EdgeCounters;

/// Latency buckets in seconds: 50 µs to about 13 s, doubling, so that both a cached calculation
/// (tens of microseconds) and a database call near its timeout land in a bucket of their own.
#[derive(Clone, Copy, Debug)]
pub struct LatencyBuckets;

impl MetricConstructor<Histogram> for LatencyBuckets {
    fn new_metric(&self) -> Histogram {
        Histogram::new(exponential_buckets(0.000_05, 2.0, 19))
    }
}

/// Labels of a served request.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RouteLabels {
    /// The route pattern, e.g. `/api/v1/engines/{id}/calculate`, or `unmatched`.
    pub route: String,
    pub method: String,
    /// The status class: `2xx`, `4xx`, `5xx`.
    pub status: String,
}

/// Labels of a latency observation for a route.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RouteLatencyLabels {
    pub route: String,
    pub method: String,
}

/// Labels of an engine's work.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct EngineLabels {
    pub engine: String,
}

/// Labels of a workflow run.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct WorkflowLabels {
    pub workflow: String,
}

/// Labels of a cache lookup.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct CacheLabels {
    /// Which cache: `result` (engine and workflow answers), `key` (key checks).
    pub cache: &'static str,
    /// Which layer answered: `memory`, `redis`, or `none` for a miss of both.
    pub layer: &'static str,
    /// `hit` or `miss`.
    pub outcome: &'static str,
}

/// Labels of a refused key or a rate-limit hit.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ReasonLabels {
    /// The problem code, e.g. `KEY_REVOKED`, or a tier for rate limits.
    pub reason: String,
}

/// Labels of the requests an edge answered.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct EdgeStatusLabels {
    /// The status class: `2xx`, `3xx`, `4xx`, `5xx`.
    pub status: &'static str,
}

/// Help texts of the edge's counters other than requests, by the name the edge sends
/// ([`EdgeCounters::named`]); each is `noesis_edge_<name>_total`.
const EDGE_COUNTERS: [(&str, &str); 10] = [
    ("cache_hits", "Engine calculations the edge answered from its cache"),
    ("cache_misses", "Engine calculations the edge computed (not in its cache)"),
    ("allowlist_refreshes", "Allow-list refreshes the edge got from the origin (changed or confirmed)"),
    ("allowlist_refresh_failures", "Allow-list refreshes from the origin that failed at the edge"),
    ("origin_forward_failures", "Requests the edge forwarded that the origin did not answer"),
    ("sentry_events_sent", "Error events the edge sent and Sentry took"),
    ("sentry_events_dropped", "Error events the edge lost (Sentry refused, away or slow)"),
    ("product_events_sent", "Product events the edge sent and PostHog took"),
    ("product_events_dropped", "Product events the edge lost (buffer full, PostHog refused, away or slow)"),
    ("usage_events_dropped", "Usage events the edge lost (buffer full, or the origin did not take their batch)"),
];

/// Every metric the origin keeps.
pub struct Metrics {
    registry: Registry,
    pub requests: Family<RouteLabels, Counter>,
    pub request_duration: Family<RouteLatencyLabels, Histogram, LatencyBuckets>,
    pub engine_duration: Family<EngineLabels, Histogram, LatencyBuckets>,
    pub workflow_duration: Family<WorkflowLabels, Histogram, LatencyBuckets>,
    pub cache_lookups: Family<CacheLabels, Counter>,
    pub rate_limited: Family<ReasonLabels, Counter>,
    pub auth_failures: Family<ReasonLabels, Counter>,
    /// Usage rows written to the database.
    pub usage_written: Counter,
    /// Usage events lost: the buffer was full (database away too long, no Redis to spill to).
    pub usage_dropped: Counter,
    /// Usage events held in memory, waiting for the database.
    pub usage_buffered: Gauge,
    /// Usage events moved to Redis while the database was away.
    pub usage_spilled: Counter,
    /// Database calls that failed as unavailable (timeout, unreachable).
    pub db_unavailable: Counter,
    /// Redis calls that failed (the request went on with in-process layers).
    pub redis_failures: Counter,
    /// Product events PostHog took.
    pub product_events_sent: Counter,
    /// Product events lost: the channel was full, or PostHog failed a batch twice.
    pub product_events_dropped: Counter,
    /// POSTs to PostHog that failed (unreachable, timed out, refused).
    pub posthog_failures: Counter,
    /// The requests the edges answered, by status class, as their usage batches report.
    pub edge_requests: Family<EdgeStatusLabels, Counter>,
    /// The edges' other counters ([`EDGE_COUNTERS`]), as their usage batches report.
    pub edge: Vec<(&'static str, Counter)>,
}

impl fmt::Debug for Metrics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Metrics").finish_non_exhaustive()
    }
}

impl Default for Metrics {
    fn default() -> Metrics {
        Metrics::new()
    }
}

impl Metrics {
    /// A fresh set of metrics, all at zero, registered under the `noesis` prefix.
    pub fn new() -> Metrics {
        let mut registry = Registry::with_prefix("noesis");
        let metrics_without_registry = Metrics {
            registry: Registry::default(),
            requests: Family::default(),
            request_duration: Family::new_with_constructor(LatencyBuckets),
            engine_duration: Family::new_with_constructor(LatencyBuckets),
            workflow_duration: Family::new_with_constructor(LatencyBuckets),
            cache_lookups: Family::default(),
            rate_limited: Family::default(),
            auth_failures: Family::default(),
            usage_written: Counter::default(),
            usage_dropped: Counter::default(),
            usage_buffered: Gauge::default(),
            usage_spilled: Counter::default(),
            db_unavailable: Counter::default(),
            redis_failures: Counter::default(),
            product_events_sent: Counter::default(),
            product_events_dropped: Counter::default(),
            posthog_failures: Counter::default(),
            edge_requests: Family::default(),
            edge: EDGE_COUNTERS.iter().map(|(name, _)| (*name, Counter::default())).collect(),
        };
        let m = metrics_without_registry;
        registry.register(
            "http_requests",
            "HTTP requests served, by route pattern and status class",
            m.requests.clone(),
        );
        registry.register(
            "http_request_duration_seconds",
            "Time to answer a request, by route pattern",
            m.request_duration.clone(),
        );
        registry.register(
            "engine_calculation_duration_seconds",
            "Time to calculate an engine's answer (cache misses only)",
            m.engine_duration.clone(),
        );
        registry.register(
            "workflow_run_duration_seconds",
            "Time to run a workflow's engines and synthesis (cache misses only)",
            m.workflow_duration.clone(),
        );
        registry.register(
            "cache_lookups",
            "Cache lookups by cache, answering layer and outcome",
            m.cache_lookups.clone(),
        );
        registry.register("rate_limited", "Requests refused with 429, by tier", m.rate_limited.clone());
        registry.register("auth_failures", "Requests refused for their key, by problem code", m.auth_failures.clone());
        registry.register("usage_events_written", "Usage rows written to the database", m.usage_written.clone());
        registry.register(
            "usage_events_dropped",
            "Usage events lost because the buffer was full",
            m.usage_dropped.clone(),
        );
        registry.register(
            "usage_events_buffered",
            "Usage events waiting in memory for the database",
            m.usage_buffered.clone(),
        );
        registry.register(
            "usage_events_spilled",
            "Usage events parked in Redis while the database was away",
            m.usage_spilled.clone(),
        );
        registry.register("db_unavailable", "Database calls that failed as unavailable", m.db_unavailable.clone());
        registry.register(
            "redis_failures",
            "Redis calls that failed and fell back to in-process layers",
            m.redis_failures.clone(),
        );
        registry.register("product_events_sent", "Product events PostHog took", m.product_events_sent.clone());
        registry.register(
            "product_events_dropped",
            "Product events lost: channel full, or PostHog failed a batch twice",
            m.product_events_dropped.clone(),
        );
        registry.register(
            "posthog_request_failures",
            "POSTs to PostHog that failed (unreachable, timed out, refused)",
            m.posthog_failures.clone(),
        );
        registry.register(
            "edge_requests",
            "Requests the edge answered, by status class (reported with its usage batches)",
            m.edge_requests.clone(),
        );
        for ((name, help), (_, counter)) in EDGE_COUNTERS.iter().zip(&m.edge) {
            registry.register(format!("edge_{name}"), *help, counter.clone());
        }
        Metrics { registry, ..m }
    }

    /// Adds what an edge counted since its previous batch.
    pub fn add_edge_counters(&self, counters: &EdgeCounters) {
        for (name, count) in counters.named() {
            if let Some(status) = name.strip_prefix("requests_") {
                let status = match status {
                    "2xx" => "2xx",
                    "3xx" => "3xx",
                    "4xx" => "4xx",
                    _ => "5xx",
                };
                self.edge_requests.get_or_create(&EdgeStatusLabels { status }).inc_by(count);
            } else if let Some((_, counter)) = self.edge.iter().find(|(known, _)| *known == name) {
                counter.inc_by(count);
            }
        }
    }

    /// Counts a cache lookup.
    pub fn cache(&self, cache: &'static str, layer: &'static str, outcome: &'static str) {
        self.cache_lookups.get_or_create(&CacheLabels { cache, layer, outcome }).inc();
    }

    /// Everything in the Prometheus text exposition format (OpenMetrics 1.0 text, which
    /// Prometheus reads).
    pub fn render(&self) -> String {
        let mut out = String::new();
        // Writing to a String cannot fail.
        let _ = text::encode(&mut out, &self.registry);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_appear_in_the_text_format() {
        let metrics = Metrics::new();
        metrics.usage_dropped.inc_by(3);
        metrics.cache("result", "memory", "hit");
        metrics
            .request_duration
            .get_or_create(&RouteLatencyLabels { route: "/health".into(), method: "GET".into() })
            .observe(0.0002);
        let text = metrics.render();
        assert!(text.contains("noesis_usage_events_dropped_total 3"), "{text}");
        assert!(
            text.contains(r#"noesis_cache_lookups_total{cache="result",layer="memory",outcome="hit"} 1"#),
            "{text}"
        );
        assert!(
            text.contains(r#"noesis_http_request_duration_seconds_bucket{le="0.0002",route="/health",method="GET"} 1"#)
                || text.contains("noesis_http_request_duration_seconds_count{route=\"/health\",method=\"GET\"} 1"),
            "{text}"
        );
        assert!(text.ends_with("# EOF\n"), "{text}");
    }

    #[test]
    fn every_edge_counter_has_a_metric() {
        let metrics = Metrics::new();
        let counters =
            EdgeCounters { requests_5xx: 2, cache_hits: 3, usage_events_dropped: 1, ..EdgeCounters::default() };
        metrics.add_edge_counters(&counters);
        let text = metrics.render();
        assert!(text.contains(r#"noesis_edge_requests_total{status="5xx"} 2"#), "{text}");
        assert!(text.contains("noesis_edge_cache_hits_total 3"), "{text}");
        assert!(text.contains("noesis_edge_usage_events_dropped_total 1"), "{text}");
        for (name, _) in counters.named() {
            let metric = match name.strip_prefix("requests_") {
                Some(_) => "noesis_edge_requests_total".to_owned(),
                None => format!("noesis_edge_{name}_total"),
            };
            assert!(text.contains(&metric), "{metric} missing: {text}");
        }
    }
}
