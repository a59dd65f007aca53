//! The Worker's settings, read from its vars and secrets (DESIGN.md §6) through a lookup function,
//! so the rules are tested without the runtime.
//!
//! | Name | Kind | Default |
//! |---|---|---|
//! | `ORIGIN_URL` | var | none: forwarded routes answer 503 `ORIGIN_UNAVAILABLE` |
//! | `NOESIS_EDGE_SECRET` | secret (a var in local dev) | none: no allow-list, keyed routes 503 |
//! | `ALLOWLIST_TTL_SECONDS` | var | 30 (1-3600) |
//! | `ALLOWED_ORIGINS` | var | local development origins ([`crate::cors`]) |
//! | `SENTRY_DSN` | secret | none: no error events |
//! | `SENTRY_ENVIRONMENT` | var | `production` |
//! | `POSTHOG_API_KEY` | secret | none: no product events |
//! | `POSTHOG_HOST` | var | `https://us.i.posthog.com` |
//!
//! An unusable `SENTRY_DSN` or `POSTHOG_HOST` counts as unset (a Worker cannot refuse to start):
//! nothing is sent, and requests are served as usual.

use jiff::SignedDuration;

use crate::cors::AllowedOrigins;
use crate::sentry::Dsn;

/// The Sentry environment when `SENTRY_ENVIRONMENT` is unset (the origin's default too).
pub const DEFAULT_SENTRY_ENVIRONMENT: &str = "production";

/// The PostHog host when `POSTHOG_HOST` is unset (the origin's default too).
pub const DEFAULT_POSTHOG_HOST: &str = "https://us.i.posthog.com";

/// Where product events go.
#[derive(Clone, PartialEq, Eq)]
pub struct PostHog {
    pub api_key: String,
    /// The batch endpoint: `{POSTHOG_HOST}/batch/`.
    pub batch_url: String,
}

impl std::fmt::Debug for PostHog {
    // The project key is a secret of the Worker: never in a log line.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostHog").field("batch_url", &self.batch_url).finish_non_exhaustive()
    }
}

/// The allow-list TTL when `ALLOWLIST_TTL_SECONDS` is unset or unusable.
pub const DEFAULT_ALLOWLIST_TTL_SECONDS: i64 = 30;

/// The Worker's settings.
#[derive(Debug, Clone)]
pub struct EdgeConfig {
    /// The origin's base URL, without a trailing slash.
    pub origin_url: Option<String>,
    pub edge_secret: Option<String>,
    pub allowlist_ttl: SignedDuration,
    pub allowed_origins: AllowedOrigins,
    /// Where error events go; `None` sends none.
    pub sentry: Option<Dsn>,
    pub sentry_environment: String,
    /// Where product events go; `None` sends none.
    pub posthog: Option<PostHog>,
}

impl EdgeConfig {
    /// Reads the settings; a setting that is empty counts as unset, and an unusable TTL as the
    /// default (a Worker cannot refuse to start, so it serves with the safe value).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> EdgeConfig {
        let setting = |name: &str| lookup(name).map(|value| value.trim().to_owned()).filter(|value| !value.is_empty());
        let ttl = setting("ALLOWLIST_TTL_SECONDS")
            .and_then(|value| value.parse::<i64>().ok())
            .filter(|seconds| (1..=3600).contains(seconds))
            .unwrap_or(DEFAULT_ALLOWLIST_TTL_SECONDS);
        EdgeConfig {
            origin_url: setting("ORIGIN_URL")
                .filter(|url| url.starts_with("http://") || url.starts_with("https://"))
                .map(|url| url.trim_end_matches('/').to_owned()),
            edge_secret: setting("NOESIS_EDGE_SECRET"),
            allowlist_ttl: SignedDuration::from_secs(ttl),
            allowed_origins: AllowedOrigins::parse(setting("ALLOWED_ORIGINS").as_deref()),
            sentry: setting("SENTRY_DSN").and_then(|dsn| Dsn::parse(&dsn)),
            sentry_environment: setting("SENTRY_ENVIRONMENT")
                .filter(|name| name.len() <= 64 && name.chars().all(|c| c.is_ascii_graphic() && c != '/'))
                .unwrap_or_else(|| DEFAULT_SENTRY_ENVIRONMENT.to_owned()),
            posthog: setting("POSTHOG_API_KEY").filter(|key| key.chars().all(|c| c.is_ascii_graphic())).and_then(
                |api_key| {
                    let host = setting("POSTHOG_HOST").unwrap_or_else(|| DEFAULT_POSTHOG_HOST.to_owned());
                    let usable = host.starts_with("https://") || host.starts_with("http://");
                    usable.then(|| PostHog { api_key, batch_url: format!("{}/batch/", host.trim_end_matches('/')) })
                },
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(settings: &[(&str, &str)]) -> EdgeConfig {
        EdgeConfig::from_lookup(|name| {
            settings.iter().find(|(key, _)| *key == name).map(|(_, value)| (*value).to_owned())
        })
    }

    #[test]
    fn defaults() {
        let config = config(&[]);
        assert_eq!(config.origin_url, None);
        assert_eq!(config.edge_secret, None);
        assert_eq!(config.allowlist_ttl, SignedDuration::from_secs(30));
        assert!(config.allowed_origins.allows("http://localhost:3000"));
        assert_eq!((config.sentry, config.sentry_environment.as_str(), config.posthog), (None, "production", None));
    }

    #[test]
    fn sentry_and_posthog() {
        let config = config(&[
            ("SENTRY_DSN", "http://pub@127.0.0.1:9/3"),
            ("SENTRY_ENVIRONMENT", "staging"),
            ("POSTHOG_API_KEY", "phc_k"),
            ("POSTHOG_HOST", "http://127.0.0.1:9/"),
        ]);
        assert_eq!(config.sentry.as_ref().map(|dsn| dsn.envelope_url()), Some("http://127.0.0.1:9/api/3/envelope/"));
        assert_eq!(config.sentry_environment, "staging");
        let posthog = config.posthog.unwrap();
        assert_eq!((posthog.api_key.as_str(), posthog.batch_url.as_str()), ("phc_k", "http://127.0.0.1:9/batch/"));
        assert!(!format!("{posthog:?}").contains("phc_k"));
        let unusable =
            super::tests::config(&[("SENTRY_DSN", "nope"), ("POSTHOG_API_KEY", "phc_k"), ("POSTHOG_HOST", "ftp://x")]);
        assert_eq!((unusable.sentry, unusable.posthog), (None, None));
        let default_host = super::tests::config(&[("POSTHOG_API_KEY", "phc_k")]).posthog.unwrap();
        assert_eq!(default_host.batch_url, "https://us.i.posthog.com/batch/");
    }

    #[test]
    fn values_are_trimmed_and_checked() {
        let config = config(&[
            ("ORIGIN_URL", " http://127.0.0.1:8080/ "),
            ("NOESIS_EDGE_SECRET", "s3cret"),
            ("ALLOWLIST_TTL_SECONDS", "5"),
        ]);
        assert_eq!(config.origin_url.as_deref(), Some("http://127.0.0.1:8080"));
        assert_eq!(config.edge_secret.as_deref(), Some("s3cret"));
        assert_eq!(config.allowlist_ttl, SignedDuration::from_secs(5));
        for bad in ["0", "-1", "x", "3601"] {
            assert_eq!(super::tests::config(&[("ALLOWLIST_TTL_SECONDS", bad)]).allowlist_ttl.as_secs(), 30);
        }
        assert_eq!(super::tests::config(&[("ORIGIN_URL", "ftp://x")]).origin_url, None);
    }
}
