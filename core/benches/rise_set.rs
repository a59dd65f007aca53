//! The cost of one day's sunrise and sunset (and local noon) for one place.
//!
//! `cargo bench -p noesis-core --bench rise_set`

use criterion::{Criterion, criterion_group, criterion_main};
use jiff::civil::date;
use noesis_core::ephemeris::rise_set::{GeoPoint, moon_rise_set, sun_rise_set};
use noesis_core::time::zone::Zone;
use std::hint::black_box;

fn bengaluru(c: &mut Criterion) {
    let place = GeoPoint::new(12.9716, 77.5946).unwrap();
    let zone = Zone::parse("Asia/Kolkata").unwrap();
    let day = date(2024, 3, 20);
    c.bench_function("sun_rise_set Bengaluru 2024-03-20", |b| {
        b.iter(|| sun_rise_set(black_box(day), &zone, black_box(place)).unwrap())
    });
    c.bench_function("moon_rise_set Bengaluru 2024-03-20", |b| {
        b.iter(|| moon_rise_set(black_box(day), &zone, black_box(place)).unwrap())
    });
}

criterion_group!(benches, bengaluru);
criterion_main!(benches);
