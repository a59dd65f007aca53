//! `X-Request-Id` at the edge: the same rule as the origin's, so one id follows a request
//! through both tiers.

use std::fmt;

use uuid::Uuid;

/// The header that carries the request id, in both directions.
pub const X_REQUEST_ID: &str = "X-Request-Id";

/// The longest request id accepted from a client.
const MAX_LEN: usize = 128;

/// A request id: 1 to 128 characters of `A-Z a-z 0-9 . _ -`.
///
/// A well-formed id from the client is kept; anything else is replaced by a fresh UUID v4.
///
/// ```
/// use noesis_edge::request_id::RequestId;
///
/// assert_eq!(RequestId::from_header(Some("abc-1")).as_str(), "abc-1");
/// assert_ne!(RequestId::from_header(Some("a b")).as_str(), "a b");
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

    /// The client's id from the header's value when well-formed, else a new one.
    pub fn from_header(value: Option<&str>) -> RequestId {
        value.and_then(RequestId::parse).unwrap_or_else(RequestId::generate)
    }

    /// A new random id (UUID v4, hyphenated, lower case).
    pub fn generate() -> RequestId {
        RequestId(Uuid::new_v4().to_string())
    }

    /// The id as text; always a valid header value.
    pub fn as_str(&self) -> &str {
        &self.0
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
            assert_eq!(RequestId::from_header(Some(id)).as_str(), id);
        }
    }

    #[test]
    fn malformed_ids_are_replaced_by_a_uuid() {
        for id in ["", " ", "a b", "a/b", "a\u{e9}", "a\nb", "a:b", &"x".repeat(129)] {
            assert!(RequestId::parse(id).is_none(), "{id:?}");
            let replaced = RequestId::from_header(Some(id));
            assert!(Uuid::parse_str(replaced.as_str()).is_ok(), "{id:?}");
        }
    }

    #[test]
    fn a_missing_header_gets_a_fresh_uuid() {
        let first = RequestId::from_header(None);
        let second = RequestId::from_header(None);
        assert!(Uuid::parse_str(first.as_str()).is_ok());
        assert_ne!(first, second);
    }
}
