//! What the framework adds around an engine: parsing the request, hashing the input, and the whole
//! path to a cache key (find, level gate, parse, round, hash) that the edge pays even on a hit.
//!
//! `cargo bench -p noesis-core --bench engine_framework`

use criterion::{Criterion, criterion_group, criterion_main};
use jiff::Timestamp;
use noesis_core::engines::hashing::InputHash;
use noesis_core::engines::request::parse_request;
use noesis_core::engines::{Level, TimeGranularity, registry};
use std::hint::black_box;

const REQUEST: &[u8] = br#"{
  "birth_data": {"name": "Asha Rao", "date": "1991-08-13", "time": "13:31", "timezone": "Asia/Kolkata",
                 "latitude": 12.9716, "longitude": 77.5946},
  "current_time": "2026-11-25T07:30:00Z",
  "location": {"latitude": 12.9716, "longitude": 77.5946, "timezone": "Asia/Kolkata"},
  "options": {}
}"#;

fn framework(c: &mut Criterion) {
    let now: Timestamp = "2026-11-25T07:31:12Z".parse().unwrap();
    c.bench_function("parse_request (DESIGN example)", |b| b.iter(|| parse_request(black_box(REQUEST), now).unwrap()));

    let input = parse_request(REQUEST, now).unwrap();
    c.bench_function("InputHash::of (DESIGN example)", |b| {
        b.iter(|| InputHash::of(black_box(&input), TimeGranularity::Seconds(900)))
    });

    c.bench_function("registry::prepare numerology (find, gate, parse, round, hash)", |b| {
        b.iter(|| registry::prepare("numerology", black_box(REQUEST), Level::MAX, now).unwrap())
    });
}

criterion_group!(benches, framework);
criterion_main!(benches);
