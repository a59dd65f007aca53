//! A Postgres schema of a test's own, and a TCP proxy in front of the database that can cut it
//! off (connections and all, as when its host goes away) or slow it down (as when it is
//! overloaded), then restore it.

use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use noesis_origin::storage::Database;
use noesis_origin::usage::UsageSink;
use sqlx::Connection;
use sqlx::postgres::{PgConnectOptions, PgConnection};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;
use uuid::Uuid;

use super::test_database_url;

/// A fresh, migrated schema in the test Postgres, dropped when this goes away (even on panic).
pub struct Schema {
    url: String,
    name: String,
}

impl Schema {
    /// `None` (with a note) when `TEST_DATABASE_URL` is unset.
    pub async fn create() -> Option<Schema> {
        let Some(url) = test_database_url() else {
            eprintln!("TEST_DATABASE_URL is unset: skipping this Postgres case");
            return None;
        };
        let name = format!("noesis_proxy_test_{}", Uuid::new_v4().simple());
        let mut admin = PgConnection::connect(&url).await.expect("connect to TEST_DATABASE_URL");
        sqlx::query(&format!("CREATE SCHEMA {name}")).execute(&mut admin).await.expect("create the schema");
        let schema = Schema { url, name };
        Database::open_postgres(schema.options(), Duration::from_secs(30)).migrate().await.expect("migrate");
        Some(schema)
    }

    /// Options for this schema, directly.
    pub fn options(&self) -> PgConnectOptions {
        PgConnectOptions::from_str(&self.url).expect("TEST_DATABASE_URL parses").options([("search_path", &self.name)])
    }

    /// The database's host and port, for a [`Proxy`] in front of it.
    pub fn upstream(&self) -> (String, u16) {
        let options = self.options();
        (options.get_host().to_string(), options.get_port())
    }

    /// The database as the code under test sees it: through `proxy`, each call held to `timeout`.
    pub fn through(&self, proxy: &Proxy, timeout: Duration) -> Database {
        Database::open_postgres(self.options().host("127.0.0.1").port(proxy.port), timeout)
    }

    /// The usage rows whose request id is `LIKE pattern`, and how many different requests they
    /// are (a retried insert whose answer was lost may write a batch twice: delivery is at least
    /// once).
    pub async fn rows_like(&self, pattern: &str) -> (i64, i64) {
        let mut conn = PgConnection::connect_with(&self.options()).await.expect("connect directly");
        sqlx::query_as("SELECT COUNT(*), COUNT(DISTINCT request_id) FROM usage_logs WHERE request_id LIKE $1")
            .bind(pattern)
            .fetch_one(&mut conn)
            .await
            .expect("count usage rows")
    }

    /// The different requests `LIKE pattern` in the usage rows, with their status, sorted.
    pub async fn requests_like(&self, pattern: &str) -> Vec<(String, i32)> {
        let mut conn = PgConnection::connect_with(&self.options()).await.expect("connect directly");
        sqlx::query_as(
            "SELECT DISTINCT request_id, status FROM usage_logs WHERE request_id LIKE $1 ORDER BY request_id, status",
        )
        .bind(pattern)
        .fetch_all(&mut conn)
        .await
        .expect("read usage rows")
    }

    /// Every usage row.
    pub async fn rows(&self) -> (i64, i64) {
        self.rows_like("%").await
    }

    /// Flushes `sink` until `expected` different requests `LIKE pattern` are in the table;
    /// the rows and the different requests.
    pub async fn wait_for_like(&self, sink: &UsageSink, pattern: &str, expected: i64) -> (i64, i64) {
        let started = Instant::now();
        loop {
            sink.flush().await;
            let (rows, requests) = self.rows_like(pattern).await;
            if requests >= expected {
                return (rows, requests);
            }
            assert!(started.elapsed() < Duration::from_secs(15), "only {requests} of {expected} requests written");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// [`Schema::wait_for_like`] over every usage row.
    pub async fn wait_for(&self, sink: &UsageSink, expected: i64) -> (i64, i64) {
        self.wait_for_like(sink, "%", expected).await
    }
}

impl Drop for Schema {
    fn drop(&mut self) {
        let (url, name) = (self.url.clone(), self.name.clone());
        // Drop runs inside the test's runtime, which cannot block on a future: a thread of its own.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
            runtime.block_on(async {
                let mut admin = PgConnection::connect(&url).await.expect("connect to TEST_DATABASE_URL");
                sqlx::query(&format!("DROP SCHEMA {name} CASCADE")).execute(&mut admin).await.map(drop)
            })
        });
        if let Ok(Err(err)) = dropped.join() {
            eprintln!("could not drop schema {}: {err}", self.name);
        }
    }
}

/// A TCP proxy to the database. Cutting it closes every open connection and the listening
/// socket, so that new connections are refused, as when the database's host goes away;
/// restoring it listens again on the same port. Slowing it holds every chunk, in both
/// directions and on open connections too, for a while before forwarding it.
pub struct Proxy {
    pub port: u16,
    upstream: (String, u16),
    state: Arc<Mutex<ProxyState>>,
    /// How long each chunk waits before it is forwarded, in milliseconds (0: at once).
    delay_ms: Arc<AtomicU64>,
}

#[derive(Default)]
struct ProxyState {
    cut: bool,
    /// The accepting task and one task per connection.
    tasks: Vec<JoinHandle<()>>,
}

impl Proxy {
    pub async fn start(upstream: (String, u16)) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind the proxy");
        let port = listener.local_addr().expect("the proxy's address").port();
        let proxy = Proxy { port, upstream, state: Arc::default(), delay_ms: Arc::default() };
        proxy.serve(listener);
        proxy
    }

    fn serve(&self, listener: TcpListener) {
        let (shared, upstream, delay) = (self.state.clone(), self.upstream.clone(), self.delay_ms.clone());
        let accept = tokio::spawn(async move {
            while let Ok((inbound, _)) = listener.accept().await {
                let (upstream, delay) = (upstream.clone(), delay.clone());
                let mut state = shared.lock().expect("proxy state");
                if state.cut {
                    return;
                }
                state.tasks.push(tokio::spawn(async move {
                    if let Ok(outbound) = TcpStream::connect(upstream).await {
                        let ((in_read, in_write), (out_read, out_write)) =
                            (inbound.into_split(), outbound.into_split());
                        // Either side closing ends the connection.
                        tokio::select! {
                            () = forward(in_read, out_write, delay.clone()) => {}
                            () = forward(out_read, in_write, delay) => {}
                        }
                    }
                }));
            }
        });
        self.state.lock().expect("proxy state").tasks.push(accept);
    }

    /// The database goes away: open connections are closed and new ones refused.
    pub fn cut(&self) {
        let mut state = self.state.lock().expect("proxy state");
        state.cut = true;
        state.tasks.drain(..).for_each(|task| task.abort());
    }

    /// The database answers again, on the same port.
    pub async fn restore(&self) {
        let started = Instant::now();
        let listener = loop {
            // The listener of the aborted task closes as soon as the runtime drops it.
            match TcpListener::bind(("127.0.0.1", self.port)).await {
                Ok(listener) => break listener,
                Err(err) if started.elapsed() < Duration::from_secs(2) => {
                    eprintln!("rebinding the proxy: {err}");
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
                Err(err) => panic!("rebind the proxy on port {}: {err}", self.port),
            }
        };
        self.state.lock().expect("proxy state").cut = false;
        self.serve(listener);
    }

    /// Every chunk from now on, either way, waits `delay` before it is forwarded (zero: at once).
    pub fn slow_down(&self, delay: Duration) {
        self.delay_ms.store(u64::try_from(delay.as_millis()).unwrap_or(u64::MAX), Ordering::Relaxed);
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.cut();
    }
}

/// Copies `from` to `to` chunk by chunk, each after the proxy's current delay, until either fails.
async fn forward(mut from: OwnedReadHalf, mut to: OwnedWriteHalf, delay_ms: Arc<AtomicU64>) {
    let mut buffer = vec![0u8; 16 * 1024];
    loop {
        let read = match from.read(&mut buffer).await {
            Ok(0) | Err(_) => return,
            Ok(read) => read,
        };
        let delay = delay_ms.load(Ordering::Relaxed);
        if delay > 0 {
            tokio::time::sleep(Duration::from_millis(delay)).await;
        }
        if to.write_all(&buffer[..read]).await.is_err() {
            return;
        }
    }
}
