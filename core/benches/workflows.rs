//! The cost of a whole workflow in one thread: full-spectrum planned, its nine engines run one after
//! the other, and the synthesis; and the synthesis alone, from nine answers.
//!
//! `cargo bench -p noesis-core --bench workflows`

#[path = "support/face_landmarks.rs"]
mod face_landmarks;

use criterion::{Criterion, criterion_group, criterion_main};
use noesis_core::engines::request::parse_request_value;
use noesis_core::engines::{EngineResponse, Level, ServedBy};
use noesis_core::workflows;
use serde_json::json;
use std::hint::black_box;

fn full_spectrum(c: &mut Criterion) {
    // Only the measured points are read; the rest need only be valid.
    let mut points = vec![json!([0.5, 0.5]); 468];
    for (index, [x, y]) in face_landmarks::MEASURED_LANDMARKS {
        points[index] = json!([x, y]);
    }
    let body = json!({
        "birth_data": {"name": "Asha Rao", "date": "1991-08-13", "time": "13:31", "timezone": "Asia/Kolkata",
                       "latitude": 12.9716, "longitude": 77.5946},
        "current_time": "2026-11-25T07:30:00Z",
        "location": {"latitude": 12.9716, "longitude": 77.5946, "timezone": "Asia/Kolkata"},
        "options": {"landmarks": points}
    });
    let input = parse_request_value(&body, "2026-11-25T07:30:00Z".parse().unwrap()).unwrap();
    let workflow = workflows::find("full-spectrum").unwrap();

    c.bench_function("full-spectrum: plan, nine engines in sequence, synthesis", |b| {
        b.iter(|| {
            let plan = workflows::plan(workflow, black_box(input.clone()), Level::MAX).unwrap();
            plan.run_sequentially(ServedBy::Origin)
        })
    });

    let answers: Vec<EngineResponse> = workflows::plan(workflow, input, Level::MAX)
        .unwrap()
        .run_sequentially(ServedBy::Origin)
        .results
        .into_values()
        .collect();
    c.bench_function("full-spectrum: synthesis of nine answers", |b| {
        b.iter(|| workflows::synthesize(workflow, Level::MAX, black_box(&answers)))
    });
}

criterion_group!(benches, full_spectrum);
criterion_main!(benches);
