//! Usage logs, written off the request path in batches (DESIGN.md §5).
//!
//! A handler hands its [`UsageRecord`] to a [`UsageSink`], which never blocks and never fails:
//! the record goes into a bounded channel, and one background task (the *writer*) takes records
//! from it and writes them with multi-row inserts, `batch_size` at a time or every `flush_every`,
//! then marks the keys as used (`last_used_at`).
//!
//! When the database is away, nothing is lost within these bounds:
//!
//! 1. The writer keeps the events in memory, up to `buffer_capacity`, and retries with a backoff
//!    (200 ms doubling to 5 s). The channel in front of it absorbs bursts on top of that (its
//!    capacity is `buffer_capacity`, at least 16 384), so memory holds at most about twice
//!    `buffer_capacity` events.
//! 2. With Redis configured, events that do not fit in memory are *spilled*: `RPUSH`ed as JSON
//!    lines onto `spill_key`, counted in `usage_spilled`. Memory comes first because it is
//!    faster and touches no shared service; Redis only takes the overflow, and everything still
//!    held when the writer shuts down.
//! 3. When the database answers again, the writer writes what it holds and drains the spill list
//!    (`LPOP` with a count, into memory as room allows, then to the database) ahead of new events.
//!    The list is shared: any replica whose database works drains what any other spilled, and
//!    each replica looks at it every few seconds and at start.
//!
//! Events beyond every bound (memory full and no Redis, or Redis failing too; the channel full;
//! a sink used after shutdown) are dropped and counted in `usage_dropped`, never silently. A batch
//! the database refuses for its content (not for being away) is logged and dropped, counted too,
//! so one bad row cannot wedge the writer.
//!
//! Delivery is at least once, not exactly once: an insert whose answer is lost (the connection
//! cut after the commit, a timeout) is retried and may be written twice; an event popped from the
//! spill list lives only in this process until written. Rows carry their own `at`, so the order
//! in which they are written does not matter.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::{Duration, Instant};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;
use uuid::Uuid;

use crate::background::{Throttle, offer, stop_within};
use crate::metrics::Metrics;
use crate::redis_link::RedisLink;
use crate::storage::{Database, StorageError, UsageRecord};

/// The first wait after the database fails; it doubles on each failure up to [`MAX_BACKOFF`].
const FIRST_BACKOFF: Duration = Duration::from_millis(200);

/// The longest wait between two attempts while the database is away.
const MAX_BACKOFF: Duration = Duration::from_secs(5);

/// How often the writer looks for events spilled by any replica.
const SPILL_POLL: Duration = Duration::from_secs(5);

/// The smallest channel between sinks and the writer: a burst of this many records is taken
/// whatever `buffer_capacity` is, so a small buffer (with Redis to spill to) still loses nothing.
const CHANNEL_FLOOR: usize = 16_384;

/// The stop deadline when every sink is dropped without a shutdown.
const DEFAULT_SHUTDOWN: Duration = Duration::from_secs(5);

/// How the writer batches and buffers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageConfig {
    /// The most rows in one insert (and the count that triggers one).
    pub batch_size: usize,
    /// The longest a recorded event waits before it is written while the database is up.
    pub flush_every: Duration,
    /// How many events memory holds for the database while it is away.
    pub buffer_capacity: usize,
    /// The Redis list that takes what memory cannot.
    pub spill_key: String,
}

impl Default for UsageConfig {
    fn default() -> UsageConfig {
        UsageConfig {
            batch_size: 500,
            flush_every: Duration::from_millis(250),
            buffer_capacity: 100_000,
            spill_key: "noesis:usage:spill".to_string(),
        }
    }
}

enum Message {
    Record(UsageRecord),
    /// Answered once everything before it has been written or parked.
    Flush(oneshot::Sender<()>),
}

/// Where handlers record usage. Cloning is cheap; every clone feeds the same writer.
#[derive(Clone)]
pub struct UsageSink {
    sender: mpsc::Sender<Message>,
    metrics: Arc<Metrics>,
    warn: Arc<Throttle>,
}

impl std::fmt::Debug for UsageSink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UsageSink").finish_non_exhaustive()
    }
}

/// The background writer. Dropping it leaves the writer running until every sink is gone;
/// [`shutdown`](UsageWriter::shutdown) stops it after saving what it can.
#[derive(Debug)]
pub struct UsageWriter {
    stop: oneshot::Sender<Duration>,
    task: JoinHandle<()>,
}

/// Starts the writer on the current tokio runtime.
pub fn start(
    db: Database,
    redis: Option<RedisLink>,
    metrics: Arc<Metrics>,
    config: UsageConfig,
) -> (UsageSink, UsageWriter) {
    let capacity = config.buffer_capacity.max(1);
    let (sender, inbox) = mpsc::channel(capacity.max(CHANNEL_FLOOR));
    let (stop, stopped) = oneshot::channel();
    let now = Instant::now();
    let writer = Writer {
        db,
        redis,
        metrics: metrics.clone(),
        // A batch never needs more room than memory has.
        batch: config.batch_size.clamp(1, capacity),
        capacity,
        flush_every: config.flush_every,
        spill_key: config.spill_key,
        pending: VecDeque::new(),
        overflow: Vec::new(),
        due: false,
        next_tick: now + config.flush_every,
        retry_at: None,
        backoff: FIRST_BACKOFF,
        spill_check: true,
        next_spill_poll: now + SPILL_POLL,
        warn: Throttle::default(),
    };
    let task = tokio::spawn(writer.run(inbox, stopped));
    (UsageSink { sender, metrics, warn: Arc::new(Throttle::default()) }, UsageWriter { stop, task })
}

impl UsageSink {
    /// Hands `record` to the writer. Never blocks and never fails the request: when the
    /// channel is full (or the writer has stopped), the event is dropped and counted.
    pub fn record(&self, record: UsageRecord) {
        let dropped = &self.metrics.usage_dropped;
        offer(&self.sender, Message::Record(record), dropped, &self.warn, "usage writer", "usage_events_dropped");
    }

    /// Resolves once every event recorded before this call has been written, parked (in memory
    /// or Redis, waiting for the database) or dropped and counted. While the database is away
    /// this makes one attempt to write, without waiting for the backoff. For tests and shutdown.
    pub async fn flush(&self) {
        let (done, answered) = oneshot::channel();
        if self.sender.send(Message::Flush(done)).await.is_ok() {
            // An error means the writer stopped, which it does only after its last attempt.
            let _ = answered.await;
        }
    }
}

impl UsageWriter {
    /// Stops taking events, writes what it holds while the database answers and `deadline`
    /// allows, spills the rest to Redis when configured, counts anything still left as dropped,
    /// and ends the writer. Events recorded after this are dropped and counted.
    pub async fn shutdown(self, deadline: Duration) {
        stop_within(self.stop, self.task, deadline, "usage writer").await;
    }
}

/// A usage record as a spilled JSON line. A mirror of [`UsageRecord`] so that the storage
/// types need no serde, and so that the line format is fixed here, where it is read back.
#[derive(Serialize, Deserialize)]
struct SpilledRecord {
    at: Timestamp,
    key_id: Option<String>,
    user_id: Option<String>,
    route: String,
    engine_id: Option<String>,
    workflow_id: Option<String>,
    status: u16,
    latency_us: u64,
    cache_hit: bool,
    served_by: String,
    request_id: String,
}

impl SpilledRecord {
    fn line(record: &UsageRecord) -> Result<String, serde_json::Error> {
        serde_json::to_string(&SpilledRecord {
            at: record.at,
            key_id: record.key_id.map(|id| id.to_string()),
            user_id: record.user_id.map(|id| id.to_string()),
            route: record.route.clone(),
            engine_id: record.engine_id.clone(),
            workflow_id: record.workflow_id.clone(),
            status: record.status,
            latency_us: record.latency_us,
            cache_hit: record.cache_hit,
            served_by: record.served_by.clone(),
            request_id: record.request_id.clone(),
        })
    }

    fn parse(line: &str) -> Result<UsageRecord, String> {
        let spilled: SpilledRecord = serde_json::from_str(line).map_err(|err| err.to_string())?;
        let id =
            |text: Option<String>| text.map(|text| Uuid::parse_str(&text)).transpose().map_err(|err| err.to_string());
        Ok(UsageRecord {
            at: spilled.at,
            key_id: id(spilled.key_id)?,
            user_id: id(spilled.user_id)?,
            route: spilled.route,
            engine_id: spilled.engine_id,
            workflow_id: spilled.workflow_id,
            status: spilled.status,
            latency_us: spilled.latency_us,
            cache_hit: spilled.cache_hit,
            served_by: spilled.served_by,
            request_id: spilled.request_id,
        })
    }
}

/// The background task's state.
struct Writer {
    db: Database,
    redis: Option<RedisLink>,
    metrics: Arc<Metrics>,
    /// Rows per insert: `batch_size`, but never more than `capacity`.
    batch: usize,
    /// The most events `pending` holds.
    capacity: usize,
    flush_every: Duration,
    spill_key: String,
    /// Events waiting for the database, oldest first.
    pending: VecDeque<UsageRecord>,
    /// Events that did not fit in `pending`, on their way to Redis.
    overflow: Vec<UsageRecord>,
    /// Whether `pending` is to be written now, full batch or not (the flush interval passed).
    due: bool,
    next_tick: Instant,
    /// While the database is away: when to try it again.
    retry_at: Option<Instant>,
    backoff: Duration,
    /// Whether the spill list may hold events.
    spill_check: bool,
    next_spill_poll: Instant,
    warn: Throttle,
}

/// How a write attempt ended.
#[derive(Debug, PartialEq, Eq)]
enum Written {
    /// Written, refused for its content (and dropped), or there was nothing to write.
    Done,
    /// The database is away; the batch is back at the front of `pending`.
    Unavailable,
}

impl Writer {
    async fn run(mut self, mut inbox: mpsc::Receiver<Message>, mut stopped: oneshot::Receiver<Duration>) {
        let mut stop_handle_alive = true;
        let mut messages = Vec::with_capacity(self.batch);
        loop {
            let wake = self.next_wake();
            tokio::select! {
                deadline = &mut stopped, if stop_handle_alive => match deadline {
                    Ok(deadline) => return self.finish(inbox, deadline).await,
                    // The UsageWriter was dropped: run until every sink is gone.
                    Err(_) => stop_handle_alive = false,
                },
                received = inbox.recv_many(&mut messages, self.batch) => {
                    if received == 0 {
                        return self.finish(inbox, DEFAULT_SHUTDOWN).await;
                    }
                    for message in messages.drain(..) {
                        self.handle(message).await;
                    }
                    self.spill_overflow().await;
                }
                () = sleep_until(wake), if wake.is_some() => self.step().await,
            }
            self.report();
        }
    }

    /// Sets the `usage_buffered` gauge to what memory holds now.
    fn report(&self) {
        self.metrics.usage_buffered.set(i64::try_from(self.pending.len()).unwrap_or(i64::MAX));
    }

    /// When the writer has work to do without a new message, if ever.
    fn next_wake(&self) -> Option<Instant> {
        if let Some(at) = self.retry_at {
            return Some(at);
        }
        let now = Instant::now();
        if (self.due && !self.pending.is_empty()) || self.pending.len() >= self.batch || self.may_unspill() {
            return Some(now);
        }
        let tick = (!self.pending.is_empty()).then_some(self.next_tick);
        let poll = self.redis.is_some().then_some(self.next_spill_poll);
        tick.into_iter().chain(poll).min()
    }

    fn may_unspill(&self) -> bool {
        self.redis.is_some() && self.spill_check && self.retry_at.is_none() && self.pending.len() < self.capacity
    }

    /// One unit of timed work: a retry, a spill chunk brought back, or a batch written.
    async fn step(&mut self) {
        let now = Instant::now();
        if let Some(at) = self.retry_at {
            if now < at {
                return;
            }
            // Optimistically up again; the next write says whether it is.
            self.retry_at = None;
            self.due = true;
        }
        if now >= self.next_tick {
            self.next_tick = now + self.flush_every;
            self.due = !self.pending.is_empty();
        }
        if self.redis.is_some() && now >= self.next_spill_poll {
            self.next_spill_poll = now + SPILL_POLL;
            self.spill_check = true;
        }
        if self.may_unspill() {
            self.unspill().await;
        }
        if self.due || self.pending.len() >= self.batch {
            self.write_batch(None).await;
        }
        if self.pending.is_empty() {
            self.due = false;
        }
    }

    async fn handle(&mut self, message: Message) {
        match message {
            Message::Record(record) => {
                self.accept(record).await;
                if self.retry_at.is_none() && self.pending.len() >= self.batch {
                    self.write_batch(None).await;
                }
            }
            Message::Flush(done) => {
                self.spill_overflow().await;
                // One attempt per batch whatever the backoff says, stopping at the first failure.
                while !self.pending.is_empty() && self.write_batch(None).await == Written::Done {}
                self.report();
                let _ = done.send(());
            }
        }
    }

    /// Takes `record` into memory, or towards Redis when memory is full, or drops it.
    async fn accept(&mut self, record: UsageRecord) {
        if self.pending.len() < self.capacity {
            if self.pending.is_empty() {
                self.next_tick = Instant::now() + self.flush_every;
            }
            self.pending.push_back(record);
        } else if self.redis.is_some() {
            self.overflow.push(record);
            if self.overflow.len() >= self.batch {
                self.spill_overflow().await;
            }
        } else {
            self.drop_events(1, "the usage buffer is full and there is no Redis to spill to");
        }
    }

    fn drop_events(&self, count: usize, reason: &str) {
        self.metrics.usage_dropped.inc_by(count as u64);
        if self.warn.ready() {
            tracing::warn!(reason, count, "usage events are being dropped (counted in usage_events_dropped)");
        }
    }

    /// Writes up to one batch from the front of `pending`, within `limit` if given.
    async fn write_batch(&mut self, limit: Option<Duration>) -> Written {
        let count = self.batch.min(self.pending.len());
        if count == 0 {
            return Written::Done;
        }
        let batch: Vec<UsageRecord> = self.pending.drain(..count).collect();
        let outcome = match limit {
            None => self.db.insert_usage(&batch).await,
            Some(limit) => tokio::time::timeout(limit, self.db.insert_usage(&batch))
                .await
                .unwrap_or_else(|_| Err(StorageError::Unavailable("the shutdown deadline passed".to_string()))),
        };
        match outcome {
            Ok(_) => {
                self.metrics.usage_written.inc_by(count as u64);
                if self.retry_at.take().is_some() || self.backoff > FIRST_BACKOFF {
                    tracing::info!("the database answers again; writing the usage events held for it");
                    // Events may have been spilled by this or another replica meanwhile.
                    self.spill_check = true;
                }
                self.backoff = FIRST_BACKOFF;
                self.touch_keys(&batch).await;
                Written::Done
            }
            Err(err) if err.is_unavailable() => {
                self.metrics.db_unavailable.inc();
                if self.backoff == FIRST_BACKOFF {
                    tracing::warn!(error = %err, held = self.pending.len() + count,
                        "the database is unavailable; holding usage events and retrying");
                }
                for record in batch.into_iter().rev() {
                    self.pending.push_front(record);
                }
                self.retry_at = Some(Instant::now() + self.backoff);
                self.backoff = (self.backoff * 2).min(MAX_BACKOFF);
                Written::Unavailable
            }
            Err(err) => {
                tracing::error!(error = %err, count, "the database refused a batch of usage events; dropping it");
                self.metrics.usage_dropped.inc_by(count as u64);
                Written::Done
            }
        }
    }

    /// Sets `last_used_at` of each key in `batch` to its latest use (the storage keeps the
    /// latest per key). Best effort: a failure is logged, and the key's next batch sets it again.
    async fn touch_keys(&self, batch: &[UsageRecord]) {
        let uses: Vec<(Uuid, Timestamp)> =
            batch.iter().filter_map(|record| record.key_id.map(|key_id| (key_id, record.at))).collect();
        if uses.is_empty() {
            return;
        }
        if let Err(err) = self.db.touch_last_used(&uses).await {
            tracing::debug!(error = %err, "could not update last_used_at; the next batch will");
        }
    }

    /// Moves `overflow` to the spill list, or drops it (counted) when Redis fails too.
    async fn spill_overflow(&mut self) {
        for chunk in std::mem::take(&mut self.overflow).chunks(self.batch) {
            self.spill(chunk).await;
        }
    }

    async fn spill(&mut self, records: &[UsageRecord]) {
        let Some(redis) = &self.redis else {
            self.drop_events(records.len(), "there is no Redis to spill usage events to");
            return;
        };
        let mut lines = Vec::with_capacity(records.len());
        for record in records {
            match SpilledRecord::line(record) {
                Ok(line) => lines.push(line),
                Err(err) => {
                    tracing::error!(error = %err, "a usage event could not be serialized; dropping it");
                    self.metrics.usage_dropped.inc();
                }
            }
        }
        let count = lines.len();
        let key = &self.spill_key;
        let outcome = redis
            .run(|mut conn| async move { redis::cmd("RPUSH").arg(key).arg(&lines).query_async::<u64>(&mut conn).await })
            .await;
        match outcome {
            Ok(_) => {
                self.metrics.usage_spilled.inc_by(count as u64);
                self.spill_check = true;
            }
            Err(_) => {
                self.metrics.redis_failures.inc();
                self.drop_events(count, "the usage buffer is full and Redis failed too");
            }
        }
    }

    /// Brings spilled events back into memory, as many as there is room for (up to a batch),
    /// ahead of the events held there: they are the older ones.
    async fn unspill(&mut self) {
        let Some(redis) = &self.redis else { return };
        let room = self.batch.min(self.capacity.saturating_sub(self.pending.len()));
        let Some(count) = std::num::NonZeroUsize::new(room) else { return };
        let key = &self.spill_key;
        let outcome = redis
            .run(|mut conn| async move {
                redis::cmd("LPOP").arg(key).arg(count.get()).query_async::<Option<Vec<String>>>(&mut conn).await
            })
            .await;
        let lines = match outcome {
            Ok(lines) => lines.unwrap_or_default(),
            Err(_) => {
                // Looked at again at the next poll.
                self.metrics.redis_failures.inc();
                self.spill_check = false;
                return;
            }
        };
        if lines.len() < count.get() {
            self.spill_check = false;
        }
        for line in lines.iter().rev() {
            match SpilledRecord::parse(line) {
                Ok(record) => self.pending.push_front(record),
                Err(err) => {
                    tracing::error!(error = %err, "a spilled usage event could not be read; dropping it");
                    self.metrics.usage_dropped.inc();
                }
            }
        }
        if !lines.is_empty() {
            self.due = true;
        }
    }

    /// The last work before the writer ends: takes what the channel still holds, writes while
    /// the database answers and `deadline` allows, spills the rest, and counts what is left.
    async fn finish(mut self, mut inbox: mpsc::Receiver<Message>, deadline: Duration) {
        let until = Instant::now() + deadline;
        inbox.close();
        let mut waiting = Vec::new();
        while let Some(message) = inbox.recv().await {
            match message {
                Message::Record(record) => self.accept(record).await,
                // Answered (by being dropped) once the writer has done all it can.
                Message::Flush(done) => waiting.push(done),
            }
        }
        self.spill_overflow().await;
        while !self.pending.is_empty() {
            let left = until.saturating_duration_since(Instant::now());
            if left.is_zero() || self.write_batch(Some(left)).await == Written::Unavailable {
                break;
            }
        }
        let held: Vec<UsageRecord> = self.pending.drain(..).collect();
        if !held.is_empty() {
            tracing::warn!(
                count = held.len(),
                "the database is unavailable at shutdown; spilling the usage events held"
            );
            for chunk in held.chunks(self.batch) {
                self.spill(chunk).await;
            }
        }
        self.metrics.usage_buffered.set(0);
        drop(waiting);
    }
}

/// Sleeps until `at`, or forever when there is nothing to wait for.
async fn sleep_until(at: Option<Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at.into()).await,
        None => std::future::pending().await,
    }
}
