//! `GET /api/v1/engines`, `GET /api/v1/engines/{id}`, `POST /api/v1/engines/{id}/calculate`:
//! the same core code the edge runs, with the origin's result cache in front of it.

use std::sync::Arc;
use std::time::Instant;

use axum::Extension;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::header::{CONTENT_TYPE, HeaderValue};
use axum::http::{HeaderName, StatusCode};
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use noesis_core::engines::catalog::{self, EngineInfo, EngineList};
use noesis_core::engines::hashing::cache_lifetime;
use noesis_core::engines::{ApiError as CoreError, ServedBy, registry};

use crate::app::App;
use crate::auth::{Caller, UsageNote};
use crate::body::JsonBody;
use crate::error::ApiError;
use crate::metrics::EngineLabels;
use crate::product_events::{ProductEvent, outcome_of};

/// `X-Cache`: whether a cache answered (`HIT`) or the engine ran (`MISS`).
pub const X_CACHE: HeaderName = HeaderName::from_static("x-cache");

/// `GET /api/v1/engines`.
#[utoipa::path(get, path = "/api/v1/engines", tag = "engines", security(("api_key" = [])),
    responses((status = 200, description = "Every engine, with the level it needs and the fields it reads")))]
pub async fn list() -> Json<EngineList> {
    Json(catalog::list())
}

/// `GET /api/v1/engines/{id}`.
#[utoipa::path(get, path = "/api/v1/engines/{id}", tag = "engines", security(("api_key" = [])),
    params(("id" = String, Path, description = "The engine's id, e.g. `human-design`")),
    responses((status = 200, description = "The engine's description"), (status = 404, description = "ENGINE_NOT_FOUND")))]
pub async fn info(Path(id): Path<String>) -> Result<Json<EngineInfo>, ApiError> {
    let engine = registry::find(&id).ok_or_else(|| CoreError::engine_not_found(&id))?;
    Ok(Json(EngineInfo::of(engine.meta())))
}

/// `POST /api/v1/engines/{id}/calculate`.
#[utoipa::path(post, path = "/api/v1/engines/{id}/calculate", tag = "engines", security(("api_key" = [])),
    params(("id" = String, Path, description = "The engine's id")),
    request_body(content_type = "application/json", description = "The engine request: birth_data, current_time, location, options"),
    responses(
        (status = 200, description = "The engine's answer, with `X-Cache: HIT|MISS`"),
        (status = 403, description = "LEVEL_REQUIRED or FORBIDDEN"),
        (status = 404, description = "ENGINE_NOT_FOUND"),
        (status = 422, description = "VALIDATION_ERROR naming each field"),
    ))]
pub async fn calculate(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    Extension(caller): Extension<Caller>,
    body: JsonBody,
) -> Response {
    let started = Instant::now();
    let engine_id = registry::find(&id).map(|engine| engine.meta().id.to_owned());
    let note = UsageNote { engine_id: engine_id.clone(), ..UsageNote::default() };
    let outcome = answer(&app, &id, &caller, &body.0).await;
    let cache_hit = matches!(outcome, Ok((_, true)));
    let response = noted(outcome, note);
    app.product_events.capture(ProductEvent::engine_calculation(
        caller.grant.user_id,
        engine_id.as_deref().unwrap_or("unknown"),
        outcome_of(&caller, response.status().as_u16(), started, cache_hit),
    ));
    response
}

/// The response for an answer (or its refusal), carrying the usage note with whether a cache
/// answered.
pub(crate) fn noted(outcome: Result<(Response, bool), ApiError>, mut note: UsageNote) -> Response {
    let mut response = match outcome {
        Ok((answer, hit)) => {
            note.cache_hit = hit;
            answer
        }
        Err(err) => err.into_response(),
    };
    response.extensions_mut().insert(note);
    response
}

/// The answer and whether a cache gave it.
async fn answer(app: &App, id: &str, caller: &Caller, body: &[u8]) -> Result<(Response, bool), ApiError> {
    let started = Instant::now();
    let now = Timestamp::now();
    let prepared = registry::prepare(id, body, caller.grant.consciousness_level, now)?;
    let cache_key = prepared.cache_key().to_string();
    if let Some((cached, layer)) = app.results.get(&cache_key).await {
        return Ok((json_answer(cached, "HIT", started, Some(layer.as_str())), true));
    }
    let calculated = Instant::now();
    let response = prepared.run(ServedBy::Origin)?;
    let elapsed = calculated.elapsed();
    app.metrics
        .engine_duration
        .get_or_create(&EngineLabels { engine: prepared.engine().meta().id.to_owned() })
        .observe(elapsed.as_secs_f64());
    let mut response = response.with_calculation_time_ms(elapsed.as_secs_f64() * 1e3);
    let fresh = serde_json::to_vec(&response).map_err(|err| ApiError::internal(&err))?;
    response.metadata.cached = true;
    let for_cache = serde_json::to_vec(&response).map_err(|err| ApiError::internal(&err))?;
    app.results.put(&cache_key, Bytes::from(for_cache), cache_lifetime(prepared.valid_until(), now)).await;
    Ok((json_answer(Bytes::from(fresh), "MISS", started, None), false))
}

/// A 200 JSON answer with `X-Cache` and `Server-Timing` (total time, and the cache layer on a hit).
pub(crate) fn json_answer(body: Bytes, x_cache: &'static str, started: Instant, layer: Option<&str>) -> Response {
    let total_ms = started.elapsed().as_secs_f64() * 1e3;
    let timing = match layer {
        Some(layer) => format!("cache;desc=\"{layer}\", app;dur={total_ms:.3}"),
        None => format!("app;dur={total_ms:.3}"),
    };
    let mut response = (StatusCode::OK, body).into_response();
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers.insert(X_CACHE, HeaderValue::from_static(x_cache));
    if let Ok(timing) = HeaderValue::from_str(&timing) {
        headers.insert(HeaderName::from_static("server-timing"), timing);
    }
    response
}
