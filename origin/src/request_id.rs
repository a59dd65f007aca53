//! `X-Request-Id` at the origin. The rule, and so the ids the origin keeps, is the core's
//! ([`noesis_core::http::request_id`]), the same as the edge's; here are the header types of
//! axum and the randomness for a fresh id.

use axum::http::{HeaderName, HeaderValue};
use noesis_core::http::request_id::{self, RequestId};
use uuid::Uuid;

/// The header that carries the request id, in both directions.
pub const X_REQUEST_ID: HeaderName = HeaderName::from_static(request_id::X_REQUEST_ID);

/// A new random id (UUID v4, hyphenated, lower case).
///
/// ```
/// assert_eq!(noesis_origin::request_id::generate().as_str().len(), 36);
/// ```
pub fn generate() -> RequestId {
    RequestId::from_uuid(Uuid::new_v4().as_u128())
}

/// The client's id from a header value when well-formed, else a new one.
pub fn from_header(value: Option<&HeaderValue>) -> RequestId {
    RequestId::from_header(value.and_then(|value| value.to_str().ok()), generate)
}

/// The id as a header value.
pub fn header_value(id: &RequestId) -> HeaderValue {
    HeaderValue::from_str(id.as_str()).expect("a request id holds only ASCII letters, digits, '.', '_' and '-'")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_malformed_header_gets_a_fresh_uuid() {
        let id = from_header(Some(&HeaderValue::from_static("no spaces allowed")));
        assert!(Uuid::parse_str(id.as_str()).is_ok(), "{id}");
        let id = from_header(None);
        assert!(Uuid::parse_str(id.as_str()).is_ok(), "{id}");
    }

    #[test]
    fn a_well_formed_header_is_kept() {
        assert_eq!(from_header(Some(&HeaderValue::from_static("req-42.a_b"))).as_str(), "req-42.a_b");
    }

    #[test]
    fn every_accepted_id_is_a_valid_header_value() {
        let id = RequestId::parse("A-z_0.9").unwrap();
        assert_eq!(header_value(&id), "A-z_0.9");
    }
}
