//! CORS at the edge: which browser origins may call the API, and the headers that say so.
//!
//! `ALLOWED_ORIGINS` is a comma-separated list of entries, each one of:
//! - an exact origin, `https://tryambakam.space`;
//! - every subdomain of a host, `https://*.tryambakam.space` (not the host itself: list it too);
//! - any port of a host, `http://localhost:*`.
//!
//! Production sets `https://tryambakam.space,https://*.tryambakam.space`; unset, only local
//! development origins ([`DEV_ORIGINS`]) are allowed. Preflights are answered at the edge, before
//! any key check, with the same methods and headers as the origin's CORS layer.

/// The origins allowed when `ALLOWED_ORIGINS` is unset.
pub const DEV_ORIGINS: &str = "http://localhost:*,http://127.0.0.1:*";

const ALLOW_METHODS: &str = "GET, POST, OPTIONS";
const ALLOW_HEADERS: &str = "authorization, content-type, x-api-key, x-request-id, idempotency-key";
const EXPOSE_HEADERS: &str = "x-request-id, x-served-by, x-cache, server-timing, ratelimit-limit, \
                              ratelimit-remaining, ratelimit-reset, retry-after";
const MAX_AGE_SECONDS: &str = "600";

#[derive(Debug, Clone, PartialEq, Eq)]
enum Pattern {
    Exact(String),
    /// `scheme://` and `.host` of `scheme://*.host`.
    Subdomains(String, String),
    /// `scheme://host:` of `scheme://host:*`.
    AnyPort(String),
}

/// The configured origins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllowedOrigins(Vec<Pattern>);

impl AllowedOrigins {
    /// Reads `ALLOWED_ORIGINS` (`None`: [`DEV_ORIGINS`]); malformed entries are ignored.
    pub fn parse(list: Option<&str>) -> AllowedOrigins {
        let patterns = list
            .unwrap_or(DEV_ORIGINS)
            .split(',')
            .map(|entry| entry.trim().trim_end_matches('/').to_ascii_lowercase())
            .filter_map(|entry| {
                let scheme_end = entry.find("://")? + 3;
                let (scheme, host) = entry.split_at(scheme_end);
                if !matches!(scheme, "http://" | "https://") || host.is_empty() {
                    return None;
                }
                if let Some(domain) = host.strip_prefix("*.") {
                    return Some(Pattern::Subdomains(scheme.to_owned(), format!(".{domain}")));
                }
                if let Some(base) = entry.strip_suffix(":*") {
                    return Some(Pattern::AnyPort(format!("{base}:")));
                }
                Some(Pattern::Exact(entry))
            })
            .collect();
        AllowedOrigins(patterns)
    }

    /// Whether the browser origin `origin` (the `Origin` header) is allowed.
    pub fn allows(&self, origin: &str) -> bool {
        let origin = origin.to_ascii_lowercase();
        let plain_host =
            |rest: &str| !rest.is_empty() && rest.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.');
        self.0.iter().any(|pattern| match pattern {
            Pattern::Exact(exact) => *exact == origin,
            Pattern::Subdomains(scheme, domain) => origin
                .strip_prefix(scheme.as_str())
                .and_then(|host| host.strip_suffix(domain.as_str()))
                .is_some_and(plain_host),
            Pattern::AnyPort(base) => origin
                .strip_prefix(base.as_str())
                .is_some_and(|port| !port.is_empty() && port.len() <= 5 && port.bytes().all(|b| b.is_ascii_digit())),
        })
    }

    /// The headers for an actual (non-preflight) response to a request from `origin`.
    pub fn response_headers(&self, origin: Option<&str>) -> Vec<(&'static str, String)> {
        match origin.filter(|origin| self.allows(origin)) {
            Some(origin) => vec![
                ("Access-Control-Allow-Origin", origin.to_owned()),
                ("Access-Control-Expose-Headers", EXPOSE_HEADERS.to_owned()),
                ("Vary", "Origin".to_owned()),
            ],
            None => vec![("Vary", "Origin".to_owned())],
        }
    }

    /// The headers of the answer to a preflight (`OPTIONS` with `Origin`): the grant when the
    /// origin is allowed, only `Vary` when not (the browser then refuses the call itself).
    pub fn preflight_headers(&self, origin: &str) -> Vec<(&'static str, String)> {
        if !self.allows(origin) {
            return vec![("Vary", "Origin".to_owned())];
        }
        vec![
            ("Access-Control-Allow-Origin", origin.to_owned()),
            ("Access-Control-Allow-Methods", ALLOW_METHODS.to_owned()),
            ("Access-Control-Allow-Headers", ALLOW_HEADERS.to_owned()),
            ("Access-Control-Max-Age", MAX_AGE_SECONDS.to_owned()),
            ("Vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers".to_owned()),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PRODUCTION: &str = "https://tryambakam.space, https://*.tryambakam.space";

    #[test]
    fn production_allows_the_site_and_its_subdomains_only() {
        let allowed = AllowedOrigins::parse(Some(PRODUCTION));
        for origin in ["https://tryambakam.space", "https://app.tryambakam.space", "https://a.b.tryambakam.space"] {
            assert!(allowed.allows(origin), "{origin}");
        }
        for origin in [
            "http://tryambakam.space",
            "https://eviltryambakam.space",
            "https://tryambakam.space.evil.com",
            "https://.tryambakam.space",
            "https://a/b.tryambakam.space",
            "http://localhost:3000",
            "null",
        ] {
            assert!(!allowed.allows(origin), "{origin}");
        }
    }

    #[test]
    fn development_allows_localhost_on_any_port() {
        let allowed = AllowedOrigins::parse(None);
        assert!(allowed.allows("http://localhost:3000"));
        assert!(allowed.allows("http://127.0.0.1:8787"));
        assert!(!allowed.allows("http://localhost:"));
        assert!(!allowed.allows("http://localhost:80x"));
        assert!(!allowed.allows("https://tryambakam.space"));
    }

    #[test]
    fn headers_follow_the_decision() {
        let allowed = AllowedOrigins::parse(Some(PRODUCTION));
        let granted = allowed.preflight_headers("https://app.tryambakam.space");
        assert!(
            granted
                .iter()
                .any(|(name, value)| *name == "Access-Control-Allow-Origin" && value == "https://app.tryambakam.space")
        );
        assert!(
            granted.iter().any(|(name, value)| *name == "Access-Control-Allow-Headers" && value.contains("x-api-key"))
        );
        assert_eq!(allowed.preflight_headers("https://evil.com").len(), 1);
        assert_eq!(allowed.response_headers(Some("https://evil.com")).len(), 1);
        assert_eq!(allowed.response_headers(Some("https://tryambakam.space")).len(), 3);
        assert_eq!(allowed.response_headers(None), vec![("Vary", "Origin".to_owned())]);
    }
}
