//! `noesis-core`: everything in Noesis that is pure.
//!
//! Time and calendar handling, the ephemeris, and (later) the engines, request types and witness
//! prompts. Nothing here performs I/O or reads a clock: the caller passes the instant it means. The
//! crate builds for `wasm32-unknown-unknown` as well as natively, so the edge Worker and the origin
//! compute with the very same code.

pub mod engines;
pub mod ephemeris;
pub mod time;
