//! Reference server integration tests: the router through `oneshot`, and over a real socket.

mod examples;
mod executor_equivalence;
mod graphql_http;
mod healthmov;
mod robustness;
mod rules;
mod support;
mod workable;
