//! ΔT: check values, agreement with Swiss Ephemeris, continuity over the whole model range.

use noesis_core::time::{Moment, delta_t::delta_t_seconds, julian::jd_from_gregorian};

fn delta_t_on_new_year(year: i32) -> f64 {
    delta_t_seconds(jd_from_gregorian(year, 1, 1.0))
}

#[test]
fn delta_t_matches_published_values() {
    // 1 January: Stephenson et al. (2021) before 1955, IERS after.
    for (year, expected_s) in [(1800, 18.37), (1900, -1.98), (1950, 28.93), (2000, 63.83), (2010, 66.07), (2020, 69.36)]
    {
        let got = delta_t_on_new_year(year);
        assert!((got - expected_s).abs() < 0.1, "{year}: ΔT {got:.3} s, expected {expected_s} s");
    }
}

#[test]
fn moment_carries_delta_t_between_its_scales() {
    let m = Moment::from_timestamp("2020-01-01T00:00:00Z".parse().unwrap());
    assert!((m.delta_t_seconds() - 69.36).abs() < 0.05);
    assert!(((m.jd_tt() - m.jd_ut()) * 86_400.0 - m.delta_t_seconds()).abs() < 1e-4);
}

#[derive(serde::Deserialize)]
struct Fixture {
    source: String,
    points: Vec<Point>,
}

#[derive(serde::Deserialize)]
struct Point {
    year: i32,
    jd_ut: f64,
    delta_t_s: f64,
}

/// Periods of `docs/time.md` (years of the 1 January samples, half-open except the last) and
/// the largest |ours − Swiss Ephemeris| each may show, in seconds.
const PERIODS: [(&str, i32, i32, f64); 6] = [
    // Outside the validated range: Swiss Ephemeris 2.10 uses the 2016 spline, we its 2020
    // revision, which moved ΔT by up to three minutes in antiquity.
    ("-1000..1800", -1000, 1800, 250.0),
    ("1800..1900", 1800, 1900, 0.6),
    ("1900..1955", 1900, 1955, 0.05),
    // Observed to 2023-05; 2024 is already extrapolated on both sides.
    ("1955..2025", 1955, 2025, 0.1),
    // Both end on the same long-term cubic. We hold the last observation (69.18 s, 2023-05) and
    // ease into the cubic over 50 years; SE anchors on a guessed 68.80 s in 2028 and follows the
    // cubic's slope at once. The paths part by up to 2.2 s around 2047, a year when no one knows
    // ΔT to better than several seconds.
    ("2025..=2200", 2025, 2201, 2.5),
    ("2201..=3000", 2201, 3001, 0.25),
];

/// Prints the measured differences (run with `--nocapture`; `compare_delta_t.py` does) and
/// holds each period to its tolerance.
#[test]
fn delta_t_agrees_with_swiss_ephemeris_within_documented_tolerances() {
    let text = include_str!("data/delta_t_swisseph.json");
    let fixture: Fixture = serde_json::from_str(text).expect("fixture is valid JSON");
    println!("ΔT, ours − {}", fixture.source);
    println!("period         samples  max |diff| (s)  at year  median |diff| (s)");
    for (name, from, to, tolerance_s) in PERIODS {
        let mut diffs: Vec<(f64, i32)> = fixture
            .points
            .iter()
            .filter(|p| (from..to).contains(&p.year))
            .map(|p| (delta_t_seconds(p.jd_ut) - p.delta_t_s, p.year))
            .collect();
        assert!(!diffs.is_empty(), "no samples in {name}");
        diffs.sort_by(|a, b| a.0.abs().total_cmp(&b.0.abs()));
        let (max, at) = diffs[diffs.len() - 1];
        let median = diffs[diffs.len() / 2].0.abs();
        println!("{name:<14} {:>7}  {max:>+14.3}  {at:>7}  {median:>17.3}", diffs.len());
        assert!(
            max.abs() <= tolerance_s,
            "{name}: ΔT differs from Swiss Ephemeris by {max:.3} s in {at}, tolerance {tolerance_s} s"
        );
    }
}

/// A jump of ΔT shows up as a second difference of its size between daily samples; the curve's
/// own curvature contributes less than 10⁻⁴ s at this step, and a kink of slope far less.
#[test]
fn delta_t_has_no_jump_anywhere_from_minus_1000_to_3000() {
    let start = jd_from_gregorian(-1000, 1, 1.0);
    let end = jd_from_gregorian(3000, 1, 1.0);
    let step_days = 1.0;
    let (mut a, mut b) = (delta_t_seconds(start), delta_t_seconds(start + step_days));
    let mut jd = start + 2.0 * step_days;
    while jd <= end {
        let c = delta_t_seconds(jd);
        let second_difference = (c - 2.0 * b + a).abs();
        assert!(second_difference < 0.01, "ΔT jumps by about {second_difference:.4} s near JD {jd}");
        (a, b) = (b, c);
        jd += step_days;
    }
}

#[test]
fn tt_always_advances_with_ut() {
    // ΔT never changes by anything near a day per day, so TT is monotonic in UT: every instant on
    // one scale is exactly one on the other.
    let mut previous = Moment::from_jd_ut(jd_from_gregorian(-1000, 1, 1.0));
    for step in 1..=4000 {
        let m = previous.plus_days(365.2425);
        assert!(m.jd_tt() > previous.jd_tt(), "step {step}");
        previous = m;
    }
}
