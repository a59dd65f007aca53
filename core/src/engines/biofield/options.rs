//! `options` of the biofield engine, parsed once into [`ProfileOptions`].

use super::chart::HouseSystem;
use super::measurements::{self, MeasuredValue};
use crate::engines::{EngineError, FieldError, Options};
use serde::Deserialize;

/// The engine's options, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct ProfileOptions {
    /// Whole-sign unless asked otherwise.
    pub house_system: HouseSystem,
    /// Whether `options.house_system` was sent.
    pub house_system_given: bool,
    /// The measurements sent, in the order of [`super::Measurement::ALL`].
    pub measurements: Vec<MeasuredValue>,
    /// Whether `options.measurements` was sent at all.
    pub measurements_given: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOptions {
    house_system: Option<HouseSystem>,
    measurements: Option<serde_json::Value>,
}

/// Parses `options`, naming each unknown or bad key as `options.<key>` (and
/// `options.measurements.<key>` inside the measurements).
pub fn parse(options: &Options) -> Result<ProfileOptions, EngineError> {
    let mut errors = Vec::new();
    // One key at a time, so that serde's message lands on the key it is about.
    for (key, value) in options {
        let single = Options::from_iter([(key.clone(), value.clone())]);
        if let Err(e) = serde_json::from_value::<RawOptions>(serde_json::Value::Object(single)) {
            let message = if key == "house_system" {
                format!("expected \"whole_sign\" (default) or \"equal\": {e}")
            } else {
                e.to_string()
            };
            errors.push(FieldError::new(format!("options.{key}"), message));
        }
    }
    if !errors.is_empty() {
        return Err(EngineError::Validation(errors));
    }
    let raw: RawOptions = serde_json::from_value(serde_json::Value::Object(options.clone()))
        .map_err(|e| FieldError::new("options", e.to_string()))?;
    let measurements = match &raw.measurements {
        Some(value) => measurements::parse(value)?,
        None => Vec::new(),
    };
    Ok(ProfileOptions {
        house_system: raw.house_system.unwrap_or(HouseSystem::WholeSign),
        house_system_given: raw.house_system.is_some(),
        measurements,
        measurements_given: raw.measurements.is_some(),
    })
}
