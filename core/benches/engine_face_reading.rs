//! The cost of one face reading from a full 468-point mesh (parsing and checking every point).
//!
//! `cargo bench -p noesis-core --bench engine_face_reading`

use criterion::{Criterion, criterion_group, criterion_main};
use noesis_core::engines::{CalculationInput, Options, face_reading};
use serde_json::{Value, json};
use std::hint::black_box;

fn mesh(c: &mut Criterion) {
    // A plausible face: an ellipse of points, with the measured landmarks set by hand.
    let mut points: Vec<Value> = (0..468)
        .map(|i| {
            let t = i as f64 / 468.0 * std::f64::consts::TAU;
            json!([0.5 + 0.25 * t.cos(), 0.45 + 0.35 * t.sin(), 0.0])
        })
        .collect();
    let named = [
        (10, [0.5, 0.12]),
        (9, [0.5, 0.26]),
        (2, [0.5, 0.50]),
        (152, [0.5, 0.80]),
        (234, [0.25, 0.40]),
        (454, [0.75, 0.40]),
        (172, [0.31, 0.70]),
        (397, [0.69, 0.70]),
        (54, [0.30, 0.16]),
        (284, [0.70, 0.16]),
        (1, [0.5, 0.45]),
        (33, [0.30, 0.31]),
        (133, [0.38, 0.31]),
        (362, [0.62, 0.31]),
        (263, [0.70, 0.31]),
        (0, [0.5, 0.59]),
        (17, [0.5, 0.65]),
        (61, [0.42, 0.62]),
        (291, [0.58, 0.62]),
        (129, [0.44, 0.47]),
        (358, [0.56, 0.47]),
    ];
    for (index, [x, y]) in named {
        points[index] = json!([x, y, 0.0]);
    }
    let mut options = Options::new();
    options.insert("landmarks".into(), Value::Array(points));
    options.insert("image_aspect_ratio".into(), json!(0.75));
    let input = CalculationInput { birth: None, now: "2026-01-01T00:00:00Z".parse().unwrap(), location: None, options };
    c.bench_function("face_reading 468-point mesh", |b| b.iter(|| face_reading::calculate(black_box(&input)).unwrap()));
}

criterion_group!(benches, mesh);
criterion_main!(benches);
