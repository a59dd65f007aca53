//! The windows of each division as instants: by local clock hours (organ, dosha) and by
//! fractions of a Vedic day's daytime and night (hora, choghadiya, muhurta, Rahu Kalam).

use jiff::Timestamp;
use jiff::civil::Date;

use super::result::{Choghadiya, Hora, Muhurta};
use super::tables::{
    HORA_ORDER, MUHURTAS, NIGHT_CHOGHADIYA_ORDER, RAHU_KALAM_PART, choghadiya_of, hora_position, night_position,
};
use crate::engines::panchanga::vedic_day::VedicDay;
use crate::engines::vedic::WEEKDAY_LORDS;
use crate::time::zone::Zone;

/// A half-open stretch of time `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Span {
    pub start: Timestamp,
    pub end: Timestamp,
}

impl Span {
    pub(crate) fn contains(&self, t: Timestamp) -> bool {
        self.start <= t && t < self.end
    }

    /// The `k`-th of `n` equal parts (0-based), its ends on whole milliseconds.
    fn part(&self, k: u32, n: u32) -> Span {
        Span { start: self.fraction(k, n), end: self.fraction(k + 1, n) }
    }

    fn fraction(&self, k: u32, n: u32) -> Timestamp {
        let (start, end) = (self.start.as_millisecond(), self.end.as_millisecond());
        let offset = ((end - start) as f64 * f64::from(k) / f64::from(n)).round() as i64;
        Timestamp::from_millisecond(start + offset).unwrap_or(self.start)
    }
}

/// The windows of a clock whose window `i` begins each local day at `start_hours[i]` o'clock,
/// over the local dates around `instant`, in time order: (window, span).
///
/// A window belongs to the wall clock: it begins at the first instant the local clock reads its
/// hour. When the clocks jump forward over that hour, it begins when they land; when they fall
/// back over it, at the first of the two times the clock reads it.
pub(crate) fn clock_windows(zone: &Zone, instant: Timestamp, start_hours: &[u8]) -> Vec<(usize, Span)> {
    let today = zone.to_local(instant).date();
    let tz = zone.time_zone();
    let mut boundaries: Vec<(Timestamp, usize)> = Vec::with_capacity(start_hours.len() * 4);
    for offset in -1..=2 {
        let Ok(date) = today.checked_add(jiff::Span::new().days(offset)) else { continue };
        for (window, &hour) in start_hours.iter().enumerate() {
            if let Some(at) = wall_clock_instant(&tz, date, hour) {
                boundaries.push((at, window));
            }
        }
    }
    boundaries.sort_by_key(|(at, _)| *at);
    // Two boundaries on one instant (a jump over a whole window) leave the earlier window empty.
    boundaries.dedup_by(|later, earlier| {
        let same = later.0 == earlier.0;
        if same {
            earlier.1 = later.1;
        }
        same
    });
    boundaries.windows(2).map(|pair| (pair[0].1, Span { start: pair[0].0, end: pair[1].0 })).collect()
}

/// When the local clock first reads `hour`:00 on `date` (the end of the jump when the clocks
/// skip it, the first reading when they repeat it).
fn wall_clock_instant(tz: &jiff::tz::TimeZone, date: Date, hour: u8) -> Option<Timestamp> {
    let hour = i8::try_from(hour).ok()?;
    let local = date.at(hour, 0, 0, 0);
    // "Compatible": a skipped time is read with the offset before the jump (landing on the jump
    // itself for a whole-hour boundary), a repeated one as its first occurrence.
    tz.to_ambiguous_timestamp(local).compatible().ok()
}

/// Everything that divides one Vedic day, in time order.
pub(crate) struct Schedule {
    pub horas: Vec<Hora>,
    pub choghadiyas: Vec<Choghadiya>,
    pub muhurtas: Vec<Muhurta>,
    pub rahu_kalam: Span,
    pub rahu_kalam_part: u8,
}

impl Schedule {
    pub(crate) fn of(day: &VedicDay) -> Schedule {
        let weekday = usize::from(day.weekday()) % 7;
        let daytime = Span { start: day.sunrise, end: day.sunset };
        let night = Span { start: day.sunset, end: day.next_sunrise };
        let halves = [daytime, night];

        let first_hora = hora_position(WEEKDAY_LORDS[weekday]);
        let horas = (0..24u8)
            .map(|k| {
                let span = halves[usize::from(k / 12)].part(u32::from(k % 12), 12);
                Hora {
                    lord: HORA_ORDER[(first_hora + usize::from(k)) % 7],
                    index: k + 1,
                    start: span.start,
                    end: span.end,
                }
            })
            .collect();

        // The day's choghadiyas start with the weekday's lord and step in hora order; the night's
        // start with the lord of the weekday four days on and step in their own order.
        let night_first = night_position(WEEKDAY_LORDS[(weekday + 4) % 7]);
        let choghadiyas = (0..16u8)
            .map(|k| {
                let step = usize::from(k % 8);
                let lord = if k < 8 {
                    HORA_ORDER[(first_hora + step) % 7]
                } else {
                    NIGHT_CHOGHADIYA_ORDER[(night_first + step) % 7]
                };
                let (name, quality) = choghadiya_of(lord);
                let span = halves[usize::from(k / 8)].part(u32::from(k % 8), 8);
                Choghadiya { name, lord, quality, index: k + 1, start: span.start, end: span.end }
            })
            .collect();

        let muhurtas = (0..30u8)
            .map(|k| {
                let span = halves[usize::from(k / 15)].part(u32::from(k % 15), 15);
                Muhurta { index: k + 1, name: MUHURTAS[usize::from(k)], start: span.start, end: span.end }
            })
            .collect();

        let rahu_kalam_part = RAHU_KALAM_PART[weekday];
        Schedule {
            horas,
            choghadiyas,
            muhurtas,
            rahu_kalam: daytime.part(u32::from(rahu_kalam_part - 1), 8),
            rahu_kalam_part,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn parts_share_their_ends_and_fill_the_span() {
        let span = Span { start: ts("2024-03-24T00:51:23.117Z"), end: ts("2024-03-24T13:01:59.903Z") };
        for n in [8, 12, 15] {
            assert_eq!(span.part(0, n).start, span.start);
            assert_eq!(span.part(n - 1, n).end, span.end);
            for k in 1..n {
                assert_eq!(span.part(k - 1, n).end, span.part(k, n).start);
            }
        }
    }

    #[test]
    fn organ_windows_follow_the_clock_across_a_dst_change() {
        let new_york = Zone::parse("America/New_York").unwrap();
        // 2024-03-10: at 02:00 EST the clocks jumped to 03:00 EDT.
        let hours: Vec<u8> = super::super::tables::ORGANS.iter().map(|(h, _, _)| *h).collect();
        let windows = clock_windows(&new_york, ts("2024-03-10T08:00:00Z"), &hours);
        for pair in windows.windows(2) {
            assert_eq!(pair[0].1.end, pair[1].1.start);
        }
        // Liver (01:00-03:00 local) lasts one real hour that night.
        let liver = windows
            .iter()
            .find(|(w, span)| *w == 11 && span.start == ts("2024-03-10T06:00:00Z"))
            .expect("the Liver window of that night");
        assert_eq!(liver.1.end, ts("2024-03-10T07:00:00Z"));
    }

    #[test]
    fn sunday_in_bengaluru_begins_with_the_sun() {
        let day = VedicDay {
            sunrise: ts("2024-03-24T00:51:00Z"),
            sunset: ts("2024-03-24T13:01:00Z"),
            next_sunrise: ts("2024-03-25T00:50:20Z"),
            date: date(2024, 3, 24),
        };
        let schedule = Schedule::of(&day);
        assert_eq!(schedule.horas[0].lord, "Sun");
        assert_eq!(schedule.horas[12].lord, "Jupiter");
        assert_eq!(schedule.choghadiyas[0].name, "Udveg");
        assert_eq!(schedule.choghadiyas[7].name, "Udveg");
        assert_eq!(schedule.choghadiyas[8].name, "Shubh");
        assert_eq!(schedule.rahu_kalam.end, day.sunset);
        assert_eq!(schedule.muhurtas[7].name, "Vidhi");
    }
}
