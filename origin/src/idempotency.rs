//! `Idempotency-Key` on the admin POSTs: a retried request replays the first answer instead of
//! running twice, for 24 hours (the IETF draft "The Idempotency-Key HTTP Header Field").
//!
//! - The key is scoped to the calling API key (`<key id>:<Idempotency-Key>`), so two admins
//!   cannot collide, and bound to the request: a hash of method, path and body. The same key
//!   with another request is 409 `CONFLICT`.
//! - Before the handler runs, the key is *claimed* with a placeholder record (status 102, a
//!   60-second lease), in the database, so a concurrent duplicate, on this replica or another,
//!   gets 409 rather than running the handler a second time.
//! - A successful (2xx) answer is stored and replayed, with `Idempotent-Replayed: true`, byte
//!   for byte but for one field: an `api_key` secret is never stored (keys are kept as hashes
//!   only; a stored answer would hold a working key in clear for a day), so a replayed key
//!   creation or rotation carries the key's id and everything else, without `api_key`. Any
//!   other answer releases the claim: nothing was created, and the client may retry with the
//!   same key (a 503 during a database outage must not be replayed for a day).

use std::sync::Arc;

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use jiff::{SignedDuration, Timestamp};
use noesis_core::engines::ProblemCode;
use sha2::{Digest, Sha256};

use crate::app::App;
use crate::auth::Caller;
use crate::body::{MAX_BODY_BYTES, too_large};
use crate::error::ApiError;
use crate::routes::admin::invalid;
use crate::storage::{Claim, IdempotencyRecord};

/// The request header.
pub const IDEMPOTENCY_KEY: &str = "idempotency-key";

/// How long an answer is replayed.
pub const KEEP_FOR: SignedDuration = SignedDuration::from_hours(24);

/// The status of a claim whose request is still running.
const IN_FLIGHT: u16 = 102;

/// How long a claim holds before its answer is stored: a claim left behind (the process died, or
/// the database went away before the claim could be completed or released) frees its key after
/// this, instead of answering "still being processed" for a day.
const CLAIM_LEASE: SignedDuration = SignedDuration::from_secs(60);

/// The longest `Idempotency-Key` accepted (the stored key adds the 36-character key id and `:`).
const MAX_LEN: usize = 200;

/// The middleware; runs after the key check (it needs the [`Caller`]).
pub async fn idempotent(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    match handle(&app, request, next).await {
        Ok(response) | Err(response) => response,
    }
}

async fn handle(app: &App, request: Request, next: Next) -> Result<Response, Response> {
    if request.method() != Method::POST {
        return Ok(next.run(request).await);
    }
    let Some(sent) = request.headers().get(IDEMPOTENCY_KEY) else { return Ok(next.run(request).await) };
    let client_key = match sent.to_str() {
        Ok(text) if !text.is_empty() && text.len() <= MAX_LEN && text.bytes().all(|b| b.is_ascii_graphic()) => {
            text.to_owned()
        }
        _ => {
            return Err(invalid("Idempotency-Key", "must be 1 to 200 visible ASCII characters (a UUID is ideal)")
                .into_response());
        }
    };
    let Some(caller) = request.extensions().get::<Caller>().cloned() else {
        return Err(ApiError::internal(&"idempotency ran before the key check").into_response());
    };
    let storage_key = format!("{}:{client_key}", caller.grant.key_id);

    let (parts, body) = request.into_parts();
    let body = to_bytes(body, MAX_BODY_BYTES).await.map_err(|_| too_large().into_response())?;
    let request_hash = {
        let mut hasher = Sha256::new();
        hasher.update(parts.method.as_str().as_bytes());
        hasher.update(b"\n");
        hasher.update(parts.uri.path().as_bytes());
        hasher.update(b"\n");
        hasher.update(&body);
        hasher.finalize().iter().map(|byte| format!("{byte:02x}")).collect::<String>()
    };

    let now = Timestamp::now();
    let placeholder = IdempotencyRecord {
        key: storage_key.clone(),
        request_hash: request_hash.clone(),
        response_status: IN_FLIGHT,
        response_body: String::new(),
        created_at: now,
        expires_at: now + CLAIM_LEASE,
    };
    match app.db.idempotency_claim(&placeholder).await.map_err(|err| ApiError::from(err).into_response())? {
        Claim::Stored => {}
        Claim::Existing(record) => return Err(answer_existing(&record, &request_hash)),
    }

    let response = next.run(Request::from_parts(parts, Body::from(body))).await;
    if !response.status().is_success() {
        release(app, &storage_key).await;
        return Ok(response);
    }
    let (parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, usize::MAX).await else {
        release(app, &storage_key).await;
        return Err(ApiError::internal(&"could not read a response body").into_response());
    };
    let text = without_secret(&bytes);
    if let Err(err) = app.db.idempotency_complete(&storage_key, parts.status.as_u16(), &text, now + KEEP_FOR).await {
        // The answer stands (the key was made); only the replay is lost. The claim's placeholder
        // stays for its lease, so a retry within it gets 409 rather than a second key.
        tracing::warn!(%err, "could not store an idempotent answer");
    }
    Ok(Response::from_parts(parts, Body::from(bytes)))
}

/// The field of a key creation or rotation answer that holds the new key in clear.
const SECRET_FIELD: &str = "api_key";

/// The answer as it is stored for replay: a JSON object loses its [`SECRET_FIELD`]; anything
/// else is kept as it is.
fn without_secret(body: &[u8]) -> String {
    match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(serde_json::Value::Object(mut fields)) if fields.contains_key(SECRET_FIELD) => {
            fields.remove(SECRET_FIELD);
            serde_json::Value::Object(fields).to_string()
        }
        _ => String::from_utf8_lossy(body).into_owned(),
    }
}

/// The answer for a key that has a record already: the stored answer, or 409.
fn answer_existing(record: &IdempotencyRecord, request_hash: &str) -> Response {
    if record.request_hash != request_hash {
        return ApiError::new(
            ProblemCode::Conflict,
            "This Idempotency-Key was used with a different request in the last 24 hours; use a new key for a new request.",
        )
        .into_response();
    }
    if record.response_status == IN_FLIGHT {
        return ApiError::new(
            ProblemCode::Conflict,
            "A request with this Idempotency-Key is still being processed; retry in a moment.",
        )
        .into_response();
    }
    let status = StatusCode::from_u16(record.response_status).unwrap_or(StatusCode::OK);
    let mut response = (status, record.response_body.clone()).into_response();
    response.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response.headers_mut().insert("idempotent-replayed", HeaderValue::from_static("true"));
    response
}

async fn release(app: &App, storage_key: &str) {
    if let Err(err) = app.db.idempotency_release(storage_key).await {
        tracing::warn!(%err, "could not release an idempotency claim; it expires in 24 h");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_answer_never_holds_the_key_in_clear() {
        let created = br#"{"id":"k1","api_key":"nk_live_secret","name":"retry me"}"#;
        let stored = without_secret(created);
        assert!(!stored.contains("nk_live_secret"), "{stored}");
        assert_eq!(serde_json::from_str::<serde_json::Value>(&stored).unwrap()["id"], "k1");
        assert_eq!(without_secret(br#"{"id":"u1"}"#), r#"{"id":"u1"}"#);
        assert_eq!(without_secret(b"not json"), "not json");
    }
}
