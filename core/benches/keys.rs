//! API keys: what every keyed request pays before any lookup, parsing the presented key and
//! hashing it (target: well under 1 µs), and, for completeness, generating one.
//!
//! `cargo bench -p noesis-core --bench keys`.

use criterion::{Criterion, criterion_group, criterion_main};
use noesis_core::keys::{ApiKey, Environment};
use std::hint::black_box;

fn keys(c: &mut Criterion) {
    let text = ApiKey::generate(Environment::Live, [0xA5; ApiKey::RANDOM_BYTES]).expose_secret().to_owned();
    c.bench_function("keys/parse", |b| b.iter(|| ApiKey::parse(black_box(&text))));
    c.bench_function("keys/parse_and_hash", |b| b.iter(|| ApiKey::parse(black_box(&text)).map(|key| key.hash())));
    let mut garbage = text.clone();
    garbage.replace_range(20..21, "!");
    c.bench_function("keys/refuse_bad_character", |b| b.iter(|| ApiKey::parse(black_box(&garbage))));
    c.bench_function("keys/generate", |b| {
        b.iter(|| ApiKey::generate(Environment::Live, black_box([0xA5; ApiKey::RANDOM_BYTES])))
    });
}

criterion_group!(benches, keys);
criterion_main!(benches);
