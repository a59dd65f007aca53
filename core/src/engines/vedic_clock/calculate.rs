//! From a request to a [`VedicClock`].

use jiff::Timestamp;

use super::options::ClockOptions;
use super::result::{DoshaWindow, OrganWindow, RahuKalam, Transition, Unavailable, VedicClock};
use super::tables::{DOSHAS, ORGAN_FOCUS, ORGANS, dosha_qualities};
use super::windows::{Schedule, Span, clock_windows};
use crate::engines::panchanga::vedic_day::{SunCalendar, VedicDay, local_mean_time};
use crate::engines::vedic::Vara;
use crate::engines::{CalculationInput, EngineError, FieldError};
use crate::time::zone::Zone;

/// The fields that need a sunrise, in the order `unavailable` lists them.
const SUNRISE_FIELDS: [&str; 9] =
    ["vara", "period", "hora", "choghadiya", "muhurta", "rahu_kalam", "sunrise", "sunset", "next_sunrise"];

/// Where the organ, dosha and sunrise-based clocks stand at `current_time`.
///
/// Needs `location`: its timezone alone gives the organ and dosha clocks (local clock time);
/// its latitude and longitude add everything counted from sunrise (hora, choghadiya, muhurta,
/// Rahu Kalam). Coordinates without a timezone read local time as the longitude's local mean
/// time. Where the Sun does not rise and set, the sunrise-based fields are `null` and
/// `unavailable` says why.
pub fn calculate(input: &CalculationInput) -> Result<VedicClock, EngineError> {
    let options = ClockOptions::parse(&input.options)?;
    let now = input.now;
    let location = input.location.as_ref();
    let place = location.and_then(|l| l.place);
    let mut notes = Vec::new();
    let zone = match (location.and_then(|l| l.zone.clone()), place) {
        (Some(zone), _) => zone,
        (None, Some(place)) => {
            let zone = local_mean_time(place).ok_or_else(|| {
                FieldError::new(
                    "location.timezone",
                    "no timezone was given and none could be derived from the longitude",
                )
            })?;
            notes.push(format!(
                "no location.timezone was given: local clock time is the local mean time of longitude {}° ({})",
                place.longitude_deg(),
                zone.name()
            ));
            zone
        }
        (None, None) => {
            return Err(FieldError::new(
                "location.timezone",
                "a timezone (an IANA name such as Asia/Kolkata, or an offset such as +05:30) is needed for local \
                 clock time; add location.latitude and location.longitude for the sunrise-based divisions",
            )
            .into());
        }
    };
    let take = usize::from(options.transitions);
    let mut transitions = Vec::new();

    let organ = read_clock(&zone, now, &ORGANS.map(|(hour, _, _)| hour), take)?;
    let (_, name, element) = ORGANS[organ.window];
    let organ_window =
        OrganWindow { name, element, focus: ORGAN_FOCUS[organ.window], start: organ.span.start, end: organ.span.end };
    transitions.extend(organ.next.into_iter().map(|(w, at)| Transition { at, division: "organ", name: ORGANS[w].1 }));

    let dosha = read_clock(&zone, now, &DOSHAS.map(|(hour, _)| hour), take)?;
    let dosha_name = DOSHAS[dosha.window].1;
    let dosha_window = DoshaWindow {
        name: dosha_name,
        qualities: dosha_qualities(dosha_name),
        start: dosha.span.start,
        end: dosha.span.end,
    };
    transitions.extend(dosha.next.into_iter().map(|(w, at)| Transition { at, division: "dosha", name: DOSHAS[w].1 }));

    let mut clock = VedicClock {
        instant: now,
        timezone: zone.name().to_owned(),
        local_time: zone.to_local(now).datetime().to_string(),
        organ: organ_window,
        dosha: dosha_window,
        vara: None,
        period: None,
        hora: None,
        choghadiya: None,
        muhurta: None,
        rahu_kalam: None,
        sunrise: None,
        sunset: None,
        next_sunrise: None,
        next_transitions: Vec::new(),
        unavailable: Vec::new(),
        notes,
    };

    match vedic_days(&zone, place, now) {
        Ok((day, next)) => fill_sunrise_divisions(&mut clock, &day, next.as_ref(), take, &mut transitions),
        Err(reason) => {
            clock.unavailable =
                SUNRISE_FIELDS.iter().map(|&field| Unavailable { field, reason: reason.clone() }).collect();
        }
    }
    transitions.sort_by_key(|t| (t.at, division_order(t.division)));
    clock.next_transitions = transitions;
    Ok(clock)
}

/// Where a wall-clock division stands: the window holding the instant, and the changes after it.
struct ClockReading {
    /// The window's position in its table.
    window: usize,
    span: Span,
    /// The next changes: the window that begins, and when.
    next: Vec<(usize, Timestamp)>,
}

/// Reads a wall-clock division whose window `i` begins at `start_hours[i]` o'clock, listing the
/// next `take` changes.
fn read_clock(zone: &Zone, now: Timestamp, start_hours: &[u8], take: usize) -> Result<ClockReading, EngineError> {
    let windows = clock_windows(zone, now, start_hours);
    let Some(position) = windows.iter().position(|(_, span)| span.contains(now)) else {
        return Err(FieldError::new(
            "current_time",
            "the local clock time cannot be computed this far from the present",
        )
        .into());
    };
    let (window, span) = windows[position];
    let next = windows[position + 1..].iter().take(take).map(|(w, span)| (*w, span.start)).collect();
    Ok(ClockReading { window, span, next })
}

/// The Vedic day holding `now` and the one after it (when there is one), or why there is none.
fn vedic_days(
    zone: &Zone,
    place: Option<crate::ephemeris::rise_set::GeoPoint>,
    now: Timestamp,
) -> Result<(VedicDay, Option<VedicDay>), String> {
    let Some(place) = place else {
        return Err("no coordinates were given: sunrise and sunset, and everything counted from them, need \
                    location.latitude and location.longitude"
            .to_owned());
    };
    let mut calendar = SunCalendar::new(zone, place);
    match calendar.day_containing(now) {
        Ok(Ok(day)) => {
            let next = calendar.day_after(&day).ok().and_then(Result::ok);
            Ok((day, next))
        }
        Ok(Err(why)) => Err(why.reason()),
        Err(e) => Err(format!("sunrise cannot be computed here: {e}")),
    }
}

fn fill_sunrise_divisions(
    clock: &mut VedicClock,
    day: &VedicDay,
    next: Option<&VedicDay>,
    take: usize,
    transitions: &mut Vec<Transition>,
) {
    let now = clock.instant;
    let today = Schedule::of(day);
    let tomorrow = next.map(Schedule::of);
    clock.vara = Some(Vara::of_weekday(day.weekday()));
    clock.period = Some(if now < day.sunset { "day" } else { "night" });
    clock.sunrise = Some(day.sunrise);
    clock.sunset = Some(day.sunset);
    clock.next_sunrise = Some(day.next_sunrise);

    let later = |start: Timestamp| start > now;
    clock.hora = today.horas.iter().find(|h| h.start <= now && now < h.end).cloned();
    let coming_horas = today.horas.iter().chain(tomorrow.iter().flat_map(|t| &t.horas));
    transitions.extend(coming_horas.filter(|h| later(h.start)).take(take).map(|h| Transition {
        at: h.start,
        division: "hora",
        name: h.lord,
    }));
    clock.choghadiya = today.choghadiyas.iter().find(|c| c.start <= now && now < c.end).cloned();
    let coming = today.choghadiyas.iter().chain(tomorrow.iter().flat_map(|t| &t.choghadiyas));
    transitions.extend(coming.filter(|c| later(c.start)).take(take).map(|c| Transition {
        at: c.start,
        division: "choghadiya",
        name: c.name,
    }));
    clock.muhurta = today.muhurtas.iter().find(|m| m.start <= now && now < m.end).cloned();
    let coming = today.muhurtas.iter().chain(tomorrow.iter().flat_map(|t| &t.muhurtas));
    transitions.extend(coming.filter(|m| later(m.start)).take(take).map(|m| Transition {
        at: m.start,
        division: "muhurta",
        name: m.name,
    }));
    clock.rahu_kalam = Some(RahuKalam {
        start: today.rahu_kalam.start,
        end: today.rahu_kalam.end,
        part: today.rahu_kalam_part,
        active: today.rahu_kalam.contains(now),
    });
    let rahu_events = [Some(&today), tomorrow.as_ref()]
        .into_iter()
        .flatten()
        .flat_map(|s| [(s.rahu_kalam.start, "begins"), (s.rahu_kalam.end, "ends")]);
    transitions.extend(rahu_events.filter(|(at, _)| later(*at)).take(take).map(|(at, name)| Transition {
        at,
        division: "rahu_kalam",
        name,
    }));
}

/// The order divisions are listed in when they change at the same instant.
fn division_order(division: &str) -> usize {
    ["organ", "dosha", "hora", "choghadiya", "muhurta", "rahu_kalam"].iter().position(|d| *d == division).unwrap_or(6)
}
