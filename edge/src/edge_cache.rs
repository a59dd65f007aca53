//! The edge cache of engine answers (DESIGN.md §4): the URL an answer is kept under and how long.
//!
//! The Cache API keys entries by URL. The URL holds the core's [`CacheKey`] (engine id, engine
//! version, level, input hash), never the API key, under a path no route answers, on the host the
//! request came to (the Cache API is per zone).

use jiff::Timestamp;
use noesis_core::engines::hashing::{CacheKey, cache_lifetime};

/// The path prefix of cache entries; the router answers 404 for it.
pub const CACHE_PATH: &str = "/__noesis/cache/v1/";

/// The URL an answer for `key` is kept under, on `request_origin` (`https://host[:port]`).
///
/// ```
/// # use noesis_core::engines::{hashing::{CacheKey, InputHash}, request::parse_request, Level, TimeGranularity};
/// # let input = parse_request(b"{}", "2026-11-25T07:30:00Z".parse().unwrap()).unwrap();
/// let key = CacheKey { engine_id: "numerology", engine_version: "1.0.0", level: Level::new(3).unwrap(),
///                      input_hash: InputHash::of(&input, TimeGranularity::Timeless) };
/// let url = noesis_edge::edge_cache::cache_url("https://tryambakam.space/", &key);
/// assert!(url.starts_with("https://tryambakam.space/__noesis/cache/v1/numerology/1.0.0/3/"));
/// ```
pub fn cache_url(request_origin: &str, key: &CacheKey) -> String {
    format!("{}{CACHE_PATH}{key}", request_origin.trim_end_matches('/'))
}

/// The `Cache-Control` an answer is stored with: until its time bucket ends, or 30 days
/// ([`cache_lifetime`]); never less than one second.
pub fn stored_cache_control(valid_until: Option<Timestamp>, now: Timestamp) -> String {
    format!("public, max-age={}", cache_lifetime(valid_until, now).as_secs().max(1))
}

/// `Server-Timing` of a calculation: total time at the edge, and `cache;desc="edge"` on a hit.
pub fn server_timing(hit: bool, total_ms: f64) -> String {
    if hit { format!("cache;desc=\"edge\", app;dur={total_ms:.3}") } else { format!("app;dur={total_ms:.3}") }
}

#[cfg(test)]
mod tests {
    use noesis_core::engines::Level;
    use noesis_core::engines::hashing::InputHash;
    use noesis_core::engines::request::parse_request;

    use super::*;

    #[test]
    fn the_url_holds_the_core_key_and_nothing_else() {
        let now: Timestamp = "2026-11-25T07:30:00Z".parse().unwrap();
        let input = parse_request(br#"{"current_time":"2026-11-25T07:30:00Z"}"#, now).unwrap();
        let key = CacheKey {
            engine_id: "biorhythm",
            engine_version: "1.0.0",
            level: Level::new(1).unwrap(),
            input_hash: InputHash::of(&input, noesis_core::engines::TimeGranularity::Seconds(86_400)),
        };
        let url = cache_url("http://127.0.0.1:8787", &key);
        assert_eq!(url, format!("http://127.0.0.1:8787/__noesis/cache/v1/biorhythm/1.0.0/1/{}", key.input_hash));
    }

    #[test]
    fn lifetimes_follow_the_core() {
        let now: Timestamp = "2026-11-25T07:30:20Z".parse().unwrap();
        assert_eq!(stored_cache_control(Some("2026-11-25T07:31:00Z".parse().unwrap()), now), "public, max-age=40");
        assert_eq!(stored_cache_control(None, now), "public, max-age=2592000");
        assert_eq!(stored_cache_control(Some("2026-11-25T07:30:20.5Z".parse().unwrap()), now), "public, max-age=1");
        assert_eq!(server_timing(true, 1.0), "cache;desc=\"edge\", app;dur=1.000");
        assert_eq!(server_timing(false, 0.25), "app;dur=0.250");
    }
}
