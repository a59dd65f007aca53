//! `X-Request-Id` at the edge. The rule, and so the ids the edge keeps, is the core's
//! ([`noesis_core::http::request_id`]), the same as the origin's, so one id follows a request
//! through both tiers; the randomness for a fresh id is the Worker's own.

use noesis_core::http::request_id::RequestId;
use uuid::Uuid;

/// A new random id (UUID v4, hyphenated, lower case).
pub fn generate() -> RequestId {
    RequestId::from_uuid(Uuid::new_v4().as_u128())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_ids_are_replaced_by_a_uuid() {
        for id in ["", " ", "a b", "a/b", "a\u{e9}", "a\nb", "a:b", &"x".repeat(129)] {
            let replaced = RequestId::from_header(Some(id), generate);
            assert!(Uuid::parse_str(replaced.as_str()).is_ok(), "{id:?}");
        }
    }

    #[test]
    fn a_missing_header_gets_a_fresh_uuid() {
        let first = RequestId::from_header(None, generate);
        let second = RequestId::from_header(None, generate);
        assert_eq!(Uuid::parse_str(first.as_str()).map(|uuid| uuid.get_version_num()), Ok(4));
        assert_ne!(first, second);
    }

    #[test]
    fn a_generated_id_reads_as_the_uuid_it_was_made_from() {
        let uuid = Uuid::new_v4();
        assert_eq!(RequestId::from_uuid(uuid.as_u128()).as_str(), uuid.to_string());
    }
}
