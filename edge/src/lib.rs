//! `noesis-edge`: the Cloudflare Worker that answers first at `tryambakam.space`.
//!
//! The Worker is thin by design. Its decisions are plain Rust in modules that know nothing of
//! the Workers runtime ([`routes`], [`health`], [`problem`], [`request_id`]), so `cargo test`
//! checks them natively; the `glue` module, compiled only for `wasm32`, turns a Workers request
//! into a call to [`routes::respond`] and its [`routes::Reply`] back into a Workers response.
//!
//! ```
//! use noesis_edge::request_id::RequestId;
//! use noesis_edge::routes::respond;
//!
//! let reply = respond("GET", "/health", &RequestId::generate());
//! assert_eq!(reply.status, 200);
//! ```

pub mod health;
pub mod problem;
pub mod request_id;
pub mod routes;

#[cfg(target_arch = "wasm32")]
mod glue;
