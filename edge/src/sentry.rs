//! Error events from the Worker to Sentry, without the `sentry` crate (it does not build for
//! wasm32): the envelope is built here, as pure values, and the glue POSTs it with `fetch` inside
//! `waitUntil`, bounded by [`SEND_TIMEOUT`].
//!
//! An event has the same tags, fingerprint and message as the origin's
//! ([`noesis_core::observability::error_event`]) plus `runtime: edge`, and passes the same
//! scrubbing ([`noesis_core::observability::scrub`]): it is built only from the request id, the
//! route pattern, the method, the problem code and the caller's tier and level, never from a
//! header, a query string or a body.
//!
//! The envelope (<https://develop.sentry.dev/sdk/envelopes/>) is three lines:
//!
//! ```text
//! {"event_id":"…","sent_at":"…","dsn":"https://<public key>@<host>/<project>"}
//! {"type":"event","length":<bytes>,"content_type":"application/json"}
//! {"event_id":"…","level":"error","platform":"native","release":"noesis-edge@<version>",…}
//! ```
//!
//! POSTed to `https://<host>/api/<project>/envelope/` with
//! `X-Sentry-Auth: Sentry sentry_version=7, sentry_key=<public key>, sentry_client=noesis-edge/<version>`.

use std::time::Duration;

use jiff::Timestamp;
use noesis_core::observability::error_event::ServerError;
use noesis_core::observability::scrub::scrub_json;
use serde_json::{Map, Value, json};

/// How long one POST to Sentry may take; past it the request is aborted and the event counted
/// as dropped, so a hanging Sentry keeps no `waitUntil` alive.
pub const SEND_TIMEOUT: Duration = Duration::from_secs(3);

/// `release` of every event.
pub const RELEASE: &str = concat!("noesis-edge@", env!("CARGO_PKG_VERSION"));

/// `sentry_client` of the auth header and the event's SDK name.
const CLIENT: &str = concat!("noesis-edge/", env!("CARGO_PKG_VERSION"));

/// A parsed `SENTRY_DSN`: `<scheme>://<public key>[:<secret>]@<host>[:<port>][/<path>]/<project>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dsn {
    /// The DSN without its legacy secret part, as the envelope header carries it.
    public: String,
    public_key: String,
    /// `<scheme>://<host>[:<port>][/<path>]/api/<project>/envelope/`.
    envelope_url: String,
}

impl Dsn {
    /// The DSN in `text`, or `None` when it is not one (then nothing is reported).
    ///
    /// ```
    /// use noesis_edge::sentry::Dsn;
    /// let dsn = Dsn::parse("https://abc123@o1.ingest.sentry.io/42").unwrap();
    /// assert_eq!(dsn.envelope_url(), "https://o1.ingest.sentry.io/api/42/envelope/");
    /// assert_eq!(
    ///     dsn.auth_header(),
    ///     concat!("Sentry sentry_version=7, sentry_key=abc123, sentry_client=noesis-edge/", env!("CARGO_PKG_VERSION"))
    /// );
    /// assert!(Dsn::parse("not a dsn").is_none());
    /// ```
    pub fn parse(text: &str) -> Option<Dsn> {
        let text = text.trim();
        let (scheme, rest) = text.split_once("://")?;
        if scheme != "https" && scheme != "http" {
            return None;
        }
        let (credentials, location) = rest.split_once('@')?;
        let public_key = credentials.split(':').next().filter(|key| is_token(key))?;
        let location = location.trim_end_matches('/');
        let (host_and_path, project) = location.rsplit_once('/')?;
        if host_and_path.is_empty() || project.is_empty() || !project.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        if host_and_path.contains(['?', '#', '@', ' ']) {
            return None;
        }
        Some(Dsn {
            public: format!("{scheme}://{public_key}@{host_and_path}/{project}"),
            public_key: public_key.to_owned(),
            envelope_url: format!("{scheme}://{host_and_path}/api/{project}/envelope/"),
        })
    }

    /// Where envelopes are POSTed.
    pub fn envelope_url(&self) -> &str {
        &self.envelope_url
    }

    /// The `X-Sentry-Auth` header.
    pub fn auth_header(&self) -> String {
        format!("Sentry sentry_version=7, sentry_key={}, sentry_client={CLIENT}", self.public_key)
    }
}

fn is_token(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The event JSON of a 5xx answer: level, platform, release, environment, the core's tags and
/// fingerprint, the message, and for a panic an exception; scrubbed by the core's rules.
/// `event_id` is 32 hex digits (a UUID without hyphens).
pub fn event(error: &ServerError<'_>, event_id: &str, timestamp: Timestamp, environment: &str) -> Value {
    let tags: Map<String, Value> =
        error.tags().into_iter().map(|(name, value)| (name.to_owned(), Value::from(value))).collect();
    let mut event = json!({
        "event_id": event_id,
        "timestamp": timestamp.to_string(),
        "level": "error",
        "platform": "native",
        "logger": "noesis_edge::request",
        "release": RELEASE,
        "environment": environment,
        "tags": tags,
        "fingerprint": error.fingerprint(),
        "message": error.message(),
        "sdk": {"name": "noesis-edge", "version": env!("CARGO_PKG_VERSION")},
    });
    if let Some(panic) = error.panicked {
        event["exception"] =
            json!({"values": [{"type": "panic", "value": panic, "mechanism": {"type": "panic", "handled": false}}]});
    }
    scrub_json(&mut event);
    event
}

/// The envelope carrying `event` (built by [`event`]), sent at `sent_at`.
pub fn envelope(dsn: &Dsn, event: &Value, sent_at: Timestamp) -> String {
    let payload = event.to_string();
    let header = json!({"event_id": event["event_id"], "sent_at": sent_at.to_string(), "dsn": dsn.public});
    let item = json!({"type": "event", "length": payload.len(), "content_type": "application/json"});
    format!("{header}\n{item}\n{payload}\n")
}

#[cfg(test)]
mod tests {
    use noesis_core::observability::error_event::ErrorTags;

    use super::*;

    fn now() -> Timestamp {
        "2026-11-25T07:30:00Z".parse().unwrap()
    }

    #[test]
    fn dsns_with_ports_paths_and_legacy_secrets() {
        let dsn = Dsn::parse(" http://pub:legacysecret@127.0.0.1:9000/sentry/7 ").unwrap();
        assert_eq!(dsn.envelope_url(), "http://127.0.0.1:9000/sentry/api/7/envelope/");
        assert_eq!(dsn.public, "http://pub@127.0.0.1:9000/sentry/7");
        for bad in ["", "ftp://k@h/1", "https://h/1", "https://k@h/", "https://k@h/x", "https://@h/1", "https://k@/1"] {
            assert_eq!(Dsn::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn an_envelope_is_a_header_an_item_header_and_the_event() {
        let tags = ErrorTags {
            route: Some("/api/v1/*".into()),
            tier: Some("free".into()),
            consciousness_level: Some("2".into()),
            ..ErrorTags::default()
        };
        let error = ServerError {
            status: 503,
            code: "ORIGIN_UNAVAILABLE",
            method: "POST",
            request_id: "req nk_live_Leaked1",
            tags: &tags,
            panicked: None,
            runtime: "edge",
        };
        let dsn = Dsn::parse("https://abc@o1.ingest.sentry.io/42").unwrap();
        let event = event(&error, "0123456789abcdef0123456789abcdef", now(), "production");
        let text = envelope(&dsn, &event, now());
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3, "{text}");
        let header: Value = serde_json::from_str(lines[0]).unwrap();
        assert_eq!(
            header,
            json!({"event_id": "0123456789abcdef0123456789abcdef", "sent_at": "2026-11-25T07:30:00Z",
                "dsn": "https://abc@o1.ingest.sentry.io/42"})
        );
        let item: Value = serde_json::from_str(lines[1]).unwrap();
        assert_eq!(item["type"], "event");
        assert_eq!(item["length"], lines[2].len());
        let sent: Value = serde_json::from_str(lines[2]).unwrap();
        assert_eq!(sent["release"], RELEASE);
        assert_eq!(sent["environment"], "production");
        assert_eq!(sent["fingerprint"], json!(["/api/v1/*", "ORIGIN_UNAVAILABLE"]));
        assert_eq!(sent["tags"]["runtime"], "edge");
        assert_eq!(sent["tags"]["tier"], "free");
        assert_eq!(sent["tags"]["request_id"], "req [redacted]", "scrubbed like the origin's");
        assert!(sent.get("exception").is_none());
        let panicked = ServerError { panicked: Some("index out of bounds"), ..error };
        assert_eq!(super::event(&panicked, "0", now(), "x")["exception"]["values"][0]["mechanism"]["type"], "panic");
    }
}
