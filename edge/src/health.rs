//! `GET /health` at the edge: liveness of the Worker itself, not of the origin behind it.

use serde::Serialize;

/// The body of `GET /health` at the edge. Same fields as the origin's, plus `served_by`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Health {
    /// Always `"ok"`: a Worker that can answer is alive.
    pub status: &'static str,
    /// The version of `noesis-edge` serving the request.
    pub version: &'static str,
    /// The ids of the engines the edge computes, in WASM.
    pub engines: Vec<&'static str>,
    /// The ids of the workflows reachable through the edge (run at the origin).
    pub workflows: Vec<&'static str>,
    /// Always `"edge"`, so a caller can tell this answer from the origin's.
    pub served_by: &'static str,
}

impl Health {
    /// The health report of this build.
    pub fn current() -> Health {
        Health {
            status: "ok",
            version: env!("CARGO_PKG_VERSION"),
            engines: noesis_core::engines::registry::all().iter().map(|engine| engine.meta().id).collect(),
            workflows: noesis_core::workflows::all().iter().map(|workflow| workflow.id).collect(),
            served_by: "edge",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn health_reports_ok_version_and_served_by_edge() {
        let body = serde_json::to_value(Health::current()).unwrap();
        assert_eq!((body["status"].as_str(), body["served_by"].as_str()), (Some("ok"), Some("edge")));
        assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
        assert_eq!(body["engines"].as_array().unwrap().len(), 9);
        assert_eq!(body["workflows"].as_array().unwrap().len(), 6);
    }
}
