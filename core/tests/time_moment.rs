//! Julian Days and moments: known dates, round trips, and properties over the whole range.

use jiff::Timestamp;
use noesis_core::time::julian::{
    gregorian_from_jd, jd_from_civil, jd_from_gregorian, jd_from_timestamp, timestamp_from_jd, try_timestamp_from_jd,
};
use noesis_core::time::{J2000_JD, Moment, TimeError};
use proptest::prelude::*;

fn utc(s: &str) -> Timestamp {
    s.parse().unwrap()
}

#[test]
fn j2000_is_noon_on_the_first_of_january_2000() {
    assert_eq!(jd_from_timestamp(utc("2000-01-01T12:00:00Z")), J2000_JD);
    assert_eq!(timestamp_from_jd(J2000_JD), utc("2000-01-01T12:00:00Z"));
    assert_eq!(Moment::from_jd_ut(J2000_JD).to_timestamp(), utc("2000-01-01T12:00:00Z"));
}

#[test]
fn julian_days_of_known_dates() {
    // Meeus, Astronomical Algorithms (2nd ed.), chapter 7; Gregorian-calendar examples only
    // (his 333-01-27 example is a Julian-calendar date).
    for (y, m, d, jd) in [
        (1957, 10, 4.81, 2_436_116.31),
        (2000, 1, 1.5, 2_451_545.0),
        (1999, 1, 1.0, 2_451_179.5),
        (1987, 1, 27.0, 2_446_822.5),
        (1987, 6, 19.5, 2_446_966.0),
        (1988, 1, 27.0, 2_447_187.5),
        (1988, 6, 19.5, 2_447_332.0),
        (1900, 1, 1.0, 2_415_020.5),
        (1600, 1, 1.0, 2_305_447.5),
        (1600, 12, 31.0, 2_305_812.5),
    ] {
        assert!((jd_from_gregorian(y, m, d) - jd).abs() < 1e-9, "{y}-{m}-{d}");
        let (y2, m2, d2) = gregorian_from_jd(jd);
        assert_eq!((y2, m2), (y, m));
        assert!((d2 - d).abs() < 1e-9, "{y}-{m}-{d} came back as day {d2}");
    }
}

#[test]
fn unix_epoch_and_civil_datetimes() {
    assert_eq!(jd_from_timestamp(Timestamp::UNIX_EPOCH), 2_440_587.5);
    let dt = jiff::civil::date(1957, 10, 4).at(19, 26, 24, 0);
    assert!((jd_from_civil(dt) - 2_436_116.31).abs() < 1e-9);
    assert_eq!(jd_from_timestamp(utc("1957-10-04T19:26:24Z")), jd_from_civil(dt));
}

#[test]
fn julian_days_outside_the_timestamp_range_are_reported_or_saturated() {
    for jd in [f64::NAN, f64::INFINITY, -1e9, 1e9] {
        let err = try_timestamp_from_jd(jd).unwrap_err();
        assert!(matches!(err, TimeError::OutOfRange { .. }), "{jd}");
    }
    assert_eq!(timestamp_from_jd(1e9), Timestamp::MAX);
    assert_eq!(timestamp_from_jd(-1e9), Timestamp::MIN);
}

#[test]
fn moments_step_on_the_ut_scale() {
    let m = Moment::from_timestamp(utc("2021-03-14T07:00:00Z"));
    let next = m.plus_days(1.25);
    assert_eq!(next.to_timestamp(), utc("2021-03-15T13:00:00Z"));
    assert!((next.jd_ut() - m.jd_ut() - 1.25).abs() < 1e-9);
}

#[test]
fn centuries_since_j2000_count_tt() {
    let m = Moment::from_timestamp(utc("2000-01-01T12:00:00Z"));
    let expected = m.delta_t_seconds() / 86_400.0 / 36_525.0;
    assert!((m.centuries_tt_since_j2000() - expected).abs() < 1e-14);
}

/// Timestamps from 1000-01-01 to 2999-12-31, with arbitrary nanoseconds.
fn timestamps() -> impl Strategy<Value = Timestamp> {
    let (lo, hi) = (utc("1000-01-01T00:00:00Z").as_second(), utc("2999-12-31T23:59:59Z").as_second());
    (lo..hi, 0..1_000_000_000i32).prop_map(|(s, ns)| Timestamp::new(s, ns).unwrap())
}

proptest! {
    #[test]
    fn timestamp_to_jd_and_back_is_within_a_millisecond(ts in timestamps()) {
        let back = timestamp_from_jd(jd_from_timestamp(ts));
        let diff_ns = (back.as_nanosecond() - ts.as_nanosecond()).abs();
        prop_assert!(diff_ns <= 1_000_000, "{ts} came back as {back}");
        prop_assert_eq!(Moment::from_timestamp(ts).to_timestamp(), back);
    }

    #[test]
    fn whole_milliseconds_round_trip_exactly(ts in timestamps()) {
        let ms = Timestamp::from_millisecond(ts.as_millisecond()).unwrap();
        prop_assert_eq!(timestamp_from_jd(jd_from_timestamp(ms)), ms);
    }

    #[test]
    fn julian_day_is_monotonic_in_the_timestamp(a in timestamps(), b in timestamps()) {
        let (early, late) = if a <= b { (a, b) } else { (b, a) };
        prop_assert!(jd_from_timestamp(early) <= jd_from_timestamp(late));
        prop_assert!(
            Moment::from_timestamp(early).jd_tt() <= Moment::from_timestamp(late).jd_tt()
        );
    }

    #[test]
    fn tt_julian_day_leads_back_to_the_same_moment(ts in timestamps()) {
        let m = Moment::from_timestamp(ts);
        let back = Moment::from_jd_tt(m.jd_tt());
        // 1e-9 day is 86 µs, two steps of an f64 Julian Day.
        prop_assert!((back.jd_ut() - m.jd_ut()).abs() < 1e-9);
        prop_assert!((back.delta_t_seconds() - m.delta_t_seconds()).abs() < 1e-6);
    }

    #[test]
    fn gregorian_date_and_julian_day_round_trip(
        year in -1000i32..3000, month in 1i32..=12, day in 1.0f64..28.999,
    ) {
        let (y, m, d) = gregorian_from_jd(jd_from_gregorian(year, month, day));
        prop_assert_eq!((y, m), (year, month));
        prop_assert!((d - day).abs() < 1e-8);
    }
}
