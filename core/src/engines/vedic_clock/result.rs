//! The vedic clock's result: the public contract of `shared/ENGINES.md`, with a few additions.

use jiff::Timestamp;
use serde::Serialize;

use crate::engines::vedic::Vara;

/// Where the clocks stand at one instant, and what changes next.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VedicClock {
    /// The instant described (UTC): `current_time`.
    pub instant: Timestamp,
    /// The zone local clock time is read in: the request's, or the local mean time of the
    /// longitude when only coordinates were given.
    pub timezone: String,
    /// `instant` as local civil date and time in `timezone`.
    pub local_time: String,
    /// The organ clock's window (two hours of local clock time).
    pub organ: OrganWindow,
    /// The dosha clock's window (four hours of local clock time).
    pub dosha: DoshaWindow,
    /// The weekday of the Vedic day (sunrise to sunrise) the instant falls in.
    pub vara: Option<Vara>,
    /// `day` between sunrise and sunset, `night` between sunset and the next sunrise.
    pub period: Option<&'static str>,
    pub hora: Option<Hora>,
    pub choghadiya: Option<Choghadiya>,
    pub muhurta: Option<Muhurta>,
    /// The Vedic day's Rahu Kalam (which may be over, or yet to come).
    pub rahu_kalam: Option<RahuKalam>,
    /// The sunrise that began the Vedic day the instant falls in.
    pub sunrise: Option<Timestamp>,
    /// That day's sunset.
    pub sunset: Option<Timestamp>,
    /// The sunrise that ends that Vedic day.
    pub next_sunrise: Option<Timestamp>,
    /// The next changes of each division, in time order.
    pub next_transitions: Vec<Transition>,
    /// The fields that are `null`, each with the reason.
    pub unavailable: Vec<Unavailable>,
    /// What a user should know about how this answer was reached (empty when nothing unusual).
    pub notes: Vec<String>,
}

/// An organ's two-hour window.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrganWindow {
    pub name: &'static str,
    /// The organ's element in the five-phase scheme.
    pub element: &'static str,
    /// What the window is a good time to notice.
    pub focus: &'static str,
    pub start: Timestamp,
    pub end: Timestamp,
}

/// A dosha's four-hour window.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DoshaWindow {
    /// `Kapha`, `Pitta` or `Vata`.
    pub name: &'static str,
    /// The character of these hours.
    pub qualities: &'static str,
    pub start: Timestamp,
    pub end: Timestamp,
}

/// One of the 24 planetary hours of a Vedic day: twelfths of the daytime, then of the night.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hora {
    pub lord: &'static str,
    /// 1-24, counted from sunrise (13 is the first hora of the night).
    pub index: u8,
    pub start: Timestamp,
    pub end: Timestamp,
}

/// One of the 16 choghadiyas of a Vedic day: eighths of the daytime, then of the night.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Choghadiya {
    /// `Udveg`, `Char`, `Labh`, `Amrit`, `Kaal`, `Shubh` or `Rog`.
    pub name: &'static str,
    pub lord: &'static str,
    /// `auspicious`, `neutral` or `inauspicious`.
    pub quality: &'static str,
    /// 1-16, counted from sunrise (9 is the first choghadiya of the night).
    pub index: u8,
    pub start: Timestamp,
    pub end: Timestamp,
}

/// One of the 30 muhurtas of a Vedic day: fifteenths of the daytime, then of the night.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Muhurta {
    /// 1-30, counted from sunrise (16 is the first muhurta of the night; 8 is Abhijit).
    pub index: u8,
    pub name: &'static str,
    pub start: Timestamp,
    pub end: Timestamp,
}

/// The eighth of the daytime that the weekday gives to Rahu.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RahuKalam {
    pub start: Timestamp,
    pub end: Timestamp,
    /// Which eighth of the daytime it is, 1-8.
    pub part: u8,
    /// Whether the instant lies inside it.
    pub active: bool,
}

/// A coming change of one division.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Transition {
    pub at: Timestamp,
    /// `organ`, `dosha`, `hora`, `choghadiya`, `muhurta` or `rahu_kalam`.
    pub division: &'static str,
    /// What begins then: the organ, dosha, hora lord, choghadiya or muhurta; for Rahu Kalam,
    /// `begins` or `ends`.
    pub name: &'static str,
}

/// A field left `null`, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unavailable {
    pub field: &'static str,
    pub reason: String,
}
