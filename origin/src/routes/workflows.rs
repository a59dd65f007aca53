//! `GET /api/v1/workflows`, `GET /api/v1/workflows/{id}`, `POST /api/v1/workflows/{id}/execute`
//! (DESIGN.md §3): the request is parsed once, planned by the core (which engines run, which are
//! skipped and why), the runnable engines run concurrently on the blocking pool, and the core
//! assembles the answer with its synthesis. Whole answers are cached like engine answers.

use std::sync::Arc;
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::{Extension, Json};
use jiff::Timestamp;
use noesis_core::engines::hashing::cache_lifetime;
use noesis_core::engines::request::parse_request;
use noesis_core::engines::{ApiError as CoreError, ServedBy};
use noesis_core::workflows::{self, EngineOutcome, WorkflowInfo, WorkflowList};

use super::engines::{json_answer, noted};
use crate::app::App;
use crate::auth::{Caller, UsageNote};
use crate::body::JsonBody;
use crate::error::ApiError;
use crate::metrics::EngineLabels;
use crate::product_events::{ProductEvent, outcome_of};

/// `GET /api/v1/workflows`.
#[utoipa::path(get, path = "/api/v1/workflows", tag = "workflows", security(("api_key" = [])),
    responses((status = 200, description = "Every workflow, with its engines and the level each needs")))]
pub async fn list() -> Json<WorkflowList> {
    Json(workflows::list())
}

/// `GET /api/v1/workflows/{id}`.
#[utoipa::path(get, path = "/api/v1/workflows/{id}", tag = "workflows", security(("api_key" = [])),
    params(("id" = String, Path, description = "The workflow's id, e.g. `daily-practice`")),
    responses((status = 200, description = "The workflow's definition"), (status = 404, description = "WORKFLOW_NOT_FOUND")))]
pub async fn info(Path(id): Path<String>) -> Result<Json<WorkflowInfo>, ApiError> {
    let workflow = workflows::find(&id).ok_or_else(|| workflows::not_found(&id))?;
    Ok(Json(WorkflowInfo::of(workflow)))
}

/// `POST /api/v1/workflows/{id}/execute`.
#[utoipa::path(post, path = "/api/v1/workflows/{id}/execute", tag = "workflows", security(("api_key" = [])),
    params(("id" = String, Path, description = "The workflow's id")),
    request_body(content_type = "application/json", description = "The engine request shape: birth_data, current_time, location, options"),
    responses(
        (status = 200, description = "Every engine's answer, the skipped and failed ones with reasons, and the synthesis; `X-Cache: HIT|MISS`"),
        (status = 403, description = "LEVEL_REQUIRED (below the workflow's level) or FORBIDDEN"),
        (status = 404, description = "WORKFLOW_NOT_FOUND"),
        (status = 422, description = "VALIDATION_ERROR"),
    ))]
pub async fn execute(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    Extension(caller): Extension<Caller>,
    body: JsonBody,
) -> Response {
    let started = Instant::now();
    let workflow_id = workflows::find(&id).map(|workflow| workflow.id.to_owned());
    let outcome = answer(&app, &id, &caller, &body.0).await;
    let cache_hit = matches!(outcome, Ok((_, true)));
    let response = noted(outcome, UsageNote { workflow_id: workflow_id.clone(), ..UsageNote::default() });
    app.product_events.capture(ProductEvent::workflow_execution(
        caller.grant.user_id,
        workflow_id.as_deref().unwrap_or("unknown"),
        outcome_of(&caller, response.status().as_u16(), started, cache_hit),
    ));
    response
}

/// The answer and whether the cache gave it.
async fn answer(app: &App, id: &str, caller: &Caller, body: &[u8]) -> Result<(Response, bool), ApiError> {
    let started = Instant::now();
    let now = Timestamp::now();
    let workflow = workflows::find(id).ok_or_else(|| workflows::not_found(id))?;
    workflow.check_level(caller.grant.consciousness_level)?;
    let input = parse_request(body, now).map_err(CoreError::from)?;
    let mut plan = workflows::plan(workflow, input, caller.grant.consciousness_level)?;
    let cache_key = plan.cache_key.to_string();
    if let Some((cached, layer)) = app.results.get(&cache_key).await {
        return Ok((json_answer(cached, "HIT", started, Some(layer.as_str())), true));
    }

    // Each engine on the blocking pool, all at once: a chart does not hold up a numerology.
    let runnable = std::mem::take(&mut plan.runnable);
    let tasks: Vec<_> = runnable
        .into_iter()
        .map(|prepared| {
            tokio::task::spawn_blocking(move || {
                let engine_id = prepared.engine().meta().id;
                let began = Instant::now();
                let outcome = EngineOutcome::run(&prepared, ServedBy::Origin);
                let elapsed = began.elapsed();
                let outcome = match outcome {
                    EngineOutcome::Ok(response) => {
                        EngineOutcome::Ok(response.with_calculation_time_ms(elapsed.as_secs_f64() * 1e3))
                    }
                    failed => failed,
                };
                (engine_id, outcome, elapsed)
            })
        })
        .collect();
    let mut outcomes = Vec::with_capacity(tasks.len());
    for task in tasks {
        match task.await {
            Ok((engine_id, outcome, elapsed)) => {
                app.metrics
                    .engine_duration
                    .get_or_create(&EngineLabels { engine: engine_id.to_owned() })
                    .observe(elapsed.as_secs_f64());
                outcomes.push(outcome);
            }
            // A panicking engine: `assemble` lists every planned engine with no outcome as
            // failed (`INTERNAL`), so it is reported, not dropped.
            Err(err) => tracing::error!(%err, workflow = workflow.id, "an engine of a workflow panicked"),
        }
    }
    let elapsed = started.elapsed();
    app.metrics
        .workflow_duration
        .get_or_create(&crate::metrics::WorkflowLabels { workflow: workflow.id.to_owned() })
        .observe(elapsed.as_secs_f64());
    let valid_until = plan.valid_until;
    let mut response = plan.assemble(outcomes, ServedBy::Origin, elapsed.as_secs_f64() * 1e3);
    let fresh = serde_json::to_vec(&response).map_err(|err| ApiError::internal(&err))?;
    // Only a complete answer is cached: a failure may be passing (and is worth retrying).
    if response.failed.is_empty() {
        response.metadata.cached = true;
        let for_cache = serde_json::to_vec(&response).map_err(|err| ApiError::internal(&err))?;
        app.results.put(&cache_key, Bytes::from(for_cache), cache_lifetime(valid_until, now)).await;
    }
    Ok((json_answer(Bytes::from(fresh), "MISS", started, None), false))
}
