//! How the API describes its workflows: the bodies of `GET /api/v1/workflows` and
//! `GET /api/v1/workflows/{id}`, written once here so every tier answers them alike.

use serde::Serialize;

use super::{Moment, WorkflowMeta, all};
use crate::engines::{Level, TimeGranularity};

/// One workflow's public description.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WorkflowInfo {
    pub id: &'static str,
    pub name: &'static str,
    pub description: &'static str,
    pub version: &'static str,
    /// The level a key needs to run it: that of its core engines. Its other engines run when the
    /// key's level reaches theirs, and are listed as skipped otherwise.
    pub required_level: Level,
    /// Which moment panchanga describes in this workflow: the birth, or the present.
    pub moment: Moment,
    /// How finely `current_time` matters, in seconds (`null`: not at all).
    pub time_granularity_seconds: Option<u32>,
    pub engines: Vec<WorkflowEngineInfo>,
}

/// One engine of a workflow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WorkflowEngineInfo {
    pub id: &'static str,
    pub name: &'static str,
    pub required_level: Level,
    /// Whether the workflow's own level is set by this engine.
    pub core: bool,
}

/// The body of `GET /api/v1/workflows`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WorkflowList {
    pub workflows: Vec<WorkflowInfo>,
}

impl WorkflowInfo {
    pub fn of(workflow: &WorkflowMeta) -> WorkflowInfo {
        WorkflowInfo {
            id: workflow.id,
            name: workflow.name,
            description: workflow.description,
            version: workflow.version,
            required_level: workflow.required_level,
            moment: workflow.moment,
            time_granularity_seconds: match workflow.time_granularity {
                TimeGranularity::Timeless => None,
                TimeGranularity::Seconds(seconds) => Some(seconds),
            },
            engines: workflow
                .engines
                .iter()
                .map(|meta| WorkflowEngineInfo {
                    id: meta.id,
                    name: meta.name,
                    required_level: meta.required_level,
                    core: workflow.core.iter().any(|core| core.id == meta.id),
                })
                .collect(),
        }
    }
}

/// Every workflow, in the order of [`all`].
///
/// ```
/// let list = noesis_core::workflows::list();
/// let full = list.workflows.iter().find(|w| w.id == "full-spectrum").unwrap();
/// assert_eq!(full.engines.len(), 9);
/// ```
pub fn list() -> WorkflowList {
    WorkflowList { workflows: all().iter().map(WorkflowInfo::of).collect() }
}
