//! Issuing, rotating and describing keys: the one implementation behind both the admin routes
//! and `noesis-origin keys`, so a key made from the command line is made exactly as one made
//! over HTTP.

use jiff::{SignedDuration, Timestamp};
use noesis_core::engines::Level;
use noesis_core::keys::{ApiKey, Environment, Grant, KeyHash, KeyId, Scopes, Tier};
use serde::Serialize;
use uuid::Uuid;

use crate::storage::{Database, NewKey, NewUser, Rotated, Rotation, StorageError, StoredKey, User};

/// The grace period of a rotation when the admin gives none: a day, time enough to redeploy
/// the clients with the new key.
pub const DEFAULT_ROTATION_GRACE: SignedDuration = SignedDuration::from_hours(24);

/// The longest grace period a rotation accepts: 30 days.
pub const MAX_ROTATION_GRACE_SECONDS: u64 = 30 * 24 * 3600;

/// Why a key could not be issued.
#[derive(Debug, thiserror::Error)]
pub enum IssueError {
    /// The database refused or was away.
    #[error(transparent)]
    Storage(#[from] StorageError),
    /// The OS random number generator failed.
    #[error("could not read the OS random number generator: {0}")]
    Random(String),
}

/// What a new key is to be.
#[derive(Debug, Clone)]
pub struct KeySpec {
    pub user_id: Uuid,
    pub name: String,
    pub tier: Tier,
    pub level: Level,
    pub scopes: Scopes,
    /// Requests per minute; `None` takes the tier's default.
    pub rate_limit_per_minute: Option<u32>,
    pub expires_at: Option<Timestamp>,
    /// `nk_live_` or `nk_test_`.
    pub environment: Environment,
}

/// A fresh key from 64 bytes of the OS CSPRNG.
fn fresh_key(environment: Environment) -> Result<ApiKey, IssueError> {
    let mut random = [0u8; ApiKey::RANDOM_BYTES];
    getrandom::fill(&mut random).map_err(|err| IssueError::Random(err.to_string()))?;
    Ok(ApiKey::generate(environment, random))
}

fn new_key(spec: &KeySpec, key: &ApiKey, rotated_from: Option<Uuid>, actor: &str) -> NewKey {
    NewKey {
        user_id: spec.user_id,
        name: spec.name.clone(),
        key_hash: key.hash().to_string(),
        prefix: key.display_prefix().to_string(),
        tier: spec.tier.as_str().to_string(),
        consciousness_level: spec.level.get(),
        scopes: spec.scopes.iter().map(|scope| scope.as_str().to_string()).collect(),
        rate_limit_per_minute: spec.rate_limit_per_minute.unwrap_or(spec.tier.default_rate_limit_per_minute()),
        expires_at: spec.expires_at,
        rotated_from,
        actor: actor.to_string(),
    }
}

/// Issues a key: only its hash and display prefix are stored; the key itself is returned, to
/// be shown once.
pub async fn issue(db: &Database, spec: &KeySpec, actor: &str) -> Result<(ApiKey, StoredKey), IssueError> {
    let key = fresh_key(spec.environment)?;
    let stored = db.create_key(&new_key(spec, &key, None, actor)).await?;
    Ok((key, stored))
}

/// The owner of keys made without one named: the command line's default and the bootstrap
/// admin's. Created on first use.
pub const DEFAULT_OWNER: &str = "admin@localhost";

/// Makes the key whose SHA-256 is `hash` (`NOESIS_ADMIN_BOOTSTRAP`) an admin key, unless a key
/// with that hash exists already (revoked or not: a revoked bootstrap key stays revoked).
/// Returns whether it was created. The key itself was never here: its prefix is unknown, so it
/// is listed as `bootstrap`.
pub async fn ensure_bootstrap_admin(db: &Database, hash: &KeyHash) -> Result<bool, StorageError> {
    if db.key_by_hash(&hash.to_string()).await?.is_some() {
        return Ok(false);
    }
    let owner = owner_by_email(db, DEFAULT_OWNER, Tier::Enterprise).await?;
    let key = NewKey {
        user_id: owner.id,
        name: "bootstrap admin".to_string(),
        key_hash: hash.to_string(),
        prefix: "bootstrap".to_string(),
        tier: Tier::Enterprise.as_str().to_string(),
        consciousness_level: Level::MAX.get(),
        scopes: Scopes::ALL.iter().map(|scope| scope.as_str().to_string()).collect(),
        rate_limit_per_minute: Tier::Enterprise.default_rate_limit_per_minute(),
        expires_at: None,
        rotated_from: None,
        actor: "bootstrap".to_string(),
    };
    match db.create_key(&key).await {
        Ok(_) => Ok(true),
        // Another replica made it at the same moment.
        Err(StorageError::Duplicate(_)) => Ok(false),
        Err(err) => Err(err),
    }
}

/// What a rotation made.
#[derive(Debug)]
pub enum RotationOutcome {
    /// The new key, and until when the old one still works.
    Rotated {
        key: ApiKey,
        stored: Box<StoredKey>,
        previous_valid_until: Timestamp,
    },
    NotFound,
    /// The old key is revoked, or already rotated (its revocation is scheduled).
    AlreadyRevoked(Timestamp),
}

/// Rotates `key_id`: a new key with the same owner, name, tier, level, scopes, limit and expiry,
/// and the old one revoked at `now + grace`.
pub async fn rotate(
    db: &Database,
    key_id: Uuid,
    grace: SignedDuration,
    now: Timestamp,
    actor: &str,
) -> Result<RotationOutcome, IssueError> {
    let Some(old) = db.key_by_id(key_id).await? else { return Ok(RotationOutcome::NotFound) };
    let spec = spec_of(&old)?;
    let environment =
        if old.prefix.starts_with(Environment::Test.prefix()) { Environment::Test } else { Environment::Live };
    let key = fresh_key(environment)?;
    let grace_until = now.checked_add(grace).unwrap_or(now);
    let rotation = Rotation {
        old_key_id: key_id,
        new_key: new_key(&spec, &key, Some(key_id), actor),
        grace_until,
        actor: actor.to_string(),
    };
    Ok(match db.rotate_key(&rotation).await? {
        Rotated::Done { new_key, previous_valid_until } => {
            RotationOutcome::Rotated { key, stored: Box::new(new_key), previous_valid_until }
        }
        Rotated::NotFound => RotationOutcome::NotFound,
        Rotated::AlreadyRevoked(at) => RotationOutcome::AlreadyRevoked(at),
    })
}

/// The spec a stored key was made from (for a rotation's replacement).
fn spec_of(key: &StoredKey) -> Result<KeySpec, StorageError> {
    let grant = grant_of(key)?;
    Ok(KeySpec {
        user_id: key.user_id,
        name: key.name.clone(),
        tier: grant.tier,
        level: grant.consciousness_level,
        scopes: grant.scopes,
        rate_limit_per_minute: Some(key.rate_limit_per_minute),
        expires_at: key.expires_at,
        environment: Environment::Live,
    })
}

/// A stored key as the grant the edge and the auth check judge it by. A stored value the
/// domain types refuse is [`StorageError::Corrupt`]: the schema's CHECKs should make it impossible.
pub fn grant_of(key: &StoredKey) -> Result<Grant, StorageError> {
    let corrupt = |what: &str| StorageError::Corrupt(format!("api_keys.{what} of key {}", key.id));
    Ok(Grant {
        key_hash: KeyHash::from_hex(&key.key_hash).map_err(|_| corrupt("key_hash"))?,
        key_id: KeyId::parse(&key.id.as_hyphenated().to_string()).map_err(|_| corrupt("id"))?,
        user_id: key.user_id,
        tier: key.tier.parse().map_err(|_| corrupt("tier"))?,
        consciousness_level: Level::new(key.consciousness_level).ok_or_else(|| corrupt("consciousness_level"))?,
        scopes: key.scopes.join(",").parse().map_err(|_| corrupt("scopes"))?,
        rate_limit_per_minute: key.rate_limit_per_minute,
        expires_at: key.expires_at,
        revoked_at: key.revoked_at,
    })
}

/// The user with `email`, created on `tier` when there is none (a concurrent creation is
/// found, not duplicated).
pub async fn owner_by_email(db: &Database, email: &str, tier: Tier) -> Result<User, StorageError> {
    if let Some(user) = db.find_user_by_email(email).await? {
        return Ok(user);
    }
    let name = email.split('@').next().unwrap_or(email).to_string();
    let new = NewUser { email: email.to_string(), name, tier: tier.as_str().to_string() };
    match db.create_user(&new).await {
        Ok(user) => Ok(user),
        Err(StorageError::Duplicate(what)) => db.find_user_by_email(email).await?.ok_or(StorageError::Duplicate(what)),
        Err(err) => Err(err),
    }
}

/// An email address as accepted for a user: trimmed, `local@domain`, no spaces, at most 254
/// characters. Deliverability is the admin's business; this only refuses what cannot be one.
pub fn check_email(text: &str) -> Result<String, String> {
    let text = text.trim();
    match text.split_once('@') {
        Some((local, domain))
            if !local.is_empty()
                && !domain.is_empty()
                && text.len() <= 254
                && !text.chars().any(|c| c.is_whitespace() || c.is_control()) =>
        {
            Ok(text.to_string())
        }
        _ => Err(format!("`{text}` is not an email address")),
    }
}

/// A key's listing fields (DESIGN §2): never its secret or hash.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct KeyView {
    pub key_id: Uuid,
    /// The first 12 characters of the key, to recognise it by.
    pub prefix: String,
    pub name: String,
    pub user_id: Uuid,
    /// `free`, `premium` or `enterprise`.
    pub tier: String,
    pub consciousness_level: u8,
    /// `engines`, `workflows`, `admin`.
    pub scopes: Vec<String>,
    pub rate_limit_per_minute: u32,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub expires_at: Option<Timestamp>,
    /// When the key was or will be revoked (a rotation schedules the old key's revocation).
    #[schema(value_type = Option<String>, format = DateTime)]
    pub revoked_at: Option<Timestamp>,
    pub revoked_reason: Option<String>,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub last_used_at: Option<Timestamp>,
    /// The key this one replaced, when it was made by a rotation.
    pub rotated_from: Option<Uuid>,
    /// Request counts, where the listing asked for them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub usage: Option<KeyUsage>,
}

/// A key's request counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct KeyUsage {
    /// Every request logged for the key.
    pub requests_total: u64,
    /// Requests in the last 30 days.
    pub requests_30d: u64,
}

impl KeyView {
    /// The listing fields of `key`, with its usage when known.
    pub fn of(key: &StoredKey, usage: Option<KeyUsage>) -> KeyView {
        KeyView {
            key_id: key.id,
            prefix: key.prefix.clone(),
            name: key.name.clone(),
            user_id: key.user_id,
            tier: key.tier.clone(),
            consciousness_level: key.consciousness_level,
            scopes: key.scopes.clone(),
            rate_limit_per_minute: key.rate_limit_per_minute,
            created_at: key.created_at,
            expires_at: key.expires_at,
            revoked_at: key.revoked_at,
            revoked_reason: key.revoked_reason.clone(),
            last_used_at: key.last_used_at,
            rotated_from: key.rotated_from,
            usage,
        }
    }
}
