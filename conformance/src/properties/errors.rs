//! Error properties E1–E5: random invalid requests (unknown ids, wrong argument types, unknown fields, missing
//! required arguments, syntax errors, bad variables, malformed HTTP bodies) get errors in the API's declared format
//! with documented codes, no internals, and never a server error.

use proptest::prelude::*;
use runtime::rules::ErrorStyle;
use serde_json::Value;

use crate::client::Request;
use crate::ensure;
use crate::graphql::{Reply, error_code, not_found_code, parse_code, validation_code};
use crate::property::{Case, CaseError, CaseResult, Check, Context, Group, Property, check};
use crate::schema::has_required_arguments;

pub static E1: Property = Property {
    id: "E1",
    name: "error-shape",
    statement: "Every errors entry has a non-empty string message, well-formed locations, path and extensions, and carries its code where the API's error format puts it.",
    group: Group::Errors,
    writes: false,
    max_cases: None,
    run: run_e1,
};

pub static E2: Property = Property {
    id: "E2",
    name: "error-data",
    statement: "A request error (syntax, validation) has no data; a field error nulls the field and names it in path.",
    group: Group::Errors,
    writes: false,
    max_cases: None,
    run: run_e2,
};

pub static E3: Property = Property {
    id: "E3",
    name: "documented-codes",
    statement: "Every error code is one the document names, the one for its cause (NotFound for an unknown id, Validation for an invalid request), and the same each time; a document that does not parse gets the HTTP status the API declares for it (@errorFormat(parseFailureStatus:)).",
    group: Group::Errors,
    writes: false,
    max_cases: None,
    run: run_e3,
};

pub static E4: Property = Property {
    id: "E4",
    name: "no-internals",
    statement: "No response leaks internals, in any language's form: no stack frames (Rust, Python, Ruby, Node, Java, Go), source files with line numbers, absolute server paths, panics or exception objects.",
    group: Group::Errors,
    writes: false,
    max_cases: None,
    run: run_e4,
};

pub static E5: Property = Property {
    id: "E5",
    name: "no-server-errors",
    statement: "Malformed HTTP requests (bodies that are not JSON, wrong shapes, wrong media types) never get a 5xx, and any JSON answer is a well-formed GraphQL error.",
    group: Group::Errors,
    writes: false,
    max_cases: None,
    run: run_e5,
};

/// The cause an invalid request exercises, and so the code it must get.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cause {
    /// A document that does not parse: the API's parse-failure code where it names one (`GRAPHQL_PARSE_FAILED`),
    /// else its validation code.
    Syntax,
    /// Unknown field or argument, wrong argument type, missing required argument, bad variable.
    Invalid,
    /// An id that names nothing: a field error on that field.
    NotFound,
}

/// One invalid request.
#[derive(Debug, Clone)]
pub struct Invalid {
    pub what: &'static str,
    pub query: String,
    pub variables: Option<Value>,
    pub cause: Cause,
    /// For a field error: the response key that must be null and named in `path`.
    pub field: Option<String>,
}

/// Random invalid requests built from the schema.
pub fn invalid_requests(cx: &Context<'_>) -> BoxedStrategy<Invalid> {
    let query = cx.schema.query_type().to_owned();
    let mut by_id: Vec<(String, String, String)> = Vec::new(); // (field, id type, a leaf of its type)
    let mut args: Vec<(String, String, String, String)> = Vec::new(); // (field, arg, arg type, selection)
    for f in cx.schema.fields(&query) {
        if has_required_arguments(f) {
            continue;
        }
        let ty = f.ty.inner_named_type().as_str();
        let selection = if cx.schema.is_leaf(ty) {
            String::new()
        } else if let Some(conn_node) = cx.schema.relay_node_type(ty) {
            let leaf = cx.schema.leaf_fields(&conn_node).into_iter().next();
            match leaf {
                Some(l) => format!("{{ edges {{ node {{ {l} }} }} }}"),
                None => continue,
            }
        } else {
            match cx.schema.leaf_fields(ty).into_iter().next() {
                Some(l) => format!("{{ {l} }}"),
                None => continue,
            }
        };
        if let Some(id) = f.arguments.iter().find(|a| a.name == "id")
            && !cx.schema.is_leaf(ty)
            && !f.ty.is_list()
            && cx.schema.relay_node_type(ty).is_none()
        {
            by_id.push((
                f.name.to_string(),
                id.ty.inner_named_type().to_string(),
                selection.clone(),
            ));
        }
        for a in &f.arguments {
            if !a.ty.is_list() {
                args.push((
                    f.name.to_string(),
                    a.name.to_string(),
                    a.ty.inner_named_type().to_string(),
                    selection.clone(),
                ));
            }
        }
    }
    let pagination_size = cx
        .schema
        .connections()
        .into_iter()
        .find(|c| c.pagination.page_size_required)
        .map(|c| c.field);

    let mut options: Vec<BoxedStrategy<Invalid>> = Vec::new();
    if !by_id.is_empty() {
        let by_id = by_id.clone();
        options.push(
            (
                proptest::sample::select(by_id),
                100_000_000i64..i64::from(i32::MAX),
                "[a-z]{3,10}",
            )
                .prop_map(|((field, id_type, selection), n, word)| {
                    let id = if id_type == "Int" {
                        n.to_string()
                    } else {
                        format!("\"no-such-{word}-{n}\"")
                    };
                    Invalid {
                        what: "unknown id",
                        query: format!("{{ {field}(id: {id}) {selection} }}"),
                        variables: None,
                        cause: Cause::NotFound,
                        field: Some(field),
                    }
                })
                .boxed(),
        );
    }
    if !args.is_empty() {
        let schema_types: Vec<(String, bool)> = args
            .iter()
            .map(|(_, _, ty, _)| (ty.clone(), cx.schema.schema.get_enum(ty.as_str()).is_some()))
            .collect();
        let args_with_kind: Vec<_> = args.into_iter().zip(schema_types).collect();
        options.push(
            (proptest::sample::select(args_with_kind), 0..4usize)
                .prop_filter_map(
                    "no wrong literal for this type",
                    |(((field, arg, ty, selection), (_, is_enum)), pick)| {
                        let wrong = wrong_literal(&ty, is_enum, pick)?;
                        Some(Invalid {
                            what: "wrong argument type",
                            query: format!("{{ {field}({arg}: {wrong}) {selection} }}"),
                            variables: None,
                            cause: Cause::Invalid,
                            field: None,
                        })
                    },
                )
                .boxed(),
        );
    }
    options.push(
        "[a-z]{4,12}"
            .prop_map(|name| Invalid {
                what: "unknown field",
                query: format!("{{ zz{name} }}"),
                variables: None,
                cause: Cause::Invalid,
                field: None,
            })
            .boxed(),
    );
    options.push(
        (0..6usize, "[a-z{}()\\[\\]:$!@\" ]{0,20}")
            .prop_map(|(k, noise)| {
                let query = match k {
                    0 => format!("{{ {noise}"),
                    1 => format!("query {{ __typename {noise}"),
                    2 => "{ __typename(".to_owned(),
                    3 => format!("}} {noise}"),
                    4 => String::new(),
                    _ => format!("query Q($x: ) {{ __typename }} {noise}"),
                };
                Invalid {
                    what: "syntax error",
                    query,
                    variables: None,
                    cause: Cause::Syntax,
                    field: None,
                }
            })
            .boxed(),
    );
    if let Some(field) = pagination_size {
        options.push(
            Just(Invalid {
                what: "missing required page size",
                query: format!("{{ {field} {{ edges {{ cursor }} }} }}"),
                variables: None,
                cause: Cause::Invalid,
                field: Some(field),
            })
            .boxed(),
        );
    }
    let typed_arg = cx.schema.fields(&query).into_iter().find_map(|f| {
        let a = f
            .arguments
            .iter()
            .find(|a| a.ty.inner_named_type() == "Int" && !a.ty.is_list())?;
        let ty = f.ty.inner_named_type();
        let leaf = if cx.schema.is_leaf(ty) {
            String::new()
        } else if cx.schema.relay_node_type(ty).is_some() {
            return None;
        } else {
            format!("{{ {} }}", cx.schema.leaf_fields(ty).into_iter().next()?)
        };
        Some((f.name.to_string(), a.name.to_string(), leaf))
    });
    if let Some((field, arg, leaf)) = typed_arg {
        options.push(
            prop_oneof![
                "[a-z]{1,8}".prop_map(Value::String),
                Just(Value::Bool(true)),
                Just(serde_json::json!({"a": 1})),
                Just(serde_json::json!(1.5)),
            ]
            .prop_map(move |bad| Invalid {
                what: "variable of the wrong type",
                query: format!("query Q($v: Int) {{ {field}({arg}: $v) {leaf} }}"),
                variables: Some(serde_json::json!({ "v": bad })),
                cause: Cause::Invalid,
                field: None,
            })
            .boxed(),
        );
    }
    if !cx.settings.read_only
        && let Some(mutation) = cx.schema.mutation_type()
    {
        let required: Vec<String> = cx
            .schema
            .fields(mutation)
            .into_iter()
            .filter(|f| has_required_arguments(f))
            .filter_map(|f| {
                let ty = f.ty.inner_named_type();
                let sel = if cx.schema.is_leaf(ty) {
                    String::new()
                } else {
                    format!("{{ {} }}", first_leaf_path(cx, ty, 3)?)
                };
                Some(format!("mutation {{ {} {sel} }}", f.name))
            })
            .collect();
        if !required.is_empty() {
            options.push(
                proptest::sample::select(required)
                    .prop_map(|query| Invalid {
                        what: "missing required argument",
                        query,
                        variables: None,
                        cause: Cause::Invalid,
                        field: None,
                    })
                    .boxed(),
            );
        }
    }
    proptest::strategy::Union::new(options).boxed()
}

/// A selection reaching some leaf below `type_name` (`department { id }`), within `depth` levels.
pub fn first_leaf_path(cx: &Context<'_>, type_name: &str, depth: usize) -> Option<String> {
    if let Some(leaf) = cx.schema.leaf_fields(type_name).into_iter().next() {
        return Some(leaf);
    }
    if depth == 0 {
        return None;
    }
    cx.schema.fields(type_name).into_iter().find_map(|f| {
        if has_required_arguments(f) {
            return None;
        }
        let below = first_leaf_path(cx, f.ty.inner_named_type(), depth - 1)?;
        Some(format!("{} {{ {below} }}", f.name))
    })
}

fn wrong_literal(ty: &str, is_enum: bool, pick: usize) -> Option<String> {
    let options: &[&str] = match ty {
        "Int" => &["\"twelve\"", "1.5", "true", "{a: 1}"],
        "Float" => &["\"x\"", "true", "{a: 1}"],
        "String" => &["12", "true", "{a: 1}", "1.5"],
        "Boolean" => &["\"yes\"", "1", "{a: 1}"],
        "ID" => &["true", "1.5", "{a: 1}"],
        _ if is_enum => &["NOT_A_VALUE_OF_THIS_ENUM", "\"FULL_TIME\"", "12"],
        _ => &["\"a string, not an input object\"", "12", "true"],
    };
    options.get(pick % options.len()).map(|s| (*s).to_owned())
}

/// E1 on one reply: the shape of every error entry.
pub fn check_entries(cx: &Context<'_>, reply: &Reply) -> CaseResult {
    let style = cx.rules.error_format.as_ref().map(|f| f.style);
    for (i, error) in reply.errors().iter().enumerate() {
        ensure!(error.is_object(), "errors[{i}] is not an object");
        ensure!(
            error
                .get("message")
                .and_then(Value::as_str)
                .is_some_and(|m| !m.trim().is_empty()),
            "errors[{i}] has no non-empty string `message`"
        );
        if let Some(locations) = error.get("locations") {
            let ok = locations.as_array().is_some_and(|list| {
                list.iter().all(|l| {
                    ["line", "column"]
                        .iter()
                        .all(|k| l.get(k).and_then(Value::as_u64).is_some_and(|n| n >= 1))
                })
            });
            ensure!(
                ok,
                "errors[{i}].locations is not a list of {{line, column}} positive integers: {locations}"
            );
        }
        if let Some(path) = error.get("path") {
            let ok = path
                .as_array()
                .is_some_and(|p| p.iter().all(|s| s.is_string() || s.is_u64()));
            ensure!(
                ok,
                "errors[{i}].path is not a list of field names and indices: {path}"
            );
        }
        if let Some(extensions) = error.get("extensions") {
            ensure!(
                extensions.is_object(),
                "errors[{i}].extensions is not an object"
            );
        }
        match style {
            Some(ErrorStyle::ErrorCodeField) => ensure!(
                error.get("errorCode").and_then(Value::as_str).is_some(),
                "errors[{i}] has no string `errorCode` (the API's error format puts the code there): {error}"
            ),
            Some(ErrorStyle::ExtensionsCode) => ensure!(
                error
                    .get("extensions")
                    .and_then(|x| x.get("code"))
                    .and_then(Value::as_str)
                    .is_some(),
                "errors[{i}] has no string `extensions.code`: {error}"
            ),
            _ => {}
        }
    }
    Ok(())
}

/// E3 on one reply: every code documented.
pub fn check_codes(cx: &Context<'_>, reply: &Reply) -> CaseResult {
    let Some(format) = &cx.rules.error_format else {
        return Ok(());
    };
    if format.codes.is_empty() {
        return Ok(());
    }
    for (i, error) in reply.errors().iter().enumerate() {
        if let Some(code) = error_code(error, cx.rules) {
            ensure!(
                format.codes.iter().any(|c| *c == code),
                "errors[{i}] has the code `{code}`, which the document does not name (documented: {})",
                format.codes.join(", ")
            );
        }
    }
    Ok(())
}

fn send_invalid(case: &Case<'_, '_>, invalid: &Invalid) -> Result<Reply, CaseError> {
    let reply = case.graphql(
        case.cx.target.primary(),
        &invalid.query,
        invalid.variables.as_ref(),
    )?;
    ensure!(
        reply.has_errors(),
        "an invalid request ({}) got no error",
        invalid.what
    );
    Ok(reply)
}

fn run_e1(cx: &Context<'_>) -> Check {
    check(cx, invalid_requests(cx), |case, invalid| {
        let reply = send_invalid(case, &invalid)?;
        check_entries(cx, &reply)
    })
}

fn run_e2(cx: &Context<'_>) -> Check {
    check(cx, invalid_requests(cx), |case, invalid| {
        let reply = send_invalid(case, &invalid)?;
        match (invalid.cause, &invalid.field) {
            (Cause::NotFound, Some(field)) => {
                let data = reply.body.get("data");
                ensure!(
                    data.is_some_and(Value::is_object),
                    "a field error ({}) must keep `data`, with `{field}` null; got data {}",
                    invalid.what,
                    data.map_or("absent".to_owned(), Value::to_string)
                );
                ensure!(
                    reply.body["data"].get(field).is_some_and(Value::is_null),
                    "a field error ({}) must null `data.{field}`; got {}",
                    invalid.what,
                    reply.body["data"][field.as_str()]
                );
                let named = reply.errors().iter().any(|e| {
                    e.get("path")
                        .and_then(Value::as_array)
                        .and_then(|p| p.first())
                        .and_then(Value::as_str)
                        == Some(field.as_str())
                });
                ensure!(named, "no error names `{field}` in its path");
                Ok(())
            }
            (Cause::Invalid | Cause::Syntax, Some(field)) => {
                // Refused before or during execution: no data, or the field nulled.
                let data = reply.body.get("data");
                let ok = data.is_none_or(Value::is_null)
                    || data.and_then(|d| d.get(field)).is_some_and(Value::is_null);
                ensure!(
                    ok,
                    "an invalid request ({}) must have no data or a null `{field}`; got {}",
                    invalid.what,
                    data.map_or(String::new(), Value::to_string)
                );
                Ok(())
            }
            (_, None) => {
                let data = reply.body.get("data");
                ensure!(
                    data.is_none_or(Value::is_null),
                    "a request error ({}) must have no data; got {}",
                    invalid.what,
                    data.map_or(String::new(), Value::to_string)
                );
                Ok(())
            }
        }
    })
}

fn run_e3(cx: &Context<'_>) -> Check {
    check(cx, invalid_requests(cx), |case, invalid| {
        let reply = send_invalid(case, &invalid)?;
        check_codes(cx, &reply)?;
        let parse_status = cx
            .rules
            .error_format
            .as_ref()
            .and_then(|f| f.parse_failure_status);
        if let (Cause::Syntax, Some(status)) = (invalid.cause, parse_status) {
            ensure!(
                reply.status == status,
                "a document that does not parse ({}) must be answered with HTTP {status} (@errorFormat(parseFailureStatus:)); got HTTP {}",
                invalid.what,
                reply.status
            );
        }
        let expected = match invalid.cause {
            Cause::Syntax => parse_code(cx.rules).or_else(|| validation_code(cx.rules)),
            Cause::Invalid => validation_code(cx.rules),
            Cause::NotFound => not_found_code(cx.rules),
        };
        if let Some(code) = expected {
            ensure!(
                reply.has_code(cx.rules, code),
                "an invalid request ({}) must get the code `{code}`; got {}",
                invalid.what,
                reply.error_digest(cx.rules)
            );
        }
        let again = send_invalid(case, &invalid)?;
        ensure!(
            reply.codes(cx.rules) == again.codes(cx.rules),
            "the same invalid request ({}) got different codes: {:?} then {:?}",
            invalid.what,
            reply.codes(cx.rules),
            again.codes(cx.rules)
        );
        Ok(())
    })
}

/// Every response of every property is searched for internals (`Case::send`); E4 sends the requests most likely to
/// show them: invalid ones, whose errors a careless server fills with its exceptions.
fn run_e4(cx: &Context<'_>) -> Check {
    check(cx, invalid_requests(cx), |case, invalid| {
        send_invalid(case, &invalid).map(drop)
    })
}

/// A malformed HTTP request.
#[derive(Debug, Clone)]
enum Malformed {
    Body {
        content_type: &'static str,
        body: String,
    },
    NoBody,
}

fn run_e5(cx: &Context<'_>) -> Check {
    let body = prop_oneof![
        "[^\\x00]{0,40}",
        Just("{".to_owned()),
        Just("[]".to_owned()),
        Just("null".to_owned()),
        Just("{\"query\": 12}".to_owned()),
        Just("{\"query\": \"{ __typename }\", \"variables\": 7}".to_owned()),
        Just("{\"query\": \"{ __typename }\", \"operationName\": 7}".to_owned()),
        Just("{\"variables\": {}}".to_owned()),
        Just("{\"query\": null}".to_owned()),
        Just(format!("{{\"query\": \"{}\"}}", "{".repeat(300))),
        Just("{\"query\": \"query A { __typename } query B { __typename }\"}".to_owned()),
        Just("{\"query\": \"{ __typename }\", \"operationName\": \"Nope\"}".to_owned()),
    ];
    let strategy = prop_oneof![
        6 => (body, proptest::sample::select(vec![
            "application/json",
            "text/plain",
            "application/graphql-response+json",
            "application/x-www-form-urlencoded",
        ])).prop_map(|(body, content_type)| Malformed::Body { content_type, body }),
        1 => Just(Malformed::NoBody),
    ];
    check(cx, strategy, |case, malformed| {
        let mut request = match &malformed {
            Malformed::Body { content_type, body } => {
                let mut r = Request::post_json(&cx.target.url, body.clone());
                r.headers[0].1 = (*content_type).to_owned();
                r
            }
            Malformed::NoBody => Request {
                method: "POST".to_owned(),
                url: cx.target.url.clone(),
                headers: Vec::new(),
                body: None,
            },
        };
        if let Some(c) = cx.target.primary() {
            request = request.header("Authorization", &c.authorization);
        }
        let response = case.send(request)?;
        ensure!(
            response.status < 500,
            "a malformed request got HTTP {} (a server error)",
            response.status
        );
        if let Some(json) = response.json()
            && json.get("errors").is_some()
        {
            let reply = Reply {
                status: response.status,
                body: json,
            };
            check_entries(cx, &reply)?;
            check_codes(cx, &reply)?;
        }
        Ok(())
    })
}
