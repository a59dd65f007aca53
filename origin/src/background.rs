//! What the origin's background senders (the usage writer, the product event sender) share:
//! stopping within a deadline, and a warning that is logged at most every ten seconds.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use prometheus_client::metrics::counter::Counter;
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

/// How often a repeated warning (a flood of drops) is logged at most.
const WARN_EVERY: Duration = Duration::from_secs(10);

/// How long past its deadline a stopping task is waited for before it is aborted.
const SHUTDOWN_SLACK: Duration = Duration::from_secs(2);

/// Tells `task` to stop within `deadline` (it finishes what it can), waits for it a little past
/// that, and aborts it if it is still running; `what` names it in the log line.
pub async fn stop_within(stop: oneshot::Sender<Duration>, mut task: JoinHandle<()>, deadline: Duration, what: &str) {
    // An error means the task ended already.
    let _ = stop.send(deadline);
    if tokio::time::timeout(deadline + SHUTDOWN_SLACK, &mut task).await.is_err() {
        tracing::error!(task = what, "a background task did not stop in time; what it held is lost");
        task.abort();
    }
}

/// Puts `message` on `sender` without waiting: a full or closed channel drops it, counted in
/// `dropped`, with a warning (at most every ten seconds) naming `what` and the metric.
pub fn offer<T>(sender: &mpsc::Sender<T>, message: T, dropped: &Counter, warn: &Throttle, what: &str, metric: &str) {
    if let Err(err) = sender.try_send(message) {
        dropped.inc();
        if warn.ready() {
            let reason = match err {
                mpsc::error::TrySendError::Full(_) => "its channel is full",
                mpsc::error::TrySendError::Closed(_) => "it has stopped",
            };
            tracing::warn!(task = what, reason, metric, "events are being dropped");
        }
    }
}

/// Says yes at most once per ten seconds, so that a flood of drops is one log line.
#[derive(Debug)]
pub struct Throttle {
    epoch: Instant,
    /// Milliseconds since `epoch` of the next allowed warning.
    next_ms: AtomicU64,
}

impl Default for Throttle {
    fn default() -> Throttle {
        Throttle { epoch: Instant::now(), next_ms: AtomicU64::new(0) }
    }
}

impl Throttle {
    /// Whether a warning may be logged now.
    pub fn ready(&self) -> bool {
        let now = u64::try_from(self.epoch.elapsed().as_millis()).unwrap_or(u64::MAX);
        let next = self.next_ms.load(Ordering::Relaxed);
        let every = u64::try_from(WARN_EVERY.as_millis()).unwrap_or(u64::MAX);
        now >= next
            && self
                .next_ms
                .compare_exchange(next, now.saturating_add(every), Ordering::Relaxed, Ordering::Relaxed)
                .is_ok()
    }
}
