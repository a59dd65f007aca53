//! The timing of a key check, wrong in each way a guesser can be wrong (docs/security.md, "Timing
//! of key checks"):
//!
//! - `wrong_checksum/*`: the right prefix, alphabet and length, and a checksum that does not
//!   match (refused by `ApiKey::parse`: no hash, no lookup), off in the checksum's first or last
//!   character;
//! - `unknown_key/*`: a well-formed key no one issued (parse, SHA-256, a miss in a hash map of
//!   10 000 grants keyed by `KeyHash`, as the edge's allow-list copy holds them), off from an
//!   issued key in the body's first or last character;
//! - `known_key`: the issued key itself (the same steps, a hit);
//! - `hash_eq/*`: `KeyHash` equality, the comparison of hashes, with the hashes equal or
//!   differing in the first or last byte: constant time means the three agree.
//!
//! `cargo bench -p noesis-core --bench key_check`.

use std::collections::HashMap;
use std::hint::black_box;

use crc::{CRC_32_ISO_HDLC, Crc};
use criterion::{Criterion, criterion_group, criterion_main};
use noesis_core::keys::{ApiKey, Environment, KeyHash};

const BASE62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// `text` (a key's prefix and body) with its checksum appended, by the rule of docs/keys.md
/// written out independently (CRC-32/ISO-HDLC in 6 base62 digits); `ApiKey::parse` confirms it.
fn with_checksum(text: &str) -> String {
    let mut crc = Crc::<u32>::new(&CRC_32_ISO_HDLC).checksum(text.as_bytes());
    let mut digits = [b'0'; 6];
    for digit in digits.iter_mut().rev() {
        *digit = BASE62[(crc % 62) as usize];
        crc /= 62;
    }
    let key = format!("{text}{}", String::from_utf8(digits.to_vec()).unwrap());
    assert!(ApiKey::parse(&key).is_ok(), "{key}");
    key
}

/// `text` with the character at `position` replaced by another base62 digit.
fn altered(text: &str, position: usize) -> String {
    let mut bytes = text.as_bytes().to_vec();
    bytes[position] = if bytes[position] == b'0' { b'1' } else { b'0' };
    String::from_utf8(bytes).unwrap()
}

fn key_check(c: &mut Criterion) {
    let issued: Vec<ApiKey> = (0..10_000u32)
        .map(|i| {
            let random: [u8; ApiKey::RANDOM_BYTES] = std::array::from_fn(|j| (i >> (8 * (j % 4))) as u8 ^ j as u8);
            ApiKey::generate(Environment::Live, random)
        })
        .collect();
    let grants: HashMap<KeyHash, u32> = issued.iter().zip(0..).map(|(key, i)| (key.hash(), i)).collect();
    let check = |text: &str| ApiKey::parse(text).ok().and_then(|key| grants.get(&key.hash()).copied());
    let known = issued[1234].expose_secret().to_owned();
    let covered = &known[..ApiKey::LEN - 6];

    let mut group = c.benchmark_group("key_check");
    for (name, position) in
        [("wrong_checksum/first_char", ApiKey::LEN - 6), ("wrong_checksum/last_char", ApiKey::LEN - 1)]
    {
        let wrong = altered(&known, position);
        assert!(ApiKey::parse(&wrong).is_err());
        group.bench_function(name, |b| b.iter(|| check(black_box(&wrong))));
    }
    for (name, position) in [("unknown_key/first_char", 8), ("unknown_key/last_char", ApiKey::LEN - 7)] {
        let unknown = with_checksum(&altered(covered, position));
        assert_eq!(check(&unknown), None);
        group.bench_function(name, |b| b.iter(|| check(black_box(&unknown))));
    }
    assert_eq!(check(&known), Some(1234));
    group.bench_function("known_key", |b| b.iter(|| check(black_box(&known))));

    let stored = ApiKey::parse(&known).unwrap().hash();
    let mut first = *stored.as_bytes();
    first[0] ^= 1;
    let mut last = *stored.as_bytes();
    last[31] ^= 1;
    for (name, presented) in [
        ("hash_eq/equal", stored),
        ("hash_eq/first_byte", KeyHash::from_bytes(first)),
        ("hash_eq/last_byte", KeyHash::from_bytes(last)),
    ] {
        group.bench_function(name, |b| b.iter(|| black_box(&presented) == black_box(&stored)));
    }
    group.finish();
}

criterion_group!(benches, key_check);
criterion_main!(benches);
