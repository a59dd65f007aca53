//! What the edge answers, decided without the Workers runtime: method, path and request id in,
//! a complete [`Reply`] out.

use noesis_core::engines::ApiError;
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

/// Answers one request.
///
/// ```
/// use noesis_core::http::request_id::RequestId;
/// use noesis_edge::routes::respond;
///
/// let reply = respond("GET", "/nope", &RequestId::parse("r-1").unwrap());
/// assert_eq!(reply.status, 404);
/// assert_eq!(reply.header("content-type"), Some("application/problem+json"));
/// assert_eq!(reply.header("x-request-id"), Some("r-1"));
/// ```
pub fn respond(method: &str, path: &str, request_id: &RequestId) -> Reply {
    let mut reply = match (path, method) {
        ("/health", "GET" | "HEAD") => json(200, &Health::current(), "application/json"),
        ("/health", _) => {
            let mut reply = problem(&ApiError::method_not_allowed(method, path), request_id);
            reply.headers.push(("Allow", "GET, HEAD".to_owned()));
            reply
        }
        _ => problem(&ApiError::no_route(method, path), request_id),
    };
    reply.headers.push((X_REQUEST_ID, request_id.as_str().to_owned()));
    reply.headers.push((X_SERVED_BY, "edge".to_owned()));
    if method == "HEAD" {
        reply.body.clear();
    }
    reply
}

fn problem(error: &ApiError, request_id: &RequestId) -> Reply {
    json(error.code.status(), &error.to_problem(Some(request_id.as_str())), PROBLEM_JSON)
}

fn json(status: u16, body: &impl Serialize, content_type: &str) -> Reply {
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
        let reply = respond("GET", "/api/v1/nope", &request_id);
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
                "detail": "No route matches GET /api/v1/nope.",
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
}
