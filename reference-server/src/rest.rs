//! REST over the same pipeline: every field bound with `@rest` becomes a route, so no route table can drift from the
//! schema. A request's path, query and body parameters (`@restParam`) become the variables of a GraphQL operation
//! that selects the whole result; the result's value is the response body, and its error's code is the HTTP status
//! (`@errorFormat(style: HTTP_STATUS)`), with a JSON `{"error": message}` body.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use apollo_compiler::Schema;
use apollo_compiler::ast::Type;
use apollo_compiler::schema::ExtendedType;
use axum::body::Body;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, MethodRouter, on};
use axum::{Extension, Router};
use runtime::ErrorCode;
use runtime::apollo_compiler;
use runtime::response::{JsonMap, JsonValue};
use runtime::rules::{FieldRules, HttpMethod, ParamLocation, RestBinding};
use serde_json::{Value, json};

use crate::api::{GraphqlApi, RateLimitInfo};
use crate::connections::ClientAddress;
use crate::faults::{Fault, Faults};
use crate::pipeline::{self, Admission, GraphqlRequest, Rejection, Shared};
use crate::rest_input;
use crate::transport::OperationName;

/// One REST route: the field it calls and the operation that calls it.
#[derive(Clone)]
struct Route {
    api: Arc<dyn GraphqlApi>,
    shared: Arc<Shared>,
    field: &'static FieldRules,
    binding: &'static RestBinding,
    /// The operation selecting the whole result of the field, with one variable per argument.
    operation: Arc<str>,
    /// Each argument's GraphQL type, for reading path and query strings.
    argument_types: Arc<HashMap<String, Type>>,
}

impl Route {
    fn needs_body(&self) -> bool {
        self.binding
            .params
            .iter()
            .any(|p| p.location == ParamLocation::Body)
    }
}

/// The routes of every `@rest` field of an API, under its `@api(path:)`.
pub fn routes(api: Arc<dyn GraphqlApi>, shared: Arc<Shared>) -> Router {
    let rules = api.rules();
    let schema = api.engine().schema();
    let mut by_path: BTreeMap<String, (MethodRouter, Vec<&str>)> = BTreeMap::new();
    for field in rules.fields.iter() {
        let Some(binding) = &field.rest else { continue };
        let Some((operation, argument_types)) = operation_for(schema, field) else {
            continue;
        };
        // The route's own operation is trusted and always the same: prepared and cached once, here, so that no
        // request waits for it (nor do concurrent PUTs of one member drift apart in time).
        if let Err(errors) = api.engine().prepare(&operation) {
            tracing::error!(
                ?errors,
                operation,
                "a REST route's operation does not validate"
            );
            continue;
        }
        let route = Route {
            api: Arc::clone(&api),
            shared: Arc::clone(&shared),
            field,
            binding,
            operation: operation.into(),
            argument_types: Arc::new(argument_types),
        };
        let filter = match binding.method {
            HttpMethod::Get => MethodFilter::GET,
            HttpMethod::Post => MethodFilter::POST,
            HttpMethod::Put => MethodFilter::PUT,
            HttpMethod::Patch => MethodFilter::PATCH,
            HttpMethod::Delete => MethodFilter::DELETE,
        };
        let path = format!("{}{}", rules.path, binding.path);
        let method_router = on(filter, handle).with_state(route);
        let (merged, mut methods) = match by_path.remove(&path) {
            Some((existing, methods)) => (existing.merge(method_router), methods),
            None => (method_router, Vec::new()),
        };
        methods.push(binding.method.as_str());
        if binding.method == HttpMethod::Get {
            methods.push("HEAD");
        }
        by_path.insert(path, (merged, methods));
    }
    // FAULT(unserved-method-not-found): a method the path does not serve is answered as an unknown path.
    let unserved_not_found = shared.faults().is_active(Fault::UnservedMethodNotFound);
    by_path.into_iter().fold(
        Router::new(),
        |router, (path, (method_router, mut methods))| {
            methods.sort_unstable();
            let allowed = methods.join(", ");
            router.route(
                &path,
                method_router.fallback(move || {
                    let allowed = allowed.clone();
                    async move {
                        if unserved_not_found {
                            not_found().await
                        } else {
                            method_not_allowed(&allowed)
                        }
                    }
                }),
            )
        },
    )
}

/// Where clients reach the server, for absolute links: the configured public base URL (without a trailing slash),
/// or else `http://host[:port]` from the `Host` header, when it is a valid authority (the server speaks plain HTTP; a
/// proxy that terminates TLS says so in `X-Forwarded-Proto`).
pub fn origin(config: &crate::ServerConfig, headers: &HeaderMap) -> Option<String> {
    if let Some(base) = &config.public_base_url {
        return Some(base.trim_end_matches('/').to_owned());
    }
    let host = headers.get(header::HOST)?.to_str().ok()?;
    let authority: axum::http::uri::Authority = host.parse().ok()?;
    let scheme = match headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
    {
        Some(proto) if proto.eq_ignore_ascii_case("https") => "https",
        _ => "http",
    };
    Some(format!("{scheme}://{authority}"))
}

/// A method the path does not serve: 405 with `Allow` and the API's error body (axum's own 405 has no body).
fn method_not_allowed(allowed: &str) -> Response {
    let mut response = (
        StatusCode::METHOD_NOT_ALLOWED,
        axum::Json(json!({ "error": format!("Method not allowed: this path serves {allowed}") })),
    )
        .into_response();
    if let Ok(value) = HeaderValue::from_str(allowed) {
        response.headers_mut().insert(header::ALLOW, value);
    }
    response
}

/// `query|mutation Rest($a: T, ...) { field(a: $a, ...) { everything } }`.
fn operation_for(schema: &Schema, field: &FieldRules) -> Option<(String, HashMap<String, Type>)> {
    let root = schema.types.get(&*field.type_name)?;
    let ExtendedType::Object(object) = root else {
        return None;
    };
    let definition = object.fields.get(&*field.field_name)?;
    let keyword = if schema
        .schema_definition
        .mutation
        .as_ref()
        .is_some_and(|m| m.as_str() == field.type_name)
    {
        "mutation"
    } else {
        "query"
    };
    let variables: Vec<String> = definition
        .arguments
        .iter()
        .map(|a| format!("${}: {}", a.name, a.ty))
        .collect();
    let arguments: Vec<String> = definition
        .arguments
        .iter()
        .map(|a| format!("{0}: ${0}", a.name))
        .collect();
    let selection = selection(schema, definition.ty.inner_named_type(), 0);
    let wrap = |items: &[String]| {
        if items.is_empty() {
            String::new()
        } else {
            format!("({})", items.join(", "))
        }
    };
    let operation = format!(
        "{keyword} Rest{} {{ {}{} {selection} }}",
        wrap(&variables),
        field.field_name,
        wrap(&arguments)
    );
    let types = definition
        .arguments
        .iter()
        .map(|a| (a.name.to_string(), (*a.ty).clone()))
        .collect();
    Some((operation, types))
}

/// Every field without required arguments, objects expanded (to a fixed depth, so cycles end).
fn selection(schema: &Schema, type_name: &str, depth: usize) -> String {
    let fields = match schema.types.get(type_name) {
        Some(ExtendedType::Object(object)) => &object.fields,
        Some(ExtendedType::Interface(interface)) => &interface.fields,
        _ => return String::new(),
    };
    let inner: Vec<String> = fields
        .values()
        .filter(|f| {
            f.arguments
                .iter()
                .all(|a| !a.ty.is_non_null() || a.default_value.is_some())
        })
        .filter_map(|f| {
            let named = f.ty.inner_named_type();
            match schema.types.get(named.as_str()) {
                Some(ExtendedType::Object(_) | ExtendedType::Interface(_)) if depth < 4 => Some(
                    format!("{} {}", f.name, selection(schema, named, depth + 1)),
                ),
                Some(
                    ExtendedType::Object(_) | ExtendedType::Interface(_) | ExtendedType::Union(_),
                ) => None,
                _ => Some(f.name.to_string()),
            }
        })
        .collect();
    format!("{{ {} }}", inner.join(" "))
}

async fn handle(
    State(route): State<Route>,
    path: Result<Path<HashMap<String, String>>, PathRejection>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
    headers: HeaderMap,
    client: Option<Extension<ClientAddress>>,
    body: Body,
) -> Response {
    let faults = route.shared.faults();
    // A body past the size limit or the deadline is refused unread, before anything else.
    let body = if route.needs_body() {
        match read_body(&route, body).await {
            Ok(bytes) => Some(bytes),
            Err((status, message)) => return error(status, &message, None, faults),
        }
    } else {
        None
    };
    let (variables, input_error) = match read_input(&route, path, query, &headers, body.as_deref())
    {
        Ok(variables) => (variables, None),
        Err(input_error) => (JsonMap::new(), Some(input_error)),
    };
    let authorization = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let request = GraphqlRequest {
        query: route.operation.to_string(),
        operation_name: None,
        variables,
        authorization,
        read_only: false,
        origin: origin(&route.shared.options.config, &headers),
        client: client.map(|Extension(ClientAddress(ip))| ip),
    };
    // Credentials, quota and scopes first, then the request's own errors: a caller hears 401, 429 and 403 before
    // 400, and a malformed request still counts against the quota.
    let admitted = match pipeline::admit(&route.api, &route.shared, request).await {
        Ok(Admission::Admitted(admitted)) => admitted,
        Ok(Admission::Refused(outcome)) => return from_outcome(&route, outcome),
        Err(Rejection::MutationOverGet) => {
            return error(
                StatusCode::METHOD_NOT_ALLOWED,
                "this method cannot change data",
                None,
                faults,
            );
        }
    };
    if let Some((status, message)) = input_error {
        return error(status, &message, admitted.rate_limit(), faults);
    }
    let outcome = pipeline::execute(&route.api, &route.shared, *admitted).await;
    let mut response = from_outcome(&route, outcome);
    response
        .extensions_mut()
        .insert(OperationName(route.field.field_name.to_string()));
    response
}

/// The result's value as the body, or its first error as a status and `{"error": message}`.
fn from_outcome(route: &Route, outcome: pipeline::Outcome) -> Response {
    let faults = route.shared.faults();
    // The operation selects the one field: its value's text is the body, copied as the executor wrote it.
    let value = outcome
        .response
        .data
        .as_ref()
        .and_then(|data| data.only_field(&route.field.field_name))
        .filter(|value| *value != b"null");
    match (outcome.response.errors.first(), value) {
        (None, Some(value)) => {
            let mut response = (
                StatusCode::OK,
                [(header::CONTENT_TYPE, "application/json")],
                value.to_vec(),
            )
                .into_response();
            rate_limit_headers(&mut response, outcome.rate_limit, faults);
            response
        }
        (Some(first), _) => error(
            status(route.api.as_ref(), first.code),
            &first.message,
            outcome.rate_limit,
            faults,
        ),
        (None, None) => error(
            StatusCode::NOT_FOUND,
            "Not found",
            outcome.rate_limit,
            faults,
        ),
    }
}

/// The operation's variables from the path, query string and body (`@restParam`), or the first thing wrong with
/// them as a status and message.
fn read_input(
    route: &Route,
    path: Result<Path<HashMap<String, String>>, PathRejection>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
    headers: &HeaderMap,
    body: Option<&[u8]>,
) -> Result<JsonMap, (StatusCode, String)> {
    // The extractors' own rejections are plain text: answer in the API's format instead.
    let Path(path) = path.map_err(|r| (StatusCode::BAD_REQUEST, r.body_text()))?;
    let Query(query) = query.map_err(|r| (StatusCode::BAD_REQUEST, r.body_text()))?;
    let body = match body {
        Some(bytes) => parse_body(headers, bytes)?,
        None => serde_json::Map::new(),
    };
    let schema = route.api.engine().schema();
    let mut variables = JsonMap::new();
    for param in route.binding.params.iter() {
        let ty = &route.argument_types[&*param.argument];
        let value = match param.location {
            ParamLocation::Path => path
                .get(&*param.wire_name)
                .map(|text| rest_input::from_text(schema, text, ty)),
            ParamLocation::Query => query
                .get(&*param.wire_name)
                .map(|text| rest_input::from_text(schema, text, ty)),
            ParamLocation::Body => body
                .get(&*param.wire_name)
                .map(|value| rest_input::check_json(schema, value, ty).map(|()| value.clone())),
        };
        match value {
            Some(Ok(value)) => {
                variables.insert(
                    &*param.argument,
                    serde_json::from_value::<JsonValue>(value).unwrap_or(JsonValue::Null),
                );
            }
            Some(Err(message)) => {
                return Err((
                    StatusCode::BAD_REQUEST,
                    format!("`{}` {message}", param.wire_name),
                ));
            }
            None if rest_input::required(schema, route.field, &param.argument) => {
                return Err((
                    StatusCode::BAD_REQUEST,
                    format!("`{}` is required", param.wire_name),
                ));
            }
            None => {}
        }
    }
    Ok(variables)
}

/// The body's bytes, or why they could not be read.
async fn read_body(route: &Route, body: Body) -> Result<axum::body::Bytes, (StatusCode, String)> {
    let config = &route.shared.options.config;
    crate::transport::read_body(body, config.max_body_bytes, &config.http).await
}

fn parse_body(
    headers: &HeaderMap,
    bytes: &[u8],
) -> Result<serde_json::Map<String, Value>, (StatusCode, String)> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .eq_ignore_ascii_case("application/json")
    {
        return Err((
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "the body must be application/json".to_owned(),
        ));
    }
    match serde_json::from_slice(bytes) {
        Ok(Value::Object(object)) => Ok(object),
        Ok(_) => Err((
            StatusCode::BAD_REQUEST,
            "the body must be a JSON object".to_owned(),
        )),
        Err(e) => Err((
            StatusCode::BAD_REQUEST,
            format!("the body is not valid JSON: {e}"),
        )),
    }
}

/// The HTTP status of an error code: under `@errorFormat(style: HTTP_STATUS)` the API spells its codes as statuses.
fn status(api: &dyn GraphqlApi, code: ErrorCode) -> StatusCode {
    StatusCode::from_bytes(api.error_code(code).as_bytes())
        .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

/// The answer to a path no route serves, in the REST error format.
pub async fn not_found() -> Response {
    error_body(StatusCode::NOT_FOUND, "Not found")
}

fn error(
    status: StatusCode,
    message: &str,
    rate_limit: Option<RateLimitInfo>,
    faults: &Faults,
) -> Response {
    let mut response = error_body(status, message);
    rate_limit_headers(&mut response, rate_limit, faults);
    response
}

/// `{"error": message}` with a status: the REST error format, also of paths that belong to no API.
pub fn error_body(status: StatusCode, message: &str) -> Response {
    (status, axum::Json(json!({ "error": message }))).into_response()
}

/// `X-Rate-Limit-Limit`, `-Remaining` and `-Reset` (the Unix time the next window starts).
pub fn rate_limit_headers(
    response: &mut Response,
    rate_limit: Option<RateLimitInfo>,
    faults: &Faults,
) {
    let Some(info) = rate_limit else { return };
    let remaining = if faults.is_active(Fault::RateLimitHeadersLie) {
        info.limit
    } else {
        info.remaining
    };
    let headers = response.headers_mut();
    for (name, value) in [
        ("x-rate-limit-limit", info.limit.to_string()),
        ("x-rate-limit-remaining", remaining.to_string()),
        ("x-rate-limit-reset", info.reset_at.timestamp().to_string()),
    ] {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(name, value);
        }
    }
}
