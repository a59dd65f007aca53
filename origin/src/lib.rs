//! `noesis-origin`: the Noesis origin service and its command-line tool.
//!
//! One binary does both jobs. `noesis-origin serve` runs the HTTP API behind the edge Worker;
//! the other subcommands are admin and diagnostic tasks (`migrate`, `calc` and `ephemeris` for now;
//! `keys` arrives with the admin routes). The library half exists so that integration tests can start the
//! real server in-process on a random port:
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use noesis_origin::server::Server;
//!
//! let server = Server::bind(([127, 0, 0, 1], 0).into()).await?;
//! println!("listening on http://{}", server.local_addr()?);
//! server.serve_until(std::future::pending()).await
//! # }
//! ```

pub mod cli;
pub mod config;
pub mod error;
pub mod request_context;
pub mod request_id;
pub mod routes;
pub mod server;
pub mod storage;
pub mod telemetry;
