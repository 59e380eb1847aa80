//! The mutation-semantics declarations of a field (`@effect`, `@invariant`), read into plain structs.

use apollo_compiler::ast::{DirectiveList, Value};
use serde::Deserialize;

/// One `@effect`, as declared.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Effect {
    pub kind: String,
    pub entity: Option<String>,
    pub id: Option<String>,
    pub each: Option<String>,
    #[serde(default)]
    pub fields: Vec<Write>,
    pub copy: Option<String>,
    pub status_field: Option<String>,
    #[serde(default)]
    pub from: Vec<String>,
    pub to: Option<String>,
    pub relation: Option<String>,
    pub members: Option<String>,
    #[serde(default)]
    pub owners: Vec<Owner>,
    #[serde(default)]
    pub requires: Vec<Condition>,
    pub result: Option<String>,
    pub result_field: Option<String>,
    pub beyond: Option<String>,
    #[serde(default)]
    pub beyond_fields: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Write {
    pub field: String,
    pub input: Option<String>,
    pub entity: Option<String>,
    pub via: Option<String>,
    pub value: Option<String>,
    pub context: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Owner {
    pub field: String,
    pub role: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Condition {
    pub invariant: String,
    pub input: Option<String>,
    pub at: Option<String>,
    pub entity: Option<String>,
    pub field: Option<String>,
    pub one_of: Option<Vec<String>>,
    pub equals: Option<String>,
    pub is: Option<String>,
    pub path: Option<String>,
}

/// The arguments of a directive as JSON, enum values as strings.
fn arguments(directive: &apollo_compiler::ast::Directive) -> serde_json::Value {
    fn json(value: &Value) -> serde_json::Value {
        match value {
            Value::Null => serde_json::Value::Null,
            Value::Enum(name) => name.as_str().into(),
            Value::String(s) => s.as_str().into(),
            Value::Boolean(b) => (*b).into(),
            Value::Int(i) => i.as_str().parse::<i64>().expect("an Int literal").into(),
            Value::Float(f) => f.as_str().parse::<f64>().expect("a Float literal").into(),
            Value::List(items) => items.iter().map(|v| json(v)).collect(),
            Value::Object(fields) => fields
                .iter()
                .map(|(k, v)| (k.to_string(), json(v)))
                .collect::<serde_json::Map<_, _>>()
                .into(),
            Value::Variable(_) => unreachable!("no variables in SDL"),
        }
    }
    directive
        .arguments
        .iter()
        .map(|a| (a.name.to_string(), json(&a.value)))
        .collect::<serde_json::Map<_, _>>()
        .into()
}

/// Every `@effect` of a field, parsed.
pub fn effects(directives: &DirectiveList) -> Vec<Effect> {
    directives
        .get_all("effect")
        .map(|d| serde_json::from_value(arguments(d)).unwrap_or_else(|e| panic!("@effect: {e}")))
        .collect()
}

/// The `(name, statement)` of every `@invariant` of a field.
pub fn invariants(directives: &DirectiveList) -> Vec<(String, String)> {
    let string = |d: &apollo_compiler::ast::Directive, name: &str| {
        d.specified_argument_by_name(name)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string()
    };
    directives
        .get_all("invariant")
        .map(|d| (string(d, "name"), string(d, "statement")))
        .collect()
}
