//! The parameters of a REST request read against their arguments' GraphQL types, and every mistake worded for a
//! REST client (`` `id` must be a string ``), never in GraphQL's variable-coercion terms: path segments and query
//! values are typed from text, body values checked as JSON. What GraphQL still checks afterwards (ranges, the
//! API's rules) keeps its own status.

use apollo_compiler::Schema;
use apollo_compiler::ast::Type;
use apollo_compiler::schema::ExtendedType;
use runtime::apollo_compiler;
use runtime::rules::FieldRules;
use serde_json::Value;

/// Whether the argument must be given: non-null and without a default.
pub fn required(schema: &Schema, field: &FieldRules, argument: &str) -> bool {
    schema
        .type_field(&field.type_name, &field.field_name)
        .ok()
        .and_then(|definition| definition.argument_by_name(argument))
        .is_some_and(|a| a.ty.is_non_null() && a.default_value.is_none())
}

/// A path segment or query value, typed per the argument (GraphQL coercion checks the rest: ranges, rules).
pub fn from_text(schema: &Schema, text: &str, ty: &Type) -> Result<Value, String> {
    let type_name = ty.inner_named_type();
    if let Some(ExtendedType::Enum(_)) = schema.types.get(type_name) {
        return enum_value(schema, type_name, text).map(|()| Value::from(text));
    }
    match type_name.as_str() {
        "Int" => text
            .parse::<i32>()
            .map(Value::from)
            .map_err(|_| format!("must be a 32-bit integer, not `{text}`")),
        "Float" => text
            .parse::<f64>()
            .map(Value::from)
            .map_err(|_| format!("must be a number, not `{text}`")),
        "Boolean" => text
            .parse::<bool>()
            .map(Value::from)
            .map_err(|_| format!("must be true or false, not `{text}`")),
        _ => Ok(Value::from(text)),
    }
}

/// Whether a body value fits the argument's type; the message completes "`name` ...".
pub fn check_json(schema: &Schema, value: &Value, ty: &Type) -> Result<(), String> {
    if value.is_null() {
        return if ty.is_non_null() {
            Err("must not be null".to_owned())
        } else {
            Ok(())
        };
    }
    if let Type::List(inner) | Type::NonNullList(inner) = ty {
        let Value::Array(items) = value else {
            return Err(format!("must be an array, not {}", kind(value)));
        };
        for (i, item) in items.iter().enumerate() {
            check_json(schema, item, inner).map_err(|e| format!("[{i}] {e}"))?;
        }
        return Ok(());
    }
    let name = ty.inner_named_type();
    match schema.types.get(name) {
        Some(ExtendedType::Enum(_)) => match value {
            Value::String(text) => enum_value(schema, name, text),
            _ => Err(format!("must be a string, not {}", kind(value))),
        },
        Some(ExtendedType::InputObject(object)) => {
            let Value::Object(fields) = value else {
                return Err(format!("must be an object, not {}", kind(value)));
            };
            if let Some(unknown) = fields
                .keys()
                .find(|k| !object.fields.contains_key(k.as_str()))
            {
                let known: Vec<&str> = object.fields.keys().map(|k| k.as_str()).collect();
                return Err(format!(
                    "has no field `{unknown}` (its fields are {})",
                    known.join(", ")
                ));
            }
            for (field_name, field) in &object.fields {
                match fields.get(field_name.as_str()) {
                    Some(inner) => check_json(schema, inner, &field.ty)
                        .map_err(|e| format!(".{field_name} {e}"))?,
                    None if field.ty.is_non_null() && field.default_value.is_none() => {
                        return Err(format!(".{field_name} is required"));
                    }
                    None => {}
                }
            }
            Ok(())
        }
        _ => scalar(name.as_str(), value),
    }
}

fn scalar(name: &str, value: &Value) -> Result<(), String> {
    let fits = match name {
        "String" => value.is_string(),
        "ID" => value.is_string() || value.is_i64() || value.is_u64(),
        "Int" => value.as_i64().is_some_and(|n| i32::try_from(n).is_ok()),
        "Float" => value.is_number(),
        "Boolean" => value.is_boolean(),
        // A custom scalar: its own rules apply later.
        _ => true,
    };
    if fits {
        return Ok(());
    }
    let wanted = match name {
        "String" => "a string",
        "ID" => "a string or an integer",
        "Int" => "a 32-bit integer",
        "Float" => "a number",
        _ => "true or false",
    };
    Err(format!("must be {wanted}, not {}", kind(value)))
}

fn enum_value(schema: &Schema, name: &str, text: &str) -> Result<(), String> {
    let Some(ExtendedType::Enum(enum_type)) = schema.types.get(name) else {
        return Ok(());
    };
    if enum_type.values.contains_key(text) {
        return Ok(());
    }
    let known: Vec<&str> = enum_type.values.keys().map(|v| v.as_str()).collect();
    Err(format!("must be one of {}, not `{text}`", known.join(", ")))
}

/// What a JSON value is, for a message: `a number (5)`, `an array`.
fn kind(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => format!("a boolean ({b})"),
        Value::Number(n) => format!("a number ({n})"),
        Value::String(s) => format!("a string ({:?})", s.chars().take(40).collect::<String>()),
        Value::Array(_) => "an array".to_owned(),
        Value::Object(_) => "an object".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SDL: &str = "type Query { f(a: String!, n: Int, e: E, l: [I!]): Int } enum E { ONE TWO } \
                       input I { x: String! y: Boolean }";

    fn check(value: Value, ty: &str) -> Result<(), String> {
        let schema = Schema::parse_and_validate(SDL, "t.graphql").unwrap();
        let ty = Type::parse(ty, "ty").unwrap();
        check_json(&schema, &value, &ty)
    }

    #[test]
    fn body_values_are_checked_with_rest_wording() {
        use serde_json::json;
        for (value, ty, expected) in [
            (json!("x"), "String!", Ok(())),
            (
                json!(5),
                "String!",
                Err("must be a string, not a number (5)"),
            ),
            (json!(null), "String!", Err("must not be null")),
            (json!(null), "String", Ok(())),
            (
                json!(3_000_000_000u64),
                "Int",
                Err("must be a 32-bit integer, not a number (3000000000)"),
            ),
            (json!(7), "ID", Ok(())),
            (
                json!("THREE"),
                "E",
                Err("must be one of ONE, TWO, not `THREE`"),
            ),
            (json!({"x": "a"}), "I", Ok(())),
            (
                json!([{"x": "a"}, {"y": true}]),
                "[I!]",
                Err("[1] .x is required"),
            ),
            (
                json!([{"x": "a", "z": 1}]),
                "[I!]",
                Err("[0] has no field `z` (its fields are x, y)"),
            ),
            (
                json!({"x": 1}),
                "[I!]",
                Err("must be an array, not an object"),
            ),
        ] {
            assert_eq!(
                check(value.clone(), ty),
                expected.map_err(str::to_owned),
                "{value} as {ty}"
            );
        }
    }
}
