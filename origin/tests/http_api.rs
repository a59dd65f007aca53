//! The origin's HTTP contract, checked against the real server on a random local port.

use std::net::SocketAddr;
use std::time::Duration;

use noesis_origin::server::Server;
use reqwest::StatusCode;
use reqwest::header::{ALLOW, CONTENT_TYPE};
use serde_json::{Value, json};
use tokio::sync::oneshot;

/// Starts the origin in this process on 127.0.0.1:0 and returns its base URL.
async fn spawn_origin() -> String {
    let server = Server::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await.expect("bind 127.0.0.1:0");
    let addr = server.local_addr().expect("local address");
    tokio::spawn(server.serve_until(std::future::pending()));
    format!("http://{addr}")
}

fn header<'a>(response: &'a reqwest::Response, name: &str) -> &'a str {
    response.headers().get(name).unwrap_or_else(|| panic!("no {name} header")).to_str().expect("ASCII header")
}

#[tokio::test]
async fn health_answers_ok_with_the_version_and_no_engines_yet() {
    let base = spawn_origin().await;

    let response = reqwest::get(format!("{base}/health")).await.unwrap();

    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, CONTENT_TYPE.as_str()), "application/json");
    assert_eq!(header(&response, "x-served-by"), "origin");
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        body,
        json!({
            "status": "ok",
            "version": env!("CARGO_PKG_VERSION"),
            "engines": [],
            "workflows": [],
        })
    );
}

#[tokio::test]
async fn unknown_path_is_a_problem_json_404_echoing_the_request_id() {
    let base = spawn_origin().await;

    let response = reqwest::Client::new()
        .get(format!("{base}/api/v1/nope?api_key=secret"))
        .header("X-Request-Id", "client-chosen_id.42")
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(header(&response, CONTENT_TYPE.as_str()), "application/problem+json");
    assert_eq!(header(&response, "x-request-id"), "client-chosen_id.42");
    assert_eq!(header(&response, "x-served-by"), "origin");
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        body,
        json!({
            "type": "https://tryambakam.space/problems/not-found",
            "title": "Not Found",
            "status": 404,
            "detail": "No route matches GET /api/v1/nope.",
            "code": "NOT_FOUND",
            "request_id": "client-chosen_id.42",
            "errors": [],
        })
    );
}

#[tokio::test]
async fn malformed_request_id_is_replaced_by_a_generated_uuid() {
    let base = spawn_origin().await;

    for sent in ["has spaces", "slash/y", &"x".repeat(129)] {
        let response =
            reqwest::Client::new().get(format!("{base}/nope")).header("X-Request-Id", sent).send().await.unwrap();

        let echoed = header(&response, "x-request-id").to_owned();
        assert_ne!(echoed, sent);
        assert!(uuid::Uuid::parse_str(&echoed).is_ok(), "{echoed}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["request_id"], echoed.as_str());
    }
}

#[tokio::test]
async fn request_without_an_id_gets_a_generated_one_on_success_too() {
    let base = spawn_origin().await;

    let response = reqwest::get(format!("{base}/health")).await.unwrap();

    assert!(uuid::Uuid::parse_str(header(&response, "x-request-id")).is_ok());
}

#[tokio::test]
async fn wrong_method_on_a_known_path_is_a_problem_json_405() {
    let base = spawn_origin().await;

    let response = reqwest::Client::new().post(format!("{base}/health")).send().await.unwrap();

    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(header(&response, CONTENT_TYPE.as_str()), "application/problem+json");
    assert!(header(&response, ALLOW.as_str()).contains("GET"));
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["code"], "METHOD_NOT_ALLOWED");
    assert_eq!(body["status"], 405);
}

#[tokio::test]
async fn server_finishes_when_asked_to_shut_down() {
    let server = Server::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await.unwrap();
    let base = format!("http://{}", server.local_addr().unwrap());
    let (stop, stopped) = oneshot::channel::<()>();
    let serving = tokio::spawn(server.serve_until(async {
        let _ = stopped.await;
    }));
    assert_eq!(reqwest::get(format!("{base}/health")).await.unwrap().status(), StatusCode::OK);

    stop.send(()).unwrap();

    let finished =
        tokio::time::timeout(Duration::from_secs(10), serving).await.expect("server still running 10 s after shutdown");
    finished.unwrap().unwrap();
}
