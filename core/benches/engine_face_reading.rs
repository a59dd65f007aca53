//! The cost of one face reading from a full 468-point mesh (parsing and checking every point).
//!
//! `cargo bench -p noesis-core --bench engine_face_reading`

#[path = "support/face_landmarks.rs"]
mod face_landmarks;

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
    for (index, [x, y]) in face_landmarks::MEASURED_LANDMARKS {
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
