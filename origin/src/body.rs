//! Request bodies: the content type, the size limit and JSON parsing, each refused with the
//! design's problem (415, 413, 400, 422) rather than axum's plain-text rejections.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::header::CONTENT_TYPE;
use noesis_core::engines::{ApiError as CoreError, FieldError, ProblemCode};
use noesis_core::http::media_type;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// The largest body any route accepts: 64 KiB (an engine request is well under 2 KiB).
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// A request body that is JSON by its `Content-Type` and within [`MAX_BODY_BYTES`], not yet parsed.
///
/// An empty body is accepted without a content type and reads as `{}`, so that
/// `POST …/revoke` needs no body when it has nothing to say.
#[derive(Debug, Clone)]
pub struct JsonBody(pub Bytes);

impl<S: Send + Sync> FromRequest<S> for JsonBody {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<JsonBody, ApiError> {
        let content_type = request.headers().get(CONTENT_TYPE).map(|value| value.to_str().unwrap_or("?").to_owned());
        let bytes = Bytes::from_request(request, state).await.map_err(|rejection| {
            if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                too_large()
            } else {
                ApiError(CoreError::new(ProblemCode::MalformedJson, "The request body could not be read."))
            }
        })?;
        match media_type::json_body(content_type.as_deref(), &bytes) {
            Ok(json) if json.len() == bytes.len() => Ok(JsonBody(bytes)),
            Ok(json) => Ok(JsonBody(Bytes::copy_from_slice(json))),
            Err(refusal) => Err(ApiError(refusal)),
        }
    }
}

impl JsonBody {
    /// Parses the body as `T`: not JSON at all is 400 `MALFORMED_JSON`; JSON of the wrong shape is
    /// 422 `VALIDATION_ERROR` naming the field (as `key.name`, `items[2]`).
    pub fn parse<T: DeserializeOwned>(&self) -> Result<T, ApiError> {
        let value: serde_json::Value = serde_json::from_slice(&self.0).map_err(|err| {
            ApiError(CoreError::new(
                ProblemCode::MalformedJson,
                format!("The body is not valid JSON (line {}, column {}).", err.line(), err.column()),
            ))
        })?;
        serde_path_to_error::deserialize(value).map_err(|err| {
            let path = err.path().to_string();
            let field = if path == "." { String::new() } else { path };
            // serde's messages name types and expectations, never values: safe to return.
            let message = err.into_inner().to_string();
            let (field, message) = match message.strip_prefix("missing field `") {
                Some(rest) => {
                    let name = rest.split('`').next().unwrap_or_default();
                    (
                        if field.is_empty() { name.to_owned() } else { format!("{field}.{name}") },
                        "is required".to_owned(),
                    )
                }
                None => (field, message),
            };
            ApiError(CoreError::validation(vec![FieldError::new(field, message)]))
        })
    }
}

/// 413 `PAYLOAD_TOO_LARGE`.
pub fn too_large() -> ApiError {
    ApiError(CoreError::new(
        ProblemCode::PayloadTooLarge,
        format!("The body is larger than the {} KiB this API accepts.", MAX_BODY_BYTES / 1024),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Named {
        name: String,
        tier: Option<u8>,
    }

    #[test]
    fn shape_errors_name_the_field() {
        let err = JsonBody(Bytes::from_static(br#"{"tier": 1}"#)).parse::<Named>().unwrap_err();
        assert_eq!(err.0.code, ProblemCode::ValidationError);
        assert_eq!(err.0.errors[0].field, "name");
        let err = JsonBody(Bytes::from_static(br#"{"name": "a", "tier": "x"}"#)).parse::<Named>().unwrap_err();
        assert_eq!(err.0.errors[0].field, "tier");
        let err = JsonBody(Bytes::from_static(b"{nope")).parse::<Named>().unwrap_err();
        assert_eq!(err.0.code, ProblemCode::MalformedJson);
    }
}
