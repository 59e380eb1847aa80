//! Reading the document: its sections, tables (types, inputs, enums) and operations, glued rows split apart.

use std::collections::BTreeMap;

use regex::Regex;

use crate::support::seed;

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
pub(super) const BUILT_IN_SCALARS: [&str; 5] = ["Boolean", "Float", "ID", "Int", "String"];

/// The headers of the document's three kinds of table.
pub(super) const FIELD_TABLE: &str = "FieldTypeDescription";
pub(super) const ARGUMENT_TABLE: &str = "ArgumentTypeDescriptionRequired";
pub(super) const VALUE_TABLE: &str = "ValueDescription";

/// The document with the known slips corrected.
pub(super) fn document() -> String {
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
pub(super) struct Row {
    pub(super) name: String,
    pub(super) ty: String,
    pub(super) description: String,
}

impl Row {
    /// The reason a `DEPRECATED. Use x instead` description gives, if any.
    pub(super) fn deprecation(&self) -> Option<&str> {
        self.description.strip_prefix("DEPRECATED.").map(str::trim)
    }
}

/// A section of "Types", "Input Objects" or "Enums": a name, its description and its table rows.
#[derive(Debug)]
pub(super) struct Table {
    pub(super) name: String,
    pub(super) described: bool,
    pub(super) header: String,
    pub(super) rows: Vec<String>,
}

/// A "name (Type)" section of "Queries" or "Mutations", with its argument rows.
#[derive(Debug)]
pub(super) struct Operation {
    pub(super) name: String,
    pub(super) ty: String,
    pub(super) described: bool,
    pub(super) arguments: Vec<Row>,
}

#[derive(Debug)]
pub(super) struct Document {
    /// Every type name the document defines (Types, Input Objects, Enums, Scalars), longest first.
    pub(super) type_names: Vec<String>,
    pub(super) objects: Vec<(Table, Vec<Row>)>,
    pub(super) inputs: Vec<(Table, Vec<Row>)>,
    pub(super) enums: Vec<(Table, Vec<(String, String)>)>,
    /// Scalar name and whether the document describes it.
    pub(super) scalars: Vec<(String, bool)>,
    pub(super) queries: Vec<Operation>,
    pub(super) mutations: Vec<Operation>,
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

pub(super) fn parse_document(text: &str) -> Document {
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
