//! Where a request carries its key: `Authorization: Bearer <key>` first, else `X-API-Key: <key>`.
//! One function for both tiers, so the edge and the origin read the same headers alike and refuse
//! the same way. Each tier passes the raw header values its runtime gives it.

use super::{KeyFormatError, malformed_key, missing_key};
use crate::engines::{ApiError, ProblemCode};

/// The key as sent, from the raw values of `Authorization` and `X-API-Key` (absent: `None`).
///
/// `Authorization` wins when both are present. Its scheme must be `Bearer` (any case); another
/// scheme is `UNAUTHORIZED`, as is a value that is not visible ASCII (it cannot be a key), and no
/// header at all ([`missing_key`]). The key is trimmed; its format is [`ApiKey::parse`]'s to judge.
///
/// [`ApiKey::parse`]: super::ApiKey::parse
///
/// ```
/// use noesis_core::keys::presented_key;
///
/// assert_eq!(presented_key(Some(b"Bearer nk_test_abc"), None).unwrap(), "nk_test_abc");
/// assert_eq!(presented_key(None, Some(b" nk_test_abc ")).unwrap(), "nk_test_abc");
/// assert_eq!(presented_key(Some(b"Basic eDp5"), None).unwrap_err().code.as_str(), "UNAUTHORIZED");
/// assert_eq!(presented_key(None, None).unwrap_err().code.as_str(), "UNAUTHORIZED");
/// ```
pub fn presented_key<'a>(authorization: Option<&'a [u8]>, x_api_key: Option<&'a [u8]>) -> Result<&'a str, ApiError> {
    if let Some(value) = authorization {
        let value = header_text(value)?;
        let (scheme, key) = value.trim().split_once(' ').unwrap_or((value, ""));
        if !scheme.eq_ignore_ascii_case("bearer") {
            return Err(ApiError::new(
                ProblemCode::Unauthorized,
                "The Authorization header must use the Bearer scheme: `Authorization: Bearer nk_live_…`.",
            ));
        }
        return Ok(key.trim());
    }
    match x_api_key {
        Some(value) => Ok(header_text(value)?.trim()),
        None => Err(missing_key()),
    }
}

/// A header value as text, on the rule of `http::HeaderValue::to_str`: visible ASCII, space and tab.
fn header_text(value: &[u8]) -> Result<&str, ApiError> {
    let visible = value.iter().all(|&byte| byte == b'\t' || (b' '..=b'~').contains(&byte));
    match std::str::from_utf8(value) {
        Ok(text) if visible => Ok(text),
        _ => Err(malformed_key(KeyFormatError::Prefix)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_wins_over_x_api_key() {
        assert_eq!(presented_key(Some(b"bearer  k1 "), Some(b"k2")).unwrap(), "k1");
    }

    #[test]
    fn a_bearer_without_a_key_is_empty_for_the_parser_to_refuse() {
        assert_eq!(presented_key(Some(b"Bearer"), None).unwrap(), "");
    }

    #[test]
    fn non_ascii_values_are_malformed_keys() {
        let err = presented_key(None, Some("nk_test_\u{e9}".as_bytes())).unwrap_err();
        assert_eq!(err.code, ProblemCode::Unauthorized);
        assert_eq!(err, malformed_key(KeyFormatError::Prefix));
        assert!(presented_key(Some(b"Bearer \x01"), None).is_err());
    }

    #[test]
    fn other_schemes_are_refused() {
        let err = presented_key(Some(b"Token nk_test_x"), Some(b"nk_test_x")).unwrap_err();
        assert!(err.detail.contains("Bearer"));
    }
}
