//! `noesis-edge`: the Cloudflare Worker that answers first at `tryambakam.space`.
//!
//! The Worker is thin by design. Its decisions are plain Rust in modules that know nothing of
//! the Workers runtime ([`routes`], [`health`], [`request_id`]), so `cargo test` checks them
//! natively; the `glue` module, compiled only for `wasm32`, turns a Workers request into a call to
//! [`routes::respond`] and its [`routes::Reply`] back into a Workers response. What the edge must
//! answer exactly as the origin does, the request-id rule and the problem+json body of a refusal,
//! is `noesis_core`'s ([`noesis_core::http`], [`noesis_core::engines::ApiError`]).
//!
//! ```
//! use noesis_edge::request_id;
//! use noesis_edge::routes::respond;
//!
//! let reply = respond("GET", "/health", &request_id::generate());
//! assert_eq!(reply.status, 200);
//! ```

pub mod allowlist;
pub mod config;
pub mod cors;
pub mod edge_cache;
pub mod health;
pub mod keyed;
pub mod rate_limit;
pub mod request_id;
pub mod routes;
pub mod sentry;
pub mod status;
pub mod usage;

#[cfg(target_arch = "wasm32")]
mod glue;
