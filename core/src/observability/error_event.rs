//! The shape of a 5xx error event, the same from both halves: one event per 5xx answer, tagged
//! so that it can be found by request, route, engine or workflow, and caller, and fingerprinted
//! by `[engine_id | workflow_id | route, problem code]` so that one bug is one Sentry issue
//! however many requests hit it.

/// What the layers of a request know about it when it fails (each half fills what it knows).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErrorTags {
    /// The route pattern, e.g. `/api/v1/engines/{id}/calculate` (never the path as sent: paths
    /// can carry key hashes).
    pub route: Option<String>,
    pub engine_id: Option<String>,
    pub workflow_id: Option<String>,
    /// The caller's tier, e.g. `free`.
    pub tier: Option<String>,
    /// The caller's consciousness level, `0`-`5`.
    pub consciousness_level: Option<String>,
}

/// One 5xx answer to report.
#[derive(Debug, Clone, Copy)]
pub struct ServerError<'a> {
    pub status: u16,
    /// The problem code, e.g. `INTERNAL`, `ORIGIN_UNAVAILABLE`, or `HTTP_<status>` without one.
    pub code: &'a str,
    pub method: &'a str,
    pub request_id: &'a str,
    pub tags: &'a ErrorTags,
    /// The panic message, when a handler panicked.
    pub panicked: Option<&'a str>,
    /// `origin` or `edge`: which half answered.
    pub runtime: &'a str,
}

impl ServerError<'_> {
    /// The route as tagged: the pattern, or `unmatched`.
    pub fn route(&self) -> &str {
        self.tags.route.as_deref().unwrap_or("unmatched")
    }

    /// `[engine_id | workflow_id | route, code]`.
    ///
    /// ```
    /// use noesis_core::observability::error_event::{ErrorTags, ServerError};
    /// let tags = ErrorTags { engine_id: Some("numerology".into()), ..ErrorTags::default() };
    /// let error = ServerError { status: 500, code: "INTERNAL", method: "POST", request_id: "r1",
    ///     tags: &tags, panicked: None, runtime: "edge" };
    /// assert_eq!(error.fingerprint(), ["numerology", "INTERNAL"]);
    /// ```
    pub fn fingerprint(&self) -> [String; 2] {
        let subject = self.tags.engine_id.as_deref().or(self.tags.workflow_id.as_deref()).unwrap_or(self.route());
        [subject.to_owned(), self.code.to_owned()]
    }

    /// The event's message: `500 INTERNAL on POST /route` (and the panic's message).
    pub fn message(&self) -> String {
        let head = format!("{} {} on {} {}", self.status, self.code, self.method, self.route());
        match self.panicked {
            Some(panic) => format!("{head}: a handler panicked: {panic}"),
            None => head,
        }
    }

    /// The event's tags, unset ones left out: `request_id`, `route`, `method`, `status`,
    /// `problem_code`, `engine_id`, `workflow_id`, `tier`, `consciousness_level`, `runtime`, and
    /// `panic` for a panic.
    pub fn tags(&self) -> Vec<(&'static str, String)> {
        let set = [
            ("request_id", Some(self.request_id.to_owned())),
            ("route", Some(self.route().to_owned())),
            ("method", Some(self.method.to_owned())),
            ("status", Some(self.status.to_string())),
            ("problem_code", Some(self.code.to_owned())),
            ("engine_id", self.tags.engine_id.clone()),
            ("workflow_id", self.tags.workflow_id.clone()),
            ("tier", self.tags.tier.clone()),
            ("consciousness_level", self.tags.consciousness_level.clone()),
            ("runtime", Some(self.runtime.to_owned())),
            ("panic", self.panicked.map(|_| "true".to_owned())),
        ];
        set.into_iter().filter_map(|(name, value)| value.map(|value| (name, value))).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_fingerprint_and_message() {
        let tags = ErrorTags {
            route: Some("/api/v1/workflows/{id}/execute".into()),
            workflow_id: Some("birth-blueprint".into()),
            tier: Some("free".into()),
            consciousness_level: Some("2".into()),
            ..ErrorTags::default()
        };
        let error = ServerError {
            status: 503,
            code: "ORIGIN_UNAVAILABLE",
            method: "POST",
            request_id: "r-1",
            tags: &tags,
            panicked: Some("boom"),
            runtime: "edge",
        };
        assert_eq!(error.fingerprint(), ["birth-blueprint", "ORIGIN_UNAVAILABLE"]);
        assert_eq!(
            error.message(),
            "503 ORIGIN_UNAVAILABLE on POST /api/v1/workflows/{id}/execute: a handler panicked: boom"
        );
        let names: Vec<&str> = error.tags().iter().map(|(name, _)| *name).collect();
        assert_eq!(
            names,
            [
                "request_id",
                "route",
                "method",
                "status",
                "problem_code",
                "workflow_id",
                "tier",
                "consciousness_level",
                "runtime",
                "panic"
            ]
        );
        let unmatched = ServerError { tags: &ErrorTags::default(), panicked: None, ..error };
        assert_eq!(unmatched.fingerprint(), ["unmatched", "ORIGIN_UNAVAILABLE"]);
    }
}
