//! E6: the errors of a REST API (`@errorFormat(style: HTTP_STATUS)`): random invalid requests built from the `@rest`
//! bindings (query values of the wrong type, unknown enum values, unknown paths and accounts, methods no route
//! serves, malformed, wrongly typed or incomplete bodies and wrong media types) get a 4xx with a JSON object whose
//! `error` is a non-empty string (for a method no route serves, 405 with an `Allow` header too), no internals, and
//! never a server error; a route's refusal of an authenticated request carries the `X-Rate-Limit-*` headers when
//! the API reports its quota there. Bodies name no existing member, so nothing is written whatever the target does.

use proptest::prelude::*;
use runtime::rules::{ErrorStyle, FieldRules, HttpMethod, ParamLocation, RateLimitReport};
use serde_json::{Value, json};

use crate::client::Request;
use crate::ensure;
use crate::properties::made_up::minimal_json;
use crate::property::{Case, CaseResult, Check, Context, Group, Property, check, setup_failure};
use crate::rest::{self, Call, HeaderQuota};

pub static E6: Property = Property {
    id: "E6",
    name: "rest-errors",
    statement: "Invalid REST requests (query values of the wrong type, unknown paths, accounts and enum values, unserved methods, malformed or wrongly typed bodies, wrong media types) get a 4xx with a JSON {\"error\": message} body (405 with Allow for an unserved method), no internals, never a 5xx; with credentials, a route's refusal carries the quota headers when the API reports its quota in headers.",
    group: Group::Errors,
    writes: false,
    max_cases: None,
    run,
};

/// One invalid request, before it is placed on the target.
#[derive(Debug, Clone)]
enum Invalid {
    /// A query parameter with a value of the wrong type.
    QueryValue {
        field: &'static FieldRules,
        name: String,
        value: String,
    },
    /// A path below the prefix that no binding serves.
    UnknownPath { suffix: String },
    /// A path argument naming nothing.
    UnknownAccount {
        field: &'static FieldRules,
        word: String,
    },
    /// A method the route does not serve.
    Method {
        field: &'static FieldRules,
        method: &'static str,
    },
    /// A body that is malformed, wrongly typed or incomplete (under `--read-only`, none).
    Body {
        field: &'static FieldRules,
        content_type: Option<&'static str>,
        body: String,
    },
}

/// A wrong text for a query value of a type.
fn wrong_query_values(ty: &str, is_enum: bool) -> Vec<&'static str> {
    match ty {
        "Int" => vec!["abc", "1.5", "", "99999999999999999999", "-", "0x10"],
        "Float" => vec!["abc", ""],
        "Boolean" => vec!["maybe", "2"],
        _ if is_enum => vec!["ZZ_NOT_A_VALUE", "", "admin; drop"],
        _ => Vec::new(),
    }
}

/// A wrong JSON value for a body argument of a type.
fn wrong_json(cx: &Context<'_>, ty: &apollo_compiler::schema::Type) -> Vec<Value> {
    if ty.is_list() {
        return vec![json!("not a list"), json!({ "a": 1 }), json!([7])];
    }
    let name = ty.inner_named_type().as_str();
    match name {
        "Int" | "Float" => vec![json!("twelve"), json!(true)],
        "Boolean" => vec![json!("yes"), json!(1)],
        _ if cx.schema.schema.get_enum(name).is_some() => {
            vec![json!("ZZ_NOT_A_VALUE"), json!(7), Value::Null]
        }
        _ if cx.schema.schema.get_input_object(name).is_some() => {
            vec![json!("an object, not a string"), json!(5)]
        }
        _ => vec![json!(12), json!(true), json!({ "a": 1 })],
    }
}

fn run(cx: &Context<'_>) -> Check {
    if !rest::is_rest(cx.rules) {
        return Check::not_applicable("the API is not REST");
    }
    let fields: Vec<&'static FieldRules> = cx
        .rules
        .fields
        .iter()
        .filter(|f| f.rest.is_some())
        .collect();
    if fields.is_empty() {
        return Check::not_applicable("no @rest field");
    }
    let http_status =
        cx.rules.error_format.as_ref().map(|f| f.style) == Some(ErrorStyle::HttpStatus);
    let quota_in_headers = cx
        .rules
        .rate_limits
        .iter()
        .any(|r| r.reported_by == RateLimitReport::Headers);
    let mut options: Vec<BoxedStrategy<Invalid>> = Vec::new();
    // Query values of the wrong type.
    let mut query: Vec<(&'static FieldRules, String, Vec<&'static str>)> = Vec::new();
    for f in &fields {
        let Some(definition) = cx.schema.field(&f.type_name, &f.field_name) else {
            continue;
        };
        for p in f.rest.iter().flat_map(|b| b.params.iter()) {
            if p.location != ParamLocation::Query {
                continue;
            }
            let Some(a) = definition.arguments.iter().find(|a| a.name == *p.argument) else {
                continue;
            };
            let ty = a.ty.inner_named_type().as_str();
            let values = wrong_query_values(ty, cx.schema.schema.get_enum(ty).is_some());
            if !values.is_empty() {
                query.push((f, p.wire_name.to_string(), values));
            }
        }
    }
    if !query.is_empty() {
        options.push(
            (
                proptest::sample::select(query),
                any::<prop::sample::Index>(),
            )
                .prop_map(|((field, name, values), i)| Invalid::QueryValue {
                    field,
                    name,
                    value: values[i.index(values.len())].to_owned(),
                })
                .boxed(),
        );
    }
    options.push(
        "[a-z]{3,10}(/[a-z0-9]{1,6})?"
            .prop_map(|s| Invalid::UnknownPath {
                suffix: format!("/zz-{s}"),
            })
            .boxed(),
    );
    let with_path: Vec<&'static FieldRules> = fields
        .iter()
        .copied()
        .filter(|f| !rest::path_arguments(f).is_empty())
        .filter(|f| {
            !cx.settings.read_only || f.rest.as_ref().is_some_and(|b| b.method == HttpMethod::Get)
        })
        .collect();
    if !with_path.is_empty() {
        options.push(
            (proptest::sample::select(with_path), "[a-z]{6}")
                .prop_map(|(field, word)| Invalid::UnknownAccount { field, word })
                .boxed(),
        );
    }
    // Unserved methods are writes on most APIs: not against a production API.
    let methods = if cx.settings.read_only {
        Vec::new()
    } else {
        fields.clone()
    };
    // Every method a path does not serve, once each before the random cases (a random draw may miss them), and
    // among the random cases too.
    let unserved: Vec<Invalid> = methods
        .iter()
        .flat_map(|field| {
            ["DELETE", "POST", "PATCH"]
                .into_iter()
                .map(move |method| (*field, method))
        })
        .filter(|(field, method)| {
            field.rest.as_ref().is_some_and(|binding| {
                !cx.rules
                    .fields
                    .iter()
                    .filter_map(|f| f.rest.as_ref())
                    .any(|b| b.path == binding.path && b.method.as_str() == *method)
            })
        })
        .map(|(field, method)| Invalid::Method { field, method })
        .collect();
    if !unserved.is_empty() {
        options.push(proptest::sample::select(unserved.clone()).boxed());
    }
    if !cx.settings.read_only {
        let writes: Vec<&'static FieldRules> = fields
            .iter()
            .copied()
            .filter(|f| {
                f.rest.as_ref().is_some_and(|b| {
                    b.method != HttpMethod::Get
                        && b.params.iter().any(|p| p.location == ParamLocation::Body)
                })
            })
            .collect();
        for field in writes {
            let Some(definition) = cx.schema.field(&field.type_name, &field.field_name) else {
                continue;
            };
            let body_args: Vec<(String, apollo_compiler::schema::Type, bool)> = field
                .rest
                .iter()
                .flat_map(|b| b.params.iter())
                .filter(|p| p.location == ParamLocation::Body)
                .filter_map(|p| {
                    let a = definition
                        .arguments
                        .iter()
                        .find(|a| a.name == *p.argument)?;
                    Some((
                        p.wire_name.to_string(),
                        (*a.ty).clone(),
                        a.ty.is_non_null() && a.default_value.is_none(),
                    ))
                })
                .collect();
            // A valid body naming no existing object: every required argument, strings made up.
            let base_body = |word: &str| -> serde_json::Map<String, Value> {
                body_args
                    .iter()
                    .filter(|(_, _, required)| *required)
                    .filter_map(|(name, ty, _)| {
                        let value = match minimal_json(cx.schema, ty, 0)? {
                            Value::String(_)
                                if cx
                                    .schema
                                    .schema
                                    .get_enum(ty.inner_named_type().as_str())
                                    .is_none() =>
                            {
                                Value::String(format!("zz-conformance-{word}"))
                            }
                            v => v,
                        };
                        Some((name.clone(), value))
                    })
                    .collect()
            };
            let mut variants: Vec<(Option<&'static str>, String)> = vec![
                (Some("application/json"), "{".to_owned()),
                (Some("application/json"), "[]".to_owned()),
                (Some("application/json"), "null".to_owned()),
                (Some("application/json"), "\"a string\"".to_owned()),
                (Some("application/json"), "{}".to_owned()),
                (Some("application/json"), "\u{0}\u{1}".to_owned()),
                (
                    Some("text/plain"),
                    Value::Object(base_body("plain")).to_string(),
                ),
                (None, Value::Object(base_body("none")).to_string()),
                (
                    Some("application/x-www-form-urlencoded"),
                    "id=zz&role=admin".to_owned(),
                ),
            ];
            for (name, ty, _) in &body_args {
                for wrong in wrong_json(cx, ty) {
                    let mut body = base_body("typed");
                    body.insert(name.clone(), wrong);
                    variants.push((Some("application/json"), Value::Object(body).to_string()));
                }
            }
            for (name, _, required) in &body_args {
                if *required {
                    let mut body = base_body("missing");
                    body.remove(name);
                    variants.push((Some("application/json"), Value::Object(body).to_string()));
                }
            }
            options.push(
                proptest::sample::select(variants)
                    .prop_map(move |(content_type, body)| Invalid::Body {
                        field,
                        content_type,
                        body,
                    })
                    .boxed(),
            );
        }
    }
    let strategy = proptest::strategy::Union::new(options);
    let credential = cx.target.primary().cloned();
    let account = credential
        .as_ref()
        .and_then(|c| c.account.clone())
        .unwrap_or_else(|| "conformance".to_owned());
    let judge = |case: &Case<'_, '_>, invalid: Invalid| -> CaseResult {
        let base = &cx.target.url;
        let (what, request) = match &invalid {
            Invalid::QueryValue { field, name, value } => {
                let mut call = rest::call_for(field, &account);
                call.raw_query.push((name.clone(), value.clone()));
                (
                    format!("`{}` with {name}={value:?}", field.field_name),
                    call.request(base, credential.as_ref()),
                )
            }
            Invalid::UnknownPath { suffix } => {
                let mut request = Request {
                    method: "GET".to_owned(),
                    url: format!("{base}{suffix}"),
                    headers: Vec::new(),
                    body: None,
                };
                if let Some(c) = &credential {
                    request = request.header("Authorization", &c.authorization);
                }
                (format!("GET of the unknown path {suffix}"), request)
            }
            Invalid::UnknownAccount { field, word } => {
                let call = crate::properties::made_up::minimal_call(
                    cx,
                    field,
                    &format!("zz-conformance-{word}"),
                )
                .unwrap_or_else(|| rest::call_for(field, "zz-conformance"));
                (
                    format!("`{}` on an unknown account", field.field_name),
                    call.request(base, credential.as_ref()),
                )
            }
            Invalid::Method { field, method } => {
                let mut request =
                    rest::call_for(field, &account).request(base, credential.as_ref());
                request.method = (*method).to_owned();
                (
                    format!("{method} on the path of `{}`", field.field_name),
                    request,
                )
            }
            Invalid::Body {
                field,
                content_type,
                body,
            } => {
                let mut call = Call::new(field);
                for name in rest::path_arguments(field) {
                    call = call.arg(name, account.as_str());
                }
                call.raw_body = Some((content_type.unwrap_or("").to_owned(), body.clone()));
                let mut request = call.request(base, credential.as_ref());
                if content_type.is_none() {
                    request
                        .headers
                        .retain(|(n, _)| !n.eq_ignore_ascii_case("Content-Type"));
                }
                (
                    format!(
                        "`{}` with the body {body:?} ({})",
                        field.field_name,
                        content_type.unwrap_or("no content type")
                    ),
                    request,
                )
            }
        };
        let response = case.send_retrying(|| request.clone())?;
        ensure!(
            response.status < 500,
            "{what} got a server error: {}",
            rest::digest(&response)
        );
        ensure!(
            (400..500).contains(&response.status),
            "{what} was not refused: {}",
            rest::digest(&response)
        );
        if let Invalid::Method { .. } = invalid {
            // The path exists: the method is what is wrong (405), and the answer says which ones are served.
            ensure!(
                response.status == 405,
                "{what} got HTTP {}, not 405 (the path exists; the method is not served): {}",
                response.status,
                rest::digest(&response)
            );
            ensure!(
                response.header("Allow").is_some(),
                "{what} got 405 without an Allow header"
            );
        }
        // A request a route served with valid credentials counts against the quota, refused or not ("every
        // response carries" the headers): only an unknown path or method may go unanswered by the route.
        if quota_in_headers
            && credential.is_some()
            && matches!(invalid, Invalid::QueryValue { .. } | Invalid::Body { .. })
        {
            ensure!(
                HeaderQuota::of(&response).complete(),
                "{what} got HTTP {} without the X-Rate-Limit-Limit, -Remaining and -Reset headers the API reports \
                 its quota in",
                response.status
            );
        }
        if http_status {
            ensure!(
                rest::error_message(&response).is_some(),
                "{what} got HTTP {} without a JSON error body (`{{\"error\": \"...\"}}`): {}",
                response.status,
                rest::digest(&response)
            );
        }
        Ok(())
    };
    let sweep = Case::new(cx);
    for invalid in unserved {
        if let Err(error) = judge(&sweep, invalid) {
            return setup_failure(cx, &sweep, error);
        }
    }
    check(cx, strategy, judge)
}
