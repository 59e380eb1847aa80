//! Reading the declarations' paths: an input path in a mutation's arguments (absent, null or a value; under `each`
//! through the current element) and a field path of an entity through references and relations.

use runtime::response::{JsonMap, JsonValue};

use super::model::Model;
use super::store::{Data, Record};

/// The element of an `each` list being applied: its path and its value.
#[derive(Debug, Clone, Copy)]
pub struct Element<'a> {
    pub path: &'a str,
    pub value: &'a JsonValue,
}

/// The value at an input path: `None` when absent from the request, `Some(Null)` when given as null. A path
/// through a list (other than the `each` list) reads every element and gives the list of what they hold.
pub fn input(args: &JsonMap, path: &str, each: Option<Element<'_>>) -> Option<JsonValue> {
    let mut current = JsonValue::Object(args.clone());
    let mut prefix = String::new();
    for segment in path.split('.') {
        current = step(&current, segment)?;
        if !prefix.is_empty() {
            prefix.push('.');
        }
        prefix.push_str(segment);
        if let Some(element) = each.filter(|e| e.path == prefix) {
            current = element.value.clone();
        }
    }
    Some(current)
}

fn step(value: &JsonValue, segment: &str) -> Option<JsonValue> {
    match value {
        JsonValue::Object(map) => map.get(segment).cloned(),
        JsonValue::Array(items) => Some(JsonValue::Array(
            items
                .iter()
                .filter_map(|item| step(item, segment))
                .collect(),
        )),
        _ => None,
    }
}

/// The ids a value holds: an id, or a list of them (nested lists flattened).
pub fn ids(value: &JsonValue) -> Vec<String> {
    match value {
        JsonValue::String(id) => vec![id.as_str().to_owned()],
        JsonValue::Number(n) => vec![n.to_string()],
        JsonValue::Array(items) => items.iter().flat_map(ids).collect(),
        _ => Vec::new(),
    }
}

/// A field of an entity as stored, or as a relation with `inverse` computes it (the ids of the entities whose
/// `inverse` reference is this one).
pub fn field(
    model: &Model,
    data: &Data,
    type_name: &str,
    record: &JsonMap,
    name: &str,
) -> JsonValue {
    if let Some(relation) = model.rules.relation(type_name, name)
        && let Some(inverse) = &relation.inverse
    {
        let id = record.get("id").cloned().unwrap_or(JsonValue::Null);
        let member_type = model
            .field(type_name, name)
            .map(|f| member_type(model, f.ty.inner_named_type().as_str()))
            .unwrap_or_default();
        let members = model
            .entity_types(&member_type)
            .into_iter()
            .flat_map(|t| data.all(t))
            .filter(|m| m.get(inverse.as_ref()) == Some(&id))
            .filter_map(|m| m.get("id").cloned())
            .collect();
        return JsonValue::Array(members);
    }
    record.get(name).cloned().unwrap_or(JsonValue::Null)
}

/// The type a relation lists: the item type, or the `data` items of a paginator.
pub fn member_type(model: &Model, named: &str) -> String {
    if model.is_paginator(named) {
        return model
            .field(named, "data")
            .map_or_else(String::new, |f| f.ty.inner_named_type().to_string());
    }
    named.to_owned()
}

/// The value at a field path of an entity, through references (a list at any step gives a list).
pub fn entity_path(
    model: &Model,
    data: &Data,
    type_name: &str,
    record: &Record,
    path: &str,
) -> JsonValue {
    let mut at: Vec<(String, Record)> = vec![(type_name.to_owned(), record.clone())];
    let segments: Vec<&str> = path.split('.').collect();
    let mut listed = false;
    for (i, segment) in segments.iter().enumerate() {
        let values: Vec<(String, JsonValue)> = at
            .iter()
            .map(|(t, r)| (t.clone(), field(model, data, t, r, segment)))
            .collect();
        if i + 1 == segments.len() {
            let mut out: Vec<JsonValue> = Vec::new();
            for (_, value) in values {
                match value {
                    JsonValue::Array(items) => {
                        listed = true;
                        out.extend(items);
                    }
                    other => out.push(other),
                }
            }
            return if listed || out.len() != 1 {
                JsonValue::Array(out)
            } else {
                out.pop().unwrap_or(JsonValue::Null)
            };
        }
        let mut next = Vec::new();
        for (t, value) in values {
            listed |= value.is_array();
            let named = model
                .field(&t, segment)
                .map(|f| member_type(model, f.ty.inner_named_type().as_str()))
                .unwrap_or_default();
            let types = model.entity_types(&named);
            for id in ids(&value) {
                if let Some((found, record)) = data.find(&types, &id) {
                    next.push((found.to_owned(), record.clone()));
                }
            }
        }
        at = next;
    }
    JsonValue::Null
}
