//! The cost of one biofield profile: two skies of ten bodies, the Ascendant, aspects and scores.
//!
//! `cargo bench -p noesis-core --bench engine_biofield`

use criterion::{Criterion, criterion_group, criterion_main};
use jiff::civil::{date, time};
use noesis_core::engines::{BirthData, CalculationInput, Options, biofield};
use noesis_core::ephemeris::rise_set::GeoPoint;
use noesis_core::time::zone::Zone;
use std::hint::black_box;

fn bengaluru(c: &mut Criterion) {
    let options: Options =
        serde_json::from_str(r#"{"measurements": {"hrv_rmssd_ms": 42, "self_rated_energy": 7}}"#).unwrap();
    let input = CalculationInput {
        birth: Some(BirthData {
            name: None,
            date: date(1991, 8, 13),
            time: Some(time(13, 31, 0, 0)),
            zone: Some(Zone::parse("Asia/Kolkata").unwrap()),
            place: Some(GeoPoint::new(12.9716, 77.5946).unwrap()),
            instant: Some("1991-08-13T08:01:00Z".parse().unwrap()),
        }),
        now: "2026-01-01T00:00:00Z".parse().unwrap(),
        location: None,
        options,
    };
    c.bench_function("biofield 1991-08-13 Bengaluru with measurements", |b| {
        b.iter(|| biofield::calculate(black_box(&input)).unwrap())
    });
}

criterion_group!(benches, bengaluru);
criterion_main!(benches);
