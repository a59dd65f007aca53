//! Which request bodies are JSON: one rule for both tiers, so the edge and the origin refuse
//! (415 `UNSUPPORTED_MEDIA_TYPE`) and accept exactly the same `Content-Type`s.

use crate::engines::{ApiError, ProblemCode};

/// `application/json`, or any `+json` type (`application/merge-patch+json`), with or without
/// parameters (`; charset=utf-8`), in any letter case.
pub fn is_json(media: &str) -> bool {
    let essence = media.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// The JSON text of a request body, given its `Content-Type` (`None`: no such header, or one
/// that is not text): the body itself when it is declared JSON; `{}` for an empty body with no
/// type (a bare `POST`); otherwise 415, naming what was sent.
pub fn json_body<'a>(content_type: Option<&str>, body: &'a [u8]) -> Result<&'a [u8], ApiError> {
    match content_type {
        None if body.is_empty() => Ok(b"{}"),
        Some(media) if is_json(media) => Ok(body),
        other => Err(ApiError::new(
            ProblemCode::UnsupportedMediaType,
            format!(
                "The body must be sent as Content-Type: application/json; this request sent {}.",
                other.map_or_else(|| "no Content-Type".to_owned(), |media| format!("{media:?}"))
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_media_types_are_recognised() {
        for media in
            ["application/json", "application/json; charset=utf-8", "Application/JSON", "application/merge-patch+json"]
        {
            assert!(is_json(media), "{media}");
        }
        for media in ["text/plain", "application/jsonx", "application/x-www-form-urlencoded", "json", ""] {
            assert!(!is_json(media), "{media}");
        }
    }

    #[test]
    fn a_body_without_a_json_type_is_refused_unless_empty() {
        assert_eq!(json_body(None, b"").unwrap(), b"{}");
        assert_eq!(json_body(Some("application/json"), b"{\"a\":1}").unwrap(), b"{\"a\":1}");
        let refused = json_body(None, b"{}").unwrap_err();
        assert_eq!(refused.code, ProblemCode::UnsupportedMediaType);
        assert!(refused.detail.contains("no Content-Type"), "{}", refused.detail);
        assert_eq!(json_body(Some("text/plain"), b"{}").unwrap_err().code, ProblemCode::UnsupportedMediaType);
    }
}
