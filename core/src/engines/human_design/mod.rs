//! Human Design: the bodygraph of a birth.
//!
//! Two moments shape the chart. The **Personality** is the sky at birth; the **Design** is the sky
//! when the apparent Sun stood exactly 88° of longitude earlier, some 88-92 days before birth
//! (found by Newton's method on the Sun's position and speed, to 0.01 s). At each moment the Sun,
//! Earth (Sun + 180°), Moon, true North Node, South Node (+180°) and the planets Mercury to Pluto
//! each activate a gate of the wheel ([`GATE_ORDER`]) and a line, color, tone and base within it. A
//! channel whose two gates are both activated is active; the centres it joins are defined; the
//! type, authority and definition follow from which centres are defined and how they connect (see
//! [`Bodygraph`]).
//!
//! ```
//! use noesis_core::engines::human_design::{Authority, Definition, Type, chart};
//!
//! let chart = chart("1991-08-13T08:01:00Z".parse().unwrap()).unwrap();
//! assert_eq!(chart.kind, Type::Generator);
//! assert_eq!(chart.authority, Authority::Sacral);
//! assert_eq!(chart.definition, Definition::Split);
//! assert_eq!(chart.personality.sun.gate_line(), "4.2");
//! assert_eq!(chart.design.sun.gate_line(), "23.4");
//! ```
//!
//! Options: `format` = `"json"` (default) or `"svg"`, which adds the bodygraph as an SVG document
//! in `result.svg`.

mod bodygraph;
mod chart;
mod prompt;
mod svg;
mod wheel;

pub use bodygraph::{Authority, Bodygraph, CHANNELS, Center, Channel, Definition, Type};
pub use chart::{Activations, CrossAngle, DESIGN_SOLAR_ARC_DEG, HumanDesignResult, IncarnationCross, chart};
pub use prompt::witness_prompt;
pub use svg::bodygraph as bodygraph_svg;
pub use wheel::{Activation, GATE_ORDER, GATE_SPAN_DEG, LINE_SPAN_DEG, WHEEL_START_DEG, gate_start_deg, opposite_gate};

use crate::engines::options::parse_options;
use crate::engines::{CalculationInput, EngineError, EngineMeta, InputSpec, Level, TimeGranularity};
use serde::Deserialize;

/// The engine's description for the API.
pub const META: EngineMeta = EngineMeta {
    id: "human-design",
    name: "Human Design",
    description: "The bodygraph of a birth: type, strategy, authority, profile, definition, incarnation cross, \
                  defined centres and channels, and all 26 Personality and Design activations, optionally drawn \
                  as an SVG.",
    required_level: match Level::new(1) {
        Some(level) => level,
        None => Level::MIN,
    },
    version: "1.0.0",
    inputs: &[
        InputSpec { field: "birth_data.date", required: true, description: "local date of birth" },
        InputSpec { field: "birth_data.time", required: true, description: "local time of birth, to the minute" },
        InputSpec {
            field: "birth_data.timezone",
            required: true,
            description: "zone of the birth time (IANA name or UTC offset)",
        },
        InputSpec {
            field: "options.format",
            required: false,
            description: "\"json\" (default) or \"svg\" to add the bodygraph drawing in result.svg",
        },
    ],
    time_granularity: TimeGranularity::Timeless,
};

/// The options this engine takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
struct HumanDesignOptions {
    #[serde(default)]
    format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Format {
    #[default]
    Json,
    Svg,
}

/// Why the chart needs the time of birth, for the error when it is missing.
pub(crate) const WHY_BIRTH_TIME: &str = "the Personality and Design activations are read from the sky at that minute";

/// The chart of `input.birth`, with the bodygraph drawing when `options.format` is `"svg"`.
pub fn calculate(input: &CalculationInput) -> Result<HumanDesignResult, EngineError> {
    let options: HumanDesignOptions = parse_options(&input.options, &META)?;
    let instant = input.birth_instant(META.id, WHY_BIRTH_TIME)?;
    let mut result = chart(instant)?;
    if options.format == Format::Svg {
        result.svg = Some(svg::bodygraph(&result));
    }
    Ok(result)
}
