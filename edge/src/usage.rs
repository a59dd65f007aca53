//! What an isolate sends after its responses, gathered in one [`Outbox`]: usage events of keyed
//! requests served at the edge (for `POST /internal/v1/usage`, `origin/src/routes/internal.rs`),
//! PostHog product events (for `{POSTHOG_HOST}/batch/`), and the isolate's own
//! [`EdgeCounters`], which ride along with the usage batches to the origin's `/metrics`.
//! Forwarded requests are logged and reported by the origin.

use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
pub use noesis_core::http::usage::{EdgeCounters, UsageBatch, UsageEvent};
use noesis_core::observability::product::{Batch, BatchEvent};

/// How long the request that opens a flush waits (in its `waitUntil`) for others to join it.
pub const FLUSH_AFTER: Duration = Duration::from_millis(250);

/// The most events one `POST /internal/v1/usage` carries (the origin's limit is 1,000).
pub const MAX_BATCH: usize = 500;

/// The most usage events an isolate holds; past it the oldest are dropped (and counted).
const MAX_USAGE: usize = 10_000;

/// The most product events an isolate holds; past it the oldest are dropped (and counted).
pub const MAX_PRODUCT: usize = 1_000;

/// A flush scheduled longer ago than this is taken as lost (its isolate's `waitUntil` was cut
/// short), so the next request schedules another.
const LOST_FLUSH: SignedDuration = SignedDuration::from_secs(5);

/// Everything one isolate has to send, and when it last scheduled a flush.
///
/// After each response the glue asks [`schedule`](Outbox::schedule) whether to flush: the first
/// request with something to send after a flush becomes the *leader*, waits [`FLUSH_AFTER`]
/// inside its `waitUntil`, then [`take`](Outbox::take)s everything that gathered meanwhile.
/// Under load a flush carries every request of a quarter second; with one request at a time it
/// carries one, a quarter second late. Nothing waits for a later request to carry it.
#[derive(Debug, Default)]
pub struct Outbox {
    usage: Vec<UsageEvent>,
    product: Vec<BatchEvent>,
    /// The isolate's counters since its last flush.
    pub counters: EdgeCounters,
    flush_scheduled_at: Option<Timestamp>,
}

/// What a flush sends.
#[derive(Debug, Default)]
pub struct Taken {
    pub usage: Vec<UsageEvent>,
    pub product: Vec<BatchEvent>,
    pub counters: EdgeCounters,
}

impl Outbox {
    /// Adds a usage event; the oldest goes (counted) when the outbox is full.
    pub fn push_usage(&mut self, event: UsageEvent) {
        if self.usage.len() >= MAX_USAGE {
            self.usage.remove(0);
            self.counters.usage_events_dropped += 1;
        }
        self.usage.push(event);
    }

    /// Adds a product event; the oldest goes (counted) when the outbox is full.
    pub fn push_product(&mut self, event: BatchEvent) {
        if self.product.len() >= MAX_PRODUCT {
            self.product.remove(0);
            self.counters.product_events_dropped += 1;
        }
        self.product.push(event);
    }

    /// `true` when the caller is to lead a flush: there is something to send and no flush is
    /// under way.
    pub fn schedule(&mut self, now: Timestamp) -> bool {
        let something = !self.usage.is_empty() || !self.product.is_empty() || !self.counters.is_zero();
        match self.flush_scheduled_at {
            Some(at) if now.duration_since(at) < LOST_FLUSH => false,
            _ if !something => false,
            _ => {
                self.flush_scheduled_at = Some(now);
                true
            }
        }
    }

    /// Everything gathered; the next request with something to send leads the next flush.
    pub fn take(&mut self) -> Taken {
        self.flush_scheduled_at = None;
        Taken {
            usage: std::mem::take(&mut self.usage),
            product: std::mem::take(&mut self.product),
            counters: std::mem::take(&mut self.counters),
        }
    }
}

/// The usage batches of a flush, as `(JSON body, events in it)`, at most [`MAX_BATCH`] events
/// each; the first carries `counters`, and counters with no events make a batch of their own.
pub fn usage_batches(events: Vec<UsageEvent>, counters: EdgeCounters) -> Vec<(String, usize)> {
    let mut counters = Some(counters).filter(|counters| !counters.is_zero());
    let mut batches: Vec<(String, usize)> =
        events.chunks(MAX_BATCH).map(|chunk| (batch_json(chunk.to_vec(), counters.take()), chunk.len())).collect();
    if let Some(counters) = counters {
        batches.push((batch_json(Vec::new(), Some(counters)), 0));
    }
    batches
}

/// The JSON body of one `POST {POSTHOG_HOST}/batch/`, in the core's batch format (the origin's).
pub fn product_batch_json(api_key: &str, events: &[BatchEvent]) -> String {
    serde_json::to_string(&Batch { api_key, batch: events }).unwrap_or_default()
}

/// The JSON body of one batch (plain values only: encoding cannot fail).
pub fn batch_json(events: Vec<UsageEvent>, counters: Option<EdgeCounters>) -> String {
    serde_json::to_string(&UsageBatch { events, counters }).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use noesis_core::keys::Grant;

    fn event(n: u32) -> UsageEvent {
        UsageEvent {
            at: "2026-11-25T07:30:00Z".parse().unwrap(),
            key_id: None,
            user_id: None,
            route: "/api/v1/engines".into(),
            engine_id: None,
            workflow_id: None,
            status: 200,
            latency_us: n.into(),
            cache_hit: false,
            request_id: format!("r-{n}"),
        }
    }

    fn now() -> Timestamp {
        "2026-11-25T07:30:00Z".parse().unwrap()
    }

    #[test]
    fn the_first_request_after_a_flush_leads_and_the_rest_join_it() {
        let mut outbox = Outbox::default();
        assert!(!outbox.schedule(now()), "nothing to send");
        outbox.push_usage(event(1));
        assert!(outbox.schedule(now()));
        outbox.push_usage(event(2));
        assert!(!outbox.schedule(now() + SignedDuration::from_millis(100)));
        outbox.counters.answered(200);
        let taken = outbox.take();
        assert_eq!((taken.usage.len(), taken.counters.requests_2xx), (2, 1));
        assert!(!outbox.schedule(now()), "empty after a flush");
        outbox.counters.answered(503);
        assert!(outbox.schedule(now()), "counters alone are worth a flush");
    }

    #[test]
    fn a_lost_flush_is_rescheduled_and_batches_are_bounded() {
        let mut outbox = Outbox::default();
        outbox.push_usage(event(0));
        assert!(outbox.schedule(now()));
        assert!(outbox.schedule(now() + SignedDuration::from_secs(6)), "the first leader never flushed");
        for n in 1..1200 {
            outbox.push_usage(event(n));
        }
        outbox.counters.cache_hits = 4;
        let taken = outbox.take();
        let batches = usage_batches(taken.usage, taken.counters);
        let parsed: Vec<UsageBatch> = batches.iter().map(|(json, _)| serde_json::from_str(json).unwrap()).collect();
        let sizes: Vec<usize> = parsed.iter().map(|batch| batch.events.len()).collect();
        assert_eq!(sizes, [500, 500, 200]);
        assert_eq!(batches.iter().map(|(_, n)| *n).collect::<Vec<_>>(), sizes);
        assert_eq!(parsed[0].counters.as_ref().map(|c| c.cache_hits), Some(4));
        assert!(parsed[1].counters.is_none() && parsed[2].counters.is_none());
        let only_counters = usage_batches(Vec::new(), EdgeCounters { requests_4xx: 1, ..EdgeCounters::default() });
        assert_eq!(only_counters.len(), 1);
        assert!(usage_batches(Vec::new(), EdgeCounters::default()).is_empty());
    }

    #[test]
    fn full_buffers_drop_the_oldest_and_count_it() {
        let mut outbox = Outbox::default();
        for n in 0..(MAX_USAGE as u32 + 3) {
            outbox.push_usage(event(n));
        }
        assert_eq!(outbox.counters.usage_events_dropped, 3);
        assert_eq!(outbox.take().usage[0].request_id, "r-3");
    }

    #[test]
    fn an_event_has_exactly_the_fields_the_origin_accepts() {
        let grant: Grant = serde_json::from_value(serde_json::json!({
            "key_hash": "c94d03b3e34b47fe9289be1b5d6d7f5e03b23dd4f473686e123252d503b9c690",
            "key_id": "67e55044-10b1-426f-9247-bb680e5fe0c8", "user_id": "0b6c1f0e-8d1f-4c38-9d49-1f2a3b4c5d6e",
            "tier": "free", "consciousness_level": 2, "scopes": ["engines"], "rate_limit_per_minute": 60,
            "expires_at": null, "revoked_at": null
        }))
        .unwrap();
        let at = "2026-11-25T07:30:00Z".parse().unwrap();
        let event = UsageEvent::of_grant(
            at,
            &grant,
            "/api/v1/engines/{id}/calculate",
            Some("numerology"),
            200,
            1234,
            true,
            "r-1",
        );
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&batch_json(vec![event.clone()], None)).unwrap(),
            serde_json::json!({"events": [{
                "at": "2026-11-25T07:30:00Z", "key_id": "67e55044-10b1-426f-9247-bb680e5fe0c8",
                "user_id": "0b6c1f0e-8d1f-4c38-9d49-1f2a3b4c5d6e", "route": "/api/v1/engines/{id}/calculate",
                "engine_id": "numerology", "workflow_id": null, "status": 200, "latency_us": 1234,
                "cache_hit": true, "request_id": "r-1"
            }]})
        );
    }
}
