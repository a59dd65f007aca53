//! The admin routes (`/api/v1/admin/…`), for keys with the `admin` scope: keys, users, usage.
//!
//! Every POST here honours `Idempotency-Key` (see [`crate::idempotency`]), so a create retried
//! after a timeout never makes two keys.

pub mod keys;
pub mod usage;
pub mod users;

use noesis_core::engines::{ApiError as CoreError, FieldError};
use serde::Deserialize;

use crate::error::ApiError;
use crate::storage::PageCursor;

/// The page size of listings when `limit` is not given, and the most a page holds.
const DEFAULT_PAGE: u32 = 50;
const MAX_PAGE: u32 = 200;

/// `?cursor=&limit=` of a listing.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct PageQuery {
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Items per page, 1 to 200 (default 50).
    pub limit: Option<u32>,
}

impl PageQuery {
    /// The cursor and page size, or a 422 naming the query parameter at fault.
    pub fn read(&self) -> Result<(Option<PageCursor>, u32), ApiError> {
        let cursor = match &self.cursor {
            None => None,
            Some(text) => Some(text.parse::<PageCursor>().map_err(|err| invalid("cursor", err.to_string()))?),
        };
        let limit = match self.limit {
            None => DEFAULT_PAGE,
            Some(limit) if (1..=MAX_PAGE).contains(&limit) => limit,
            Some(_) => return Err(invalid("limit", format!("must be from 1 to {MAX_PAGE}"))),
        };
        Ok((cursor, limit))
    }
}

/// 422 `VALIDATION_ERROR` for one field.
pub fn invalid(field: &str, message: impl Into<String>) -> ApiError {
    ApiError(CoreError::validation(vec![FieldError::new(field, message)]))
}

/// A name or label: trimmed, 1 to 200 characters, no control characters.
pub fn check_name(field: &str, text: &str) -> Result<String, ApiError> {
    let text = text.trim();
    if text.is_empty() || text.chars().count() > 200 || text.chars().any(char::is_control) {
        return Err(invalid(field, "must be 1 to 200 characters, without control characters"));
    }
    Ok(text.to_owned())
}

/// Query strings are parsed by axum's `Query`; its rejection becomes a 422 like a body's.
pub fn query<T: serde::de::DeserializeOwned>(uri: &axum::http::Uri) -> Result<T, ApiError> {
    axum::extract::Query::<T>::try_from_uri(uri)
        .map(|query| query.0)
        .map_err(|rejection| invalid("query", rejection.body_text()))
}
