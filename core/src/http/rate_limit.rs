//! The per-key rate-limit window and the decision both tiers answer with (DESIGN §2 "Headers",
//! §5): one calendar minute in UTC, counted by whoever holds the counter (Redis at the origin,
//! isolate memory at the edge), judged and written into headers here, so the two tiers agree.

use jiff::Timestamp;

/// The window's length.
pub const WINDOW_MS: i64 = 60_000;

/// The Unix minute `now` falls in, and the milliseconds left until it ends (1 to 60 000).
///
/// ```
/// let (minute, left) = noesis_core::http::rate_limit::window("2026-11-25T07:30:20.250Z".parse().unwrap());
/// assert_eq!((minute % 60, left), (30, 39_750));
/// ```
pub fn window(now: Timestamp) -> (i64, i64) {
    let ms = now.as_millisecond();
    let minute = ms.div_euclid(WINDOW_MS);
    (minute, (minute + 1) * WINDOW_MS - ms)
}

/// The answer for one request, and what the response tells the client about its limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateDecision {
    /// Whether the request may go on; when `false`, answer 429 `RATE_LIMITED`.
    pub allowed: bool,
    /// Requests allowed per window.
    pub limit: u32,
    /// Requests left in this window after this one; never below zero.
    pub remaining: u32,
    /// Whole seconds until the window ends and the count starts again; at least 1.
    pub reset_after_seconds: u32,
}

impl RateDecision {
    /// The decision for the `count`-th request of a window (this one included) with
    /// `left_ms` to go, under `limit` a minute. A refused request still counts.
    ///
    /// ```
    /// use noesis_core::http::rate_limit::RateDecision;
    /// let third = RateDecision::of_count(3, 2, 1_500);
    /// assert_eq!((third.allowed, third.remaining, third.reset_after_seconds), (false, 0, 2));
    /// ```
    pub fn of_count(count: u64, limit: u32, left_ms: i64) -> RateDecision {
        RateDecision {
            allowed: count <= u64::from(limit),
            limit,
            remaining: u32::try_from(u64::from(limit).saturating_sub(count)).unwrap_or(0),
            reset_after_seconds: u32::try_from((left_ms + 999) / 1000).unwrap_or(60).max(1),
        }
    }

    /// The response headers for this decision: `RateLimit-Limit`, `RateLimit-Remaining` and
    /// `RateLimit-Reset` always, and `Retry-After` when the request is refused, so that each tier
    /// writes them in one place and they always agree with each other.
    pub fn headers(&self) -> Vec<(&'static str, String)> {
        let mut headers = vec![
            ("RateLimit-Limit", self.limit.to_string()),
            ("RateLimit-Remaining", self.remaining.to_string()),
            ("RateLimit-Reset", self.reset_after_seconds.to_string()),
        ];
        if !self.allowed {
            headers.push(("Retry-After", self.reset_after_seconds.to_string()));
        }
        headers
    }
}
