//! The reference server: the four HR APIs served as their documents describe, from the traits generated from
//! `schemas/`. [`app`] builds the axum router; the binary adds the command line, logging and graceful shutdown.
//!
//! Only this crate knows HTTP. Each API implements [`api::GraphqlApi`] (or, for Workable, its REST routes) over its
//! own in-memory store; the shared layer authenticates, enforces the rules table and renders errors.

pub mod api;
pub mod faults;
pub mod fixtures;
pub mod greenhouse;
pub mod options;

pub use faults::{Fault, Faults};
pub use options::{Options, ServerConfig};

/// The router serving every API.
pub fn app(options: &Options) -> axum::Router {
    let _ = options;
    axum::Router::new()
}
