//! The origin's link to Redis, the shared layer behind the in-process caches (DESIGN.md §5).
//!
//! Redis is optional and never load-bearing: with no `REDIS_URL` there is no link at all, and
//! with one, a Redis that is down, slow or gone makes each call fail fast with
//! [`RedisUnavailable`], which every caller answers by falling back to its in-process layer.
//! Three things keep a request from ever waiting on Redis for long:
//!
//! - every command is bounded by `REDIS_TIMEOUT_MS` (default 250 ms);
//! - the first connection is made in the background, so `serve` starts whether Redis is up or not;
//! - after a failure the link stays *open-circuit* for a moment ([`BACKOFF`]): calls in that
//!   window fail at once instead of each paying the timeout, and the first call after it probes.
//!
//! Once connected, redis-rs's `ConnectionManager` reconnects by itself after a drop.

use std::fmt;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use redis::aio::{ConnectionManager, ConnectionManagerConfig};

/// How long one command may take when `REDIS_TIMEOUT_MS` is unset.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_millis(250);

/// How long the link stays open-circuit after a failed call.
pub const BACKOFF: Duration = Duration::from_secs(1);

/// A Redis call that did not happen: no link yet, open circuit, timeout or a Redis error.
///
/// Callers fall back to their in-process layer; the reason is for logs only.
#[derive(Debug, Clone, thiserror::Error)]
#[error("redis is unavailable: {0}")]
pub struct RedisUnavailable(pub String);

/// A cheap-to-clone handle on the shared Redis.
#[derive(Clone)]
pub struct RedisLink {
    inner: Arc<Inner>,
}

struct Inner {
    /// Set once the first connection succeeds; the manager reconnects by itself afterwards.
    connection: OnceLock<ConnectionManager>,
    timeout: Duration,
    /// Milliseconds since `epoch` until which calls fail at once (0: closed circuit).
    open_until_ms: AtomicI64,
    epoch: Instant,
    /// For logs: `host:port`, never the password.
    target: String,
}

impl fmt::Debug for RedisLink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisLink").field("target", &self.inner.target).finish_non_exhaustive()
    }
}

/// Why a `REDIS_URL` cannot be used; never repeats the URL, which may hold a password.
pub fn check_url(url: &str) -> Result<redis::Client, String> {
    if !(url.starts_with("redis://") || url.starts_with("rediss://")) {
        return Err("it must start with redis:// or rediss://".to_string());
    }
    redis::Client::open(url).map_err(|err| format!("it is not a usable URL ({})", err.kind_name()))
}

trait KindName {
    fn kind_name(&self) -> String;
}

impl KindName for redis::RedisError {
    /// The error's category, which never contains the URL (its `Display` may).
    fn kind_name(&self) -> String {
        format!("{:?}", self.kind())
    }
}

impl RedisLink {
    /// A link to the Redis at `client`, connecting in the background: the returned link works
    /// (by failing fast) before the connection exists. Must be called inside a tokio runtime.
    pub fn connect(client: redis::Client, timeout: Duration) -> RedisLink {
        let target = match client.get_connection_info().addr() {
            redis::ConnectionAddr::Tcp(host, port) | redis::ConnectionAddr::TcpTls { host, port, .. } => {
                format!("{host}:{port}")
            }
            other => format!("{other:?}"),
        };
        let link = RedisLink {
            inner: Arc::new(Inner {
                connection: OnceLock::new(),
                timeout,
                open_until_ms: AtomicI64::new(0),
                epoch: Instant::now(),
                target,
            }),
        };
        let background = link.clone();
        tokio::spawn(async move { background.establish(client).await });
        link
    }

    /// Tries to make the first connection until it succeeds, waiting longer between attempts
    /// (up to 30 s) while Redis stays away.
    async fn establish(self, client: redis::Client) {
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(self.inner.timeout.max(Duration::from_secs(1))))
            .set_response_timeout(Some(self.inner.timeout))
            .set_number_of_retries(2)
            .set_max_delay(Duration::from_secs(2));
        let mut wait = Duration::from_millis(200);
        loop {
            match client.get_connection_manager_with_config(config.clone()).await {
                Ok(manager) => {
                    let _first = self.inner.connection.set(manager);
                    tracing::info!(redis = %self.inner.target, "connected to redis");
                    return;
                }
                Err(err) => {
                    tracing::warn!(redis = %self.inner.target, error = %err.kind_name(), retry_in_ms = wait.as_millis() as u64,
                        "redis is unreachable; serving from in-process caches until it answers");
                    tokio::time::sleep(wait).await;
                    wait = (wait * 2).min(Duration::from_secs(30));
                }
            }
        }
    }

    /// `host:port` of the Redis, for logs and `/ready`.
    pub fn target(&self) -> &str {
        &self.inner.target
    }

    /// Runs one Redis call on the shared connection, bounded by the timeout and the circuit.
    ///
    /// ```no_run
    /// # async fn demo(link: noesis_origin::redis_link::RedisLink) {
    /// let pong: Result<String, _> = link.run(|mut conn| async move {
    ///     redis::cmd("PING").query_async(&mut conn).await
    /// }).await;
    /// # }
    /// ```
    pub async fn run<T, F, Fut>(&self, call: F) -> Result<T, RedisUnavailable>
    where
        F: FnOnce(ConnectionManager) -> Fut,
        Fut: Future<Output = redis::RedisResult<T>>,
    {
        let now_ms = self.elapsed_ms();
        if now_ms < self.inner.open_until_ms.load(Ordering::Relaxed) {
            return Err(RedisUnavailable("recent failure; retrying shortly".to_string()));
        }
        let Some(connection) = self.inner.connection.get() else {
            return Err(RedisUnavailable("not connected yet".to_string()));
        };
        let outcome = match tokio::time::timeout(self.inner.timeout, call(connection.clone())).await {
            Ok(Ok(value)) => return Ok(value),
            Ok(Err(err)) => RedisUnavailable(err.kind_name()),
            Err(_) => RedisUnavailable(format!("no answer within {} ms", self.inner.timeout.as_millis())),
        };
        let reopen = self.elapsed_ms() + i64::try_from(BACKOFF.as_millis()).unwrap_or(i64::MAX);
        let was = self.inner.open_until_ms.swap(reopen, Ordering::Relaxed);
        if was <= now_ms {
            tracing::warn!(redis = %self.inner.target, reason = %outcome.0, "redis call failed; using in-process layers");
        }
        Err(outcome)
    }

    /// Answers when Redis does: for `/ready`.
    pub async fn ping(&self) -> Result<(), RedisUnavailable> {
        self.run(|mut conn| async move { redis::cmd("PING").query_async::<String>(&mut conn).await }).await.map(drop)
    }

    fn elapsed_ms(&self) -> i64 {
        i64::try_from(self.inner.epoch.elapsed().as_millis()).unwrap_or(i64::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_checked_without_being_repeated() {
        assert!(check_url("redis://127.0.0.1:6379").is_ok());
        assert!(check_url("rediss://user:pw@cache.example.com:6380/0").is_ok());
        let err = check_url("http://user:hunter2@cache").unwrap_err();
        assert!(!err.contains("hunter2"), "{err}");
    }

    #[tokio::test]
    async fn an_unreachable_redis_fails_fast_and_never_blocks() {
        // Port 1 on loopback refuses connections at once.
        let link = RedisLink::connect(check_url("redis://127.0.0.1:1").unwrap(), Duration::from_millis(100));
        let started = Instant::now();
        for _ in 0..100 {
            assert!(link.ping().await.is_err());
        }
        assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());
    }
}
