//! One full set of positions (Sky::at + 12 bodies + ayanamsa), and each body alone.
//!
//! `cargo bench -p noesis-core --bench ephemeris`; docs/benchmarks.md quotes the medians.

use criterion::{Criterion, criterion_group, criterion_main};
use noesis_core::ephemeris::{Body, Sky, snapshot};
use noesis_core::time::Moment;
use std::hint::black_box;

fn full_set(c: &mut Criterion) {
    let moment = Moment::from_jd_tt(2_460_000.3);
    c.bench_function("ephemeris/full_set", |b| {
        b.iter(|| {
            let sky = Sky::at(black_box(&moment)).expect("in range");
            let mut sum = sky.ayanamsa().true_deg;
            for body in Body::ALL {
                sum += sky.position(body).expect("in range").longitude_deg;
            }
            sum
        })
    });
    c.bench_function("ephemeris/snapshot", |b| b.iter(|| snapshot(black_box(&moment)).expect("in range")));
    c.bench_function("ephemeris/sky_at", |b| b.iter(|| Sky::at(black_box(&moment)).expect("in range")));
    let sky = Sky::at(&moment).expect("in range");
    for body in Body::ALL {
        c.bench_function(&format!("ephemeris/{}", body.name()), |b| {
            b.iter(|| sky.position(black_box(body)).expect("in range"))
        });
    }
}

criterion_group!(benches, full_set);
criterion_main!(benches);
