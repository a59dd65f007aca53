//! The gene-keys engine: a profile from birth data (a full Human Design chart underneath), from
//! `options.hd_gates`, and the witness prompt.
//!
//! `cargo bench -p noesis-core --bench engine_gene_keys`.

use criterion::{Criterion, criterion_group, criterion_main};
use noesis_core::engines::gene_keys::{self, from_birth, witness_prompt};
use noesis_core::engines::{BirthData, CalculationInput, Level, Options};
use noesis_core::time::zone::Zone;
use std::hint::black_box;

fn input(birth: bool, options: serde_json::Value) -> CalculationInput {
    let zone = Zone::parse("Asia/Kolkata").expect("zone");
    let instant = "1991-08-13T08:01:00Z".parse().expect("instant");
    let local = zone.to_local(instant);
    let options: Options = match options {
        serde_json::Value::Object(map) => map,
        _ => Options::new(),
    };
    CalculationInput {
        birth: birth.then(|| BirthData {
            name: None,
            date: local.date(),
            time: Some(local.time()),
            zone: Some(zone),
            place: None,
            instant: Some(instant),
        }),
        now: "2026-01-01T00:00:00Z".parse().expect("now"),
        location: None,
        options,
    }
}

fn engine(c: &mut Criterion) {
    let from_birth_data = input(true, serde_json::json!({}));
    c.bench_function("gene_keys/calculate_from_birth", |b| {
        b.iter(|| gene_keys::calculate(black_box(&from_birth_data)))
    });
    let from_gates = input(
        false,
        serde_json::json!({"hd_gates": {
            "personality": {"sun": "4.2", "venus": "7.3", "mars": "33.6", "jupiter": "29.1"},
            "design": {"sun": "23.4", "moon": "1.1", "venus": "8.2", "mars": "45.5", "jupiter": "64.6"}
        }}),
    );
    c.bench_function("gene_keys/calculate_from_hd_gates", |b| b.iter(|| gene_keys::calculate(black_box(&from_gates))));
    let profile = from_birth("1991-08-13T08:01:00Z".parse().expect("instant")).expect("profile");
    let level = Level::new(3).expect("level");
    c.bench_function("gene_keys/witness_prompt", |b| b.iter(|| witness_prompt(black_box(&profile), level)));
}

criterion_group!(benches, engine);
criterion_main!(benches);
