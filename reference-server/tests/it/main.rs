//! Reference server integration tests: the router through `oneshot`, and over a real socket.

mod abuse;
#[cfg(feature = "client-tests")]
mod clients;
mod examples;
mod executor_equivalence;
mod graphql_http;
mod healthmov;
mod interop;
mod robustness;
mod rules;
mod server_process;
mod support;
mod workable;
