//! Time zones and local civil time.
//!
//! A [`Zone`] is what a request's `timezone` names: an IANA time zone, whose offsets follow the
//! tz database's full history (war time, DST rules that changed, zones that moved), or a fixed
//! UTC offset. The tz database is compiled into the binary (jiff's `tzdb-bundle-always`), so the
//! answers are the same on the origin and in the WASM edge, and do not depend on the host.
//!
//! Local times are not always instants: when the clocks jump forward a local time may not exist
//! (a gap), and when they go back it may happen twice (a fold). [`resolve_local`] reports both
//! unless the caller says which instant is meant with a [`Fold`].
//!
//! ```
//! use jiff::civil::{date, time};
//! use noesis_core::time::zone::{resolve_local, Fold, Zone};
//!
//! let new_york = Zone::parse("America/New_York")?;
//! let twice = (date(2021, 11, 7), time(1, 30, 0, 0));
//! let first = resolve_local(twice.0, twice.1, &new_york, Some(Fold::Earlier))?;
//! let second = resolve_local(twice.0, twice.1, &new_york, Some(Fold::Later))?;
//! assert_eq!(first.to_string(), "2021-11-07T05:30:00Z");
//! assert_eq!(second.to_string(), "2021-11-07T06:30:00Z");
//! # Ok::<(), noesis_core::time::TimeError>(())
//! ```

use std::fmt;
use std::str::FromStr;

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::{AmbiguousOffset, Offset, TimeZone};
use jiff::{Timestamp, ZonedDateTime};

use super::TimeError;

/// The largest UTC offset accepted, ±18:00 (as in RFC 3339 practice and `java.time`); every
/// offset in the tz database's history is within ±15:56.
const MAX_OFFSET_SECONDS: i32 = 18 * 3600;

/// A time zone: an IANA zone from the tz database, or a fixed UTC offset.
///
/// Build one with [`Zone::parse`] (or `str::parse`). Serialises as its [`name`](Zone::name).
///
/// ```
/// use noesis_core::time::zone::Zone;
///
/// assert_eq!(Zone::parse("Asia/Kolkata")?.name(), "Asia/Kolkata");
/// assert_eq!(Zone::parse("+0530")?.name(), "+05:30");
/// assert_eq!(Zone::parse("Z")?.name(), "UTC");
/// # Ok::<(), noesis_core::time::TimeError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Zone {
    /// A zone of the tz database, with its history of offsets.
    Iana {
        /// The zone's name as the database spells it, e.g. `Asia/Kolkata`.
        name: String,
        /// The zone's rules.
        tz: TimeZone,
    },
    /// A constant UTC offset.
    Fixed {
        /// `UTC` for a zero offset given as `Z` or `UTC`, else the offset as `±HH:MM[:SS]`.
        name: String,
        /// The offset.
        offset: Offset,
    },
}

/// Which of two instants a local time means when it is ambiguous or skipped.
///
/// In a fold (clocks set back) `Earlier` is the first occurrence and `Later` the second. In a
/// gap (clocks set forward) the local time has no instant of its own; `Earlier` reads it with the
/// offset after the jump, giving the instant before the gap (02:30 in New York on 2021-03-14 →
/// 06:30Z, shown as 01:30 EST), and `Later` reads it with the offset before the jump, giving the
/// instant after the gap (07:30Z, shown as 03:30 EDT). Either way `Earlier` is the earlier
/// instant, as jiff's `Disambiguation::Earlier`.
///
/// Deserialises from `"earlier"` or `"later"` (the request's `options.fold`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Fold {
    /// The earlier of the two instants.
    Earlier,
    /// The later of the two instants.
    Later,
}

impl Zone {
    /// Parses a request's `timezone`: an IANA name (`Asia/Kolkata`), a UTC offset (`+05:30`,
    /// `-0800`, `+05`, `+05:53:28`, within ±18:00), or `Z` / `UTC` for UTC.
    ///
    /// Names are looked up as the tz database spells them; the lookup forgives letter case
    /// (`asia/kolkata` is found) and [`name`](Zone::name) then gives the database's spelling.
    ///
    /// ```
    /// use noesis_core::time::{zone::Zone, TimeError};
    ///
    /// assert_eq!(Zone::parse("-08:00")?.name(), "-08:00");
    /// assert!(matches!(Zone::parse("Mars/Olympus_Mons"), Err(TimeError::UnknownZone { .. })));
    /// assert!(matches!(Zone::parse("+19:00"), Err(TimeError::InvalidOffset { .. })));
    /// # Ok::<(), TimeError>(())
    /// ```
    pub fn parse(s: &str) -> Result<Zone, TimeError> {
        if s == "Z" || s == "z" || s.eq_ignore_ascii_case("UTC") {
            return Ok(Zone::Fixed { name: "UTC".to_owned(), offset: Offset::UTC });
        }
        if s.starts_with(['+', '-']) {
            let offset = parse_offset(s)?;
            return Ok(Zone::Fixed { name: format_offset(offset), offset });
        }
        let unknown = || TimeError::UnknownZone { name: s.to_owned() };
        // `Etc/Unknown` is jiff's marker for "no time zone information", not a zone.
        if s.is_empty() || s.eq_ignore_ascii_case("Etc/Unknown") {
            return Err(unknown());
        }
        let tz = jiff::tz::db().get(s).map_err(|_| unknown())?;
        let name = tz.iana_name().unwrap_or(s).to_owned();
        Ok(Zone::Iana { name, tz })
    }

    /// The zone's name: the IANA name, `UTC`, or the offset as `±HH:MM[:SS]`.
    pub fn name(&self) -> &str {
        match self {
            Zone::Iana { name, .. } | Zone::Fixed { name, .. } => name,
        }
    }

    /// The zone as a jiff [`TimeZone`], for anything this type does not cover.
    pub fn time_zone(&self) -> TimeZone {
        match self {
            Zone::Iana { tz, .. } => tz.clone(),
            Zone::Fixed { offset, .. } => TimeZone::fixed(*offset),
        }
    }

    /// The UTC offset in force at an instant.
    ///
    /// ```
    /// use noesis_core::time::zone::Zone;
    ///
    /// let kolkata = Zone::parse("Asia/Kolkata")?;
    /// let war_time = kolkata.offset_at("1944-06-01T00:00:00Z".parse().unwrap());
    /// assert_eq!(war_time.seconds(), 6 * 3600 + 30 * 60);
    /// # Ok::<(), noesis_core::time::TimeError>(())
    /// ```
    pub fn offset_at(&self, ts: Timestamp) -> Offset {
        match self {
            Zone::Iana { tz, .. } => tz.to_offset(ts),
            Zone::Fixed { offset, .. } => *offset,
        }
    }

    /// The local civil time in this zone at an instant (with its offset and zone).
    ///
    /// ```
    /// use noesis_core::time::zone::Zone;
    ///
    /// let local = Zone::parse("Asia/Kolkata")?.to_local("1991-08-13T08:01:00Z".parse().unwrap());
    /// assert_eq!(local.datetime().to_string(), "1991-08-13T13:31:00");
    /// assert_eq!(local.offset().seconds(), 19_800);
    /// # Ok::<(), noesis_core::time::TimeError>(())
    /// ```
    pub fn to_local(&self, ts: Timestamp) -> ZonedDateTime {
        ts.to_zoned_datetime(self.time_zone())
    }

    /// The UT bounds `[start, end)` of a local calendar day in this zone.
    ///
    /// A day is not always 24 hours: it has 23 or 25 when DST starts or ends, and in zones whose
    /// clocks jump at midnight it starts at the first instant that exists (01:00 on the day
    /// São Paulo began DST in 2018). Dates at the very end of the representable range saturate
    /// at [`Timestamp::MAX`].
    ///
    /// ```
    /// use jiff::civil::date;
    /// use noesis_core::time::zone::Zone;
    ///
    /// let new_york = Zone::parse("America/New_York")?;
    /// let (start, end) = new_york.day_bounds(date(2021, 3, 14));
    /// assert_eq!(start.to_string(), "2021-03-14T05:00:00Z");
    /// assert_eq!(end.to_string(), "2021-03-15T04:00:00Z"); // 23 hours later
    /// # Ok::<(), noesis_core::time::TimeError>(())
    /// ```
    pub fn day_bounds(&self, date: Date) -> (Timestamp, Timestamp) {
        let start = self.start_of_day(date);
        let end = date.tomorrow().map_or(Timestamp::MAX, |next| self.start_of_day(next));
        (start, end)
    }

    /// The first instant of a local date: its midnight, or when midnight falls in a gap, the
    /// end of the gap; when midnight happens twice, the first time.
    fn start_of_day(&self, date: Date) -> Timestamp {
        let midnight = date.to_datetime(Time::midnight());
        match resolve(midnight, self) {
            Ok(Resolution::Unique(ts)) => ts,
            Ok(Resolution::Gap(gap)) => gap.transition,
            Ok(Resolution::Fold { earlier, .. }) => earlier.0,
            Err(_) if date.year() < 0 => Timestamp::MIN,
            Err(_) => Timestamp::MAX,
        }
    }
}

/// Resolves a local civil date and time in a zone to the instant it names.
///
/// With `fold` absent, a local time in a gap is [`TimeError::Nonexistent`] (naming the gap) and
/// one in a fold is [`TimeError::Ambiguous`] (naming both offsets); with `fold` present, the
/// instant it chooses is returned instead (see [`Fold`]).
///
/// ```
/// use jiff::civil::{date, time};
/// use noesis_core::time::{zone::{resolve_local, Fold, Zone}, TimeError};
///
/// let new_york = Zone::parse("America/New_York")?;
/// let skipped = resolve_local(date(2021, 3, 14), time(2, 30, 0, 0), &new_york, None);
/// assert!(matches!(skipped, Err(TimeError::Nonexistent { .. })));
///
/// let twice = resolve_local(date(2021, 11, 7), time(1, 30, 0, 0), &new_york, None);
/// assert!(matches!(twice, Err(TimeError::Ambiguous { .. })));
///
/// let chosen = resolve_local(date(2021, 11, 7), time(1, 30, 0, 0), &new_york, Some(Fold::Later))?;
/// assert_eq!(chosen.to_string(), "2021-11-07T06:30:00Z");
/// # Ok::<(), TimeError>(())
/// ```
pub fn resolve_local(date: Date, time: Time, zone: &Zone, fold: Option<Fold>) -> Result<Timestamp, TimeError> {
    let local = date.to_datetime(time);
    match (resolve(local, zone)?, fold) {
        (Resolution::Unique(ts), _) => Ok(ts),
        (Resolution::Gap(gap), Some(Fold::Earlier)) => Ok(gap.earlier),
        (Resolution::Gap(gap), Some(Fold::Later)) => Ok(gap.later),
        (Resolution::Gap(gap), None) => Err(TimeError::Nonexistent {
            local,
            zone: zone.name().to_owned(),
            gap_start: gap.offset_before.to_datetime(gap.transition),
            gap_end: gap.offset_after.to_datetime(gap.transition),
            transition: gap.transition,
            offset_before: gap.offset_before,
            offset_after: gap.offset_after,
        }),
        (Resolution::Fold { earlier, .. }, Some(Fold::Earlier)) => Ok(earlier.0),
        (Resolution::Fold { later, .. }, Some(Fold::Later)) => Ok(later.0),
        (Resolution::Fold { earlier, later }, None) => Err(TimeError::Ambiguous {
            local,
            zone: zone.name().to_owned(),
            earlier_offset: earlier.1,
            later_offset: later.1,
        }),
    }
}

/// Formats an offset as `±HH:MM`, or `±HH:MM:SS` when it has seconds (local mean times do).
///
/// jiff's own `Display` drops zero minutes (`-05`); the API always writes them.
pub(crate) fn format_offset(offset: Offset) -> String {
    let sign = if offset.is_negative() { '-' } else { '+' };
    let total = offset.seconds().unsigned_abs();
    let (hours, minutes, seconds) = (total / 3600, total / 60 % 60, total % 60);
    if seconds == 0 {
        format!("{sign}{hours:02}:{minutes:02}")
    } else {
        format!("{sign}{hours:02}:{minutes:02}:{seconds:02}")
    }
}

/// What a local time means in a zone.
enum Resolution {
    Unique(Timestamp),
    Gap(Gap),
    /// Both occurrences, each with its offset.
    Fold {
        earlier: (Timestamp, Offset),
        later: (Timestamp, Offset),
    },
}

struct Gap {
    /// The local time read with the offset after the jump: an instant before the gap.
    earlier: Timestamp,
    /// The local time read with the offset before the jump: an instant after the gap.
    later: Timestamp,
    transition: Timestamp,
    offset_before: Offset,
    offset_after: Offset,
}

fn resolve(local: DateTime, zone: &Zone) -> Result<Resolution, TimeError> {
    let at = |offset: Offset| {
        offset.to_timestamp(local).map_err(|_| TimeError::OutOfRange {
            detail: format!("{local} at UTC{} is outside the years -9999 to 9999", format_offset(offset)),
        })
    };
    let tz = match zone {
        Zone::Fixed { offset, .. } => return at(*offset).map(Resolution::Unique),
        Zone::Iana { tz, .. } => tz,
    };
    match tz.to_ambiguous_timestamp(local).offset() {
        AmbiguousOffset::Unambiguous { offset } => at(offset).map(Resolution::Unique),
        AmbiguousOffset::Gap { before, after } => {
            // Read with the later offset the local time lands before the jump; the jump is the
            // first transition after that.
            let earlier = at(after)?;
            let later = at(before)?;
            let transition = tz.following(earlier).next().map_or(later, |t| t.timestamp());
            Ok(Resolution::Gap(Gap { earlier, later, transition, offset_before: before, offset_after: after }))
        }
        AmbiguousOffset::Fold { before, after } => {
            Ok(Resolution::Fold { earlier: (at(before)?, before), later: (at(after)?, after) })
        }
    }
}

fn parse_offset(input: &str) -> Result<Offset, TimeError> {
    let invalid = |reason| TimeError::InvalidOffset { input: input.to_owned(), reason };
    if !input.is_ascii() {
        return Err(invalid("expected ±HH:MM, ±HHMM, ±HH or ±HH:MM:SS"));
    }
    let (negative, rest) = match input.split_at(1) {
        ("-", rest) => (true, rest),
        (_, rest) => (false, rest),
    };
    let fields: Vec<&str> = if rest.contains(':') {
        rest.split(':').collect()
    } else if rest.len() == 4 {
        vec![&rest[..2], &rest[2..]]
    } else {
        vec![rest]
    };
    if fields.len() > 3 || fields.iter().any(|f| f.len() != 2) {
        return Err(invalid("expected ±HH:MM, ±HHMM, ±HH or ±HH:MM:SS"));
    }
    let mut parts = [0i32; 3];
    for (part, field) in parts.iter_mut().zip(&fields) {
        if !field.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid("expected ±HH:MM, ±HHMM, ±HH or ±HH:MM:SS"));
        }
        *part = field.parse().map_err(|_| invalid("expected ±HH:MM, ±HHMM, ±HH or ±HH:MM:SS"))?;
    }
    let [hours, minutes, seconds] = parts;
    if minutes >= 60 || seconds >= 60 {
        return Err(invalid("minutes and seconds must be below 60"));
    }
    let total = hours * 3600 + minutes * 60 + seconds;
    if total > MAX_OFFSET_SECONDS {
        return Err(invalid("offsets must be within ±18:00"));
    }
    let total = if negative { -total } else { total };
    Offset::from_seconds(total).map_err(|_| invalid("offsets must be within ±18:00"))
}

impl FromStr for Zone {
    type Err = TimeError;

    fn from_str(s: &str) -> Result<Zone, TimeError> {
        Zone::parse(s)
    }
}

impl TryFrom<String> for Zone {
    type Error = TimeError;

    fn try_from(s: String) -> Result<Zone, TimeError> {
        Zone::parse(&s)
    }
}

impl From<Zone> for String {
    fn from(zone: Zone) -> String {
        match zone {
            Zone::Iana { name, .. } | Zone::Fixed { name, .. } => name,
        }
    }
}

impl fmt::Display for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_in_every_accepted_spelling() {
        for (input, seconds, name) in [
            ("+05:30", 19_800, "+05:30"),
            ("+0530", 19_800, "+05:30"),
            ("-08:00", -28_800, "-08:00"),
            ("-0800", -28_800, "-08:00"),
            ("+05", 18_000, "+05:00"),
            ("+05:53:28", 21_208, "+05:53:28"),
            ("+18:00", 64_800, "+18:00"),
            ("-18:00", -64_800, "-18:00"),
            ("+00:00", 0, "+00:00"),
            ("-00:00", 0, "+00:00"),
        ] {
            let zone = Zone::parse(input).unwrap();
            assert_eq!(zone.name(), name, "{input}");
            assert_eq!(zone.offset_at(Timestamp::UNIX_EPOCH).seconds(), seconds);
        }
    }

    #[test]
    fn malformed_offsets_are_refused_with_a_reason() {
        for input in [
            "+",
            "-",
            "+5",
            "+5:30",
            "+05:3",
            "+05:30:",
            "+05:60",
            "+18:01",
            "+24:00",
            "+0a:00",
            "+05.30",
            "+053",
            "+05:30:00:00",
            "++05:30",
            "+٠٥:٣٠",
        ] {
            assert!(matches!(Zone::parse(input), Err(TimeError::InvalidOffset { .. })), "{input} should be refused");
        }
    }
}
