//! One way to call the server in tests: build the router, send a request, read status, headers and JSON.

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use http_body_util::BodyExt;
use reference_server::{Options, ServerConfig};
use serde_json::{Value, json};
use tower::ServiceExt;

pub const GREENHOUSE: &str = "/greenhouse/graphql";

/// The fixtures' first Greenhouse API key, as a Basic header.
pub fn greenhouse_auth() -> String {
    credential("greenhouse_onboarding", "api_key")
}

pub fn credential(api: &str, name: &str) -> String {
    reference_server::fixtures::credentials(0)
        .into_iter()
        .find(|c| c.api == api && c.name == name)
        .unwrap_or_else(|| panic!("no fixture credential {api}/{name}"))
        .authorization
}

pub fn app() -> Router {
    reference_server::app(&Options::default())
}

pub fn app_with(config: ServerConfig) -> Router {
    reference_server::app(&Options {
        config,
        ..Options::default()
    })
}

#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
}

/// Sends any request; the body is read as JSON (or as a JSON string when it is not JSON).
pub async fn send(app: &Router, request: Request<Body>) -> Reply {
    let response = app
        .clone()
        .oneshot(request)
        .await
        .expect("the router answers");
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("a body")
        .to_bytes();
    let body = serde_json::from_slice(&bytes)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
    Reply {
        status,
        headers,
        body,
    }
}

/// POSTs a GraphQL request with the given Authorization header (if any).
pub async fn graphql(
    app: &Router,
    authorization: Option<&str>,
    query: &str,
    variables: Value,
) -> Reply {
    let mut request = Request::post(GREENHOUSE).header("content-type", "application/json");
    if let Some(authorization) = authorization {
        request = request.header("authorization", authorization);
    }
    let body = json!({ "query": query, "variables": variables }).to_string();
    send(app, request.body(Body::from(body)).unwrap()).await
}

/// POSTs a Greenhouse query with the fixture credentials.
pub async fn greenhouse(app: &Router, query: &str) -> Reply {
    graphql(app, Some(&greenhouse_auth()), query, Value::Null).await
}
