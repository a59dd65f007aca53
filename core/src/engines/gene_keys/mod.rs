//! Gene Keys: the Hologenetic Profile read from a Human Design chart.
//!
//! Each of the 64 Gene Keys shares its number with a Human Design gate, and a sphere of the
//! profile takes the key and line of one activation: the **Activation sequence** (Life's Work =
//! Personality Sun, Evolution = Personality Earth, Radiance = Design Sun, Purpose = Design Earth),
//! the **Venus sequence** (Attraction = Design Moon, IQ = Personality Venus, EQ = Personality Mars,
//! SQ = Design Venus, Core = Design Mars) and the **Pearl sequence** (Vocation = Design Mars,
//! Culture = Design Jupiter, Pearl = Personality Jupiter, Brand = Personality Sun). A key's
//! programming partner is the key across the wheel, 180° away.
//!
//! The activations come from the human-design engine's calculation of `birth_data`, or, when the
//! caller already has them, from `options.hd_gates` (its shape is documented in [`options`]).
//!
//! ```
//! use noesis_core::engines::gene_keys::{Source, from_birth};
//!
//! let profile = from_birth("1991-08-13T08:01:00Z".parse().unwrap()).unwrap();
//! assert_eq!(profile.source, Source::BirthData);
//! let life_work = &profile.activation_sequence[0];
//! assert_eq!((life_work.sphere, life_work.key, life_work.line), ("Life's Work", 4, 2));
//! ```

mod keys;
pub mod options;
mod prompt;
mod sequences;

pub use keys::{GENE_KEYS, GeneKey, gene_key, programming_partner};
pub use prompt::witness_prompt;
pub use sequences::{GateLine, GeneKeysResult, KeyEntry, Source, Sphere, SphereSources, profile};

use crate::engines::human_design;
use crate::engines::{CalculationInput, EngineError, EngineMeta, FieldError, InputSpec, Level, TimeGranularity};
use crate::ephemeris::EphemerisError;
use options::GeneKeysOptions;

/// The engine's description for the API.
pub const META: EngineMeta = EngineMeta {
    id: "gene-keys",
    name: "Gene Keys",
    description: "The Gene Keys profile of a birth: the Activation, Venus and Pearl sequences with each key's \
                  shadow, gift and siddhi, from birth data or from Human Design gates you already have.",
    required_level: match Level::new(2) {
        Some(level) => level,
        None => Level::MAX,
    },
    version: "1.0.0",
    inputs: &[
        InputSpec {
            field: "birth_data.date",
            required: false,
            description: "local date of birth (required unless options.hd_gates is given)",
        },
        InputSpec {
            field: "birth_data.time",
            required: false,
            description: "local time of birth (required unless options.hd_gates is given)",
        },
        InputSpec {
            field: "birth_data.timezone",
            required: false,
            description: "zone of the birth time (required unless options.hd_gates is given)",
        },
        InputSpec {
            field: "options.hd_gates",
            required: false,
            description: "Human Design activations to read instead of birth data: {\"personality\": {\"sun\": \
                          \"4.2\", \"venus\", \"mars\", \"jupiter\"}, \"design\": {\"sun\", \"moon\", \"venus\", \
                          \"mars\", \"jupiter\"}}, each \"gate.line\" or {\"gate\", \"line\"}; used in preference \
                          to birth_data",
        },
    ],
    time_granularity: TimeGranularity::Timeless,
};

/// The profile from `options.hd_gates` when given, else from the birth data.
pub fn calculate(input: &CalculationInput) -> Result<GeneKeysResult, EngineError> {
    let options = GeneKeysOptions::parse(&input.options)?;
    if let Some(gates) = options.hd_gates {
        return Ok(profile(&gates, Source::HdGates));
    }
    if input.birth.is_none() {
        return Err(FieldError::new(
            "birth_data",
            "birth data with date, time and timezone is required, unless options.hd_gates gives the Human Design \
             activations",
        )
        .into());
    }
    let instant = input.birth_instant(META.id, human_design::WHY_BIRTH_TIME)?;
    Ok(from_birth(instant)?)
}

/// The profile of someone born at `instant`, from the human-design engine's chart.
pub fn from_birth(instant: jiff::Timestamp) -> Result<GeneKeysResult, EphemerisError> {
    let chart = human_design::chart(instant)?;
    Ok(profile(&SphereSources::of_chart(&chart), Source::BirthData))
}
