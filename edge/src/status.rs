//! `/status` and `/status.json`: the edge, the origin and what the origin's `/ready` reports
//! (database, cache), and a canary run of every engine in this Worker, each `up`, `degraded` or
//! `down`, with the time checked. The page is built here from what the glue fetched.

use jiff::Timestamp;
use noesis_core::engines::{Level, ServedBy, registry};
use serde::Serialize;
use serde_json::Value;

/// What came of asking the origin's `GET /ready`.
#[derive(Debug, Clone, PartialEq)]
pub enum OriginCheck {
    /// No answer within the timeout, or no `ORIGIN_URL`.
    Unreachable,
    /// An answer: its status and its body, if JSON.
    Answered { status: u16, body: Option<Value> },
}

/// One component's state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ComponentStatus {
    pub name: String,
    /// `up`, `degraded`, `down` or `unknown` (the origin, which would know, is down).
    pub status: &'static str,
    pub detail: String,
}

/// The body of `/status.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatusReport {
    /// `up` when every component is up, else `degraded` (the edge itself answers, so never `down`).
    pub status: &'static str,
    pub checked_at: Timestamp,
    pub version: &'static str,
    pub components: Vec<ComponentStatus>,
}

#[path = "../../core/benches/support/face_landmarks.rs"]
mod face_landmarks;

/// A body the engine `engine_id` computes from: the example of DESIGN §2 (with a plausible face
/// mesh for face reading, the one engine that reads options the others refuse).
fn canary_body(engine_id: &str) -> Vec<u8> {
    let mut mesh = vec![serde_json::json!([0.5, 0.5]); 468];
    for (index, [x, y]) in face_landmarks::MEASURED_LANDMARKS {
        mesh[index] = serde_json::json!([x, y]);
    }
    let mut body = serde_json::json!({
        "birth_data": {"name": "Canary", "date": "1991-08-13", "time": "13:31", "timezone": "Asia/Kolkata",
                       "latitude": 12.9716, "longitude": 77.5946},
        "current_time": "2026-11-25T07:30:00Z",
        "location": {"latitude": 12.9716, "longitude": 77.5946, "timezone": "Asia/Kolkata"},
    });
    if engine_id == "face-reading" {
        body["options"] = serde_json::json!({"landmarks": mesh});
    }
    serde_json::to_vec(&body).unwrap_or_default()
}

fn component(name: &str, status: &'static str, detail: impl Into<String>) -> ComponentStatus {
    ComponentStatus { name: name.to_owned(), status, detail: detail.into() }
}

/// The report at `now` from the origin check; runs every engine's canary.
pub fn report(origin: &OriginCheck, now: Timestamp) -> StatusReport {
    let mut components = vec![component("edge", "up", "this Worker answered")];
    match origin {
        OriginCheck::Unreachable => {
            components.push(component("origin", "down", "no answer from /ready"));
            components.push(component("database", "unknown", "the origin is down"));
            components.push(component("cache", "unknown", "the origin is down"));
        }
        OriginCheck::Answered { status, body } => {
            let ready = body.as_ref().and_then(|body| body["status"].as_str()).unwrap_or("");
            let origin_status = match (*status, ready) {
                (200, "ready") => "up",
                (200..=299 | 503, _) => "degraded",
                _ => "down",
            };
            components.push(component("origin", origin_status, format!("/ready answered {status} {ready}").trim_end()));
            for name in ["database", "cache"] {
                let part = body.as_ref().map(|body| &body["components"][name]);
                let state = part.and_then(|part| part["status"].as_str()).unwrap_or("");
                let backend = part.and_then(|part| part["backend"].as_str()).unwrap_or("");
                let status = match state {
                    "up" | "disabled" => "up",
                    "down" if name == "cache" => "degraded",
                    "down" => "down",
                    _ => "unknown",
                };
                components.push(component(name, status, format!("{backend} {state}").trim()));
            }
        }
    }
    for engine in registry::all() {
        let id = engine.meta().id;
        let outcome = registry::calculate(id, &canary_body(id), Level::MAX, now, ServedBy::Edge);
        components.push(match outcome {
            Ok(_) => component(&format!("engine:{id}"), "up", "canary answered"),
            Err(err) => component(&format!("engine:{id}"), "down", err.code.as_str()),
        });
    }
    let all_up = components.iter().all(|component| component.status == "up");
    StatusReport {
        status: if all_up { "up" } else { "degraded" },
        checked_at: now,
        version: env!("CARGO_PKG_VERSION"),
        components,
    }
}

/// The report as an HTML page.
pub fn html(report: &StatusReport) -> String {
    let rows: String = report
        .components
        .iter()
        .map(|c| {
            format!(
                "<tr><td>{}</td><td class=\"{}\">{}</td><td>{}</td></tr>\n",
                escape(&c.name),
                c.status,
                c.status,
                escape(&c.detail)
            )
        })
        .collect();
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Noesis status</title>\n\
         <style>body{{font-family:system-ui,sans-serif;max-width:44rem;margin:2rem auto}}td{{padding:.2rem .8rem}}\
         .up{{color:#176f2c}}.degraded,.unknown{{color:#8a5a00}}.down{{color:#b00020}}</style></head>\n\
         <body><h1>Noesis: <span class=\"{status}\">{status}</span></h1>\n<p>Checked at {checked_at} (version {version}). \
         Machine-readable: <a href=\"/status.json\">/status.json</a>.</p>\n<table>\n{rows}</table></body></html>\n",
        status = report.status,
        checked_at = report.checked_at,
        version = report.version,
    )
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn now() -> Timestamp {
        "2026-11-25T07:30:00Z".parse().unwrap()
    }

    fn status_of<'a>(report: &'a StatusReport, name: &str) -> &'a str {
        report.components.iter().find(|c| c.name == name).unwrap().status
    }

    #[test]
    fn a_ready_origin_and_working_engines_are_up() {
        let body = json!({"status": "ready", "components": {"database": {"status": "up", "backend": "sqlite"},
                          "cache": {"status": "disabled", "backend": "memory"}}});
        let report = report(&OriginCheck::Answered { status: 200, body: Some(body) }, now());
        assert_eq!(report.status, "up", "{report:?}");
        assert_eq!(report.components.len(), 4 + registry::all().len());
        assert!(html(&report).contains("engine:numerology"));
    }

    #[test]
    fn an_unreachable_origin_degrades_and_a_down_database_is_down() {
        let report1 = report(&OriginCheck::Unreachable, now());
        assert_eq!(
            (report1.status, status_of(&report1, "origin"), status_of(&report1, "database")),
            ("degraded", "down", "unknown")
        );
        let body = json!({"status": "unavailable", "components": {"database": {"status": "down", "backend": "postgres"},
                          "cache": {"status": "down", "backend": "redis"}}});
        let report2 = report(&OriginCheck::Answered { status: 503, body: Some(body) }, now());
        assert_eq!(status_of(&report2, "origin"), "degraded");
        assert_eq!(status_of(&report2, "database"), "down");
        assert_eq!(status_of(&report2, "cache"), "degraded");
        assert_eq!(serde_json::to_value(&report2).unwrap()["checked_at"], "2026-11-25T07:30:00Z");
    }

    #[test]
    fn html_is_escaped() {
        assert_eq!(escape("<a&\">"), "&lt;a&amp;&quot;&gt;");
    }
}
