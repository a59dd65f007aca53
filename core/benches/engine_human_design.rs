//! The human-design engine: a full chart (26 activations and the Design moment), with and
//! without the SVG drawing, and the witness prompt.
//!
//! `cargo bench -p noesis-core --bench engine_human_design`. Target (the issue): the full chart
//! under 200 µs natively.

use criterion::{Criterion, criterion_group, criterion_main};
use noesis_core::engines::human_design::{self, bodygraph_svg, chart, witness_prompt};
use noesis_core::engines::{BirthData, CalculationInput, Level, Options};
use noesis_core::time::zone::Zone;
use std::hint::black_box;

fn input(options: Options) -> CalculationInput {
    let zone = Zone::parse("Asia/Kolkata").expect("zone");
    let instant = "1991-08-13T08:01:00Z".parse().expect("instant");
    let local = zone.to_local(instant);
    CalculationInput {
        birth: Some(BirthData {
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
    let plain = input(Options::new());
    c.bench_function("human_design/calculate", |b| b.iter(|| human_design::calculate(black_box(&plain))));
    let mut svg_options = Options::new();
    svg_options.insert("format".into(), "svg".into());
    let with_svg = input(svg_options);
    c.bench_function("human_design/calculate_svg", |b| b.iter(|| human_design::calculate(black_box(&with_svg))));
    let result = chart("1991-08-13T08:01:00Z".parse().expect("instant")).expect("chart");
    c.bench_function("human_design/svg_only", |b| b.iter(|| bodygraph_svg(black_box(&result))));
    let level = Level::new(3).expect("level");
    c.bench_function("human_design/witness_prompt", |b| b.iter(|| witness_prompt(black_box(&result), level)));
}

criterion_group!(benches, engine);
criterion_main!(benches);
