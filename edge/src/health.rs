//! `GET /health` at the edge: liveness of the Worker itself, not of the origin behind it.

use serde::Serialize;

/// The body of `GET /health` at the edge. Same fields as the origin's, plus `served_by`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Health {
    /// Always `"ok"`: a Worker that can answer is alive.
    pub status: &'static str,
    /// The version of `noesis-edge` serving the request.
    pub version: &'static str,
    /// The ids of the engines the edge computes (none yet).
    pub engines: Vec<&'static str>,
    /// The ids of the workflows reachable through the edge (none yet).
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
            engines: Vec::new(),
            workflows: Vec::new(),
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
        assert_eq!(
            body,
            serde_json::json!({
                "status": "ok",
                "version": env!("CARGO_PKG_VERSION"),
                "engines": [],
                "workflows": [],
                "served_by": "edge",
            })
        );
    }
}
