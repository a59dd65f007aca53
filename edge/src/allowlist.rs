//! The edge's copy of the allow-list (DESIGN.md §4), and every decision about it, without I/O.
//!
//! The glue keeps one [`AllowlistState`] per isolate. It asks [`AllowlistState::should_refresh`]
//! whether to call the origin (`GET /internal/v1/allowlist` with `If-None-Match`), at most once per
//! TTL whether the call works or not, and reports the outcome ([`refreshed`](AllowlistState::refreshed),
//! [`confirmed`](AllowlistState::confirmed), [`refresh_failed`](AllowlistState::refresh_failed)).
//! A copy the origin has not confirmed for longer than [`STALE_IF_ERROR`] is no longer used.
//! A key missing from the copy is looked up at the origin at most once per key per TTL; the miss
//! is remembered ([`AllowlistState::looked_up`]).

use std::collections::HashMap;

use jiff::{SignedDuration, Timestamp};
use noesis_core::keys::{Allowlist, Grant, KeyHash};
use serde::{Deserialize, Serialize};

/// How long a copy the origin no longer confirms is still used (stale-if-error): 24 h.
pub const STALE_IF_ERROR: SignedDuration = SignedDuration::from_hours(24);

/// How many remembered lookups (misses and on-demand finds) an isolate keeps at most; past it the
/// expired ones are dropped, then all of them.
const MAX_LOOKUPS: usize = 10_000;

/// What the edge stores in Workers KV: the last allow-list the origin sent, its ETag, and when
/// the origin sent or confirmed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    pub etag: String,
    pub fetched_at: Timestamp,
    pub allowlist: Allowlist,
}

/// How usable the copy is at an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Freshness {
    /// No copy at all.
    Empty,
    /// Confirmed by the origin within the TTL.
    Fresh,
    /// Older than the TTL, within [`STALE_IF_ERROR`]: used while the origin cannot be reached.
    Stale,
    /// Older than [`STALE_IF_ERROR`]: not used.
    Expired,
}

/// What the copy says about one key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lookup<'a> {
    Found(&'a Grant),
    /// Looked up at the origin within the TTL and not found there.
    Unknown,
    /// Not in the copy and not looked up within the TTL: ask the origin.
    AskOrigin,
    /// No usable copy: the edge cannot tell a valid key from a made-up one.
    Unavailable,
}

/// The allow-list as one isolate holds it.
#[derive(Debug, Clone, Default)]
pub struct AllowlistState {
    grants: HashMap<KeyHash, Grant>,
    etag: Option<String>,
    /// When the origin last sent or confirmed (304) the copy.
    fetched_at: Option<Timestamp>,
    /// When the origin was last asked, whatever came of it.
    attempted_at: Option<Timestamp>,
    /// On-demand lookups: when each key was asked for, and the grant if the origin had one.
    lookups: HashMap<KeyHash, (Timestamp, Option<Grant>)>,
}

impl AllowlistState {
    /// The ETag to send as `If-None-Match`, if there is a copy.
    pub fn etag(&self) -> Option<&str> {
        self.etag.as_deref()
    }

    pub fn fetched_at(&self) -> Option<Timestamp> {
        self.fetched_at
    }

    /// How many keys the copy holds.
    pub fn len(&self) -> usize {
        self.grants.len()
    }

    pub fn is_empty(&self) -> bool {
        self.grants.is_empty()
    }

    pub fn freshness(&self, now: Timestamp, ttl: SignedDuration) -> Freshness {
        match self.fetched_at {
            None => Freshness::Empty,
            Some(at) if now.duration_since(at) < ttl => Freshness::Fresh,
            Some(at) if now.duration_since(at) <= STALE_IF_ERROR => Freshness::Stale,
            Some(_) => Freshness::Expired,
        }
    }

    /// Whether to ask the origin now: the copy is older than the TTL and the origin was not asked
    /// within the TTL (so an origin that is down costs one call per TTL, not one per request).
    pub fn should_refresh(&self, now: Timestamp, ttl: SignedDuration) -> bool {
        let older = |at: Option<Timestamp>| at.is_none_or(|at| now.duration_since(at) >= ttl);
        older(self.fetched_at) && older(self.attempted_at)
    }

    /// Takes a snapshot (from KV) when it is newer than the copy held.
    pub fn adopt(&mut self, snapshot: Snapshot) -> bool {
        if self.fetched_at.is_some_and(|at| at >= snapshot.fetched_at) {
            return false;
        }
        let Snapshot { etag, fetched_at, allowlist } = snapshot;
        self.replace(allowlist, etag, fetched_at);
        true
    }

    /// The origin sent a new list (200).
    pub fn refreshed(&mut self, allowlist: Allowlist, etag: String, now: Timestamp) {
        self.attempted_at = Some(now);
        self.replace(allowlist, etag, now);
    }

    /// The origin said the copy is current (304).
    pub fn confirmed(&mut self, now: Timestamp) {
        self.attempted_at = Some(now);
        if self.etag.is_some() {
            self.fetched_at = Some(now);
        }
    }

    /// The origin could not be asked, or answered something unusable.
    pub fn refresh_failed(&mut self, now: Timestamp) {
        self.attempted_at = Some(now);
    }

    /// The copy as KV keeps it.
    pub fn snapshot(&self) -> Option<Snapshot> {
        let mut keys: Vec<Grant> = self.grants.values().cloned().collect();
        keys.sort_by_key(|grant| grant.key_id);
        Some(Snapshot {
            etag: self.etag.clone()?,
            fetched_at: self.fetched_at?,
            allowlist: Allowlist { generated_at: self.fetched_at?, keys },
        })
    }

    /// What the copy says about the key with this hash.
    pub fn lookup(&self, hash: &KeyHash, now: Timestamp, ttl: SignedDuration) -> Lookup<'_> {
        if matches!(self.freshness(now, ttl), Freshness::Empty | Freshness::Expired) {
            return Lookup::Unavailable;
        }
        if let Some(grant) = self.grants.get(hash) {
            return Lookup::Found(grant);
        }
        match self.lookups.get(hash) {
            Some((at, grant)) if now.duration_since(*at) < ttl => grant.as_ref().map_or(Lookup::Unknown, Lookup::Found),
            _ => Lookup::AskOrigin,
        }
    }

    /// Records the origin's answer to an on-demand lookup (`None`: no such active key).
    pub fn looked_up(&mut self, hash: KeyHash, grant: Option<Grant>, now: Timestamp) {
        if self.lookups.len() >= MAX_LOOKUPS {
            self.lookups.retain(|_, (at, _)| now.duration_since(*at) < SignedDuration::from_hours(1));
            if self.lookups.len() >= MAX_LOOKUPS {
                self.lookups.clear();
            }
        }
        self.lookups.insert(hash, (now, grant));
    }

    fn replace(&mut self, allowlist: Allowlist, etag: String, fetched_at: Timestamp) {
        self.grants = allowlist.keys.into_iter().map(|grant| (grant.key_hash, grant)).collect();
        self.etag = Some(etag);
        self.fetched_at = Some(fetched_at);
        // A new list answers for every key it holds; remembered misses keep their own TTL.
        self.lookups.retain(|hash, (_, grant)| grant.is_none() && !self.grants.contains_key(hash));
    }
}

#[cfg(test)]
mod tests {
    use noesis_core::keys::{ApiKey, Environment};

    use super::*;

    const TTL: SignedDuration = SignedDuration::from_secs(30);

    fn at(seconds: i64) -> Timestamp {
        Timestamp::from_second(1_800_000_000 + seconds).unwrap()
    }

    fn grant(seed: u8) -> Grant {
        let key = ApiKey::generate(Environment::Test, [seed; ApiKey::RANDOM_BYTES]);
        serde_json::from_value(serde_json::json!({
            "key_hash": key.hash(), "key_id": format!("67e55044-10b1-426f-9247-bb680e5fe0{seed:02x}"),
            "user_id": "0b6c1f0e-8d1f-4c38-9d49-1f2a3b4c5d6e", "tier": "free", "consciousness_level": 2,
            "scopes": ["engines"], "rate_limit_per_minute": 60, "expires_at": null, "revoked_at": null
        }))
        .unwrap()
    }

    fn loaded(now: Timestamp) -> AllowlistState {
        let mut state = AllowlistState::default();
        state.refreshed(Allowlist::new(now, vec![grant(1)]), "\"e1\"".into(), now);
        state
    }

    #[test]
    fn an_empty_state_refreshes_and_cannot_judge() {
        let state = AllowlistState::default();
        assert!(state.should_refresh(at(0), TTL));
        assert_eq!(state.freshness(at(0), TTL), Freshness::Empty);
        assert_eq!(state.lookup(&grant(1).key_hash, at(0), TTL), Lookup::Unavailable);
    }

    #[test]
    fn fresh_then_stale_then_expired() {
        let state = loaded(at(0));
        assert_eq!(state.freshness(at(29), TTL), Freshness::Fresh);
        assert_eq!(state.freshness(at(30), TTL), Freshness::Stale);
        assert_eq!(state.freshness(at(24 * 3600), TTL), Freshness::Stale);
        assert_eq!(state.freshness(at(24 * 3600 + 1), TTL), Freshness::Expired);
        assert_eq!(state.lookup(&grant(1).key_hash, at(24 * 3600 + 1), TTL), Lookup::Unavailable);
        assert!(matches!(state.lookup(&grant(1).key_hash, at(3600), TTL), Lookup::Found(_)));
    }

    #[test]
    fn the_origin_is_asked_at_most_once_per_ttl_even_when_down() {
        let mut state = loaded(at(0));
        assert!(!state.should_refresh(at(29), TTL));
        assert!(state.should_refresh(at(30), TTL));
        state.refresh_failed(at(30));
        assert!(!state.should_refresh(at(59), TTL));
        assert!(state.should_refresh(at(60), TTL));
        state.confirmed(at(60));
        assert_eq!(state.freshness(at(61), TTL), Freshness::Fresh);
        assert_eq!(state.etag(), Some("\"e1\""));
    }

    #[test]
    fn unknown_keys_are_asked_once_per_ttl_and_found_ones_kept() {
        let mut state = loaded(at(0));
        let stranger = grant(2);
        assert_eq!(state.lookup(&stranger.key_hash, at(1), TTL), Lookup::AskOrigin);
        state.looked_up(stranger.key_hash, None, at(1));
        assert_eq!(state.lookup(&stranger.key_hash, at(30), TTL), Lookup::Unknown);
        assert_eq!(state.lookup(&stranger.key_hash, at(31), TTL), Lookup::AskOrigin);
        state.looked_up(stranger.key_hash, Some(stranger.clone()), at(31));
        assert_eq!(state.lookup(&stranger.key_hash, at(32), TTL), Lookup::Found(&stranger));
    }

    #[test]
    fn a_new_list_drops_revoked_keys_and_snapshots_round_trip() {
        let mut state = loaded(at(0));
        state.refreshed(Allowlist::new(at(40), vec![]), "\"e2\"".into(), at(40));
        assert_eq!(state.lookup(&grant(1).key_hash, at(41), TTL), Lookup::AskOrigin);

        let snapshot = loaded(at(100)).snapshot().unwrap();
        assert!(state.adopt(snapshot.clone()));
        assert!(!state.adopt(snapshot));
        assert_eq!(state.len(), 1);
        assert_eq!(state.etag(), Some("\"e1\""));
    }
}
