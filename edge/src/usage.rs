//! Usage events of keyed requests served at the edge, in the shape `POST /internal/v1/usage` takes
//! (`origin/src/routes/internal.rs`, `EdgeUsageEvent`). Forwarded requests are logged by the origin.

use jiff::Timestamp;
use noesis_core::keys::{Grant, KeyId};
use serde::Serialize;
use uuid::Uuid;

/// One served request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UsageEvent {
    pub at: Timestamp,
    pub key_id: KeyId,
    pub user_id: Uuid,
    /// The route pattern, e.g. `/api/v1/engines/{id}/calculate`.
    pub route: &'static str,
    pub engine_id: Option<String>,
    pub workflow_id: Option<String>,
    pub status: u16,
    pub latency_us: u64,
    pub cache_hit: bool,
    pub request_id: String,
}

impl UsageEvent {
    /// The event of a request by `grant`'s key.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        at: Timestamp,
        grant: &Grant,
        route: &'static str,
        engine_id: Option<&str>,
        status: u16,
        latency_us: u64,
        cache_hit: bool,
        request_id: &str,
    ) -> UsageEvent {
        UsageEvent {
            at,
            key_id: grant.key_id,
            user_id: grant.user_id,
            route,
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UsageBatch {
    pub events: Vec<UsageEvent>,
}

impl UsageBatch {
    pub fn to_json(&self) -> String {
        // Plain values only: encoding cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let event =
            UsageEvent::new(at, &grant, "/api/v1/engines/{id}/calculate", Some("numerology"), 200, 1234, true, "r-1");
        let batch = UsageBatch { events: vec![event] };
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&batch.to_json()).unwrap(),
            serde_json::json!({"events": [{
                "at": "2026-11-25T07:30:00Z", "key_id": "67e55044-10b1-426f-9247-bb680e5fe0c8",
                "user_id": "0b6c1f0e-8d1f-4c38-9d49-1f2a3b4c5d6e", "route": "/api/v1/engines/{id}/calculate",
                "engine_id": "numerology", "workflow_id": null, "status": 200, "latency_us": 1234,
                "cache_hit": true, "request_id": "r-1"
            }]})
        );
    }
}
