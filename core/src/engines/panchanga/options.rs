//! The panchanga's options: `options.at`.

use serde::Deserialize;

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

/// The options the panchanga accepts, read by [`parse_options`](crate::engines::options::parse_options).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
pub(crate) struct PanchangaOptions {
    #[serde(default)]
    pub at: At,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engines::EngineError;
    use crate::engines::options::parse_options;
    use crate::engines::panchanga::META;
    use serde_json::json;

    fn parse(value: serde_json::Value) -> Result<PanchangaOptions, EngineError> {
        parse_options(&value.as_object().cloned().unwrap_or_default(), &META)
    }

    #[test]
    fn at_defaults_to_the_instant_and_accepts_sunrise() {
        assert_eq!(parse(json!({})).unwrap().at, At::Instant);
        assert_eq!(parse(json!({"at": "sunrise"})).unwrap().at, At::Sunrise);
    }

    #[test]
    fn unknown_keys_and_bad_values_are_named() {
        let Err(EngineError::Validation(errors)) = parse(json!({"at": "noon"})) else {
            panic!("a bad value must be refused");
        };
        assert_eq!(errors.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(), ["options.at"]);
        let Err(EngineError::Validation(errors)) = parse(json!({"zone": 1})) else {
            panic!("an unknown key must be refused");
        };
        assert_eq!(errors[0].field, "options.zone");
    }
}
