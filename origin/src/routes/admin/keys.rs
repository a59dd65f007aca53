//! `/api/v1/admin/keys`: create, list, get, revoke and rotate keys (DESIGN.md §2 "Admin bodies").

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::{Extension, Json};
use jiff::{SignedDuration, Timestamp};
use noesis_core::engines::{Level, ProblemCode};
use noesis_core::keys::{Environment, KeyHash, Scopes, Tier};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{PageQuery, check_name, invalid, query};
use crate::app::App;
use crate::auth::Caller;
use crate::body::JsonBody;
use crate::error::ApiError;
use crate::key_admin::{self, IssueError, KeySpec, KeyUsage, KeyView, RotationOutcome};
use crate::storage::{KeyFilter, Revocation, StoredKey};

/// The body of `POST /api/v1/admin/keys`.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateKey {
    pub user_id: Uuid,
    pub name: String,
    /// `free`, `premium` or `enterprise`.
    #[schema(value_type = String)]
    pub tier: Tier,
    /// 0 to 5.
    #[schema(value_type = u8)]
    pub consciousness_level: Level,
    /// Default `["engines", "workflows"]`.
    #[schema(value_type = Option<Vec<String>>)]
    pub scopes: Option<Scopes>,
    /// Default by tier: 60, 600, 6000.
    pub rate_limit_per_minute: Option<u32>,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub expires_at: Option<Timestamp>,
    /// `live` (default) for `nk_live_` keys, `test` for `nk_test_`.
    pub environment: Option<String>,
}

/// The answer to a create: the secret appears here and nowhere else, ever.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CreatedKey {
    pub key_id: Uuid,
    /// The key itself. Store it now: only its hash is kept.
    pub api_key: String,
    pub key: KeyView,
}

/// `POST /api/v1/admin/keys`.
#[utoipa::path(post, path = "/api/v1/admin/keys", tag = "admin", security(("api_key" = [])),
    request_body = CreateKey,
    params(("Idempotency-Key" = Option<String>, Header, description = "Replays the first answer for 24 h")),
    responses((status = 201, body = CreatedKey), (status = 409, description = "CONFLICT: Idempotency-Key reused with another body"),
              (status = 422, description = "VALIDATION_ERROR")))]
pub async fn create(
    State(app): State<Arc<App>>,
    Extension(caller): Extension<Caller>,
    body: JsonBody,
) -> Result<(StatusCode, Json<CreatedKey>), ApiError> {
    let request: CreateKey = body.parse()?;
    let name = check_name("name", &request.name)?;
    let scopes = request.scopes.unwrap_or(Scopes::STANDARD);
    if scopes.is_empty() {
        return Err(invalid("scopes", "a key needs at least one scope: engines, workflows or admin"));
    }
    if let Some(limit) = request.rate_limit_per_minute
        && !(1..=1_000_000).contains(&limit)
    {
        return Err(invalid("rate_limit_per_minute", "must be from 1 to 1000000"));
    }
    if let Some(expires_at) = request.expires_at
        && expires_at <= Timestamp::now()
    {
        return Err(invalid("expires_at", "must be in the future"));
    }
    let environment = match request.environment.as_deref() {
        None | Some("live") => Environment::Live,
        Some("test") => Environment::Test,
        Some(_) => return Err(invalid("environment", "must be `live` or `test`")),
    };
    if app.db.user_by_id(request.user_id).await?.is_none() {
        return Err(invalid("user_id", "no user has this id; create one with POST /api/v1/admin/users"));
    }
    let spec = KeySpec {
        user_id: request.user_id,
        name,
        tier: request.tier,
        level: request.consciousness_level,
        scopes,
        rate_limit_per_minute: request.rate_limit_per_minute,
        expires_at: request.expires_at,
        environment,
    };
    let (key, stored) = key_admin::issue(&app.db, &spec, &caller.actor()).await.map_err(issue_error)?;
    let created =
        CreatedKey { key_id: stored.id, api_key: key.expose_secret().to_owned(), key: KeyView::of(&stored, None) };
    Ok((StatusCode::CREATED, Json(created)))
}

fn issue_error(err: IssueError) -> ApiError {
    match err {
        IssueError::Storage(err) => err.into(),
        IssueError::Random(reason) => ApiError::internal(&reason),
    }
}

/// `?user_id=&tier=&revoked=&cursor=&limit=` of the key listing.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct KeyListQuery {
    pub user_id: Option<Uuid>,
    /// `free`, `premium` or `enterprise`.
    pub tier: Option<String>,
    /// `true`: only revoked keys; `false`: only keys in force.
    pub revoked: Option<bool>,
    pub cursor: Option<String>,
    pub limit: Option<u32>,
}

/// A page of a listing.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Listing<T> {
    pub items: Vec<T>,
    /// Pass as `cursor` for the next page; `null` on the last.
    pub next_cursor: Option<String>,
}

/// `GET /api/v1/admin/keys`.
#[utoipa::path(get, path = "/api/v1/admin/keys", tag = "admin", security(("api_key" = [])),
    params(KeyListQuery), responses((status = 200, body = Listing<KeyView>)))]
pub async fn list(State(app): State<Arc<App>>, uri: Uri) -> Result<Json<Listing<KeyView>>, ApiError> {
    let params: KeyListQuery = query(&uri)?;
    let (cursor, limit) = PageQuery { cursor: params.cursor.clone(), limit: params.limit }.read()?;
    if let Some(tier) = &params.tier {
        tier.parse::<Tier>().map_err(|err| invalid("tier", err.to_string()))?;
    }
    let filter = KeyFilter { user_id: params.user_id, tier: params.tier, revoked: params.revoked };
    let page = app.db.list_keys(&filter, cursor, limit).await?;
    let items = with_usage(&app, &page.items).await?;
    Ok(Json(Listing { items, next_cursor: page.next_cursor.map(|cursor| cursor.to_string()) }))
}

/// The listing fields of `keys` with their request counts (all time and the last 30 days).
async fn with_usage(app: &App, keys: &[StoredKey]) -> Result<Vec<KeyView>, ApiError> {
    let ids: Vec<Uuid> = keys.iter().map(|key| key.id).collect();
    let since = Timestamp::now() - SignedDuration::from_hours(30 * 24);
    let counts = app.db.key_request_counts(&ids, since).await?;
    Ok(keys
        .iter()
        .map(|key| {
            let count = counts.get(&key.id).copied().unwrap_or_default();
            KeyView::of(key, Some(KeyUsage { requests_total: count.total, requests_30d: count.since }))
        })
        .collect())
}

/// `GET /api/v1/admin/keys/{key_id}`.
#[utoipa::path(get, path = "/api/v1/admin/keys/{key_id}", tag = "admin", security(("api_key" = [])),
    params(("key_id" = Uuid, Path)), responses((status = 200, body = KeyView), (status = 404, description = "NOT_FOUND")))]
pub async fn get(State(app): State<Arc<App>>, Path(key_id): Path<String>) -> Result<Json<KeyView>, ApiError> {
    let key = find(&app, &key_id).await?;
    let mut views = with_usage(&app, std::slice::from_ref(&key)).await?;
    Ok(Json(views.remove(0)))
}

/// The key named in the path, or 404.
async fn find(app: &App, key_id: &str) -> Result<StoredKey, ApiError> {
    let id = Uuid::try_parse(key_id).map_err(|_| no_such_key())?;
    app.db.key_by_id(id).await?.ok_or_else(no_such_key)
}

fn no_such_key() -> ApiError {
    ApiError::new(ProblemCode::NotFound, "No key has this id.")
}

/// The body of `POST /api/v1/admin/keys/{key_id}/revoke`.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RevokeKey {
    /// Why, for the audit trail.
    pub reason: Option<String>,
}

/// The answer to a revocation.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RevokedKey {
    pub key_id: Uuid,
    #[schema(value_type = String, format = DateTime)]
    pub revoked_at: Timestamp,
}

/// `POST /api/v1/admin/keys/{key_id}/revoke`: effective at this origin on the next request.
#[utoipa::path(post, path = "/api/v1/admin/keys/{key_id}/revoke", tag = "admin", security(("api_key" = [])),
    params(("key_id" = Uuid, Path)), request_body = RevokeKey,
    responses((status = 200, body = RevokedKey), (status = 404, description = "NOT_FOUND")))]
pub async fn revoke(
    State(app): State<Arc<App>>,
    Extension(caller): Extension<Caller>,
    Path(key_id): Path<String>,
    body: JsonBody,
) -> Result<Json<RevokedKey>, ApiError> {
    let request: RevokeKey = body.parse()?;
    let reason = request.reason.as_deref().map(|reason| check_name("reason", reason)).transpose()?;
    let key = find(&app, &key_id).await?;
    let revocation = Revocation { key_id: key.id, reason, actor: caller.actor() };
    let revoked = app.db.revoke_key(&revocation).await?.ok_or_else(no_such_key)?;
    forget(&app, &key).await;
    Ok(Json(RevokedKey { key_id: key.id, revoked_at: revoked.revoked_at() }))
}

/// Drops the key from the check caches so its new state holds on the next request here.
async fn forget(app: &App, key: &StoredKey) {
    if let Ok(hash) = KeyHash::from_hex(&key.key_hash) {
        app.keys.forget(&hash).await;
    }
}

/// The body of `POST /api/v1/admin/keys/{key_id}/rotate`.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RotateKey {
    /// How long the old key keeps working, 0 to 2592000 (30 days); default 86400 (a day).
    pub grace_seconds: Option<u64>,
}

/// The answer to a rotation.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RotatedKey {
    /// The new key's id.
    pub key_id: Uuid,
    /// The new key. Store it now: only its hash is kept.
    pub api_key: String,
    pub previous_key_id: Uuid,
    /// When the old key stops working.
    #[schema(value_type = String, format = DateTime)]
    pub previous_valid_until: Timestamp,
}

/// `POST /api/v1/admin/keys/{key_id}/rotate`.
#[utoipa::path(post, path = "/api/v1/admin/keys/{key_id}/rotate", tag = "admin", security(("api_key" = [])),
    params(("key_id" = Uuid, Path)), request_body = RotateKey,
    responses((status = 201, body = RotatedKey), (status = 404, description = "NOT_FOUND"),
              (status = 409, description = "CONFLICT: the key is revoked or already rotated")))]
pub async fn rotate(
    State(app): State<Arc<App>>,
    Extension(caller): Extension<Caller>,
    Path(key_id): Path<String>,
    body: JsonBody,
) -> Result<(StatusCode, Json<RotatedKey>), ApiError> {
    let request: RotateKey = body.parse()?;
    let grace_seconds = request.grace_seconds.map_or(Ok(key_admin::DEFAULT_ROTATION_GRACE.as_secs() as u64), |s| {
        if s <= key_admin::MAX_ROTATION_GRACE_SECONDS {
            Ok(s)
        } else {
            Err(invalid("grace_seconds", format!("must be from 0 to {}", key_admin::MAX_ROTATION_GRACE_SECONDS)))
        }
    })?;
    let key = find(&app, &key_id).await?;
    let grace = SignedDuration::from_secs(i64::try_from(grace_seconds).unwrap_or(i64::MAX));
    let outcome =
        key_admin::rotate(&app.db, key.id, grace, Timestamp::now(), &caller.actor()).await.map_err(issue_error)?;
    forget(&app, &key).await;
    match outcome {
        RotationOutcome::Rotated { key: new_key, stored, previous_valid_until } => Ok((
            StatusCode::CREATED,
            Json(RotatedKey {
                key_id: stored.id,
                api_key: new_key.expose_secret().to_owned(),
                previous_key_id: key.id,
                previous_valid_until,
            }),
        )),
        RotationOutcome::NotFound => Err(no_such_key()),
        RotationOutcome::AlreadyRevoked(at) => Err(ApiError::new(
            ProblemCode::Conflict,
            format!(
                "This key is revoked or already rotated (its revocation is at {at}); rotate its replacement instead."
            ),
        )),
    }
}
