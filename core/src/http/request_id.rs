//! `X-Request-Id`: one identifier per request, chosen by the client or by the tier that first sees
//! it, echoed on the response and carried in every problem and log line, so that the client's logs
//! and both tiers' line up.

use std::fmt;

/// The header that carries the request id, in both directions. Lower case, as HTTP/2 writes header
/// names and as `http::HeaderName::from_static` requires.
pub const X_REQUEST_ID: &str = "x-request-id";

/// The longest request id accepted from a client.
pub const MAX_LEN: usize = 128;

/// A request id: 1 to 128 characters of `A-Z a-z 0-9 . _ -`, so it is always a valid header
/// value and safe to write into logs.
///
/// A well-formed id from the client is kept; anything else is replaced by a fresh one, which the
/// tier makes from its own randomness (the core has none) with [`RequestId::from_uuid`].
///
/// ```
/// use noesis_core::http::request_id::RequestId;
///
/// assert_eq!(RequestId::parse("req-42.a_b").map(|id| id.to_string()), Some("req-42.a_b".to_owned()));
/// assert!(RequestId::parse("has space").is_none());
/// let fresh = || RequestId::from_uuid(0x0123_4567_89ab_4def_8123_4567_89ab_cdef);
/// assert_eq!(RequestId::from_header(Some("a/b"), fresh).as_str(), "01234567-89ab-4def-8123-456789abcdef");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RequestId(String);

impl RequestId {
    /// Accepts `value` if it is a well-formed request id.
    pub fn parse(value: &str) -> Option<RequestId> {
        let well_formed = (1..=MAX_LEN).contains(&value.len())
            && value.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
        well_formed.then(|| RequestId(value.to_owned()))
    }

    /// The id of a UUID given as its 128 bits (`uuid::Uuid::as_u128`): hyphenated, lower case.
    pub fn from_uuid(uuid: u128) -> RequestId {
        RequestId(format!(
            "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
            uuid >> 96,
            (uuid >> 80) & 0xffff,
            (uuid >> 64) & 0xffff,
            (uuid >> 48) & 0xffff,
            uuid & 0xffff_ffff_ffff
        ))
    }

    /// The client's id from the header's value when it is well-formed, else the one `fresh` makes.
    pub fn from_header(value: Option<&str>, fresh: impl FnOnce() -> RequestId) -> RequestId {
        value.and_then(RequestId::parse).unwrap_or_else(fresh)
    }

    /// The id as text.
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
            assert_eq!(RequestId::parse(id).map(|id| id.0), Some(id.to_owned()));
        }
    }

    #[test]
    fn malformed_ids_are_refused() {
        for id in ["", " ", "a b", "a/b", "a\u{e9}", "a\nb", "a:b", &"x".repeat(129)] {
            assert!(RequestId::parse(id).is_none(), "{id:?}");
        }
    }

    #[test]
    fn a_missing_or_malformed_header_gets_the_fresh_id() {
        let fresh = || RequestId("fresh".to_owned());
        assert_eq!(RequestId::from_header(Some("client.7"), fresh).as_str(), "client.7");
        assert_eq!(RequestId::from_header(Some("no spaces allowed"), fresh).as_str(), "fresh");
        assert_eq!(RequestId::from_header(None, fresh).as_str(), "fresh");
    }

    #[test]
    fn uuids_are_written_hyphenated_in_lower_case_and_are_well_formed() {
        let id = RequestId::from_uuid(0xA1A2_A3A4_B1B2_C1C2_D1D2_D3D4_D5D6_D7D8);
        assert_eq!(id.as_str(), "a1a2a3a4-b1b2-c1c2-d1d2-d3d4d5d6d7d8");
        assert_eq!(RequestId::from_uuid(0).as_str(), "00000000-0000-0000-0000-000000000000");
        assert_eq!(RequestId::parse(id.as_str()), Some(id));
    }
}
