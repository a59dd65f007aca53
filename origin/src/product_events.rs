//! PostHog product events, sent off the request path in batches (DESIGN.md §5).
//!
//! A handler hands a [`ProductEvent`] to [`ProductEvents::capture`], which never blocks and never
//! fails: the event goes into a bounded channel, and one background task (the *sender*) takes
//! events from it and POSTs them to PostHog's batch API (`POST {host}/batch/`), up to
//! [`BATCH_SIZE`] at a time or every [`FLUSH_EVERY`].
//!
//! A slow or absent PostHog never slows a request: each POST may take [`REQUEST_TIMEOUT`], a
//! failed batch is retried once (it carries an event `uuid` each, so PostHog keeps one copy of a
//! batch that did arrive), and a batch that fails twice is dropped. While the sender waits, the
//! channel fills up and further events are dropped. Every event lost, for whatever reason, is
//! counted in `product_events_dropped`; every failed POST in `posthog_request_failures`.
//!
//! Without `POSTHOG_API_KEY`, [`ProductEvents::disabled`] takes events and does nothing with them.
//!
//! No event carries an API key: calls are named by the key's owner (a user id), and refused
//! calls by a salted hash of the client's address ([`hash_client`]).

use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use jiff::Timestamp;
use noesis_core::observability::product::{self, Batch, BatchEvent, Outcome, ProductEvent as CoreEvent};
use serde::Serialize;
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;
use uuid::Uuid;

use crate::auth::Caller;
use crate::background::{Throttle, offer, stop_within};
use crate::config::PostHogConfig;
use crate::metrics::Metrics;

/// The most events in one POST (and the count that triggers one).
pub const BATCH_SIZE: usize = 100;

/// The longest an event waits before it is sent.
pub const FLUSH_EVERY: Duration = Duration::from_secs(1);

/// How long one POST to PostHog may take.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(2);

/// How many events wait in the channel for the sender; beyond that they are dropped.
const CHANNEL_CAPACITY: usize = 10_000;

/// The wait before the one retry of a failed batch.
const RETRY_AFTER: Duration = Duration::from_millis(250);

/// The stop deadline when every handle is dropped without a shutdown.
const DEFAULT_SHUTDOWN: Duration = Duration::from_secs(2);

/// `$lib` on every event.
const LIB: &str = "noesis-origin";

/// One product event, as PostHog's batch API takes it: the core's event
/// ([`noesis_core::observability::product`], shared with the edge), stamped with `$lib`, the time
/// and a `uuid`.
#[derive(Debug, Clone, Serialize)]
#[serde(transparent)]
pub struct ProductEvent(BatchEvent);

impl ProductEvent {
    fn stamp(event: CoreEvent) -> ProductEvent {
        ProductEvent(event.stamped(LIB, "origin", Timestamp::now(), Uuid::new_v4()))
    }

    /// An engine calculation, answered or refused.
    pub fn engine_calculation(distinct_id: impl ToString, engine_id: &str, outcome: Outcome<'_>) -> ProductEvent {
        ProductEvent::stamp(CoreEvent::engine_calculation(distinct_id, engine_id, outcome))
    }

    /// A workflow run, answered or refused.
    pub fn workflow_execution(distinct_id: impl ToString, workflow_id: &str, outcome: Outcome<'_>) -> ProductEvent {
        ProductEvent::stamp(CoreEvent::workflow_execution(distinct_id, workflow_id, outcome))
    }

    /// A request refused for its key (`code`, e.g. `INVALID_API_KEY`), named by the hashed
    /// client address ([`hash_client`]), never by the key.
    pub fn auth_failure(hashed_client: &str, code: &str) -> ProductEvent {
        ProductEvent::stamp(CoreEvent::auth_failure(hashed_client, code))
    }

    /// A request refused by the per-minute rate limit.
    pub fn rate_limit_hit(distinct_id: impl ToString, tier: &str, level: u8) -> ProductEvent {
        ProductEvent::stamp(CoreEvent::rate_limit_hit(distinct_id, tier, level))
    }

    /// The event's name.
    pub fn name(&self) -> &'static str {
        self.0.event
    }
}

/// How a caller's request went, as `engine_calculation` and `workflow_execution` report it: the
/// key's tier and level, the answer's status, the time since `started`, and whether a cache
/// answered.
pub fn outcome_of(caller: &Caller, status: u16, started: Instant, cache_hit: bool) -> Outcome<'_> {
    Outcome {
        tier: caller.grant.tier.as_str(),
        level: caller.grant.consciousness_level.into(),
        status,
        duration_ms: started.elapsed().as_secs_f64() * 1e3,
        cache_hit,
    }
}

/// A client address as events carry it: the core's [`product::hash_client`] with a random salt
/// drawn once per process. The same client has the same hash within a process, and the address
/// cannot be recovered from it.
pub fn hash_client(address: &str) -> String {
    static SALT: OnceLock<[u8; 32]> = OnceLock::new();
    let salt = SALT.get_or_init(|| {
        let mut salt = [0u8; 32];
        if getrandom::fill(&mut salt).is_err() {
            // No OS randomness: a salt from the clock is still unknown outside the process.
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|since| since.as_nanos())
                .unwrap_or_default();
            salt[..16].copy_from_slice(&nanos.to_le_bytes());
        }
        salt
    });
    product::hash_client(salt, address)
}

enum Message {
    Event(ProductEvent),
    /// Answered once everything before it has been sent or dropped.
    Flush(oneshot::Sender<()>),
}

/// Where handlers capture product events. Cloning is cheap; every clone feeds the same sender.
#[derive(Clone)]
pub struct ProductEvents {
    inner: Option<Sink>,
}

#[derive(Clone)]
struct Sink {
    sender: mpsc::Sender<Message>,
    metrics: Arc<Metrics>,
    warn: Arc<Throttle>,
}

impl std::fmt::Debug for ProductEvents {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProductEvents").field("enabled", &self.inner.is_some()).finish_non_exhaustive()
    }
}

/// The background sender; [`shutdown`](ProductEventsSender::shutdown) sends what it holds and stops it.
#[derive(Debug)]
pub struct ProductEventsSender {
    running: Option<(oneshot::Sender<Duration>, JoinHandle<()>)>,
}

/// Installs ring as the process's rustls crypto provider, which every `reqwest` client of the
/// process needs (reqwest is built with `rustls-no-provider`: its own provider would build
/// aws-lc). [`App::start`](crate::app::App::start) calls it; calling it again does nothing.
pub fn install_tls_provider() {
    // An error means a provider is installed already.
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// Starts the sender on the current tokio runtime, or nothing when PostHog is not configured.
pub fn start(config: Option<&PostHogConfig>, metrics: Arc<Metrics>) -> (ProductEvents, ProductEventsSender) {
    let Some(config) = config else {
        return (ProductEvents::disabled(), ProductEventsSender { running: None });
    };
    install_tls_provider();
    let client = match reqwest::Client::builder().timeout(REQUEST_TIMEOUT).build() {
        Ok(client) => client,
        Err(err) => {
            tracing::error!(error = %err, "cannot build the PostHog client; product events are off");
            return (ProductEvents::disabled(), ProductEventsSender { running: None });
        }
    };
    let (sender, inbox) = mpsc::channel(CHANNEL_CAPACITY);
    let (stop, stopped) = oneshot::channel();
    let worker = Worker {
        client,
        url: format!("{}/batch/", config.host.trim_end_matches('/')),
        api_key: config.api_key.expose().to_owned(),
        metrics: metrics.clone(),
        pending: Vec::with_capacity(BATCH_SIZE),
    };
    let task = tokio::spawn(worker.run(inbox, stopped));
    let events = ProductEvents { inner: Some(Sink { sender, metrics, warn: Arc::new(Throttle::default()) }) };
    (events, ProductEventsSender { running: Some((stop, task)) })
}

impl ProductEvents {
    /// Takes events and sends nothing: PostHog is not configured.
    pub fn disabled() -> ProductEvents {
        ProductEvents { inner: None }
    }

    /// Whether events are sent anywhere.
    pub fn is_enabled(&self) -> bool {
        self.inner.is_some()
    }

    /// Hands `event` to the sender. Never blocks and never fails the request: when the channel
    /// is full (or the sender has stopped), the event is dropped and counted.
    pub fn capture(&self, event: ProductEvent) {
        let Some(sink) = &self.inner else { return };
        let dropped = &sink.metrics.product_events_dropped;
        offer(
            &sink.sender,
            Message::Event(event),
            dropped,
            &sink.warn,
            "product event sender",
            "product_events_dropped",
        );
    }

    /// Resolves once every event captured before this call has been sent or dropped. For tests.
    pub async fn flush(&self) {
        let Some(sink) = &self.inner else { return };
        let (done, answered) = oneshot::channel();
        if sink.sender.send(Message::Flush(done)).await.is_ok() {
            let _ = answered.await;
        }
    }
}

impl ProductEventsSender {
    /// Stops taking events, sends what it holds while `deadline` allows, counts the rest as
    /// dropped, and ends the sender.
    pub async fn shutdown(self, deadline: Duration) {
        let Some((stop, task)) = self.running else { return };
        stop_within(stop, task, deadline, "product event sender").await;
    }
}

/// How one POST ended.
enum Posted {
    Sent,
    /// Worth one retry: unreachable, timed out, 429 or 5xx.
    Transient(String),
    /// Refused for its content (a 4xx): retrying would not help.
    Refused(String),
}

/// The background task's state.
struct Worker {
    client: reqwest::Client,
    url: String,
    api_key: String,
    metrics: Arc<Metrics>,
    pending: Vec<BatchEvent>,
}

impl Worker {
    async fn run(mut self, mut inbox: mpsc::Receiver<Message>, mut stopped: oneshot::Receiver<Duration>) {
        let mut stop_handle_alive = true;
        let mut messages = Vec::with_capacity(BATCH_SIZE);
        let mut tick = tokio::time::interval(FLUSH_EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                deadline = &mut stopped, if stop_handle_alive => match deadline {
                    Ok(deadline) => return self.finish(inbox, deadline).await,
                    Err(_) => stop_handle_alive = false,
                },
                received = inbox.recv_many(&mut messages, BATCH_SIZE) => {
                    if received == 0 {
                        return self.finish(inbox, DEFAULT_SHUTDOWN).await;
                    }
                    for message in messages.drain(..) {
                        match message {
                            Message::Event(event) => {
                                self.pending.push(event.0);
                                if self.pending.len() >= BATCH_SIZE {
                                    self.send_pending(None).await;
                                }
                            }
                            Message::Flush(done) => {
                                self.send_pending(None).await;
                                let _ = done.send(());
                            }
                        }
                    }
                }
                _ = tick.tick() => self.send_pending(None).await,
            }
        }
    }

    /// Sends `pending` (one retry on a transient failure), or drops it counted. `until` bounds
    /// the whole attempt at shutdown.
    async fn send_pending(&mut self, until: Option<Instant>) {
        if self.pending.is_empty() {
            return;
        }
        let batch = std::mem::take(&mut self.pending);
        let count = batch.len() as u64;
        let mut outcome = self.post(&batch, until).await;
        if let Posted::Transient(_) = outcome {
            self.metrics.posthog_failures.inc();
            let room = until.is_none_or(|until| until.saturating_duration_since(Instant::now()) > RETRY_AFTER);
            if room {
                tokio::time::sleep(RETRY_AFTER).await;
                outcome = self.post(&batch, until).await;
            }
        }
        match outcome {
            Posted::Sent => {
                self.metrics.product_events_sent.inc_by(count);
            }
            Posted::Transient(reason) | Posted::Refused(reason) => {
                self.metrics.posthog_failures.inc();
                self.metrics.product_events_dropped.inc_by(count);
                tracing::warn!(%reason, count, "PostHog did not take a batch of product events; dropping it");
            }
        }
        self.pending = batch;
        self.pending.clear();
    }

    async fn post(&self, batch: &[BatchEvent], until: Option<Instant>) -> Posted {
        let timeout = match until {
            Some(until) => REQUEST_TIMEOUT.min(until.saturating_duration_since(Instant::now())),
            None => REQUEST_TIMEOUT,
        };
        if timeout.is_zero() {
            return Posted::Transient("no time left".into());
        }
        let request = self.client.post(&self.url).timeout(timeout).json(&Batch { api_key: &self.api_key, batch });
        match request.send().await {
            Ok(response) if response.status().is_success() => Posted::Sent,
            Ok(response) => {
                let status = response.status();
                let reason = format!("PostHog answered {status}");
                if status.is_server_error() || status.as_u16() == 429 || status.as_u16() == 408 {
                    Posted::Transient(reason)
                } else {
                    Posted::Refused(reason)
                }
            }
            // The error's text names the URL (the host), never the key, which is in the body.
            Err(err) => Posted::Transient(err.without_url().to_string()),
        }
    }

    /// The last work: takes what the channel still holds and sends it while `deadline` allows;
    /// what is left is counted as dropped.
    async fn finish(mut self, mut inbox: mpsc::Receiver<Message>, deadline: Duration) {
        let until = Instant::now() + deadline;
        inbox.close();
        let mut waiting = Vec::new();
        while let Some(message) = inbox.recv().await {
            match message {
                Message::Event(event) => self.pending.push(event.0),
                Message::Flush(done) => waiting.push(done),
            }
        }
        let mut held = std::mem::take(&mut self.pending);
        while !held.is_empty() {
            if Instant::now() >= until {
                self.metrics.product_events_dropped.inc_by(held.len() as u64);
                break;
            }
            let rest = held.split_off(held.len().min(BATCH_SIZE));
            self.pending = held;
            self.send_pending(Some(until)).await;
            held = rest;
        }
        drop(waiting);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_hashes_are_short_salted_and_stable() {
        let hash = hash_client("203.0.113.7");
        assert_eq!(hash.len(), 16);
        assert!(hash.chars().all(|c| c.is_ascii_hexdigit()));
        assert_eq!(hash, hash_client("203.0.113.7"));
        assert_ne!(hash, hash_client("203.0.113.8"));
        assert_ne!(hash, product::hash_client(b"", "203.0.113.7"), "salted");
    }

    #[test]
    fn events_carry_their_properties_and_lib() {
        let outcome = Outcome { tier: "free", level: 0, status: 200, duration_ms: 1.5, cache_hit: true };
        let event = ProductEvent::engine_calculation("u1", "numerology", outcome);
        let json = serde_json::to_value(&event).unwrap();
        assert_eq!(json["event"], "engine_calculation");
        assert_eq!(json["distinct_id"], "u1");
        assert_eq!(json["properties"]["$lib"], "noesis-origin");
        assert_eq!(json["properties"]["runtime"], "origin");
        assert_eq!(json["properties"]["cache_hit"], true);
        assert!(json["timestamp"].as_str().unwrap().ends_with('Z'));
    }

    #[tokio::test]
    async fn an_https_host_gets_a_working_client() {
        let config = PostHogConfig { api_key: crate::config::Secret::new("phc_x"), host: "https://127.0.0.1:9".into() };
        let (events, sender) = start(Some(&config), Arc::new(Metrics::new()));
        assert!(events.is_enabled(), "the rustls client is built");
        sender.shutdown(Duration::from_millis(10)).await;
    }

    #[tokio::test]
    async fn a_disabled_sink_takes_events_and_does_nothing() {
        let events = ProductEvents::disabled();
        events.capture(ProductEvent::rate_limit_hit("u1", "free", 0));
        events.flush().await;
        assert!(!events.is_enabled());
    }
}
