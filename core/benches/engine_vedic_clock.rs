//! The vedic-clock engine: one full reading (organ, dosha, hora, choghadiya, muhurta, Rahu Kalam
//! and the next changes) at a place, and the organ and dosha clocks alone from a timezone.
//!
//! `cargo bench -p noesis-core --bench engine_vedic_clock`

use criterion::{Criterion, criterion_group, criterion_main};
use noesis_core::engines::vedic_clock;
use noesis_core::engines::{CalculationInput, Location, Options};
use noesis_core::ephemeris::rise_set::GeoPoint;
use noesis_core::time::zone::Zone;
use std::hint::black_box;

fn vedic_clock(c: &mut Criterion) {
    let kolkata = Zone::parse("Asia/Kolkata").expect("zone");
    let bengaluru = GeoPoint::new(12.9716, 77.5946).expect("place");
    let now = "2026-03-10T07:11:00Z".parse().expect("instant");
    let at_place = CalculationInput {
        birth: None,
        now,
        location: Some(Location { place: Some(bengaluru), zone: Some(kolkata.clone()) }),
        options: Options::new(),
    };
    let zone_only = CalculationInput {
        birth: None,
        now,
        location: Some(Location { place: None, zone: Some(kolkata) }),
        options: Options::new(),
    };
    c.bench_function("vedic_clock/Bengaluru 2026-03-10", |b| {
        b.iter(|| vedic_clock::calculate(black_box(&at_place)).expect("a clock"))
    });
    c.bench_function("vedic_clock/timezone only", |b| {
        b.iter(|| vedic_clock::calculate(black_box(&zone_only)).expect("a clock"))
    });
}

criterion_group!(benches, vedic_clock);
criterion_main!(benches);
