//! What the edge answers, decided without the Workers runtime: method, path and request id in,
//! a complete [`Reply`] out.

use noesis_core::engines::{ApiError, ProblemCode};
use noesis_core::http::X_SERVED_BY;
use noesis_core::http::problem::PROBLEM_JSON;
use noesis_core::http::request_id::{RequestId, X_REQUEST_ID};
use serde::Serialize;

use crate::health::Health;

/// A response, ready to be handed to the Workers runtime.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// The HTTP status.
    pub status: u16,
    /// Every header of the response, including `Content-Type`, `X-Request-Id` and `X-Served-By`.
    pub headers: Vec<(&'static str, String)>,
    /// The body (empty for `HEAD`).
    pub body: String,
}

impl Reply {
    /// The value of header `name` (case-insensitive), if set.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(key, _)| key.eq_ignore_ascii_case(name)).map(|(_, value)| value.as_str())
    }
}

/// What the edge does with a request, by method and path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route<'a> {
    Health,
    Status,
    StatusJson,
    OpenApi,
    /// `GET /api/v1/engines` (keyed).
    Engines,
    /// `GET /api/v1/engines/{id}` (keyed).
    Engine(&'a str),
    /// `POST /api/v1/engines/{id}/calculate` (keyed, edge cache).
    Calculate(&'a str),
    /// Anything else under `/api/v1/`: the origin's to answer (workflows, `/me`, admin).
    Forward,
}

impl Route<'_> {
    /// The route pattern, as usage events and logs name it.
    pub fn pattern(&self) -> &'static str {
        match self {
            Route::Health => "/health",
            Route::Status => "/status",
            Route::StatusJson => "/status.json",
            Route::OpenApi => "/api/openapi.json",
            Route::Engines => "/api/v1/engines",
            Route::Engine(_) => "/api/v1/engines/{id}",
            Route::Calculate(_) => "/api/v1/engines/{id}/calculate",
            Route::Forward => "/api/v1/*",
        }
    }

    /// Whether the edge checks a key for it (forwarded routes are checked by the origin).
    pub fn is_keyed(&self) -> bool {
        matches!(self, Route::Engines | Route::Engine(_) | Route::Calculate(_))
    }
}

/// Why no route answers: the error, and for a 405 the `Allow` header.
#[derive(Debug, Clone, PartialEq)]
pub struct NoRoute {
    pub error: ApiError,
    pub allow: Option<&'static str>,
}

/// The route for `method` and `path`; 404 for paths the edge neither answers nor forwards
/// (`/internal/*` included: those are the edge's own calls to the origin), 405 for a method a
/// route does not take.
pub fn route<'a>(method: &str, path: &'a str) -> Result<Route<'a>, NoRoute> {
    const READ: &str = "GET, HEAD";
    let (found, allow) = match path {
        "/health" => (Route::Health, READ),
        "/status" => (Route::Status, READ),
        "/status.json" => (Route::StatusJson, READ),
        "/api/openapi.json" => (Route::OpenApi, READ),
        "/api/v1/engines" => (Route::Engines, READ),
        _ => match path.strip_prefix("/api/v1/") {
            None => return Err(NoRoute { error: ApiError::no_route(method, path), allow: None }),
            Some(rest) => {
                match rest.strip_prefix("engines/").map(|rest| rest.split('/').collect::<Vec<_>>()).as_deref() {
                    Some([id]) if !id.is_empty() => (Route::Engine(id), READ),
                    Some([id, "calculate"]) if !id.is_empty() => (Route::Calculate(id), "POST"),
                    Some(_) => return Err(NoRoute { error: ApiError::no_route(method, path), allow: None }),
                    None => return Ok(Route::Forward),
                }
            }
        },
    };
    if allow.split(", ").any(|allowed| allowed == method) {
        Ok(found)
    } else {
        Err(NoRoute { error: ApiError::method_not_allowed(method, path), allow: Some(allow) })
    }
}

/// Answers a request that needs neither I/O nor a key: `/health`, `/api/openapi.json`, and the
/// 404 or 405 of a request no route takes. The other routes are the glue's (status, engines,
/// forwarding); given one, this answers 500 `INTERNAL`, which the glue never lets happen.
pub fn respond(method: &str, path: &str, request_id: &RequestId) -> Reply {
    let reply = match route(method, path) {
        Ok(Route::Health) => json(200, &Health::current(), "application/json"),
        Ok(Route::OpenApi) => Reply {
            status: 200,
            headers: vec![("Content-Type", "application/json".to_owned())],
            body: OPENAPI.to_owned(),
        },
        Ok(_) => problem(&ApiError::new(ProblemCode::Internal, "This route is answered elsewhere."), request_id),
        Err(no_route) => refusal(&no_route, request_id),
    };
    reply.finish(method, request_id)
}

/// The OpenAPI document of the contract (generated at the origin, checked in under `docs/`).
pub const OPENAPI: &str = include_str!("../../docs/openapi.json");

/// The problem+json reply of a request no route takes, with `Allow` on a 405.
pub fn refusal(no_route: &NoRoute, request_id: &RequestId) -> Reply {
    let mut reply = problem(&no_route.error, request_id);
    if let Some(allow) = no_route.allow {
        reply.headers.push(("Allow", allow.to_owned()));
    }
    reply
}

impl Reply {
    /// Adds `X-Request-Id` and `X-Served-By: edge`, and empties the body of a `HEAD`.
    pub fn finish(mut self, method: &str, request_id: &RequestId) -> Reply {
        self.headers.push((X_REQUEST_ID, request_id.as_str().to_owned()));
        self.headers.push((X_SERVED_BY, "edge".to_owned()));
        if method == "HEAD" {
            self.body.clear();
        }
        self
    }
}

/// A problem+json reply for `error`.
pub fn problem(error: &ApiError, request_id: &RequestId) -> Reply {
    json(error.code.status(), &error.to_problem(Some(request_id.as_str())), PROBLEM_JSON)
}

/// A JSON reply.
pub fn json(status: u16, body: &impl Serialize, content_type: &str) -> Reply {
    Reply {
        status,
        headers: vec![("Content-Type", content_type.to_owned())],
        // These bodies are plain structs of strings and numbers: encoding them cannot fail.
        body: serde_json::to_string(body).unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::request_id::generate;

    fn body(reply: &Reply) -> Value {
        serde_json::from_str(&reply.body).unwrap()
    }

    #[test]
    fn health_is_200_json_served_by_edge() {
        let reply = respond("GET", "/health", &generate());
        assert_eq!(reply.status, 200);
        assert_eq!(reply.header("Content-Type"), Some("application/json"));
        assert_eq!(reply.header("X-Served-By"), Some("edge"));
        assert_eq!(body(&reply)["served_by"], "edge");
        assert_eq!(body(&reply)["status"], "ok");
    }

    #[test]
    fn head_health_has_the_headers_and_no_body() {
        let reply = respond("HEAD", "/health", &generate());
        assert_eq!(reply.status, 200);
        assert_eq!(reply.header("Content-Type"), Some("application/json"));
        assert!(reply.body.is_empty());
    }

    #[test]
    fn unknown_path_is_a_problem_json_404_echoing_the_request_id() {
        let request_id = RequestId::parse("client-id.7").unwrap();
        let reply = respond("GET", "/api/v2/nope", &request_id);
        assert_eq!(reply.status, 404);
        assert_eq!(reply.header("content-type"), Some(PROBLEM_JSON));
        assert_eq!(reply.header("x-request-id"), Some("client-id.7"));
        assert_eq!(reply.header("x-served-by"), Some("edge"));
        assert_eq!(
            body(&reply),
            json!({
                "type": "https://tryambakam.space/problems/not-found",
                "title": "Not Found",
                "status": 404,
                "detail": "No route matches GET /api/v2/nope.",
                "code": "NOT_FOUND",
                "request_id": "client-id.7",
                "errors": [],
            })
        );
    }

    #[test]
    fn wrong_method_on_health_is_a_problem_json_405_with_allow() {
        let reply = respond("POST", "/health", &generate());
        assert_eq!(reply.status, 405);
        assert_eq!(reply.header("Allow"), Some("GET, HEAD"));
        assert_eq!(body(&reply)["code"], "METHOD_NOT_ALLOWED");
    }

    #[test]
    fn every_reply_carries_the_request_id_header() {
        let request_id = generate();
        for (method, path) in [("GET", "/health"), ("GET", "/x"), ("DELETE", "/health")] {
            let reply = respond(method, path, &request_id);
            assert_eq!(reply.header("X-Request-Id"), Some(request_id.as_str()));
        }
    }

    #[test]
    fn the_route_table() {
        assert_eq!(route("GET", "/api/v1/engines"), Ok(Route::Engines));
        assert_eq!(route("HEAD", "/api/v1/engines/numerology"), Ok(Route::Engine("numerology")));
        assert_eq!(route("POST", "/api/v1/engines/numerology/calculate"), Ok(Route::Calculate("numerology")));
        assert_eq!(route("GET", "/status"), Ok(Route::Status));
        assert_eq!(route("GET", "/status.json"), Ok(Route::StatusJson));
        for (method, path) in
            [("POST", "/api/v1/workflows/x/execute"), ("GET", "/api/v1/me"), ("DELETE", "/api/v1/admin/keys")]
        {
            assert_eq!(route(method, path), Ok(Route::Forward), "{method} {path}");
        }
        for path in
            ["/internal/v1/allowlist", "/api/v1/engines/", "/api/v1/engines/a/b", "/__noesis/cache/v1/x", "/api"]
        {
            assert_eq!(route("GET", path).unwrap_err().error.code, ProblemCode::NotFound, "{path}");
        }
        let wrong = route("GET", "/api/v1/engines/numerology/calculate").unwrap_err();
        assert_eq!((wrong.error.code, wrong.allow), (ProblemCode::MethodNotAllowed, Some("POST")));
        assert_eq!(route("POST", "/api/v1/engines").unwrap_err().allow, Some("GET, HEAD"));
        assert_eq!(Route::Calculate("x").pattern(), "/api/v1/engines/{id}/calculate");
        assert!(Route::Engines.is_keyed() && !Route::Forward.is_keyed());
    }

    #[test]
    fn openapi_is_served_from_docs() {
        let reply = respond("GET", "/api/openapi.json", &generate());
        assert_eq!(reply.status, 200);
        assert_eq!(body(&reply)["openapi"], "3.1.0");
    }
}
