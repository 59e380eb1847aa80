//! Comparing the document's items with the SDL: types, deprecations, descriptions, and the `@source` of additions.

use std::collections::BTreeSet;

use apollo_compiler::ast::{self, DirectiveList, Type};
use apollo_compiler::schema::ExtendedType;
use apollo_compiler::validation::Valid;
use apollo_compiler::{Node, Schema};

use crate::support::{read, schema, schemas_dir};

use super::API;
use super::document::{
    BUILT_IN_SCALARS, Document, Operation, Row, Table, document, parse_document,
};

/// Collects every mismatch, so one run reports them all.
#[derive(Default)]
struct Findings {
    problems: Vec<String>,
    checked: usize,
}

impl Findings {
    fn check(&mut self, ok: bool, problem: impl FnOnce() -> String) {
        self.checked += 1;
        if !ok {
            self.problems.push(problem());
        }
    }
}

fn described(description: Option<&Node<str>>) -> bool {
    description.is_some_and(|d| !d.trim().is_empty())
}

fn deprecation_reason(directives: &DirectiveList) -> Option<String> {
    directives.get("deprecated").map(|d| {
        d.specified_argument_by_name("reason")
            .and_then(|v| v.as_str())
            .unwrap_or("No longer supported")
            .to_string()
    })
}

/// One table of objects or inputs against the SDL type of its name (`description`: `None` when there is none): the
/// type's description, then each row against the field `field` finds.
fn check_table<'s>(
    findings: &mut Findings,
    kind: &str,
    table: &Table,
    rows: &[Row],
    description: Option<Option<&'s Node<str>>>,
    field: impl Fn(&str) -> Option<(&'s Type, &'s DirectiveList, Option<&'s Node<str>>)>,
) {
    let Some(description) = description else {
        findings.check(false, || format!("{kind} {} is missing", table.name));
        return;
    };
    if table.described {
        findings.check(described(description), || {
            format!("{}: no description", table.name)
        });
    }
    for row in rows {
        let at = format!("{}.{}", table.name, row.name);
        match field(row.name.as_str()) {
            Some((ty, directives, description)) => {
                check_item(findings, &at, row, ty, directives, description)
            }
            None => findings.check(false, || format!("{at} is missing")),
        }
    }
}

/// Compares one documented row with the SDL's type, deprecation and description of the same item.
fn check_item(
    findings: &mut Findings,
    at: &str,
    row: &Row,
    ty: &Type,
    directives: &DirectiveList,
    description: Option<&Node<str>>,
) {
    findings.check(ty.to_string() == row.ty, || {
        format!("{at}: type {ty}, the document says {}", row.ty)
    });
    let expected = row.deprecation().map(str::to_string);
    let actual = deprecation_reason(directives);
    findings.check(actual == expected, || {
        format!("{at}: deprecation {actual:?}, the document says {expected:?}")
    });
    if !row.description.is_empty() {
        findings.check(described(description), || {
            format!("{at}: no description, the document gives one")
        });
    }
}

fn check_operations(
    findings: &mut Findings,
    schema: &Schema,
    root: &str,
    operations: &[Operation],
) {
    let Some(object) = schema.get_object(root) else {
        findings.check(false, || format!("no {root} type"));
        return;
    };
    for operation in operations {
        let at = format!("{root}.{}", operation.name);
        let Some(field) = object.fields.get(operation.name.as_str()) else {
            findings.check(false, || format!("{at} is missing"));
            continue;
        };
        findings.check(field.ty.to_string() == operation.ty, || {
            format!(
                "{at}: returns {}, the document says {}",
                field.ty, operation.ty
            )
        });
        if operation.described {
            findings.check(described(field.description.as_ref()), || {
                format!("{at}: no description")
            });
        }
        for row in &operation.arguments {
            let at = format!("{at}({}:)", row.name);
            match field.argument_by_name(&row.name) {
                Some(argument) => check_item(
                    findings,
                    &at,
                    row,
                    &argument.ty,
                    &argument.directives,
                    argument.description.as_ref(),
                ),
                None => findings.check(false, || format!("{at} is missing")),
            }
            // A deprecation must point at a sibling argument (this is what caught errata 001/6).
            if let Some(target) = row
                .deprecation()
                .and_then(|r| r.strip_prefix("Use "))
                .and_then(|r| r.strip_suffix(" instead"))
            {
                findings.check(operation.arguments.iter().any(|a| a.name == target), || {
                    format!(
                        "{at}: deprecated in favour of {target}, which is not an argument of {}",
                        operation.name
                    )
                });
            }
        }
    }
}

/// What the document names, as `Type`, `Type.field`, `Type.field(arg:)` and `Type.VALUE` coordinates.
fn documented_coordinates(document: &Document) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (table, rows) in document.objects.iter().chain(&document.inputs) {
        out.insert(table.name.clone());
        out.extend(rows.iter().map(|r| format!("{}.{}", table.name, r.name)));
    }
    for (table, values) in &document.enums {
        out.insert(table.name.clone());
        out.extend(values.iter().map(|(v, _)| format!("{}.{v}", table.name)));
    }
    out.extend(document.scalars.iter().map(|(name, _)| name.clone()));
    for (root, operations) in [
        ("Query", &document.queries),
        ("Mutation", &document.mutations),
    ] {
        for operation in operations.iter() {
            out.insert(format!("{root}.{}", operation.name));
            out.extend(
                operation
                    .arguments
                    .iter()
                    .map(|a| format!("{root}.{}({}:)", operation.name, a.name)),
            );
        }
    }
    out
}

/// The names of the rule vocabulary's own types, which every API's schema carries.
fn rule_vocabulary_types() -> BTreeSet<String> {
    let path = schemas_dir().join("rules.graphql");
    let rules = ast::Document::parse(read(&path), &path).expect("rules.graphql parses");
    rules
        .definitions
        .iter()
        .filter(|d| !matches!(d, ast::Definition::DirectiveDefinition(_)))
        .filter_map(|d| d.name())
        .map(|n| n.to_string())
        .collect()
}

/// Everything in the SDL that the document does not name must say where it comes from.
fn check_additions(findings: &mut Findings, schema: &Valid<Schema>, documented: &BTreeSet<String>) {
    let rules = rule_vocabulary_types();
    let mut unsourced = |coordinate: String, directives: &DirectiveList| {
        if !documented.contains(&coordinate) {
            findings.check(directives.has("source"), || {
                format!("{coordinate} is not in the document and has no @source")
            });
        }
    };
    for (name, ty) in &schema.types {
        if ty.is_built_in() || rules.contains(name.as_str()) {
            continue;
        }
        // The document has no "Query" type: its queries are the "Queries" section, checked field by field.
        if name != "Query" {
            unsourced(name.to_string(), ty.directives());
        }
        match ty {
            ExtendedType::Object(object) => {
                for (field_name, field) in &object.fields {
                    unsourced(format!("{name}.{field_name}"), &field.directives);
                    for argument in &field.arguments {
                        unsourced(
                            format!("{name}.{field_name}({}:)", argument.name),
                            &argument.directives,
                        );
                    }
                }
            }
            ExtendedType::InputObject(input) => {
                for (field_name, field) in &input.fields {
                    unsourced(format!("{name}.{field_name}"), &field.directives);
                }
            }
            ExtendedType::Enum(enum_) => {
                for (value, definition) in &enum_.values {
                    unsourced(format!("{name}.{value}"), &definition.directives);
                }
            }
            _ => {}
        }
    }
}

#[test]
fn every_documented_item_is_in_the_sdl_with_its_documented_type() {
    let document = parse_document(&document());
    let schema = schema(API);
    let mut findings = Findings::default();

    for (table, rows) in &document.objects {
        let object = schema.get_object(&table.name);
        check_table(
            &mut findings,
            "object type",
            table,
            rows,
            object.map(|o| o.description.as_ref()),
            |name| {
                let field = object?.fields.get(name)?;
                Some((&field.ty, &field.directives, field.description.as_ref()))
            },
        );
    }
    for (table, rows) in &document.inputs {
        let input = schema.get_input_object(&table.name);
        check_table(
            &mut findings,
            "input type",
            table,
            rows,
            input.map(|i| i.description.as_ref()),
            |name| {
                let field = input?.fields.get(name)?;
                Some((&field.ty, &field.directives, field.description.as_ref()))
            },
        );
    }
    for (table, values) in &document.enums {
        let Some(enum_) = schema.get_enum(&table.name) else {
            findings.check(false, || format!("enum {} is missing", table.name));
            continue;
        };
        if table.described {
            findings.check(described(enum_.description.as_ref()), || {
                format!("{}: no description", table.name)
            });
        }
        for (value, description) in values {
            let at = format!("{}.{value}", table.name);
            match enum_.values.get(value.as_str()) {
                Some(definition) => {
                    findings.check(!definition.directives.has("deprecated"), || {
                        format!("{at} is deprecated")
                    });
                    if !description.is_empty() {
                        findings.check(described(definition.description.as_ref()), || {
                            format!("{at}: no description")
                        });
                    }
                }
                None => findings.check(false, || format!("{at} is missing")),
            }
        }
    }
    for (name, is_described) in &document.scalars {
        // Built-in scalars belong to every schema (apollo-compiler lists only those in use) and cannot be redeclared.
        if BUILT_IN_SCALARS.contains(&name.as_str()) {
            continue;
        }
        match schema.get_scalar(name) {
            Some(scalar) => {
                if *is_described {
                    findings.check(described(scalar.description.as_ref()), || {
                        format!("scalar {name}: no description")
                    });
                }
            }
            None => findings.check(false, || format!("scalar {name} is missing")),
        }
    }
    findings.check(
        schema
            .schema_definition
            .query
            .as_deref()
            .is_some_and(|q| q == "Query"),
        || "no query root Query".into(),
    );
    findings.check(
        schema
            .schema_definition
            .mutation
            .as_deref()
            .is_some_and(|m| m == "Mutation"),
        || "no mutation root Mutation".into(),
    );
    check_operations(&mut findings, &schema, "Query", &document.queries);
    check_operations(&mut findings, &schema, "Mutation", &document.mutations);
    check_additions(&mut findings, &schema, &documented_coordinates(&document));

    assert!(
        findings.problems.is_empty(),
        "{} problems:\n{}",
        findings.problems.len(),
        findings.problems.join("\n")
    );

    // The parser must have found the document's whole content, not silently matched little or nothing.
    let rows: usize = document
        .objects
        .iter()
        .chain(&document.inputs)
        .map(|(_, rows)| rows.len())
        .sum::<usize>()
        + document
            .queries
            .iter()
            .chain(&document.mutations)
            .map(|o| o.arguments.len())
            .sum::<usize>();
    let values: usize = document.enums.iter().map(|(_, values)| values.len()).sum();
    let counts = (
        document.type_names.len(),
        document.objects.len(),
        document.inputs.len(),
        document.enums.len(),
        document.scalars.len(),
        document.queries.len(),
        document.mutations.len(),
        rows,
        values,
    );
    assert!(
        counts.0 >= 75 && counts.1 >= 40 && counts.2 >= 23 && counts.3 >= 3 && counts.4 >= 9,
        "too few types read from the document (names, objects, inputs, enums, scalars): {counts:?}"
    );
    assert!(
        counts.5 >= 18 && counts.6 >= 8,
        "too few queries or mutations read: {counts:?}"
    );
    assert!(
        rows >= 348 && values >= 22,
        "too few table rows or enum values read: {counts:?}"
    );
    assert!(
        findings.checked >= 1000,
        "only {} checks ran",
        findings.checked
    );
}
