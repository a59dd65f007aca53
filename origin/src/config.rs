//! The origin's settings, read once from the environment at start.
//!
//! A setting that is set but unusable stops the process with one line naming it; nothing is
//! silently replaced by a default. An empty value counts as unset, so a copied `.env.example`
//! with blank lines means "use the defaults". The full list lives in `.env.example`; this module
//! reads them all.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use axum::http::HeaderValue;
use noesis_core::keys::KeyHash;
use tracing_subscriber::EnvFilter;

use crate::redis_link;
use crate::storage::{self, DatabaseTarget, PostgresUrl};

/// The port `serve` listens on when `PORT` is unset.
pub const DEFAULT_PORT: u16 = 8080;

/// The longest database timeout `DB_TIMEOUT_MS` accepts: ten minutes.
const MAX_DB_TIMEOUT_MS: u64 = 600_000;

/// The log filter when `RUST_LOG` is unset.
const DEFAULT_LOG_FILTER: &str = "info";

/// The shortest shared secret accepted for `NOESIS_EDGE_SECRET` and `METRICS_TOKEN`: 32
/// characters (`openssl rand -hex 32` gives 64), so a guessable word is refused at start.
const MIN_SECRET_LEN: usize = 32;

/// How long a key check is answered from the in-process cache before the database is asked
/// again, when `KEY_CACHE_TTL_SECONDS` is unset.
const DEFAULT_KEY_CACHE_TTL: Duration = Duration::from_secs(5);

/// The in-process result cache's size when `RESULT_CACHE_MB` is unset.
const DEFAULT_RESULT_CACHE_MB: u64 = 64;

/// The CORS origins when `ALLOWED_ORIGINS` is unset: local development only.
const DEFAULT_ALLOWED_ORIGINS: &str = "http://localhost:3000,http://127.0.0.1:3000,http://localhost:8787";

/// The origin's configuration.
#[derive(Debug)]
pub struct Config {
    /// `PORT`: the TCP port `serve` listens on (all interfaces).
    pub port: u16,
    /// `DATABASE_URL` (Postgres) or, when it is unset, `NOESIS_SQLITE_PATH` (default
    /// `./noesis.sqlite`): where the data lives.
    pub database: DatabaseTarget,
    /// `DB_TIMEOUT_MS`: how long any database call may take before it fails as unavailable (default 5 s).
    pub db_timeout: Duration,
    /// `LOG_FORMAT`: how log lines are written.
    pub log_format: LogFormat,
    /// `RUST_LOG`: which log lines are written.
    pub log_filter: EnvFilter,
    /// `REDIS_URL`: the shared cache and rate-limit counters; `None` runs in one process.
    pub redis: Option<RedisTarget>,
    /// `REDIS_TIMEOUT_MS`: how long one Redis call may take before the in-process layer answers.
    pub redis_timeout: Duration,
    /// `NOESIS_EDGE_SECRET`: the bearer token of the `/internal` routes; `None` closes them.
    pub edge_secret: Option<Secret>,
    /// `NOESIS_EDGE_SECRET_PREVIOUS`: the secret being rotated away from, still accepted (with
    /// `NOESIS_EDGE_SECRET` only) until the Worker has the new one: a rotation without a gap.
    pub edge_secret_previous: Option<Secret>,
    /// `METRICS_TOKEN`: the bearer token of `/metrics`; `None` closes it.
    pub metrics_token: Option<Secret>,
    /// `NOESIS_ADMIN_BOOTSTRAP`: the SHA-256 of a first admin key, made an admin key at start.
    pub admin_bootstrap: Option<KeyHash>,
    /// `ALLOWED_ORIGINS`: the browser origins CORS lets in.
    pub allowed_origins: Vec<HeaderValue>,
    /// `KEY_CACHE_TTL_SECONDS`: how long a key check is served from memory before it is refreshed.
    pub key_cache_ttl: Duration,
    /// `RESULT_CACHE_MB`: the in-process result cache's size.
    pub result_cache_bytes: u64,
    /// `POSTHOG_API_KEY` and `POSTHOG_HOST`: where product events go; `None` sends nothing.
    pub posthog: Option<PostHogConfig>,
    /// `SENTRY_DSN`, `SENTRY_ENVIRONMENT` and `SENTRY_TRACES_SAMPLE_RATE`: where errors are
    /// reported; `None` sends nothing.
    pub sentry: Option<SentryConfig>,
}

/// The Sentry project errors are reported to (origin/src/error_reporting.rs).
#[derive(Debug, Clone)]
pub struct SentryConfig {
    /// `SENTRY_DSN`: the project's DSN (`https://<public key>@<host>/<project>`); never logged.
    pub dsn: Secret,
    /// `SENTRY_ENVIRONMENT`: e.g. `production`, `staging` (default `production`).
    pub environment: String,
    /// `SENTRY_TRACES_SAMPLE_RATE`: the share of requests traced, 0 to 1 (default 0).
    pub traces_sample_rate: f32,
}

/// The Sentry environment when `SENTRY_ENVIRONMENT` is unset.
pub const DEFAULT_SENTRY_ENVIRONMENT: &str = "production";

/// The PostHog product events go to.
#[derive(Debug, Clone)]
pub struct PostHogConfig {
    /// `POSTHOG_API_KEY`: the project API key (`phc_...`).
    pub api_key: Secret,
    /// `POSTHOG_HOST`: the instance, e.g. `https://us.i.posthog.com`, with no trailing slash.
    pub host: String,
}

/// The PostHog instance when `POSTHOG_HOST` is unset.
pub const DEFAULT_POSTHOG_HOST: &str = "https://us.i.posthog.com";

/// A Redis to connect to; its `Debug` form never shows the URL, which may hold a password.
#[derive(Clone)]
pub struct RedisTarget(pub redis::Client);

impl fmt::Debug for RedisTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RedisTarget(***)")
    }
}

/// A secret setting: its `Debug` form never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// A secret from its text (the length rule is the configuration's, checked at start).
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The secret itself, for the one comparison that needs it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// How log lines are written (`LOG_FORMAT`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// Human-readable lines, the default.
    Text,
    /// One JSON object per line, for log collectors.
    Json,
}

/// A setting that is present but unusable.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// `PORT` is not a port number.
    #[error("PORT must be a TCP port number from 1 to 65535, got {0:?}")]
    Port(String),
    /// `LOG_FORMAT` names no known format.
    #[error("LOG_FORMAT must be \"text\" or \"json\", got {0:?}")]
    LogFormat(String),
    /// `DATABASE_URL` is not a Postgres URL. The reason never repeats the URL, which may hold a password.
    #[error("DATABASE_URL is not a usable Postgres URL: {0}")]
    DatabaseUrl(String),
    /// `DB_TIMEOUT_MS` is not a number of milliseconds in range.
    #[error("DB_TIMEOUT_MS must be a whole number of milliseconds from 1 to 600000, got {0:?}")]
    DbTimeout(String),
    /// `REDIS_URL` is not a Redis URL. The reason never repeats the URL.
    #[error("REDIS_URL is not a usable Redis URL: {0}")]
    RedisUrl(String),
    /// A secret is too short to be one.
    #[error("{0} must be at least 32 characters (generate one with: openssl rand -hex 32)")]
    ShortSecret(&'static str),
    /// `NOESIS_ADMIN_BOOTSTRAP` is not a SHA-256 in hex.
    #[error(
        "NOESIS_ADMIN_BOOTSTRAP must be the SHA-256 of an API key as 64 hex digits (printf %s \"$KEY\" | sha256sum)"
    )]
    AdminBootstrap,
    /// `ALLOWED_ORIGINS` holds something that is not an origin.
    #[error("ALLOWED_ORIGINS must be comma-separated origins such as https://tryambakam.space, got {0:?}")]
    AllowedOrigins(String),
    /// A number setting is not a whole number in its range.
    #[error("{name} must be a whole number from {min} to {max}, got {value:?}")]
    OutOfRange {
        /// The setting.
        name: &'static str,
        /// The value as set.
        value: String,
        /// The smallest accepted.
        min: u64,
        /// The largest accepted.
        max: u64,
    },
    /// `POSTHOG_API_KEY` is not a project API key.
    #[error("POSTHOG_API_KEY must be a PostHog project API key (phc_...) with no spaces")]
    PostHogApiKey,
    /// `POSTHOG_HOST` is not an http(s) URL.
    #[error("POSTHOG_HOST must be an http:// or https:// URL such as https://us.i.posthog.com, got {0:?}")]
    PostHogHost(String),
    /// `SENTRY_DSN` is not a Sentry DSN. The message never repeats the DSN.
    #[error("SENTRY_DSN must be a Sentry DSN such as https://<public key>@o0.ingest.sentry.io/<project>")]
    SentryDsn,
    /// `SENTRY_ENVIRONMENT` is not a usable environment name.
    #[error("SENTRY_ENVIRONMENT must be a name such as production or staging (no spaces or slashes), got {0:?}")]
    SentryEnvironment(String),
    /// `SENTRY_TRACES_SAMPLE_RATE` is not a number from 0 to 1.
    #[error("SENTRY_TRACES_SAMPLE_RATE must be a number from 0 to 1 (e.g. 0.1), got {0:?}")]
    SentryTracesSampleRate(String),
    /// `RUST_LOG` is not a filter `tracing-subscriber` understands.
    #[error("RUST_LOG is not a valid log filter ({reason}), got {value:?}")]
    LogFilter {
        /// The value as set.
        value: String,
        /// What the parser said.
        reason: String,
    },
}

impl Config {
    /// Reads the settings from the process environment.
    pub fn from_env() -> Result<Config, ConfigError> {
        Config::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads the settings through `lookup`, which returns a setting's value by name.
    ///
    /// ```
    /// use noesis_origin::config::{Config, LogFormat};
    ///
    /// let config = Config::from_lookup(|name| (name == "PORT").then(|| "9000".to_string()))?;
    /// assert_eq!((config.port, config.log_format), (9000, LogFormat::Text));
    /// # Ok::<(), noesis_origin::config::ConfigError>(())
    /// ```
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let setting = |name: &str| lookup(name).filter(|value| !value.trim().is_empty());

        let port = match setting("PORT") {
            None => DEFAULT_PORT,
            Some(value) => match value.trim().parse::<u16>() {
                Ok(port) if port != 0 => port,
                _ => return Err(ConfigError::Port(value)),
            },
        };
        let database = match setting("DATABASE_URL") {
            Some(url) => DatabaseTarget::Postgres(url.parse::<PostgresUrl>().map_err(ConfigError::DatabaseUrl)?),
            None => DatabaseTarget::Sqlite(PathBuf::from(
                setting("NOESIS_SQLITE_PATH").unwrap_or_else(|| storage::DEFAULT_SQLITE_PATH.to_string()),
            )),
        };
        let db_timeout = match setting("DB_TIMEOUT_MS") {
            None => storage::DEFAULT_TIMEOUT,
            Some(value) => match value.trim().parse::<u64>() {
                Ok(ms) if (1..=MAX_DB_TIMEOUT_MS).contains(&ms) => Duration::from_millis(ms),
                _ => return Err(ConfigError::DbTimeout(value)),
            },
        };
        let number = |name: &'static str, min: u64, max: u64, default: u64| -> Result<u64, ConfigError> {
            match setting(name) {
                None => Ok(default),
                Some(value) => match value.trim().parse::<u64>() {
                    Ok(n) if (min..=max).contains(&n) => Ok(n),
                    _ => Err(ConfigError::OutOfRange { name, value, min, max }),
                },
            }
        };
        let redis = setting("REDIS_URL")
            .map(|url| redis_link::check_url(url.trim()).map(RedisTarget).map_err(ConfigError::RedisUrl))
            .transpose()?;
        let redis_timeout_ms = number("REDIS_TIMEOUT_MS", 1, 60_000, redis_link::DEFAULT_TIMEOUT.as_millis() as u64)?;
        let secret = |name: &'static str| -> Result<Option<Secret>, ConfigError> {
            match setting(name) {
                None => Ok(None),
                Some(value) if value.trim().len() >= MIN_SECRET_LEN => Ok(Some(Secret(value.trim().to_string()))),
                Some(_) => Err(ConfigError::ShortSecret(name)),
            }
        };
        let edge_secret = secret("NOESIS_EDGE_SECRET")?;
        let edge_secret_previous = secret("NOESIS_EDGE_SECRET_PREVIOUS")?.filter(|_| edge_secret.is_some());
        let metrics_token = secret("METRICS_TOKEN")?;
        let admin_bootstrap = setting("NOESIS_ADMIN_BOOTSTRAP")
            .map(|hex| KeyHash::from_hex(hex.trim()).map_err(|_| ConfigError::AdminBootstrap))
            .transpose()?;
        let origins = setting("ALLOWED_ORIGINS").unwrap_or_else(|| DEFAULT_ALLOWED_ORIGINS.to_string());
        let allowed_origins = parse_origins(&origins).ok_or(ConfigError::AllowedOrigins(origins))?;
        let key_cache_ttl =
            Duration::from_secs(number("KEY_CACHE_TTL_SECONDS", 1, 300, DEFAULT_KEY_CACHE_TTL.as_secs())?);
        let result_cache_bytes = number("RESULT_CACHE_MB", 1, 65_536, DEFAULT_RESULT_CACHE_MB)? * 1024 * 1024;
        let posthog_host = match setting("POSTHOG_HOST") {
            None => DEFAULT_POSTHOG_HOST.to_string(),
            Some(value) => parse_http_url(value.trim()).ok_or(ConfigError::PostHogHost(value))?,
        };
        let posthog = match setting("POSTHOG_API_KEY") {
            None => None,
            Some(key) if key.trim().chars().all(|c| c.is_ascii_graphic()) => {
                Some(PostHogConfig { api_key: Secret(key.trim().to_string()), host: posthog_host })
            }
            Some(_) => return Err(ConfigError::PostHogApiKey),
        };
        let sentry_environment = match setting("SENTRY_ENVIRONMENT") {
            None => DEFAULT_SENTRY_ENVIRONMENT.to_string(),
            Some(value) => {
                let name = value.trim();
                let usable = name.len() <= 64 && name.chars().all(|c| c.is_ascii_graphic() && c != '/');
                if !usable {
                    return Err(ConfigError::SentryEnvironment(value));
                }
                name.to_string()
            }
        };
        let traces_sample_rate = match setting("SENTRY_TRACES_SAMPLE_RATE") {
            None => 0.0,
            Some(value) => match value.trim().parse::<f32>() {
                Ok(rate) if (0.0..=1.0).contains(&rate) => rate,
                _ => return Err(ConfigError::SentryTracesSampleRate(value)),
            },
        };
        let sentry = match setting("SENTRY_DSN") {
            None => None,
            Some(dsn) => {
                let dsn = dsn.trim();
                dsn.parse::<sentry::types::Dsn>().map_err(|_| ConfigError::SentryDsn)?;
                Some(SentryConfig { dsn: Secret(dsn.to_string()), environment: sentry_environment, traces_sample_rate })
            }
        };
        let log_format = match setting("LOG_FORMAT") {
            None => LogFormat::Text,
            Some(value) => match value.trim().to_ascii_lowercase().as_str() {
                "text" => LogFormat::Text,
                "json" => LogFormat::Json,
                _ => return Err(ConfigError::LogFormat(value)),
            },
        };
        let filter = setting("RUST_LOG").unwrap_or_else(|| DEFAULT_LOG_FILTER.to_string());
        let log_filter = EnvFilter::try_new(&filter)
            .map_err(|err| ConfigError::LogFilter { reason: err.to_string(), value: filter })?;

        Ok(Config {
            port,
            database,
            db_timeout,
            log_format,
            log_filter,
            redis,
            redis_timeout: Duration::from_millis(redis_timeout_ms),
            edge_secret,
            edge_secret_previous,
            metrics_token,
            admin_bootstrap,
            allowed_origins,
            key_cache_ttl,
            result_cache_bytes,
            posthog,
            sentry,
        })
    }
}

/// `http(s)://host[:port][/path]` with its trailing slashes removed, or `None`.
fn parse_http_url(url: &str) -> Option<String> {
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"))?;
    let host = rest.split('/').next().unwrap_or_default();
    let well_formed = !host.is_empty()
        && host.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
        && rest.chars().all(|c| c.is_ascii_graphic());
    well_formed.then(|| url.trim_end_matches('/').to_string())
}

/// Comma-separated origins (`scheme://host[:port]`, no path), or `None` if one is not an origin.
fn parse_origins(list: &str) -> Option<Vec<HeaderValue>> {
    list.split(',')
        .map(str::trim)
        .filter(|origin| !origin.is_empty())
        .map(|origin| {
            let rest = origin.strip_prefix("https://").or_else(|| origin.strip_prefix("http://"))?;
            let well_formed = !rest.is_empty()
                && rest.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
            well_formed.then(|| HeaderValue::from_str(origin).ok()).flatten()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(settings: &[(&str, &str)]) -> Result<Config, ConfigError> {
        Config::from_lookup(|name| settings.iter().find(|(key, _)| *key == name).map(|(_, value)| value.to_string()))
    }

    #[test]
    fn defaults_apply_when_nothing_is_set() {
        let config = config(&[]).unwrap();
        assert_eq!(config.port, 8080);
        assert_eq!(config.log_format, LogFormat::Text);
    }

    #[test]
    fn empty_settings_count_as_unset() {
        let config = config(&[("PORT", ""), ("LOG_FORMAT", " "), ("RUST_LOG", "")]).unwrap();
        assert_eq!(config.port, 8080);
    }

    #[test]
    fn port_and_log_format_are_read() {
        let config = config(&[("PORT", "3000"), ("LOG_FORMAT", "json")]).unwrap();
        assert_eq!(config.port, 3000);
        assert_eq!(config.log_format, LogFormat::Json);
    }

    #[test]
    fn a_bad_port_is_refused_naming_the_setting() {
        for bad in ["http", "0", "65536", "-1", "80.5"] {
            let err = config(&[("PORT", bad)]).unwrap_err();
            let message = err.to_string();
            assert!(message.starts_with("PORT "), "{message}");
            assert!(message.contains(bad), "{message}");
        }
    }

    #[test]
    fn without_database_url_the_data_lives_in_sqlite() {
        let defaults = config(&[]).unwrap();
        assert_eq!(defaults.database, DatabaseTarget::Sqlite("noesis.sqlite".into()));
        assert_eq!(defaults.db_timeout, Duration::from_secs(5));
        let set = config(&[("NOESIS_SQLITE_PATH", "/var/lib/noesis/data.sqlite"), ("DB_TIMEOUT_MS", "250")]).unwrap();
        assert_eq!(set.database, DatabaseTarget::Sqlite("/var/lib/noesis/data.sqlite".into()));
        assert_eq!(set.db_timeout, Duration::from_millis(250));
    }

    #[test]
    fn database_url_selects_postgres_and_never_shows_the_password() {
        let config = config(&[("DATABASE_URL", "postgres://noesis:hunter2@db.example.com:6543/noesis")]).unwrap();
        assert_eq!(config.database.to_string(), "postgres db.example.com:6543/noesis");
        assert!(!format!("{config:?}").contains("hunter2"), "{config:?}");
    }

    #[test]
    fn a_bad_database_url_is_refused_without_repeating_it() {
        for bad in ["mysql://root:hunter2@localhost/noesis", "postgres://root:hunter2@localhost:port/noesis"] {
            let err = config(&[("DATABASE_URL", bad)]).unwrap_err();
            let message = err.to_string();
            assert!(message.starts_with("DATABASE_URL "), "{message}");
            assert!(!message.contains("hunter2"), "{message}");
        }
    }

    #[test]
    fn a_bad_db_timeout_is_refused_naming_the_setting() {
        for bad in ["0", "5s", "-1", "600001"] {
            let err = config(&[("DB_TIMEOUT_MS", bad)]).unwrap_err();
            assert!(err.to_string().starts_with("DB_TIMEOUT_MS "), "{err}");
        }
    }

    #[test]
    fn sentry_is_read_and_bad_values_are_refused_naming_the_setting() {
        assert!(config(&[]).unwrap().sentry.is_none());
        let set = config(&[
            ("SENTRY_DSN", "https://abc123@o1.ingest.sentry.io/42"),
            ("SENTRY_ENVIRONMENT", "staging"),
            ("SENTRY_TRACES_SAMPLE_RATE", "0.25"),
        ])
        .unwrap()
        .sentry
        .unwrap();
        assert_eq!((set.environment.as_str(), set.traces_sample_rate), ("staging", 0.25));
        assert!(!format!("{set:?}").contains("abc123"), "{set:?}");
        let err = config(&[("SENTRY_DSN", "not a dsn abc123")]).unwrap_err().to_string();
        assert!(err.starts_with("SENTRY_DSN ") && !err.contains("abc123"), "{err}");
        for bad in ["1.5", "-0.1", "often"] {
            let err = config(&[("SENTRY_TRACES_SAMPLE_RATE", bad)]).unwrap_err().to_string();
            assert!(err.starts_with("SENTRY_TRACES_SAMPLE_RATE "), "{err}");
        }
        let err = config(&[("SENTRY_ENVIRONMENT", "prod uction")]).unwrap_err().to_string();
        assert!(err.starts_with("SENTRY_ENVIRONMENT "), "{err}");
    }

    #[test]
    fn a_bad_log_format_is_refused_naming_the_setting() {
        let err = config(&[("LOG_FORMAT", "xml")]).unwrap_err();
        assert!(err.to_string().starts_with("LOG_FORMAT "), "{err}");
    }

    #[test]
    fn secrets_must_be_long_and_never_show() {
        let long = "0123456789abcdef0123456789abcdef";
        let config = config(&[("NOESIS_EDGE_SECRET", long), ("METRICS_TOKEN", long)]).unwrap();
        assert_eq!(config.edge_secret.as_ref().map(Secret::expose), Some(long));
        assert!(!format!("{config:?}").contains(long));
        let err = config_err(&[("NOESIS_EDGE_SECRET", "hunter2")]);
        assert!(err.starts_with("NOESIS_EDGE_SECRET ") && !err.contains("hunter2"), "{err}");
    }

    #[test]
    fn redis_bootstrap_origins_and_numbers_are_checked_naming_the_setting() {
        assert!(config_err(&[("REDIS_URL", "http://x")]).starts_with("REDIS_URL "));
        assert!(config_err(&[("NOESIS_ADMIN_BOOTSTRAP", "abc")]).starts_with("NOESIS_ADMIN_BOOTSTRAP "));
        assert!(config_err(&[("ALLOWED_ORIGINS", "tryambakam.space")]).starts_with("ALLOWED_ORIGINS "));
        assert!(config_err(&[("KEY_CACHE_TTL_SECONDS", "0")]).starts_with("KEY_CACHE_TTL_SECONDS "));
        assert!(config_err(&[("REDIS_TIMEOUT_MS", "soon")]).starts_with("REDIS_TIMEOUT_MS "));
        let ok = config(&[
            ("REDIS_URL", "redis://127.0.0.1:6379"),
            ("ALLOWED_ORIGINS", "https://tryambakam.space, https://app.tryambakam.space"),
        ])
        .unwrap();
        assert!(ok.redis.is_some());
        assert_eq!(ok.allowed_origins.len(), 2);
    }

    fn config_err(settings: &[(&str, &str)]) -> String {
        config(settings).unwrap_err().to_string()
    }

    #[test]
    fn posthog_is_read_checked_and_never_shown() {
        assert!(config(&[]).unwrap().posthog.is_none());
        assert!(config(&[("POSTHOG_HOST", "https://eu.i.posthog.com")]).unwrap().posthog.is_none());
        let set = config(&[("POSTHOG_API_KEY", "phc_secret123")]).unwrap();
        let posthog = set.posthog.as_ref().unwrap();
        assert_eq!((posthog.api_key.expose(), posthog.host.as_str()), ("phc_secret123", DEFAULT_POSTHOG_HOST));
        assert!(!format!("{set:?}").contains("phc_secret123"));
        let eu = config(&[("POSTHOG_API_KEY", "phc_x"), ("POSTHOG_HOST", "https://eu.i.posthog.com/")]).unwrap();
        assert_eq!(eu.posthog.unwrap().host, "https://eu.i.posthog.com");
        assert!(config_err(&[("POSTHOG_HOST", "eu.i.posthog.com")]).starts_with("POSTHOG_HOST "));
        let err = config_err(&[("POSTHOG_API_KEY", "phc_a b")]);
        assert!(err.starts_with("POSTHOG_API_KEY ") && !err.contains("phc_a"), "{err}");
    }

    #[test]
    fn a_bad_log_filter_is_refused_naming_the_setting() {
        let err = config(&[("RUST_LOG", "noesis=loud")]).unwrap_err();
        assert!(err.to_string().starts_with("RUST_LOG "), "{err}");
    }
}
