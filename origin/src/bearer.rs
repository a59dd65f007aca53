//! Checking a shared secret sent as `Authorization: Bearer <secret>`: the edge's
//! `NOESIS_EDGE_SECRET` on `/internal/*`, `METRICS_TOKEN` on `/metrics`.
//!
//! Both sides are hashed with SHA-256 and the digests compared in constant time, so neither the
//! secret's bytes nor its length can be learnt from how long a refusal takes.

use axum::http::HeaderMap;
use axum::http::header::AUTHORIZATION;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::config::Secret;

/// Whether the request carries `Authorization: Bearer <secret>`.
pub fn presents(headers: &HeaderMap, secret: &Secret) -> bool {
    let Some(sent) = headers.get(AUTHORIZATION).and_then(|value| value.to_str().ok()) else { return false };
    let Some((scheme, token)) = sent.trim().split_once(' ') else { return false };
    if !scheme.eq_ignore_ascii_case("bearer") {
        return false;
    }
    let sent = Sha256::digest(token.trim().as_bytes());
    let expected = Sha256::digest(secret.expose().as_bytes());
    sent.as_slice().ct_eq(expected.as_slice()).into()
}
