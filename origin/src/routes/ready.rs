//! `GET /ready`: whether this origin can serve, component by component.
//!
//! The database decides: without it keys cannot be created or checked beyond the cache, so the
//! answer is 503 and a load balancer stops sending traffic. Redis only makes things shared and
//! exact across replicas; without it the origin serves from in-process layers, so a Redis that is
//! down makes the answer `degraded`, still 200.

use std::sync::Arc;
use std::time::Instant;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;

use crate::app::App;

/// The body of `GET /ready`.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Readiness {
    /// `ready`, `degraded` (Redis away) or `unavailable` (database away).
    pub status: &'static str,
    pub components: Components,
}

/// Each component's state.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Components {
    pub database: Component,
    pub cache: Component,
}

/// One component's state.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Component {
    /// `up`, `down`, or `disabled` (Redis not configured).
    pub status: &'static str,
    /// `postgres`, `sqlite`, `redis` or `memory`.
    pub backend: &'static str,
    /// How long the check took, in milliseconds (absent when not checked).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<f64>,
}

/// `GET /ready`.
#[utoipa::path(get, path = "/ready", tag = "operations",
    responses((status = 200, body = Readiness, description = "Ready, or degraded without Redis"),
              (status = 503, body = Readiness, description = "The database is away")))]
pub async fn ready(State(app): State<Arc<App>>) -> (StatusCode, Json<Readiness>) {
    let started = Instant::now();
    let db_up = app.db.ping().await.is_ok();
    let database = Component {
        status: if db_up { "up" } else { "down" },
        backend: app.db.backend(),
        latency_ms: Some(started.elapsed().as_secs_f64() * 1e3),
    };
    let cache = match &app.redis {
        None => Component { status: "disabled", backend: "memory", latency_ms: None },
        Some(redis) => {
            let started = Instant::now();
            let up = redis.ping().await.is_ok();
            Component {
                status: if up { "up" } else { "down" },
                backend: "redis",
                latency_ms: Some(started.elapsed().as_secs_f64() * 1e3),
            }
        }
    };
    let (code, status) = match (db_up, cache.status) {
        (false, _) => (StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
        (true, "down") => (StatusCode::OK, "degraded"),
        (true, _) => (StatusCode::OK, "ready"),
    };
    (code, Json(Readiness { status, components: Components { database, cache } }))
}
