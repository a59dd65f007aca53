//! The panchanga: the five limbs of the Hindu almanac at an instant and a place.
//!
//! Tithi, nakshatra, yoga and karana are arcs of the Moon's and the Sun's longitudes (sidereal,
//! Lahiri, with the true ayanamsa); each comes with the instant it ends, found by root-finding to
//! the second (see [`limbs`]). Vara, the fifth limb, is the weekday counted from sunrise to sunrise
//! at the place (see the `vedic_day` module).
//!
//! ```
//! use noesis_core::engines::{panchanga, BirthData, CalculationInput, Options};
//! use noesis_core::ephemeris::rise_set::GeoPoint;
//! use noesis_core::time::zone::Zone;
//!
//! let birth = BirthData {
//!     name: None,
//!     date: jiff::civil::date(1991, 8, 13),
//!     time: Some(jiff::civil::time(13, 31, 0, 0)),
//!     zone: Some(Zone::parse("Asia/Kolkata")?),
//!     place: Some(GeoPoint::new(12.9716, 77.5946)?),
//!     instant: Some("1991-08-13T08:01:00Z".parse()?),
//! };
//! let input = CalculationInput {
//!     birth: Some(birth),
//!     now: "2026-01-01T00:00:00Z".parse()?,
//!     location: None,
//!     options: Options::new(),
//! };
//! let p = panchanga::calculate(&input)?;
//! assert_eq!((p.tithi.paksha, p.tithi.name), ("Shukla", "Chaturthi"));
//! assert_eq!((p.nakshatra.name, p.nakshatra.pada), ("Uttara Phalguni", 4));
//! assert_eq!((p.yoga.name, p.karana.name, p.vara.name), ("Siddha", "Vishti", "Mangalavara"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod calculate;
mod limbs;
mod options;
mod prompt;
mod result;
mod tables;
pub(crate) mod vedic_day;

use crate::engines::{EngineMeta, InputSpec, Level, TimeGranularity};

pub use super::vedic::Vara;
pub use calculate::{calculate, limbs};
pub use options::At;
pub use prompt::witness_prompt;
pub use result::{Karana, Limbs, Nakshatra, Panchanga, Tithi, Yoga};

/// The panchanga engine.
pub const META: EngineMeta = EngineMeta {
    id: "panchanga",
    name: "Panchanga",
    description: "The five limbs of the Vedic almanac (tithi, nakshatra, yoga, karana, vara) for a birth or for now \
                  at a place, with the instant each one ends, sunrise, sunset and moonrise.",
    required_level: Level::MIN,
    version: "1.0.0",
    inputs: &[
        InputSpec {
            field: "birth_data.date",
            required: false,
            description: "With the time and timezone, the birth instant whose panchanga is given.",
        },
        InputSpec { field: "birth_data.time", required: false, description: "Needed when birth_data is given." },
        InputSpec { field: "birth_data.timezone", required: false, description: "Needed when birth_data is given." },
        InputSpec {
            field: "birth_data.latitude",
            required: false,
            description: "The birth place, needed when birth_data is given: sunrise, sunset and the vara.",
        },
        InputSpec { field: "birth_data.longitude", required: false, description: "See birth_data.latitude." },
        InputSpec {
            field: "current_time",
            required: false,
            description: "Without birth_data, the instant whose panchanga is given.",
        },
        InputSpec {
            field: "location.latitude",
            required: false,
            description: "Without birth_data, the place: sunrise, sunset and the vara.",
        },
        InputSpec { field: "location.longitude", required: false, description: "See location.latitude." },
        InputSpec {
            field: "location.timezone",
            required: false,
            description: "Without birth_data, the zone local dates are read in; the longitude's local mean time if absent.",
        },
        InputSpec {
            field: "options.at",
            required: false,
            description: "\"instant\" (default) or \"sunrise\": the panchanga as it stands at local sunrise that date.",
        },
    ],
    // With birth data the answer ignores current_time; without it, it describes current_time
    // rounded down to the minute: the limbs change at arbitrary seconds, so no coarser bucket
    // could serve every instant in it with the answer for its own minute.
    time_granularity: TimeGranularity::Seconds(60),
};
