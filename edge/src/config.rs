//! The Worker's settings, read from its vars and secrets (DESIGN.md §6) through a lookup function,
//! so the rules are tested without the runtime.
//!
//! | Name | Kind | Default |
//! |---|---|---|
//! | `ORIGIN_URL` | var | none: forwarded routes answer 503 `ORIGIN_UNAVAILABLE` |
//! | `NOESIS_EDGE_SECRET` | secret (a var in local dev) | none: no allow-list, keyed routes 503 |
//! | `ALLOWLIST_TTL_SECONDS` | var | 30 (1-3600) |
//! | `ALLOWED_ORIGINS` | var | local development origins ([`crate::cors`]) |

use jiff::SignedDuration;

use crate::cors::AllowedOrigins;

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
