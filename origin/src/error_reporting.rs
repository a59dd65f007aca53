//! Error reporting to Sentry (`SENTRY_DSN`); nothing is sent when it is unset.
//!
//! - [`init`] starts the client (release = the crate version, environment from
//!   `SENTRY_ENVIRONMENT`, traces sample rate from `SENTRY_TRACES_SAMPLE_RATE`) and returns a
//!   guard that flushes queued events when dropped; `serve` keeps it for its whole life.
//! - The request context captures one event for every 5xx response ([`capture_server_error`]),
//!   tagged `request_id`, `route`, `engine_id`, `workflow_id`, `tier` and `consciousness_level`
//!   ([`ErrorTags`], filled by the layers that know them), fingerprinted by
//!   `[engine_id | workflow_id | route, problem code]` so one bug is one issue.
//! - A panic in a handler is answered 500 by the panic-catching layer and captured there by the
//!   request context, with the tags; the panic integration's own event for it is dropped
//!   ([`IN_REQUEST`]) so it is reported once. Panics outside requests are reported by the
//!   integration.
//! - [`scrub`] runs on every event before it leaves: no request data at all (bodies, cookies,
//!   headers, query strings), no user, no breadcrumbs, and anything that looks like an API key
//!   (`nk_live_…`, `nk_test_…`) or a bearer token is redacted wherever it appears.

use std::borrow::Cow;
use std::sync::{Arc, Mutex};

use axum::http::{Method, StatusCode};
use sentry::protocol::{Event, Level};
use serde_json::Value;

use crate::config::SentryConfig;

/// What a redacted secret is replaced with.
const REDACTED: &str = "[redacted]";

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
    let guard = sentry::init(options);
    // Threads started later (the runtime's workers) take their hub from the main one.
    sentry::Hub::main().bind_client(sentry::Hub::current().client());
    tracing::info!(environment = %config.environment, "errors are reported to Sentry");
    Some(guard)
}

/// The tags of a request's error event, filled in as the request goes through the layers (the
/// route, the engine or workflow, the caller's tier and level); shared so that a panic deep in
/// a handler still reports them.
#[derive(Debug, Clone, Default)]
pub struct ErrorTags(Arc<Mutex<Tags>>);

/// The values of [`ErrorTags`].
#[derive(Debug, Clone, Default)]
pub struct Tags {
    pub route: Option<String>,
    pub engine_id: Option<String>,
    pub workflow_id: Option<String>,
    pub tier: Option<String>,
    pub consciousness_level: Option<String>,
}

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
    let route = tags.route.as_deref().unwrap_or("unmatched");
    let subject = tags.engine_id.as_deref().or(tags.workflow_id.as_deref()).unwrap_or(route);
    let message = match panicked {
        Some(panic) => format!("{} {code} on {method} {route}: a handler panicked: {panic}", status.as_u16()),
        None => format!("{} {code} on {method} {route}", status.as_u16()),
    };
    let mut event = Event {
        level: Level::Error,
        message: Some(message),
        logger: Some("noesis_origin::request".into()),
        fingerprint: vec![Cow::Owned(subject.to_owned()), Cow::Owned(code.to_owned())].into(),
        ..Default::default()
    };
    let mut tag = |name: &str, value: Option<&str>| {
        if let Some(value) = value {
            event.tags.insert(name.to_owned(), value.to_owned());
        }
    };
    tag("request_id", Some(request_id));
    tag("route", Some(route));
    tag("method", Some(method.as_str()));
    tag("status", Some(&status.as_u16().to_string()));
    tag("problem_code", Some(code));
    tag("engine_id", tags.engine_id.as_deref());
    tag("workflow_id", tags.workflow_id.as_deref());
    tag("tier", tags.tier.as_deref());
    tag("consciousness_level", tags.consciousness_level.as_deref());
    tag("panic", panicked.map(|_| "true"));
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
    redact_value(&mut value);
    serde_json::from_value(value).ok()
}

fn redact_value(value: &mut Value) {
    match value {
        Value::String(text) => {
            if let Cow::Owned(redacted) = redact(text) {
                *text = redacted;
            }
        }
        Value::Array(items) => items.iter_mut().for_each(redact_value),
        Value::Object(fields) => {
            fields.retain(|name, _| !is_secret_name(name));
            fields.values_mut().for_each(redact_value);
        }
        _ => {}
    }
}

/// Field names whose values are never sent.
fn is_secret_name(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    ["authorization", "cookie", "x-api-key", "api_key", "password", "secret", "birth"]
        .iter()
        .any(|secret| name.contains(secret))
}

/// `text` with API keys (`nk_live_…`, `nk_test_…`) and bearer tokens replaced by `[redacted]`.
///
/// ```
/// use noesis_origin::error_reporting::redact;
/// assert_eq!(redact("key nk_live_AbC123 failed"), "key [redacted] failed");
/// assert_eq!(redact("Authorization: Bearer abc.def"), "Authorization: Bearer [redacted]");
/// assert_eq!(redact("nothing here"), "nothing here");
/// ```
pub fn redact(text: &str) -> Cow<'_, str> {
    let lower = text.to_ascii_lowercase();
    if !lower.contains("nk_live_") && !lower.contains("nk_test_") && !lower.contains("bearer ") {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        let lower = rest.to_ascii_lowercase();
        let key = ["nk_live_", "nk_test_"].iter().filter_map(|prefix| lower.find(prefix)).min();
        let bearer = lower.find("bearer ").map(|at| at + "bearer ".len());
        let (start, token_start) = match (key, bearer) {
            (Some(k), Some(b)) if b <= k => (b, b),
            (Some(k), _) => (k, k + "nk_live_".len()),
            (None, Some(b)) => (b, b),
            (None, None) => break,
        };
        let is_bearer = bearer == Some(start) && key != Some(start);
        let token_len = rest[token_start..]
            .find(
                |c: char| {
                    if is_bearer { c.is_whitespace() || c == '"' || c == ',' } else { !c.is_ascii_alphanumeric() }
                },
            )
            .unwrap_or(rest.len() - token_start);
        out.push_str(&rest[..start]);
        out.push_str(REDACTED);
        rest = &rest[token_start + token_len..];
    }
    out.push_str(rest);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_tokens_are_redacted() {
        assert_eq!(redact("nk_test_abc and NK_LIVE_Z9."), "[redacted] and [redacted].");
        assert_eq!(redact("bearer tok, more"), "bearer [redacted], more");
        assert_eq!(redact("nk_live_"), "[redacted]");
    }

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
