//! Fidelity of schemas/greenhouse_onboarding.graphql to its source document, read from the document itself: every
//! type, field, argument, input field, enum value and scalar its tables name exists in the SDL with the documented
//! type, deprecation and a description; whatever the SDL adds carries `@source`; the example files are the
//! document's example operations, in order, and the response files are its printed responses.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use apollo_compiler::ast::{self, DirectiveList, Type};
use apollo_compiler::schema::ExtendedType;
use apollo_compiler::validation::Valid;
use apollo_compiler::{Node, Schema};
use regex::Regex;

use crate::support::{examples, read, schema, schemas_dir, seed};

const API: &str = "greenhouse_onboarding";

/// Known slips of the document, corrected in its text before anything is compared: (as printed, as meant, why).
/// Each must occur in the document, so the table cannot go stale silently.
const SLIPS: &[(&str, &str, &str)] = &[
    // seed-errata.md, 001 item 3: the examples' comments say "dateValues"; the input field is `dateValue`.
    (
        "(as opposed to\n# dateValues or idValues)",
        "(as opposed to\n# dateValue or idValues)",
        "errata 001/3",
    ),
    // seed-errata.md, 001 item 6: the deprecation names "WorkCountryCodeFilter"; the argument is `workCountryCodeFilter`.
    (
        "Use WorkCountryCodeFilter instead",
        "Use workCountryCodeFilter instead",
        "errata 001/6",
    ),
];

/// The built-in scalars, which the document lists under "Scalars" but an SDL must not redeclare.
const BUILT_IN_SCALARS: [&str; 5] = ["Boolean", "Float", "ID", "Int", "String"];

/// The headers of the document's three kinds of table.
const FIELD_TABLE: &str = "FieldTypeDescription";
const ARGUMENT_TABLE: &str = "ArgumentTypeDescriptionRequired";
const VALUE_TABLE: &str = "ValueDescription";

// ------------------------------------------------------------------------------------------------------------------
// Reading the document
// ------------------------------------------------------------------------------------------------------------------

/// The document with the known slips corrected.
fn document() -> String {
    let mut text = seed("001");
    for (printed, meant, why) in SLIPS {
        assert!(
            text.contains(printed),
            "slip {why} ({printed:?}) no longer occurs in the document"
        );
        text = text.replace(printed, meant);
    }
    text
}

/// One table row: `name | type | description | required`, split apart again.
#[derive(Debug)]
struct Row {
    name: String,
    ty: String,
    description: String,
}

impl Row {
    /// The reason a `DEPRECATED. Use x instead` description gives, if any.
    fn deprecation(&self) -> Option<&str> {
        self.description.strip_prefix("DEPRECATED.").map(str::trim)
    }
}

/// A section of "Types", "Input Objects" or "Enums": a name, its description and its table rows.
#[derive(Debug)]
struct Table {
    name: String,
    described: bool,
    header: String,
    rows: Vec<String>,
}

/// A "name (Type)" section of "Queries" or "Mutations", with its argument rows.
#[derive(Debug)]
struct Operation {
    name: String,
    ty: String,
    described: bool,
    arguments: Vec<Row>,
}

#[derive(Debug)]
struct Document {
    /// Every type name the document defines (Types, Input Objects, Enums, Scalars), longest first.
    type_names: Vec<String>,
    objects: Vec<(Table, Vec<Row>)>,
    inputs: Vec<(Table, Vec<Row>)>,
    enums: Vec<(Table, Vec<(String, String)>)>,
    /// Scalar name and whether the document describes it.
    scalars: Vec<(String, bool)>,
    queries: Vec<Operation>,
    mutations: Vec<Operation>,
}

/// The lines under each of the document's top-level headings.
fn sections(text: &str) -> BTreeMap<&'static str, Vec<&str>> {
    const HEADINGS: [&str; 6] = [
        "Queries",
        "Mutations",
        "Types",
        "Input Objects",
        "Scalars",
        "Enums",
    ];
    let lines: Vec<&str> = text.lines().collect();
    let mut starts: Vec<(usize, &'static str)> = HEADINGS
        .iter()
        .map(|&heading| {
            let at: Vec<usize> = (0..lines.len()).filter(|&i| lines[i] == heading).collect();
            assert_eq!(
                at.len(),
                1,
                "heading {heading:?} should occur once as a line of the document"
            );
            (at[0], heading)
        })
        .collect();
    starts.sort();
    let mut out = BTreeMap::new();
    for (k, &(start, heading)) in starts.iter().enumerate() {
        let end = starts.get(k + 1).map_or(lines.len(), |&(next, _)| next);
        out.insert(heading, lines[start + 1..end].to_vec());
    }
    out
}

/// Blank-line separated paragraphs.
fn paragraphs<'a>(lines: &[&'a str]) -> Vec<Vec<&'a str>> {
    let mut out = Vec::new();
    let mut current = Vec::new();
    for &line in lines {
        if line.trim().is_empty() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
        } else {
            current.push(line);
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

fn is_type_name(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_uppercase()) && s.chars().all(|c| c.is_ascii_alphanumeric())
}

fn is_field_name(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Example code (`# comment`, `{`, `mutation {`, indented lines) rather than prose.
fn is_code(paragraph: &[&str]) -> bool {
    let first = paragraph[0];
    first.starts_with(['#', '{', '}', ' '])
        || first.starts_with("mutation")
        || first.starts_with("query")
}

/// The tables of a section: each table's name is the last one-word paragraph before it, its description the
/// paragraphs between that name and the table.
fn tables(lines: &[&str]) -> Vec<Table> {
    let mut out = Vec::new();
    let mut pending: Vec<Vec<&str>> = Vec::new();
    for paragraph in paragraphs(lines) {
        if [FIELD_TABLE, ARGUMENT_TABLE, VALUE_TABLE].contains(&paragraph[0]) {
            let at = pending
                .iter()
                .rposition(|p| p.len() == 1 && is_type_name(p[0]))
                .unwrap_or_else(|| panic!("no type name before the table {paragraph:?}"));
            out.push(Table {
                name: pending[at][0].to_string(),
                described: at + 1 < pending.len(),
                header: paragraph[0].to_string(),
                rows: paragraph[1..].iter().map(|r| r.to_string()).collect(),
            });
            pending.clear();
        } else {
            pending.push(paragraph);
        }
    }
    out
}

/// The type token at the start of `s`: `T`, `T!`, `[T]`, `[T]!`, `[T!]` or `[T!]!`, where `T` is one of the
/// document's type names (tried longest first, so `DateFilter` wins over `Date`).
fn type_token<'a>(type_names: &[String], s: &'a str) -> Option<&'a str> {
    let list = s.starts_with('[');
    let mut i = usize::from(list);
    let name = type_names.iter().find(|n| s[i..].starts_with(n.as_str()))?;
    i += name.len();
    if s[i..].starts_with('!') {
        i += 1;
    }
    if list {
        if !s[i..].starts_with(']') {
            return None;
        }
        i += 1;
        if s[i..].starts_with('!') {
            i += 1;
        }
    }
    Some(&s[..i])
}

/// Splits a glued row such as `dateValueDateFilter` or `idStringA unique identifier...`.
///
/// A row may split in several places that each leave a name followed by a type token (`date|Value|DateFilter`,
/// `dateValue|DateFilter|`, `hrManagerFilterHr|ManagerFilter|filter...`). The right one is the leftmost whose
/// description does not begin with the rest of a glued name or type: its first word contains no type name.
fn split_row(type_names: &[String], row: &str, has_required_column: bool) -> Row {
    for (i, _) in row.char_indices().skip(1) {
        let name = &row[..i];
        if !is_field_name(name) {
            break;
        }
        let Some(ty) = type_token(type_names, &row[i..]) else {
            continue;
        };
        let mut description = &row[i + ty.len()..];
        let first_word = description.split(' ').next().unwrap_or("");
        if type_names.iter().any(|n| first_word.contains(n.as_str())) {
            continue;
        }
        if has_required_column && let Some(rest) = description.strip_suffix("Required") {
            assert!(
                ty.ends_with('!'),
                "row {row:?} is Required but its type {ty} is nullable"
            );
            description = rest;
        } else {
            assert!(
                !ty.ends_with('!') || !has_required_column,
                "row {row:?}: non-null type but not Required"
            );
        }
        return Row {
            name: name.to_string(),
            ty: ty.to_string(),
            description: description.trim().to_string(),
        };
    }
    panic!("cannot split the table row {row:?} into name, type and description");
}

/// Splits an enum row such as `CANCELEDSignature request has been terminated.` into value and description.
fn split_enum_row(row: &str) -> (String, String) {
    let re = Regex::new(r"^([A-Z][A-Z0-9_]*?)([A-Z][a-z].*)?$").unwrap();
    let caps = re
        .captures(row)
        .unwrap_or_else(|| panic!("cannot split the enum row {row:?}"));
    (
        caps[1].to_string(),
        caps.get(2)
            .map_or(String::new(), |m| m.as_str().to_string()),
    )
}

/// The "name (Type)" sections of "Queries" or "Mutations".
fn operations(lines: &[&str], type_names: &[String]) -> Vec<Operation> {
    let heading = Regex::new(r"^([a-z][A-Za-z0-9]*) \((\[?[A-Za-z0-9]+!?\]?!?)\)$").unwrap();
    let mut out: Vec<Operation> = Vec::new();
    for paragraph in paragraphs(lines) {
        if let Some(caps) = heading
            .captures(paragraph[0])
            .filter(|_| paragraph.len() == 1)
        {
            out.push(Operation {
                name: caps[1].to_string(),
                ty: caps[2].to_string(),
                described: false,
                arguments: Vec::new(),
            });
            continue;
        }
        let operation = out
            .last_mut()
            .unwrap_or_else(|| panic!("{paragraph:?} comes before any heading"));
        if paragraph[0] == ARGUMENT_TABLE {
            operation.arguments = paragraph[1..]
                .iter()
                .map(|r| split_row(type_names, r, true))
                .collect();
        } else if !is_code(&paragraph) {
            operation.described = true;
        }
    }
    out
}

fn parse_document(text: &str) -> Document {
    let sections = sections(text);
    let objects = tables(&sections["Types"]);
    let inputs = tables(&sections["Input Objects"]);
    let enums = tables(&sections["Enums"]);
    let scalar_paragraphs = paragraphs(&sections["Scalars"]);
    let scalars: Vec<(String, bool)> = scalar_paragraphs
        .iter()
        .enumerate()
        .filter(|(_, p)| p.len() == 1 && is_type_name(p[0]))
        .map(|(k, p)| {
            let described = scalar_paragraphs
                .get(k + 1)
                .is_some_and(|next| !is_type_name(next[0]));
            (p[0].to_string(), described)
        })
        .collect();

    let mut type_names: Vec<String> = objects
        .iter()
        .chain(&inputs)
        .chain(&enums)
        .map(|t| t.name.clone())
        .chain(scalars.iter().map(|(name, _)| name.clone()))
        .collect();
    type_names.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    type_names.dedup();

    for (tables, header) in [
        (&objects, FIELD_TABLE),
        (&inputs, ARGUMENT_TABLE),
        (&enums, VALUE_TABLE),
    ] {
        for table in tables {
            assert_eq!(
                table.header, header,
                "{} has an unexpected table",
                table.name
            );
        }
    }
    let split_all = |tables: Vec<Table>, required: bool| -> Vec<(Table, Vec<Row>)> {
        tables
            .into_iter()
            .map(|t| {
                let rows = t
                    .rows
                    .iter()
                    .map(|r| split_row(&type_names, r, required))
                    .collect();
                (t, rows)
            })
            .collect()
    };
    let objects = split_all(objects, false);
    let inputs = split_all(inputs, true);
    let enums = enums
        .into_iter()
        .map(|t| {
            let values = t.rows.iter().map(|r| split_enum_row(r)).collect();
            (t, values)
        })
        .collect();
    let queries = operations(&sections["Queries"], &type_names);
    let mutations = operations(&sections["Mutations"], &type_names);
    Document {
        type_names,
        objects,
        inputs,
        enums,
        scalars,
        queries,
        mutations,
    }
}

// ------------------------------------------------------------------------------------------------------------------
// Comparing with the SDL
// ------------------------------------------------------------------------------------------------------------------

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
        let Some(object) = schema.get_object(&table.name) else {
            findings.check(false, || format!("object type {} is missing", table.name));
            continue;
        };
        if table.described {
            findings.check(described(object.description.as_ref()), || {
                format!("{}: no description", table.name)
            });
        }
        for row in rows {
            let at = format!("{}.{}", table.name, row.name);
            match object.fields.get(row.name.as_str()) {
                Some(field) => check_item(
                    &mut findings,
                    &at,
                    row,
                    &field.ty,
                    &field.directives,
                    field.description.as_ref(),
                ),
                None => findings.check(false, || format!("{at} is missing")),
            }
        }
    }
    for (table, rows) in &document.inputs {
        let Some(input) = schema.get_input_object(&table.name) else {
            findings.check(false, || format!("input type {} is missing", table.name));
            continue;
        };
        if table.described {
            findings.check(described(input.description.as_ref()), || {
                format!("{}: no description", table.name)
            });
        }
        for row in rows {
            let at = format!("{}.{}", table.name, row.name);
            match input.fields.get(row.name.as_str()) {
                Some(field) => check_item(
                    &mut findings,
                    &at,
                    row,
                    &field.ty,
                    &field.directives,
                    field.description.as_ref(),
                ),
                None => findings.check(false, || format!("{at} is missing")),
            }
        }
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

// ------------------------------------------------------------------------------------------------------------------
// The examples
// ------------------------------------------------------------------------------------------------------------------

/// An example operation the document prints, with the `#` comment lines right above it.
#[derive(Debug)]
struct DocumentedOperation {
    line: usize,
    printed: String,
    comments: Vec<String>,
}

/// The operation in `text` printed in a canonical form (no comments, standard layout), or `None` when `text` is not
/// a GraphQL operation.
fn canonical_operation(text: &str) -> Option<String> {
    let parsed = ast::Document::parse(text, "example.graphql").ok()?;
    let operations = parsed
        .definitions
        .iter()
        .filter(|d| d.as_operation_definition().is_some())
        .count();
    (operations == 1 && parsed.definitions.len() == 1).then(|| parsed.to_string())
}

/// The index of the line that closes the `{` block opening at `start`, ignoring braces in strings and comments.
fn block_end(lines: &[&str], start: usize) -> usize {
    let mut depth = 0i32;
    let mut in_string = false;
    for (i, line) in lines.iter().enumerate().skip(start) {
        let mut escaped = false;
        for c in line.chars() {
            if in_string {
                match c {
                    _ if escaped => escaped = false,
                    '\\' => escaped = true,
                    '"' => in_string = false,
                    _ => {}
                }
                continue;
            }
            match c {
                '"' => in_string = true,
                '#' => break,
                '{' => depth += 1,
                '}' => depth -= 1,
                _ => {}
            }
        }
        if depth == 0 && i >= start && lines[start..=i].iter().any(|l| l.contains('{')) {
            return i;
        }
    }
    panic!("the block at line {} never closes", start + 1);
}

/// The `#` lines right above line `start` (blank lines between them and the code allowed).
fn comments_above(lines: &[&str], start: usize) -> Vec<String> {
    let mut i = start;
    while i > 0 && lines[i - 1].trim().is_empty() {
        i -= 1;
    }
    let end = i;
    while i > 0 && lines[i - 1].starts_with('#') {
        i -= 1;
    }
    lines[i..end]
        .iter()
        .map(|l| l.trim_end().to_string())
        .collect()
}

/// The document's example operations in order, and its printed JSON responses.
///
/// Operations are the blocks that parse as GraphQL (`{`, `mutation {`, `query`), plus the queries of request
/// payloads (`{"query": ...}` and curl's `-d '...'`) unless the payload repeats the operation just before it (the
/// basic request is printed raw, packed as JSON and in a curl line). Responses are the JSON blocks with `data` or
/// `errors`.
fn documented_examples(text: &str) -> (Vec<DocumentedOperation>, Vec<serde_json::Value>) {
    let lines: Vec<&str> = text.lines().collect();
    let mut operations: Vec<DocumentedOperation> = Vec::new();
    let mut responses = Vec::new();
    let payload =
        |operations: &mut Vec<DocumentedOperation>, line: usize, json: &serde_json::Value| {
            let query = json["query"]
                .as_str()
                .expect("a request payload has a query string");
            let printed = canonical_operation(query)
                .unwrap_or_else(|| panic!("line {}: bad query in payload", line + 1));
            if operations
                .last()
                .is_none_or(|previous| previous.printed != printed)
            {
                operations.push(DocumentedOperation {
                    line: line + 1,
                    printed,
                    comments: Vec::new(),
                });
            }
        };
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let opens_block = line.trim_end() == "{"
            || line.starts_with("{\"")
            || line.starts_with("mutation {")
            || line.starts_with("query ")
            || line.starts_with("query{");
        if opens_block {
            let end = block_end(&lines, i);
            let block = lines[i..=end].join("\n");
            if let Some(printed) = canonical_operation(&block) {
                operations.push(DocumentedOperation {
                    line: i + 1,
                    printed,
                    comments: comments_above(&lines, i),
                });
            } else if let Ok(json) = serde_json::from_str::<serde_json::Value>(&block) {
                if json.get("query").is_some() {
                    payload(&mut operations, i, &json);
                } else if json.get("data").is_some() || json.get("errors").is_some() {
                    responses.push(json);
                }
            }
            i = end + 1;
            continue;
        }
        if let Some(start) = line.find("-d '") {
            let body = &line[start + 4..];
            let body = &body[..body.rfind('\'').expect("a curl -d body ends with a quote")];
            let json: serde_json::Value =
                serde_json::from_str(body).expect("a curl -d body is JSON");
            payload(&mut operations, i, &json);
        }
        i += 1;
    }
    (operations, responses)
}

#[test]
fn the_example_files_are_the_documents_examples_in_order() {
    let (documented, _) = documented_examples(&document());
    let files = examples(API);
    assert!(
        documented.len() >= 30,
        "only {} example operations found in the document",
        documented.len()
    );
    assert_eq!(
        files.len(),
        documented.len(),
        "{} example files for {} documented operations (at lines {:?})",
        files.len(),
        documented.len(),
        documented.iter().map(|d| d.line).collect::<Vec<_>>()
    );
    let mut problems = Vec::new();
    for (k, (file, doc)) in files.iter().zip(&documented).enumerate() {
        let name = file
            .path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        if !name.starts_with(&format!("{:03}_", k + 1)) {
            problems.push(format!("{name}: should be numbered {:03}", k + 1));
        }
        match canonical_operation(&file.operation) {
            Some(printed) if printed == doc.printed => {}
            Some(printed) => problems.push(format!(
                "{name} differs from line {}:\n{printed}\n---\n{}",
                doc.line, doc.printed
            )),
            None => problems.push(format!("{name}: not one operation")),
        }
        let header: Vec<String> = file
            .operation
            .lines()
            .take_while(|l| l.starts_with('#'))
            .map(|l| l.trim_end().to_string())
            .collect();
        if !doc.comments.is_empty() && header != doc.comments {
            problems.push(format!(
                "{name}: comment header {header:?}, the document has {:?}",
                doc.comments
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_response_files_are_the_documents_responses() {
    let (_, documented) = documented_examples(&document());
    assert!(
        documented.len() >= 6,
        "only {} responses found in the document",
        documented.len()
    );
    let dir = schemas_dir().join("examples").join(API);
    let stems: BTreeSet<String> = examples(API)
        .iter()
        .map(|e| e.path.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    let mut saved = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !name.ends_with(".response.json") {
            continue;
        }
        let example = name.split('.').next().unwrap();
        assert!(
            stems.contains(example),
            "{name} belongs to no example ({example}.graphql)"
        );
        let json: serde_json::Value = serde_json::from_str(&read(Path::new(&path)))
            .unwrap_or_else(|e| panic!("{name} is not valid JSON: {e}"));
        assert!(
            documented.contains(&json),
            "{name} is not a response the document prints"
        );
        saved.push(json);
    }
    for response in &documented {
        assert!(
            saved.contains(response),
            "the document's response {response} is saved in no .response.json file"
        );
    }
}
