//! `GET /api/v1/admin/usage`: requests per key, user or engine over a window, with p50 and p95
//! latency, error rate and cache hit rate.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::Uri;
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{invalid, query};
use crate::app::App;
use crate::error::ApiError;
use crate::storage::{UsageGroup, UsageGroupBy, UsageQuery};

/// The longest window a report covers: 93 days.
const MAX_WINDOW: SignedDuration = SignedDuration::from_hours(93 * 24);

/// `?from=&to=&group_by=&key_id=&user_id=&limit=`.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct UsageParams {
    /// Start of the window (RFC 3339), included; default 24 h before `to`.
    #[param(value_type = Option<String>, format = DateTime)]
    pub from: Option<Timestamp>,
    /// End of the window, excluded; default now.
    #[param(value_type = Option<String>, format = DateTime)]
    pub to: Option<Timestamp>,
    /// `key`, `user`, `engine` (default) or `total`.
    pub group_by: Option<String>,
    pub key_id: Option<Uuid>,
    pub user_id: Option<Uuid>,
    /// At most this many groups, 1 to 1000 (default 100).
    pub limit: Option<u32>,
}

/// The usage report.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct UsageReport {
    #[schema(value_type = String, format = DateTime)]
    pub from: Timestamp,
    #[schema(value_type = String, format = DateTime)]
    pub to: Timestamp,
    pub group_by: String,
    /// The whole window.
    pub total: UsageStats,
    /// The largest groups, most requests first.
    pub groups: Vec<UsageStats>,
}

/// Figures for one group (or the total).
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct UsageStats {
    /// The key id, user id or engine id; `null` for the total and for requests that had none.
    pub group: Option<String>,
    pub requests: u64,
    /// 4xx answers.
    pub client_errors: u64,
    /// 5xx answers.
    pub server_errors: u64,
    /// Server errors over requests (0 when there were none).
    pub error_rate: f64,
    pub cache_hits: u64,
    /// Cache hits over requests.
    pub cache_hit_rate: f64,
    /// Median latency in milliseconds (nearest rank).
    pub p50_latency_ms: f64,
    /// 95th percentile latency in milliseconds (nearest rank).
    pub p95_latency_ms: f64,
}

impl From<UsageGroup> for UsageStats {
    fn from(group: UsageGroup) -> UsageStats {
        let rate = |part: u64| if group.requests == 0 { 0.0 } else { part as f64 / group.requests as f64 };
        UsageStats {
            error_rate: rate(group.server_errors),
            cache_hit_rate: rate(group.cache_hits),
            group: group.group,
            requests: group.requests,
            client_errors: group.client_errors,
            server_errors: group.server_errors,
            cache_hits: group.cache_hits,
            p50_latency_ms: group.p50_latency_ms,
            p95_latency_ms: group.p95_latency_ms,
        }
    }
}

/// `GET /api/v1/admin/usage`.
#[utoipa::path(get, path = "/api/v1/admin/usage", tag = "admin", security(("api_key" = [])),
    params(UsageParams), responses((status = 200, body = UsageReport), (status = 422, description = "VALIDATION_ERROR")))]
pub async fn report(State(app): State<Arc<App>>, uri: Uri) -> Result<Json<UsageReport>, ApiError> {
    let params: UsageParams = query(&uri)?;
    let to = params.to.unwrap_or_else(Timestamp::now);
    let from = params.from.unwrap_or_else(|| to - SignedDuration::from_hours(24));
    if from >= to {
        return Err(invalid("from", "must be before `to`"));
    }
    if to.duration_since(from) > MAX_WINDOW {
        return Err(invalid("from", "the window may span at most 93 days"));
    }
    let (group_by, name) = match params.group_by.as_deref().unwrap_or("engine") {
        "key" => (UsageGroupBy::Key, "key"),
        "user" => (UsageGroupBy::User, "user"),
        "engine" => (UsageGroupBy::Engine, "engine"),
        "total" => (UsageGroupBy::Total, "total"),
        _ => return Err(invalid("group_by", "must be key, user, engine or total")),
    };
    let limit = match params.limit {
        None => 100,
        Some(limit) if (1..=1000).contains(&limit) => limit,
        Some(_) => return Err(invalid("limit", "must be from 1 to 1000")),
    };
    let base = UsageQuery {
        from,
        to,
        group_by: UsageGroupBy::Total,
        key_id: params.key_id,
        user_id: params.user_id,
        limit: 1,
    };
    let total = app.db.usage_summary(&base).await?.into_iter().next().map(UsageStats::from).unwrap_or_default();
    let groups = app.db.usage_summary(&UsageQuery { group_by, limit, ..base }).await?;
    Ok(Json(UsageReport {
        from,
        to,
        group_by: name.to_owned(),
        total,
        groups: groups.into_iter().map(UsageStats::from).collect(),
    }))
}
