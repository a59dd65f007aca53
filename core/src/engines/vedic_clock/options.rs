//! The vedic clock's options: `options.transitions`.

use serde::Deserialize;

use super::META;
use crate::engines::options::parse_options;
use crate::engines::{EngineError, FieldError, Options};

/// How many coming changes of each division `next_transitions` lists, by default and at most.
pub(crate) const DEFAULT_TRANSITIONS: u8 = 3;
pub(crate) const MAX_TRANSITIONS: u8 = 12;

/// The options the vedic clock accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub(crate) struct ClockOptions {
    #[serde(default = "default_transitions")]
    pub transitions: u8,
}

fn default_transitions() -> u8 {
    DEFAULT_TRANSITIONS
}

impl ClockOptions {
    /// Parses `options`, naming each unknown key and a bad value (`options.<key>`), and checks
    /// the number of transitions.
    pub(crate) fn parse(options: &Options) -> Result<ClockOptions, EngineError> {
        let parsed: ClockOptions = parse_options(options, &META)?;
        if !(1..=MAX_TRANSITIONS).contains(&parsed.transitions) {
            return Err(FieldError::new(
                "options.transitions",
                format!("expected a whole number from 1 to {MAX_TRANSITIONS} (default {DEFAULT_TRANSITIONS})"),
            )
            .into());
        }
        Ok(parsed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(value: serde_json::Value) -> Result<ClockOptions, EngineError> {
        ClockOptions::parse(&value.as_object().cloned().unwrap_or_default())
    }

    #[test]
    fn transitions_default_to_three_and_stay_within_bounds() {
        assert_eq!(parse(json!({})).unwrap().transitions, 3);
        assert_eq!(parse(json!({"transitions": 12})).unwrap().transitions, 12);
        assert_eq!(parse(json!({"transitions": 0})).unwrap_err().fields(), ["options.transitions"]);
        assert_eq!(parse(json!({"transitions": 13})).unwrap_err().fields(), ["options.transitions"]);
        assert_eq!(parse(json!({"transitions": 100000})).unwrap_err().fields(), ["options.transitions"]);
        assert_eq!(parse(json!({"transitions": "3"})).unwrap_err().fields(), ["options.transitions"]);
        assert_eq!(parse(json!({"hours": 3})).unwrap_err().fields(), ["options.hours"]);
    }
}
