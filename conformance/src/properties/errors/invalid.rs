//! The invalid requests E1–E4 send, built from the schema: syntax errors, unknown fields and arguments, wrong
//! argument types, missing required arguments, bad variables and unknown ids, each with the cause that names its code.

use proptest::prelude::*;
use serde_json::Value;

use crate::ensure;
use crate::graphql::Reply;
use crate::property::{Case, CaseError, Context};
use crate::schema::has_required_arguments;

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

/// Sends an invalid request, which must get an error.
pub(super) fn send_invalid(case: &Case<'_, '_>, invalid: &Invalid) -> Result<Reply, CaseError> {
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
