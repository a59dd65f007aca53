//! The six workflows: several engines run on one request, and a synthesis of what they say together.
//!
//! A workflow is a fixed set of engines chosen for one purpose ([`all`]; `docs/workflows.md` says
//! why each engine is in each). Running one takes four steps, split so that the origin can run the
//! engines on threads while everything it computes stays here, pure:
//!
//! 1. [`plan`]: check the caller's level against the workflow's, give each engine only the options
//!    it reads, and sort the engines into those that can run ([`Prepared`] requests, each with its
//!    own cache key) and those that are [`Skipped`], with the reason: the key's level does not reach
//!    the engine, or the request lacks a field it needs. Nothing is left out without a reason.
//! 2. run each prepared engine ([`EngineOutcome::run`]), concurrently or not: a failure becomes a
//!    [`Failed`] entry with its error code, never a missing result;
//! 3. [`synthesize`] the answers: themes that recur across engines, alignments and tensions
//!    between them, and a witness prompt for the caller's level, by the rules of `docs/workflows.md`;
//! 4. [`Plan::assemble`] the [`WorkflowResponse`].
//!
//! ```
//! use noesis_core::engines::{request::parse_request, Level, ServedBy};
//! use noesis_core::workflows::{self, EngineOutcome};
//!
//! let now = "2026-11-25T07:30:00Z".parse().unwrap();
//! let body = br#"{"birth_data": {"name": "Asha Rao", "date": "1991-08-13"},
//!                 "location": {"latitude": 12.9716, "longitude": 77.5946, "timezone": "Asia/Kolkata"}}"#;
//! let input = parse_request(body, now).unwrap();
//! let workflow = workflows::find("daily-practice").unwrap();
//!
//! let plan = workflows::plan(workflow, input, Level::MIN).unwrap();
//! let outcomes = plan.runnable.iter().map(|p| EngineOutcome::run(p, ServedBy::Origin)).collect();
//! let response = plan.assemble(outcomes, ServedBy::Origin, 0.0);
//!
//! assert_eq!(response.results.len(), 3); // panchanga, biorhythm, vedic-clock
//! assert_eq!(response.skipped[0].engine_id, "biofield"); // level 1, and no birth time
//! assert!(response.failed.is_empty());
//! assert!(!response.synthesis.witness_prompt.is_empty());
//! ```

mod catalog;
mod plan;
mod response;
mod synthesis;

use crate::engines::{
    ApiError, EngineMeta, Level, ProblemCode, TimeGranularity, biofield, biorhythm, face_reading, gene_keys,
    human_design, numerology, panchanga, vedic_clock, vimshottari,
};

pub use crate::engines::Prepared;
pub use catalog::{WorkflowEngineInfo, WorkflowInfo, WorkflowList, list};
pub use plan::{Plan, SkipReason, Skipped, WorkflowCacheKey, plan};
pub use response::{EngineOutcome, Failed, WorkflowMetadata, WorkflowResponse};
pub use synthesis::{Alignment, Axis, Evidence, Synthesis, Tension, TensionSide, Theme, synthesize};

/// One workflow: what it is for, its engines, and what follows from them for levels and caching.
///
/// Built only by [`WorkflowMeta::define`], which derives `required_level` and `time_granularity`
/// from the engines, so neither can drift from them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkflowMeta {
    /// The id in routes, e.g. `birth-blueprint`.
    pub id: &'static str,
    pub name: &'static str,
    /// One or two sentences in our own words.
    pub description: &'static str,
    /// Bumped whenever the workflow's definition or synthesis rules change; part of its cache key
    /// (which also carries its engines' versions).
    pub version: &'static str,
    /// Every engine the workflow runs, in the order it lists them.
    pub engines: &'static [&'static EngineMeta],
    /// The engines without which the workflow would not serve its purpose: a subset of `engines`.
    pub core: &'static [&'static EngineMeta],
    /// Which moment an engine that can describe either the birth or the present (panchanga) describes.
    pub moment: Moment,
    /// The axes this workflow is most about, first first: its witness prompt is drawn from a
    /// tension on the first of them that has one, before any other.
    pub emphasis: &'static [Axis],
    /// The level a key needs to run the workflow at all: the highest level among its core engines.
    /// Its other engines above the key's level are skipped, each named with the level it needs.
    pub required_level: Level,
    /// The finest granularity among its engines: a run's answer holds for one bucket of it.
    pub time_granularity: TimeGranularity,
}

/// Which moment a workflow asks an engine about when the engine could describe either.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Moment {
    /// The birth: panchanga is of the birth instant at the birth place, and needs both.
    Birth,
    /// The present: panchanga is of `current_time` at `location`; the birth data is not given to it.
    Present,
}

impl WorkflowMeta {
    /// A workflow from its parts, with the level and granularity worked out from its engines.
    pub const fn define(
        id: &'static str,
        name: &'static str,
        description: &'static str,
        engines: &'static [&'static EngineMeta],
        core: &'static [&'static EngineMeta],
        moment: Moment,
        emphasis: &'static [Axis],
    ) -> WorkflowMeta {
        let mut level = 0;
        let mut i = 0;
        while i < core.len() {
            if core[i].required_level.get() > level {
                level = core[i].required_level.get();
            }
            i += 1;
        }
        let mut finest = TimeGranularity::Timeless;
        let mut i = 0;
        while i < engines.len() {
            finest = match (finest, engines[i].time_granularity) {
                (TimeGranularity::Seconds(a), TimeGranularity::Seconds(b)) if a <= b => TimeGranularity::Seconds(a),
                (_, TimeGranularity::Seconds(b)) => TimeGranularity::Seconds(b),
                (kept, TimeGranularity::Timeless) => kept,
            };
            i += 1;
        }
        WorkflowMeta {
            id,
            name,
            description,
            version: VERSION,
            engines,
            core,
            moment,
            emphasis,
            required_level: match Level::new(level) {
                Some(level) => level,
                None => Level::MAX,
            },
            time_granularity: finest,
        }
    }

    /// Refuses a key below the workflow's level with 403 `LEVEL_REQUIRED`.
    pub fn check_level(&self, level: Level) -> Result<(), ApiError> {
        if level >= self.required_level {
            return Ok(());
        }
        let core: Vec<&str> = self.core.iter().map(|meta| meta.id).collect();
        Err(ApiError {
            required_level: Some(self.required_level),
            ..ApiError::new(
                ProblemCode::LevelRequired,
                format!(
                    "The {} workflow needs consciousness level {} or above (for {}); this key has level {}.",
                    self.id,
                    self.required_level.get(),
                    core.join(", "),
                    level.get()
                ),
            )
        })
    }
}

/// The version every workflow starts at; a workflow whose definition changes gets its own.
const VERSION: &str = "1.0.0";

static WORKFLOWS: [WorkflowMeta; 6] = [
    WorkflowMeta::define(
        "birth-blueprint",
        "Birth Blueprint",
        "The pattern a life starts from: the numbers of the birth name and date, the panchanga of the birth \
         moment, the Human Design bodygraph and the Gene Keys read from it, and the Vimshottari periods that \
         unfold from the Moon at birth.",
        &[&numerology::META, &panchanga::META, &human_design::META, &gene_keys::META, &vimshottari::META],
        &[&numerology::META, &human_design::META],
        Moment::Birth,
        &[Axis::Direction, Axis::Momentum],
    ),
    WorkflowMeta::define(
        "daily-practice",
        "Daily Practice",
        "Today as something to practise with: the lunar day where you are, the day's clocks from sunrise, \
         where your body's cycles stand, and the chakra profile under today's sky.",
        &[&panchanga::META, &vedic_clock::META, &biorhythm::META, &biofield::META],
        &[&panchanga::META, &vedic_clock::META, &biorhythm::META],
        Moment::Present,
        &[Axis::Momentum, Axis::Pace, Axis::Direction],
    ),
    WorkflowMeta::define(
        "decision-support",
        "Decision Support",
        "A decision held against how you decide and when: your Human Design type and authority, the quality \
         of this hour and of this lunar day, the state of your cycles, and the dasha chapter you are in.",
        &[&human_design::META, &vedic_clock::META, &panchanga::META, &biorhythm::META, &vimshottari::META],
        &[&human_design::META, &vedic_clock::META],
        Moment::Present,
        &[Axis::Pace, Axis::Direction, Axis::Momentum],
    ),
    WorkflowMeta::define(
        "self-inquiry",
        "Self-Inquiry",
        "Questions of who you are: the shadows and gifts of your Gene Keys and the bodygraph they come from, \
         the numbers of your name, the chakra profile, and, when you measure it, the constitution your face shows.",
        &[&gene_keys::META, &human_design::META, &numerology::META, &biofield::META, &face_reading::META],
        &[&gene_keys::META, &numerology::META],
        Moment::Birth,
        &[Axis::Direction, Axis::Momentum],
    ),
    WorkflowMeta::define(
        "creative-expression",
        "Creative Expression",
        "Where your creative energy comes from and when it runs: the expression number of your name, the \
         centres and channels of your bodygraph, the gifts of your Gene Keys, the state of your cycles, and \
         the planet and dosha of the hour.",
        &[&numerology::META, &human_design::META, &gene_keys::META, &biorhythm::META, &vedic_clock::META],
        &[&numerology::META, &human_design::META, &biorhythm::META],
        Moment::Birth,
        &[Axis::Momentum, Axis::Direction, Axis::Pace],
    ),
    WorkflowMeta::define(
        "full-spectrum",
        "Full Spectrum",
        "All nine engines on one request, the birth pattern beside the present moment and the body, with a \
         synthesis across every one of them that the key's level reaches.",
        &[
            &panchanga::META,
            &numerology::META,
            &biorhythm::META,
            &human_design::META,
            &vimshottari::META,
            &gene_keys::META,
            &vedic_clock::META,
            &biofield::META,
            &face_reading::META,
        ],
        &[&panchanga::META, &numerology::META, &biorhythm::META, &vedic_clock::META],
        Moment::Birth,
        &[],
    ),
];

/// Every workflow, in the order `GET /api/v1/workflows` lists them.
///
/// ```
/// let ids: Vec<&str> = noesis_core::workflows::all().iter().map(|w| w.id).collect();
/// assert_eq!(ids, ["birth-blueprint", "daily-practice", "decision-support", "self-inquiry",
///                  "creative-expression", "full-spectrum"]);
/// ```
pub fn all() -> &'static [WorkflowMeta] {
    &WORKFLOWS
}

/// The workflow with this id, if there is one.
pub fn find(id: &str) -> Option<&'static WorkflowMeta> {
    WORKFLOWS.iter().find(|workflow| workflow.id == id)
}

/// 404 `WORKFLOW_NOT_FOUND` for an id no workflow has.
pub fn not_found(id: &str) -> ApiError {
    let shown: String = id.chars().take(64).collect();
    ApiError::new(
        ProblemCode::WorkflowNotFound,
        format!("No workflow has the id {shown:?}; GET /api/v1/workflows lists them."),
    )
}
