//! Fidelity of schemas/healthmov_user_management.graphql to its source document, 002 "User Management API".
//!
//! The lists checked here are read from the document's own text: the operations it prints, their variables, the
//! `InputDependentObject` listing and the workflow. Before parsing, the tests apply the resolutions of
//! `shared/reference/seed-errata.md` ("002 Healthmov").

use std::collections::{BTreeMap, BTreeSet};

use apollo_compiler::ast::{self, OperationType, Value};
use apollo_compiler::request::coerce_variable_values;
use apollo_compiler::response::JsonMap;
use apollo_compiler::{ExecutableDocument, Schema};
use regex::Regex;
use serde_json::Value as Json;

use crate::support::{examples, schema, seed};

const API: &str = "healthmov_user_management";

/// One operation the document prints, with the variables block that follows it, if any.
#[derive(Debug)]
struct Printed {
    /// The operation's text after the errata fixes.
    operation: String,
    /// The variables block's text after the errata fixes.
    variables: Option<String>,
}

/// The root field an operation calls: its name and, for every argument it passes, the type of the variable that
/// carries it (`None` for a literal value).
#[derive(Debug)]
struct RootCall {
    operation_type: OperationType,
    field: String,
    arguments: BTreeMap<String, Option<String>>,
}

/// Errata 002.5: `login(username: String!, password: String!)` is printed with types in place of values. Rewrite
/// every such call into an operation with one variable per argument, so that it parses.
fn fix_signature_calls(text: &str) -> String {
    let call =
        Regex::new(r"mutation \{(\s*)(\w+)\((\w+: [A-Z][\w!\[\]]*(?:, \w+: [A-Z][\w!\[\]]*)*)\)")
            .unwrap();
    let fixed = call.replace_all(text, |c: &regex::Captures| {
        let pairs: Vec<(&str, &str)> = c[3]
            .split(", ")
            .map(|p| p.split_once(": ").unwrap())
            .collect();
        let definitions: Vec<String> = pairs.iter().map(|(n, t)| format!("${n}: {t}")).collect();
        let arguments: Vec<String> = pairs.iter().map(|(n, _)| format!("{n}: ${n}")).collect();
        format!(
            "mutation ({}) {{{}{}({})",
            definitions.join(", "),
            &c[1],
            &c[2],
            arguments.join(", ")
        )
    });
    assert_ne!(
        fixed, text,
        "errata 002.5: the login signature is no longer printed as an operation"
    );
    fixed.into_owned()
}

/// The operations the document prints, in document order, with the errata that make them parse applied.
fn printed_operations() -> Vec<Printed> {
    let text = seed("002");
    // Errata 002.2: `birthdate: Date)` in a variable list lacks its `$`.
    let birthdate = Regex::new(r"(?m)^(\s*)birthdate: Date\)").unwrap();
    assert!(birthdate.is_match(&text), "errata 002.2 no longer applies");
    let text = birthdate
        .replace_all(&text, "$1$$birthdate: Date)")
        .into_owned();
    let text = fix_signature_calls(&text);

    let lines: Vec<&str> = text.lines().collect();
    let mut printed: Vec<Printed> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let is_operation = line.starts_with("mutation") || line.starts_with("query") || line == "{";
        let is_variables = line.starts_with("variables = {");
        // `{` opening a JSON object (the Authorization header) is not an operation.
        let is_json = line == "{"
            && lines
                .get(i + 1)
                .is_some_and(|next| next.trim_start().starts_with('"'));
        if (is_operation && !is_json) || is_variables {
            let end = (i..lines.len())
                .find(|&j| lines[j] == "}")
                .expect("an unterminated block");
            let block = lines[i..=end].join("\n");
            if is_variables {
                let last = printed
                    .last_mut()
                    .expect("a variables block before any operation");
                assert!(
                    last.variables.is_none(),
                    "two variables blocks after one operation"
                );
                last.variables = Some(fix_variables(block.trim_start_matches("variables = ")));
            } else if is_operation && !is_json {
                printed.push(Printed {
                    operation: block,
                    variables: None,
                });
            }
            i = end + 1;
        } else {
            i += 1;
        }
    }
    printed
}

/// Errata 002.1, 002.3 and 002.11 in a variables block: misspelt names, missing commas, "(optional)" annotations.
fn fix_variables(block: &str) -> String {
    let text = block.replace("\"departmenet", "\"department");
    let text = Regex::new(r#""[ \t]*\n(\s*")"#)
        .unwrap()
        .replace_all(&text, "\",\n$1");
    text.replace(" (optional)\"", "\"")
}

/// The root fields an operation calls.
fn root_calls(operation: &str) -> Vec<RootCall> {
    let document = ast::Document::parse(operation, "002").unwrap_or_else(|e| {
        panic!(
            "a printed operation does not parse after the errata:\n{operation}\n{}",
            e.errors
        )
    });
    let mut calls = Vec::new();
    for definition in &document.definitions {
        let ast::Definition::OperationDefinition(op) = definition else {
            panic!("not an operation:\n{operation}");
        };
        let variable_types: BTreeMap<&str, String> = op
            .variables
            .iter()
            .map(|v| (v.name.as_str(), v.ty.to_string()))
            .collect();
        for selection in &op.selection_set {
            let ast::Selection::Field(field) = selection else {
                panic!("a root selection is not a field:\n{operation}");
            };
            let arguments = field
                .arguments
                .iter()
                .map(|a| {
                    let ty = match &*a.value {
                        Value::Variable(v) => Some(
                            variable_types
                                .get(v.as_str())
                                .unwrap_or_else(|| panic!("${v} is not defined in:\n{operation}"))
                                .clone(),
                        ),
                        _ => None,
                    };
                    (a.name.to_string(), ty)
                })
                .collect();
            calls.push(RootCall {
                operation_type: op.operation_type,
                field: field.name.to_string(),
                arguments,
            });
        }
    }
    calls
}

fn root_type(schema: &Schema, operation_type: OperationType) -> String {
    schema
        .root_operation(operation_type)
        .expect("a root type for every printed operation")
        .to_string()
}

#[test]
fn the_document_prints_every_operation_the_extraction_expects() {
    let printed = printed_operations();
    // Pagination x2, login, logout, refresh, five mutations on companies/departments/employees, setOffboardingDate,
    // two fetch queries and three searches: a guard on the extraction itself.
    assert_eq!(printed.len(), 16, "operations found: {printed:#?}");
    let with_variables = printed.iter().filter(|p| p.variables.is_some()).count();
    assert_eq!(with_variables, 6, "variables blocks found: {printed:#?}");
}

#[test]
fn every_called_root_field_exists_with_every_argument_it_is_passed() {
    let schema = schema(API);
    let mut failures = Vec::new();
    for printed in printed_operations() {
        for call in root_calls(&printed.operation) {
            let root = root_type(&schema, call.operation_type);
            let Ok(field) = schema.type_field(&root, &call.field) else {
                failures.push(format!("{root}.{} is missing", call.field));
                continue;
            };
            for (name, variable_type) in &call.arguments {
                match (field.argument_by_name(name), variable_type) {
                    (None, _) => {
                        failures.push(format!("{root}.{}({name}:) is missing", call.field))
                    }
                    (Some(argument), Some(ty)) if argument.ty.to_string() != *ty => {
                        failures.push(format!(
                            "{root}.{}({name}:) is {} but the document's variable is {ty}",
                            call.field, argument.ty
                        ))
                    }
                    _ => {}
                }
            }
            // A mutation takes exactly the arguments the document passes; a query may add the Relay ones.
            for argument in &field.arguments {
                let passed = call.arguments.contains_key(argument.name.as_str());
                let required = argument.ty.is_non_null() && argument.default_value.is_none();
                if !passed && (required || call.operation_type == OperationType::Mutation) {
                    failures.push(format!(
                        "{root}.{}({}: {}) is not passed by the document's operation",
                        call.field, argument.name, argument.ty
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_printed_operation_and_its_variables_validate() {
    let schema = schema(API);
    let mut failures = Vec::new();
    for (n, printed) in printed_operations().iter().enumerate() {
        let path = format!("002 operation {}", n + 1);
        let document = match ExecutableDocument::parse_and_validate(
            &schema,
            printed.operation.as_str(),
            &path,
        ) {
            Ok(document) => document,
            Err(e) => {
                failures.push(format!("{path}:\n{}", e.errors));
                continue;
            }
        };
        let Some(variables) = &printed.variables else {
            continue;
        };
        let variables: JsonMap =
            serde_json::from_value(Json::Object(documented_variables(variables))).unwrap();
        let operation = document.operations.get(None).unwrap();
        if let Err(e) = coerce_variable_values(&schema, operation, &variables) {
            failures.push(format!("{path}: variables: {}", e.message()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A variables block as JSON. Errata 002.4: the example's second dependent omits the required firstName, so (as
/// in the fixture) it gets one.
fn documented_variables(block: &str) -> serde_json::Map<String, Json> {
    let mut variables: serde_json::Map<String, Json> = serde_json::from_str(block)
        .unwrap_or_else(|e| panic!("variables are not JSON after the errata: {e}\n{block}"));
    if let Some(Json::Array(dependents)) = variables.get_mut("dependents") {
        for dependent in dependents.iter_mut().filter_map(Json::as_object_mut) {
            dependent
                .entry("firstName")
                .or_insert_with(|| Json::from("Baz"));
        }
    }
    variables
}

#[test]
fn the_examples_transcribe_the_printed_operations_in_order() {
    let printed = printed_operations();
    let examples = examples(API);
    assert_eq!(
        examples.len(),
        printed.len(),
        "one example per printed operation"
    );
    for (printed, example) in printed.iter().zip(&examples) {
        let documented: Vec<(String, Vec<String>)> = root_calls(&printed.operation)
            .into_iter()
            .map(|c| (c.field, c.arguments.into_keys().collect()))
            .collect();
        let transcribed: Vec<(String, Vec<String>)> = root_calls(&example.operation)
            .into_iter()
            .map(|c| (c.field, c.arguments.into_keys().collect()))
            .collect();
        assert_eq!(transcribed, documented, "{}", example.path.display());
        if let Some(variables) = &printed.variables {
            let documented = Json::Object(documented_variables(variables));
            let fixture = Json::Object(
                example
                    .variables
                    .clone()
                    .expect("the document gives variables"),
            );
            assert_eq!(
                fixture,
                documented,
                "{}: variables differ from the document's",
                example.path.display()
            );
        }
    }
}

#[test]
fn input_dependent_object_has_the_listed_fields() {
    let text = seed("002");
    let listing = Regex::new(r"InputDependentObject:\n((?:[ \t]+\$\w+: [\w!\[\]]+\n)+)").unwrap();
    let listing = listing
        .captures(&text)
        .expect("the InputDependentObject listing")[1]
        .to_owned();
    let field = Regex::new(r"\$(\w+): ([\w!\[\]]+)").unwrap();
    let schema = schema(API);
    let input = schema
        .get_input_object("InputDependentObject")
        .expect("input InputDependentObject");
    let listed: BTreeSet<&str> = field
        .captures_iter(&listing)
        .map(|c| c.get(1).unwrap().as_str())
        .collect();
    let declared: BTreeSet<&str> = input.fields.keys().map(|k| k.as_str()).collect();
    assert_eq!(
        declared, listed,
        "errata 002.4: the input's fields are the listed ones"
    );
    for c in field.captures_iter(&listing) {
        assert_eq!(
            input.fields[&c[1]].ty.to_string(),
            &c[2],
            "InputDependentObject.{}",
            &c[1]
        );
    }
}

#[test]
fn every_mutation_the_workflow_names_exists() {
    let text = seed("002");
    let workflow = text
        .split("Workflow")
        .nth(1)
        .unwrap()
        .split("Endpoints")
        .next()
        .unwrap();
    let named: Vec<&str> = Regex::new(r"with the ([a-z]\w+)")
        .unwrap()
        .captures_iter(workflow)
        .map(|c| c.get(1).unwrap().as_str())
        .collect();
    assert_eq!(
        named.len(),
        3,
        "the workflow names createCompany, createDepartment and createOrUpdateEmployee"
    );
    let schema = schema(API);
    for name in named {
        assert!(
            schema.type_field("Mutation", name).is_ok(),
            "Mutation.{name} is missing"
        );
    }
}

#[test]
fn every_connection_field_pages_relay_style() {
    let schema = schema(API);
    let mut connections = 0;
    for (type_name, ty) in &schema.types {
        let apollo_compiler::schema::ExtendedType::Object(object) = ty else {
            continue;
        };
        for field in object.fields.values() {
            if !field.ty.inner_named_type().ends_with("Connection") {
                continue;
            }
            connections += 1;
            let paginated = field.directives.get("paginated");
            let style = paginated
                .and_then(|d| d.specified_argument_by_name("style"))
                .and_then(|v| v.as_enum());
            assert_eq!(
                style.map(|s| s.as_str()),
                Some("RELAY"),
                "{type_name}.{} lacks @paginated(style: RELAY)",
                field.name
            );
            for argument in ["first", "after", "last", "before"] {
                assert!(
                    field.argument_by_name(argument).is_some(),
                    "{type_name}.{}({argument}:) is missing",
                    field.name
                );
            }
        }
    }
    assert!(
        connections >= 6,
        "companies, departments, employees x2, dependents, dependentsInfos"
    );
}

/// Every definition of the API's SDL that lacks a description: the schema, types, fields, arguments, input fields
/// and enum values.
pub(crate) fn undescribed(api: &str) -> Vec<String> {
    let path = crate::support::schemas_dir().join(format!("{api}.graphql"));
    let document = ast::Document::parse(crate::support::read(&path), &path).unwrap();
    let mut missing = Vec::new();
    let mut check = |description: &Option<apollo_compiler::Node<str>>, what: String| {
        if description.as_deref().is_none_or(|d| d.trim().is_empty()) {
            missing.push(what);
        }
    };
    for definition in &document.definitions {
        use ast::Definition as D;
        match definition {
            D::SchemaDefinition(d) => check(&d.description, "schema".into()),
            D::ScalarTypeDefinition(d) => check(&d.description, d.name.to_string()),
            D::ObjectTypeDefinition(d) => {
                check(&d.description, d.name.to_string());
                for field in &d.fields {
                    check(&field.description, format!("{}.{}", d.name, field.name));
                    for argument in &field.arguments {
                        check(
                            &argument.description,
                            format!("{}.{}({}:)", d.name, field.name, argument.name),
                        );
                    }
                }
            }
            D::InputObjectTypeDefinition(d) => {
                check(&d.description, d.name.to_string());
                for field in &d.fields {
                    check(&field.description, format!("{}.{}", d.name, field.name));
                }
            }
            D::EnumTypeDefinition(d) => {
                check(&d.description, d.name.to_string());
                for value in &d.values {
                    check(&value.description, format!("{}.{}", d.name, value.value));
                }
            }
            other => check(&None, format!("unexpected definition {:?}", other.name())),
        }
    }
    missing
}

#[test]
fn every_definition_is_described() {
    let missing = undescribed(API);
    assert!(missing.is_empty(), "undescribed: {missing:?}");
}
