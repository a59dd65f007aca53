//! The cost of one vimshottari calculation: the Moon at birth and the whole period tree.
//!
//! `cargo bench -p noesis-core --bench engine_vimshottari`

use criterion::{Criterion, criterion_group, criterion_main};
use jiff::civil::{date, time};
use noesis_core::engines::{BirthData, CalculationInput, Options, vimshottari};
use noesis_core::time::zone::Zone;
use std::hint::black_box;

fn input(pratyantardashas: &str) -> CalculationInput {
    let mut options = Options::new();
    options.insert("pratyantardashas".into(), pratyantardashas.into());
    CalculationInput {
        birth: Some(BirthData {
            name: None,
            date: date(1991, 8, 13),
            time: Some(time(13, 31, 0, 0)),
            zone: Some(Zone::parse("Asia/Kolkata").unwrap()),
            place: None,
            instant: Some("1991-08-13T08:01:00Z".parse().unwrap()),
        }),
        now: "2026-01-01T00:00:00Z".parse().unwrap(),
        location: None,
        options,
    }
}

fn vimshottari(c: &mut Criterion) {
    let all = input("all");
    c.bench_function("vimshottari 1991-08-13 Bengaluru, all pratyantardashas", |b| {
        b.iter(|| vimshottari::calculate(black_box(&all)).unwrap())
    });
    let current = input("current");
    c.bench_function("vimshottari 1991-08-13 Bengaluru, current pratyantardashas", |b| {
        b.iter(|| vimshottari::calculate(black_box(&current)).unwrap())
    });
}

criterion_group!(benches, vimshottari);
criterion_main!(benches);
