//! Planning a workflow run: which engines run, on what input, and which are skipped and why.

use std::fmt;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{Moment, WorkflowMeta};
use crate::engines::hashing::InputHash;
use crate::engines::{ApiError, CalculationInput, EngineMeta, FieldError, Level, Options, ProblemCode, registry};
use crate::engines::{Prepared, panchanga};

/// A workflow run, planned: the engines ready to run, those skipped with the reason, and what
/// identifies the whole answer in a cache.
#[derive(Debug, Clone)]
pub struct Plan {
    pub workflow: &'static WorkflowMeta,
    pub level: Level,
    /// The engines to run, in the workflow's order, each with the input it is to see (its own
    /// options, `now` rounded to its granularity) and its own engine cache key.
    pub runnable: Vec<Prepared>,
    /// The engines that will not run, in the workflow's order.
    pub skipped: Vec<Skipped>,
    pub cache_key: WorkflowCacheKey,
    /// When the answer stops being the answer: the earliest end of a time bucket among the
    /// runnable engines, or `None` when none of them depends on the time.
    pub valid_until: Option<Timestamp>,
    /// The ids of `runnable`, kept so that an engine whose outcome never arrives is reported.
    pub(super) planned: Vec<&'static str>,
}

/// An engine of the workflow that did not run, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Skipped {
    pub engine_id: String,
    #[serde(flatten)]
    pub reason: SkipReason,
    /// The reason in a sentence a developer can act on.
    pub detail: String,
}

/// Why an engine was skipped. In JSON, `reason` is `LEVEL_REQUIRED` (with `required_level`) or
/// `MISSING_INPUTS` (with `fields`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SkipReason {
    /// The key's level is below the engine's.
    LevelRequired { required_level: Level },
    /// The request lacks fields the engine needs: the ones the engine would name in a 422.
    MissingInputs { fields: Vec<String> },
}

/// What identifies a workflow's answer in a cache: the workflow, its version, the caller's level,
/// the versions of its engines (so an engine's new version is a new key) and the hash of the
/// input with `current_time` rounded to the workflow's granularity. Never the API key.
///
/// Displays as `workflow/{id}/{version}/{level}/{engines}/{input_hash}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct WorkflowCacheKey {
    pub workflow_id: &'static str,
    pub workflow_version: &'static str,
    pub level: Level,
    /// The first 8 bytes of SHA-256 over the workflow's `engine@version` list.
    pub engine_versions: [u8; 8],
    pub input_hash: InputHash,
}

impl fmt::Display for WorkflowCacheKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "workflow/{}/{}/{}/", self.workflow_id, self.workflow_version, self.level.get())?;
        self.engine_versions.iter().try_for_each(|byte| write!(f, "{byte:02x}"))?;
        write!(f, "/{}", self.input_hash)
    }
}

impl WorkflowCacheKey {
    fn new(workflow: &'static WorkflowMeta, level: Level, input: &CalculationInput) -> WorkflowCacheKey {
        let mut digest = Sha256::new();
        for meta in workflow.engines {
            digest.update(format!("{}@{}\n", meta.id, meta.version));
        }
        let mut engine_versions = [0u8; 8];
        engine_versions.copy_from_slice(&digest.finalize()[..8]);
        WorkflowCacheKey {
            workflow_id: workflow.id,
            workflow_version: workflow.version,
            level,
            engine_versions,
            input_hash: InputHash::of(input, workflow.time_granularity),
        }
    }
}

/// Options a workflow sets for an engine when the request does not: `(engine, key, value)`.
///
/// Vimshottari lists every pratyantardasha by default, some 170 KB of JSON; in a workflow, which
/// returns several engines at once, only the running one is listed unless the request asks for all.
const WORKFLOW_DEFAULT_OPTIONS: [(&str, &str, &str); 1] = [("vimshottari", "pratyantardashas", "current")];

/// Plans a run of `workflow` on one parsed request for a key of `level`.
///
/// Refuses the run only when the key is below the workflow's level (403 `LEVEL_REQUIRED`) or an
/// option is one that no engine of the workflow reads (422 `VALIDATION_ERROR` naming it, as an
/// engine would). Otherwise each engine is either runnable or skipped:
///
/// - the key's level is below the engine's: [`SkipReason::LevelRequired`];
/// - the request lacks a field the engine needs: [`SkipReason::MissingInputs`] naming them. These are
///   the fields whose absence the engine itself refuses with a 422 (its required inputs, and for the
///   engines that accept alternatives, the alternative this workflow uses), checked before anything
///   is computed.
///
/// Each engine sees only the options it documents, so a face mesh meant for face-reading is never
/// refused by numerology. In a workflow whose [`Moment`] is the present, panchanga is not given the
/// birth data, and so describes `current_time` at `location`.
pub fn plan(workflow: &'static WorkflowMeta, input: CalculationInput, level: Level) -> Result<Plan, ApiError> {
    workflow.check_level(level)?;
    check_options(workflow, &input.options)?;
    let cache_key = WorkflowCacheKey::new(workflow, level, &input);
    let mut runnable = Vec::new();
    let mut skipped = Vec::new();
    for meta in workflow.engines {
        if level < meta.required_level {
            skipped.push(Skipped {
                engine_id: meta.id.to_owned(),
                reason: SkipReason::LevelRequired { required_level: meta.required_level },
                detail: format!(
                    "{} needs consciousness level {}; this key has level {}.",
                    meta.name,
                    meta.required_level.get(),
                    level.get()
                ),
            });
            continue;
        }
        let engine_input = input_for(workflow, meta, &input);
        if let Some((fields, detail)) = missing_inputs(workflow, meta, &engine_input) {
            let fields = fields.into_iter().map(str::to_owned).collect();
            skipped.push(Skipped {
                engine_id: meta.id.to_owned(),
                reason: SkipReason::MissingInputs { fields },
                detail,
            });
            continue;
        }
        let engine = registry::find(meta.id).ok_or_else(|| {
            ApiError::new(ProblemCode::Internal, format!("The {} workflow names an unknown engine.", workflow.id))
        })?;
        runnable.push(Prepared::new(engine, engine_input, level)?);
    }
    let valid_until = runnable.iter().filter_map(Prepared::valid_until).min();
    let planned = runnable.iter().map(|prepared| prepared.engine().meta().id).collect();
    Ok(Plan { workflow, level, runnable, skipped, cache_key, valid_until, planned })
}

/// Whether `meta` documents the option `key` (as `options.key` or `options.key.<inner>`).
fn reads_option(meta: &EngineMeta, key: &str) -> bool {
    meta.inputs.iter().any(|input| {
        input
            .field
            .strip_prefix("options.")
            .is_some_and(|rest| rest == key || rest.strip_prefix(key).is_some_and(|inner| inner.starts_with('.')))
    })
}

/// Refuses each option that no engine of the workflow reads, naming it, as a single engine would.
fn check_options(workflow: &WorkflowMeta, options: &Options) -> Result<(), ApiError> {
    let errors: Vec<FieldError> = options
        .keys()
        .filter(|key| !workflow.engines.iter().any(|meta| reads_option(meta, key)))
        .map(|key| {
            let mut known: Vec<&str> = workflow
                .engines
                .iter()
                .flat_map(|meta| meta.inputs)
                .filter_map(|input| input.field.strip_prefix("options."))
                .map(|rest| rest.split('.').next().unwrap_or(rest))
                .collect();
            known.sort_unstable();
            known.dedup();
            let shown: String = key.chars().take(64).collect();
            FieldError::new(
                format!("options.{shown}"),
                format!("no engine of the {} workflow reads this option; they read {}", workflow.id, known.join(", ")),
            )
        })
        .collect();
    if errors.is_empty() { Ok(()) } else { Err(ApiError::validation(errors)) }
}

/// The input `meta` is to see in this workflow: its own options (with the workflow's defaults),
/// and for panchanga in a workflow about the present, no birth data.
fn input_for(workflow: &WorkflowMeta, meta: &EngineMeta, input: &CalculationInput) -> CalculationInput {
    let mut options: Options =
        input.options.iter().filter(|(key, _)| reads_option(meta, key)).map(|(k, v)| (k.clone(), v.clone())).collect();
    for (engine, key, value) in WORKFLOW_DEFAULT_OPTIONS {
        if engine == meta.id && !options.contains_key(key) {
            options.insert(key.to_owned(), value.into());
        }
    }
    let reads_present = meta.id == panchanga::META.id && workflow.moment == Moment::Present;
    CalculationInput {
        birth: if reads_present { None } else { input.birth.clone() },
        now: input.now,
        location: input.location.clone(),
        options,
    }
}

const BIRTH_INSTANT: [&str; 3] = ["birth_data.date", "birth_data.time", "birth_data.timezone"];
const BIRTH_INSTANT_AND_PLACE: [&str; 5] =
    ["birth_data.date", "birth_data.time", "birth_data.timezone", "birth_data.latitude", "birth_data.longitude"];
const LOCATION_PLACE: [&str; 2] = ["location.latitude", "location.longitude"];

/// The fields `meta` needs that `input` lacks, with a sentence saying so; `None` when it has them.
///
/// Most engines need exactly their required inputs. Three accept alternatives, and need:
/// panchanga, the birth instant and place (a workflow about the birth) or the location (one about
/// the present); gene-keys, the birth instant unless `options.hd_gates` is given; vedic-clock, a
/// location timezone or coordinates. `core/tests/workflows.rs` checks every rule against the
/// engines' own refusals.
fn missing_inputs(
    workflow: &WorkflowMeta,
    meta: &EngineMeta,
    input: &CalculationInput,
) -> Option<(Vec<&'static str>, String)> {
    let required: Vec<&'static str>;
    let (needed, before, after): (&[&'static str], String, &str) = match meta.id {
        "panchanga" if workflow.moment == Moment::Birth => (
            &BIRTH_INSTANT_AND_PLACE,
            format!("In {} the panchanga is of the birth moment at the birth place; it needs", workflow.id),
            ".",
        ),
        "panchanga" => (
            &LOCATION_PLACE,
            format!("In {} the panchanga is of the present moment where you are; it needs", workflow.id),
            ".",
        ),
        "gene-keys" if given(input, "options.hd_gates") => return None,
        "gene-keys" => (
            &BIRTH_INSTANT,
            format!("{} needs", meta.name),
            " (or options.hd_gates with the Human Design activations).",
        ),
        "vedic-clock" if given(input, "location.timezone") || given(input, "location.latitude") => return None,
        "vedic-clock" => (
            &["location.timezone"],
            format!("{} needs", meta.name),
            ", or location.latitude and location.longitude, to read local time.",
        ),
        _ => {
            required = meta.inputs.iter().filter(|i| i.required).map(|i| i.field).collect();
            (&required, format!("{} needs", meta.name), ", which the request does not give.")
        }
    };
    let missing: Vec<&'static str> = needed.iter().copied().filter(|field| !given(input, field)).collect();
    let detail = format!("{before} {}{after}", sentence_list(&missing));
    (!missing.is_empty()).then_some((missing, detail))
}

/// Whether the request gives `field` (a dotted path). A path this does not know counts as given:
/// the engine then judges for itself, and a refusal is reported as a failure, never lost.
fn given(input: &CalculationInput, field: &str) -> bool {
    let birth = input.birth.as_ref();
    let location = input.location.as_ref();
    match field {
        "birth_data" | "birth_data.date" => birth.is_some(),
        "birth_data.name" => birth.is_some_and(|b| b.name.is_some()),
        "birth_data.time" => birth.is_some_and(|b| b.time.is_some()),
        "birth_data.timezone" => birth.is_some_and(|b| b.zone.is_some()),
        "birth_data.latitude" | "birth_data.longitude" => birth.is_some_and(|b| b.place.is_some()),
        "location.latitude" | "location.longitude" => location.is_some_and(|l| l.place.is_some()),
        "location.timezone" => location.is_some_and(|l| l.zone.is_some()),
        _ => match field.strip_prefix("options.") {
            Some(key) => input.options.get(key).is_some_and(|value| !value.is_null()),
            None => true,
        },
    }
}

/// `a`, `a and b`, `a, b and c`.
pub(super) fn sentence_list<S: AsRef<str>>(items: &[S]) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_owned(),
        [init @ .., last] => {
            let init: Vec<&str> = init.iter().map(AsRef::as_ref).collect();
            format!("{} and {}", init.join(", "), last.as_ref())
        }
    }
}
