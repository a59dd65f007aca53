//! The Vedic day: from one sunrise to the next at a place. Shared with the vedic-clock engine.
//!
//! The weekday (vara) of a Vedic day is the weekday of the local calendar date its sunrise falls
//! on, so an instant before sunrise still belongs to the previous day's vara. Where the Sun does
//! not rise and set (polar day and night, and the days at their edges), there is no Vedic day
//! and the caller is told why.

use jiff::Timestamp;
use jiff::civil::Date;

use crate::ephemeris::rise_set::{Absence, GeoPoint, RiseSet, sun_rise_set};
use crate::ephemeris::{COMPUTED_YEARS, EphemerisError};
use crate::time::zone::Zone;

/// One Vedic day at a place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct VedicDay {
    pub sunrise: Timestamp,
    pub sunset: Timestamp,
    /// The sunrise that ends this day and begins the next.
    pub next_sunrise: Timestamp,
    /// The local calendar date of `sunrise` in the civil zone: its weekday is the day's.
    pub date: Date,
}

impl VedicDay {
    /// The day's weekday, 0 = Sunday.
    pub(crate) fn weekday(&self) -> u8 {
        // Sunday-zero offsets are 0..=6.
        self.date.weekday().to_sunday_zero_offset().unsigned_abs()
    }
}

/// Sunrises and sunsets at one place, computed once per solar day.
///
/// The search runs on the place's local mean time, where every solar day holds one sunrise and
/// one sunset, whatever the zone's offset: a zone far from its longitude's solar time (western
/// China, or a place given with another place's timezone) can put two sunsets on one civil date,
/// and a per-date search reports only the first. The civil zone is used only to name the date of
/// each sunrise, and with it the weekday.
pub(crate) struct SunCalendar<'a> {
    zone: &'a Zone,
    solar: Zone,
    place: GeoPoint,
    days: Vec<(Date, RiseSet)>,
}

impl<'a> SunCalendar<'a> {
    pub(crate) fn new(zone: &'a Zone, place: GeoPoint) -> SunCalendar<'a> {
        let solar = local_mean_time(place).unwrap_or_else(|| zone.clone());
        SunCalendar { zone, solar, place, days: Vec::with_capacity(4) }
    }

    /// The sunrise on a local date of the civil zone, if the Sun rises that date.
    pub(crate) fn sunrise_on(&self, date: Date) -> Result<Option<Timestamp>, EphemerisError> {
        Ok(sun_rise_set(date, self.zone, self.place)?.rise)
    }

    /// Sunrise, sunset and noon on a solar (local mean time) date.
    fn solar_day(&mut self, date: Date) -> Result<RiseSet, EphemerisError> {
        if let Some((_, events)) = self.days.iter().find(|(d, _)| *d == date) {
            return Ok(*events);
        }
        let events = sun_rise_set(date, &self.solar, self.place)?;
        self.days.push((date, events));
        Ok(events)
    }

    /// The date `days` after `date` (before it when negative).
    fn shifted(date: Date, days: i32) -> Result<Date, EphemerisError> {
        date.checked_add(jiff::Span::new().days(days)).map_err(|_| EphemerisError::OutOfRange {
            year: i32::from(date.year()),
            first: COMPUTED_YEARS.0,
            last: COMPUTED_YEARS.1,
        })
    }

    /// The Vedic day that `instant` falls in, or why there is none.
    pub(crate) fn day_containing(
        &mut self,
        instant: Timestamp,
    ) -> Result<Result<VedicDay, NoVedicDay>, EphemerisError> {
        let today = self.solar.to_local(instant).date();
        // The latest sunrise at or before the instant: today's, or else yesterday's.
        let mut start = None;
        for offset in [0, -1] {
            let date = Self::shifted(today, offset)?;
            if let Some(rise) = self.solar_day(date)?.rise.filter(|rise| *rise <= instant) {
                start = Some((date, rise));
                break;
            }
        }
        let Some((solar_date, sunrise)) = start else {
            return Ok(Err(self.why_not(today)?));
        };
        // The first sunrise after the instant, within the next two days of the sunrise's.
        let mut next_sunrise = None;
        for offset in [0, 1, 2] {
            let later = Self::shifted(solar_date, offset)?;
            if let Some(rise) = self.solar_day(later)?.rise.filter(|rise| *rise > instant) {
                next_sunrise = Some(rise);
                break;
            }
        }
        let Some(next_sunrise) = next_sunrise else {
            return Ok(Err(self.why_not(today)?));
        };
        let mut sunset = None;
        for offset in [0, 1] {
            let later = Self::shifted(solar_date, offset)?;
            if let Some(set) = self.solar_day(later)?.set.filter(|set| sunrise < *set && *set < next_sunrise) {
                sunset = Some(set);
                break;
            }
        }
        let Some(sunset) = sunset else {
            return Ok(Err(self.why_not(today)?));
        };
        Ok(Ok(VedicDay { sunrise, sunset, next_sunrise, date: self.zone.to_local(sunrise).date() }))
    }

    /// The Vedic day after `day`.
    pub(crate) fn day_after(&mut self, day: &VedicDay) -> Result<Result<VedicDay, NoVedicDay>, EphemerisError> {
        self.day_containing(day.next_sunrise)
    }

    fn why_not(&mut self, date: Date) -> Result<NoVedicDay, EphemerisError> {
        Ok(match self.solar_day(date)?.absence {
            Some(Absence::AboveAllDay) => NoVedicDay::PolarDay { date },
            Some(Absence::BelowAllDay) => NoVedicDay::PolarNight { date },
            _ => NoVedicDay::Irregular { date },
        })
    }
}

/// Why an instant has no Vedic day at a place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NoVedicDay {
    /// The Sun stays above the horizon all of that solar date.
    PolarDay { date: Date },
    /// The Sun stays below the horizon all of that solar date.
    PolarNight { date: Date },
    /// The Sun rises or sets, but not both around the instant (the edges of polar day and night).
    Irregular { date: Date },
}

impl NoVedicDay {
    /// A sentence a user can read.
    pub(crate) fn reason(&self) -> String {
        match self {
            NoVedicDay::PolarDay { date } => {
                format!(
                    "polar day: the Sun stays above the horizon all of {date} here, so there is no sunrise to begin a Vedic day"
                )
            }
            NoVedicDay::PolarNight { date } => {
                format!(
                    "polar night: the Sun stays below the horizon all of {date} here, so there is no sunrise to begin a Vedic day"
                )
            }
            NoVedicDay::Irregular { date } => format!(
                "around {date} the Sun does not both rise and set here (the edge of polar day or night), so the Vedic day is not defined"
            ),
        }
    }
}

/// The local mean time of a longitude (the Sun's mean noon at 12:00) as a fixed-offset zone, to
/// the second: what local clock time means when only coordinates are given.
pub(crate) fn local_mean_time(place: GeoPoint) -> Option<Zone> {
    // 360° of longitude is 24 hours: 240 seconds per degree.
    let seconds = (place.longitude_deg() * 240.0).round() as i64;
    let sign = if seconds < 0 { '-' } else { '+' };
    let s = seconds.unsigned_abs();
    Zone::parse(&format!("{sign}{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bengaluru() -> GeoPoint {
        GeoPoint::new(12.9716, 77.5946).unwrap()
    }

    #[test]
    fn before_sunrise_the_day_is_yesterdays() {
        let zone = Zone::parse("Asia/Kolkata").unwrap();
        let mut calendar = SunCalendar::new(&zone, bengaluru());
        // 2024-03-20 was a Wednesday; 05:00 IST is before its 06:23 sunrise.
        let early: Timestamp = "2024-03-20T05:00:00+05:30".parse().unwrap();
        let day = calendar.day_containing(early).unwrap().unwrap();
        assert_eq!(day.date.to_string(), "2024-03-19");
        assert_eq!(day.weekday(), 2);
        assert!(day.sunrise < day.sunset && day.sunset < early && early < day.next_sunrise);
        let later: Timestamp = "2024-03-20T07:00:00+05:30".parse().unwrap();
        let next = calendar.day_containing(later).unwrap().unwrap();
        assert_eq!(next.sunrise, day.next_sunrise);
        assert_eq!(next.weekday(), 3);
        assert_eq!(calendar.day_after(&day).unwrap().unwrap(), next);
    }

    /// Kolkata's clock at 43° W puts sunrise near 16:40 and sunset near midnight, so some dates
    /// hold two sunsets; 00:00 IST on 1995-11-23 is still the Vedic day of the 22nd (a Wednesday).
    #[test]
    fn a_zone_far_from_solar_time_keeps_each_sunrise_with_its_sunset() {
        let zone = Zone::parse("Asia/Kolkata").unwrap();
        let place = GeoPoint::new(56.998, -43.118).unwrap();
        let mut calendar = SunCalendar::new(&zone, place);
        let midnight: Timestamp = "1995-11-22T18:30:00Z".parse().unwrap();
        let day = calendar.day_containing(midnight).unwrap().unwrap();
        assert_eq!(day.date.to_string(), "1995-11-22");
        assert_eq!(day.weekday(), 3);
        assert!(day.sunrise < day.sunset && day.sunset < day.next_sunrise);
        assert!(day.sunrise <= midnight && midnight < day.next_sunrise);
    }

    #[test]
    fn polar_day_has_no_vedic_day_and_says_why() {
        let zone = Zone::parse("Europe/Oslo").unwrap();
        let mut calendar = SunCalendar::new(&zone, GeoPoint::new(69.6492, 18.9553).unwrap());
        let midsummer: Timestamp = "2024-06-21T12:00:00Z".parse().unwrap();
        let why = calendar.day_containing(midsummer).unwrap().unwrap_err();
        assert!(matches!(why, NoVedicDay::PolarDay { .. }));
        assert!(why.reason().starts_with("polar day"));
    }

    #[test]
    fn local_mean_time_follows_the_longitude() {
        assert_eq!(local_mean_time(bengaluru()).unwrap().name(), "+05:10:23");
        assert_eq!(local_mean_time(GeoPoint::new(0.0, -120.0).unwrap()).unwrap().name(), "-08:00");
        assert_eq!(local_mean_time(GeoPoint::new(0.0, 0.0).unwrap()).unwrap().name(), "+00:00");
    }
}
