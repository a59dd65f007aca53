//! The running service's parts, built once from the configuration and shared by every handler.

use std::sync::Arc;
use std::time::Duration;

use crate::auth::KeyDirectory;
use crate::config::{Config, Secret};
use crate::metrics::Metrics;
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
    /// The bearer token of `/internal/*`; `None` answers those routes 404.
    pub edge_secret: Option<Secret>,
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
}

impl Background {
    /// Writes the usage still buffered (within `deadline`), then stops.
    pub async fn shutdown(self, deadline: Duration) {
        self.usage.shutdown(deadline).await;
    }
}

impl App {
    /// Builds the app on an open, migrated database. Must run inside a tokio runtime (Redis
    /// connects and usage is written in the background).
    pub fn start(config: &Config, db: Database, tuning: Tuning) -> (Arc<App>, Background) {
        let metrics = Arc::new(Metrics::new());
        let redis = config.redis.as_ref().map(|target| RedisLink::connect(target.0.clone(), config.redis_timeout));
        let keys = KeyDirectory::new(db.clone(), redis.clone(), config.key_cache_ttl, metrics.clone());
        let limiter = RateLimiter::new(redis.clone(), metrics.clone());
        let results = ResultCache::new(config.result_cache_bytes, redis.clone(), metrics.clone());
        let (usage, writer) = usage::start(db.clone(), redis.clone(), metrics.clone(), tuning.usage);
        let app = App {
            db,
            redis,
            metrics,
            keys,
            limiter,
            results,
            usage,
            edge_secret: config.edge_secret.clone(),
            metrics_token: config.metrics_token.clone(),
        };
        (Arc::new(app), Background { usage: writer })
    }
}
