//! The running service's parts, built once from the configuration and shared by every handler.

use std::sync::Arc;
use std::time::Duration;

use crate::auth::KeyDirectory;
use crate::config::{Config, Secret};
use crate::metrics::Metrics;
use crate::product_events::{self, ProductEvents, ProductEventsSender};
use crate::rate_limit::RateLimiter;
use crate::redis_link::RedisLink;
use crate::result_cache::ResultCache;
use crate::storage::Database;
use crate::usage::{self, UsageConfig, UsageSink, UsageWriter};

/// Everything a handler may need. Shared as `Arc<App>`.
#[derive(Debug)]
pub struct App {
    pub db: Database,
    pub redis: Option<RedisLink>,
    pub metrics: Arc<Metrics>,
    pub keys: KeyDirectory,
    pub limiter: RateLimiter,
    pub results: ResultCache,
    pub usage: UsageSink,
    /// PostHog product events; disabled without `POSTHOG_API_KEY`.
    pub product_events: ProductEvents,
    /// The bearer token of `/internal/*`; `None` answers those routes 404.
    pub edge_secret: Option<Secret>,
    /// The edge secret being rotated away from, accepted beside `edge_secret`.
    pub edge_secret_previous: Option<Secret>,
    /// The bearer token of `/metrics`; `None` answers it 404.
    pub metrics_token: Option<Secret>,
}

/// The settings of [`App::start`] that are not in [`Config`] because tests vary them.
#[derive(Debug, Clone, Default)]
pub struct Tuning {
    pub usage: UsageConfig,
}

/// The background work the app started: stopped by [`Background::shutdown`].
#[derive(Debug)]
pub struct Background {
    usage: UsageWriter,
    product_events: ProductEventsSender,
    housekeeping: tokio::task::JoinHandle<()>,
}

impl Background {
    /// Writes the usage and sends the product events still buffered (within `deadline`), then stops.
    pub async fn shutdown(self, deadline: Duration) {
        self.housekeeping.abort();
        tokio::join!(self.usage.shutdown(deadline), self.product_events.shutdown(deadline));
    }
}

/// How often expired idempotency records are deleted.
const HOUSEKEEPING_EVERY: Duration = Duration::from_secs(3600);

/// Deletes expired idempotency records every hour (a claim replaces an expired record anyway;
/// this only keeps the table small). A failure is logged and retried at the next round.
async fn housekeeping(db: Database) {
    let mut every = tokio::time::interval(HOUSEKEEPING_EVERY);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        match db.purge_expired_idempotency(jiff::Timestamp::now()).await {
            Ok(0) => {}
            Ok(purged) => tracing::info!(purged, "expired idempotency records deleted"),
            Err(err) => tracing::warn!(%err, "could not delete expired idempotency records"),
        }
    }
}

impl App {
    /// Builds the app on an open, migrated database. Must run inside a tokio runtime (Redis
    /// connects and usage is written in the background).
    pub fn start(config: &Config, db: Database, tuning: Tuning) -> (Arc<App>, Background) {
        product_events::install_tls_provider();
        let metrics = Arc::new(Metrics::new());
        let redis = config.redis.as_ref().map(|target| RedisLink::connect(target.0.clone(), config.redis_timeout));
        let keys = KeyDirectory::new(db.clone(), redis.clone(), config.key_cache_ttl, metrics.clone());
        let limiter = RateLimiter::new(redis.clone(), metrics.clone());
        let results = ResultCache::new(config.result_cache_bytes, redis.clone(), metrics.clone());
        let (usage, writer) = usage::start(db.clone(), redis.clone(), metrics.clone(), tuning.usage);
        let (product_events, product_events_sender) = product_events::start(config.posthog.as_ref(), metrics.clone());
        let housekeeping = tokio::spawn(housekeeping(db.clone()));
        let app = App {
            db,
            redis,
            metrics,
            keys,
            limiter,
            results,
            usage,
            product_events,
            edge_secret: config.edge_secret.clone(),
            edge_secret_previous: config.edge_secret_previous.clone(),
            metrics_token: config.metrics_token.clone(),
        };
        (Arc::new(app), Background { usage: writer, product_events: product_events_sender, housekeeping })
    }
}
