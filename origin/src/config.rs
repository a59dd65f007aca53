//! The origin's settings, read once from the environment at start.
//!
//! A setting that is set but unusable stops the process with one line naming it; nothing is
//! silently replaced by a default. An empty value counts as unset, so a copied `.env.example`
//! with blank lines means "use the defaults". The full list lives in `.env.example`; this module
//! reads the ones the origin uses so far.

use std::path::PathBuf;
use std::time::Duration;

use tracing_subscriber::EnvFilter;

use crate::storage::{self, DatabaseTarget, PostgresUrl};

/// The port `serve` listens on when `PORT` is unset.
pub const DEFAULT_PORT: u16 = 8080;

/// The longest database timeout `DB_TIMEOUT_MS` accepts: ten minutes.
const MAX_DB_TIMEOUT_MS: u64 = 600_000;

/// The log filter when `RUST_LOG` is unset.
const DEFAULT_LOG_FILTER: &str = "info";

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

        Ok(Config { port, database, db_timeout, log_format, log_filter })
    }
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
    fn a_bad_log_format_is_refused_naming_the_setting() {
        let err = config(&[("LOG_FORMAT", "xml")]).unwrap_err();
        assert!(err.to_string().starts_with("LOG_FORMAT "), "{err}");
    }

    #[test]
    fn a_bad_log_filter_is_refused_naming_the_setting() {
        let err = config(&[("RUST_LOG", "noesis=loud")]).unwrap_err();
        assert!(err.to_string().starts_with("RUST_LOG "), "{err}");
    }
}
