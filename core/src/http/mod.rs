//! What the two HTTP tiers, the edge Worker and the origin, must answer alike, as pure values: the
//! request id's rule and the problem+json body of every refusal.
//!
//! Nothing here touches a request or a socket, and nothing is random: each tier reads its headers
//! with its own runtime, makes fresh ids with its own randomness, and hands the values to these
//! types, so both tiers accept, echo and refuse exactly alike.

pub mod media_type;
pub mod problem;
pub mod rate_limit;
pub mod request_id;
pub mod usage;

/// The header naming the tier that answered: `edge` or `origin`. Lower case, as HTTP/2 writes
/// header names and as `http::HeaderName::from_static` requires.
pub const X_SERVED_BY: &str = "x-served-by";
