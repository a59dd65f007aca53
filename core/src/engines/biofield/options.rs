//! `options` of the biofield engine, parsed once into [`ProfileOptions`].

use super::META;
use super::chart::HouseSystem;
use super::measurements::{self, MeasuredValue};
use crate::engines::options::parse_options;
use crate::engines::{EngineError, Options};
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
struct RawOptions {
    house_system: Option<HouseSystem>,
    measurements: Option<serde_json::Value>,
}

/// Parses `options`, naming each unknown or bad key as `options.<key>` (and
/// `options.measurements.<key>` inside the measurements).
pub fn parse(options: &Options) -> Result<ProfileOptions, EngineError> {
    let raw: RawOptions = parse_options(options, &META)?;
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
