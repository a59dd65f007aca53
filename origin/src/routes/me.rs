//! `GET /api/v1/me`: the calling key, its limits and its usage this month.

use std::sync::Arc;

use axum::extract::State;
use axum::{Extension, Json};
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde::Serialize;
use uuid::Uuid;

use crate::app::App;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::key_admin::KeyView;

/// The body of `GET /api/v1/me`.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Me {
    pub key: KeyView,
    /// What the key may do.
    pub limits: Limits,
    /// Requests made with this key since the start of the month (UTC).
    pub usage: MonthUsage,
}

/// A key's limits.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Limits {
    pub rate_limit_per_minute: u32,
    pub consciousness_level: u8,
    pub scopes: Vec<String>,
}

/// Requests this month.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MonthUsage {
    #[schema(value_type = String, format = DateTime)]
    pub period_start: Timestamp,
    pub requests: u64,
}

/// `GET /api/v1/me`.
#[utoipa::path(get, path = "/api/v1/me", tag = "account", security(("api_key" = [])),
    responses((status = 200, body = Me, description = "The calling key"), (status = 401, description = "UNAUTHORIZED, KEY_REVOKED, KEY_EXPIRED")))]
pub async fn me(State(app): State<Arc<App>>, Extension(caller): Extension<Caller>) -> Result<Json<Me>, ApiError> {
    let key_id: Uuid = caller.key_id();
    let stored = app.db.key_by_id(key_id).await?.ok_or_else(|| ApiError::internal(&"an admitted key is not stored"))?;
    let period_start = month_start(Timestamp::now());
    let requests = app.db.usage_for_key_since(key_id, period_start).await?;
    let view = KeyView::of(&stored, None);
    let limits = Limits {
        rate_limit_per_minute: view.rate_limit_per_minute,
        consciousness_level: view.consciousness_level,
        scopes: view.scopes.clone(),
    };
    Ok(Json(Me { key: view, limits, usage: MonthUsage { period_start, requests } }))
}

/// The first instant of `now`'s month, in UTC.
fn month_start(now: Timestamp) -> Timestamp {
    let today = now.to_zoned_datetime(TimeZone::UTC).date();
    Date::new(today.year(), today.month(), 1)
        .and_then(|first| first.to_zoned_datetime(TimeZone::UTC))
        .map(|zoned| zoned.timestamp())
        .unwrap_or(now)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_month_starts_on_the_first_at_midnight_utc() {
        let start = super::month_start("2026-11-25T07:30:00Z".parse().unwrap());
        assert_eq!(start.to_string(), "2026-11-01T00:00:00Z");
    }
}
