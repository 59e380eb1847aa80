//! The reference server: the four HR APIs served as their documents describe, from the traits generated from
//! `schemas/`. [`app`] builds the axum router; the binary adds the command line, logging and graceful shutdown.
//!
//! Only this crate knows HTTP. Each API implements [`api::GraphqlApi`] over its own in-memory store; the shared layer
//! ([`pipeline`], [`graphql`]) authenticates through it, enforces the rules table (roles, scopes, rate limits,
//! complexity) and renders errors in the API's own format ([`render`]).

pub mod api;
pub mod faults;
pub mod fixtures;
pub mod graphql;
pub mod greenhouse;
pub mod options;
pub mod pipeline;
pub mod rate_limit;
pub mod render;

use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::routing::{any, get};
use serde_json::json;

pub use faults::{Fault, Faults};
pub use options::{Options, ServerConfig};

use crate::api::GraphqlApi;
use crate::graphql::Endpoint;
use crate::pipeline::Shared;

/// Threads of the pool that runs executions: one per core of the machines this is measured on.
const EXECUTION_THREADS: usize = 2;

/// The router serving every API, and `/` listing them.
pub fn app(options: &Options) -> Router {
    let shared = Arc::new(Shared::new(options, EXECUTION_THREADS));
    let apis = graphql_apis(options);
    let listing: Vec<_> = apis
        .iter()
        .map(|api| {
            let rules = api.rules();
            json!({ "name": rules.name, "title": rules.title, "path": rules.path, "document": rules.document, "transport": "GraphQL" })
        })
        .collect();
    let mut router = Router::new().route(
        "/",
        get(move || async move { Json(json!({ "apis": listing })) }),
    );
    for api in apis {
        let path = api.rules().path;
        router = router.route(
            path,
            any(graphql::handle).with_state(Endpoint {
                api,
                shared: Arc::clone(&shared),
            }),
        );
    }
    router.layer(tower_http::trace::TraceLayer::new_for_http())
}

/// The APIs served over GraphQL.
fn graphql_apis(options: &Options) -> Vec<Arc<dyn GraphqlApi>> {
    // FIXME: Greenhouse joins here when `greenhouse::GreenhouseApi` lands.
    let _ = options;
    Vec::new()
}
