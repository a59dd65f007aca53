//! Error reporting to Sentry (`SENTRY_DSN`); nothing is sent when it is unset.
//!
//! - [`init`] starts the client (release = the crate version, environment from
//!   `SENTRY_ENVIRONMENT`, traces sample rate from `SENTRY_TRACES_SAMPLE_RATE`) and returns a
//!   guard that flushes queued events when dropped; `serve` keeps it for its whole life.
//! - The request context captures one event for every 5xx response ([`capture_server_error`]),
//!   tagged `request_id`, `route`, `engine_id`, `workflow_id`, `tier` and `consciousness_level`
//!   ([`ErrorTags`], filled by the layers that know them), fingerprinted by
//!   `[engine_id | workflow_id | route, problem code]` so one bug is one issue. Tags, fingerprint
//!   and message are the core's rules ([`noesis_core::observability::error_event`]), shared with
//!   the edge, which reports its own 5xx answers with `runtime: edge`.
//! - [`transaction`] sends one performance transaction per matched request, sampled at
//!   `SENTRY_TRACES_SAMPLE_RATE`, named `METHOD /route/{pattern}` (never the path as sent), with
//!   the status and no request data.
//! - A panic in a handler is answered 500 by the panic-catching layer and captured there by the
//!   request context, with the tags; the panic integration's own event for it is dropped
//!   ([`IN_REQUEST`]) so it is reported once. Panics outside requests are reported by the
//!   integration.
//! - [`scrub`] runs on every event before it leaves: no request data at all (bodies, cookies,
//!   headers, query strings), no user, no breadcrumbs, and then the core's scrubbing rules
//!   ([`noesis_core::observability::scrub`], the edge's too): secret-named fields removed, API
//!   keys (`nk_live_…`, `nk_test_…`) and bearer tokens redacted wherever they appear.

use std::borrow::Cow;
use std::sync::{Arc, Mutex};

use axum::extract::{MatchedPath, Request};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use noesis_core::observability::error_event::ServerError;
pub use noesis_core::observability::scrub::redact;
use noesis_core::observability::scrub::scrub_json;
use sentry::protocol::{Event, Level, SpanStatus};

use crate::config::SentryConfig;

tokio::task_local! {
    /// Set while a request is being served: a panic there is reported by the request context.
    pub static IN_REQUEST: ();
}

/// Starts the Sentry client, or nothing when `config` is `None`. Keep the guard alive for as
/// long as errors should be reported; dropping it flushes what is queued.
pub fn init(config: Option<&SentryConfig>) -> Option<sentry::ClientInitGuard> {
    let config = config?;
    crate::product_events::install_tls_provider();
    let dsn = match config.dsn.expose().parse::<sentry::types::Dsn>() {
        Ok(dsn) => dsn,
        Err(_) => {
            tracing::error!("SENTRY_DSN is not a Sentry DSN; errors are not reported");
            return None;
        }
    };
    let mut options = sentry::ClientOptions::new().traces_sample_rate(config.traces_sample_rate);
    options.dsn = Some(dsn);
    options.release = Some(Cow::Borrowed(concat!("noesis-origin@", env!("CARGO_PKG_VERSION"))));
    options.environment = Some(Cow::Owned(config.environment.clone()));
    options.send_default_pii = false;
    options.max_request_body_size = sentry::MaxRequestBodySize::None;
    options.max_breadcrumbs = 0;
    options.before_send = Some(Arc::new(scrub));
    options.transport = Some(Arc::new(BoundedTransport));
    let guard = sentry::init(options);
    // Threads started later (the runtime's workers) take their hub from the main one.
    sentry::Hub::main().bind_client(sentry::Hub::current().client());
    tracing::info!(environment = %config.environment, "errors are reported to Sentry");
    Some(guard)
}

/// How long one POST of an envelope to Sentry may take. sentry's own reqwest client has no
/// timeout, so a Sentry that accepts the connection and never answers would hold its sending
/// thread, and with it the process's shutdown (which waits for that thread), for ever.
const SEND_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(3);

/// Makes sentry's reqwest transport with a client bounded by [`SEND_TIMEOUT`].
struct BoundedTransport;

impl sentry::TransportFactory for BoundedTransport {
    fn create_transport_with_options(&self, options: sentry::TransportOptions) -> Arc<dyn sentry::Transport> {
        use sentry::transports::{DefaultTransportFactory, ReqwestHttpTransportOptions};
        match reqwest::Client::builder().timeout(SEND_TIMEOUT).connect_timeout(SEND_TIMEOUT).build() {
            Ok(client) => Arc::new(ReqwestHttpTransportOptions::from(options).with_client(client).build()),
            // No TLS backend (never here: `init` installs one): sentry's own client.
            Err(_) => DefaultTransportFactory.create_transport_with_options(options),
        }
    }
}

/// The tags of a request's error event, filled in as the request goes through the layers (the
/// route, the engine or workflow, the caller's tier and level); shared so that a panic deep in
/// a handler still reports them.
#[derive(Debug, Clone, Default)]
pub struct ErrorTags(Arc<Mutex<Tags>>);

/// The values of [`ErrorTags`]: the core's, shared with the edge.
pub type Tags = noesis_core::observability::error_event::ErrorTags;

impl ErrorTags {
    /// Changes the tags.
    pub fn update(&self, change: impl FnOnce(&mut Tags)) {
        if let Ok(mut tags) = self.0.lock() {
            change(&mut tags);
        }
    }

    /// The tags as they are now.
    pub fn get(&self) -> Tags {
        self.0.lock().map(|tags| tags.clone()).unwrap_or_default()
    }
}

/// A panic message, put in the response's extensions by the panic-catching layer.
#[derive(Debug, Clone)]
pub struct Panicked(pub String);

/// Reports a 5xx answer: one event, tagged and fingerprinted (see the module documentation).
/// Does nothing when Sentry is not configured.
pub fn capture_server_error(
    status: StatusCode,
    code: &str,
    method: &Method,
    request_id: &str,
    tags: &Tags,
    panicked: Option<&str>,
) {
    if sentry::Hub::current().client().is_none_or(|client| !client.is_enabled()) {
        return;
    }
    let error = ServerError {
        status: status.as_u16(),
        code,
        method: method.as_str(),
        request_id,
        tags,
        panicked,
        runtime: "origin",
    };
    let mut event = Event {
        level: Level::Error,
        message: Some(error.message()),
        logger: Some("noesis_origin::request".into()),
        fingerprint: error.fingerprint().map(Cow::Owned).to_vec().into(),
        ..Default::default()
    };
    event.tags.extend(error.tags().into_iter().map(|(name, value)| (name.to_owned(), value)));
    sentry::capture_event(event);
}

/// The `before_send` of every event: see the module documentation. `None` drops the event.
pub fn scrub(mut event: Event<'static>) -> Option<Event<'static>> {
    let from_panic_integration = event
        .exception
        .values
        .iter()
        .any(|exception| exception.mechanism.as_ref().is_some_and(|mechanism| mechanism.ty == "panic"));
    if from_panic_integration && IN_REQUEST.try_with(|_| ()).is_ok() {
        // The request context reports it, with the request's tags.
        return None;
    }
    event.request = None;
    event.user = None;
    event.breadcrumbs = Default::default();
    event.server_name = None;
    let mut value = serde_json::to_value(&event).ok()?;
    scrub_json(&mut value);
    serde_json::from_value(value).ok()
}

/// The middleware of matched routes that sends one performance transaction per request, when
/// Sentry is configured and the request is sampled (`SENTRY_TRACES_SAMPLE_RATE`). It is named
/// `METHOD /route/{pattern}`, since paths as sent can carry key hashes, and carries the status
/// and nothing of the request (sentry-tower's `SentryHttpLayer` would attach the URL with its
/// query string and the headers, and the Rust SDK has no hook to scrub transactions).
pub async fn transaction(request: Request, next: Next) -> Response {
    let enabled = sentry::Hub::current().client().is_some_and(|client| client.is_enabled());
    let Some(pattern) = request.extensions().get::<MatchedPath>().filter(|_| enabled) else {
        return next.run(request).await;
    };
    let name = format!("{} {}", request.method(), pattern.as_str());
    let transaction = sentry::start_transaction(sentry::TransactionContext::new(&name, "http.server"));
    transaction.set_tag("runtime", "origin");
    sentry::configure_scope(|scope| scope.set_span(Some(transaction.clone().into())));
    let response = next.run(request).await;
    let status = response.status();
    transaction.set_tag("http.status_code", status.as_u16());
    transaction.set_status(span_status(status));
    transaction.finish();
    sentry::configure_scope(|scope| scope.set_span(None));
    response
}

/// Sentry's span status for an HTTP status.
fn span_status(status: StatusCode) -> SpanStatus {
    match status.as_u16() {
        401 => SpanStatus::Unauthenticated,
        403 => SpanStatus::PermissionDenied,
        404 => SpanStatus::NotFound,
        429 => SpanStatus::ResourceExhausted,
        400..=499 => SpanStatus::InvalidArgument,
        503 => SpanStatus::Unavailable,
        500..=599 => SpanStatus::InternalError,
        _ => SpanStatus::Ok,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrub_drops_request_data_and_secret_fields() {
        let mut event = Event { message: Some("boom nk_live_secret123".into()), ..Default::default() };
        event.request = Some(sentry::protocol::Request {
            url: Some("http://x/y?key=nk_live_q".parse().unwrap()),
            cookies: Some("session=1".into()),
            data: Some("{\"birth_date\":\"1990-01-01\"}".into()),
            ..Default::default()
        });
        event.extra.insert("authorization".into(), "Bearer x".into());
        let scrubbed = scrub(event).unwrap();
        let text = serde_json::to_string(&scrubbed).unwrap();
        assert!(!text.contains("nk_live_") && !text.contains("1990") && !text.contains("session"), "{text}");
        assert!(scrubbed.request.is_none() && scrubbed.extra.is_empty(), "{text}");
    }
}
