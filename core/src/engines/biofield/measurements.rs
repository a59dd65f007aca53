//! Values the client measured and sent in `options.measurements`, and how each becomes a 0-100
//! index that is blended into the chakras it touches. Nothing here is ever estimated: a value
//! that was not sent plays no part.

use super::META;
use super::rules::ChakraName;
use crate::engines::options::parse_object;
use crate::engines::{EngineError, FieldError};
use serde::{Deserialize, Serialize};

/// One kind of measured value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Measurement {
    /// Heart-rate variability, RMSSD in milliseconds, 5 to 300.
    HrvRmssdMs,
    /// Breaths per minute at rest, 4 to 60.
    RespirationRateBpm,
    /// The person's own rating of their energy, a whole number from 1 to 10.
    SelfRatedEnergy,
}

impl Measurement {
    pub const ALL: [Measurement; 3] =
        [Measurement::HrvRmssdMs, Measurement::RespirationRateBpm, Measurement::SelfRatedEnergy];

    /// The key under `options.measurements`.
    pub fn key(self) -> &'static str {
        match self {
            Measurement::HrvRmssdMs => "hrv_rmssd_ms",
            Measurement::RespirationRateBpm => "respiration_rate_bpm",
            Measurement::SelfRatedEnergy => "self_rated_energy",
        }
    }

    /// The request field, `options.measurements.<key>`.
    pub fn field(self) -> String {
        format!("options.measurements.{}", self.key())
    }

    /// The values accepted.
    pub fn bounds(self) -> (f64, f64) {
        match self {
            Measurement::HrvRmssdMs => (5.0, 300.0),
            Measurement::RespirationRateBpm => (4.0, 60.0),
            Measurement::SelfRatedEnergy => (1.0, 10.0),
        }
    }

    /// The chakras this measurement is blended into.
    pub fn chakras(self) -> &'static [ChakraName] {
        match self {
            Measurement::HrvRmssdMs => &[ChakraName::Muladhara, ChakraName::Anahata],
            Measurement::RespirationRateBpm => &[ChakraName::Anahata, ChakraName::Vishuddha],
            Measurement::SelfRatedEnergy => &[ChakraName::Svadhisthana, ChakraName::Manipura],
        }
    }

    /// The 0-100 index of a value (already within [`Measurement::bounds`]):
    ///
    /// - RMSSD: 100 · ln(r / 15) / ln 8, clamped to 0-100: 0 at 15 ms and below, 50 at 42.4 ms,
    ///   100 at 120 ms and above (a log scale, as RMSSD spreads multiplicatively).
    /// - Respiration: 100 from 6 to 12 breaths a minute (calm breathing); above 12 it falls by
    ///   100/12 per breath, reaching 0 at 24; below 6 it falls by 25 per breath (50 at 4).
    /// - Self-rated energy: (e − 1) · 100 / 9, so 1 → 0 and 10 → 100.
    ///
    /// ```
    /// use noesis_core::engines::biofield::Measurement;
    ///
    /// assert_eq!(Measurement::HrvRmssdMs.index(120.0), 100.0);
    /// assert_eq!(Measurement::RespirationRateBpm.index(18.0), 50.0);
    /// assert_eq!(Measurement::SelfRatedEnergy.index(10.0), 100.0);
    /// ```
    pub fn index(self, value: f64) -> f64 {
        let index = match self {
            Measurement::HrvRmssdMs => 100.0 * (value / 15.0).ln() / 8f64.ln(),
            Measurement::RespirationRateBpm if value > 12.0 => 100.0 - (value - 12.0) * 100.0 / 12.0,
            Measurement::RespirationRateBpm if value < 6.0 => 100.0 - (6.0 - value) * 25.0,
            Measurement::RespirationRateBpm => 100.0,
            Measurement::SelfRatedEnergy => (value - 1.0) * 100.0 / 9.0,
        };
        index.clamp(0.0, 100.0)
    }
}

/// A measured value as it was used.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct MeasuredValue {
    pub measurement: Measurement,
    /// As sent.
    pub value: f64,
    /// Its 0-100 index (see [`Measurement::index`]).
    pub index: f64,
}

#[derive(Debug, Deserialize)]
struct RawMeasurements {
    hrv_rmssd_ms: Option<f64>,
    respiration_rate_bpm: Option<f64>,
    self_rated_energy: Option<f64>,
}

impl RawMeasurements {
    fn get(&self, measurement: Measurement) -> Option<f64> {
        match measurement {
            Measurement::HrvRmssdMs => self.hrv_rmssd_ms,
            Measurement::RespirationRateBpm => self.respiration_rate_bpm,
            Measurement::SelfRatedEnergy => self.self_rated_energy,
        }
    }
}

/// Parses `options.measurements`, naming each unknown, mistyped or out-of-range key.
pub fn parse(value: &serde_json::Value) -> Result<Vec<MeasuredValue>, EngineError> {
    let Some(map) = value.as_object() else {
        return Err(FieldError::new(
            "options.measurements",
            "expected an object such as {\"hrv_rmssd_ms\": 42, \"respiration_rate_bpm\": 12, \"self_rated_energy\": 7}",
        )
        .into());
    };
    let raw: RawMeasurements = parse_object(map, "options.measurements", &META)?;
    let mut errors = Vec::new();
    let mut used = Vec::new();
    for measurement in Measurement::ALL {
        let Some(value) = raw.get(measurement) else { continue };
        let (low, high) = measurement.bounds();
        let whole = measurement != Measurement::SelfRatedEnergy || value.fract() == 0.0;
        if !(low..=high).contains(&value) || !whole {
            let kind = if measurement == Measurement::SelfRatedEnergy { "a whole number" } else { "a number" };
            errors.push(FieldError::new(
                measurement.field(),
                format!("expected {kind} from {low} to {high}, got {value}"),
            ));
            continue;
        }
        used.push(MeasuredValue { measurement, value, index: measurement.index(value) });
    }
    if errors.is_empty() { Ok(used) } else { Err(EngineError::Validation(errors)) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn indices_follow_the_documented_curves() {
        assert_eq!(Measurement::HrvRmssdMs.index(15.0), 0.0);
        assert_eq!(Measurement::HrvRmssdMs.index(5.0), 0.0);
        assert!((Measurement::HrvRmssdMs.index(15.0 * 8f64.sqrt()) - 50.0).abs() < 1e-9);
        assert_eq!(Measurement::HrvRmssdMs.index(300.0), 100.0);
        assert_eq!(Measurement::RespirationRateBpm.index(6.0), 100.0);
        assert_eq!(Measurement::RespirationRateBpm.index(12.0), 100.0);
        assert_eq!(Measurement::RespirationRateBpm.index(24.0), 0.0);
        assert_eq!(Measurement::RespirationRateBpm.index(4.0), 50.0);
        assert_eq!(Measurement::SelfRatedEnergy.index(1.0), 0.0);
        assert_eq!(Measurement::SelfRatedEnergy.index(4.0), 100.0 / 3.0);
    }

    #[test]
    fn values_are_bounded_and_keys_known() {
        let ok = parse(&json!({"hrv_rmssd_ms": 40, "self_rated_energy": 7})).expect("valid");
        assert_eq!(ok.len(), 2);
        let err = parse(&json!({"hrv_rmssd_ms": 4, "self_rated_energy": 7.5})).unwrap_err();
        assert_eq!(err.fields(), ["options.measurements.hrv_rmssd_ms", "options.measurements.self_rated_energy"]);
        let err = parse(&json!({"hrv_rmssd_ms": 40, "aura_colour": "blue"})).unwrap_err();
        assert_eq!(err.fields(), ["options.measurements.aura_colour"]);
        assert_eq!(
            parse(&json!({"respiration_rate_bpm": "12"})).unwrap_err().fields(),
            ["options.measurements.respiration_rate_bpm"]
        );
        assert_eq!(parse(&json!([1, 2])).unwrap_err().fields(), ["options.measurements"]);
    }
}
