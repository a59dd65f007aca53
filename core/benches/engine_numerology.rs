//! Numerology: a full reading of a name and a birth date (target: under 5 µs).
//!
//! `cargo bench -p noesis-core --bench engine_numerology`.

use criterion::{Criterion, criterion_group, criterion_main};
use jiff::civil::date;
use noesis_core::engines::{BirthData, CalculationInput, Level, numerology};
use std::hint::black_box;

fn input(name: &str) -> CalculationInput {
    let birth = BirthData {
        name: Some(name.to_owned()),
        date: date(1985, 11, 22),
        time: None,
        zone: None,
        place: None,
        instant: None,
    };
    CalculationInput {
        birth: Some(birth),
        now: jiff::Timestamp::UNIX_EPOCH,
        location: None,
        options: Default::default(),
    }
}

fn numerology(c: &mut Criterion) {
    let ascii = input("John Jacob Jingleheimer Schmidt");
    c.bench_function("numerology/calculate", |b| b.iter(|| numerology::calculate(black_box(&ascii))));
    let accented = input("María José Núñez de Ávila-Łukasiewicz");
    c.bench_function("numerology/calculate_accented", |b| b.iter(|| numerology::calculate(black_box(&accented))));
    let result = numerology::calculate(&ascii).expect("a valid request");
    let level = Level::new(3).expect("a level");
    c.bench_function("numerology/witness_prompt", |b| b.iter(|| numerology::witness_prompt(black_box(&result), level)));
}

criterion_group!(benches, numerology);
criterion_main!(benches);
