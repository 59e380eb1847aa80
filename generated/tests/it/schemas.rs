//! Every schema validates with no diagnostics, and every documented example validates against its schema.

use apollo_compiler::ExecutableDocument;
use apollo_compiler::request::coerce_variable_values;
use apollo_compiler::response::JsonMap;

use crate::support::{APIS, examples, schema, schemas_dir};

#[test]
fn every_schema_validates_without_diagnostics() {
    for api in APIS {
        let path = schemas_dir().join(format!("{api}.graphql"));
        if path.exists() {
            schema(api);
        }
    }
}

#[test]
fn every_example_validates_against_its_schema() {
    let mut failures = Vec::new();
    for api in APIS {
        let examples = examples(api);
        if examples.is_empty() {
            continue;
        }
        let schema = schema(api);
        for example in examples {
            let document = match ExecutableDocument::parse_and_validate(
                &schema,
                &example.operation,
                &example.path,
            ) {
                Ok(document) => document,
                Err(with_errors) => {
                    failures.push(format!(
                        "{}:\n{}",
                        example.path.display(),
                        with_errors.errors
                    ));
                    continue;
                }
            };
            let operation = document
                .operations
                .get(None)
                .expect("one operation per example");
            let variables: JsonMap = match &example.variables {
                Some(v) => serde_json::from_value(serde_json::Value::Object(v.clone())).unwrap(),
                None => JsonMap::new(),
            };
            if let Err(e) = coerce_variable_values(&schema, operation, &variables) {
                failures.push(format!(
                    "{}: variables: {}",
                    example.path.display(),
                    e.message()
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} invalid examples:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn rule_vocabulary_validates_on_its_own() {
    let rules = schemas_dir().join("rules.graphql");
    let text = crate::support::read(&rules);
    let schema = apollo_compiler::Schema::builder()
        .parse(text, &rules)
        .parse("type Query { ping: Int }", "query.graphql")
        .build()
        .unwrap_or_else(|with_errors| panic!("rules.graphql:\n{}", with_errors.errors));
    if let Err(with_errors) = schema.validate() {
        panic!("rules.graphql:\n{}", with_errors.errors);
    }
}
