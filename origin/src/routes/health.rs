//! `GET /health`: liveness. Answers as long as the process can serve HTTP at all; readiness
//! of the database and cache will be `/ready`'s job.

use axum::Json;
use serde::Serialize;

/// The body of `GET /health`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Health {
    /// Always `"ok"`: a process that can answer is alive.
    pub status: &'static str,
    /// The version of `noesis-origin` serving the request.
    pub version: &'static str,
    /// The ids of the engines this build serves (none yet).
    pub engines: Vec<&'static str>,
    /// The ids of the workflows this build serves (none yet).
    pub workflows: Vec<&'static str>,
}

/// `GET /health`.
pub async fn health() -> Json<Health> {
    Json(Health { status: "ok", version: env!("CARGO_PKG_VERSION"), engines: Vec::new(), workflows: Vec::new() })
}
