//! S1: the target's introspected schema against our public SDL. Every difference is a finding with a stable name
//! (`missing-field Employee.email`, `field-type Query.employee: expected Employee, found Employee!`, ...), all
//! reported at once.

use std::collections::{BTreeMap, BTreeSet};

use apollo_compiler::schema::ExtendedType;
use serde_json::Value;

use crate::client::Request;
use crate::outcome::Verdict;
use crate::property::{CaseError, Check, Context, Group, Property, check_once};

pub static S1: Property = Property {
    id: "S1",
    name: "schema-matches-sdl",
    statement: "Introspection shows exactly the public SDL: the same types, fields, arguments, input fields, enum values, nullability and deprecations.",
    group: Group::Schema,
    writes: false,
    max_cases: Some(1),
    run,
};

/// The introspection query: every type with its fields, arguments, input fields and enum values.
pub const INTROSPECTION: &str = r#"query IntrospectionQuery {
  __schema {
    queryType { name }
    mutationType { name }
    subscriptionType { name }
    types {
      kind name
      fields(includeDeprecated: true) { name isDeprecated args(includeDeprecated: true) { name type { ...TypeRef } } type { ...TypeRef } }
      inputFields { name type { ...TypeRef } }
      enumValues(includeDeprecated: true) { name isDeprecated }
      possibleTypes { name }
      interfaces { name }
    }
  }
}
fragment TypeRef on __Type {
  kind name
  ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } }
}"#;

fn run(cx: &Context<'_>) -> Check {
    let mut findings = Vec::new();
    let mut no_endpoint = None;
    let check = check_once(cx, |case| {
        if crate::rest::is_rest(cx.rules) {
            // A REST API need not serve GraphQL at all: a 404 or 405 there means there is nothing to introspect.
            let mut probe = Request::post_json(
                &cx.target.graphql_url(),
                r#"{"query":"{ __typename }"}"#.to_owned(),
            );
            if let Some(c) = cx.target.primary() {
                probe = probe.header("Authorization", &c.authorization);
            }
            let response = case.send(probe)?;
            if matches!(response.status, 404 | 405) {
                no_endpoint = Some(response.status);
                return Ok(());
            }
        }
        // Deprecated arguments show only with `args(includeDeprecated: true)`, which older servers refuse: then
        // the plain query, and deprecated arguments are not compared.
        let mut reply = case.graphql(cx.target.primary(), INTROSPECTION, None)?;
        let mut deprecated_args = true;
        if reply.field("__schema").is_none() {
            let plain = INTROSPECTION.replace("args(includeDeprecated: true)", "args");
            reply = case.graphql(cx.target.primary(), &plain, None)?;
            deprecated_args = false;
        }
        let Some(schema) = reply.field("__schema") else {
            return Err(CaseError::fail(format!(
                "introspection returned no `__schema` ({}); the schema cannot be compared",
                reply.error_digest(cx.rules)
            )));
        };
        findings = compare(cx, schema, deprecated_args);
        if findings.is_empty() {
            Ok(())
        } else {
            Err(CaseError::fail(format!(
                "{} difference(s) from the public SDL",
                findings.len()
            )))
        }
    });
    if let Some(status) = no_endpoint {
        return Check::not_applicable(format!(
            "the target serves no GraphQL at {} (HTTP {status}): there is no schema to introspect",
            cx.target.graphql_url()
        ));
    }
    match check.verdict {
        Verdict::Failed(mut failure) if !findings.is_empty() => {
            failure.findings = findings;
            Check {
                verdict: Verdict::Failed(failure),
                cases: 1,
            }
        }
        _ => check,
    }
}

#[derive(Debug, Default)]
struct Found {
    kind: String,
    fields: BTreeMap<String, (String, bool, BTreeMap<String, String>)>,
    input_fields: BTreeMap<String, String>,
    enum_values: BTreeMap<String, bool>,
}

/// Compares an introspected `__schema` with the SDL; returns the findings.
fn compare(cx: &Context<'_>, schema: &Value, deprecated_args: bool) -> Vec<String> {
    let mut findings = Vec::new();
    let root = |key: &str| {
        schema
            .get(key)
            .and_then(|t| t.get("name"))
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let expected_roots = [
        (
            "query",
            "queryType",
            Some(cx.schema.query_type().to_owned()),
        ),
        (
            "mutation",
            "mutationType",
            cx.schema.mutation_type().map(str::to_owned),
        ),
    ];
    for (name, key, expected) in expected_roots {
        let found = root(key);
        if found != expected {
            findings.push(format!(
                "root-type {name}: expected {}, found {}",
                expected.as_deref().unwrap_or("none"),
                found.as_deref().unwrap_or("none")
            ));
        }
    }

    let mut found: BTreeMap<String, Found> = BTreeMap::new();
    for t in schema
        .get("types")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let Some(name) = t.get("name").and_then(Value::as_str) else {
            findings.push("malformed-type: a type without a name".to_owned());
            continue;
        };
        let mut entry = Found {
            kind: text(t, "kind"),
            ..Found::default()
        };
        for f in t
            .get("fields")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let fname = text(f, "name");
            let args = f
                .get("args")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|a| (text(a, "name"), type_ref(a.get("type"))))
                .collect();
            let deprecated = f
                .get("isDeprecated")
                .and_then(Value::as_bool)
                .unwrap_or(false);
            entry
                .fields
                .insert(fname, (type_ref(f.get("type")), deprecated, args));
        }
        for f in t
            .get("inputFields")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let fname = text(f, "name");
            entry.input_fields.insert(fname, type_ref(f.get("type")));
        }
        for v in t
            .get("enumValues")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let vname = text(v, "name");
            let deprecated = v
                .get("isDeprecated")
                .and_then(Value::as_bool)
                .unwrap_or(false);
            entry.enum_values.insert(vname, deprecated);
        }
        found.insert(name.to_owned(), entry);
    }

    let skip = |name: &str| {
        name.starts_with("__") || matches!(name, "String" | "Int" | "Float" | "Boolean" | "ID")
    };
    let expected = &cx.schema.schema.types;
    for (name, ty) in expected.iter().filter(|(n, _)| !skip(n)) {
        let Some(got) = found.get(name.as_str()) else {
            findings.push(format!("missing-type {name}"));
            continue;
        };
        let kind = kind_of(ty);
        if got.kind != kind {
            findings.push(format!(
                "type-kind {name}: expected {kind}, found {}",
                got.kind
            ));
            continue;
        }
        let mut expected_fields = BTreeSet::new();
        let object_fields = match ty {
            ExtendedType::Object(o) => Some(&o.fields),
            ExtendedType::Interface(i) => Some(&i.fields),
            _ => None,
        };
        for (fname, field) in object_fields.into_iter().flatten() {
            expected_fields.insert(fname.to_string());
            let Some((got_type, got_deprecated, got_args)) = got.fields.get(fname.as_str()) else {
                findings.push(format!("missing-field {name}.{fname}"));
                continue;
            };
            if *got_type != field.ty.to_string() {
                findings.push(format!(
                    "field-type {name}.{fname}: expected {}, found {got_type}",
                    field.ty
                ));
            }
            let deprecated = field.directives.get("deprecated").is_some();
            if *got_deprecated != deprecated {
                findings.push(format!(
                    "deprecation {name}.{fname}: expected {}, found {}",
                    if deprecated {
                        "deprecated"
                    } else {
                        "not deprecated"
                    },
                    if *got_deprecated {
                        "deprecated"
                    } else {
                        "not deprecated"
                    }
                ));
            }
            let mut expected_args = BTreeSet::new();
            for arg in &field.arguments {
                expected_args.insert(arg.name.to_string());
                if !deprecated_args && arg.directives.get("deprecated").is_some() {
                    continue;
                }
                match got_args.get(arg.name.as_str()) {
                    None => findings.push(format!("missing-argument {name}.{fname}({})", arg.name)),
                    Some(t) if *t != arg.ty.to_string() => findings.push(format!(
                        "argument-type {name}.{fname}({}): expected {}, found {t}",
                        arg.name, arg.ty
                    )),
                    Some(_) => {}
                }
            }
            for extra in got_args.keys().filter(|a| !expected_args.contains(*a)) {
                findings.push(format!("extra-argument {name}.{fname}({extra})"));
            }
        }
        for extra in got
            .fields
            .keys()
            .filter(|f| !expected_fields.contains(*f) && !f.starts_with("__"))
        {
            findings.push(format!("extra-field {name}.{extra}"));
        }
        if let ExtendedType::InputObject(input) = ty {
            for (fname, field) in &input.fields {
                match got.input_fields.get(fname.as_str()) {
                    None => findings.push(format!("missing-input-field {name}.{fname}")),
                    Some(t) if *t != field.ty.to_string() => findings.push(format!(
                        "input-field-type {name}.{fname}: expected {}, found {t}",
                        field.ty
                    )),
                    Some(_) => {}
                }
            }
            for extra in got
                .input_fields
                .keys()
                .filter(|f| !input.fields.contains_key(f.as_str()))
            {
                findings.push(format!("extra-input-field {name}.{extra}"));
            }
        }
        if let ExtendedType::Enum(e) = ty {
            for (vname, value) in &e.values {
                match got.enum_values.get(vname.as_str()) {
                    None => findings.push(format!("missing-enum-value {name}.{vname}")),
                    Some(d) if *d != value.directives.get("deprecated").is_some() => {
                        findings.push(format!("deprecation {name}.{vname}"))
                    }
                    Some(_) => {}
                }
            }
            for extra in got
                .enum_values
                .keys()
                .filter(|v| !e.values.contains_key(v.as_str()))
            {
                findings.push(format!("extra-enum-value {name}.{extra}"));
            }
        }
    }
    for name in found.keys().filter(|n| !skip(n)) {
        if !expected.contains_key(name.as_str()) {
            findings.push(format!("extra-type {name}"));
        }
    }
    findings
}

fn kind_of(ty: &ExtendedType) -> &'static str {
    match ty {
        ExtendedType::Scalar(_) => "SCALAR",
        ExtendedType::Object(_) => "OBJECT",
        ExtendedType::Interface(_) => "INTERFACE",
        ExtendedType::Union(_) => "UNION",
        ExtendedType::Enum(_) => "ENUM",
        ExtendedType::InputObject(_) => "INPUT_OBJECT",
    }
}

/// Renders an introspected type reference in SDL notation (`[Employee!]!`).
fn type_ref(value: Option<&Value>) -> String {
    let Some(value) = value else {
        return "?".to_owned();
    };
    let inner = || type_ref(value.get("ofType"));
    match value.get("kind").and_then(Value::as_str) {
        Some("NON_NULL") => format!("{}!", inner()),
        Some("LIST") => format!("[{}]", inner()),
        _ => text(value, "name"),
    }
}

/// A string member of an introspection object, `?` when it is missing (the finding then names it so).
fn text(value: &Value, key: &str) -> String {
    value
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or("?")
        .to_owned()
}
