//! What an active key allows, and the refusals both tiers answer with.
//!
//! A [`Grant`] is one entry of the allow-list the origin serves the edge (DESIGN.md §4) and what
//! the origin's own key cache holds, so the edge and the origin judge a key by the same code:
//! [`Grant::admit`] for revocation and expiry, [`Grant::require`] for scopes, and the engines'
//! own level check for levels. The refusals (`UNAUTHORIZED`, `KEY_REVOKED`, `KEY_EXPIRED`,
//! `FORBIDDEN`) are worded here once.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{KeyFormatError, KeyHash, KeyId, Scope, Scopes, Tier};
use crate::engines::{ApiError, Level, ProblemCode};

/// An active key's rights, as the allow-list carries them. Never holds the key itself.
///
/// ```
/// use noesis_core::keys::{Grant, Scope};
/// use noesis_core::engines::ProblemCode;
///
/// let grant: Grant = serde_json::from_value(serde_json::json!({
///     "key_hash": "c94d03b3e34b47fe9289be1b5d6d7f5e03b23dd4f473686e123252d503b9c690",
///     "key_id": "67e55044-10b1-426f-9247-bb680e5fe0c8",
///     "user_id": "0b6c1f0e-8d1f-4c38-9d49-1f2a3b4c5d6e",
///     "tier": "free", "consciousness_level": 2, "scopes": ["engines"],
///     "rate_limit_per_minute": 60, "expires_at": "2027-01-01T00:00:00Z", "revoked_at": null
/// })).unwrap();
/// assert!(grant.admit("2026-11-25T07:30:00Z".parse().unwrap()).is_ok());
/// assert_eq!(grant.admit("2027-01-01T00:00:00Z".parse().unwrap()).unwrap_err().code, ProblemCode::KeyExpired);
/// assert_eq!(grant.require(Scope::Admin).unwrap_err().code, ProblemCode::Forbidden);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    /// SHA-256 of the key: what a presented key is looked up by.
    pub key_hash: KeyHash,
    pub key_id: KeyId,
    /// The key's owner, for usage accounting.
    pub user_id: Uuid,
    pub tier: Tier,
    pub consciousness_level: Level,
    pub scopes: Scopes,
    pub rate_limit_per_minute: u32,
    /// When the key stops working, if ever.
    pub expires_at: Option<Timestamp>,
    /// When the key is (or was) revoked. In the allow-list only a revocation still to come
    /// appears: the end of a rotation's grace period.
    pub revoked_at: Option<Timestamp>,
}

impl Grant {
    /// Whether the key works at `now`: `KEY_REVOKED` from its revocation instant on, then
    /// `KEY_EXPIRED` from its expiry on (a key both revoked and expired is reported revoked,
    /// the act an admin took).
    pub fn admit(&self, now: Timestamp) -> Result<(), ApiError> {
        if let Some(revoked_at) = self.revoked_at
            && revoked_at <= now
        {
            return Err(ApiError::new(
                ProblemCode::KeyRevoked,
                format!("This API key was revoked at {revoked_at}; ask for a new one."),
            ));
        }
        if let Some(expires_at) = self.expires_at
            && expires_at <= now
        {
            return Err(ApiError::new(
                ProblemCode::KeyExpired,
                format!("This API key expired at {expires_at}; ask for a new one."),
            ));
        }
        Ok(())
    }

    /// `FORBIDDEN` unless the key has `scope`.
    pub fn require(&self, scope: Scope) -> Result<(), ApiError> {
        if self.scopes.contains(scope) {
            return Ok(());
        }
        Err(ApiError::new(
            ProblemCode::Forbidden,
            format!("This API key does not have the `{scope}` scope; its scopes are: {}.", self.scopes),
        ))
    }
}

/// `UNAUTHORIZED`: no key in `Authorization: Bearer …` or `X-API-Key`.
pub fn missing_key() -> ApiError {
    ApiError::new(
        ProblemCode::Unauthorized,
        "This route needs an API key, sent as `Authorization: Bearer nk_live_…` or `X-API-Key: nk_live_…`.",
    )
}

/// `UNAUTHORIZED`: the presented text is not a well-formed key (said without repeating it).
pub fn malformed_key(err: KeyFormatError) -> ApiError {
    ApiError::new(ProblemCode::Unauthorized, err.to_string())
}

/// `UNAUTHORIZED`: a well-formed key that no one issued (or that was deleted).
pub fn unknown_key() -> ApiError {
    ApiError::new(ProblemCode::Unauthorized, "This API key is not known; check that it was copied whole.")
}
