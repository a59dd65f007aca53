//! A keyed request at the edge, judged by the same core code as at the origin: the key's
//! presence and format ([`noesis_core::keys::presented_key`], [`ApiKey::parse`], no lookup), then,
//! once the allow-list has answered, revocation, expiry and scope ([`Grant`]).

use jiff::Timestamp;
use noesis_core::engines::{ApiError, ProblemCode};
use noesis_core::keys::{self, ApiKey, Grant, KeyHash, Scope};

/// The hash of the presented key, or the refusal for a missing or malformed one.
pub fn presented_hash(authorization: Option<&str>, x_api_key: Option<&str>) -> Result<KeyHash, ApiError> {
    let presented = keys::presented_key(authorization.map(str::as_bytes), x_api_key.map(str::as_bytes))?;
    Ok(ApiKey::parse(presented).map_err(keys::malformed_key)?.hash())
}

/// The grant, judged at `now` for `scope`; `None` when no one issued the key.
pub fn judge(grant: Option<&Grant>, now: Timestamp, scope: Scope) -> Result<Grant, ApiError> {
    let grant = grant.ok_or_else(keys::unknown_key)?;
    grant.admit(now)?;
    grant.require(scope)?;
    Ok(grant.clone())
}

/// 503 `ORIGIN_UNAVAILABLE` for a key the edge cannot judge: no usable allow-list, and the origin
/// not answering.
pub fn cannot_judge() -> ApiError {
    ApiError::new(
        ProblemCode::OriginUnavailable,
        "API keys cannot be checked right now: the service behind the edge is unreachable. Try again shortly.",
    )
}

/// 429 `RATE_LIMITED`, worded as the origin's.
pub fn rate_limited(limit: u32, reset_after_seconds: u32) -> ApiError {
    ApiError::new(
        ProblemCode::RateLimited,
        format!("This key may make {limit} requests a minute; try again in {reset_after_seconds} s."),
    )
}

#[cfg(test)]
mod tests {
    use noesis_core::keys::Environment;

    use super::*;

    fn grant(scopes: &[&str], revoked_at: Option<&str>) -> Grant {
        let key = ApiKey::generate(Environment::Test, [3; ApiKey::RANDOM_BYTES]);
        serde_json::from_value(serde_json::json!({
            "key_hash": key.hash(), "key_id": "67e55044-10b1-426f-9247-bb680e5fe0c8",
            "user_id": "0b6c1f0e-8d1f-4c38-9d49-1f2a3b4c5d6e", "tier": "free", "consciousness_level": 0,
            "scopes": scopes, "rate_limit_per_minute": 60, "expires_at": null, "revoked_at": revoked_at
        }))
        .unwrap()
    }

    #[test]
    fn the_key_is_read_and_checked_without_a_lookup() {
        let key = ApiKey::generate(Environment::Test, [3; ApiKey::RANDOM_BYTES]);
        let bearer = format!("Bearer {}", key.expose_secret());
        assert_eq!(presented_hash(Some(&bearer), None).unwrap(), key.hash());
        assert_eq!(presented_hash(None, Some(key.expose_secret())).unwrap(), key.hash());
        assert_eq!(presented_hash(None, None).unwrap_err(), keys::missing_key());
        let garbage = presented_hash(None, Some("nk_test_garbage")).unwrap_err();
        assert_eq!(garbage.code, ProblemCode::Unauthorized);
        assert!(!garbage.detail.contains("garbage"));
    }

    #[test]
    fn grants_are_judged_as_at_the_origin() {
        let now: Timestamp = "2026-11-25T07:30:00Z".parse().unwrap();
        assert_eq!(judge(None, now, Scope::Engines).unwrap_err(), keys::unknown_key());
        assert!(judge(Some(&grant(&["engines"], None)), now, Scope::Engines).is_ok());
        assert_eq!(
            judge(Some(&grant(&["workflows"], None)), now, Scope::Engines).unwrap_err().code,
            ProblemCode::Forbidden
        );
        let revoked = grant(&["engines"], Some("2026-11-25T07:00:00Z"));
        assert_eq!(judge(Some(&revoked), now, Scope::Engines).unwrap_err().code, ProblemCode::KeyRevoked);
        assert_eq!(cannot_judge().code.status(), 503);
        assert_eq!(rate_limited(60, 5).code.status(), 429);
    }
}
