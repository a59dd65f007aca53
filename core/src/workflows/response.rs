//! What `POST /api/v1/workflows/{id}/execute` answers, and how a planned run becomes that answer.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::plan::{Plan, Skipped};
use super::synthesis::{Synthesis, synthesize};
use crate::engines::{ApiError, EngineResponse, Level, Prepared, ProblemCode, ServedBy};

/// The answer of a workflow run.
///
/// ```json
/// {"workflow_id": "daily-practice", "workflow_version": "1.0.0", "consciousness_level": 0,
///  "results": {"biorhythm": {…engine response…}, …},
///  "skipped": [{"engine_id": "biofield", "reason": "LEVEL_REQUIRED", "required_level": 1, "detail": "…"}],
///  "failed": [],
///  "synthesis": {"engines": […], "themes": […], "alignments": […], "tensions": […], "witness_prompt": "…"},
///  "metadata": {"input_hash": "…", "calculation_time_ms": 12.5, "cached": false, "served_by": "origin",
///               "engines_run": 3, "engines_skipped": 1, "engines_failed": 0}}
/// ```
///
/// Every engine of the workflow is in exactly one of `results`, `skipped` and `failed`. It also
/// reads back from JSON, so a cached answer can be served with `cached` set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkflowResponse {
    pub workflow_id: String,
    pub workflow_version: String,
    /// The caller's level, which every witness prompt in the answer is worded for.
    pub consciousness_level: Level,
    /// Each engine that answered, by id.
    pub results: BTreeMap<String, EngineResponse>,
    pub skipped: Vec<Skipped>,
    pub failed: Vec<Failed>,
    /// Never null: with fewer than two answers its lists are empty and its prompt says so.
    pub synthesis: Synthesis,
    pub metadata: WorkflowMetadata,
}

/// An engine that ran and failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Failed {
    pub engine_id: String,
    /// The code the engine's own route would have answered with, e.g. `VALIDATION_ERROR`.
    pub code: ProblemCode,
    /// What went wrong, with the fields at fault.
    pub detail: String,
}

/// `metadata` of a [`WorkflowResponse`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkflowMetadata {
    /// Hex SHA-256 of the canonical input, `current_time` rounded to the workflow's granularity.
    pub input_hash: String,
    /// Wall-clock time of the whole run, measured by the caller (the core reads no clock).
    pub calculation_time_ms: f64,
    pub cached: bool,
    pub served_by: ServedBy,
    pub engines_run: usize,
    pub engines_skipped: usize,
    pub engines_failed: usize,
}

/// What came of running one planned engine.
#[derive(Debug, Clone, PartialEq)]
pub enum EngineOutcome {
    Ok(EngineResponse),
    Failed(Failed),
}

impl EngineOutcome {
    /// Runs one planned engine. The caller times it and may set `calculation_time_ms` on an answer.
    pub fn run(prepared: &Prepared, served_by: ServedBy) -> EngineOutcome {
        EngineOutcome::of(prepared.engine().meta().id, prepared.run(served_by))
    }

    /// The outcome of an engine's run, however the caller obtained it (a cache, a thread that
    /// panicked and reported `INTERNAL`).
    pub fn of(engine_id: &str, result: Result<EngineResponse, ApiError>) -> EngineOutcome {
        match result {
            Ok(response) => EngineOutcome::Ok(response),
            Err(err) => EngineOutcome::Failed(Failed::of(engine_id, &err)),
        }
    }
}

impl Failed {
    /// The failure of `engine_id` with `err`; the detail names each field at fault.
    pub fn of(engine_id: &str, err: &ApiError) -> Failed {
        let mut detail = err.detail.clone();
        for field in &err.errors {
            detail.push_str(&format!(" {}: {}.", field.field, field.message));
        }
        Failed { engine_id: engine_id.to_owned(), code: err.code, detail }
    }
}

impl Plan {
    /// The response for this plan, given what came of its runnable engines (in any order).
    ///
    /// The synthesis is computed here from the answers. A planned engine with no outcome is
    /// reported as failed (`INTERNAL`), so that nothing planned disappears from the answer;
    /// `calculation_time_ms` is the caller's measure of the whole run.
    pub fn assemble(
        self,
        outcomes: Vec<EngineOutcome>,
        served_by: ServedBy,
        calculation_time_ms: f64,
    ) -> WorkflowResponse {
        let position = |id: &str| self.workflow.engines.iter().position(|meta| meta.id == id).unwrap_or(usize::MAX);
        let mut results = BTreeMap::new();
        let mut failed = Vec::new();
        for outcome in outcomes {
            match outcome {
                EngineOutcome::Ok(response) => {
                    results.insert(response.engine_id.clone(), response);
                }
                EngineOutcome::Failed(failure) => failed.push(failure),
            }
        }
        for id in &self.planned {
            if !results.contains_key(*id) && !failed.iter().any(|f| f.engine_id == *id) {
                failed.push(Failed {
                    engine_id: (*id).to_owned(),
                    code: ProblemCode::Internal,
                    detail: "The engine was planned but no answer was recorded for it.".to_owned(),
                });
            }
        }
        failed.sort_by(|a, b| (position(&a.engine_id), &a.engine_id).cmp(&(position(&b.engine_id), &b.engine_id)));
        let answers: Vec<EngineResponse> = results.values().cloned().collect();
        let synthesis = synthesize(self.workflow, self.level, &answers);
        WorkflowResponse {
            workflow_id: self.workflow.id.to_owned(),
            workflow_version: self.workflow.version.to_owned(),
            consciousness_level: self.level,
            metadata: WorkflowMetadata {
                input_hash: self.cache_key.input_hash.to_string(),
                calculation_time_ms: if calculation_time_ms.is_finite() && calculation_time_ms >= 0.0 {
                    calculation_time_ms
                } else {
                    0.0
                },
                cached: false,
                served_by,
                engines_run: results.len(),
                engines_skipped: self.skipped.len(),
                engines_failed: failed.len(),
            },
            results,
            skipped: self.skipped,
            failed,
            synthesis,
        }
    }

    /// Runs every runnable engine one after the other and assembles the response: for tools and
    /// tests; the origin runs the engines concurrently and calls [`Plan::assemble`] itself.
    pub fn run_sequentially(mut self, served_by: ServedBy) -> WorkflowResponse {
        let runnable = std::mem::take(&mut self.runnable);
        let outcomes = runnable.iter().map(|prepared| EngineOutcome::run(prepared, served_by)).collect();
        self.assemble(outcomes, served_by, 0.0)
    }
}
