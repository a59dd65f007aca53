//! Hostile input against the real origin (docs/security.md): bodies that are too large, too
//! deep, not UTF-8 or not JSON; request ids that would inject headers; SQL metacharacters in
//! every string the API takes, in bodies, query strings and paths; keys with the right prefix and
//! a wrong checksum. Every answer is a 4xx problem or a 2xx that stored the string as sent, never
//! a 5xx, and what was stored before is intact afterwards. The flows that touch storage run on
//! SQLite and on Postgres.

mod support;

use noesis_origin::app::Tuning;
use reqwest::{Method, Response};
use serde_json::{Value, json};
use support::{Backend, EDGE_SECRET, METRICS_TOKEN, TestOrigin, header, numerology_request, problem};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Runs `case` on an origin over SQLite, then over Postgres (when `TEST_DATABASE_URL` is set).
async fn on_both_databases<F: std::future::Future<Output = ()>>(case: impl Fn(TestOrigin) -> F) {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        match TestOrigin::start(backend, &[], Tuning::default()).await {
            Some(origin) => case(origin).await,
            None => eprintln!("TEST_DATABASE_URL is unset: skipping the Postgres run (scripts/test sets it)"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sql_metacharacters_in_bodies_are_stored_verbatim_or_refused() {
    on_both_databases(bodies_with_sql_metacharacters).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sql_metacharacters_in_queries_and_paths_are_refused() {
    on_both_databases(queries_and_paths_with_sql_metacharacters).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_checksum_is_refused_without_a_lookup() {
    on_both_databases(wrong_checksums).await;
}

/// What an attacker tries in a string field: SQL injection, a NUL, quotes that are not ASCII, a
/// comment, a backslash, a right-to-left override.
const HOSTILE: &[&str] = &[
    "' OR 1=1 --",
    "\"; DROP TABLE users; --",
    "Robert'); DROP TABLE api_keys;--",
    "\0",
    "a\0b",
    "\u{2018}smart\u{2019} \u{201c}quotes\u{201d}",
    "%' OR name LIKE '%",
    "\\'; SELECT pg_sleep(5); --",
    "1; UPDATE api_keys SET revoked_at = NULL",
    "\u{202e}gnp.exe",
];

/// `text` percent-encoded for a path segment or a query value (every byte but unreserved ones).
fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Asserts that `response` is a 2xx, or a 4xx problem+json whose `request_id` is the header's;
/// returns the status and the body.
async fn not_5xx(response: Response, what: &str) -> (u16, Value) {
    let status = response.status().as_u16();
    assert!(status < 500, "{what}: {status} {:?}", response.text().await);
    if status >= 400 {
        assert_eq!(header(&response, "content-type"), "application/problem+json", "{what}");
        let request_id = header(&response, "x-request-id").to_owned();
        let body: Value = response.json().await.expect("a problem");
        assert_eq!(body["status"], status, "{what}");
        assert_eq!(body["request_id"], request_id.as_str(), "{what}");
        return (status, body);
    }
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn bodies_with_sql_metacharacters(origin: TestOrigin) {
    let admin = &origin.admin_key;
    let mut created_users = Vec::new();
    let mut created_keys = Vec::new();
    for (n, text) in HOSTILE.iter().enumerate() {
        // A user named with it, and a user whose email holds it.
        let body = json!({"email": format!("user{n}@example.com"), "name": text});
        let (status, user) = not_5xx(origin.post("/api/v1/admin/users", admin, &body).await, text).await;
        if status == 201 {
            assert_eq!(user["name"], text.trim(), "{text:?}");
            created_users.push((user["id"].as_str().unwrap().to_owned(), text.trim().to_owned()));
        } else {
            assert_eq!(status, 422, "{text:?}");
        }
        let email = format!("x{}@example.com", text.replace(' ', ""));
        let body = json!({"email": email, "name": "Mail Test"});
        let (status, user) = not_5xx(origin.post("/api/v1/admin/users", admin, &body).await, text).await;
        if status == 201 {
            assert_eq!(user["email"], email.as_str(), "{text:?}");
        } else {
            assert_eq!(status, 422, "{email:?}");
        }

        // A key labelled with it; then revoked with it as the reason.
        let body = json!({"user_id": origin.admin_user, "name": text, "tier": "free", "consciousness_level": 0});
        let (status, key) = not_5xx(origin.post("/api/v1/admin/keys", admin, &body).await, text).await;
        if status == 201 {
            let key_id = key["key_id"].as_str().unwrap().to_owned();
            let read: Value = origin.get_json(&format!("/api/v1/admin/keys/{key_id}"), admin).await;
            assert_eq!(read["name"], text.trim(), "{text:?}");
            created_keys.push((key_id, key["api_key"].as_str().unwrap().to_owned()));
        } else {
            assert_eq!(status, 422, "{text:?}");
        }
        // An environment and a tier of it: refused, naming the field.
        let body = json!({"user_id": origin.admin_user, "name": "x", "tier": text, "consciousness_level": 0});
        assert_eq!(not_5xx(origin.post("/api/v1/admin/keys", admin, &body).await, text).await.0, 422);
        let body = json!({"user_id": origin.admin_user, "name": "x", "tier": "free", "consciousness_level": 0, "environment": text});
        let (status, refused) = not_5xx(origin.post("/api/v1/admin/keys", admin, &body).await, text).await;
        assert_eq!((status, refused["errors"][0]["field"].as_str()), (422, Some("environment")));

        // The engine request's one free-text field, and a timezone made of it.
        let body = json!({"birth_data": {"name": text, "date": "1991-08-13"}});
        let (status, answer) =
            not_5xx(origin.post("/api/v1/engines/numerology/calculate", admin, &body).await, text).await;
        assert!(status == 200 || (status == 422 && answer["errors"][0]["field"] == "birth_data.name"), "{text:?}");
        let body = json!({"birth_data": {"name": "Asha", "date": "1991-08-13", "time": "12:00", "timezone": text}});
        let (status, answer) =
            not_5xx(origin.post("/api/v1/engines/human-design/calculate", admin, &body).await, text).await;
        assert_eq!((status, answer["errors"][0]["field"].as_str()), (422, Some("birth_data.timezone")));
    }
    assert!(!created_users.is_empty() && !created_keys.is_empty(), "no hostile string was storable at all");

    // Revocation reasons are free text too.
    let (key_id, key) = &created_keys[0];
    let revoked =
        origin.post(&format!("/api/v1/admin/keys/{key_id}/revoke"), admin, &json!({"reason": HOSTILE[1]})).await;
    assert_eq!(not_5xx(revoked, "reason").await.0, 200);
    problem(origin.get("/api/v1/engines", key).await, 401, "KEY_REVOKED").await;

    // Everything stored is still there, as sent, and the other keys still work.
    let listed: Value = origin.get_json("/api/v1/admin/users?limit=200", admin).await;
    for (id, name) in &created_users {
        let user = listed["items"].as_array().unwrap().iter().find(|u| u["id"] == id.as_str());
        assert_eq!(user.map(|u| u["name"].clone()), Some(json!(name)), "user {id}");
    }
    assert!(listed["items"].as_array().unwrap().iter().any(|u| u["email"] == "root@example.com"));
    for (_, key) in &created_keys[1..] {
        assert_eq!(origin.get("/api/v1/me", key).await.status(), 200);
    }
    assert_eq!(origin.get("/api/v1/me", admin).await.status(), 200);
}

async fn queries_and_paths_with_sql_metacharacters(origin: TestOrigin) {
    let admin = &origin.admin_key;
    let (key_id, _) = origin.create_key(0, &["engines"], json!({})).await;
    for text in HOSTILE.iter().copied().chain(["%FF", "..", "../../etc/passwd"]) {
        let value = encode(text);
        for query in [
            format!("/api/v1/admin/users?cursor={value}"),
            format!("/api/v1/admin/users?limit={value}"),
            format!("/api/v1/admin/keys?cursor={value}"),
            format!("/api/v1/admin/keys?tier={value}"),
            format!("/api/v1/admin/keys?user_id={value}"),
            format!("/api/v1/admin/usage?group_by={value}"),
            format!("/api/v1/admin/usage?from={value}"),
            format!("/api/v1/admin/usage?key_id={value}"),
        ] {
            let (status, body) = not_5xx(origin.get(&query, admin).await, &query).await;
            // A tier filter no key has may list nothing; everything else is refused by name.
            assert!(status == 422 || (status == 200 && body["items"] == json!([])), "{query}: {status} {body}");
        }
        for path in [
            format!("/api/v1/admin/keys/{value}"),
            format!("/api/v1/engines/{value}"),
            format!("/api/v1/workflows/{value}"),
        ] {
            let (status, _) = not_5xx(origin.get(&path, admin).await, &path).await;
            assert!(matches!(status, 400 | 404 | 422), "{path}: {status}");
        }
        for path in [
            format!("/api/v1/admin/keys/{value}/revoke"),
            format!("/api/v1/admin/keys/{value}/rotate"),
            format!("/api/v1/engines/{value}/calculate"),
            format!("/api/v1/workflows/{value}/execute"),
        ] {
            let (status, _) = not_5xx(origin.post(&path, admin, &numerology_request()).await, &path).await;
            assert!(matches!(status, 400 | 404 | 422), "{path}: {status}");
        }
        let internal = origin
            .client
            .get(origin.url(&format!("/internal/v1/keys/{value}")))
            .bearer_auth(EDGE_SECRET)
            .send()
            .await
            .unwrap();
        let (status, _) = not_5xx(internal, "internal key lookup").await;
        assert!(matches!(status, 400 | 404 | 422), "{text:?}: {status}");
    }
    // The key named in the paths above is untouched.
    let key: Value = origin.get_json(&format!("/api/v1/admin/keys/{key_id}"), admin).await;
    assert_eq!(key["revoked_at"], Value::Null);
}

/// The sum of the key cache's lookups, by `/metrics`.
async fn key_lookups(origin: &TestOrigin) -> u64 {
    let text = origin
        .client
        .get(origin.url("/metrics"))
        .bearer_auth(METRICS_TOKEN)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    text.lines()
        .filter(|line| line.starts_with("noesis_cache_lookups_total{") && line.contains("cache=\"key\""))
        .filter_map(|line| line.rsplit(' ').next()?.parse::<u64>().ok())
        .sum()
}

async fn wrong_checksums(origin: TestOrigin) {
    let path = "/api/v1/engines";
    let before = key_lookups(&origin).await;
    let key = origin.admin_key.clone();
    // Every position of the body and the checksum, one character off.
    for position in 8..key.len() {
        let mut bytes = key.clone().into_bytes();
        bytes[position] = if bytes[position] == b'0' { b'1' } else { b'0' };
        let typo = String::from_utf8(bytes).unwrap();
        let body = problem(origin.get(path, &typo).await, 401, "UNAUTHORIZED").await;
        assert_eq!(body["detail"], "The API key's checksum does not match: it was mistyped, altered or made up.");
        assert!(!body.to_string().contains(&typo[8..]), "a refusal never quotes the key");
    }
    assert_eq!(key_lookups(&origin).await, before, "a wrong checksum reached the key lookup");
    // A well-formed key no one issued does reach it: the count above is the right one to watch.
    let unknown = noesis_core::keys::ApiKey::generate(noesis_core::keys::Environment::Live, [3; 64]);
    problem(origin.get(path, unknown.expose_secret()).await, 401, "UNAUTHORIZED").await;
    assert!(key_lookups(&origin).await > before);
}

// ---------------------------------------------------------------------------------------------
// Bodies (no storage involved: SQLite only)

async fn send_body(origin: &TestOrigin, path: &str, body: Vec<u8>, content_type: Option<&str>) -> Response {
    let mut request = origin.request(Method::POST, path, Some(&origin.admin_key)).body(body);
    if let Some(content_type) = content_type {
        request = request.header("Content-Type", content_type);
    }
    request.send().await.expect("request sent")
}

#[tokio::test]
async fn oversized_deep_and_non_utf8_bodies_are_refused() {
    let origin = TestOrigin::sqlite().await;
    for path in
        ["/api/v1/engines/numerology/calculate", "/api/v1/workflows/birth-blueprint/execute", "/api/v1/admin/users"]
    {
        let json = Some("application/json");
        // Over 64 KiB, with a Content-Length.
        let huge = format!(r#"{{"birth_data": {{"name": "{}"}}}}"#, "a".repeat(65 * 1024)).into_bytes();
        problem(send_body(&origin, path, huge, json).await, 413, "PAYLOAD_TOO_LARGE").await;
        // Nested far beyond the parser's recursion limit, inside the size limit: no stack overflow.
        let deep = format!("{}{}", "[".repeat(30_000), "]".repeat(30_000)).into_bytes();
        problem(send_body(&origin, path, deep, json).await, 400, "MALFORMED_JSON").await;
        let mut nested = String::from("1");
        for _ in 0..3_000 {
            nested = format!(r#"{{"a":{nested}}}"#);
        }
        let deep_options = format!(r#"{{"birth_data": {{"name": "A", "date": "1991-08-13"}}, "options": {nested}}}"#);
        problem(send_body(&origin, path, deep_options.into_bytes(), json).await, 400, "MALFORMED_JSON").await;
        // Not UTF-8: invalid bytes inside a string, and a UTF-16 body.
        let latin1 = b"{\"birth_data\": {\"name\": \"Jos\xe9\", \"date\": \"1991-08-13\"}}".to_vec();
        problem(send_body(&origin, path, latin1, json).await, 400, "MALFORMED_JSON").await;
        let utf16: Vec<u8> = "{\"a\": 1}".encode_utf16().flat_map(u16::to_le_bytes).collect();
        problem(send_body(&origin, path, [vec![0xFF, 0xFE], utf16].concat(), json).await, 400, "MALFORMED_JSON").await;
        // The wrong media type, or none with a body.
        let body = serde_json::to_vec(&numerology_request()).unwrap();
        for content_type in [
            Some("text/plain"),
            Some("application/x-www-form-urlencoded"),
            Some("multipart/form-data; boundary=x"),
            None,
        ] {
            problem(send_body(&origin, path, body.clone(), content_type).await, 415, "UNSUPPORTED_MEDIA_TYPE").await;
        }
    }
    // Still serving.
    assert_eq!(
        origin.post("/api/v1/engines/numerology/calculate", &origin.admin_key, &numerology_request()).await.status(),
        200
    );
}

#[tokio::test]
async fn a_chunked_body_over_the_limit_is_refused() {
    let origin = TestOrigin::sqlite().await;
    // No Content-Length: the limit must hold while the body streams in.
    let chunk = format!(r#"{{"birth_data": {{"name": "{}"}}}}"#, "b".repeat(70 * 1024));
    let request = format!(
        "POST /api/v1/engines/numerology/calculate HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\n\
         Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n{:x}\r\n{chunk}\r\n0\r\n\r\n",
        origin.admin_key,
        chunk.len()
    );
    let (status, head, body) = raw(&origin, request.as_bytes()).await;
    assert_eq!(status, 413, "{head}");
    assert!(head.to_ascii_lowercase().contains("content-type: application/problem+json"), "{head}");
    assert!(body.contains("PAYLOAD_TOO_LARGE"), "{body}");
}

// ---------------------------------------------------------------------------------------------
// X-Request-Id

/// Sends raw bytes on a fresh connection; returns the status, the head and the body as text.
async fn raw(origin: &TestOrigin, request: &[u8]) -> (u16, String, String) {
    let address = origin.base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(address).await.expect("connect");
    stream.write_all(request).await.expect("write");
    let mut answer = Vec::new();
    let read = tokio::time::timeout(std::time::Duration::from_secs(10), stream.read_to_end(&mut answer)).await;
    assert!(read.is_ok(), "the origin did not close the connection");
    let text = String::from_utf8_lossy(&answer).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head.split(' ').nth(1).and_then(|code| code.parse().ok()).unwrap_or(0);
    (status, head.to_owned(), body.to_owned())
}

/// The response's `X-Request-Id` values, read from a raw head.
fn request_ids(head: &str) -> Vec<&str> {
    head.lines()
        .filter_map(|line| line.strip_prefix("x-request-id: ").or_else(|| line.strip_prefix("X-Request-Id: ")))
        .collect()
}

#[tokio::test]
async fn request_ids_that_would_inject_are_never_reflected() {
    let origin = TestOrigin::sqlite().await;
    // CR, LF, NUL and other controls cannot be sent through an HTTP client: raw bytes.
    for id in [&b"abc\rSet-Cookie: x=1"[..], b"abc\x00def", b"abc\x0bdef", b"abc\x7fdef", b"\xe9t\xe9", b"a\xff\xfeb"] {
        let mut request = b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Request-Id: ".to_vec();
        request.extend_from_slice(id);
        request.extend_from_slice(b"\r\n\r\n");
        let (status, head, _) = raw(&origin, &request).await;
        assert!((200..500).contains(&status), "{id:?}: {head}");
        assert!(!head.to_ascii_lowercase().contains("set-cookie"), "{head}");
        for echoed in request_ids(&head) {
            assert!(uuid::Uuid::parse_str(echoed).is_ok(), "{id:?} came back as {echoed:?}");
        }
    }
    // An LF ends the header line: what follows is another header, or garbage the server refuses.
    let request = b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Request-Id: abc\nSet-Cookie: x=1\r\n\r\n";
    let (status, head, _) = raw(&origin, request).await;
    assert!((200..500).contains(&status), "{head}");
    assert!(!head.to_ascii_lowercase().contains("set-cookie"), "{head}");

    // What a client can send: non-ASCII bytes, 10 KB, quotes, spaces; each replaced by a UUID.
    let long = "x".repeat(10 * 1024);
    let values: Vec<reqwest::header::HeaderValue> = vec![
        reqwest::header::HeaderValue::from_bytes(b"caf\xc3\xa9").unwrap(),
        reqwest::header::HeaderValue::from_str(&long).unwrap(),
        reqwest::header::HeaderValue::from_static("' OR 1=1 --"),
        reqwest::header::HeaderValue::from_static("<script>alert(1)</script>"),
        reqwest::header::HeaderValue::from_str(&"y".repeat(129)).unwrap(),
    ];
    for value in values {
        for (method, path) in
            [(Method::GET, "/health"), (Method::GET, "/no/such/route"), (Method::POST, "/api/v1/engines/x/calculate")]
        {
            let response = origin
                .request(method.clone(), path, Some(&origin.admin_key))
                .header("X-Request-Id", value.clone())
                .send()
                .await
                .unwrap();
            assert!(response.status().as_u16() < 500);
            let echoed = header(&response, "x-request-id").to_owned();
            assert!(uuid::Uuid::parse_str(&echoed).is_ok(), "{value:?} came back as {echoed:?}");
            if response.status().as_u16() >= 400 {
                let body: Value = response.json().await.unwrap();
                assert_eq!(body["request_id"], echoed.as_str());
            }
        }
    }
    // The longest well-formed id is kept as it is.
    let longest = "z".repeat(128);
    let response = origin.client.get(origin.url("/health")).header("X-Request-Id", &longest).send().await.unwrap();
    assert_eq!(header(&response, "x-request-id"), longest);
}

#[tokio::test]
async fn hostile_key_headers_are_unauthorized() {
    let origin = TestOrigin::sqlite().await;
    let key = &origin.admin_key;
    for value in [
        format!("Bearer {key}\u{0}"),
        format!("Bearer {key} {key}"),
        format!("Bearer {}", &key[..45]),
        format!("Bearer {key}a"),
        format!("Bearer {}", key.replacen("nk_test_", "nk_live_", 1)),
        format!("Bearer {}", key.to_uppercase()),
        "Bearer ' OR 1=1 --".to_owned(),
        format!("Bearer {}", "nk_live_".repeat(1000)),
    ] {
        // Raw bytes: a client library would refuse the NUL.
        let request =
            format!("GET /api/v1/me HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: {value}\r\n\r\n")
                .into_bytes();
        let (status, head, body) = raw(&origin, &request).await;
        assert!(status == 401 || status == 400, "{value:?}: {head}");
        if status == 401 {
            assert!(body.contains("\"UNAUTHORIZED\""), "{body}");
            assert!(!body.contains(&key[8..]), "a refusal never quotes the key");
        }
    }
}
