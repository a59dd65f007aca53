//! The API key contract (DESIGN §2 "Authentication", `docs/keys.md`): what is accepted, what is
//! refused and how, what is stored, and that the secret never shows where it should not.

use noesis_core::keys::{ApiKey, Environment, KeyFormatError, KeyHash};
use proptest::prelude::*;

const LIVE_KEY: &str = "nk_live_bKLaMqUiIawolD691iK8Ufvf9Ncn7q8d0b1Llq";
const TEST_KEY: &str = "nk_test_RxnvOf5LFQW8jES7aPVEzqA5lO3MW8I347fWaQ";
const BASE62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

fn environment() -> impl Strategy<Value = Environment> {
    prop_oneof![Just(Environment::Live), Just(Environment::Test)]
}

fn random_key() -> impl Strategy<Value = ApiKey> {
    (environment(), prop::array::uniform::<_, { ApiKey::RANDOM_BYTES }>(any::<u8>()))
        .prop_map(|(environment, random)| ApiKey::generate(environment, random))
}

fn with_char_at(text: &str, position: usize, replacement: char) -> String {
    text.chars().enumerate().map(|(i, c)| if i == position { replacement } else { c }).collect()
}

#[test]
fn a_valid_key_is_accepted_with_its_environment() {
    let live = ApiKey::parse(LIVE_KEY).expect("a valid live key");
    assert_eq!(live.environment(), Environment::Live);
    assert_eq!(live.expose_secret(), LIVE_KEY);
    let test: ApiKey = TEST_KEY.parse().expect("a valid test key");
    assert_eq!(test.environment(), Environment::Test);
}

#[test]
fn a_wrong_prefix_is_refused_as_such() {
    for text in [
        "",
        "nk_",
        "nk_live",
        "NK_LIVE_bKLaMqUiIawolD691iK8Ufvf9Ncn7q8d0b1Llq",
        "sk_live_bKLaMqUiIawolD691iK8Ufvf9Ncn7q8d0b1Llq",
    ] {
        assert_eq!(ApiKey::parse(text).unwrap_err(), KeyFormatError::Prefix, "{text:?}");
    }
    // A test key's body behind a live key's prefix is not a live key: the prefix is checksummed.
    assert_eq!(ApiKey::parse(&LIVE_KEY.replace("live", "test")).unwrap_err(), KeyFormatError::Checksum);
}

#[test]
fn a_wrong_length_is_refused_as_such() {
    assert_eq!(ApiKey::parse("nk_live_").unwrap_err(), KeyFormatError::Length { found: 8 });
    assert_eq!(ApiKey::parse(&LIVE_KEY[..40]).unwrap_err(), KeyFormatError::Length { found: 40 });
    assert_eq!(ApiKey::parse(&format!("{LIVE_KEY}0")).unwrap_err(), KeyFormatError::Length { found: 47 });
}

#[test]
fn a_character_outside_base62_is_refused_as_such() {
    for (position, replacement) in [(8, '_'), (20, '-'), (39, '+'), (45, '/'), (30, ' '), (12, 'é'), (44, '\0')] {
        let text = with_char_at(LIVE_KEY, position, replacement);
        assert_eq!(
            ApiKey::parse(&text).unwrap_err(),
            KeyFormatError::Alphabet { position: position + 1 },
            "{replacement:?} at {position}"
        );
    }
}

#[test]
fn a_wrong_checksum_is_refused_as_such() {
    let text = format!("{}000000", &LIVE_KEY[..40]);
    assert_eq!(ApiKey::parse(&text).unwrap_err(), KeyFormatError::Checksum);
}

#[test]
fn every_refusal_says_what_is_wrong() {
    let messages = [
        KeyFormatError::Prefix,
        KeyFormatError::Alphabet { position: 9 },
        KeyFormatError::Length { found: 45 },
        KeyFormatError::Checksum,
    ]
    .map(|err| err.to_string());
    assert_eq!(
        messages,
        [
            "An API key starts with nk_live_ or nk_test_; this one does not.",
            "Character 9 of the API key is not a letter or digit (A-Z, a-z, 0-9).",
            "An API key is 46 characters long; this one has 45.",
            "The API key's checksum does not match: it was mistyped, altered or made up.",
        ]
    );
}

#[test]
fn the_stored_hash_is_the_sha_256_of_the_whole_key() {
    // Check values from `printf %s <key> | sha256sum`.
    let live = ApiKey::parse(LIVE_KEY).expect("a valid key");
    assert_eq!(live.hash().to_string(), "c94d03b3e34b47fe9289be1b5d6d7f5e03b23dd4f473686e123252d503b9c690");
    let test = ApiKey::parse(TEST_KEY).expect("a valid key");
    assert_eq!(test.hash().to_string(), "5626a0958176094911ace2f6b230631b9803012a209cb44f7b55697619b0097c");
    assert_ne!(live.hash(), test.hash());
    let stored: KeyHash = serde_json::from_value(serde_json::json!(live.hash().to_string())).expect("hex");
    assert_eq!(stored, live.hash());
}

#[test]
fn the_display_prefix_is_the_first_twelve_characters() {
    let key = ApiKey::parse(LIVE_KEY).expect("a valid key");
    assert_eq!(key.display_prefix(), "nk_live_bKLa");
    assert_eq!(key.display_prefix().len(), ApiKey::DISPLAY_PREFIX_LEN);
}

#[test]
fn debug_and_display_never_show_the_secret() {
    #[derive(Debug)]
    #[allow(dead_code)] // Only its Debug output is looked at.
    struct Request {
        key: ApiKey,
    }
    let key = ApiKey::parse(LIVE_KEY).expect("a valid key");
    let shown = [
        format!("{key}"),
        format!("{key:?}"),
        format!("{key:#?}"),
        format!("{:?}", Request { key: key.clone() }),
        format!("{:?}", Ok::<_, KeyFormatError>(key.clone())),
    ];
    for text in shown {
        assert!(text.contains("nk_live_bKLa…"), "{text}");
        assert!(!text.contains(&LIVE_KEY[12..]), "{text}");
        assert!(!text.contains("bKLaM"), "{text}");
    }
}

/// Pearson's chi-squared statistic of `counts` against equal expectations.
fn chi_squared(counts: &[u64]) -> f64 {
    let total: u64 = counts.iter().sum();
    let expected = total as f64 / counts.len() as f64;
    counts.iter().map(|&n| (n as f64 - expected).powi(2) / expected).sum()
}

/// SplitMix64 (Steele, Lea and Flood 2014): a fixed seed, so the test is the same on every run.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn bytes<const N: usize>(&mut self) -> [u8; N] {
        let mut out = [0; N];
        for chunk in out.chunks_mut(8) {
            chunk.copy_from_slice(&self.next().to_le_bytes()[..chunk.len()]);
        }
        out
    }
}

#[test]
fn generated_characters_show_no_bias() {
    const KEYS: usize = 20_000;
    let mut rng = SplitMix64(0x6E6B_5F6C_6976_655F);
    let digit = |byte: u8| BASE62.iter().position(|&d| d == byte).expect("a base62 digit");
    let mut overall = vec![0u64; 62];
    let mut by_position = vec![vec![0u64; 62]; 32];
    // The naive mapping, `byte % 62` per character, on the same random bytes: the test must see
    // its bias (the digits 0-7 come up 5 times in 256 instead of 4), or it proves nothing.
    let mut naive = vec![0u64; 62];
    for _ in 0..KEYS {
        let random = rng.bytes::<{ ApiKey::RANDOM_BYTES }>();
        let key = ApiKey::generate(Environment::Live, random);
        for (position, &byte) in key.expose_secret().as_bytes()[8..40].iter().enumerate() {
            overall[digit(byte)] += 1;
            by_position[position][digit(byte)] += 1;
        }
        for &byte in &random[..32] {
            naive[usize::from(byte % 62)] += 1;
        }
    }
    // Critical values at p = 0.001 (Wilson–Hilferty): 61 degrees of freedom 100.9, 32 × 61 = 1952
    // degrees of freedom 2152.
    let overall = chi_squared(&overall);
    assert!(overall < 100.9, "chi-squared over all characters {overall:.1}");
    let positions: f64 = by_position.iter().map(|counts| chi_squared(counts)).sum();
    assert!(positions < 2152.0, "chi-squared summed over positions {positions:.1}");
    let naive = chi_squared(&naive);
    assert!(naive > 1000.0, "the naive mapping went unnoticed: chi-squared {naive:.1}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn a_generated_key_parses_back_to_itself(key in random_key()) {
        let text = key.expose_secret();
        prop_assert_eq!(text.len(), ApiKey::LEN);
        prop_assert!(text.starts_with(key.environment().prefix()));
        let parsed = ApiKey::parse(text).expect("a generated key is valid");
        prop_assert_eq!(parsed.expose_secret(), text);
        prop_assert_eq!(parsed.environment(), key.environment());
        prop_assert_eq!(parsed.hash(), key.hash());
        prop_assert_eq!(parsed.display_prefix(), &text[..12]);
    }

    /// Every position after the prefix, every other base62 character: all 38 × 61 variants.
    #[test]
    fn every_single_character_change_is_refused_by_the_checksum(key in random_key()) {
        let text = key.expose_secret();
        for position in 8..ApiKey::LEN {
            for &replacement in BASE62 {
                if replacement == text.as_bytes()[position] {
                    continue;
                }
                let changed = with_char_at(text, position, char::from(replacement));
                prop_assert_eq!(ApiKey::parse(&changed).err(), Some(KeyFormatError::Checksum), "position {}", position);
            }
        }
    }

    #[test]
    fn any_change_anywhere_is_refused(key in random_key(), position in 0..ApiKey::LEN, replacement in any::<char>()) {
        let text = key.expose_secret();
        prop_assume!(text.chars().nth(position) != Some(replacement));
        prop_assert!(ApiKey::parse(&with_char_at(text, position, replacement)).is_err());
    }

    #[test]
    fn swapping_two_neighbours_is_refused(key in random_key(), position in 8..ApiKey::LEN - 1) {
        let mut bytes = key.expose_secret().as_bytes().to_vec();
        prop_assume!(bytes[position] != bytes[position + 1]);
        bytes.swap(position, position + 1);
        let swapped = String::from_utf8(bytes).expect("ASCII");
        prop_assert_eq!(ApiKey::parse(&swapped).err(), Some(KeyFormatError::Checksum));
    }

    /// Whatever is wrong with it, a refused key's body is in neither the message nor the Debug.
    #[test]
    fn no_refusal_repeats_the_key(
        key in random_key(),
        damage in 0..5usize,
        position in 8..ApiKey::LEN,
    ) {
        let text = key.expose_secret();
        let damaged = match damage {
            0 => text.replacen("nk_", "nK_", 1),
            1 => with_char_at(text, position, '-'),
            2 => text[..position].to_owned(),
            3 => format!("{text}{}", &text[8..]),
            _ => with_char_at(text, position, if text.as_bytes()[position] == b'0' { '1' } else { '0' }),
        };
        let err = ApiKey::parse(&damaged).expect_err("a damaged key is refused");
        for shown in [err.to_string(), format!("{err:?}")] {
            for window in text.as_bytes()[8..].windows(6) {
                let window = std::str::from_utf8(window).expect("ASCII");
                prop_assert!(!shown.contains(window), "{:?} shows {:?}", shown, window);
            }
        }
    }
}
