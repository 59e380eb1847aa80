//! Data that fits its declared type: every `data` of every GraphQL response a property receives is walked along the
//! operation that asked for it and checked against the SDL (enum values in the declared set, the JSON type of Int,
//! Float, String, Boolean and ID, custom scalars in their documented format, non-null respected, list shapes, exactly
//! the selected keys). One check applied to all responses, so that a value of the wrong type fails whichever
//! property received it.

use apollo_compiler::ExecutableDocument;
use apollo_compiler::Schema;
use apollo_compiler::executable::{Selection, SelectionSet};
use apollo_compiler::schema::{ExtendedType, Type};
use apollo_compiler::validation::Valid;
use serde_json::{Map, Value};

/// The first place where `data` does not fit the operation `query` asks of `schema`, if any. An operation the
/// harness cannot parse against the schema (a deliberately invalid request) is not checked.
pub fn misfit(schema: &Valid<Schema>, query: &str, data: &Value) -> Option<String> {
    if data.is_null() {
        return None;
    }
    let document =
        ExecutableDocument::parse_and_validate(schema, query, "operation.graphql").ok()?;
    let mut operations = document.operations.iter();
    let operation = operations.next()?;
    if operations.next().is_some() {
        return None;
    }
    let walk = Walk {
        schema,
        document: &document,
    };
    walk.object(&operation.selection_set, data, "data").err()
}

struct Walk<'a> {
    schema: &'a Valid<Schema>,
    document: &'a Valid<ExecutableDocument>,
}

impl Walk<'_> {
    /// An object value against a selection set on its type (for an abstract type, on its `__typename`).
    fn object(&self, set: &SelectionSet, value: &Value, at: &str) -> Result<(), String> {
        let Value::Object(map) = value else {
            return Err(format!(
                "`{at}` is {}, not an object of type {}",
                kind(value),
                set.ty
            ));
        };
        // The concrete type: the selection's own when it is an object type, else what `__typename` says; without
        // it, fragments on narrower types cannot be told apart, so their fields (and extra keys) are not judged.
        let object_type = matches!(
            self.schema.types.get(set.ty.as_str()),
            Some(ExtendedType::Object(_))
        );
        let concrete = match map.get("__typename").and_then(Value::as_str) {
            Some(name) => Some(name.to_owned()),
            None => object_type.then(|| set.ty.to_string()),
        };
        let mut selected: Vec<String> = Vec::new();
        self.fields(set, concrete.as_deref(), map, at, &mut selected)?;
        if concrete.is_some()
            && let Some(extra) = map.keys().find(|k| !selected.contains(k))
        {
            return Err(format!("`{at}.{extra}` was not selected"));
        }
        Ok(())
    }

    fn fields(
        &self,
        set: &SelectionSet,
        concrete: Option<&str>,
        map: &Map<String, Value>,
        at: &str,
        selected: &mut Vec<String>,
    ) -> Result<(), String> {
        for selection in &set.selections {
            match selection {
                Selection::Field(field) => {
                    let key = field.response_name().to_string();
                    selected.push(key.clone());
                    let here = format!("{at}.{key}");
                    let conditional = field
                        .directives
                        .iter()
                        .any(|d| d.name == "skip" || d.name == "include");
                    let Some(value) = map.get(&key) else {
                        if conditional {
                            continue;
                        }
                        return Err(format!("`{here}` was selected but is missing"));
                    };
                    if field.name == "__typename" {
                        if !value.is_string() {
                            return Err(format!("`{here}` is {}, not a type name", kind(value)));
                        }
                        continue;
                    }
                    self.value(
                        &field.definition.ty,
                        field.selection_set.as_ref(),
                        value,
                        &here,
                    )?;
                }
                Selection::InlineFragment(inline) => {
                    if inline
                        .type_condition
                        .as_ref()
                        .is_none_or(|t| concrete.is_some_and(|c| self.applies(t.as_str(), c)))
                    {
                        self.fields(&inline.selection_set, concrete, map, at, selected)?;
                    }
                }
                Selection::FragmentSpread(spread) => {
                    if let Some(fragment) = self.document.fragments.get(&spread.fragment_name)
                        && concrete
                            .is_some_and(|c| self.applies(fragment.type_condition().as_str(), c))
                    {
                        self.fields(&fragment.selection_set, concrete, map, at, selected)?;
                    }
                }
            }
        }
        Ok(())
    }

    /// Whether a fragment on `condition` applies to an object of type `concrete`.
    fn applies(&self, condition: &str, concrete: &str) -> bool {
        condition == concrete
            || match self.schema.types.get(condition) {
                Some(ExtendedType::Interface(_)) => self
                    .schema
                    .implementers_map()
                    .get(condition)
                    .is_some_and(|i| i.objects.iter().any(|o| o == concrete)),
                Some(ExtendedType::Union(u)) => u.members.iter().any(|m| m.as_str() == concrete),
                _ => false,
            }
    }

    fn value(
        &self,
        ty: &Type,
        set: Option<&SelectionSet>,
        value: &Value,
        at: &str,
    ) -> Result<(), String> {
        if value.is_null() {
            return if ty.is_non_null() {
                Err(format!("`{at}` is null, but its type {ty} is non-null"))
            } else {
                Ok(())
            };
        }
        match ty {
            Type::List(inner) | Type::NonNullList(inner) => {
                let Value::Array(items) = value else {
                    return Err(format!(
                        "`{at}` is {}, but its type {ty} is a list",
                        kind(value)
                    ));
                };
                for (i, item) in items.iter().enumerate() {
                    self.value(inner, set, item, &format!("{at}[{i}]"))?;
                }
                Ok(())
            }
            Type::Named(name) | Type::NonNullNamed(name) => match set {
                Some(set) => self.object(set, value, at),
                None => self.leaf(name.as_str(), value, at),
            },
        }
    }

    fn leaf(&self, type_name: &str, value: &Value, at: &str) -> Result<(), String> {
        if let Some(ExtendedType::Enum(e)) = self.schema.types.get(type_name) {
            return match value.as_str() {
                Some(v) if e.values.keys().any(|k| k == v) => Ok(()),
                _ => Err(format!(
                    "`{at}` is {value}, which is not a value of the enum {type_name}"
                )),
            };
        }
        let fits = match type_name {
            "Int" => value.as_i64().is_some_and(|n| i32::try_from(n).is_ok()),
            "Float" => value.is_number(),
            "String" | "ID" => value.is_string(),
            "Boolean" => value.is_boolean(),
            _ => return custom_scalar(type_name, value, at),
        };
        if fits {
            Ok(())
        } else {
            Err(format!("`{at}` is {value}, which is not a {type_name}"))
        }
    }
}

/// The documented format of the custom scalars the schemas declare (their descriptions); other scalars take any JSON.
fn custom_scalar(type_name: &str, value: &Value, at: &str) -> Result<(), String> {
    let text = value.as_str();
    let (fits, format) = match type_name {
        "Date" => (
            text.is_some_and(|t| {
                chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d").is_ok() && t.len() == 10
            }),
            "a date in YYYY-MM-DD format",
        ),
        "DateTime" => (
            text.is_some_and(|t| chrono::DateTime::parse_from_rfc3339(t).is_ok()),
            "a date and time in ISO 8601 format",
        ),
        "URL" => (
            text.is_some_and(|t| reqwest::Url::parse(t).is_ok()),
            "a URL",
        ),
        // A String or an Integer, or for the field types the document stores "as a nested object", an object or
        // a list; never a Boolean or a Float.
        "Value" => (
            value.is_string() || value.is_i64() || value.is_object() || value.is_array(),
            "a String, an Integer, or a nested object or list",
        ),
        _ => (true, ""),
    };
    if fits {
        Ok(())
    } else {
        Err(format!(
            "`{at}` is {value}, which is not {format} ({type_name})"
        ))
    }
}

/// What kind of JSON value `v` is, for messages.
pub fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a Boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}
