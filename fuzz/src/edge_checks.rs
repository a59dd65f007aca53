//! The edge's allow-list decoding, checked: the fuzz target `edge_allowlist` calls
//! [`edge_allowlist`], and `edge/tests/fuzz_corpus.rs` includes this file (`#[path]`) to replay the
//! kept corpus on stable. The edge reads three documents it does not write: the snapshot in
//! Workers KV, the allow-list from the origin, and one grant from an on-demand lookup (all in
//! `edge/src/glue.rs`, each with `serde_json`); whatever they hold, the isolate's state must take
//! them without a panic and answer for every key they name.

use jiff::{SignedDuration, Timestamp};
use noesis_core::keys::{Allowlist, Grant, Scope};
use noesis_edge::allowlist::{AllowlistState, Lookup, Snapshot};
use noesis_edge::keyed;

const TTL: SignedDuration = SignedDuration::from_secs(30);

/// Target `edge_allowlist`: the bytes as a KV snapshot, as an origin allow-list and as a grant.
pub fn edge_allowlist(data: &[u8]) {
    let now = Timestamp::from_second(1_795_590_000).expect("a valid instant");
    if let Ok(Ok(snapshot)) = std::str::from_utf8(data).map(serde_json::from_str::<Snapshot>) {
        let at = snapshot.fetched_at;
        let mut state = AllowlistState::default();
        assert!(state.adopt(snapshot.clone()), "an empty state adopts any snapshot");
        answers_for_every_key(&state, &snapshot.allowlist.keys, at);
        let again = state.snapshot().expect("a state that adopted has a snapshot");
        assert_eq!(again.etag, snapshot.etag);
        assert!(!state.adopt(again), "the same snapshot is not newer");
    }
    if let Ok(list) = serde_json::from_slice::<Allowlist>(data) {
        let mut state = AllowlistState::default();
        state.refreshed(list.clone(), list.etag(), now);
        answers_for_every_key(&state, &list.keys, now);
        let snapshot = state.snapshot().expect("a refreshed state has a snapshot");
        let text = serde_json::to_string(&snapshot).expect("a snapshot encodes");
        let read: Snapshot = serde_json::from_str(&text).expect("a snapshot re-decodes");
        assert_eq!(read, snapshot);
    }
    if let Ok(grant) = serde_json::from_slice::<Grant>(data) {
        let mut state = AllowlistState::default();
        state.refreshed(Allowlist::new(now, Vec::new()), "\"e\"".to_owned(), now);
        state.looked_up(grant.key_hash, Some(grant.clone()), now);
        answers_for_every_key(&state, std::slice::from_ref(&grant), now);
    }
}

/// Every key of `keys` is found, and judging it is an answer or a 401/403, never a panic.
fn answers_for_every_key(state: &AllowlistState, keys: &[Grant], now: Timestamp) {
    for grant in keys {
        let Lookup::Found(found) = state.lookup(&grant.key_hash, now, TTL) else {
            panic!("a key of the list is not found");
        };
        assert_eq!(found.key_hash, grant.key_hash);
        for scope in [Scope::Engines, Scope::Workflows, Scope::Admin] {
            if let Err(err) = keyed::judge(Some(found), now, scope) {
                assert!(matches!(err.code.status(), 401 | 403), "{err}");
            }
        }
    }
}
