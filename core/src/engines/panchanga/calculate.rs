//! From a request to a [`Panchanga`].

use jiff::Timestamp;

use super::META;
use super::limbs::{Limb, limbs_at};
use super::options::{At, PanchangaOptions};
use super::result::{Karana, Limbs, Nakshatra, Panchanga, Tithi, Yoga};
use super::tables::{PAKSHAS, YOGAS, karana_name, tithi_name};
use super::vedic_day::{SunCalendar, local_mean_time};
use crate::engines::options::parse_options;
use crate::engines::vedic::{Lord, NAKSHATRAS, Vara};
use crate::engines::{CalculationInput, EngineError, FieldError};
use crate::ephemeris::rise_set::{GeoPoint, moon_rise_set};
use crate::time::zone::Zone;

/// The panchanga of the birth (with `birth_data`) or of `current_time` at `location`.
///
/// Needs either `birth_data` with its time, timezone and place, or `location` with latitude and
/// longitude (its timezone, when absent, is taken as the longitude's local mean time, and the
/// result says so). Errors name every missing field at once.
pub fn calculate(input: &CalculationInput) -> Result<Panchanga, EngineError> {
    let options: PanchangaOptions = parse_options(&input.options, &META)?;
    let Situation { instant: asked, place, zone, mut notes } = situation(input)?;
    let mut calendar = SunCalendar::new(&zone, place);

    let instant = match options.at {
        At::Instant => asked,
        At::Sunrise => {
            let date = zone.to_local(asked).date();
            calendar.sunrise_on(date)?.ok_or_else(|| {
                FieldError::new(
                    "options.at",
                    format!("the Sun does not rise at this place on {date}; ask for \"instant\" instead"),
                )
            })?
        }
    };

    let Limbs {
        tithi,
        nakshatra,
        yoga,
        karana,
        sun_longitude,
        moon_longitude,
        ayanamsa,
        ayanamsa_true_deg,
        elongation_deg,
        ..
    } = limbs(instant)?;
    let day = calendar.day_containing(instant)?;
    let (weekday, rise_date) = match &day {
        Ok(day) => (day.weekday(), day.date),
        Err(why) => {
            notes.push(format!("{}; the vara is the weekday of the local date instead", why.reason()));
            let date = zone.to_local(instant).date();
            (date.weekday().to_sunday_zero_offset().unsigned_abs(), date)
        }
    };
    let moonrise = moon_rise_set(rise_date, &zone, place)?.rise;
    Ok(Panchanga {
        instant,
        at: options.at,
        timezone: zone.name().to_owned(),
        local_time: zone.to_local(instant).datetime().to_string(),
        tithi,
        nakshatra,
        yoga,
        karana,
        vara: Vara::of_weekday(weekday),
        sunrise: day.as_ref().ok().map(|d| d.sunrise),
        sunset: day.as_ref().ok().map(|d| d.sunset),
        next_sunrise: day.as_ref().ok().map(|d| d.next_sunrise),
        moonrise,
        sun_longitude,
        moon_longitude,
        ayanamsa,
        ayanamsa_true_deg,
        elongation_deg,
        notes,
    })
}

/// Tithi, nakshatra, yoga and karana at `instant`, each with the instant it ends, and the
/// longitudes they follow from: the part of the panchanga that needs no place.
///
/// ```
/// use noesis_core::engines::panchanga;
///
/// let limbs = panchanga::limbs("2000-01-01T12:00:00Z".parse()?)?;
/// assert_eq!((limbs.tithi.paksha, limbs.tithi.name), ("Krishna", "Ekadashi"));
/// // Swiss Ephemeris: the elongation reaches 312° at 07:49:46.73 UT.
/// assert_eq!(limbs.tithi.ends_at.to_string(), "2000-01-02T07:49:47Z");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn limbs(instant: Timestamp) -> Result<Limbs, EngineError> {
    let found = limbs_at(instant)?;
    let sky = found.luminaries;
    let tithi = sky.index(Limb::Tithi);
    let nakshatra = sky.index(Limb::Nakshatra);
    let yoga = sky.index(Limb::Yoga);
    let karana_slot = sky.index(Limb::Karana) + 1;
    Ok(Limbs {
        instant,
        tithi: Tithi {
            index: tithi,
            number: tithi % 15 + 1,
            name: tithi_name(tithi),
            paksha: PAKSHAS[usize::from(tithi / 15).min(1)],
            ends_at: found.tithi_ends_at,
        },
        nakshatra: Nakshatra {
            index: nakshatra,
            name: NAKSHATRAS[usize::from(nakshatra)],
            pada: sky.pada(),
            lord: Lord::of_nakshatra(usize::from(nakshatra)).name(),
            ends_at: found.nakshatra_ends_at,
        },
        yoga: Yoga { index: yoga, name: YOGAS[usize::from(yoga)], ends_at: found.yoga_ends_at },
        karana: Karana { slot: karana_slot, name: karana_name(karana_slot), ends_at: found.karana_ends_at },
        sun_longitude: sky.sun_sidereal_deg(),
        moon_longitude: sky.moon_sidereal_deg(),
        ayanamsa: sky.ayanamsa_mean_deg,
        ayanamsa_true_deg: sky.ayanamsa_true_deg,
        elongation_deg: (sky.moon_tropical_deg - sky.sun_tropical_deg).rem_euclid(360.0),
    })
}

/// The instant, the place and the zone the request asks about.
struct Situation {
    instant: Timestamp,
    place: GeoPoint,
    zone: Zone,
    notes: Vec<String>,
}

fn situation(input: &CalculationInput) -> Result<Situation, EngineError> {
    let mut missing = Vec::new();
    if let Some(birth) = &input.birth {
        if birth.time.is_none() {
            missing.push(FieldError::new("birth_data.time", "the birth time (HH:MM) is needed for a birth panchanga"));
        }
        if birth.zone.is_none() {
            missing.push(FieldError::new(
                "birth_data.timezone",
                "the birth timezone (an IANA name such as Asia/Kolkata, or an offset such as +05:30) is needed",
            ));
        }
        if birth.place.is_none() {
            for field in ["birth_data.latitude", "birth_data.longitude"] {
                missing.push(FieldError::new(
                    field,
                    "the birth place (latitude and longitude in degrees) is needed: the vara runs from sunrise there",
                ));
            }
        }
        return match (birth.instant, birth.place, &birth.zone) {
            (Some(instant), Some(place), Some(zone)) if missing.is_empty() => {
                Ok(Situation { instant, place, zone: zone.clone(), notes: Vec::new() })
            }
            _ => Err(EngineError::Validation(missing)),
        };
    }
    let location = input.location.as_ref();
    let Some(place) = location.and_then(|l| l.place) else {
        for field in ["location.latitude", "location.longitude"] {
            missing.push(FieldError::new(
                field,
                "without birth_data, the place (latitude and longitude in degrees) whose panchanga is asked is needed",
            ));
        }
        return Err(EngineError::Validation(missing));
    };
    let (zone, notes) = match location.and_then(|l| l.zone.clone()) {
        Some(zone) => (zone, Vec::new()),
        None => {
            let zone = local_mean_time(place).ok_or_else(|| {
                FieldError::new(
                    "location.timezone",
                    "no timezone was given and none could be derived from the longitude",
                )
            })?;
            let note = format!(
                "no location.timezone was given: local dates and times are read in the local mean time of longitude {}° ({})",
                place.longitude_deg(),
                zone.name()
            );
            (zone, vec![note])
        }
    };
    Ok(Situation { instant: input.now, place, zone, notes })
}
