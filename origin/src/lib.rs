//! `noesis-origin`: the Noesis origin service and its command-line tool.
//!
//! One binary does both jobs. `noesis-origin serve` runs the HTTP API behind the edge Worker;
//! the other subcommands are admin and diagnostic tasks (`migrate`, `keys`, `seed-keys`, `calc`,
//! `ephemeris`). The library half exists so that integration tests can start the real server
//! in-process on a random port, on any database:
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use noesis_origin::{app::{App, Tuning}, config::Config, routes, server::Server, storage::Database};
//!
//! let config = Config::from_env()?;
//! let db = Database::open(&config.database, config.db_timeout);
//! db.migrate().await?;
//! let (app, background) = App::start(&config, db, Tuning::default());
//! let server = Server::bind(([127, 0, 0, 1], 0).into()).await?;
//! println!("listening on http://{}", server.local_addr()?);
//! server.serve_until(routes::router(app, config.allowed_origins.clone()), std::future::pending()).await?;
//! background.shutdown(std::time::Duration::from_secs(5)).await;
//! # Ok(())
//! # }
//! ```
//!
//! The parts: [`app`] (the shared state), [`routes`] (every route and the layers around them),
//! [`auth`] (keys, scopes, rate limits, usage rows), [`storage`], [`redis_link`],
//! [`result_cache`], [`rate_limit`], [`usage`], [`idempotency`], [`metrics`], [`product_events`] (PostHog), [`key_admin`]
//! (issuing and rotating keys for both the routes and the command line). `docs/origin.md` tells
//! how they fit.

pub mod app;
pub mod auth;
pub mod background;
pub mod bearer;
pub mod body;
pub mod cli;
pub mod config;
pub mod error;
pub mod error_reporting;
pub mod idempotency;
pub mod key_admin;
pub mod metrics;
pub mod product_events;
pub mod rate_limit;
pub mod redis_link;
pub mod request_context;
pub mod request_id;
pub mod result_cache;
pub mod routes;
pub mod server;
pub mod storage;
pub mod telemetry;
pub mod usage;
