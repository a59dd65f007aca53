//! What the edge and the origin report about themselves, as pure rules shared by both halves
//! (DESIGN.md §5), so that an error or a product event looks the same whichever half sent it:
//!
//! - [`scrub`]: what never leaves a process (secret field names, API keys, bearer tokens, birth
//!   data) and how it is redacted;
//! - [`error_event`]: the tags, fingerprint and message of a 5xx error event for Sentry;
//! - [`product`]: the PostHog product events (name, `distinct_id`, properties), their batch
//!   format, and the hashed client address that names an anonymous caller.
//!
//! Nothing here sends anything, reads a clock or draws a random number: each half passes its
//! own instants, ids and salts, and does its own I/O (the `sentry` crate and `reqwest` at the
//! origin, `fetch` inside `waitUntil` at the edge).

pub mod error_event;
pub mod product;
pub mod scrub;
