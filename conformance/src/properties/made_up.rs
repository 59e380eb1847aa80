//! Calls with made-up arguments, for properties whose calls must be refused before their input is read (credentials,
//! roles, scopes) or whose input is beside the point: a minimal valid operation or REST call of any field, built from
//! the SDL alone.

use runtime::rules::FieldRules;
use serde_json::Value;

use crate::properties::errors::invalid::first_leaf_path;
use crate::property::Context;
use crate::rest::{self, Call};
use crate::schema::SchemaInfo;

/// An id that names nothing (on any of the APIs' fixtures), for calls that must be refused before their input is read.
pub const MADE_UP_ID: &str = "999999999";

/// A minimal valid operation calling `root.field`, with made-up values for its required arguments and `id` for every
/// `ID` among them.
pub fn minimal_operation(cx: &Context<'_>, root: &str, field: &str, id: &str) -> Option<String> {
    let def = cx.schema.field(root, field)?;
    let mut args = Vec::new();
    for a in &def.arguments {
        let required = a.ty.is_non_null() && a.default_value.is_none();
        let size = matches!(a.name.as_str(), "first")
            && cx
                .rules
                .field(root, field)
                .and_then(|r| r.pagination)
                .is_some_and(|p| p.page_size_required);
        if required {
            args.push(format!(
                "{}: {}",
                a.name,
                minimal_value(cx.schema, &a.ty, id, 0)?
            ));
        } else if size {
            args.push("first: 1".to_owned());
        }
    }
    let ty = def.ty.inner_named_type();
    let selection = if cx.schema.is_leaf(ty) {
        String::new()
    } else {
        format!(" {{ {} }}", first_leaf_path(cx, ty, 4)?)
    };
    let args = if args.is_empty() {
        String::new()
    } else {
        format!("({})", args.join(", "))
    };
    let keyword = if Some(root) == cx.schema.mutation_type() {
        "mutation "
    } else {
        ""
    };
    Some(format!("{keyword}{{ {field}{args}{selection} }}"))
}

/// A made-up literal of an input type.
fn minimal_value(
    schema: &SchemaInfo,
    ty: &apollo_compiler::schema::Type,
    id: &str,
    depth: u32,
) -> Option<String> {
    if depth > 5 {
        return None;
    }
    if ty.is_list() {
        return Some(format!(
            "[{}]",
            minimal_value(schema, ty.item_type(), id, depth + 1)?
        ));
    }
    let name = ty.inner_named_type().as_str();
    Some(match name {
        "Int" => "1".to_owned(),
        "Float" => "1.0".to_owned(),
        "String" => "\"conformance\"".to_owned(),
        "Boolean" => "true".to_owned(),
        "ID" => format!("{id:?}"),
        "Date" => "\"2024-01-01\"".to_owned(),
        "DateTime" => "\"2024-01-01T00:00:00Z\"".to_owned(),
        "URL" => "\"https://example.com/conformance.png\"".to_owned(),
        _ => {
            if let Some(e) = schema.schema.get_enum(name) {
                e.values.keys().next()?.to_string()
            } else if let Some(input) = schema.schema.get_input_object(name) {
                let fields: Option<Vec<String>> = input
                    .fields
                    .values()
                    .filter(|f| f.ty.is_non_null() && f.default_value.is_none())
                    .map(|f| {
                        Some(format!(
                            "{}: {}",
                            f.name,
                            minimal_value(schema, &f.ty, id, depth + 1)?
                        ))
                    })
                    .collect();
                format!("{{{}}}", fields?.join(", "))
            } else {
                "\"conformance\"".to_owned()
            }
        }
    })
}

/// A made-up JSON value of an input type (for the body of a REST call that must be refused before it runs).
pub fn minimal_json(
    schema: &SchemaInfo,
    ty: &apollo_compiler::schema::Type,
    depth: u32,
) -> Option<Value> {
    if depth > 5 {
        return None;
    }
    if ty.is_list() {
        return Some(Value::Array(vec![minimal_json(
            schema,
            ty.item_type(),
            depth + 1,
        )?]));
    }
    let name = ty.inner_named_type().as_str();
    Some(match name {
        "Int" => Value::from(1),
        "Float" => Value::from(1.0),
        "Boolean" => Value::Bool(true),
        _ => {
            if let Some(e) = schema.schema.get_enum(name) {
                Value::String(e.values.keys().next()?.to_string())
            } else if let Some(input) = schema.schema.get_input_object(name) {
                let mut object = serde_json::Map::new();
                for f in input
                    .fields
                    .values()
                    .filter(|f| f.ty.is_non_null() && f.default_value.is_none())
                {
                    object.insert(f.name.to_string(), minimal_json(schema, &f.ty, depth + 1)?);
                }
                Value::Object(object)
            } else {
                Value::String("conformance".to_owned())
            }
        }
    })
}

/// A call of a `@rest` field with its path on `account` and made-up values for its required arguments.
pub fn minimal_call(cx: &Context<'_>, field: &'static FieldRules, account: &str) -> Option<Call> {
    let definition = cx.schema.field(&field.type_name, &field.field_name)?;
    let mut call = rest::call_for(field, account);
    let path = rest::path_arguments(field);
    for a in &definition.arguments {
        if path.contains(&a.name.as_str()) || !a.ty.is_non_null() || a.default_value.is_some() {
            continue;
        }
        call = call.arg(a.name.as_str(), minimal_json(cx.schema, &a.ty, 0)?);
    }
    Some(call)
}
