//! The JSON report of `generator diff` against its documented schema, `generator/diff-report.schema.json`.

use crate::check::crate_dir;
use crate::diff::{cases_dir, review};

/// The JSON report conforms to `diff-report.schema.json` (its types, required and only its properties, enums), for a
/// report with every part filled: changes with affects and operations, and the Rust API's changes.
#[test]
fn json_report_matches_its_schema() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(crate_dir().join("diff-report.schema.json")).unwrap(),
    )
    .unwrap();
    let report = review(
        &cases_dir().join("roles"),
        "old.graphql",
        "new.graphql",
        true,
    );
    let json: serde_json::Value = serde_json::from_str(&generator::diff::json(&report)).unwrap();
    assert!(
        report
            .changes
            .iter()
            .any(|c| !c.affects.is_empty() && !c.operations.is_empty())
    );
    let mut errors = Vec::new();
    conforms(&schema, &schema, &json, "$", &mut errors);
    assert!(errors.is_empty(), "{errors:#?}");
    let mut broken = json.clone();
    broken["changes"][0].as_object_mut().unwrap().remove("kind");
    broken["changes"][0]["criticality"] = "FATAL".into();
    broken["extra"] = 1.into();
    let many = serde_json::Value::Array(vec![json]);
    conforms(&schema, &schema, &many, "$", &mut errors);
    assert!(errors.is_empty(), "{errors:#?}");
    conforms(&schema, &schema, &broken, "$", &mut errors);
    assert_eq!(
        errors.len(),
        1,
        "the broken report matches neither form: {errors:?}"
    );
    let mut direct = Vec::new();
    conforms(
        &schema,
        &schema["$defs"]["report"],
        &broken,
        "$",
        &mut direct,
    );
    assert_eq!(direct.len(), 3, "{direct:?}");
}

/// The part of JSON Schema the report's schema uses: `$ref` into `$defs`, `oneOf`, `type`, `const`, `enum`,
/// `required`, `properties` with `additionalProperties: false`, `items`.
fn conforms(
    root: &serde_json::Value,
    schema: &serde_json::Value,
    value: &serde_json::Value,
    at: &str,
    errors: &mut Vec<String>,
) {
    use serde_json::Value;
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference.trim_start_matches("#/$defs/");
        return conforms(root, &root["$defs"][name], value, at, errors);
    }
    if let Some(options) = schema["oneOf"].as_array() {
        let matching = options
            .iter()
            .filter(|option| {
                let mut inner = Vec::new();
                conforms(root, option, value, at, &mut inner);
                inner.is_empty()
            })
            .count();
        if matching != 1 {
            errors.push(format!("{at}: matches {matching} of oneOf"));
        }
        return;
    }
    let type_name = match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    let allowed: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    if !allowed.is_empty() && !allowed.contains(&type_name) {
        errors.push(format!("{at}: {type_name}, expected {allowed:?}"));
    }
    if (!schema["const"].is_null() && schema["const"] != *value)
        || schema["enum"]
            .as_array()
            .is_some_and(|values| !values.contains(value))
    {
        errors.push(format!("{at}: {value} is not allowed"));
    }
    if let Value::Object(fields) = value {
        for required in schema["required"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if !fields.contains_key(required) {
                errors.push(format!("{at}: missing `{required}`"));
            }
        }
        for (key, field) in fields {
            match schema["properties"].get(key) {
                Some(property) => conforms(root, property, field, &format!("{at}.{key}"), errors),
                None if schema["additionalProperties"] == Value::Bool(false) => {
                    errors.push(format!("{at}: `{key}` is not in the schema"))
                }
                None => {}
            }
        }
    }
    if let (Value::Array(items), Some(item_schema)) = (value, schema.get("items")) {
        for (i, item) in items.iter().enumerate() {
            conforms(root, item_schema, item, &format!("{at}[{i}]"), errors);
        }
    }
}
