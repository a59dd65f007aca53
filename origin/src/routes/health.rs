//! `GET /health`: liveness. Answers as long as the process can serve HTTP at all; whether the
//! database and cache answer is `/ready`'s question.

use axum::Json;
use noesis_core::engines::registry;
use serde::Serialize;

/// The body of `GET /health`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Health {
    /// Always `"ok"`: a process that can answer is alive.
    pub status: &'static str,
    /// The version of `noesis-origin` serving the request.
    pub version: &'static str,
    /// The ids of the engines this build serves.
    pub engines: Vec<&'static str>,
    /// The ids of the workflows this build serves.
    pub workflows: Vec<&'static str>,
}

/// `GET /health`.
#[utoipa::path(get, path = "/health", tag = "operations", responses((status = 200, body = Health)))]
pub async fn health() -> Json<Health> {
    Json(Health {
        status: "ok",
        version: env!("CARGO_PKG_VERSION"),
        engines: registry::all().iter().map(|engine| engine.meta().id).collect(),
        workflows: noesis_core::workflows::all().iter().map(|workflow| workflow.id).collect(),
    })
}
