//! The engine's options: `options.hd_gates`, the Human Design activations to read the profile
//! from when the caller already has them (instead of birth data).
//!
//! Shape:
//!
//! ```json
//! {"hd_gates": {
//!   "personality": {"sun": "4.2", "venus": "…", "mars": "…", "jupiter": "…"},
//!   "design":      {"sun": "23.4", "moon": "…", "venus": "…", "mars": "…", "jupiter": "…"}
//! }}
//! ```
//!
//! Each activation is a `"gate.line"` string (`"4.2"`) or an object with integer `gate` and
//! `line` (the human-design engine's activation objects, with their `longitude`, `color`, `tone`
//! and `base`, are accepted as they are, so its `personality` and `design` can be passed
//! straight through). The bodies listed above are required; `earth` may be given and must then be
//! the gate opposite the Sun on the same line; the other Human Design bodies (`north_node`,
//! `mercury`, …) are accepted and not used.

use super::META;
use super::sequences::{GateLine, SphereSources};
use crate::engines::human_design::{Activations, opposite_gate};
use crate::engines::options::{shown_key, unknown_options};
use crate::engines::{EngineError, FieldError, Options};
use serde_json::Value;

/// Keys an activation object may carry besides `gate` and `line`.
const ACTIVATION_EXTRAS: [&str; 4] = ["longitude", "color", "tone", "base"];

/// At most this many problems are reported for one request.
const MAX_ERRORS: usize = 20;

/// The parsed options: the activations to use, if the caller gave them.
#[derive(Debug, Clone, PartialEq)]
pub struct GeneKeysOptions {
    pub hd_gates: Option<SphereSources>,
}

impl GeneKeysOptions {
    pub fn parse(options: &Options) -> Result<GeneKeysOptions, EngineError> {
        let mut errors = Errors::default();
        for unknown in unknown_options(options, &META) {
            errors.push(unknown.field, unknown.message);
        }
        let hd_gates = options.get("hd_gates").and_then(|value| parse_hd_gates(value, &mut errors));
        if errors.0.is_empty() { Ok(GeneKeysOptions { hd_gates }) } else { Err(EngineError::Validation(errors.0)) }
    }
}

#[derive(Default)]
struct Errors(Vec<FieldError>);

impl Errors {
    fn push(&mut self, field: impl Into<String>, message: impl Into<String>) {
        if self.0.len() < MAX_ERRORS {
            self.0.push(FieldError::new(field, message));
        }
    }
}

fn parse_hd_gates(value: &Value, errors: &mut Errors) -> Option<SphereSources> {
    const FIELD: &str = "options.hd_gates";
    let Some(object) = value.as_object() else {
        errors.push(FIELD, "expected an object with \"personality\" and \"design\"");
        return None;
    };
    for key in object.keys().filter(|k| !matches!(k.as_str(), "personality" | "design")) {
        errors.push(format!("{FIELD}.{}", shown_key(key)), "unknown key: expected \"personality\" and \"design\"");
    }
    let personality =
        parse_side(object.get("personality"), "personality", &["sun", "venus", "mars", "jupiter"], errors);
    let design = parse_side(object.get("design"), "design", &["sun", "moon", "venus", "mars", "jupiter"], errors);
    let (personality, design) = (personality?, design?);
    let body = |side: &Side, name: &str| side.iter().find(|(n, _)| *n == name).map(|(_, g)| *g);
    let p = |name| body(&personality, name);
    let d = |name| body(&design, name);
    Some(SphereSources {
        p_sun: p("sun")?,
        p_earth: p("earth")?,
        p_venus: p("venus")?,
        p_mars: p("mars")?,
        p_jupiter: p("jupiter")?,
        d_sun: d("sun")?,
        d_earth: d("earth")?,
        d_moon: d("moon")?,
        d_venus: d("venus")?,
        d_mars: d("mars")?,
        d_jupiter: d("jupiter")?,
    })
}

/// The bodies of one side that were given, with `earth` filled in from the Sun when absent.
type Side = Vec<(&'static str, GateLine)>;

fn parse_side(value: Option<&Value>, side: &str, required: &[&str], errors: &mut Errors) -> Option<Side> {
    let field = format!("options.hd_gates.{side}");
    let Some(value) = value else {
        errors.push(field, format!("the {side} activations are required (at least {})", required.join(", ")));
        return None;
    };
    let Some(object) = value.as_object() else {
        errors.push(field, "expected an object of activations keyed by body (\"sun\": \"4.2\", …)");
        return None;
    };
    let before = errors.0.len();
    let mut parsed: Side = Vec::new();
    for (key, value) in object {
        let Some(body) = Activations::NAMES.iter().find(|b| *b == key) else {
            errors.push(
                format!("{field}.{}", shown_key(key)),
                format!("unknown body: expected one of {}", Activations::NAMES.join(", ")),
            );
            continue;
        };
        if let Some(gate_line) = parse_activation(value, &format!("{field}.{body}"), errors) {
            parsed.push((body, gate_line));
        }
    }
    for body in required {
        if !object.contains_key(*body) {
            errors.push(format!("{field}.{body}"), format!("the {side} {body} activation is required"));
        }
    }
    let sun = parsed.iter().find(|(b, _)| *b == "sun").map(|(_, g)| *g);
    if let Some(sun) = sun {
        let opposite = GateLine { gate: opposite_gate(sun.gate).unwrap_or(sun.gate), line: sun.line };
        match parsed.iter().find(|(b, _)| *b == "earth") {
            Some((_, earth)) if *earth != opposite => errors.push(
                format!("{field}.earth"),
                format!(
                    "the Earth stands opposite the Sun: with the Sun at {}.{} it must be {}.{}",
                    sun.gate, sun.line, opposite.gate, opposite.line
                ),
            ),
            Some(_) => {}
            None => parsed.push(("earth", opposite)),
        }
    }
    (errors.0.len() == before).then_some(parsed)
}

fn parse_activation(value: &Value, field: &str, errors: &mut Errors) -> Option<GateLine> {
    const EXPECTED: &str = "expected \"gate.line\" (e.g. \"4.2\") or {\"gate\": 4, \"line\": 2}, gate 1-64, line 1-6";
    let (gate, line) = match value {
        Value::String(s) => {
            let parsed = s.split_once('.').and_then(|(g, l)| {
                let digits = |t: &str| !t.is_empty() && t.len() <= 2 && t.bytes().all(|b| b.is_ascii_digit());
                (digits(g) && digits(l)).then(|| (g.parse::<u64>().ok(), l.parse::<u64>().ok()))
            });
            match parsed {
                Some((Some(g), Some(l))) => (g, l),
                _ => {
                    errors.push(field, EXPECTED);
                    return None;
                }
            }
        }
        Value::Object(object) => {
            let unknown = object
                .keys()
                .find(|k| !matches!(k.as_str(), "gate" | "line") && !ACTIVATION_EXTRAS.contains(&k.as_str()));
            if let Some(key) = unknown {
                errors.push(format!("{field}.{}", shown_key(key)), "unknown key: an activation has gate and line");
                return None;
            }
            match (object.get("gate").and_then(Value::as_u64), object.get("line").and_then(Value::as_u64)) {
                (Some(g), Some(l)) => (g, l),
                _ => {
                    errors.push(field, EXPECTED);
                    return None;
                }
            }
        }
        _ => {
            errors.push(field, EXPECTED);
            return None;
        }
    };
    match (u8::try_from(gate), u8::try_from(line)) {
        (Ok(gate @ 1..=64), Ok(line @ 1..=6)) => Some(GateLine { gate, line }),
        _ => {
            errors.push(field, format!("{gate}.{line} is not a gate and line: gate 1-64, line 1-6"));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(value: Value) -> Result<GeneKeysOptions, Vec<String>> {
        let Value::Object(options) = value else { return Err(vec!["not an object".into()]) };
        GeneKeysOptions::parse(&options).map_err(|e| match e {
            EngineError::Validation(errors) => errors.into_iter().map(|e| e.field).collect(),
            other => vec![other.to_string()],
        })
    }

    fn full() -> Value {
        json!({"hd_gates": {
            "personality": {"sun": "4.2", "venus": "7.3", "mars": {"gate": 33, "line": 6}, "jupiter": "29.1"},
            "design": {"sun": "23.4", "earth": "43.4", "moon": "1.1", "venus": "8.2", "mars": "45.5", "jupiter": "64.6"}
        }})
    }

    #[test]
    fn strings_and_objects_are_read_and_the_earth_filled_in() {
        let options = parse(full()).expect("valid");
        let sources = options.hd_gates.expect("hd_gates");
        assert_eq!(sources.p_earth, GateLine { gate: 49, line: 2 });
        assert_eq!(sources.p_mars, GateLine { gate: 33, line: 6 });
        assert_eq!(sources.d_earth, GateLine { gate: 43, line: 4 });
    }

    #[test]
    fn no_options_means_no_gates() {
        assert_eq!(parse(json!({})).expect("valid").hd_gates, None);
    }

    #[test]
    fn each_problem_names_its_field() {
        let mut bad = full();
        bad["hd_gates"]["personality"]["sun"] = json!("65.1");
        bad["hd_gates"]["personality"]["venus"] = json!("7.7");
        bad["hd_gates"]["design"]["earth"] = json!("42.4");
        bad["hd_gates"]["design"]["comet"] = json!("1.1");
        bad["hd_gates"]["design"].as_object_mut().expect("object").remove("moon");
        bad["hd_gates"]["extra"] = json!(1);
        bad["colour"] = json!("red");
        let mut fields = parse(bad).expect_err("invalid");
        fields.sort();
        assert_eq!(
            fields,
            [
                "options.colour",
                "options.hd_gates.design.comet",
                "options.hd_gates.design.earth",
                "options.hd_gates.design.moon",
                "options.hd_gates.extra",
                "options.hd_gates.personality.sun",
                "options.hd_gates.personality.venus",
            ]
        );
    }

    #[test]
    fn malformed_activations_are_refused() {
        for bad in [
            json!("4"),
            json!("4.2.1"),
            json!("x.2"),
            json!("004.2"),
            json!(4.2),
            json!({"gate": 4}),
            json!(
                {"gate": 4, "line": 2, "colour": 1}
            ),
        ] {
            let mut options = full();
            options["hd_gates"]["personality"]["sun"] = bad.clone();
            assert!(parse(options).is_err(), "{bad} accepted");
        }
    }
}
