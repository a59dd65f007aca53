//! The vedic clock's options: `options.transitions`.

use serde::Deserialize;

use crate::engines::{EngineError, FieldError, Options};

/// How many coming changes of each division `next_transitions` lists, by default and at most.
pub(crate) const DEFAULT_TRANSITIONS: u8 = 3;
pub(crate) const MAX_TRANSITIONS: u8 = 12;

/// The options the vedic clock accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ClockOptions {
    #[serde(default = "default_transitions")]
    pub transitions: u8,
}

fn default_transitions() -> u8 {
    DEFAULT_TRANSITIONS
}

const KNOWN: [&str; 1] = ["transitions"];

impl ClockOptions {
    /// Parses `options`, naming each unknown key and a bad value (`options.<key>`).
    pub(crate) fn parse(options: &Options) -> Result<ClockOptions, EngineError> {
        let unknown: Vec<FieldError> = options
            .keys()
            .filter(|key| !KNOWN.contains(&key.as_str()))
            .map(|key| {
                FieldError::new(
                    format!("options.{key}"),
                    "unknown option; the vedic clock accepts `transitions` (how many coming changes of each division to list)",
                )
            })
            .collect();
        if !unknown.is_empty() {
            return Err(EngineError::Validation(unknown));
        }
        let transitions_error = || {
            FieldError::new(
                "options.transitions",
                format!("expected a whole number from 1 to {MAX_TRANSITIONS} (default {DEFAULT_TRANSITIONS})"),
            )
        };
        // With every key known, only the value of `transitions` can be wrong.
        let parsed: ClockOptions =
            serde_json::from_value(serde_json::Value::Object(options.clone())).map_err(|_| transitions_error())?;
        if !(1..=MAX_TRANSITIONS).contains(&parsed.transitions) {
            return Err(transitions_error().into());
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

    fn fields(result: Result<ClockOptions, EngineError>) -> Vec<String> {
        match result {
            Err(EngineError::Validation(errors)) => errors.into_iter().map(|e| e.field).collect(),
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn transitions_default_to_three_and_stay_within_bounds() {
        assert_eq!(parse(json!({})).unwrap().transitions, 3);
        assert_eq!(parse(json!({"transitions": 12})).unwrap().transitions, 12);
        assert_eq!(fields(parse(json!({"transitions": 0}))), ["options.transitions"]);
        assert_eq!(fields(parse(json!({"transitions": 13}))), ["options.transitions"]);
        assert_eq!(fields(parse(json!({"transitions": 100000}))), ["options.transitions"]);
        assert_eq!(fields(parse(json!({"transitions": "3"}))), ["options.transitions"]);
        assert_eq!(fields(parse(json!({"hours": 3}))), ["options.hours"]);
    }
}
