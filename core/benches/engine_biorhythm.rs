//! Biorhythm: today's cycles with the default 7-day forecast (target: under 5 µs), a year's
//! forecast, and the SVG chart.
//!
//! `cargo bench -p noesis-core --bench engine_biorhythm`.

use criterion::{Criterion, criterion_group, criterion_main};
use jiff::civil::date;
use noesis_core::engines::{BirthData, CalculationInput, Level, Options, biorhythm};
use noesis_core::time::zone::Zone;
use std::hint::black_box;

fn input(options: serde_json::Value) -> CalculationInput {
    let birth = BirthData {
        name: None,
        date: date(1985, 6, 20),
        time: None,
        zone: Zone::parse("Asia/Kolkata").ok(),
        place: None,
        instant: None,
    };
    let options: Options = serde_json::from_value(options).expect("an object");
    CalculationInput {
        birth: Some(birth),
        now: "2026-01-01T09:00:00Z".parse().expect("an instant"),
        location: None,
        options,
    }
}

fn biorhythm(c: &mut Criterion) {
    let default = input(serde_json::json!({}));
    c.bench_function("biorhythm/calculate", |b| b.iter(|| biorhythm::calculate(black_box(&default))));
    let year = input(serde_json::json!({"forecast_days": 366}));
    c.bench_function("biorhythm/calculate_366_days", |b| b.iter(|| biorhythm::calculate(black_box(&year))));
    let chart = input(serde_json::json!({"format": "svg"}));
    c.bench_function("biorhythm/calculate_svg", |b| b.iter(|| biorhythm::calculate(black_box(&chart))));
    let result = biorhythm::calculate(&default).expect("a valid request");
    let level = Level::new(3).expect("a level");
    c.bench_function("biorhythm/witness_prompt", |b| b.iter(|| biorhythm::witness_prompt(black_box(&result), level)));
}

criterion_group!(benches, biorhythm);
criterion_main!(benches);
