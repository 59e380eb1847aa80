//! GraphQL over HTTP (the graphql-over-http draft): POST with `application/json`, GET for queries (a mutation over
//! GET is 405), `application/graphql-response+json` negotiated by `Accept`, a GraphiQL page for browsers, and a clear
//! error in the API's format for every malformed request.
//!
//! Status codes: under `application/json` everything that reaches GraphQL is 200 (as the Greenhouse document
//! promises); under `application/graphql-response+json` a request error is 4xx (parse and validation 400,
//! authentication 401, authorization 403, quota 429). A quota declared `exceeded: HTTP_429` is 429 under both, with
//! `Retry-After`. Malformed HTTP is 400, 405, 406, 413 or 415 either way.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Extension;
use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use runtime::ErrorCode;
use runtime::response::{JsonMap, Response as GraphqlResponse, ResponseError};
use serde_json::Value;

use crate::api::GraphqlApi;
use crate::connections::ClientAddress;
use crate::faults::Fault;
use crate::pipeline::{self, GraphqlRequest, Rejection, Shared};
use crate::render;
use crate::transport::OperationName;

const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json";
const JSON: &str = "application/json";

/// One GraphQL endpoint: an API and the server's shared state.
#[derive(Clone)]
pub struct Endpoint {
    pub api: Arc<dyn GraphqlApi>,
    pub shared: Arc<Shared>,
}

impl std::fmt::Debug for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Endpoint")
            .field("api", &self.api.rules().name)
            .finish_non_exhaustive()
    }
}

/// The media type of the response, from `Accept`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MediaType {
    Json,
    GraphqlResponseJson,
}

pub async fn handle(
    State(endpoint): State<Endpoint>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    client: Option<Extension<ClientAddress>>,
    body: Body,
) -> Response {
    let accept = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if method == Method::GET
        && wants_html(accept)
        && uri.query().is_none_or(|q| !q.contains("query="))
    {
        let rules = endpoint.api.rules();
        let path = uri.path();
        return crate::graphiql::page(
            path,
            &rules.title,
            &rules.name,
            endpoint.shared.options.seed,
        )
        .into_response();
    }
    let Some(media) = negotiate(accept) else {
        return transport_error(
            &endpoint,
            MediaType::Json,
            StatusCode::NOT_ACCEPTABLE,
            format!(
                "cannot answer with `{accept}`: accepted are {JSON} and {GRAPHQL_RESPONSE_JSON}"
            ),
        );
    };
    let authorization = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let request = match method {
        Method::GET => from_query(&uri),
        Method::POST => from_body(&endpoint, &headers, body).await,
        _ => {
            let mut response = transport_error(
                &endpoint,
                media,
                StatusCode::METHOD_NOT_ALLOWED,
                format!("method {method} is not allowed: use POST (or GET for queries)"),
            );
            response
                .headers_mut()
                .insert(header::ALLOW, HeaderValue::from_static("GET, POST"));
            return response;
        }
    };
    let (query, operation_name, variables) = match request {
        Ok(parts) => parts,
        Err((status, message)) => return transport_error(&endpoint, media, status, message),
    };
    let request = GraphqlRequest {
        query,
        operation_name,
        variables,
        authorization,
        // FAULT(mutation-over-get-executed): GET runs mutations too.
        read_only: method == Method::GET
            && !endpoint
                .shared
                .faults()
                .is_active(Fault::MutationOverGetExecuted),
        origin: crate::rest::origin(&endpoint.shared.options.config, &headers),
        client: client.map(|Extension(ClientAddress(ip))| ip),
    };
    answer(&endpoint, media, request).await
}

/// The pipeline's outcome as an HTTP response.
async fn answer(endpoint: &Endpoint, media: MediaType, request: GraphqlRequest) -> Response {
    match pipeline::run(&endpoint.api, &endpoint.shared, request).await {
        Ok(outcome) => {
            let operation = outcome.operation.clone();
            let mut response = graphql_response(endpoint, media, outcome.response);
            if let Some(name) = operation {
                response.extensions_mut().insert(OperationName(name));
            }
            if response.status() == StatusCode::TOO_MANY_REQUESTS
                && let Some(info) = outcome.rate_limit
            {
                retry_after(&mut response, info.reset_at);
            }
            if reports_in_headers(endpoint.api.rules()) {
                crate::rest::rate_limit_headers(
                    &mut response,
                    outcome.rate_limit,
                    endpoint.shared.faults(),
                );
            }
            response
        }
        Err(Rejection::MutationOverGet) => {
            let mut response = transport_error(
                endpoint,
                media,
                StatusCode::METHOD_NOT_ALLOWED,
                "mutations are only allowed over POST",
            );
            response
                .headers_mut()
                .insert(header::ALLOW, HeaderValue::from_static("POST"));
            response
        }
    }
}

type Parts = (String, Option<String>, JsonMap);
type Refusal = (StatusCode, String);

fn from_query(uri: &Uri) -> Result<Parts, Refusal> {
    let Query(params) = Query::<HashMap<String, String>>::try_from_uri(uri).map_err(|e| {
        (
            StatusCode::BAD_REQUEST,
            format!("the query string is malformed: {e}"),
        )
    })?;
    let query = params.get("query").cloned().ok_or((
        StatusCode::BAD_REQUEST,
        "the request has no `query` parameter".to_owned(),
    ))?;
    let variables = match params.get("variables") {
        Some(text) => {
            let value: Value = serde_json::from_str(text).map_err(|e| {
                (
                    StatusCode::BAD_REQUEST,
                    format!("`variables` is not JSON: {e}"),
                )
            })?;
            variables(value)?
        }
        None => JsonMap::new(),
    };
    Ok((
        query,
        params
            .get("operationName")
            .cloned()
            .filter(|n| !n.is_empty()),
        variables,
    ))
}

async fn from_body(endpoint: &Endpoint, headers: &HeaderMap, body: Body) -> Result<Parts, Refusal> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if essence != JSON {
        let shown = if content_type.is_empty() {
            "no content type".to_owned()
        } else {
            format!("`{content_type}`")
        };
        return Err((
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format!("POST bodies must be {JSON}, not {shown}"),
        ));
    }
    let config = &endpoint.shared.options.config;
    let bytes = crate::transport::read_body(body, config.max_body_bytes, &config.http).await?;
    // FAULT(malformed-body-server-error): a body that is not JSON is answered as a server error.
    let unreadable = if endpoint
        .shared
        .faults()
        .is_active(Fault::MalformedBodyServerError)
    {
        StatusCode::INTERNAL_SERVER_ERROR
    } else {
        StatusCode::BAD_REQUEST
    };
    let value: Value = serde_json::from_slice(&bytes)
        .map_err(|e| (unreadable, format!("the body is not valid JSON: {e}")))?;
    let Value::Object(mut object) = value else {
        return Err((
            StatusCode::BAD_REQUEST,
            "the body must be a JSON object with a `query`".to_owned(),
        ));
    };
    let query = match object.remove("query") {
        Some(Value::String(query)) => query,
        Some(_) => {
            return Err((
                StatusCode::BAD_REQUEST,
                "`query` must be a string".to_owned(),
            ));
        }
        None => {
            return Err((
                StatusCode::BAD_REQUEST,
                "the body has no `query`".to_owned(),
            ));
        }
    };
    let operation_name = match object.remove("operationName") {
        None | Some(Value::Null) => None,
        Some(Value::String(name)) => Some(name),
        Some(_) => {
            return Err((
                StatusCode::BAD_REQUEST,
                "`operationName` must be a string".to_owned(),
            ));
        }
    };
    let variables = variables(object.remove("variables").unwrap_or(Value::Null))?;
    Ok((query, operation_name, variables))
}

fn variables(value: Value) -> Result<JsonMap, Refusal> {
    match value {
        Value::Null => Ok(JsonMap::new()),
        Value::Object(_) => serde_json::from_value(value).map_err(|e| {
            (
                StatusCode::BAD_REQUEST,
                format!("`variables` is unreadable: {e}"),
            )
        }),
        _ => Err((
            StatusCode::BAD_REQUEST,
            "`variables` must be a JSON object".to_owned(),
        )),
    }
}

fn graphql_response(endpoint: &Endpoint, media: MediaType, response: GraphqlResponse) -> Response {
    let status = match (media, pipeline::request_error_code(&response)) {
        // A document that does not parse, answered with the status the API declares (Worksome's gateway: 400).
        // FAULT(parse-failure-as-200): the declared status is not applied.
        (_, Some(ErrorCode::ParseFailed))
            if let Some(status) = parse_failure_status(endpoint.api.rules())
                && !endpoint.shared.faults().is_active(Fault::ParseFailureAs200) =>
        {
            status
        }
        // A quota declared `exceeded: HTTP_429` (Healthmov) is refused with 429 under either media type: for an
        // API without error codes, the status is how a client tells a spent quota from other errors.
        // FAULT(quota-refusal-unmarked): the refusal goes out as HTTP 200, like any other error.
        (_, Some(ErrorCode::RateLimited))
            if refuses_with_429(endpoint.api.rules())
                && !endpoint
                    .shared
                    .faults()
                    .is_active(Fault::QuotaRefusalUnmarked) =>
        {
            StatusCode::TOO_MANY_REQUESTS
        }
        (MediaType::Json, _) | (_, None) => StatusCode::OK,
        (MediaType::GraphqlResponseJson, Some(code)) => match code {
            ErrorCode::Unauthenticated => StatusCode::UNAUTHORIZED,
            ErrorCode::Forbidden => StatusCode::FORBIDDEN,
            ErrorCode::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            ErrorCode::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            _ => StatusCode::BAD_REQUEST,
        },
    };
    let body = render::into_bytes(endpoint.api.as_ref(), response, endpoint.shared.faults());
    json_response(media, status, body)
}

/// A transport error found around the endpoint (a timeout, an overlong target), in the API's format as JSON.
pub fn transport_error_json(endpoint: &Endpoint, status: StatusCode, message: &str) -> Response {
    transport_error(endpoint, MediaType::Json, status, message)
}

/// A malformed request, answered as a request error in the API's format.
fn transport_error(
    endpoint: &Endpoint,
    media: MediaType,
    status: StatusCode,
    message: impl Into<String>,
) -> Response {
    let response =
        GraphqlResponse::request_error(ResponseError::new(ErrorCode::ValidationFailed, message));
    json_response(
        media,
        status,
        render::to_bytes(endpoint.api.as_ref(), &response, endpoint.shared.faults()),
    )
}

fn json_response(media: MediaType, status: StatusCode, body: Vec<u8>) -> Response {
    let content_type = match media {
        MediaType::Json => "application/json; charset=utf-8",
        MediaType::GraphqlResponseJson => "application/graphql-response+json; charset=utf-8",
    };
    (status, [(header::CONTENT_TYPE, content_type)], body).into_response()
}

/// The preferred supported type of an `Accept` header: the highest `q`; on a tie, `application/graphql-response+json`
/// when named explicitly. An absent or empty header means `application/json`.
fn negotiate(accept: &str) -> Option<MediaType> {
    if accept.trim().is_empty() {
        return Some(MediaType::Json);
    }
    accept
        .split(',')
        .filter_map(|range| {
            let mut parts = range.split(';');
            let essence = parts.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            let media = match essence.as_str() {
                GRAPHQL_RESPONSE_JSON => MediaType::GraphqlResponseJson,
                JSON | "application/*" | "*/*" => MediaType::Json,
                _ => return None,
            };
            (q > 0.0).then_some((q, media == MediaType::GraphqlResponseJson, media))
        })
        .max_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)))
        .map(|(_, _, media)| media)
}

fn refuses_with_429(rules: &runtime::rules::ApiRules) -> bool {
    rules
        .rate_limits
        .iter()
        .any(|r| r.exceeded == runtime::rules::RateLimitExceeded::Http429)
}

/// `Retry-After`: whole seconds until the quota resets (at least 1), as RFC 9110 gives it.
fn retry_after(response: &mut Response, reset_at: chrono::DateTime<chrono::Utc>) {
    let seconds = (reset_at - chrono::Utc::now()).num_seconds().max(1);
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
}

fn reports_in_headers(rules: &runtime::rules::ApiRules) -> bool {
    rules
        .rate_limits
        .iter()
        .any(|r| r.reported_by == runtime::rules::RateLimitReport::Headers)
}

fn wants_html(accept: &str) -> bool {
    accept.split(',').any(|range| {
        range
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .eq_ignore_ascii_case("text/html")
    })
}

/// The declared status of the answer to a document that does not parse (`@errorFormat(parseFailureStatus:)`).
fn parse_failure_status(rules: &runtime::rules::ApiRules) -> Option<StatusCode> {
    let status = rules.error_format.as_ref()?.parse_failure_status?;
    StatusCode::from_u16(status).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_negotiation() {
        assert_eq!(negotiate(""), Some(MediaType::Json));
        assert_eq!(negotiate("application/json"), Some(MediaType::Json));
        assert_eq!(
            negotiate("application/graphql-response+json"),
            Some(MediaType::GraphqlResponseJson)
        );
        assert_eq!(
            negotiate("application/graphql-response+json, application/json;q=0.9"),
            Some(MediaType::GraphqlResponseJson)
        );
        assert_eq!(
            negotiate("application/json, application/graphql-response+json;q=0.5"),
            Some(MediaType::Json)
        );
        assert_eq!(negotiate("*/*"), Some(MediaType::Json));
        assert_eq!(negotiate("text/plain"), None);
        assert_eq!(negotiate("application/json;q=0"), None);
    }
}
