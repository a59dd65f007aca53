//! The panchanga's options: `options.at`.

use serde::Deserialize;

use crate::engines::{EngineError, FieldError, Options};

/// The instant whose panchanga is given.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum At {
    /// The instant asked: the birth, or `current_time`.
    #[default]
    Instant,
    /// Local sunrise on the local date of that instant: the day's panchanga as almanacs print it.
    Sunrise,
}

/// The options the panchanga accepts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PanchangaOptions {
    #[serde(default)]
    pub at: At,
}

const KNOWN: [&str; 1] = ["at"];

impl PanchangaOptions {
    /// Parses `options`, naming each unknown key and a bad value (`options.<key>`).
    pub(crate) fn parse(options: &Options) -> Result<PanchangaOptions, EngineError> {
        let unknown: Vec<FieldError> = options
            .keys()
            .filter(|key| !KNOWN.contains(&key.as_str()))
            .map(|key| {
                FieldError::new(
                    format!("options.{key}"),
                    "unknown option; the panchanga accepts `at` (\"instant\" or \"sunrise\")",
                )
            })
            .collect();
        if !unknown.is_empty() {
            return Err(EngineError::Validation(unknown));
        }
        // With every key known, only the value of `at` can be wrong.
        serde_json::from_value(serde_json::Value::Object(options.clone()))
            .map_err(|_| FieldError::new("options.at", "expected \"instant\" (the default) or \"sunrise\"").into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn options(value: serde_json::Value) -> Options {
        value.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn at_defaults_to_the_instant_and_accepts_sunrise() {
        assert_eq!(PanchangaOptions::parse(&Options::new()).unwrap().at, At::Instant);
        assert_eq!(PanchangaOptions::parse(&options(json!({"at": "sunrise"}))).unwrap().at, At::Sunrise);
    }

    #[test]
    fn unknown_keys_and_bad_values_are_named() {
        let Err(EngineError::Validation(errors)) = PanchangaOptions::parse(&options(json!({"at": "noon"}))) else {
            panic!("a bad value must be refused");
        };
        assert_eq!(errors.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(), ["options.at"]);
        let Err(EngineError::Validation(errors)) = PanchangaOptions::parse(&options(json!({"zone": 1}))) else {
            panic!("an unknown key must be refused");
        };
        assert_eq!(errors[0].field, "options.zone");
    }
}
