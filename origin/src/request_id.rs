//! `X-Request-Id`: one identifier per request, chosen by the client or by us.

use std::fmt;

use axum::http::{HeaderName, HeaderValue};
use uuid::Uuid;

/// The header that carries the request id, in both directions.
pub const X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The longest request id accepted from a client.
const MAX_LEN: usize = 128;

/// A request id: 1 to 128 characters of `A-Z a-z 0-9 . _ -`.
///
/// A well-formed id from the client is kept, so its logs and ours line up; anything else is
/// replaced by a fresh UUID v4, so nothing a client sends reaches logs or headers unchecked.
///
/// ```
/// use noesis_origin::request_id::RequestId;
///
/// assert_eq!(RequestId::parse("req-42.a_b").unwrap().as_str(), "req-42.a_b");
/// assert!(RequestId::parse("has space").is_none());
/// assert_eq!(RequestId::generate().as_str().len(), 36);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestId(String);

impl RequestId {
    /// Accepts `value` if it is a well-formed request id.
    pub fn parse(value: &str) -> Option<RequestId> {
        let well_formed = (1..=MAX_LEN).contains(&value.len())
            && value.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
        well_formed.then(|| RequestId(value.to_owned()))
    }

    /// The client's id from a header value when well-formed, else a new one.
    pub fn from_header(value: Option<&HeaderValue>) -> RequestId {
        value.and_then(|value| value.to_str().ok()).and_then(RequestId::parse).unwrap_or_else(RequestId::generate)
    }

    /// A new random id (UUID v4, hyphenated, lower case).
    pub fn generate() -> RequestId {
        RequestId(Uuid::new_v4().to_string())
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The id as a header value.
    pub fn to_header_value(&self) -> HeaderValue {
        HeaderValue::from_str(&self.0).expect("a request id holds only ASCII letters, digits, '.', '_' and '-'")
    }
}

impl fmt::Display for RequestId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn well_formed_ids_are_kept() {
        for id in ["a", "0", "abc-DEF_123.x", &"x".repeat(128)] {
            assert_eq!(RequestId::parse(id).unwrap().as_str(), id);
        }
    }

    #[test]
    fn malformed_ids_are_refused() {
        for id in ["", " ", "a b", "a/b", "a\u{e9}", "a\nb", "a:b", &"x".repeat(129)] {
            assert!(RequestId::parse(id).is_none(), "{id:?}");
        }
    }

    #[test]
    fn a_malformed_header_gets_a_fresh_uuid() {
        let id = RequestId::from_header(Some(&HeaderValue::from_static("no spaces allowed")));
        assert!(Uuid::parse_str(id.as_str()).is_ok(), "{id}");
        let id = RequestId::from_header(None);
        assert!(Uuid::parse_str(id.as_str()).is_ok(), "{id}");
    }

    #[test]
    fn every_accepted_id_is_a_valid_header_value() {
        let id = RequestId::parse("A-z_0.9").unwrap();
        assert_eq!(id.to_header_value(), "A-z_0.9");
    }
}
