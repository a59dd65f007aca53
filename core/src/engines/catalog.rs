//! How the API describes its engines: `GET /api/v1/engines` and `GET /api/v1/engines/{id}`,
//! written once here so the edge and the origin answer them byte for byte alike.

use serde::Serialize;

use super::{EngineMeta, Level, TimeGranularity, registry};

/// One engine's public description.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EngineInfo {
    pub id: &'static str,
    pub name: &'static str,
    pub description: &'static str,
    /// The consciousness level a key needs to call it.
    pub required_level: Level,
    pub version: &'static str,
    /// The request fields it reads.
    pub inputs: Vec<InputInfo>,
    /// How finely `current_time` matters, in seconds; `null` when the answer does not depend on
    /// it. Answers are identical (and cached) within one such bucket.
    pub time_granularity_seconds: Option<u32>,
}

/// One request field an engine reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InputInfo {
    /// Dotted path, e.g. `birth_data.date`.
    pub field: &'static str,
    /// Whether a request without it is refused (422 naming it).
    pub required: bool,
    pub description: &'static str,
}

/// The body of `GET /api/v1/engines`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EngineList {
    pub engines: Vec<EngineInfo>,
}

impl EngineInfo {
    pub fn of(meta: &EngineMeta) -> EngineInfo {
        EngineInfo {
            id: meta.id,
            name: meta.name,
            description: meta.description,
            required_level: meta.required_level,
            version: meta.version,
            inputs: meta
                .inputs
                .iter()
                .map(|input| InputInfo { field: input.field, required: input.required, description: input.description })
                .collect(),
            time_granularity_seconds: match meta.time_granularity {
                TimeGranularity::Timeless => None,
                TimeGranularity::Seconds(seconds) => Some(seconds),
            },
        }
    }
}

/// Every engine, in the registry's order.
///
/// ```
/// let list = noesis_core::engines::catalog::list();
/// assert_eq!(list.engines.len(), 9);
/// assert_eq!(list.engines[0].id, "panchanga");
/// ```
pub fn list() -> EngineList {
    EngineList { engines: registry::all().iter().map(|engine| EngineInfo::of(engine.meta())).collect() }
}
