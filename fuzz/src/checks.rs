//! What each fuzz target checks, in one place: the fuzz targets (`fuzz/fuzz_targets/`) call these
//! functions, and `core/tests/fuzz_corpus.rs` includes this very file (`#[path]`) to replay the
//! kept corpus (`fuzz/corpus/<target>/`) on stable in `cargo test`, so a crash found once stays
//! found. Only `noesis_core`, `serde_json` and `jiff` are used, the crates a core test has.
//!
//! A check fails by panicking: a panic in the code under test, or an answer the API must never
//! give (a 5xx for a request, an id that is not a safe header value, a key that survives a typo).

use jiff::Timestamp;
use noesis_core::engines::{Level, ServedBy, registry};
use noesis_core::http::request_id::{MAX_LEN, RequestId};
use noesis_core::keys::{Allowlist, ApiKey, Environment, KeyHash, Scope, presented_key};
use noesis_core::workflows;

/// The request instant every check uses, so that a corpus file always means the same run.
pub fn fixed_now() -> Timestamp {
    Timestamp::from_second(1_795_590_000).expect("2026-11-25T07:00:00Z is a valid instant")
}

/// An input of the engine and workflow targets: a selector byte (which engine or workflow), a
/// level byte, then the request body as the route receives it. Shorter inputs select the first
/// with level 5 and an empty body.
pub fn split_selected(data: &[u8]) -> (usize, Level, &[u8]) {
    let selector = data.first().copied().unwrap_or(0);
    let level = data.get(1).map_or(5, |byte| byte % 6);
    let body = data.get(2..).unwrap_or(&[]);
    (usize::from(selector), Level::new(level).expect("0-5 is a level"), body)
}

/// Target `engine_request`: the body through `registry::calculate`, the path
/// `POST /api/v1/engines/{id}/calculate` runs at both tiers (parse, level check, validation,
/// cache key, calculation, envelope). Every engine id is reachable from the selector byte, so
/// every engine's options are fuzzed. Any answer but a 2xx or a 4xx problem is a failure, as is a
/// validation error that names no field.
pub fn engine_request(data: &[u8]) {
    let (selector, level, body) = split_selected(data);
    let engines = registry::all();
    let engine = engines[selector % engines.len()];
    let id = engine.meta().id;
    match registry::calculate(id, body, level, fixed_now(), ServedBy::Origin) {
        Ok(response) => {
            assert_eq!(response.engine_id, id);
            let json = serde_json::to_vec(&response).expect("an answer serialises");
            assert!(!json.is_empty());
        }
        Err(err) => {
            let status = err.code.status();
            assert!((400..500).contains(&status), "{id}: {status} {err}");
            if err.code == noesis_core::engines::ProblemCode::ValidationError {
                assert!(!err.errors.is_empty(), "{id}: a validation error names no field: {err}");
                assert!(err.errors.iter().all(|e| !e.message.is_empty()), "{id}: {err:?}");
            }
            let problem = err.to_problem(Some("fuzz"));
            serde_json::to_vec(&problem).expect("a problem serialises");
        }
    }
}

/// Target `workflow_request`: the body through the path of
/// `POST /api/v1/workflows/{id}/execute` (level check, parse, plan, every runnable engine,
/// synthesis). A refusal must be a 4xx; an engine that fails inside a workflow must fail with a
/// 4xx code too (an `INTERNAL` there is a bug the workflow would hide in a 200).
pub fn workflow_request(data: &[u8]) {
    let (selector, level, body) = split_selected(data);
    let all = workflows::all();
    let workflow = &all[selector % all.len()];
    let planned = workflow.check_level(level).and_then(|()| {
        let input = noesis_core::engines::request::parse_request(body, fixed_now())?;
        workflows::plan(workflow, input, level)
    });
    match planned {
        Ok(plan) => {
            let response = plan.run_sequentially(ServedBy::Origin);
            for failed in &response.failed {
                let status = failed.code.status();
                assert!((400..500).contains(&status), "{}: {} failed with {status}", workflow.id, failed.engine_id);
            }
            serde_json::to_vec(&response).expect("a workflow answer serialises");
        }
        Err(err) => {
            let status = err.code.status();
            assert!((400..500).contains(&status), "{}: {status} {err}", workflow.id);
        }
    }
}

/// Target `key_parsing`: the bytes as an `Authorization` header value and as an `X-API-Key`
/// value, through `presented_key` and `ApiKey::parse`, and as a stored hash through
/// `KeyHash::from_hex`. A refusal is always a 401 `UNAUTHORIZED`; a key that parses is 46
/// characters whose checksum no longer matches after any one-character change, and its text
/// never shows in `Display`/`Debug`. Inputs of 64 bytes or more also make a key from their first
/// 64 bytes, which must parse back to the same hash.
pub fn key_parsing(data: &[u8]) {
    for presented in [presented_key(Some(data), None), presented_key(None, Some(data))] {
        let text = match presented {
            Ok(text) => text,
            Err(err) => {
                assert_eq!(err.code.as_str(), "UNAUTHORIZED");
                continue;
            }
        };
        match ApiKey::parse(text) {
            Ok(key) => check_well_formed(&key),
            Err(err) => assert_eq!(noesis_core::keys::malformed_key(err).code.as_str(), "UNAUTHORIZED"),
        }
    }
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(hash) = KeyHash::from_hex(text) {
            assert_eq!(hash.to_string(), text.to_ascii_lowercase());
        }
        if let Ok(key) = ApiKey::parse(text) {
            check_well_formed(&key);
        }
    }
    if let Some(random) = data.get(..ApiKey::RANDOM_BYTES) {
        let random: [u8; ApiKey::RANDOM_BYTES] = random.try_into().expect("64 bytes");
        let environment = if data[0] & 1 == 0 { Environment::Live } else { Environment::Test };
        let key = ApiKey::generate(environment, random);
        let parsed = ApiKey::parse(key.expose_secret()).expect("a generated key parses");
        assert_eq!(parsed.hash(), key.hash());
        check_well_formed(&parsed);
    }
}

/// What holds for every key that parsed.
fn check_well_formed(key: &ApiKey) {
    let text = key.expose_secret();
    assert_eq!(text.len(), ApiKey::LEN);
    assert_eq!(key.display_prefix(), &text[..ApiKey::DISPLAY_PREFIX_LEN]);
    assert!(!format!("{key} {key:?}").contains(text), "a key shows its secret");
    // Any one character changed, within the body and checksum, is refused (the CRC guarantees it).
    let mut bytes = text.as_bytes().to_vec();
    for position in 8..ApiKey::LEN {
        let original = bytes[position];
        bytes[position] = if original == b'z' { b'0' } else { b'z' };
        let altered = std::str::from_utf8(&bytes).expect("ASCII");
        assert!(ApiKey::parse(altered).is_err(), "a key with character {} changed still parses", position + 1);
        bytes[position] = original;
    }
}

/// Target `allowlist_decode`: the bytes as the allow-list document (`GET /internal/v1/allowlist`)
/// through the core's decoder. A list that decodes re-encodes to the same list, has a stable
/// strong ETag, and every grant in it can be judged (admit, scopes) without a panic.
pub fn allowlist_decode(data: &[u8]) {
    let Ok(list) = serde_json::from_slice::<Allowlist>(data) else {
        return;
    };
    let etag = list.etag();
    assert!(etag.len() == 34 && etag.starts_with('"') && etag.ends_with('"'), "{etag}");
    let again: Allowlist = serde_json::from_slice(&serde_json::to_vec(&list).expect("encodes")).expect("re-decodes");
    assert_eq!(again, list);
    // The ETag ignores the order the grants came in. Key ids are unique in the database, so this
    // holds for every list the origin serves; with a repeated id the stable sort keeps the
    // arrival order of the twins, and so may the ETag (found by this target, harmless).
    let mut ids: Vec<_> = list.keys.iter().map(|grant| grant.key_id).collect();
    ids.sort();
    ids.dedup();
    if ids.len() == list.keys.len() {
        let sorted = Allowlist::new(list.generated_at, list.keys.clone());
        let reversed = Allowlist::new(list.generated_at, list.keys.iter().rev().cloned().collect());
        assert_eq!(reversed.etag(), sorted.etag());
    }
    for grant in &list.keys {
        for now in [fixed_now(), list.generated_at] {
            if let Err(err) = grant.admit(now) {
                assert_eq!(err.code.status(), 401);
            }
        }
        for scope in [Scope::Engines, Scope::Workflows, Scope::Admin] {
            if let Err(err) = grant.require(scope) {
                assert_eq!(err.code.status(), 403);
            }
        }
    }
}

/// Target `request_id`: the bytes as an `X-Request-Id` value. Whatever comes in, the id that
/// goes out is 1 to 128 characters of `A-Z a-z 0-9 . _ -` (a safe header value and log field),
/// and is the client's own exactly when that was already such a value.
pub fn request_id(data: &[u8]) {
    let fresh = || RequestId::from_uuid(0x0123_4567_89ab_4def_8123_4567_89ab_cdef);
    let text = std::str::from_utf8(data).ok();
    let lossy = String::from_utf8_lossy(data);
    for value in [text, Some(lossy.as_ref()), None] {
        let id = RequestId::from_header(value, fresh);
        let out = id.as_str();
        assert!((1..=MAX_LEN).contains(&out.len()), "{out:?}");
        assert!(out.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-')), "{out:?}");
        let kept = value.is_some_and(|value| RequestId::parse(value).is_some());
        if kept {
            assert_eq!(Some(out), value);
        } else {
            assert_eq!(id, fresh());
        }
    }
}
