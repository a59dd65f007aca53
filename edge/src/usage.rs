//! Usage events of keyed requests served at the edge, in the shape `POST /internal/v1/usage` takes
//! (`origin/src/routes/internal.rs`, `EdgeUsageEvent`). Forwarded requests are logged by the origin.

pub use noesis_core::http::usage::{UsageBatch, UsageEvent};

/// The JSON body of one batch (plain values only: encoding cannot fail).
pub fn batch_json(events: Vec<UsageEvent>) -> String {
    serde_json::to_string(&UsageBatch { events }).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use noesis_core::keys::Grant;

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
            serde_json::from_str::<serde_json::Value>(&batch_json(vec![event])).unwrap(),
            serde_json::json!({"events": [{
                "at": "2026-11-25T07:30:00Z", "key_id": "67e55044-10b1-426f-9247-bb680e5fe0c8",
                "user_id": "0b6c1f0e-8d1f-4c38-9d49-1f2a3b4c5d6e", "route": "/api/v1/engines/{id}/calculate",
                "engine_id": "numerology", "workflow_id": null, "status": 200, "latency_us": 1234,
                "cache_hit": true, "request_id": "r-1"
            }]})
        );
    }
}
