//! The reference server: the four HR APIs served as their documents describe, from the traits generated from
//! `schemas/`. [`app`] builds the axum router; the binary adds the command line, logging and graceful shutdown.
//!
//! Only this crate knows HTTP. Each API implements [`api::GraphqlApi`] over its own in-memory store; the shared layer
//! ([`pipeline`], [`graphql`]) authenticates through it, enforces the rules table (roles, scopes, rate limits,
//! complexity) and renders errors in the API's own format ([`render`]).

pub mod api;
pub mod connections;
pub mod entities;
pub mod faults;
pub mod fixtures;
pub mod graphiql;
pub mod graphql;
pub mod greenhouse;
pub mod healthmov;
pub mod options;
pub mod pipeline;
pub mod rate_limit;
pub mod render;
pub mod rest;
mod rest_input;
#[cfg(test)]
mod served;
pub mod transport;
pub mod workable;
pub mod worksome;

use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::routing::{any, get};
use runtime::rules::Transport;
use serde_json::json;

pub use faults::{Fault, Faults};
pub use options::{Options, ServerConfig};

use crate::api::GraphqlApi;
use crate::graphql::Endpoint;
use crate::pipeline::Shared;
use crate::transport::{Edge, ErrorFormat};

/// Threads of the pool that runs executions: one per core of the machines this is measured on.
const EXECUTION_THREADS: usize = 2;

/// The router serving every API, and `/` listing them. A REST API's routes come from its `@rest` bindings, and it
/// answers GraphQL too, at `<path>/graphql`.
pub fn app(options: &Options) -> Router {
    let shared = Arc::new(Shared::new(options, EXECUTION_THREADS));
    let mut listing = Vec::new();
    let mut router = Router::new();
    let mut edge = Edge::new(options.config.http.clone());
    for api in graphql_apis(options) {
        let rules = api.rules();
        let graphql_path = match rules.transport {
            Transport::Graphql => rules.path.to_string(),
            Transport::Rest => {
                router = router.merge(rest::routes(Arc::clone(&api), Arc::clone(&shared)));
                edge.add(rules.path.to_string(), &rules.name, ErrorFormat::Rest);
                format!("{}/graphql", rules.path)
            }
        };
        listing.push(json!({
            "name": rules.name,
            "title": rules.title,
            "document": rules.document,
            "graphql": graphql_path,
            "rest": (rules.transport == Transport::Rest).then_some(&*rules.path),
        }));
        let endpoint = Endpoint {
            api,
            shared: Arc::clone(&shared),
        };
        edge.add(
            graphql_path.clone(),
            &rules.name,
            ErrorFormat::Graphql(endpoint.clone()),
        );
        router = router.route(&graphql_path, any(graphql::handle).with_state(endpoint));
    }
    let router = router
        .route(
            "/",
            get(move || async move { Json(json!({ "apis": listing })) }),
        )
        .route("/graphiql/{file}", get(graphiql::asset))
        .fallback(rest::not_found);
    transport::layers(router, edge)
}

/// Serves [`app`] on a listener until `shutdown` completes, finishing open requests: what the binary does, for
/// callers that embed the server (the conformance harness, tests).
pub async fn serve(
    listener: tokio::net::TcpListener,
    options: &Options,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    connections::serve(listener, app(options), &options.config.http, shutdown).await
}

/// The APIs served over GraphQL.
fn graphql_apis(options: &Options) -> Vec<Arc<dyn GraphqlApi>> {
    let limits = options.config.limits;
    let (seed, faults) = (options.seed, &options.faults);
    vec![
        Arc::new(greenhouse::GreenhouseApi::new(seed, faults.clone(), limits)),
        Arc::new(workable::WorkableApi::new(seed, faults.clone(), limits)),
        Arc::new(healthmov::HealthmovApi::new(
            seed,
            faults.clone(),
            limits,
            options.config.healthmov.clone(),
        )),
        Arc::new(worksome::WorksomeApi::new(seed, faults.clone(), limits)),
    ]
}
