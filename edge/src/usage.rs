//! Usage events of keyed requests served at the edge, in the shape `POST /internal/v1/usage` takes
//! (`origin/src/routes/internal.rs`, `EdgeUsageEvent`). Forwarded requests are logged by the origin.

use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
pub use noesis_core::http::usage::{UsageBatch, UsageEvent};

/// How long the request that opens a batch waits (in its `waitUntil`) for others to join it.
pub const FLUSH_AFTER: Duration = Duration::from_millis(250);

/// The most events one `POST /internal/v1/usage` carries (the origin's limit is 1,000).
pub const MAX_BATCH: usize = 500;

/// The most events an isolate holds; past it the oldest are dropped (and logged).
const MAX_BUFFERED: usize = 10_000;

/// A flush scheduled longer ago than this is taken as lost (its isolate's `waitUntil` was cut
/// short), so the next event schedules another.
const LOST_FLUSH: SignedDuration = SignedDuration::from_secs(5);

/// The usage events of one isolate waiting to be sent, in batches.
///
/// The first event after a flush makes its request the *leader*: the glue waits [`FLUSH_AFTER`]
/// inside that request's `waitUntil`, then [`take`](UsageBuffer::take)s everything that gathered
/// meanwhile and sends it in batches of at most [`MAX_BATCH`]. Under load a batch holds every
/// request of a quarter second; with one request at a time it holds one, sent a quarter second
/// late. No event waits for a later request to carry it.
#[derive(Debug, Default)]
pub struct UsageBuffer {
    events: Vec<UsageEvent>,
    flush_scheduled_at: Option<Timestamp>,
    /// Events dropped because the buffer was full, since the isolate started.
    pub dropped: u64,
}

impl UsageBuffer {
    /// Adds an event; `true` when the caller is to schedule the flush.
    pub fn push(&mut self, event: UsageEvent, now: Timestamp) -> bool {
        if self.events.len() >= MAX_BUFFERED {
            self.events.remove(0);
            self.dropped += 1;
        }
        self.events.push(event);
        match self.flush_scheduled_at {
            Some(at) if now.duration_since(at) < LOST_FLUSH => false,
            _ => {
                self.flush_scheduled_at = Some(now);
                true
            }
        }
    }

    /// Everything buffered, as the JSON bodies of batches of at most [`MAX_BATCH`] events; the
    /// next event schedules the next flush.
    pub fn take(&mut self) -> Vec<String> {
        self.flush_scheduled_at = None;
        let events = std::mem::take(&mut self.events);
        events.chunks(MAX_BATCH).map(|chunk| batch_json(chunk.to_vec())).collect()
    }
}

/// The JSON body of one batch (plain values only: encoding cannot fail).
pub fn batch_json(events: Vec<UsageEvent>) -> String {
    serde_json::to_string(&UsageBatch { events }).unwrap_or_default()
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

    #[test]
    fn the_first_event_after_a_flush_leads_and_the_rest_join_its_batch() {
        let now: Timestamp = "2026-11-25T07:30:00Z".parse().unwrap();
        let mut buffer = UsageBuffer::default();
        assert!(buffer.push(event(1), now));
        assert!(!buffer.push(event(2), now));
        assert!(!buffer.push(event(3), now + SignedDuration::from_millis(100)));
        let batches = buffer.take();
        assert_eq!(batches.len(), 1);
        let batch: UsageBatch = serde_json::from_str(&batches[0]).unwrap();
        assert_eq!(batch.events.len(), 3);
        assert!(buffer.push(event(4), now), "after a flush the next event leads again");
    }

    #[test]
    fn a_lost_flush_is_rescheduled_and_batches_are_bounded() {
        let now: Timestamp = "2026-11-25T07:30:00Z".parse().unwrap();
        let mut buffer = UsageBuffer::default();
        assert!(buffer.push(event(0), now));
        assert!(buffer.push(event(1), now + SignedDuration::from_secs(6)), "the first leader never flushed");
        for n in 2..1200 {
            buffer.push(event(n), now + SignedDuration::from_secs(6));
        }
        let sizes: Vec<usize> =
            buffer.take().iter().map(|json| serde_json::from_str::<UsageBatch>(json).unwrap().events.len()).collect();
        assert_eq!(sizes, [500, 500, 200]);
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
            serde_json::from_str::<serde_json::Value>(&batch_json(vec![event.clone()])).unwrap(),
            serde_json::json!({"events": [{
                "at": "2026-11-25T07:30:00Z", "key_id": "67e55044-10b1-426f-9247-bb680e5fe0c8",
                "user_id": "0b6c1f0e-8d1f-4c38-9d49-1f2a3b4c5d6e", "route": "/api/v1/engines/{id}/calculate",
                "engine_id": "numerology", "workflow_id": null, "status": 200, "latency_us": 1234,
                "cache_hit": true, "request_id": "r-1"
            }]})
        );
    }
}
