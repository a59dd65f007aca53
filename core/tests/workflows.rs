//! The workflows against their contract (DESIGN §3, issue 5): every engine of a workflow is in the
//! results, skipped with a reason, or failed with a code; the synthesis is never null, names only
//! engines that answered, cites fields that exist, and is the same for the same answers.

#[path = "../benches/support/face_landmarks.rs"]
mod face_landmarks;

use std::collections::BTreeSet;
use std::sync::OnceLock;

use noesis_core::engines::request::parse_request_value;
use noesis_core::engines::{
    CalculationInput, EngineError, EngineResponse, Level, ProblemCode, ServedBy, TimeGranularity, registry,
};
use noesis_core::workflows::{self, EngineOutcome, Moment, SkipReason, Synthesis, WorkflowMeta, WorkflowResponse};
use proptest::prelude::*;
use serde_json::{Value, json};

const NOW: &str = "2026-11-25T07:30:00Z";

fn level(n: u8) -> Level {
    Level::new(n).unwrap()
}

fn workflow(id: &str) -> &'static WorkflowMeta {
    workflows::find(id).unwrap()
}

/// A 468-point face mesh with the measured landmarks of a plausible face set by hand.
fn mesh() -> Value {
    // Only the measured points are read; the rest need only be valid.
    let mut points = vec![json!([0.5, 0.5]); 468];
    for (index, [x, y]) in face_landmarks::MEASURED_LANDMARKS {
        points[index] = json!([x, y]);
    }
    Value::Array(points)
}

/// The example request of DESIGN §2, with the face mesh when the workflow has face-reading.
fn example(workflow: &WorkflowMeta) -> Value {
    let mut body = json!({
        "birth_data": {"name": "Asha Rao", "date": "1991-08-13", "time": "13:31", "timezone": "Asia/Kolkata",
                       "latitude": 12.9716, "longitude": 77.5946},
        "current_time": NOW,
        "location": {"latitude": 12.9716, "longitude": 77.5946, "timezone": "Asia/Kolkata"},
        "options": {}
    });
    if workflow.engines.iter().any(|meta| meta.id == "face-reading") {
        body["options"]["landmarks"] = mesh();
    }
    body
}

fn input(body: &Value) -> CalculationInput {
    parse_request_value(body, NOW.parse().unwrap()).unwrap()
}

fn run(workflow: &'static WorkflowMeta, body: &Value, level: Level) -> WorkflowResponse {
    workflows::plan(workflow, input(body), level).unwrap().run_sequentially(ServedBy::Origin)
}

fn skip_reason<'a>(response: &'a WorkflowResponse, engine: &str) -> Option<&'a SkipReason> {
    response.skipped.iter().find(|s| s.engine_id == engine).map(|s| &s.reason)
}

/// Every engine's answer to the example, computed once.
fn all_answers() -> &'static [EngineResponse] {
    static ANSWERS: OnceLock<Vec<EngineResponse>> = OnceLock::new();
    ANSWERS.get_or_init(|| {
        let full = workflow("full-spectrum");
        run(full, &example(full), Level::MAX).results.into_values().collect()
    })
}

#[test]
fn every_workflow_answers_the_design_example_in_full_at_level_5() {
    for workflow in workflows::all() {
        let response = run(workflow, &example(workflow), Level::MAX);
        assert!(response.failed.is_empty(), "{}: {:?}", workflow.id, response.failed);
        assert!(response.skipped.is_empty(), "{}: {:?}", workflow.id, response.skipped);
        let ran: BTreeSet<&str> = response.results.keys().map(String::as_str).collect();
        let listed: BTreeSet<&str> = workflow.engines.iter().map(|meta| meta.id).collect();
        assert_eq!(ran, listed, "{}", workflow.id);
        assert_eq!(response.synthesis.engines, ran.iter().map(|id| id.to_string()).collect::<Vec<_>>());
        assert!(!response.synthesis.witness_prompt.is_empty());
        assert_eq!(response.metadata.engines_run, workflow.engines.len());
        assert!(response.results.values().all(|answer| answer.consciousness_level == Level::MAX));
    }
    let full = run(workflow("full-spectrum"), &example(workflow("full-spectrum")), Level::MAX);
    assert_eq!(full.results.len(), 9);
    assert!(!full.synthesis.themes.is_empty());
    assert!(!full.synthesis.alignments.is_empty() || !full.synthesis.tensions.is_empty());
}

#[test]
fn the_example_synthesis_reads_like_its_sources() {
    let full = workflow("full-spectrum");
    let synthesis = run(full, &example(full), Level::MAX).synthesis;
    // Asha's birthday 13 → 4, the tithi of her birth (Chaturthi, 4) and her Personality Sun gate 4,
    // which Human Design and Gene Keys read alike and which therefore counts once.
    let four = synthesis.themes.iter().find(|theme| theme.id == "number-4").unwrap();
    assert_eq!(four.engines, ["gene-keys", "human-design", "numerology", "panchanga"]);
    assert!(four.description.contains("count once"), "{}", four.description);
    assert!(four.evidence.iter().any(|e| e.engine_id == "panchanga" && e.field == "/tithi/number" && e.value == "4"));
    // A Sacral authority answers in the moment; the clock at 13:00 in Bengaluru is in Rahu Kalam.
    let pace = synthesis.tensions.iter().find(|tension| tension.id == "pace").unwrap();
    assert_eq!(pace.sides[0].pole, "now");
    assert!(pace.sides[0].engines.contains(&"human-design".to_owned()));
    assert_eq!(pace.sides[1].engines, ["vedic-clock"]);
    assert!(pace.evidence.iter().any(|e| e.field == "/rahu_kalam/active" && e.pole.as_deref() == Some("wait")));
    assert!(pace.question.ends_with('?'));
}

#[test]
fn the_listing_gives_each_workflow_its_engines_and_levels() {
    let list = serde_json::to_value(workflows::list()).unwrap();
    let levels: Vec<(&str, u64)> = list["workflows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| (w["id"].as_str().unwrap(), w["required_level"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        levels,
        [
            ("birth-blueprint", 1),
            ("daily-practice", 0),
            ("decision-support", 1),
            ("self-inquiry", 2),
            ("creative-expression", 1),
            ("full-spectrum", 0)
        ]
    );
    let blueprint = &list["workflows"][0];
    assert_eq!(
        blueprint["engines"][2],
        json!({"id": "human-design", "name": "Human Design", "required_level": 1, "core": true})
    );
    assert_eq!(blueprint["moment"], "birth");
    assert_eq!(list["workflows"][1]["moment"], "present");
    assert_eq!(list["workflows"][1]["time_granularity_seconds"], 60);
}

#[test]
fn definitions_hold_together() {
    for workflow in workflows::all() {
        let ids: Vec<&str> = workflow.engines.iter().map(|meta| meta.id).collect();
        assert_eq!(ids.iter().collect::<BTreeSet<_>>().len(), ids.len(), "{}: an engine twice", workflow.id);
        assert!(ids.iter().all(|id| registry::find(id).is_some()));
        assert!(!workflow.core.is_empty());
        assert!(workflow.core.iter().all(|core| ids.contains(&core.id)), "{}: core not a subset", workflow.id);
        let core_level = workflow.core.iter().map(|meta| meta.required_level).max().unwrap();
        assert_eq!(workflow.required_level, core_level);
        let finest = workflow
            .engines
            .iter()
            .filter_map(|meta| match meta.time_granularity {
                TimeGranularity::Seconds(s) => Some(s),
                TimeGranularity::Timeless => None,
            })
            .min();
        assert_eq!(workflow.time_granularity, finest.map_or(TimeGranularity::Timeless, TimeGranularity::Seconds));
    }
    assert_eq!(workflow("full-spectrum").engines.len(), registry::all().len());
    assert!(workflows::find("astrology").is_none());
    assert_eq!(workflows::not_found("astrology").code.status(), 404);
}

#[test]
fn level_0_skips_level_1_and_2_engines_naming_the_level_they_need() {
    let full = workflow("full-spectrum");
    let response = run(full, &example(full), Level::MIN);
    let ran: Vec<&str> = response.results.keys().map(String::as_str).collect();
    assert_eq!(ran, ["biorhythm", "numerology", "panchanga", "vedic-clock"]);
    for (engine, needed) in
        [("human-design", 1), ("vimshottari", 2), ("gene-keys", 2), ("biofield", 1), ("face-reading", 1)]
    {
        assert_eq!(
            skip_reason(&response, engine),
            Some(&SkipReason::LevelRequired { required_level: level(needed) }),
            "{engine}"
        );
    }
    assert!(response.failed.is_empty());
    let json = serde_json::to_value(&response.skipped[0]).unwrap();
    assert_eq!(json["reason"], "LEVEL_REQUIRED");
    assert_eq!(json["engine_id"], "human-design");
    assert_eq!(json["required_level"], 1);
    // The synthesis speaks only of the four that answered.
    let named: BTreeSet<&str> =
        response.synthesis.tensions.iter().flat_map(|t| &t.engines).map(String::as_str).collect();
    assert!(named.iter().all(|id| ran.contains(id)), "{named:?}");
}

#[test]
fn a_key_below_the_workflows_own_level_is_refused() {
    let inquiry = workflow("self-inquiry");
    let err = workflows::plan(inquiry, input(&example(inquiry)), level(1)).unwrap_err();
    assert_eq!(err.code, ProblemCode::LevelRequired);
    assert_eq!(err.required_level, Some(level(2)));
    assert!(err.detail.contains("self-inquiry"), "{}", err.detail);
}

#[test]
fn a_date_alone_skips_what_needs_more_naming_the_missing_fields() {
    let body = json!({"birth_data": {"date": "1991-08-13"}, "current_time": NOW});
    let response = run(workflow("full-spectrum"), &body, Level::MAX);
    let missing = |engine: &str| match skip_reason(&response, engine) {
        Some(SkipReason::MissingInputs { fields }) => fields.iter().map(String::as_str).collect::<Vec<_>>(),
        other => panic!("{engine}: {other:?}"),
    };
    let time_and_zone = ["birth_data.time", "birth_data.timezone"];
    for engine in ["human-design", "vimshottari", "gene-keys", "biofield"] {
        assert_eq!(missing(engine), time_and_zone, "{engine}");
    }
    assert_eq!(
        missing("panchanga"),
        ["birth_data.time", "birth_data.timezone", "birth_data.latitude", "birth_data.longitude"]
    );
    assert_eq!(missing("numerology"), ["birth_data.name"]);
    assert_eq!(missing("vedic-clock"), ["location.timezone"]);
    assert_eq!(missing("face-reading"), ["options.landmarks"]);
    assert_eq!(response.results.keys().collect::<Vec<_>>(), ["biorhythm"]);
    assert!(response.failed.is_empty());
    let json = serde_json::to_value(&response.skipped).unwrap();
    assert!(
        json.as_array().unwrap().iter().any(|s| s["reason"] == "MISSING_INPUTS" && s["fields"][0] == "birth_data.time")
    );
    assert_eq!(response.synthesis.engines, ["biorhythm"]);
    assert!(response.synthesis.witness_prompt.contains("Biorhythm"), "{}", response.synthesis.witness_prompt);
}

/// The fields of a validation error, with `birth_data` (all of it missing) read as its three parts.
fn refused_fields(err: &EngineError) -> BTreeSet<String> {
    let EngineError::Validation(errors) = err else { panic!("not a validation error: {err:?}") };
    errors
        .iter()
        .flat_map(|e| match e.field.as_str() {
            "birth_data" => vec!["birth_data.date", "birth_data.time", "birth_data.timezone"],
            field => vec![field],
        })
        .map(str::to_owned)
        .collect()
}

#[test]
fn skipping_for_missing_inputs_agrees_with_the_engines_own_refusals() {
    // Every combination of the fields the engines need: birth_data is present exactly when the date is.
    for mask in 0u32..256 {
        let has = |bit: u32| mask & (1 << bit) != 0;
        if !has(1) && (has(0) || has(2) || has(3) || has(4)) {
            continue;
        }
        let mut body = json!({"current_time": NOW, "options": {}});
        if has(1) {
            body["birth_data"] = json!({"date": "1991-08-13"});
            let birth = &mut body["birth_data"];
            if has(0) {
                birth["name"] = json!("Asha Rao");
            }
            if has(2) {
                birth["time"] = json!("13:31");
            }
            if has(3) {
                birth["timezone"] = json!("Asia/Kolkata");
            }
            if has(4) {
                birth["latitude"] = json!(12.9716);
                birth["longitude"] = json!(77.5946);
            }
        }
        if has(5) || has(6) {
            body["location"] = json!({});
        }
        if has(5) {
            body["location"]["latitude"] = json!(12.9716);
            body["location"]["longitude"] = json!(77.5946);
        }
        if has(6) {
            body["location"]["timezone"] = json!("Asia/Kolkata");
        }
        if has(7) {
            body["options"]["landmarks"] = mesh();
        }
        for workflow in [workflow("full-spectrum"), workflow("daily-practice")] {
            let mut body = body.clone();
            if workflow.id == "daily-practice" {
                body["options"] = json!({});
            }
            let mut plan = workflows::plan(workflow, input(&body), Level::MAX).unwrap();
            for prepared in std::mem::take(&mut plan.runnable) {
                let id = prepared.engine().meta().id;
                assert!(
                    matches!(EngineOutcome::run(&prepared, ServedBy::Origin), EngineOutcome::Ok(_)),
                    "{id} was planned to run on mask {mask:08b} in {} but refused",
                    workflow.id
                );
            }
            for skipped in &plan.skipped {
                let SkipReason::MissingInputs { fields } = &skipped.reason else { panic!("{skipped:?}") };
                let ours: BTreeSet<String> = fields.iter().cloned().collect();
                let engine = registry::find(&skipped.engine_id).unwrap();
                let mut direct = input(&body);
                if engine.meta().id != "face-reading" {
                    direct.options.clear();
                }
                if engine.meta().id == "panchanga" && workflow.moment == Moment::Present {
                    direct.birth = None;
                }
                if engine.meta().id == "panchanga" && direct.birth.is_none() && workflow.moment == Moment::Birth {
                    // The engine would read the present instead; a workflow about the birth does not.
                    assert!(ours.iter().all(|field| field.starts_with("birth_data.")), "{ours:?}");
                    continue;
                }
                let err = engine.calculate(&direct, Level::MAX).expect_err(&skipped.engine_id);
                assert_eq!(refused_fields(&err), ours, "{} on mask {mask:08b}", skipped.engine_id);
            }
        }
    }
}

#[test]
fn an_engine_that_fails_is_listed_with_its_code_and_the_others_still_answer() {
    let blueprint = workflow("birth-blueprint");
    let mut body = example(blueprint);
    body["birth_data"]["name"] = json!("李小龙"); // no letter numerology can count
    let response = run(blueprint, &body, Level::MAX);
    assert_eq!(response.failed.len(), 1);
    let failed = &response.failed[0];
    assert_eq!((failed.engine_id.as_str(), failed.code), ("numerology", ProblemCode::ValidationError));
    assert!(failed.detail.contains("birth_data.name"), "{}", failed.detail);
    assert_eq!(response.results.len(), 4);
    assert!(!response.synthesis.engines.contains(&"numerology".to_owned()));
    let json = serde_json::to_value(&response).unwrap();
    assert_eq!(json["failed"][0]["code"], "VALIDATION_ERROR");
}

#[test]
fn an_engine_whose_answer_never_arrives_is_reported_not_dropped() {
    let daily = workflow("daily-practice");
    let mut plan = workflows::plan(daily, input(&example(daily)), Level::MAX).unwrap();
    let runnable = std::mem::take(&mut plan.runnable);
    let outcomes = runnable.iter().skip(1).map(|p| EngineOutcome::run(p, ServedBy::Origin)).collect();
    let response = plan.assemble(outcomes, ServedBy::Origin, 3.5);
    assert_eq!(response.failed.len(), 1);
    assert_eq!(response.failed[0].engine_id, runnable[0].engine().meta().id);
    assert_eq!(response.failed[0].code, ProblemCode::Internal);
    assert_eq!(response.metadata.calculation_time_ms, 3.5);
    assert_eq!(response.results.len() + response.failed.len(), daily.engines.len());
}

#[test]
fn an_option_no_engine_of_the_workflow_reads_is_refused_by_name() {
    let daily = workflow("daily-practice");
    let mut body = example(daily);
    body["options"]["landmarks"] = mesh();
    let err = workflows::plan(daily, input(&body), Level::MAX).unwrap_err();
    assert_eq!(err.code, ProblemCode::ValidationError);
    assert_eq!(err.errors[0].field, "options.landmarks");
}

#[test]
fn each_engine_gets_only_the_options_it_reads() {
    let full = workflow("full-spectrum");
    let mut body = example(full);
    body["options"]["forecast_days"] = json!(3);
    let response = run(full, &body, Level::MAX);
    assert!(response.failed.is_empty(), "{:?}", response.failed);
    assert_eq!(response.results["biorhythm"].result["forecast"].as_array().unwrap().len(), 3);
    // The workflow lists only the running pratyantardasha unless asked for all of them.
    let mahadashas = response.results["vimshottari"].result["mahadashas"].as_array().unwrap();
    let listed = mahadashas
        .iter()
        .flat_map(|m| m["antardashas"].as_array().unwrap())
        .filter(|a| a.get("pratyantardashas").and_then(Value::as_array).is_some_and(|p| !p.is_empty()));
    assert_eq!(listed.count(), 1);
}

#[test]
fn a_workflow_about_the_present_reads_todays_panchanga() {
    let daily = run(workflow("daily-practice"), &example(workflow("daily-practice")), Level::MAX);
    assert_eq!(daily.results["panchanga"].result["instant"], NOW);
    let blueprint = run(workflow("birth-blueprint"), &example(workflow("birth-blueprint")), Level::MAX);
    assert_eq!(blueprint.results["panchanga"].result["instant"], "1991-08-13T08:01:00Z");
}

#[test]
fn the_cache_key_holds_for_one_time_bucket_and_one_level() {
    let full = workflow("full-spectrum");
    let plan_at = |now: &str, n: u8| {
        let mut body = example(full);
        body["current_time"] = json!(now);
        workflows::plan(full, input(&body), level(n)).unwrap()
    };
    let a = plan_at("2026-11-25T07:30:05Z", 5);
    let b = plan_at("2026-11-25T07:30:55Z", 5);
    assert_eq!(a.cache_key, b.cache_key);
    assert_ne!(a.cache_key, plan_at("2026-11-25T07:31:00Z", 5).cache_key);
    assert_ne!(a.cache_key, plan_at("2026-11-25T07:30:05Z", 4).cache_key);
    assert!(a.cache_key.to_string().starts_with("workflow/full-spectrum/1.0.0/5/"), "{}", a.cache_key);
    assert_eq!(a.valid_until.unwrap().to_string(), "2026-11-25T07:31:00Z");
}

#[test]
fn the_same_request_gives_byte_identical_json_that_reads_back() {
    let full = workflow("full-spectrum");
    let first = serde_json::to_string(&run(full, &example(full), Level::MAX)).unwrap();
    let second = serde_json::to_string(&run(full, &example(full), Level::MAX)).unwrap();
    assert_eq!(first, second);
    // What the workflow adds reads back exactly. (The engines' own floats may move in the last
    // digit: serde_json reads floats exactly only with its `float_roundtrip` feature.)
    let original: WorkflowResponse = run(full, &example(full), Level::MAX);
    let back: WorkflowResponse = serde_json::from_str(&first).unwrap();
    assert_eq!(back.synthesis, original.synthesis);
    assert_eq!(
        (&back.skipped, &back.failed, &back.metadata),
        (&original.skipped, &original.failed, &original.metadata)
    );
    assert_eq!(back.results.keys().collect::<Vec<_>>(), original.results.keys().collect::<Vec<_>>());
}

#[test]
fn the_witness_prompt_is_worded_for_each_level() {
    for workflow in workflows::all() {
        for answers in [all_answers(), &all_answers()[..1], &[]] {
            let prompts: BTreeSet<String> =
                Level::all().map(|level| workflows::synthesize(workflow, level, answers).witness_prompt).collect();
            assert_eq!(prompts.len(), 6, "{} with {} answers: {prompts:?}", workflow.id, answers.len());
            assert!(prompts.iter().all(|prompt| prompt.ends_with('?')), "{prompts:?}");
        }
    }
}

#[test]
fn a_synthesis_of_one_answer_or_none_is_still_a_synthesis() {
    let full = workflow("full-spectrum");
    for answers in [&all_answers()[..1], &[]] {
        let synthesis = workflows::synthesize(full, level(2), answers);
        assert!(synthesis.themes.is_empty() && synthesis.alignments.is_empty() && synthesis.tensions.is_empty());
        assert!(!synthesis.witness_prompt.is_empty());
        let json = serde_json::to_value(&synthesis).unwrap();
        assert_eq!(json["themes"], json!([]));
    }
}

/// What a synthesis says about engines must be about the engines that answered.
fn check_names_only_present(synthesis: &Synthesis, answers: &[&EngineResponse]) -> Result<(), TestCaseError> {
    let present: BTreeSet<&str> = answers.iter().map(|a| a.engine_id.as_str()).collect();
    let named: Vec<&String> = synthesis
        .themes
        .iter()
        .flat_map(|t| t.engines.iter().chain(t.evidence.iter().map(|e| &e.engine_id)))
        .chain(
            synthesis.alignments.iter().flat_map(|a| a.engines.iter().chain(a.evidence.iter().map(|e| &e.engine_id))),
        )
        .chain(synthesis.tensions.iter().flat_map(|t| {
            t.engines
                .iter()
                .chain(t.evidence.iter().map(|e| &e.engine_id))
                .chain(t.sides.iter().flat_map(|s| &s.engines))
        }))
        .chain(&synthesis.engines)
        .collect();
    for id in named {
        prop_assert!(present.contains(id.as_str()), "{id} is named but did not answer");
    }
    let evidence = synthesis
        .themes
        .iter()
        .flat_map(|t| &t.evidence)
        .chain(synthesis.alignments.iter().flat_map(|a| &a.evidence))
        .chain(synthesis.tensions.iter().flat_map(|t| &t.evidence));
    for cited in evidence {
        let answer = answers.iter().find(|a| a.engine_id == cited.engine_id).unwrap();
        prop_assert!(answer.result.pointer(&cited.field).is_some(), "{} has no {}", cited.engine_id, cited.field);
    }
    let texts = synthesis
        .themes
        .iter()
        .flat_map(|t| [&t.title, &t.description])
        .chain(synthesis.alignments.iter().flat_map(|a| [&a.title, &a.description]))
        .chain(synthesis.tensions.iter().flat_map(|t| [&t.title, &t.description, &t.question]))
        .chain([&synthesis.witness_prompt]);
    let absent: Vec<&str> = registry::all()
        .iter()
        .map(|engine| engine.meta())
        .filter(|meta| !present.contains(meta.id))
        .map(|meta| meta.name)
        .collect();
    for text in texts {
        for name in &absent {
            prop_assert!(!text.contains(name), "{name:?} did not answer but appears in {text:?}");
        }
    }
    for theme in &synthesis.themes {
        prop_assert!(theme.engines.len() >= 2);
    }
    for alignment in &synthesis.alignments {
        prop_assert!(alignment.engines.len() >= 2);
    }
    for tension in &synthesis.tensions {
        let [a, b] = &tension.sides[..] else { return Err(TestCaseError::fail("a tension has two sides")) };
        prop_assert!(!a.engines.is_empty() && !b.engines.is_empty());
        prop_assert!(a.engines.iter().all(|id| !b.engines.contains(id)), "an engine on both sides");
    }
    Ok(())
}

proptest! {
    #[test]
    fn synthesis_names_only_engines_that_answered_whatever_the_order(
        picked in proptest::sample::subsequence((0..9).collect::<Vec<usize>>(), 0..=9).prop_shuffle(),
        n in 0u8..=5,
        which in 0usize..6,
    ) {
        let workflow = &workflows::all()[which];
        let answers: Vec<&EngineResponse> = picked.iter().map(|i| &all_answers()[*i]).collect();
        let owned: Vec<EngineResponse> = answers.iter().map(|a| (*a).clone()).collect();
        let synthesis = workflows::synthesize(workflow, level(n), &owned);
        check_names_only_present(&synthesis, &answers)?;
        // The order answers arrive in changes nothing.
        let mut sorted = owned.clone();
        sorted.sort_by(|a, b| a.engine_id.cmp(&b.engine_id));
        prop_assert_eq!(&synthesis, &workflows::synthesize(workflow, level(n), &sorted));
    }
}
