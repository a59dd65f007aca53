//! `noesis-core`: everything in Noesis that is pure.
//!
//! Time and calendar handling, the ephemeris, the engines with their request and response types,
//! the workflows that run several engines on one request and synthesise their answers
//! ([`workflows`]), what the edge and origin tiers must answer alike over HTTP ([`http`]: request ids and problem
//! documents), the API key format they both check ([`keys`]), and the rules of what both report to
//! Sentry and PostHog ([`observability`]: scrubbing, error tags and fingerprints, product events). Nothing here performs I/O,
//! reads a clock or draws a random number: the caller passes the instant it means and makes its
//! own fresh ids and random bytes. The crate builds for `wasm32-unknown-unknown` as well as
//! natively, so the edge Worker and the origin compute with the very same code.

pub mod engines;
pub mod ephemeris;
pub mod http;
pub mod keys;
pub mod observability;
pub mod time;
pub mod workflows;
