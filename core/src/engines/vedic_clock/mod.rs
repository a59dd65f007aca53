//! The vedic clock: where the day's traditional clocks stand at an instant.
//!
//! Two run on local clock time and need only a timezone: the organ clock of Chinese medicine (twelve
//! two-hour windows) and the Ayurvedic dosha clock (six four-hour windows). The rest are counted
//! from sunrise and sunset at a place and need its coordinates: the 24 horas, the 16 choghadiyas,
//! the 30 muhurtas and the day's Rahu Kalam. The Vedic day runs from sunrise to sunrise, so before
//! sunrise the weekday (and its lord) is still yesterday's.
//!
//! ```
//! use noesis_core::engines::{vedic_clock, CalculationInput, Location, Options};
//! use noesis_core::ephemeris::rise_set::GeoPoint;
//! use noesis_core::time::zone::Zone;
//!
//! // Sunday 2024-03-24, just after sunrise in Bengaluru.
//! let input = CalculationInput {
//!     birth: None,
//!     now: "2024-03-24T06:30:00+05:30".parse()?,
//!     location: Some(Location {
//!         place: Some(GeoPoint::new(12.9716, 77.5946)?),
//!         zone: Some(Zone::parse("Asia/Kolkata")?),
//!     }),
//!     options: Options::new(),
//! };
//! let clock = vedic_clock::calculate(&input)?;
//! assert_eq!(clock.hora.as_ref().map(|h| (h.index, h.lord)), Some((1, "Sun")));
//! assert_eq!(clock.choghadiya.as_ref().map(|c| c.name), Some("Udveg"));
//! assert_eq!(clock.rahu_kalam.as_ref().map(|r| r.part), Some(8));
//! assert_eq!((clock.organ.name, clock.dosha.name), ("Large Intestine", "Kapha"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod calculate;
mod options;
mod prompt;
mod result;
mod tables;
mod windows;

use crate::engines::{EngineMeta, InputSpec, Level, TimeGranularity};

pub use super::vedic::Vara;
pub use calculate::calculate;
pub use prompt::witness_prompt;
pub use result::{Choghadiya, DoshaWindow, Hora, Muhurta, OrganWindow, RahuKalam, Transition, Unavailable, VedicClock};

/// The vedic clock engine.
pub const META: EngineMeta = EngineMeta {
    id: "vedic-clock",
    name: "Vedic Clock",
    description: "Where the day's traditional clocks stand now: the organ and dosha clocks of local time, and the \
                  hora, choghadiya, muhurta and Rahu Kalam counted from sunrise, with what changes next.",
    required_level: Level::MIN,
    version: "1.0.0",
    inputs: &[
        InputSpec { field: "current_time", required: true, description: "The instant the clocks are read at." },
        InputSpec {
            field: "location.timezone",
            required: false,
            description: "Local clock time for the organ and dosha clocks; needed unless latitude and longitude are given.",
        },
        InputSpec {
            field: "location.latitude",
            required: false,
            description: "With the longitude, sunrise and sunset: hora, choghadiya, muhurta and Rahu Kalam.",
        },
        InputSpec { field: "location.longitude", required: false, description: "See location.latitude." },
        InputSpec {
            field: "options.transitions",
            required: false,
            description: "How many coming changes of each division to list, 1-12 (default 3).",
        },
    ],
    // The sunrise-based windows change at arbitrary seconds: the answer describes current_time
    // rounded down to the minute, so near a change it can be up to a minute behind, never more.
    time_granularity: TimeGranularity::Seconds(60),
};
