//! Property tests over what a hostile client controls: key text, the allow-list document, every
//! engine's options, the request id, and the rate-limit window arithmetic. The fuzz targets
//! (`fuzz/`) look for crashes in the same places; these state what must hold for every input.

use jiff::{SignedDuration, Timestamp};
use noesis_core::engines::{Level, ProblemCode, ServedBy, registry};
use noesis_core::http::rate_limit::{RateDecision, WINDOW_MS, window};
use noesis_core::http::request_id::{MAX_LEN, RequestId};
use noesis_core::keys::{
    Allowlist, ApiKey, Environment, Grant, KeyFormatError, KeyHash, KeyId, Scope, Scopes, Tier, presented_key,
};
use proptest::prelude::*;
use serde_json::{Value, json};

const BASE62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

fn environment() -> impl Strategy<Value = Environment> {
    prop_oneof![Just(Environment::Live), Just(Environment::Test)]
}

fn random_bytes() -> impl Strategy<Value = [u8; ApiKey::RANDOM_BYTES]> {
    proptest::collection::vec(any::<u8>(), ApiKey::RANDOM_BYTES).prop_map(|bytes| bytes.try_into().unwrap())
}

/// Any JSON value, nested a few levels, with the strings a hostile client would send.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        prop_oneof![Just(-1e308), Just(1e308), Just(-0.0), Just(0.5), Just(1e-300)].prop_map(Value::from),
        ".{0,24}".prop_map(Value::String),
        prop_oneof![
            Just("' OR 1=1 --"),
            Just("\"; DROP TABLE users; --"),
            Just("\0"),
            Just("\u{201c}quoted\u{201d}"),
            Just("svg"),
            Just("earlier"),
            Just("4.2"),
            Just("1991-08-13"),
        ]
        .prop_map(|s| Value::String(s.to_owned())),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::btree_map("[a-z_]{1,12}", inner, 0..5)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn a_generated_key_parses_back_to_itself(environment in environment(), random in random_bytes()) {
        let key = ApiKey::generate(environment, random);
        let text = key.expose_secret();
        prop_assert_eq!(text.len(), ApiKey::LEN);
        prop_assert!(text.starts_with(environment.prefix()));
        let parsed = ApiKey::parse(text).unwrap();
        prop_assert_eq!(parsed.hash(), key.hash());
        prop_assert_eq!(parsed.environment(), environment);
        prop_assert_eq!(KeyHash::from_hex(&key.hash().to_string()).unwrap(), key.hash());
    }

    #[test]
    fn any_one_character_changed_is_refused_by_the_checksum(
        random in random_bytes(),
        position in 8..ApiKey::LEN,
        replacement in 0..BASE62.len(),
    ) {
        let key = ApiKey::generate(Environment::Live, random);
        let mut bytes = key.expose_secret().as_bytes().to_vec();
        let new = BASE62[replacement];
        prop_assume!(bytes[position] != new);
        bytes[position] = new;
        let altered = String::from_utf8(bytes).unwrap();
        prop_assert_eq!(ApiKey::parse(&altered).unwrap_err(), KeyFormatError::Checksum);
    }

    #[test]
    fn any_two_neighbours_swapped_are_refused(random in random_bytes(), position in 8..ApiKey::LEN - 1) {
        let key = ApiKey::generate(Environment::Test, random);
        let mut bytes = key.expose_secret().as_bytes().to_vec();
        prop_assume!(bytes[position] != bytes[position + 1]);
        bytes.swap(position, position + 1);
        prop_assert!(ApiKey::parse(&String::from_utf8(bytes).unwrap()).is_err());
    }

    #[test]
    fn any_header_value_is_taken_or_refused_as_unauthorized(
        authorization in proptest::option::of(proptest::collection::vec(any::<u8>(), 0..80)),
        x_api_key in proptest::option::of(proptest::collection::vec(any::<u8>(), 0..80)),
    ) {
        match presented_key(authorization.as_deref(), x_api_key.as_deref()) {
            Ok(key) => {
                prop_assert_eq!(key, key.trim());
                if let Err(err) = ApiKey::parse(key) {
                    prop_assert_eq!(noesis_core::keys::malformed_key(err).code, ProblemCode::Unauthorized);
                }
            }
            Err(err) => prop_assert_eq!(err.code, ProblemCode::Unauthorized),
        }
    }

    #[test]
    fn an_allowlist_round_trips_and_its_etag_ignores_order_and_time(
        grants in proptest::collection::vec(grant(), 0..8),
        at in 0i64..4_000_000_000,
        later in 1i64..1_000_000,
    ) {
        let generated_at = Timestamp::from_second(at).unwrap();
        let list = Allowlist::new(generated_at, grants.clone());
        let read: Allowlist = serde_json::from_str(&serde_json::to_string(&list).unwrap()).unwrap();
        prop_assert_eq!(&read, &list);
        let reversed = Allowlist::new(generated_at + SignedDuration::from_secs(later), grants.into_iter().rev().collect());
        prop_assert_eq!(reversed.etag(), list.etag());
    }

    #[test]
    fn a_request_id_out_is_always_a_safe_header_value(value in proptest::option::of(any::<String>())) {
        let fresh = || RequestId::from_uuid(7);
        let id = RequestId::from_header(value.as_deref(), fresh);
        let out = id.as_str();
        prop_assert!((1..=MAX_LEN).contains(&out.len()));
        prop_assert!(out.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-')));
        if id != fresh() {
            prop_assert_eq!(Some(out), value.as_deref());
        }
    }

    #[test]
    fn a_request_id_with_a_control_or_non_ascii_character_is_replaced(
        head in "[a-z]{0,10}",
        bad in prop_oneof![Just('\r'), Just('\n'), Just('\0'), Just(' '), Just(':'), Just('\u{e9}'), Just('\u{202e}')],
        tail in "[a-z]{0,10}",
    ) {
        let value = format!("{head}{bad}{tail}");
        prop_assert_eq!(RequestId::from_header(Some(&value), || RequestId::from_uuid(7)), RequestId::from_uuid(7));
    }

    #[test]
    fn the_window_holds_the_instant_and_ends_within_a_minute(ms in -377_705_116_800_000i64..253_402_207_200_000) {
        let now = Timestamp::from_millisecond(ms).unwrap();
        let (minute, left) = window(now);
        prop_assert!((1..=WINDOW_MS).contains(&left));
        prop_assert!(minute * WINDOW_MS <= ms && ms < (minute + 1) * WINDOW_MS);
        prop_assert_eq!(ms + left, (minute + 1) * WINDOW_MS);
    }

    #[test]
    fn a_decision_is_consistent(count in 0u64..=u64::MAX, limit in 0u32..=u32::MAX, left_ms in 1i64..=WINDOW_MS) {
        let decision = RateDecision::of_count(count, limit, left_ms);
        prop_assert_eq!(decision.allowed, count <= u64::from(limit));
        prop_assert!(decision.remaining <= limit);
        prop_assert!((1..=60).contains(&decision.reset_after_seconds));
        let headers = decision.headers();
        prop_assert_eq!(headers.iter().any(|(name, _)| *name == "Retry-After"), !decision.allowed);
    }
}

fn grant() -> impl Strategy<Value = Grant> {
    (
        any::<[u8; 32]>(),
        any::<[u8; 16]>(),
        any::<u128>(),
        0..Tier::ALL.len(),
        0u8..=5,
        0u8..8,
        any::<u32>(),
        proptest::option::of(0i64..4_000_000_000),
        proptest::option::of(0i64..4_000_000_000),
    )
        .prop_map(|(hash, id, user, tier, level, scopes, limit, expires, revoked)| Grant {
            key_hash: KeyHash::from_bytes(hash),
            key_id: KeyId::from_random_bytes(id),
            user_id: uuid::Uuid::from_u128(user),
            tier: Tier::ALL[tier],
            consciousness_level: Level::new(level).unwrap(),
            scopes: Scope::ALL
                .into_iter()
                .enumerate()
                .filter(|(i, _)| scopes & (1 << i) != 0)
                .map(|(_, s)| s)
                .collect::<Scopes>(),
            rate_limit_per_minute: limit,
            expires_at: expires.map(|s| Timestamp::from_second(s).unwrap()),
            revoked_at: revoked.map(|s| Timestamp::from_second(s).unwrap()),
        })
}

/// A request every engine answers, to which one option is then set.
fn base_request(engine_id: &str) -> Value {
    if engine_id == "face-reading" {
        let mut mesh = vec![json!([0.5, 0.5, 0.0]); 468];
        // The 21 points the engine measures (mesh indices), outlining an ordinary long face.
        let points = [
            (10, 0.5, 0.10),
            (9, 0.5, 0.25),
            (2, 0.5, 0.50),
            (152, 0.5, 0.80),
            (234, 0.25, 0.40),
            (454, 0.75, 0.40),
            (172, 0.33, 0.70),
            (397, 0.67, 0.70),
            (54, 0.30, 0.15),
            (284, 0.70, 0.15),
            (1, 0.5, 0.45),
            (33, 0.30, 0.30),
            (133, 0.37, 0.30),
            (362, 0.63, 0.30),
            (263, 0.70, 0.30),
            (0, 0.5, 0.60),
            (17, 0.5, 0.64),
            (61, 0.42, 0.62),
            (291, 0.58, 0.62),
            (129, 0.45, 0.47),
            (358, 0.55, 0.47),
        ];
        for (index, x, y) in points {
            mesh[index] = json!([x, y, 0.01]);
        }
        return json!({"options": {"landmarks": mesh}});
    }
    json!({
        "birth_data": {"name": "Asha Rao", "date": "1991-08-13", "time": "13:31", "timezone": "Asia/Kolkata",
                       "latitude": 12.9716, "longitude": 77.5946},
        "current_time": "2026-11-25T07:30:00Z",
        "location": {"latitude": 12.9716, "longitude": 77.5946, "timezone": "Asia/Kolkata"},
        "options": {}
    })
}

/// The top-level option names an engine documents, and `fold`, which every request may carry.
fn option_names(engine_id: &str) -> Vec<String> {
    let engine = registry::find(engine_id).unwrap();
    let mut names: Vec<String> = engine
        .meta()
        .inputs
        .iter()
        .filter_map(|input| input.field.strip_prefix("options."))
        .map(|rest| rest.split('.').next().unwrap_or(rest).to_owned())
        .collect();
    names.push("fold".to_owned());
    names.sort();
    names.dedup();
    names
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// Any value under any option an engine reads, or under a name it does not, never panics:
    /// the engine answers, or refuses with a 4xx, and a refusal with a validation error names
    /// that option among its fields.
    #[test]
    fn every_engines_options_validate_or_name_the_field(
        engine in 0..registry::all().len(),
        pick in any::<prop::sample::Index>(),
        stranger in "[a-z_]{1,10}",
        use_stranger in prop::bool::weighted(0.1),
        value in json_value(),
    ) {
        let id = registry::all()[engine].meta().id;
        let names = option_names(id);
        let name = if use_stranger { stranger } else { pick.get(&names).clone() };
        let mut request = base_request(id);
        request["options"][&name] = value;
        let body = serde_json::to_vec(&request).unwrap();
        let now: Timestamp = "2026-11-25T07:40:00Z".parse().unwrap();
        match registry::calculate(id, &body, Level::MAX, now, ServedBy::Origin) {
            Ok(response) => prop_assert_eq!(response.engine_id, id),
            Err(err) => {
                prop_assert_eq!(err.code, ProblemCode::ValidationError, "{}: {}", id, err);
                let prefix = format!("options.{name}");
                prop_assert!(
                    err.errors.iter().any(|e| e.field == prefix || e.field.starts_with(&format!("{prefix}."))
                        || e.field.starts_with(&format!("{prefix}["))),
                    "{}: a refusal of options.{} names {:?}", id, name, err.errors
                );
            }
        }
    }
}
