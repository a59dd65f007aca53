use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::Offset;

/// Why a time zone, offset or local time could not be turned into an instant.
///
/// Every variant carries what a caller needs to correct the request; the messages are written
/// for the person who sent it (the API returns them as 422 details).
///
/// ```
/// use noesis_core::time::zone::{resolve_local, Zone};
///
/// let new_york = Zone::parse("America/New_York")?;
/// let err = resolve_local(
///     jiff::civil::date(2021, 3, 14),
///     jiff::civil::time(2, 30, 0, 0),
///     &new_york,
///     None,
/// )
/// .unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "2021-03-14T02:30:00 does not exist in America/New_York: clocks went from \
///      2021-03-14T02:00:00 (UTC-05:00) straight to 2021-03-14T03:00:00 (UTC-04:00) at \
///      2021-03-14T07:00:00Z; say which instant is meant with fold \"earlier\" or \"later\"",
/// );
/// # Ok::<(), noesis_core::time::TimeError>(())
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TimeError {
    /// The name is neither a time zone in the tz database nor a UTC offset.
    #[error(
        "unknown time zone {name:?}: expected an IANA time zone name such as \"Asia/Kolkata\" \
         or a UTC offset such as \"+05:30\""
    )]
    UnknownZone {
        /// The name as given.
        name: String,
    },

    /// The text looks like a UTC offset (it starts with `+` or `-`) but is not a valid one.
    #[error("invalid UTC offset {input:?}: {reason}")]
    InvalidOffset {
        /// The offset as given.
        input: String,
        /// What is wrong with it.
        reason: &'static str,
    },

    /// The local time falls in a gap: the clocks of the zone skipped it (usually the start of
    /// daylight saving time).
    #[error(
        "{local} does not exist in {zone}: clocks went from {gap_start} (UTC{}) straight to \
         {gap_end} (UTC{}) at {transition}; say which instant is meant with fold \"earlier\" or \
         \"later\"",
        super::zone::format_offset(*.offset_before),
        super::zone::format_offset(*.offset_after)
    )]
    Nonexistent {
        /// The local date and time asked for.
        local: DateTime,
        /// The zone's name.
        zone: String,
        /// The local time at which the gap starts (the clocks' reading just before the jump).
        gap_start: DateTime,
        /// The local time at which the gap ends (the clocks' reading just after the jump).
        gap_end: DateTime,
        /// The UTC instant of the jump.
        transition: Timestamp,
        /// The UTC offset before the jump.
        offset_before: Offset,
        /// The UTC offset after the jump.
        offset_after: Offset,
    },

    /// The local time happened twice: the clocks of the zone were set back over it (usually the
    /// end of daylight saving time).
    #[error(
        "{local} is ambiguous in {zone}: it happened first at UTC{} and again at UTC{}; say \
         which is meant with fold \"earlier\" or \"later\"",
        super::zone::format_offset(*.earlier_offset),
        super::zone::format_offset(*.later_offset)
    )]
    Ambiguous {
        /// The local date and time asked for.
        local: DateTime,
        /// The zone's name.
        zone: String,
        /// The offset of its first occurrence.
        earlier_offset: Offset,
        /// The offset of its second occurrence.
        later_offset: Offset,
    },

    /// A date, time or Julian Day outside what can be represented (years −9999 to 9999).
    #[error("{detail}")]
    OutOfRange {
        /// What was out of range.
        detail: String,
    },
}
