//! The conformance harness: checks any implementation of the HR APIs at a URL against the schemas and their rules,
//! with property-based tests (proptest), and reports each broken property with a shrunk counterexample and a `curl`
//! line that replays it.
//!
//! # Modes
//!
//! - No `--target`: the reference server is started in-process on `127.0.0.1:0` with its fixture credentials (and
//!   any `--fault`s), and every API it serves is checked (or only `--api NAME`). This is the README's main command,
//!   and the cargo feature `embedded` (default) that brings the server in; without it the harness depends on the
//!   contract alone (`generated`: public SDL and rules table) and needs `--target`.
//! - `--target URL --api NAME --credentials FILE`: one API of any implementation. `URL` is the GraphQL endpoint, or
//!   for a REST API (Workable) the prefix of its `@rest` routes (`https://host/workable`).
//!
//! # Credentials file
//!
//! TOML (or JSON when the name ends in `.json`), one `[[credential]]` entry per credential, role, token kind or
//! account; see [`credentials`] for every key. For example:
//!
//! ```toml
//! [[credential]]
//! name = "api_key"
//! authorization = "Basic ZGVtby1hY2Nlc3Mta2V5OmRlbW8tc2VjcmV0LWtleQ=="
//!
//! [[credential]]
//! name = "company"
//! authorization = "Bearer 3|abc..."
//! roles = ["company"]
//!
//! [[credential]]
//! name = "acme/account"
//! authorization = "Bearer wk_acme_account"
//! scopes = ["r_jobs", "w_members"]
//! token_kind = "account"
//! account = "acme"
//! ```
//!
//! # Exit codes
//!
//! - `0`: every property that ran holds (not-applicable, skipped and inconclusive properties do not fail a run);
//! - `1`: at least one property failed;
//! - `2`: a usage or configuration error (unknown API, unreadable credentials file, the embedded server did not
//!   start, a report could not be written).
//!
//! # Shape
//!
//! The [`runner`] resolves targets and drives each [`property::Property`] with proptest's `TestRunner`; it emits
//! [`event::Event`]s that the reporters in [`report`] consume (terminal, JUnit, JSON, HTML). All HTTP goes through
//! [`client::Client`], which enforces the request budget and pacing and records every exchange for replay; REST
//! calls are built from the rules table's `@rest` bindings by [`rest`].

pub mod budget;
pub mod case;
pub mod client;
pub mod coverage;
pub mod credentials;
#[cfg(feature = "embedded")]
pub mod embedded;
pub mod event;
pub mod graphql;
pub mod leaks;
pub mod login;
pub mod outcome;
pub mod pacing;
pub mod probe;
pub mod properties;
pub mod property;
pub mod querygen;
pub mod redact;
pub mod report;
pub mod rest;
pub mod runner;
pub mod schema;
pub mod shape;

pub use outcome::{RunSummary, Verdict};
pub use runner::{Mode, RunConfig, RunError, run};
