//! What every request passes through around its API, with tower-http's own layers where they exist: CORS, a
//! deadline on the whole request and on its body, the limit on the request target (414), transport errors (408,
//! 414 and any bare error status a layer produced) answered in the API's own error format, and one log line per
//! request.

use std::error::Error as _;
use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::timeout::{DeadlineBody, TimeoutError, TimeoutLayer};

use crate::graphql::{self, Endpoint};
use crate::options::HttpConfig;
use crate::rest;

/// How errors are written under a path prefix.
#[derive(Debug, Clone)]
pub enum ErrorFormat {
    /// A GraphQL endpoint: a request error in its API's format.
    Graphql(Endpoint),
    /// REST routes and everything else: `{"error": message}`.
    Rest,
}

/// The error format and API of each path prefix, longest first.
#[derive(Debug, Clone)]
pub struct Edge {
    prefixes: Vec<(String, Option<&'static str>, ErrorFormat)>,
    http: HttpConfig,
}

impl Edge {
    pub fn new(http: HttpConfig) -> Self {
        Edge {
            prefixes: Vec::new(),
            http,
        }
    }

    /// Requests under `prefix` belong to `api` and have their errors written in `format`.
    pub fn add(&mut self, prefix: String, api: &'static str, format: ErrorFormat) {
        self.prefixes.push((prefix, Some(api), format));
        self.prefixes
            .sort_by_key(|(prefix, _, _)| std::cmp::Reverse(prefix.len()));
    }

    fn of(&self, path: &str) -> (Option<&'static str>, &ErrorFormat) {
        self.prefixes
            .iter()
            .find(|(prefix, _, _)| {
                path.strip_prefix(prefix.as_str())
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
            })
            .map_or((None, &ErrorFormat::Rest), |(_, api, format)| {
                (*api, format)
            })
    }

    fn error(&self, path: &str, status: StatusCode, message: &str) -> Response {
        match self.of(path).1 {
            ErrorFormat::Graphql(endpoint) => {
                graphql::transport_error_json(endpoint, status, message)
            }
            ErrorFormat::Rest => rest::error_body(status, message),
        }
    }

    /// The message of a bare error status.
    fn message(&self, status: StatusCode) -> String {
        match status {
            StatusCode::REQUEST_TIMEOUT => format!(
                "the request did not complete within {} seconds",
                self.http.request_timeout_seconds
            ),
            _ => status
                .canonical_reason()
                .unwrap_or("the request could not be served")
                .to_owned(),
        }
    }
}

/// The operation a response answered, for the log line (set by the GraphQL and REST handlers).
#[derive(Debug, Clone)]
pub struct OperationName(pub String);

/// `router` inside the layers: the request deadline, the edge (target limit, body deadline, error format), CORS,
/// and the log line outermost, so that every answer, a preflight included, is logged.
pub fn layers(router: Router, edge: Edge) -> Router {
    let cors = cors(&edge.http.cors_allowed_origins);
    let timeout =
        TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, edge.http.request_timeout());
    let edge = Arc::new(edge);
    router
        .layer(timeout)
        .layer(middleware::from_fn_with_state(Arc::clone(&edge), guard))
        .layer(cors)
        .layer(middleware::from_fn_with_state(edge, log))
}

/// Refuses an overlong target, puts a deadline on the body, and writes bare error statuses in the API's format.
async fn guard(State(edge): State<Arc<Edge>>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let target = request
        .uri()
        .path_and_query()
        .map_or(0, |pq| pq.as_str().len());
    if target > edge.http.max_uri_bytes {
        let message = format!(
            "the request target is {target} bytes long; the limit is {} (send GraphQL documents with POST)",
            edge.http.max_uri_bytes
        );
        return edge.error(&path, StatusCode::URI_TOO_LONG, &message);
    }
    let deadline = edge.http.body_read_timeout();
    let request = request.map(|body| Body::new(DeadlineBody::new(deadline, body)));
    let response = next.run(request).await;
    let status = response.status();
    if (status.is_client_error() || status.is_server_error())
        && !response.headers().contains_key(header::CONTENT_TYPE)
    {
        let (parts, _) = response.into_parts();
        let mut formatted = edge.error(&path, status, &edge.message(status));
        for (name, value) in &parts.headers {
            if name != header::CONTENT_LENGTH && name != header::CONTENT_TYPE {
                formatted.headers_mut().append(name, value.clone());
            }
        }
        return formatted;
    }
    response
}

/// One line per request at info level: method, path (never the query string, which may carry secrets), status,
/// time, API and operation.
async fn log(State(edge): State<Arc<Edge>>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    let api = edge.of(&path).0.unwrap_or("-");
    let operation = response
        .extensions()
        .get::<OperationName>()
        .map_or("-", |name| name.0.as_str());
    tracing::info!(
        target: "reference_server::request",
        "{method} {path} {} {:.1}ms api={api} operation={operation}",
        response.status().as_u16(),
        started.elapsed().as_secs_f64() * 1000.0,
    );
    response
}

/// CORS from the configured origins: `*` for any, a list, or (empty) pages served from loopback only.
fn cors(origins: &[String]) -> CorsLayer {
    let allow_origin = if origins.iter().any(|o| o == "*") {
        AllowOrigin::any()
    } else if origins.is_empty() {
        AllowOrigin::predicate(|origin: &HeaderValue, _| is_loopback(origin))
    } else {
        AllowOrigin::list(origins.iter().filter_map(|o| HeaderValue::from_str(o).ok()))
    };
    CorsLayer::new()
        .allow_origin(allow_origin)
        .allow_methods([Method::GET, Method::POST, Method::PUT, Method::OPTIONS])
        .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE, header::ACCEPT])
        .expose_headers([
            header::HeaderName::from_static("x-rate-limit-limit"),
            header::HeaderName::from_static("x-rate-limit-remaining"),
            header::HeaderName::from_static("x-rate-limit-reset"),
        ])
        .max_age(std::time::Duration::from_secs(600))
}

/// `http://localhost[:port]`, `http://127.x.y.z[:port]`, `http://[::1][:port]` (and https).
fn is_loopback(origin: &HeaderValue) -> bool {
    let Ok(origin) = origin.to_str() else {
        return false;
    };
    let Some(rest) = origin
        .strip_prefix("http://")
        .or_else(|| origin.strip_prefix("https://"))
    else {
        return false;
    };
    let host = match rest.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => rest.split(':').next().unwrap_or(""),
    };
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// A request body of at most `limit` bytes, or why it could not be read: too large (413), not in time (408), or
/// broken off (400).
pub async fn read_body(
    body: Body,
    limit: usize,
    http: &HttpConfig,
) -> Result<Bytes, (StatusCode, String)> {
    axum::body::to_bytes(body, limit).await.map_err(|error| {
        let mut source: Option<&(dyn std::error::Error + 'static)> = error.source();
        while let Some(cause) = source {
            if cause.is::<TimeoutError>() {
                return (
                    StatusCode::REQUEST_TIMEOUT,
                    format!(
                        "the body did not arrive within {} seconds",
                        http.body_read_timeout_seconds
                    ),
                );
            }
            if cause.is::<http_body_util::LengthLimitError>() {
                return (
                    StatusCode::PAYLOAD_TOO_LARGE,
                    format!("the body is larger than {limit} bytes"),
                );
            }
            source = cause.source();
        }
        (
            StatusCode::BAD_REQUEST,
            format!("the body could not be read: {error}"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_origins() {
        for origin in [
            "http://localhost:3000",
            "http://127.0.0.1:8080",
            "https://localhost",
            "http://[::1]:5173",
        ] {
            assert!(is_loopback(&HeaderValue::from_static(origin)), "{origin}");
        }
        for origin in [
            "http://example.com",
            "http://localhost.evil.com",
            "null",
            "http://10.0.0.1",
        ] {
            assert!(!is_loopback(&HeaderValue::from_static(origin)), "{origin}");
        }
    }
}
