//! A real origin for HTTP tests: the whole app (database, caches, usage writer) on 127.0.0.1 with
//! a random port, on a fresh SQLite file or a fresh Postgres schema, and a client for it.

#![allow(dead_code)]

pub mod proxy;
pub mod redis_server;

use std::net::SocketAddr;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use jiff::Timestamp;
use noesis_core::engines::Level;
use noesis_core::keys::{Environment, Scopes, Tier};
use noesis_origin::app::{App, Tuning};
use noesis_origin::config::Config;
use noesis_origin::key_admin::{self, KeySpec};
use noesis_origin::routes;
use noesis_origin::server::Server;
use noesis_origin::storage::{Database, DatabaseTarget};
use reqwest::{Method, RequestBuilder, Response};
use serde_json::Value;
use sqlx::Connection;
use sqlx::postgres::{PgConnectOptions, PgConnection};
use tokio::sync::oneshot;
use uuid::Uuid;

/// The edge secret every test origin is configured with.
pub const EDGE_SECRET: &str = "test-edge-secret-0123456789abcdef0123";
/// The metrics token every test origin is configured with.
pub const METRICS_TOKEN: &str = "test-metrics-token-0123456789abcdef01";

/// Which database a test origin runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A running origin. Stops (and removes its database) when dropped.
pub struct TestOrigin {
    pub base: String,
    pub app: Arc<App>,
    pub db: Database,
    pub client: reqwest::Client,
    /// An admin key (all scopes, level 5, enterprise) created directly in the database.
    pub admin_key: String,
    pub admin_user: Uuid,
    stop: Option<oneshot::Sender<()>>,
    cleanup: Cleanup,
}

enum Cleanup {
    /// The caller owns the database.
    Nothing,
    File(std::path::PathBuf),
    Schema {
        url: String,
        schema: String,
    },
}

/// The Postgres to test against, from `TEST_DATABASE_URL` (`scripts/test` sets it).
pub fn test_database_url() -> Option<String> {
    std::env::var("TEST_DATABASE_URL").ok().filter(|url| !url.is_empty())
}

/// Settings as `Config::from_lookup` reads them, with the test secrets, plus `extra`.
pub fn config(extra: &[(&str, &str)]) -> Config {
    let mut settings: Vec<(String, String)> = vec![
        ("NOESIS_EDGE_SECRET".into(), EDGE_SECRET.into()),
        ("METRICS_TOKEN".into(), METRICS_TOKEN.into()),
        ("KEY_CACHE_TTL_SECONDS".into(), "1".into()),
    ];
    for (name, value) in extra {
        settings.retain(|(existing, _)| existing != name);
        settings.push(((*name).into(), (*value).into()));
    }
    Config::from_lookup(|name| settings.iter().find(|(key, _)| key == name).map(|(_, value)| value.clone()))
        .expect("test configuration is valid")
}

impl TestOrigin {
    /// An origin on a fresh SQLite file.
    pub async fn sqlite() -> TestOrigin {
        TestOrigin::start(Backend::Sqlite, &[], Tuning::default()).await.expect("sqlite always runs")
    }

    /// An origin on `backend`, `None` when that backend is not available (Postgres without
    /// `TEST_DATABASE_URL`).
    pub async fn start(backend: Backend, extra: &[(&str, &str)], tuning: Tuning) -> Option<TestOrigin> {
        let config = config(extra);
        let (db, cleanup) = match backend {
            Backend::Sqlite => {
                let path = std::env::temp_dir().join(format!("noesis-http-{}.sqlite", Uuid::new_v4().simple()));
                (Database::open(&DatabaseTarget::Sqlite(path.clone()), config.db_timeout), Cleanup::File(path))
            }
            Backend::Postgres => {
                let url = test_database_url()?;
                let schema = format!("noesis_http_{}", Uuid::new_v4().simple());
                let mut admin = PgConnection::connect(&url).await.expect("connect to TEST_DATABASE_URL");
                sqlx::query(&format!("CREATE SCHEMA {schema}")).execute(&mut admin).await.expect("create schema");
                let options = PgConnectOptions::from_str(&url).unwrap().options([("search_path", &schema)]);
                (Database::open_postgres(options, config.db_timeout), Cleanup::Schema { url, schema })
            }
        };
        db.migrate().await.expect("migrate");
        Some(TestOrigin::serve(config, db, cleanup, tuning).await)
    }

    /// An origin on a database the caller opened (and migrated), e.g. through a proxy that the
    /// test cuts to simulate an outage; the caller cleans it up.
    pub async fn on(db: Database, extra: &[(&str, &str)], tuning: Tuning) -> TestOrigin {
        TestOrigin::serve(config(extra), db, Cleanup::Nothing, tuning).await
    }

    async fn serve(config: Config, db: Database, cleanup: Cleanup, tuning: Tuning) -> TestOrigin {
        let owner = key_admin::owner_by_email(&db, "root@example.com", Tier::Enterprise).await.unwrap();
        let spec = KeySpec {
            user_id: owner.id,
            name: "test admin".into(),
            tier: Tier::Enterprise,
            level: Level::MAX,
            scopes: Scopes::ALL,
            rate_limit_per_minute: Some(1_000_000),
            expires_at: None,
            environment: Environment::Test,
        };
        let (admin_key, _) = key_admin::issue(&db, &spec, "test").await.unwrap();

        let (app, background) = App::start(&config, db.clone(), tuning);
        let router = routes::router(app.clone(), config.allowed_origins.clone());
        let server = Server::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await.expect("bind");
        let base = format!("http://{}", server.local_addr().unwrap());
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(async move {
            let _ = server
                .serve_until(router, async {
                    let _ = stopped.await;
                })
                .await;
            background.shutdown(Duration::from_secs(5)).await;
        });
        TestOrigin {
            base,
            app,
            db,
            client: reqwest::Client::new(),
            admin_key: admin_key.expose_secret().to_owned(),
            admin_user: owner.id,
            stop: Some(stop),
            cleanup,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A request with `key` as a bearer token (none when `None`).
    pub fn request(&self, method: Method, path: &str, key: Option<&str>) -> RequestBuilder {
        let request = self.client.request(method, self.url(path));
        match key {
            Some(key) => request.bearer_auth(key),
            None => request,
        }
    }

    pub async fn get(&self, path: &str, key: &str) -> Response {
        self.request(Method::GET, path, Some(key)).send().await.expect("request sent")
    }

    /// A GET whose answer is JSON, read as such.
    pub async fn get_json(&self, path: &str, key: &str) -> Value {
        self.get(path, key).await.json().await.expect("a JSON answer")
    }

    /// The usage report after the buffered usage rows are written.
    pub async fn usage_report(&self, query: &str) -> Value {
        self.app.usage.flush().await;
        self.get_json(&format!("/api/v1/admin/usage?{query}"), &self.admin_key).await
    }

    pub async fn post(&self, path: &str, key: &str, body: &Value) -> Response {
        self.request(Method::POST, path, Some(key)).json(body).send().await.expect("request sent")
    }

    /// Creates a key over HTTP with the admin key; returns `(key_id, api_key)`.
    pub async fn create_key(&self, level: u8, scopes: &[&str], extra: Value) -> (String, String) {
        let mut body = serde_json::json!({
            "user_id": self.admin_user, "name": "test key", "tier": "free",
            "consciousness_level": level, "scopes": scopes,
        });
        if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
            body.extend(extra.clone());
        }
        let response = self.post("/api/v1/admin/keys", &self.admin_key, &body).await;
        assert_eq!(response.status(), 201, "create key: {}", response.text().await.unwrap_or_default());
        let created: Value = response.json().await.unwrap();
        (created["key_id"].as_str().unwrap().to_owned(), created["api_key"].as_str().unwrap().to_owned())
    }
}

impl Drop for TestOrigin {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        match &self.cleanup {
            Cleanup::Nothing => {}
            Cleanup::File(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let mut path = path.clone().into_os_string();
                    path.push(suffix);
                    let _ = std::fs::remove_file(path);
                }
            }
            Cleanup::Schema { url, schema } => {
                let (url, schema) = (url.clone(), schema.clone());
                // Dropped inside a runtime: drop the schema from a thread of its own.
                let _ = std::thread::spawn(move || {
                    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
                    runtime.block_on(async {
                        if let Ok(mut admin) = PgConnection::connect(&url).await {
                            let _ = sqlx::query(&format!("DROP SCHEMA {schema} CASCADE")).execute(&mut admin).await;
                        }
                    });
                })
                .join();
            }
        }
    }
}

/// A response's header as text.
pub fn header<'a>(response: &'a Response, name: &str) -> &'a str {
    response.headers().get(name).unwrap_or_else(|| panic!("no {name} header")).to_str().expect("ASCII header")
}

/// Reads a problem+json response, checking its media type and that its status matches.
pub async fn problem(response: Response, status: u16, code: &str) -> Value {
    assert_eq!(response.status().as_u16(), status, "status for {code}");
    assert_eq!(header(&response, "content-type"), "application/problem+json");
    let request_id = header(&response, "x-request-id").to_owned();
    let body: Value = response.json().await.expect("problem JSON");
    assert_eq!(body["code"], code, "{body}");
    assert_eq!(body["status"], status);
    assert_eq!(body["request_id"], request_id.as_str());
    body
}

/// The instant a test runs at.
pub fn now() -> Timestamp {
    Timestamp::now()
}

/// A numerology request (level 0, timeless: cached for 30 days).
pub fn numerology_request() -> Value {
    serde_json::json!({"birth_data": {"name": "Asha Rao", "date": "1991-08-13"}})
}

/// A human-design request (level 1).
pub fn human_design_request() -> Value {
    serde_json::json!({"birth_data": {"name": "Asha Rao", "date": "1991-08-13", "time": "13:31",
        "timezone": "Asia/Kolkata", "latitude": 12.9716, "longitude": 77.5946}})
}
