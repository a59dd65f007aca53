//! The scrubbing rules of everything sent to Sentry or PostHog, from either half.
//!
//! - A field whose name contains one of [`SECRET_NAMES`] (`authorization`, `cookie`, `x-api-key`,
//!   `api_key`, `password`, `secret`, `token`, `dsn`, `birth`) is removed with its value, at any
//!   depth.
//! - In every remaining string, API keys (`nk_live_…`, `nk_test_…`) and bearer tokens are
//!   replaced by [`REDACTED`] ([`redact`]).
//!
//! Birth data has no recognisable shape inside free text, so the senders never put request
//! bodies, query strings or headers into an event in the first place; the field rule is the
//! second line of defence.

use std::borrow::Cow;

use serde_json::Value;

/// What a redacted secret is replaced with.
pub const REDACTED: &str = "[redacted]";

/// Parts of field names whose values are never sent (compared case-insensitively).
pub const SECRET_NAMES: [&str; 9] =
    ["authorization", "cookie", "x-api-key", "api_key", "password", "secret", "token", "dsn", "birth"];

/// The prefixes of Noesis API keys.
const KEY_PREFIXES: [&str; 2] = ["nk_live_", "nk_test_"];

/// Whether the value of a field called `name` is never sent.
///
/// ```
/// use noesis_core::observability::scrub::is_secret_name;
/// assert!(is_secret_name("Authorization") && is_secret_name("birth_date") && is_secret_name("X-API-Key"));
/// assert!(!is_secret_name("engine_id"));
/// ```
pub fn is_secret_name(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    SECRET_NAMES.iter().any(|secret| name.contains(secret))
}

/// `text` with API keys (`nk_live_…`, `nk_test_…`) and bearer tokens replaced by `[redacted]`.
///
/// ```
/// use noesis_core::observability::scrub::redact;
/// assert_eq!(redact("key nk_live_AbC123 failed"), "key [redacted] failed");
/// assert_eq!(redact("Authorization: Bearer abc.def"), "Authorization: Bearer [redacted]");
/// assert_eq!(redact("nothing here"), "nothing here");
/// ```
pub fn redact(text: &str) -> Cow<'_, str> {
    let lower = text.to_ascii_lowercase();
    if !KEY_PREFIXES.iter().any(|prefix| lower.contains(prefix)) && !lower.contains("bearer ") {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        let lower = rest.to_ascii_lowercase();
        let key = KEY_PREFIXES.iter().filter_map(|prefix| lower.find(prefix)).min();
        let bearer = lower.find("bearer ").map(|at| at + "bearer ".len());
        let (start, token_start) = match (key, bearer) {
            // A bearer token that is itself a key is redacted as a key.
            (Some(k), Some(b)) if b < k => (b, b),
            (Some(k), _) => (k, k + "nk_live_".len()),
            (None, Some(b)) => (b, b),
            (None, None) => break,
        };
        let is_bearer = bearer == Some(start) && key != Some(start);
        // A bearer token runs to the next separator; a key is base62 after its prefix.
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

/// Applies both rules to a JSON value in place: secret-named fields removed at any depth, keys
/// and tokens redacted in every string.
///
/// ```
/// use noesis_core::observability::scrub::scrub_json;
/// let mut event = serde_json::json!({"message": "nk_test_abc1 refused", "extra": {"birth_date": "1990-01-01"}});
/// scrub_json(&mut event);
/// assert_eq!(event, serde_json::json!({"message": "[redacted] refused", "extra": {}}));
/// ```
pub fn scrub_json(value: &mut Value) {
    match value {
        Value::String(text) => {
            if let Cow::Owned(redacted) = redact(text) {
                *text = redacted;
            }
        }
        Value::Array(items) => items.iter_mut().for_each(scrub_json),
        Value::Object(fields) => {
            fields.retain(|name, _| !is_secret_name(name));
            fields.values_mut().for_each(scrub_json);
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_tokens_are_redacted() {
        assert_eq!(redact("nk_test_abc and NK_LIVE_Z9."), "[redacted] and [redacted].");
        assert_eq!(redact("bearer tok, more"), "bearer [redacted], more");
        assert_eq!(redact("nk_live_"), "[redacted]");
        assert_eq!(redact("Bearer nk_live_x1"), "Bearer [redacted]");
    }

    #[test]
    fn secret_fields_go_at_any_depth() {
        let mut value =
            serde_json::json!([{"Cookie": "a", "tags": {"api_key": "k", "route": "/x"}, "SENTRY_DSN": "d"}]);
        scrub_json(&mut value);
        assert_eq!(value, serde_json::json!([{"tags": {"route": "/x"}}]));
    }
}
