//! Fidelity of schemas/workable_members.graphql to its source document, 003 (Workable `PUT /members`).
//!
//! The lists checked here are read from the document's own text: the member keys table, the role values, the 422
//! rules, the path and body parameters and the response example. Before parsing, the tests apply the resolutions
//! of `shared/reference/seed-errata.md` ("003 Workable").

use std::collections::BTreeSet;

use apollo_compiler::Schema;
use apollo_compiler::ast::FieldDefinition;
use apollo_compiler::validation::Valid;
use regex::Regex;
use serde_json::Value as Json;

use crate::support::{read, schema, schemas_dir, seed};

const API: &str = "workable_members";

/// The document with errata 003.1 applied: "reviewerand" and "hris_employeeand" are rendering artifacts.
fn document() -> String {
    let text = seed("003");
    assert!(
        text.contains("reviewerand") && text.contains("hris_employeeand"),
        "errata 003.1 no longer applies"
    );
    text.replace("reviewerand", "reviewer and")
        .replace("hris_employeeand", "hris_employee and")
}

/// The text between `start` and the next `end`.
fn section<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text
        .find(start)
        .unwrap_or_else(|| panic!("the document has no {start:?}"))
        + start.len();
    let to = text[from..]
        .find(end)
        .unwrap_or_else(|| panic!("the document has no {end:?} after {start:?}"));
    &text[from..from + to]
}

fn normalize(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn update_member(schema: &Valid<Schema>) -> &FieldDefinition {
    schema
        .type_field("Mutation", "updateMember")
        .expect("Mutation.updateMember")
}

fn enum_values(schema: &Valid<Schema>, name: &str) -> BTreeSet<String> {
    let ty = schema
        .get_enum(name)
        .unwrap_or_else(|| panic!("enum {name}"));
    ty.values.keys().map(|v| v.to_string()).collect()
}

#[test]
fn every_member_key_exists_on_member() {
    let text = document();
    let table = section(
        &text,
        "Each member will have the following keys:",
        "Path Params",
    );
    // The table's cells are glued together: `idstringThe member identifier`.
    let row = Regex::new(r"^([a-z_]+?)(string|Array)\s*([A-Z].*)$").unwrap();
    let keys: Vec<(String, String)> = table
        .lines()
        .filter_map(|line| row.captures(line.trim()))
        .map(|c| (c[1].to_owned(), c[2].to_owned()))
        .collect();
    assert_eq!(keys.len(), 7, "keys found: {keys:?}");
    let schema = schema(API);
    for (key, kind) in keys {
        let field = schema
            .type_field("Member", &key)
            .unwrap_or_else(|_| panic!("Member.{key} is missing"));
        match kind.as_str() {
            "Array" => assert!(
                field.ty.is_list(),
                "Member.{key} is an Array in the document, {} here",
                field.ty
            ),
            _ => {
                let named = field.ty.inner_named_type();
                let stringish = named == "String" || schema.get_enum(named).is_some();
                assert!(
                    !field.ty.is_list() && stringish,
                    "Member.{key} is a string in the document, {} here",
                    field.ty
                );
            }
        }
    }
}

#[test]
fn every_documented_role_value_exists() {
    let text = document();
    let lists = Regex::new(r"Possible values are ([a-z_, ]*[a-z_])").unwrap();
    let separator = Regex::new(r",\s*|\s+and\s+").unwrap();
    let mut roles = BTreeSet::new();
    let mut hris_roles = BTreeSet::new();
    for list in lists.captures_iter(&text) {
        let values: Vec<String> = separator.split(&list[1]).map(str::to_owned).collect();
        if values.iter().all(|v| v.starts_with("hris_")) {
            hris_roles.extend(values);
        } else {
            roles.extend(values);
        }
    }
    assert!(
        !roles.is_empty() && !hris_roles.is_empty(),
        "no role lists found"
    );
    let schema = schema(API);
    assert_eq!(
        enum_values(&schema, "MemberRole"),
        roles,
        "MemberRole against the document's role values"
    );
    assert_eq!(
        enum_values(&schema, "HrisRole"),
        hris_roles,
        "HrisRole against the document's HRIS role values"
    );
    // The inputs and the member use these enums.
    let update = update_member(&schema);
    assert_eq!(
        update
            .argument_by_name("role")
            .unwrap()
            .ty
            .inner_named_type(),
        "MemberRole"
    );
    assert_eq!(
        update
            .argument_by_name("hris_role")
            .unwrap()
            .ty
            .inner_named_type(),
        "HrisRole"
    );
    assert_eq!(
        schema
            .type_field("Member", "role")
            .unwrap()
            .ty
            .inner_named_type(),
        "MemberRole"
    );
    assert_eq!(
        schema
            .type_field("Member", "hris_role")
            .unwrap()
            .ty
            .inner_named_type(),
        "HrisRole"
    );
}

#[test]
fn update_member_declares_one_invariant_per_422_rule() {
    let text = document();
    let bullets: Vec<String> = Regex::new(r"(?m)^\s*•\s*(.+?)\s*$")
        .unwrap()
        .captures_iter(&text)
        .map(|c| c[1].to_owned())
        .collect();
    assert_eq!(bullets.len(), 5, "bullets found: {bullets:?}");
    let sentence =
        Regex::new(r"(?m)^(If a member is already in the process of being updated.*422.*)$")
            .unwrap();
    let sentence = sentence
        .captures(&text)
        .expect("the \"already being updated\" sentence")[1]
        .to_owned();
    // "Mandatory if Workable HR is enabled": a body parameter that must be present, or 422.
    let mandatory = text.matches("Mandatory if").count();
    let rules: Vec<String> = std::iter::once(sentence).chain(bullets).collect();

    let schema = schema(API);
    let invariants: Vec<(String, String, Option<i32>)> = update_member(&schema)
        .directives
        .get_all("invariant")
        .map(|d| {
            let arg = |n: &str| d.specified_argument_by_name(n);
            (
                arg("name").and_then(|v| v.as_str()).unwrap().to_owned(),
                normalize(arg("statement").and_then(|v| v.as_str()).unwrap()),
                arg("status").and_then(|v| v.to_i32()),
            )
        })
        .collect();
    let names: BTreeSet<&str> = invariants.iter().map(|(n, _, _)| n.as_str()).collect();
    assert_eq!(names.len(), invariants.len(), "invariant names are unique");
    for rule in &rules {
        let holders: Vec<&str> = invariants
            .iter()
            .filter(|(_, statement, status)| {
                *status == Some(422) && statement.contains(rule.trim_end_matches('.'))
            })
            .map(|(n, _, _)| n.as_str())
            .collect();
        assert_eq!(
            holders.len(),
            1,
            "one @invariant(status: 422) must state {rule:?}; found {holders:?}"
        );
    }
    let rejected = invariants
        .iter()
        .filter(|(_, _, status)| *status == Some(422))
        .count();
    assert_eq!(
        rejected,
        rules.len() + mandatory,
        "@invariant(status: 422) count: {invariants:#?}"
    );
}

#[test]
fn update_member_takes_the_documented_parameters() {
    let text = document();
    let schema = schema(API);
    let update = update_member(&schema);
    let location = |name: &str| {
        let argument = update.argument_by_name(name).unwrap();
        let rest = argument
            .directives
            .get("restParam")
            .unwrap_or_else(|| panic!("{name} lacks @restParam"));
        rest.specified_argument_by_name("in")
            .and_then(|v| v.as_enum())
            .unwrap()
            .to_string()
    };
    let mut failures = Vec::new();
    for (heading, end, place) in [
        ("Path Params", "Body Params", "PATH"),
        ("Body Params", "Responses", "BODY"),
    ] {
        let params = parameters(section(&text, heading, end));
        assert!(!params.is_empty(), "no {heading} found");
        let in_place = update
            .arguments
            .iter()
            .filter(|a| location(&a.name) == place)
            .count();
        if in_place != params.len() {
            failures.push(format!(
                "{heading}: {} in the document, {in_place} arguments in {place}",
                params.len()
            ));
        }
        for (ty, required, description) in params {
            let matching: Vec<_> = update
                .arguments
                .iter()
                .filter(|a| {
                    let ours = normalize(a.description.as_deref().unwrap_or_default());
                    location(&a.name) == place && ours.contains(description.trim_end_matches('.'))
                })
                .collect();
            let [argument] = matching[..] else {
                failures.push(format!(
                    "{heading}: no single {place} argument is described as {description:?}"
                ));
                continue;
            };
            if argument.ty.is_non_null() != required {
                failures.push(format!(
                    "{}: {} but required is {required} in the document",
                    argument.name, argument.ty
                ));
            }
            if argument.ty.is_list() != ty.starts_with("array") {
                failures.push(format!(
                    "{}: {} but {ty} in the document",
                    argument.name, argument.ty
                ));
            }
        }
    }
    let scope = Regex::new(r"Required scope: (\w+)")
        .unwrap()
        .captures(&text)
        .expect("the required scope")[1]
        .to_owned();
    let declared = update
        .directives
        .get("requiresScope")
        .expect("@requiresScope on updateMember");
    let scopes = declared
        .specified_argument_by_name("scopes")
        .and_then(|v| v.as_list())
        .unwrap();
    if !scopes.iter().any(|s| s.as_str() == Some(scope.as_str())) {
        failures.push(format!("updateMember does not require scope {scope}"));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The parameters of a "Path Params" or "Body Params" section: `(type, required, description)`. Each is printed as
/// a type line, an optional `required` line and a description line (the parameter names are lost).
fn parameters(section: &str) -> Vec<(String, bool, String)> {
    let mut params: Vec<(String, bool, String)> = Vec::new();
    for line in section.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if ["string", "array of objects", "integer", "boolean"].contains(&line) {
            params.push((line.to_owned(), false, String::new()));
        } else if let Some((_, required, description)) = params.last_mut() {
            if line == "required" {
                *required = true;
            } else if description.is_empty() {
                // "members's" is a typo of the document (not in the errata); the SDL writes "member's".
                *description = line.replace("members's", "member's");
            }
        }
    }
    params
}

#[test]
fn the_response_example_is_a_member() {
    let text = document();
    let example = Regex::new(r#"(?m)^(\{ "id": .*\})\s*$"#).unwrap();
    let example: Json =
        serde_json::from_str(&example.captures(&text).expect("the response example")[1]).unwrap();
    let schema = schema(API);
    let member = example.as_object().unwrap();
    for (key, value) in member {
        let field = schema
            .type_field("Member", key)
            .unwrap_or_else(|_| panic!("Member.{key} is missing"));
        if let (Some(values), Some(value)) =
            (schema.get_enum(field.ty.inner_named_type()), value.as_str())
        {
            assert!(
                values.values.contains_key(value),
                "Member.{key}: {value} is not a {}",
                values.name
            );
        }
    }
    let fixture = schemas_dir()
        .join("examples")
        .join(API)
        .join("001_update_member.response.json");
    let fixture: Json = serde_json::from_str(&read(&fixture)).unwrap();
    assert_eq!(fixture, example, "the example response is the document's");
}

#[test]
fn every_definition_is_described() {
    let missing = crate::healthmov_seed::undescribed(API);
    assert!(missing.is_empty(), "undescribed: {missing:?}");
}
