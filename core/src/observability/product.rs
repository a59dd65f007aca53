//! PostHog product events (DESIGN.md §5): their names and properties, the batch format both
//! halves POST to `{POSTHOG_HOST}/batch/`, and the hashed client address of an anonymous caller.
//!
//! | Event | `distinct_id` | Properties |
//! |---|---|---|
//! | `engine_calculation` | key owner (user id) | `engine_id`, `tier`, `level`, `status`, `duration_ms`, `cache_hit` |
//! | `workflow_execution` | key owner | `workflow_id`, `tier`, `level`, `status`, `duration_ms`, `cache_hit` |
//! | `auth_failure` | hashed client address | `code`, `client_hash`, `$process_person_profile: false` |
//! | `rate_limit_hit` | key owner | `tier`, `level` |
//!
//! and on every event `$lib` (`noesis-origin` or `noesis-edge`) and `runtime` (`origin`, `edge`).
//! No event carries a key, a key hash, a client address or anything of the request's body.

use jiff::Timestamp;
use serde::Serialize;
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// One product event before it is stamped for sending.
#[derive(Debug, Clone, PartialEq)]
pub struct ProductEvent {
    pub event: &'static str,
    pub distinct_id: String,
    pub properties: Map<String, Value>,
}

/// How the work of a calculation or workflow ended, as its event reports it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Outcome<'a> {
    pub tier: &'a str,
    pub level: u8,
    pub status: u16,
    pub duration_ms: f64,
    pub cache_hit: bool,
}

impl ProductEvent {
    fn new(event: &'static str, distinct_id: String, properties: Value) -> ProductEvent {
        let properties = match properties {
            Value::Object(map) => map,
            _ => Map::new(),
        };
        ProductEvent { event, distinct_id, properties }
    }

    fn with_outcome(event: &'static str, distinct_id: String, subject: (&str, &str), outcome: Outcome) -> ProductEvent {
        let Outcome { tier, level, status, duration_ms, cache_hit } = outcome;
        let mut event = ProductEvent::new(
            event,
            distinct_id,
            json!({"tier": tier, "level": level, "status": status, "duration_ms": duration_ms, "cache_hit": cache_hit}),
        );
        event.properties.insert(subject.0.to_owned(), Value::from(subject.1));
        event
    }

    /// An engine calculation, answered or refused, by the key of user `distinct_id`.
    pub fn engine_calculation(distinct_id: impl ToString, engine_id: &str, outcome: Outcome) -> ProductEvent {
        ProductEvent::with_outcome("engine_calculation", distinct_id.to_string(), ("engine_id", engine_id), outcome)
    }

    /// A workflow run, answered or refused.
    pub fn workflow_execution(distinct_id: impl ToString, workflow_id: &str, outcome: Outcome) -> ProductEvent {
        ProductEvent::with_outcome("workflow_execution", distinct_id.to_string(), ("workflow_id", workflow_id), outcome)
    }

    /// A request refused for its key (`code`, e.g. `INVALID_API_KEY`), named by the hashed
    /// client address ([`hash_client`]), never by the key.
    pub fn auth_failure(hashed_client: &str, code: &str) -> ProductEvent {
        ProductEvent::new(
            "auth_failure",
            hashed_client.to_owned(),
            // No person profile for an anonymous caller.
            json!({"code": code, "client_hash": hashed_client, "$process_person_profile": false}),
        )
    }

    /// A request refused by the per-minute rate limit.
    pub fn rate_limit_hit(distinct_id: impl ToString, tier: &str, level: u8) -> ProductEvent {
        ProductEvent::new("rate_limit_hit", distinct_id.to_string(), json!({"tier": tier, "level": level}))
    }

    /// The event as PostHog's batch API takes it, sent by `lib` (`noesis-origin`, `noesis-edge`)
    /// from `runtime` (`origin`, `edge`) at `timestamp`, with `uuid` (PostHog keeps one copy of
    /// events with the same uuid, so a retried batch that did arrive is not counted twice).
    pub fn stamped(self, lib: &'static str, runtime: &'static str, timestamp: Timestamp, uuid: Uuid) -> BatchEvent {
        let mut properties = self.properties;
        properties.insert("$lib".into(), Value::from(lib));
        properties.insert("runtime".into(), Value::from(runtime));
        BatchEvent { event: self.event, distinct_id: self.distinct_id, properties, timestamp, uuid }
    }
}

/// One event of a batch, as PostHog's `POST /batch/` takes it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BatchEvent {
    pub event: &'static str,
    pub distinct_id: String,
    pub properties: Map<String, Value>,
    pub timestamp: Timestamp,
    pub uuid: Uuid,
}

/// The body of `POST {POSTHOG_HOST}/batch/`.
#[derive(Debug, Serialize)]
pub struct Batch<'a> {
    pub api_key: &'a str,
    pub batch: &'a [BatchEvent],
}

/// A client address as events carry it: SHA-256 of `salt` then the address, first 8 bytes in
/// hex. With a salt that is random and kept in memory (per process at the origin, per isolate at
/// the edge), the same client has the same hash while the salt lives, and the address cannot be
/// recovered by hashing every address there is.
///
/// ```
/// use noesis_core::observability::product::hash_client;
/// let hash = hash_client(b"salt", "203.0.113.7");
/// assert_eq!(hash.len(), 16);
/// assert_ne!(hash, hash_client(b"other salt", "203.0.113.7"));
/// ```
pub fn hash_client(salt: &[u8], address: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(salt);
    hasher.update(address.as_bytes());
    let digest = hasher.finalize();
    digest.iter().take(8).map(|byte| format!("{byte:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_carry_their_properties_lib_and_runtime() {
        let outcome = Outcome { tier: "free", level: 2, status: 200, duration_ms: 1.5, cache_hit: true };
        let event = ProductEvent::engine_calculation("u1", "numerology", outcome).stamped(
            "noesis-edge",
            "edge",
            "2026-11-25T07:30:00Z".parse().unwrap(),
            Uuid::from_u128(7),
        );
        let json = serde_json::to_value(&event).unwrap();
        assert_eq!(
            json,
            json!({"event": "engine_calculation", "distinct_id": "u1", "timestamp": "2026-11-25T07:30:00Z",
                "uuid": "00000000-0000-0000-0000-000000000007",
                "properties": {"engine_id": "numerology", "tier": "free", "level": 2, "status": 200,
                    "duration_ms": 1.5, "cache_hit": true, "$lib": "noesis-edge", "runtime": "edge"}})
        );
        let failure = ProductEvent::auth_failure(&hash_client(b"s", "203.0.113.7"), "INVALID_API_KEY");
        assert_eq!(failure.properties["$process_person_profile"], false);
        assert_eq!(failure.distinct_id, failure.properties["client_hash"]);
    }
}
