//! Time zones: parsing a request's `timezone`, resolving local birth times, local days.

use jiff::Timestamp;
use jiff::civil::{Date, Time, date, time};
use noesis_core::time::TimeError;
use noesis_core::time::zone::{Fold, Zone, resolve_local};

fn zone(name: &str) -> Zone {
    Zone::parse(name).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn utc(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn resolve(d: Date, t: Time, name: &str) -> Result<Timestamp, TimeError> {
    resolve_local(d, t, &zone(name), None)
}

#[test]
fn birth_time_in_kolkata_resolves_to_utc() {
    let ts = resolve(date(1991, 8, 13), time(13, 31, 0, 0), "Asia/Kolkata").unwrap();
    assert_eq!(ts, utc("1991-08-13T08:01:00Z"));
}

#[test]
fn kolkata_war_time_comes_from_the_tz_database() {
    // IST was +05:30 except under war time, +06:30, from October 1941 to 15 May 1942 and from
    // September 1942 to 15 October 1945.
    for (d, offset) in [
        (date(1942, 1, 15), "+06:30"),
        (date(1942, 7, 1), "+05:30"),
        (date(1944, 6, 1), "+06:30"),
        (date(1946, 1, 1), "+05:30"),
    ] {
        let ts = resolve(d, time(12, 0, 0, 0), "Asia/Kolkata").unwrap();
        let expected = utc(&format!("{d}T12:00:00{offset}"));
        assert_eq!(ts, expected, "{d}");
    }
}

#[test]
fn time_skipped_by_dst_is_refused_naming_the_gap() {
    let err = resolve(date(2021, 3, 14), time(2, 30, 0, 0), "America/New_York").unwrap_err();
    let TimeError::Nonexistent { local, zone, gap_start, gap_end, transition, offset_before, offset_after } = &err
    else {
        panic!("expected Nonexistent, got {err:?}");
    };
    assert_eq!(local.to_string(), "2021-03-14T02:30:00");
    assert_eq!(zone, "America/New_York");
    assert_eq!(gap_start.to_string(), "2021-03-14T02:00:00");
    assert_eq!(gap_end.to_string(), "2021-03-14T03:00:00");
    assert_eq!(*transition, utc("2021-03-14T07:00:00Z"));
    assert_eq!((offset_before.seconds(), offset_after.seconds()), (-5 * 3600, -4 * 3600));
    let message = err.to_string();
    for part in ["02:30", "America/New_York", "02:00:00", "03:00:00", "UTC-05:00", "UTC-04:00"] {
        assert!(message.contains(part), "{message:?} lacks {part}");
    }
}

#[test]
fn fold_picks_an_instant_inside_a_gap() {
    let ny = zone("America/New_York");
    let (d, t) = (date(2021, 3, 14), time(2, 30, 0, 0));
    // Earlier: read with the offset after the jump (EDT), landing before the gap.
    assert_eq!(resolve_local(d, t, &ny, Some(Fold::Earlier)).unwrap(), utc("2021-03-14T06:30:00Z"));
    assert_eq!(resolve_local(d, t, &ny, Some(Fold::Later)).unwrap(), utc("2021-03-14T07:30:00Z"));
}

#[test]
fn time_repeated_by_dst_is_refused_naming_both_offsets() {
    let err = resolve(date(2021, 11, 7), time(1, 30, 0, 0), "America/New_York").unwrap_err();
    let TimeError::Ambiguous { earlier_offset, later_offset, .. } = &err else {
        panic!("expected Ambiguous, got {err:?}");
    };
    assert_eq!(earlier_offset.seconds(), -4 * 3600);
    assert_eq!(later_offset.seconds(), -5 * 3600);
    let message = err.to_string();
    assert!(message.contains("UTC-04:00") && message.contains("UTC-05:00"), "{message}");
}

#[test]
fn fold_chooses_between_the_two_occurrences() {
    let ny = zone("America/New_York");
    let (d, t) = (date(2021, 11, 7), time(1, 30, 0, 0));
    let earlier = resolve_local(d, t, &ny, Some(Fold::Earlier)).unwrap();
    let later = resolve_local(d, t, &ny, Some(Fold::Later)).unwrap();
    assert_eq!(earlier, utc("2021-11-07T01:30:00-04:00"));
    assert_eq!(later, utc("2021-11-07T01:30:00-05:00"));
}

#[test]
fn fold_is_ignored_where_the_local_time_is_unambiguous() {
    let ny = zone("America/New_York");
    let noon = resolve_local(date(2021, 7, 1), time(12, 0, 0, 0), &ny, Some(Fold::Later));
    assert_eq!(noon.unwrap(), utc("2021-07-01T16:00:00Z"));
}

#[test]
fn fold_deserialises_from_the_request_words() {
    let fold: Fold = serde_json::from_str("\"earlier\"").unwrap();
    assert_eq!(fold, Fold::Earlier);
    assert!(serde_json::from_str::<Fold>("\"Earlier\"").is_err());
}

#[test]
fn fixed_offsets_resolve_without_history_or_dst() {
    let (d, t) = (date(2021, 3, 14), time(2, 30, 0, 0));
    for (name, expected) in [
        ("+05:30", "2021-03-13T21:00:00Z"),
        ("+0530", "2021-03-13T21:00:00Z"),
        ("-08:00", "2021-03-14T10:30:00Z"),
        ("Z", "2021-03-14T02:30:00Z"),
        ("UTC", "2021-03-14T02:30:00Z"),
    ] {
        assert_eq!(resolve(d, t, name).unwrap(), utc(expected), "{name}");
    }
}

#[test]
fn offsets_beyond_18_hours_are_refused() {
    for name in ["+18:30", "-19:00", "+25:00"] {
        let err = Zone::parse(name).unwrap_err();
        assert!(matches!(err, TimeError::InvalidOffset { .. }), "{name}: {err:?}");
        assert!(err.to_string().contains(name), "{err}");
    }
}

#[test]
fn unknown_zones_are_refused_with_what_was_given() {
    for name in ["Mars/Olympus_Mons", "", "Asia/Kolkata ", "Etc/Unknown", "IST"] {
        let err = Zone::parse(name).unwrap_err();
        assert_eq!(err, TimeError::UnknownZone { name: name.to_owned() });
        assert!(err.to_string().contains("IANA"), "{err}");
    }
}

#[test]
fn zone_names_are_the_databases_spelling() {
    assert_eq!(zone("asia/kolkata").name(), "Asia/Kolkata");
    assert_eq!(zone("America/New_York").to_string(), "America/New_York");
    let json = serde_json::to_string(&zone("+05:30")).unwrap();
    assert_eq!(json, "\"+05:30\"");
    let back: Zone = serde_json::from_str("\"Asia/Kolkata\"").unwrap();
    assert_eq!(back.name(), "Asia/Kolkata");
    assert!(serde_json::from_str::<Zone>("\"Nowhere/Else\"").is_err());
}

#[test]
fn local_time_shows_the_offset_in_force() {
    let local = zone("America/New_York").to_local(utc("2021-11-07T06:30:00Z"));
    assert_eq!(local.datetime().to_string(), "2021-11-07T01:30:00");
    assert_eq!(local.offset().seconds(), -5 * 3600);
}

#[test]
fn dst_days_are_23_and_25_hours_long() {
    let ny = zone("America/New_York");
    let hours = |d| {
        let (start, end) = ny.day_bounds(d);
        (end.as_second() - start.as_second()) as f64 / 3600.0
    };
    assert_eq!(hours(date(2021, 3, 14)), 23.0);
    assert_eq!(hours(date(2021, 11, 7)), 25.0);
    assert_eq!(hours(date(2021, 7, 4)), 24.0);
    let (start, end) = ny.day_bounds(date(2021, 11, 7));
    assert_eq!(start, utc("2021-11-07T04:00:00Z"));
    assert_eq!(end, utc("2021-11-08T05:00:00Z"));
}

#[test]
fn a_day_whose_midnight_never_happened_starts_after_the_gap() {
    // São Paulo began DST at midnight: 2018-11-04 went from 00:00 straight to 01:00.
    let sao_paulo = zone("America/Sao_Paulo");
    let (start, end) = sao_paulo.day_bounds(date(2018, 11, 4));
    assert_eq!(start, utc("2018-11-04T03:00:00Z"));
    assert_eq!(end, utc("2018-11-05T02:00:00Z"));
    let err = resolve(date(2018, 11, 4), time(0, 0, 0, 0), "America/Sao_Paulo").unwrap_err();
    assert!(matches!(err, TimeError::Nonexistent { .. }), "{err:?}");
}

#[test]
fn a_day_that_was_skipped_entirely_has_no_length() {
    // Samoa moved across the date line: 2011-12-30 did not happen in Pacific/Apia.
    let apia = zone("Pacific/Apia");
    let (start, end) = apia.day_bounds(date(2011, 12, 30));
    assert_eq!(start, end);
    assert_eq!(start, utc("2011-12-30T10:00:00Z"));
}

#[test]
fn fixed_offset_days_are_24_hours() {
    let (start, end) = zone("+05:30").day_bounds(date(2021, 3, 14));
    assert_eq!(start, utc("2021-03-13T18:30:00Z"));
    assert_eq!(end, utc("2021-03-14T18:30:00Z"));
}

#[test]
fn dates_at_the_edge_of_the_calendar_do_not_panic() {
    let (_, end) = zone("Asia/Kolkata").day_bounds(Date::MAX);
    assert_eq!(end, Timestamp::MAX);
    let err = resolve_local(Date::MIN, Time::midnight(), &zone("+05:30"), None).unwrap_err();
    assert!(matches!(err, TimeError::OutOfRange { .. }), "{err:?}");
}

#[test]
fn leap_seconds_are_read_as_the_last_second_of_the_minute() {
    // jiff, like POSIX time, has no leap seconds: `:60` parses and is clamped to `:59`.
    let leap: Timestamp = "2016-12-31T23:59:60Z".parse().unwrap();
    assert_eq!(leap, utc("2016-12-31T23:59:59Z"));
    let local: jiff::civil::DateTime = "2016-12-31T23:59:60".parse().unwrap();
    assert_eq!(local.second(), 59);
}
