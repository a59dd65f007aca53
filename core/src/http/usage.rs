//! The usage events the edge sends the origin (`POST /internal/v1/usage`, DESIGN §4): one type,
//! written by the edge and read by the origin, so the two cannot drift apart.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::keys::Grant;

/// One request served at the edge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UsageEvent {
    pub at: Timestamp,
    pub key_id: Option<Uuid>,
    pub user_id: Option<Uuid>,
    /// The route pattern, e.g. `/api/v1/engines/{id}/calculate`.
    pub route: String,
    pub engine_id: Option<String>,
    pub workflow_id: Option<String>,
    pub status: u16,
    /// Time to answer, in microseconds.
    pub latency_us: u64,
    pub cache_hit: bool,
    pub request_id: String,
}

impl UsageEvent {
    /// The event of a request by `grant`'s key; no workflow (workflows run at the origin, which
    /// logs them itself).
    #[allow(clippy::too_many_arguments)]
    pub fn of_grant(
        at: Timestamp,
        grant: &Grant,
        route: &str,
        engine_id: Option<&str>,
        status: u16,
        latency_us: u64,
        cache_hit: bool,
        request_id: &str,
    ) -> UsageEvent {
        UsageEvent {
            at,
            key_id: Some(*grant.key_id.as_uuid()),
            user_id: Some(grant.user_id),
            route: route.to_owned(),
            engine_id: engine_id.map(str::to_owned),
            workflow_id: None,
            status,
            latency_us,
            cache_hit,
            request_id: request_id.to_owned(),
        }
    }
}

/// The body of `POST /internal/v1/usage`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UsageBatch {
    pub events: Vec<UsageEvent>,
    /// What the edge counted since its previous batch (absent from edges older than the field,
    /// which still parse).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counters: Option<EdgeCounters>,
}

/// The counters an edge isolate keeps about itself, as increments since its previous batch; the
/// origin adds them to its `noesis_edge_<name>_total` counters. A field this origin does not
/// know (from a newer edge) is ignored, a missing one is zero.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EdgeCounters {
    /// Answers by status class.
    pub requests_2xx: u64,
    pub requests_3xx: u64,
    pub requests_4xx: u64,
    pub requests_5xx: u64,
    /// Engine calculations answered from the edge cache, and those computed.
    pub cache_hits: u64,
    pub cache_misses: u64,
    /// Allow-list refreshes from the origin that succeeded (changed or confirmed), and failed.
    pub allowlist_refreshes: u64,
    pub allowlist_refresh_failures: u64,
    /// Requests forwarded to the origin that got no answer (answered 503 by the edge).
    pub origin_forward_failures: u64,
    /// Error events Sentry took, and those lost (refused, unreachable, timed out).
    pub sentry_events_sent: u64,
    pub sentry_events_dropped: u64,
    /// Product events PostHog took, and those lost (buffer full, PostHog refused or away).
    pub product_events_sent: u64,
    pub product_events_dropped: u64,
    /// Usage events lost (buffer full, or their batch not taken by the origin).
    pub usage_events_dropped: u64,
}

impl EdgeCounters {
    /// Every counter with its name, in a fixed order: the origin registers one metric per name.
    pub fn named(&self) -> [(&'static str, u64); 14] {
        [
            ("requests_2xx", self.requests_2xx),
            ("requests_3xx", self.requests_3xx),
            ("requests_4xx", self.requests_4xx),
            ("requests_5xx", self.requests_5xx),
            ("cache_hits", self.cache_hits),
            ("cache_misses", self.cache_misses),
            ("allowlist_refreshes", self.allowlist_refreshes),
            ("allowlist_refresh_failures", self.allowlist_refresh_failures),
            ("origin_forward_failures", self.origin_forward_failures),
            ("sentry_events_sent", self.sentry_events_sent),
            ("sentry_events_dropped", self.sentry_events_dropped),
            ("product_events_sent", self.product_events_sent),
            ("product_events_dropped", self.product_events_dropped),
            ("usage_events_dropped", self.usage_events_dropped),
        ]
    }

    /// Whether every counter is zero (nothing worth a batch of its own).
    pub fn is_zero(&self) -> bool {
        self.named().iter().all(|(_, count)| *count == 0)
    }

    /// Adds `other` to these counters (counters of a batch the origin did not take go back).
    pub fn add(&mut self, other: &EdgeCounters) {
        let EdgeCounters {
            requests_2xx,
            requests_3xx,
            requests_4xx,
            requests_5xx,
            cache_hits,
            cache_misses,
            allowlist_refreshes,
            allowlist_refresh_failures,
            origin_forward_failures,
            sentry_events_sent,
            sentry_events_dropped,
            product_events_sent,
            product_events_dropped,
            usage_events_dropped,
        } = other;
        self.requests_2xx += requests_2xx;
        self.requests_3xx += requests_3xx;
        self.requests_4xx += requests_4xx;
        self.requests_5xx += requests_5xx;
        self.cache_hits += cache_hits;
        self.cache_misses += cache_misses;
        self.allowlist_refreshes += allowlist_refreshes;
        self.allowlist_refresh_failures += allowlist_refresh_failures;
        self.origin_forward_failures += origin_forward_failures;
        self.sentry_events_sent += sentry_events_sent;
        self.sentry_events_dropped += sentry_events_dropped;
        self.product_events_sent += product_events_sent;
        self.product_events_dropped += product_events_dropped;
        self.usage_events_dropped += usage_events_dropped;
    }

    /// Counts one answer of `status`.
    pub fn answered(&mut self, status: u16) {
        match status / 100 {
            2 => self.requests_2xx += 1,
            3 => self.requests_3xx += 1,
            4 => self.requests_4xx += 1,
            5 => self.requests_5xx += 1,
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_batch_without_counters_still_parses_and_unknown_counters_are_ignored() {
        let old: UsageBatch = serde_json::from_str(r#"{"events": []}"#).unwrap();
        assert_eq!(old.counters, None);
        let newer: UsageBatch =
            serde_json::from_str(r#"{"events": [], "counters": {"cache_hits": 3, "from_the_future": 1}}"#).unwrap();
        assert_eq!(newer.counters.map(|counters| counters.cache_hits), Some(3));
        let mut counters = EdgeCounters::default();
        assert!(counters.is_zero());
        counters.answered(503);
        assert_eq!(counters.named()[3], ("requests_5xx", 1));
        counters.add(&EdgeCounters { requests_5xx: 2, usage_events_dropped: 1, ..EdgeCounters::default() });
        assert_eq!((counters.requests_5xx, counters.usage_events_dropped), (3, 1));
        assert!(serde_json::to_string(&UsageBatch { events: vec![], counters: None }).unwrap() == r#"{"events":[]}"#);
    }
}
