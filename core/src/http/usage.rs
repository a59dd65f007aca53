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
}
