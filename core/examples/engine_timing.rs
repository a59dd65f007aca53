//! Wall-clock timing of every engine, the raw ephemeris and sunrise/sunset, with nothing but `std`,
//! so the very same code runs natively and as WASM (criterion does not build for wasm32).
//!
//! ```sh
//! cargo run --release -p noesis-core --example engine_timing            # native
//! scripts/bench --only engines                                          # native and wasm32-wasip1 side by side
//! ```
//!
//! Each engine line is the whole pipeline a Worker runs for one uncached request: the JSON body
//! through `registry::calculate` (find, level gate, parse, round, hash, calculate, witness prompt)
//! and the envelope written back to JSON bytes. The request is fixed: birth 1991-08-13 13:31
//! Asia/Kolkata at 12.9716, 77.5946, `current_time` 2026-11-25T07:30:00Z, level 5; face-reading
//! gets a deterministic 468-point mesh, biofield two measurements. `ephemeris::snapshot` is one
//! instant (`current_time`) and `sun_rise_set` one day (2026-11-25) at the same place.
//!
//! Method: one checked run, a warm-up ([`WARM_UP`] runs and [`WARM_UP_TIME`], so that V8 has
//! tiered up), then `BATCHES` batches of `BATCH_SIZE` runs (default 20 × 10 = 200); each batch's
//! mean is one sample. Output, one line per item after a `# target …` line: `name median_us
//! p95_us`, the median and the 95th percentile (nearest rank) of the batch means, in microseconds.
//! Optional arguments: `engine_timing [BATCHES [BATCH_SIZE]]`.

#[path = "../benches/support/face_landmarks.rs"]
mod face_landmarks;

use jiff::Timestamp;
use jiff::civil::date;
use noesis_core::engines::{Level, ServedBy, registry};
use noesis_core::ephemeris::rise_set::{GeoPoint, sun_rise_set};
use noesis_core::ephemeris::snapshot;
use noesis_core::time::Moment;
use noesis_core::time::zone::Zone;
use serde_json::{Value, json};
use std::hint::black_box;
use std::time::{Duration, Instant};

/// Runs before the measured batches, to fill caches and (under WASM) let V8 compile the hot
/// functions with its optimising tier: at least this many, for at least [`WARM_UP_TIME`].
const WARM_UP: u32 = 20;
const WARM_UP_TIME: Duration = Duration::from_millis(300);
const DEFAULT_BATCHES: usize = 20;
const DEFAULT_BATCH_SIZE: u32 = 10;

const NOW: &str = "2026-11-25T07:30:00Z";

fn main() {
    let mut args = std::env::args().skip(1);
    let batches = args.next().map_or(DEFAULT_BATCHES, |arg| arg.parse().expect("BATCHES is a positive integer"));
    let batch_size =
        args.next().map_or(DEFAULT_BATCH_SIZE, |arg| arg.parse().expect("BATCH_SIZE is a positive integer"));
    assert!(batches > 0 && batch_size > 0, "BATCHES and BATCH_SIZE must be positive");

    println!("# target {}", target());
    println!(
        "# {batches} batches x {batch_size} runs after {WARM_UP} warm-up runs and {} ms; name median_us p95_us",
        WARM_UP_TIME.as_millis()
    );

    let now: Timestamp = NOW.parse().expect("NOW is an RFC 3339 instant");
    for engine in registry::all() {
        let id = engine.meta().id;
        let body = request_body(id);
        let run = || {
            let response = registry::calculate(id, black_box(&body), Level::MAX, now, ServedBy::Edge)
                .unwrap_or_else(|err| panic!("the fixed {id} request was refused: {err:?}"));
            serde_json::to_vec(&response).expect("an envelope serialises")
        };
        report(id, batches, batch_size, run);
    }

    let moment = Moment::from_timestamp(now);
    report("ephemeris::snapshot", batches, batch_size, || {
        snapshot(black_box(&moment)).expect("the fixed instant is within the ephemeris")
    });

    let zone = Zone::parse("Asia/Kolkata").expect("a known zone");
    let place = GeoPoint::new(12.9716, 77.5946).expect("a valid place");
    let day = date(2026, 11, 25);
    report("sun_rise_set", batches, batch_size, || {
        sun_rise_set(black_box(day), &zone, black_box(place)).expect("the Sun rises in Bengaluru")
    });
}

/// Times `run` and prints `name median_us p95_us`.
fn report<T>(name: &str, batches: usize, batch_size: u32, mut run: impl FnMut() -> T) {
    black_box(run()); // the first run panics, with the reason, if the fixed input is refused
    let warm_up = Instant::now();
    let mut runs = 0;
    while runs < WARM_UP || warm_up.elapsed() < WARM_UP_TIME {
        black_box(run());
        runs += 1;
    }
    let mut means_us: Vec<f64> = (0..batches)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..batch_size {
                black_box(run());
            }
            start.elapsed().as_secs_f64() * 1e6 / f64::from(batch_size)
        })
        .collect();
    means_us.sort_by(f64::total_cmp);
    let median = if batches % 2 == 1 {
        means_us[batches / 2]
    } else {
        (means_us[batches / 2 - 1] + means_us[batches / 2]) / 2.0
    };
    // Nearest rank: the smallest sample with at least 95 % of the samples at or below it.
    let p95 = means_us[(batches * 95).div_ceil(100) - 1];
    println!("{name} {median:.2} {p95:.2}");
}

/// The target this was built for, such as `x86_64-linux` or `wasm32-wasip1` (`consts::OS` is
/// empty under WASI).
fn target() -> String {
    let os = match std::env::consts::OS {
        "" if cfg!(target_os = "wasi") => "wasi",
        "" => "unknown",
        os => os,
    };
    let env = if cfg!(target_env = "p1") { "p1" } else { "" };
    format!("{}-{os}{env}", std::env::consts::ARCH)
}

/// The fixed request body for an engine: the same birth, time and place for all, plus the options
/// an engine reads that make its answer a realistic one.
fn request_body(engine_id: &str) -> Vec<u8> {
    let options = match engine_id {
        "face-reading" => json!({"landmarks": face_mesh(), "image_aspect_ratio": 0.75}),
        "biofield" => json!({"measurements": {"hrv_rmssd_ms": 42, "self_rated_energy": 7}}),
        _ => json!({}),
    };
    let body = json!({
        "birth_data": {"name": "Asha Rao", "date": "1991-08-13", "time": "13:31", "timezone": "Asia/Kolkata",
                       "latitude": 12.9716, "longitude": 77.5946},
        "current_time": NOW,
        "location": {"latitude": 12.9716, "longitude": 77.5946, "timezone": "Asia/Kolkata"},
        "options": options,
    });
    serde_json::to_vec(&body).expect("a JSON value serialises")
}

/// A plausible 468-point MediaPipe mesh, deterministically: the points on an ellipse around the
/// face with a small fixed jitter, and the 21 landmarks the engine measures set by hand (the
/// proportions of an ordinary face, as in `benches/engine_face_reading.rs`). Coordinates carry the
/// seven decimals a detector typically sends.
fn face_mesh() -> Value {
    let mut state: u32 = 0x9e37_79b9;
    let mut jitter = move || {
        // xorshift32: a fixed, portable sequence in [-0.01, 0.01).
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        (f64::from(state) / f64::from(u32::MAX) - 0.5) * 0.02
    };
    let round = |v: f64| (v * 1e7).round() / 1e7;
    let mut points: Vec<[f64; 3]> = (0..468)
        .map(|i| {
            let t = f64::from(i) / 468.0 * std::f64::consts::TAU;
            [round(0.5 + 0.25 * t.cos() + jitter()), round(0.45 + 0.35 * t.sin() + jitter()), round(jitter())]
        })
        .collect();
    for (index, [x, y]) in face_landmarks::MEASURED_LANDMARKS {
        points[index] = [x, y, 0.0];
    }
    json!(points)
}
