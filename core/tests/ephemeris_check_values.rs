//! Published check values, the public check values of ENGINES.md, properties that hold at every
//! instant, and the edges of the range.

use noesis_core::ephemeris::{Body, COMPUTED_YEARS, EphemerisError, Sky, VALIDATED_YEARS, snapshot};
use noesis_core::time::Moment;
use proptest::prelude::*;

fn sky_at_tt(jd_tt: f64) -> Sky {
    Sky::at(&Moment::from_jd_tt(jd_tt)).expect("inside the ephemeris range")
}

fn arcsec_between(a_deg: f64, b_deg: f64) -> f64 {
    ((a_deg - b_deg + 180.0).rem_euclid(360.0) - 180.0).abs() * 3600.0
}

/// Meeus, Astronomical Algorithms (2nd ed.), example 33.a: Venus on 1992-12-20 0h TD, apparent
/// λ = 313.08102°, β = −2.08474°, computed there with the full VSOP87, the IAU 1980 nutation and
/// the classical aberration formula, which together put it about 1.2″ from the rigorous value (our
/// Venus is within 0.11″ of Swiss Ephemeris over 1800-2200).
#[test]
fn venus_matches_meeus_example_33a() {
    let venus = sky_at_tt(2_448_976.5).position(Body::Venus).expect("venus");
    assert!(arcsec_between(venus.longitude_deg, 313.081_02) < 1.5, "λ {}", venus.longitude_deg);
    assert!((venus.latitude_deg + 2.084_74).abs() * 3600.0 < 1.0, "β {}", venus.latitude_deg);
}

/// Meeus example 47.a: the Moon on 1992-04-12 0h TD, apparent λ = 133.167265°, β = −3.229126°,
/// Δ = 368409.7 km, from the truncated ELP-2000/82 of chapter 47 (about 10″ accuracy there).
#[test]
fn moon_matches_meeus_example_47a() {
    let moon = sky_at_tt(2_448_724.5).position(Body::Moon).expect("moon");
    assert!(arcsec_between(moon.longitude_deg, 133.167_265) < 10.0, "λ {}", moon.longitude_deg);
    assert!((moon.latitude_deg + 3.229_126).abs() * 3600.0 < 10.0, "β {}", moon.latitude_deg);
    let km = moon.distance_au.expect("distance") * 149_597_870.7;
    assert!((km - 368_409.7).abs() < 5.0, "Δ {km} km");
}

/// ENGINES.md: the Lahiri ayanamsa at J2000.0 is 23.857092° mean and 23.853222° true.
#[test]
fn lahiri_ayanamsa_at_j2000() {
    let ayanamsa = sky_at_tt(2_451_545.0).ayanamsa();
    assert!((ayanamsa.mean_deg - 23.857_092).abs() * 3600.0 < 0.001, "{}", ayanamsa.mean_deg);
    assert!((ayanamsa.true_deg - 23.853_222).abs() * 3600.0 < 0.01, "{}", ayanamsa.true_deg);
}

/// ENGINES.md's Human Design check: born 1991-08-13 08:01 UTC, the Personality Sun stands at
/// 140.0935° (tropical, apparent).
#[test]
fn sun_at_the_human_design_check_birth() {
    let moment = Moment::from_timestamp("1991-08-13T08:01:00Z".parse().expect("instant"));
    let sun = Sky::at(&moment).expect("in range").position(Body::Sun).expect("sun");
    assert!((sun.longitude_deg - 140.0935).abs() < 0.0001, "{}", sun.longitude_deg);
}

/// ENGINES.md's Panchanga check: 1991-08-13 13:31 +05:30, Moon 159.806° and Sun 116.349°
/// sidereal (Lahiri).
#[test]
fn sidereal_sun_and_moon_at_the_panchanga_check() {
    let moment = Moment::from_timestamp("1991-08-13T13:31:00+05:30".parse().expect("instant"));
    let sky = Sky::at(&moment).expect("in range");
    let ayanamsa = sky.ayanamsa();
    let moon = ayanamsa.sidereal(sky.position(Body::Moon).expect("moon").longitude_deg);
    let sun = ayanamsa.sidereal(sky.position(Body::Sun).expect("sun").longitude_deg);
    assert!((moon - 159.806).abs() < 0.001, "moon {moon}");
    assert!((sun - 116.349).abs() < 0.001, "sun {sun}");
}

#[test]
fn the_validated_range_answers_without_warnings_at_both_ends() {
    for jd_tt in [2_378_497.5, 2_524_958.5] {
        let s = snapshot(&Moment::from_jd_tt(jd_tt)).expect("inside the range");
        assert!(s.warnings.is_empty(), "{:?}", s.warnings);
        assert!(s.bodies.pluto.is_some());
    }
}

#[test]
fn outside_the_validated_range_the_answer_says_so() {
    // 1500 CE: computed, flagged, and Mars to Pluto (whose DE422 fits cover 1800-2200) left out with
    // a reason each.
    let s = snapshot(&Moment::from_jd_ut(2_269_000.5)).expect("inside the computed range");
    assert!(s.warnings.iter().any(|w| w.contains(&format!("{}-{}", VALIDATED_YEARS.0, VALIDATED_YEARS.1))));
    assert!(s.bodies.pluto.is_none());
    assert!(s.warnings.iter().any(|w| w.contains("pluto")));
    assert!(s.bodies.mars.is_none() && s.bodies.neptune.is_none());
    assert!(s.warnings.iter().any(|w| w.contains("mars")));
}

#[test]
fn beyond_the_computed_range_is_an_error_not_an_answer() {
    let year_500 = Moment::from_jd_ut(1_903_682.5);
    match Sky::at(&year_500) {
        Err(EphemerisError::OutOfRange { first, last, .. }) => assert_eq!((first, last), COMPUTED_YEARS),
        other => panic!("expected OutOfRange, got {other:?}"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Over 1800-2200 every longitude lies in [0, 360), latitudes are plausible, the mean node
    /// always regresses, and the Sun always moves forward at 0.95-1.02°/day.
    #[test]
    fn positions_are_well_formed(jd_tt in 2_378_497.5f64..2_524_958.5) {
        let sky = sky_at_tt(jd_tt);
        for body in Body::ALL {
            let p = sky.position(body).expect("position");
            prop_assert!((0.0..360.0).contains(&p.longitude_deg), "{} λ {}", body.name(), p.longitude_deg);
            prop_assert!(p.latitude_deg.abs() < 18.0, "{} β {}", body.name(), p.latitude_deg);
            prop_assert!(p.speed_deg_per_day.is_finite());
        }
        let mean_node = sky.position(Body::MeanNode).expect("mean node");
        prop_assert!(mean_node.speed_deg_per_day < 0.0);
        let sun = sky.position(Body::Sun).expect("sun");
        prop_assert!((0.95..1.02).contains(&sun.speed_deg_per_day), "sun speed {}", sun.speed_deg_per_day);
        let true_node = sky.position(Body::TrueNode).expect("true node");
        prop_assert!(arcsec_between(true_node.longitude_deg, mean_node.longitude_deg) < 2.0 * 3600.0);
    }

    /// The speed each position reports is the rate at which its longitude actually changes.
    #[test]
    fn speeds_are_the_rate_of_the_longitudes(jd_tt in 2_378_497.5f64..2_524_958.5) {
        let h = 1.0 / 64.0;
        let (before, now, after) = (sky_at_tt(jd_tt - h), sky_at_tt(jd_tt), sky_at_tt(jd_tt + h));
        // Not the true node: its position carries the truncated lunar series' small jitter, which a
        // finite difference over an hour magnifies to 2e-3 °/day, while its analytic rate (from the
        // Sun's pull on the orbit) is within 1e-4 °/day of Swiss Ephemeris's (see
        // ephemeris_vs_swisseph.rs).
        for body in Body::ALL.into_iter().filter(|&b| b != Body::TrueNode) {
            let a = before.position(body).expect("position").longitude_deg;
            let b = after.position(body).expect("position").longitude_deg;
            let numeric = ((b - a + 540.0).rem_euclid(360.0) - 180.0) / (2.0 * h);
            let reported = now.position(body).expect("position").speed_deg_per_day;
            prop_assert!((numeric - reported).abs() < 2e-4, "{}: {reported} vs {numeric}", body.name());
        }
    }
}
