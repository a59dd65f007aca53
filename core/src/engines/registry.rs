//! The registry of engines, and the pipeline that answers `POST /api/v1/engines/{id}/calculate`.
//!
//! Each engine is a module exporting `META`, `calculate` and `witness_prompt`; [`Module`] presents
//! such a module as an [`Engine`], and the `engines!` list below is the only place that names
//! them. Adding an engine is adding its folder and one line here.
//!
//! The pipeline, shared by edge and origin so both answer alike:
//!
//! 1. [`find`] the engine (`ENGINE_NOT_FOUND`);
//! 2. check the caller's level against the engine's (`LEVEL_REQUIRED`, before the body is read);
//! 3. [`parse_request`] (`MALFORMED_JSON`, `VALIDATION_ERROR`);
//! 4. round `current_time` down to the engine's [`TimeGranularity`](super::TimeGranularity) bucket
//!    and hash the input ([`CacheKey`]): at this point, a [`Prepared`] request, which a cache can
//!    look up before anything is computed;
//! 5. [`Prepared::run`]: the engine's calculation and witness prompt in the response envelope.
//!
//! ```
//! use noesis_core::engines::{registry, Level, ServedBy};
//!
//! let now = "2026-11-25T07:30:00Z".parse().unwrap();
//! let err = registry::calculate("astrology", b"{}", Level::MAX, now, ServedBy::Origin).unwrap_err();
//! assert_eq!(err.code.as_str(), "ENGINE_NOT_FOUND");
//! ```

use jiff::Timestamp;
use serde::Serialize;

use super::hashing::{CacheKey, InputHash};
use super::request::parse_request;
use super::response::{AYANAMSA, ApiError, EPHEMERIS, EngineResponse, ResponseMetadata, ServedBy};
use super::{CalculationInput, Engine, EngineError, EngineMeta, EngineOutput, FieldError, Level};

/// An engine module seen as an [`Engine`]: its `META`, `calculate` and `witness_prompt`.
///
/// ```
/// use noesis_core::engines::registry::Module;
/// use noesis_core::engines::{CalculationInput, Engine, EngineError, EngineMeta, Level, TimeGranularity};
///
/// const META: EngineMeta = EngineMeta {
///     id: "echo", name: "Echo", description: "Says the year back.", required_level: Level::MIN,
///     version: "1.0.0", inputs: &[], time_granularity: TimeGranularity::Seconds(86_400),
/// };
/// fn calculate(input: &CalculationInput) -> Result<i16, EngineError> {
///     Ok(input.now.to_zoned_datetime(jiff::tz::TimeZone::UTC).year())
/// }
/// fn witness_prompt(year: &i16, level: Level) -> String {
///     format!("What did {year} ask of you (level {})?", level.get())
/// }
///
/// static ECHO: Module<i16> = Module { meta: &META, calculate, witness_prompt };
/// let input = CalculationInput {
///     birth: None, now: "2026-11-25T07:30:00Z".parse().unwrap(), location: None, options: Default::default(),
/// };
/// let output = ECHO.calculate(&input, Level::MIN).unwrap();
/// assert_eq!(output.result, 2026);
/// ```
pub struct Module<R: 'static> {
    pub meta: &'static EngineMeta,
    pub calculate: fn(&CalculationInput) -> Result<R, EngineError>,
    pub witness_prompt: fn(&R, Level) -> String,
}

impl<R: Serialize + 'static> Engine for Module<R> {
    fn meta(&self) -> &'static EngineMeta {
        self.meta
    }

    fn calculate(&self, input: &CalculationInput, level: Level) -> Result<EngineOutput, EngineError> {
        let result = (self.calculate)(input)?;
        let witness_prompt = (self.witness_prompt)(&result, level);
        // Only a map with non-string keys or a hand-written Serialize can fail here; every
        // registered engine is run end to end by the framework tests, so this is never reached.
        let result = serde_json::to_value(&result).map_err(|err| {
            FieldError::new(
                "result",
                format!("the {} engine's result could not be written as JSON: {err}", self.meta.id),
            )
        })?;
        Ok(EngineOutput { result, witness_prompt })
    }
}

/// Builds the registry from the engine modules' names.
macro_rules! engines {
    ($($module:ident),* $(,)?) => {
        static ENGINES: &[&dyn Engine] = &[$(
            &Module {
                meta: &super::$module::META,
                calculate: super::$module::calculate,
                witness_prompt: super::$module::witness_prompt,
            },
        )*];
    };
}

// One line per engine, in the order the API lists them (that of DESIGN §1).
engines! {
    panchanga,
    numerology,
    biorhythm,
    human_design,
    vimshottari,
    gene_keys,
    vedic_clock,
    biofield,
    face_reading,
}

/// Every engine, in the order `GET /api/v1/engines` lists them.
pub fn all() -> &'static [&'static dyn Engine] {
    ENGINES
}

/// The engine with this id (as in the routes: `human-design`), if there is one.
pub fn find(id: &str) -> Option<&'static dyn Engine> {
    ENGINES.iter().copied().find(|engine| engine.meta().id == id)
}

/// A request that passed every check, ready to be looked up in a cache or calculated.
#[derive(Clone)]
pub struct Prepared {
    engine: &'static dyn Engine,
    input: CalculationInput,
    level: Level,
    cache_key: CacheKey,
    valid_until: Option<Timestamp>,
}

impl std::fmt::Debug for Prepared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Prepared")
            .field("engine", &self.engine.meta().id)
            .field("input", &self.input)
            .field("level", &self.level)
            .field("cache_key", &self.cache_key)
            .field("valid_until", &self.valid_until)
            .finish()
    }
}

impl Prepared {
    /// Checks the caller's level, rounds `input.now` down to the engine's time bucket, and
    /// computes the cache key. For callers that parsed the request once for several engines
    /// (a workflow); [`prepare`] does the whole of it from the body.
    pub fn new(engine: &'static dyn Engine, mut input: CalculationInput, level: Level) -> Result<Prepared, ApiError> {
        let meta = engine.meta();
        check_level(meta, level)?;
        let bucket = meta.time_granularity.bucket(input.now);
        if let Some((start, _)) = bucket {
            input.now = start;
        }
        let cache_key = CacheKey {
            engine_id: meta.id,
            engine_version: meta.version,
            level,
            input_hash: InputHash::of(&input, meta.time_granularity),
        };
        Ok(Prepared { engine, input, level, cache_key, valid_until: bucket.map(|(_, end)| end) })
    }

    pub fn engine(&self) -> &'static dyn Engine {
        self.engine
    }

    /// The input as the engine will see it (`now` already rounded).
    pub fn input(&self) -> &CalculationInput {
        &self.input
    }

    pub fn level(&self) -> Level {
        self.level
    }

    /// What identifies the answer in a cache.
    pub fn cache_key(&self) -> &CacheKey {
        &self.cache_key
    }

    /// When the answer stops being the answer: the end of its time bucket, or `None` when it does
    /// not depend on the time at all (cache it long; DESIGN §4 says 30 days).
    pub fn valid_until(&self) -> Option<Timestamp> {
        self.valid_until
    }

    /// Runs the engine and wraps its answer in the response envelope. `calculation_time_ms` is
    /// left at 0 for the caller, which owns the clock, to fill in.
    pub fn run(&self, served_by: ServedBy) -> Result<EngineResponse, ApiError> {
        let meta = self.engine.meta();
        let EngineOutput { result, witness_prompt } = self.engine.calculate(&self.input, self.level)?;
        Ok(EngineResponse {
            engine_id: meta.id.to_owned(),
            engine_version: meta.version.to_owned(),
            result,
            witness_prompt,
            consciousness_level: self.level,
            metadata: ResponseMetadata {
                input_hash: self.cache_key.input_hash.to_string(),
                calculation_time_ms: 0.0,
                cached: false,
                served_by,
                ephemeris: EPHEMERIS.to_owned(),
                ayanamsa: AYANAMSA.to_owned(),
            },
        })
    }
}

/// Finds the engine, checks the level, parses the body and prepares the input: everything but the
/// calculation. `now` is the moment of the request (the default `current_time`).
pub fn prepare(engine_id: &str, body: &[u8], level: Level, now: Timestamp) -> Result<Prepared, ApiError> {
    let engine = find(engine_id).ok_or_else(|| ApiError::engine_not_found(engine_id))?;
    check_level(engine.meta(), level)?;
    let input = parse_request(body, now)?;
    Prepared::new(engine, input, level)
}

/// The whole pipeline: one request body to one response envelope (or the error to answer).
pub fn calculate(
    engine_id: &str,
    body: &[u8],
    level: Level,
    now: Timestamp,
    served_by: ServedBy,
) -> Result<EngineResponse, ApiError> {
    prepare(engine_id, body, level, now)?.run(served_by)
}

fn check_level(meta: &EngineMeta, level: Level) -> Result<(), ApiError> {
    if level < meta.required_level {
        return Err(ApiError::level_required(meta.id, meta.required_level, level));
    }
    Ok(())
}
