//! Keyed routes: who is calling, what they may do, how often, and the usage row for it.
//!
//! [`keyed`] wraps every route under `/api/v1/`. In order: the key is taken from
//! `Authorization: Bearer` or `X-API-Key`; its format and checksum are checked with no lookup
//! (garbage is refused in microseconds); its grant is found ([`KeyDirectory`]); revocation,
//! expiry and the route's scope are judged by the core's [`Grant`] (the same code as the edge);
//! the per-minute rate limit is counted; then the handler runs with the [`Caller`] in its
//! extensions, and the answer gets the `RateLimit-*` headers and becomes one usage row, written
//! off the request path.

pub mod directory;

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use noesis_core::engines::{ApiError as CoreError, ProblemCode};
use noesis_core::http::request_id::RequestId;
use noesis_core::keys::{self, ApiKey, Grant, Scope};

pub use directory::KeyDirectory;

use crate::app::App;
use crate::error::ApiError;
use crate::product_events::{self, ProductEvent};
use crate::rate_limit::RateDecision;
use crate::storage::UsageRecord;

/// The authenticated caller of a keyed route, in the request's extensions.
#[derive(Debug, Clone)]
pub struct Caller {
    pub grant: Grant,
}

impl Caller {
    /// The key's id as a UUID, for storage and audit events.
    pub fn key_id(&self) -> uuid::Uuid {
        *self.grant.key_id.as_uuid()
    }

    /// How audit events name this caller: `key:<id>`.
    pub fn actor(&self) -> String {
        format!("key:{}", self.grant.key_id)
    }
}

/// What a handler tells the usage log about its answer, in the response's extensions.
#[derive(Debug, Clone, Default)]
pub struct UsageNote {
    pub engine_id: Option<String>,
    pub workflow_id: Option<String>,
    /// Whether a cache answered.
    pub cache_hit: bool,
}

/// The scope a group of keyed routes needs; `None` for routes any valid key may call (`/me`).
#[derive(Debug, Clone, Copy)]
pub struct Needs(pub Option<Scope>);

/// The middleware of keyed routes; see the module documentation.
pub async fn keyed(State((app, needs)): State<(Arc<App>, Needs)>, mut request: Request, next: Next) -> Response {
    let started = Instant::now();
    let now = Timestamp::now();
    let grant = match admit(&app, request.headers(), needs, now).await {
        Ok(grant) => grant,
        Err(err) => {
            app.metrics.auth_failures.get_or_create(&reason(err.0.code)).inc();
            if app.product_events.is_enabled() {
                let client = product_events::hash_client(&client_address(&request));
                app.product_events.capture(ProductEvent::auth_failure(&client, err.0.code.as_str()));
            }
            return err.into_response();
        }
    };
    let decision = app.limiter.check(*grant.key_id.as_uuid(), grant.rate_limit_per_minute, now).await;
    let route = request.extensions().get::<MatchedPath>().map(|path| path.as_str().to_owned()).unwrap_or_default();
    let request_id = request.extensions().get::<RequestId>().map(|id| id.as_str().to_owned()).unwrap_or_default();
    let caller = Caller { grant };
    let mut response = if decision.allowed {
        request.extensions_mut().insert(caller.clone());
        next.run(request).await
    } else {
        app.metrics.rate_limited.get_or_create(&reason_text(caller.grant.tier.as_str())).inc();
        app.product_events.capture(ProductEvent::rate_limit_hit(
            caller.grant.user_id,
            caller.grant.tier.as_str(),
            caller.grant.consciousness_level.into(),
        ));
        rate_limited(&decision).into_response()
    };
    set_rate_limit_headers(response.headers_mut(), &decision);

    let note = response.extensions().get::<UsageNote>().cloned().unwrap_or_default();
    app.usage.record(UsageRecord {
        at: now,
        key_id: Some(caller.key_id()),
        user_id: Some(caller.grant.user_id),
        route,
        engine_id: note.engine_id,
        workflow_id: note.workflow_id,
        status: response.status().as_u16(),
        latency_us: u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX),
        cache_hit: note.cache_hit,
        served_by: "origin".to_owned(),
        request_id,
    });
    response
}

/// Everything but the rate limit: the key's presence, format, existence, state and scope.
async fn admit(app: &App, headers: &HeaderMap, needs: Needs, now: Timestamp) -> Result<Grant, ApiError> {
    let presented = presented_key(headers)?;
    let key = ApiKey::parse(presented).map_err(keys::malformed_key)?;
    let grant = app.keys.lookup(&key.hash()).await.map_err(ApiError::from)?.ok_or_else(keys::unknown_key)?;
    grant.admit(now)?;
    if let Needs(Some(scope)) = needs {
        grant.require(scope)?;
    }
    Ok(grant)
}

/// The key as sent: `Authorization: Bearer <key>` first, else `X-API-Key: <key>` (the core's rule,
/// shared with the edge).
fn presented_key(headers: &HeaderMap) -> Result<&str, ApiError> {
    let raw = |name| headers.get(name).map(HeaderValue::as_bytes);
    Ok(keys::presented_key(raw(axum::http::header::AUTHORIZATION.as_str()), raw("x-api-key"))?)
}

/// The client's address for a refused call: the first hop of `X-Forwarded-For` (the edge and
/// proxies in front append to it), else the socket's peer when the server records it, else
/// `unknown`. Only ever used hashed ([`product_events::hash_client`]).
fn client_address(request: &Request) -> String {
    let forwarded = request
        .headers()
        .get("x-forwarded-for")
        .and_then(|value| value.to_str().ok())
        .and_then(|list| list.split(',').next())
        .map(str::trim)
        .filter(|first| !first.is_empty());
    if let Some(first) = forwarded {
        return first.to_owned();
    }
    request
        .extensions()
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|info| info.0.ip().to_string())
        .unwrap_or_else(|| "unknown".to_owned())
}

/// 429 `RATE_LIMITED`.
fn rate_limited(decision: &RateDecision) -> ApiError {
    ApiError(CoreError::new(
        ProblemCode::RateLimited,
        format!(
            "This key may make {} requests a minute; try again in {} s.",
            decision.limit, decision.reset_after_seconds
        ),
    ))
}

/// `RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset` and, on a refusal, `Retry-After`.
fn set_rate_limit_headers(headers: &mut HeaderMap, decision: &RateDecision) {
    for (name, value) in decision.headers() {
        if let (Ok(name), Ok(value)) = (HeaderName::from_bytes(name.as_bytes()), HeaderValue::from_str(&value)) {
            headers.insert(name, value);
        }
    }
}

fn reason(code: ProblemCode) -> crate::metrics::ReasonLabels {
    reason_text(code.as_str())
}

fn reason_text(text: &str) -> crate::metrics::ReasonLabels {
    crate::metrics::ReasonLabels { reason: text.to_owned() }
}
