//! The routes only the edge calls, behind `NOESIS_EDGE_SECRET` (DESIGN.md §4):
//!
//! - `GET /internal/v1/allowlist`: every active key's grant, with a strong ETag; a matching
//!   `If-None-Match` gets 304 and no body, so an edge polling every 30 s costs one small query.
//! - `GET /internal/v1/keys/{key_hash}`: one key's grant, revoked and expired ones included, for
//!   the edge's bounded on-demand lookup of a key its allow-list does not hold (404 when no key has
//!   the hash).
//! - `POST /internal/v1/usage`: a batch of usage events the edge served, written through the
//!   same buffered writer as the origin's own, and the edge's own counters since its previous
//!   batch, added to the `noesis_edge_*_total` metrics of `/metrics`.
//!
//! With no `NOESIS_EDGE_SECRET` configured these routes do not exist (404): there is no
//! default secret to guess.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, Request, State};
use axum::http::header::{CACHE_CONTROL, ETAG, IF_NONE_MATCH};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use noesis_core::engines::{ApiError as CoreError, FieldError, ProblemCode};
use noesis_core::http::usage::UsageBatch;
use noesis_core::keys::{Allowlist, Grant, KeyHash};
use serde::Serialize;

use crate::app::App;
use crate::bearer;
use crate::body::JsonBody;
use crate::error::ApiError;
use crate::key_admin::grant_of;
use crate::storage::UsageRecord;

/// The most events one `POST /internal/v1/usage` may carry.
pub const MAX_USAGE_BATCH: usize = 1000;

/// Lets only the edge through: 404 when no secret is configured, 401 for a wrong one.
pub async fn edge_only(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    let Some(secret) = &app.edge_secret else {
        return ApiError(CoreError::no_route(request.method().as_str(), request.uri().path())).into_response();
    };
    let previous = app.edge_secret_previous.as_ref();
    if !bearer::presents(request.headers(), secret)
        && !previous.is_some_and(|previous| bearer::presents(request.headers(), previous))
    {
        app.metrics.auth_failures.get_or_create(&crate::metrics::ReasonLabels { reason: "EDGE_SECRET".into() }).inc();
        return ApiError::new(
            ProblemCode::Unauthorized,
            "This route takes the edge's secret as `Authorization: Bearer …`.",
        )
        .into_response();
    }
    next.run(request).await
}

/// `GET /internal/v1/allowlist`.
pub async fn allowlist(State(app): State<Arc<App>>, request: Request) -> Result<Response, ApiError> {
    let now = Timestamp::now();
    let keys = app.db.active_keys(now).await?;
    let grants = keys.iter().map(grant_of).collect::<Result<Vec<Grant>, _>>()?;
    let allowlist = Allowlist::new(now, grants);
    let etag = allowlist.etag();
    let etag_value = HeaderValue::from_str(&etag).map_err(|err| ApiError::internal(&err))?;
    let unchanged = request
        .headers()
        .get(IF_NONE_MATCH)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|sent| sent.split(',').any(|tag| tag.trim() == etag || tag.trim() == "*"));
    let mut response =
        if unchanged { StatusCode::NOT_MODIFIED.into_response() } else { Json(&allowlist).into_response() };
    response.headers_mut().insert(ETAG, etag_value);
    response.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// `GET /internal/v1/keys/{key_hash}`: the grant of one key, whatever its state.
pub async fn key(State(app): State<Arc<App>>, Path(key_hash): Path<String>) -> Result<Json<Grant>, ApiError> {
    let hash = KeyHash::from_hex(&key_hash)
        .map_err(|err| ApiError(CoreError::validation(vec![FieldError::new("key_hash", err.to_string())])))?;
    // Revoked and expired keys are answered too: the edge then refuses them with KEY_REVOKED or
    // KEY_EXPIRED, as the origin does, rather than as unknown.
    let grant = app.keys.lookup(&hash).await?;
    grant.map(Json).ok_or_else(|| ApiError::new(ProblemCode::NotFound, "No key has this hash."))
}

/// The answer to `POST /internal/v1/usage`.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Accepted {
    /// How many events were taken for writing.
    pub accepted: usize,
}

/// `POST /internal/v1/usage`: 202 once the events are in the writer's buffer.
pub async fn usage(State(app): State<Arc<App>>, body: JsonBody) -> Result<(StatusCode, Json<Accepted>), ApiError> {
    let batch: UsageBatch = body.parse()?;
    if batch.events.len() > MAX_USAGE_BATCH {
        return Err(ApiError(CoreError::validation(vec![FieldError::new(
            "events",
            format!("at most {MAX_USAGE_BATCH} events per batch"),
        )])));
    }
    let invalid: Vec<FieldError> = batch
        .events
        .iter()
        .enumerate()
        .filter(|(_, event)| {
            !(100..=599).contains(&event.status) || event.route.len() > 200 || event.request_id.len() > 128
        })
        .map(|(i, _)| FieldError::new(format!("events[{i}]"), "status must be 100-599; route and request_id short"))
        .collect();
    if !invalid.is_empty() {
        return Err(ApiError(CoreError::validation(invalid)));
    }
    if let Some(counters) = &batch.counters {
        app.metrics.add_edge_counters(counters);
    }
    let accepted = batch.events.len();
    for event in batch.events {
        app.usage.record(UsageRecord {
            at: event.at,
            key_id: event.key_id,
            user_id: event.user_id,
            route: event.route,
            engine_id: event.engine_id,
            workflow_id: event.workflow_id,
            status: event.status,
            latency_us: event.latency_us,
            cache_hit: event.cache_hit,
            served_by: "edge".to_owned(),
            request_id: event.request_id,
        });
    }
    Ok((StatusCode::ACCEPTED, Json(Accepted { accepted })))
}
