//! The panchanga engine: the four limbs with their end times alone (`panchanga::limbs`), and one
//! full answer (with the vara, sunrise, sunset and moonrise) for a birth and for "now".
//!
//! `cargo bench -p noesis-core --bench engine_panchanga`

use criterion::{Criterion, criterion_group, criterion_main};
use noesis_core::engines::panchanga;
use noesis_core::engines::{BirthData, CalculationInput, Location, Options};
use noesis_core::ephemeris::rise_set::GeoPoint;
use noesis_core::time::zone::Zone;
use std::hint::black_box;

fn inputs() -> (CalculationInput, CalculationInput) {
    let kolkata = Zone::parse("Asia/Kolkata").expect("zone");
    let bengaluru = GeoPoint::new(12.9716, 77.5946).expect("place");
    let birth = CalculationInput {
        birth: Some(BirthData {
            name: None,
            date: jiff::civil::date(1991, 8, 13),
            time: Some(jiff::civil::time(13, 31, 0, 0)),
            zone: Some(kolkata.clone()),
            place: Some(bengaluru),
            instant: Some("1991-08-13T08:01:00Z".parse().expect("instant")),
        }),
        now: "2026-03-10T07:11:00Z".parse().expect("instant"),
        location: None,
        options: Options::new(),
    };
    let now = CalculationInput {
        birth: None,
        now: "2026-03-10T07:11:00Z".parse().expect("instant"),
        location: Some(Location { place: Some(bengaluru), zone: Some(kolkata) }),
        options: Options::new(),
    };
    (birth, now)
}

fn panchanga(c: &mut Criterion) {
    let (birth, now) = inputs();
    for instant in ["1991-08-13T08:01:00Z", "2026-03-10T07:11:00Z"] {
        let instant: jiff::Timestamp = instant.parse().expect("instant");
        c.bench_function(&format!("panchanga/limbs with end times {instant}"), |b| {
            b.iter(|| panchanga::limbs(black_box(instant)).expect("limbs"))
        });
    }
    c.bench_function("panchanga/birth 1991-08-13 Bengaluru", |b| {
        b.iter(|| panchanga::calculate(black_box(&birth)).expect("a panchanga"))
    });
    c.bench_function("panchanga/now 2026-03-10 Bengaluru", |b| {
        b.iter(|| panchanga::calculate(black_box(&now)).expect("a panchanga"))
    });
}

criterion_group!(benches, panchanga);
criterion_main!(benches);
