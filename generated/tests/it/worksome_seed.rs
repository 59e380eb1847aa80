//! Fidelity of schemas/worksome.graphql to its source document (000_*.txt: 101 mutations) and to the live signatures
//! in schemas/sources/worksome-signatures.graphql.

use std::collections::{BTreeMap, BTreeSet};

use apollo_compiler::ast::{DirectiveList, Value};
use apollo_compiler::collections::IndexMap;
use apollo_compiler::schema::{ExtendedType, FieldDefinition, InputValueDefinition};
use apollo_compiler::{Name, Node, Schema};
use regex::Regex;
use runtime::rules::{Effect, EffectKind, FieldRules, WriteSource};

use crate::support::{read, schema, schemas_dir, seed};

/// One mutation as the document gives it.
#[derive(Debug)]
struct DocMutation {
    name: String,
    /// The `Type:` line, e.g. `Hire!` or `[JobCandidate!]!`.
    ty: String,
    /// The type glued to `input` in the Arguments table, e.g. `AcceptBidInput!`; `None` when there is no table.
    input: Option<String>,
    /// The description paragraphs, table lines excluded.
    description: Vec<String>,
}

/// Every mutation of the document: a name line followed by a `Type: ...` line, up to the next such pair.
fn document_mutations() -> Vec<DocMutation> {
    let text = seed("000");
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let starts: Vec<usize> = (0..lines.len().saturating_sub(1))
        .filter(|&i| lines[i + 1].starts_with("Type: "))
        .collect();
    let name_re = Regex::new(r"^[a-z][A-Za-z0-9]*$").unwrap();
    starts
        .iter()
        .enumerate()
        .map(|(k, &start)| {
            let end = starts.get(k + 1).copied().unwrap_or(lines.len());
            let name = lines[start].to_string();
            assert!(name_re.is_match(&name), "not a mutation name: {name:?}");
            let ty = lines[start + 1]["Type: ".len()..].trim().to_string();
            let mut input = None;
            let mut description = Vec::new();
            let mut i = start + 2;
            while i < end {
                let line = lines[i];
                if line == "| Arguments |" {
                    assert_eq!(lines[i + 1], "|---|", "{name}: arguments table");
                    let cell = lines[i + 2].trim_end_matches('|').trim();
                    let glued = cell.strip_prefix("input").unwrap_or_else(|| {
                        panic!("{name}: argument {cell:?} is not `input` glued to a type")
                    });
                    input = Some(glued.to_string());
                    i += 3;
                    continue;
                }
                if !line.is_empty() {
                    description.push(line.to_string());
                }
                i += 1;
            }
            DocMutation {
                name,
                ty,
                input,
                description,
            }
        })
        .collect()
}

/// The role each "Only companies / company members / workers / recruiters ... can" sentence names.
fn roles_in(description: &[String]) -> BTreeSet<String> {
    let re = Regex::new(r"\bOnly (compan(?:y|ies)|workers?|recruiters?)\b[^.]*? can\b").unwrap();
    description
        .iter()
        .flat_map(|p| {
            re.captures_iter(p)
                .map(|c| c[1].to_string())
                .collect::<Vec<_>>()
        })
        .map(|who| {
            if who.starts_with("compan") {
                "company"
            } else if who.starts_with("worker") {
                "worker"
            } else {
                "recruiter"
            }
            .to_string()
        })
        .collect()
}

/// The roles of a field's `@requiresRole`, or `None` without one.
fn required_roles(directives: &DirectiveList) -> Option<BTreeSet<String>> {
    let directive = directives.get("requiresRole")?;
    let Some(Value::List(items)) = directive.specified_argument_by_name("roles").map(|v| &**v)
    else {
        panic!("@requiresRole without a roles list");
    };
    Some(
        items
            .iter()
            .map(|v| v.as_str().expect("role names are strings").to_string())
            .collect(),
    )
}

#[test]
fn mutations_match_the_document() {
    let doc = document_mutations();
    assert_eq!(doc.len(), 101, "the document has 101 mutations");
    let schema = schema("worksome");
    let mutation = schema.get_object("Mutation").expect("a Mutation type");

    let documented: BTreeSet<&str> = doc.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(documented.len(), 101, "mutation names are unique");
    let declared: BTreeSet<&str> = mutation.fields.keys().map(Name::as_str).collect();
    assert_eq!(
        declared, documented,
        "Mutation fields are exactly the documented mutations"
    );

    let mut failures = Vec::new();
    for m in &doc {
        let field = &mutation.fields[m.name.as_str()];
        if field.ty.to_string() != m.ty {
            failures.push(format!(
                "{}: returns {}, the document says {}",
                m.name, field.ty, m.ty
            ));
        }
        let arguments: Vec<String> = field
            .arguments
            .iter()
            .map(|a| format!("{}: {}", a.name, a.ty))
            .collect();
        let expected: Vec<String> = m.input.iter().map(|ty| format!("input: {ty}")).collect();
        if arguments != expected {
            failures.push(format!(
                "{}: arguments {arguments:?}, the document says {expected:?}",
                m.name
            ));
        }
        let description = field.description.as_deref().unwrap_or_default();
        for paragraph in &m.description {
            if !description.contains(paragraph.as_str()) {
                failures.push(format!(
                    "{}: description lacks the document's {paragraph:?}",
                    m.name
                ));
            }
        }
    }
    assert_eq!(
        doc.iter().filter(|m| m.input.is_some()).count(),
        100,
        "every mutation but sendVerificationEmail has an input"
    );
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn role_rules_match_the_only_x_can_sentences() {
    let doc = document_mutations();
    assert_eq!(doc.len(), 101);
    let expected: BTreeMap<&str, BTreeSet<String>> = doc
        .iter()
        .map(|m| (m.name.as_str(), roles_in(&m.description)))
        .filter(|(_, roles)| !roles.is_empty())
        .collect();
    assert!(
        expected.len() > 40,
        "only {} role sentences found: the parser regressed",
        expected.len()
    );

    let schema = schema("worksome");
    let mutation = schema.get_object("Mutation").expect("a Mutation type");
    let mut failures = Vec::new();
    let mut ruled = 0;
    for (name, field) in &mutation.fields {
        let actual = required_roles(&field.directives);
        ruled += usize::from(actual.is_some());
        let wanted = expected.get(name.as_str());
        if actual.as_ref() != wanted {
            failures.push(format!(
                "{name}: @requiresRole {actual:?}, the document says {wanted:?}"
            ));
        }
    }
    for (type_name, ty) in &schema.types {
        if let ExtendedType::Object(object) = ty
            && type_name != "Mutation"
        {
            for (name, field) in &object.fields {
                if field.directives.get("requiresRole").is_some() {
                    failures.push(format!(
                        "{type_name}.{name}: @requiresRole outside Mutation"
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(ruled, expected.len());
}

/// `@deprecated(reason:)` of a definition, if any.
fn deprecation(directives: &DirectiveList) -> Option<Value> {
    directives.get("deprecated").map(|d| {
        d.specified_argument_by_name("reason")
            .map(|v| (**v).clone())
            .unwrap_or(Value::Null)
    })
}

fn compare_input_values(
    at: &str,
    live: &[&Node<InputValueDefinition>],
    ours: &[&Node<InputValueDefinition>],
    failures: &mut Vec<String>,
) {
    let live_names: BTreeSet<&str> = live.iter().map(|a| a.name.as_str()).collect();
    let our_names: BTreeSet<&str> = ours.iter().map(|a| a.name.as_str()).collect();
    if live_names != our_names {
        failures.push(format!("{at}: {our_names:?}, live {live_names:?}"));
        return;
    }
    for l in live {
        let o = ours.iter().find(|o| o.name == l.name).unwrap();
        let here = format!("{at}.{}", l.name);
        if l.ty != o.ty {
            failures.push(format!("{here}: type {}, live {}", o.ty, l.ty));
        }
        if l.default_value != o.default_value {
            let show = |v: &Option<Node<Value>>| v.as_ref().map(|v| v.to_string());
            failures.push(format!(
                "{here}: default {:?}, live {:?}",
                show(&o.default_value),
                show(&l.default_value)
            ));
        }
        if deprecation(&l.directives) != deprecation(&o.directives) {
            failures.push(format!("{here}: deprecation differs"));
        }
    }
}

fn compare_fields(
    at: &str,
    live: &IndexMap<Name, Node<FieldDefinition>>,
    ours: &IndexMap<Name, Node<FieldDefinition>>,
    failures: &mut Vec<String>,
) {
    let live_names: BTreeSet<&str> = live.keys().map(Name::as_str).collect();
    let our_names: BTreeSet<&str> = ours.keys().map(Name::as_str).collect();
    if live_names != our_names {
        let missing: Vec<_> = live_names.difference(&our_names).collect();
        let extra: Vec<_> = our_names.difference(&live_names).collect();
        failures.push(format!("{at}: fields missing {missing:?}, extra {extra:?}"));
    }
    for (name, l) in live {
        let Some(o) = ours.get(name) else { continue };
        let here = format!("{at}.{name}");
        if l.ty != o.ty {
            failures.push(format!("{here}: type {}, live {}", o.ty, l.ty));
        }
        let live_args: Vec<_> = l.arguments.iter().collect();
        let our_args: Vec<_> = o.arguments.iter().collect();
        compare_input_values(&format!("{here}()"), &live_args, &our_args, failures);
        if deprecation(&l.directives) != deprecation(&o.directives) {
            failures.push(format!("{here}: deprecation differs"));
        }
    }
}

fn names<'a>(set: impl IntoIterator<Item = &'a Node<Name>>) -> BTreeSet<&'a str> {
    set.into_iter().map(|n| n.as_str()).collect()
}

#[test]
fn signatures_match_the_live_schema() {
    let path = schemas_dir().join("sources/worksome-signatures.graphql");
    let live = Schema::parse_and_validate(read(&path), &path)
        .unwrap_or_else(|e| panic!("worksome-signatures.graphql:\n{}", e.errors));
    let ours = schema("worksome");

    let mut failures = Vec::new();
    let mut compared = 0;
    for (name, l) in &live.types {
        if l.is_built_in() || name == "Query" {
            continue;
        }
        compared += 1;
        let Some(o) = ours.types.get(name) else {
            failures.push(format!("{name}: missing"));
            continue;
        };
        match (l, o) {
            (ExtendedType::Scalar(_), ExtendedType::Scalar(_)) => {}
            (ExtendedType::Object(l), ExtendedType::Object(o)) => {
                if names(&l.implements_interfaces) != names(&o.implements_interfaces) {
                    failures.push(format!("{name}: implements differ"));
                }
                compare_fields(name, &l.fields, &o.fields, &mut failures);
            }
            (ExtendedType::Interface(l), ExtendedType::Interface(o)) => {
                if names(&l.implements_interfaces) != names(&o.implements_interfaces) {
                    failures.push(format!("{name}: implements differ"));
                }
                compare_fields(name, &l.fields, &o.fields, &mut failures);
            }
            (ExtendedType::Union(l), ExtendedType::Union(o)) => {
                if names(&l.members) != names(&o.members) {
                    failures.push(format!(
                        "{name}: members {:?}, live {:?}",
                        names(&o.members),
                        names(&l.members)
                    ));
                }
            }
            (ExtendedType::Enum(l), ExtendedType::Enum(o)) => {
                let lv: BTreeSet<&str> = l.values.keys().map(Name::as_str).collect();
                let ov: BTreeSet<&str> = o.values.keys().map(Name::as_str).collect();
                if lv != ov {
                    failures.push(format!("{name}: values {ov:?}, live {lv:?}"));
                }
                for (value, lvd) in &l.values {
                    if let Some(ovd) = o.values.get(value)
                        && deprecation(&lvd.directives) != deprecation(&ovd.directives)
                    {
                        failures.push(format!("{name}.{value}: deprecation differs"));
                    }
                }
            }
            (ExtendedType::InputObject(l), ExtendedType::InputObject(o)) => {
                let live_fields: Vec<_> = l.fields.values().collect();
                let our_fields: Vec<_> = o.fields.values().collect();
                compare_input_values(name, &live_fields, &our_fields, &mut failures);
            }
            _ => failures.push(format!("{name}: a different kind of type")),
        }
    }
    assert!(compared > 300, "only {compared} live types compared");
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The sentences of a paragraph: split after a period that a capital letter follows.
fn sentences(paragraph: &str) -> Vec<&str> {
    let bytes = paragraph.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    for i in 0..bytes.len().saturating_sub(2) {
        if bytes[i] == b'.' && bytes[i + 1] == b' ' && bytes[i + 2].is_ascii_uppercase() {
            out.push(&paragraph[start..=i]);
            start = i + 2;
        }
    }
    out.push(&paragraph[start..]);
    out
}

/// A mutation's rules in the generated table.
fn rules_of(name: &str) -> &'static FieldRules {
    generated::worksome::RULES
        .field("Mutation", name)
        .unwrap_or_else(|| panic!("{name}: no rules"))
}

/// The `@effect` of a mutation (the directive is not repeatable); panics when there is none.
fn effect_of(name: &str) -> &'static Effect {
    rules_of(name)
        .effect
        .as_ref()
        .unwrap_or_else(|| panic!("{name}: no @effect"))
}

#[test]
fn every_mutation_declares_exactly_one_effect() {
    let doc = document_mutations();
    assert_eq!(doc.len(), 101);
    let failures: Vec<String> = doc
        .iter()
        .filter(|m| {
            generated::worksome::RULES
                .field("Mutation", &m.name)
                .and_then(|f| f.effect.as_ref())
                .is_none()
        })
        .map(|m| format!("{}: no @effect declaration", m.name))
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(
        generated::worksome::RULES.effects().count(),
        101,
        "an effect on a field the document does not list"
    );
}

/// A sentence that says what must hold before the mutation may run.
fn is_precondition(sentence: &str) -> bool {
    let re = Regex::new(r"\bmust\b|\bonly allowed if\b|^Only fields with\b").unwrap();
    re.is_match(sentence)
}

#[test]
fn every_precondition_sentence_has_its_invariant() {
    let schema = schema("worksome");
    let mutation = schema.get_object("Mutation").expect("a Mutation type");
    let mut failures = Vec::new();
    let mut checked = 0;
    for m in document_mutations() {
        let field = &mutation.fields[m.name.as_str()];
        let effect = effect_of(&m.name);
        let declared = &rules_of(&m.name).invariants;
        for sentence in m.description.iter().flat_map(|p| sentences(p)) {
            if !is_precondition(sentence) {
                continue;
            }
            checked += 1;
            let input_fields = || {
                let input = field.arguments[0].ty.inner_named_type();
                schema.get_input_object(input).map_or(0, |o| o.fields.len())
            };
            let holds = if sentence.contains("must be provided") {
                // "All fields must be provided" asks for every field: a REPLACE. On a delete whose input is one id it
                // is the upstream copy-paste slip of seed-errata.md, 000 Worksome #4.
                effect.kind == EffectKind::Replace
                    || (effect.kind == EffectKind::Delete && input_fields() == 1)
            } else if sentence.contains("in the Worksome UI") {
                // What a draft must go through afterwards, in the UI: the effect says so beyond the vocabulary.
                effect
                    .beyond
                    .as_deref()
                    .is_some_and(|b| b.contains("Worksome UI"))
            } else {
                declared.iter().any(|i| i.statement == sentence)
            };
            if !holds {
                failures.push(format!(
                    "{}: no @invariant (or effect) for {sentence:?}",
                    m.name
                ));
            }
        }
    }
    assert!(
        checked >= 10,
        "only {checked} precondition sentences found: the parser regressed"
    );
    assert!(
        failures.is_empty(),
        "{} missing:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn document_phrases_fix_kinds_owners_and_initial_statuses() {
    let kinds = [
        (r"^(?:Soft d|D)elete ", "DELETE"),
        (r"^Attach ", "ATTACH"),
        (r"^Detach ", "DETACH"),
        (
            r"only the fields you provide will be updated|Partial updates are supported",
            "UPDATE",
        ),
        (
            r"All fields must be provided|Replaces the entire",
            "REPLACE",
        ),
        (r"^Create |^Add and invite |^Add & invite ", "CREATE"),
    ]
    .map(|(re, kind)| (Regex::new(re).unwrap(), kind));
    let owned =
        Regex::new(r"\bOnly (compan(?:y|ies)|workers?|recruiters?)\b[^.]*?\b(?:their|that own)\b")
            .unwrap();
    let both = Regex::new(r"\bBoth the (\w+) and the (\w+) can\b").unwrap();
    let initial = Regex::new(r"\b(?:created|start) in ([A-Z_]+) status\b").unwrap();
    let role = |who: &str| match who {
        w if w.starts_with("compan") => "company",
        w if w.starts_with("worker") || w == "candidate" => "worker",
        _ => "recruiter",
    };

    let mut failures = Vec::new();
    let mut matched = 0;
    for m in document_mutations() {
        let effect = effect_of(&m.name);
        let owners: BTreeSet<&str> = effect
            .owners
            .iter()
            .filter_map(|o| o.role.as_deref())
            .collect();
        for paragraph in &m.description {
            for (re, kind) in &kinds {
                // A created thing that is no stored entity (an export, a custom timesheet) is an ACTION; one created on
                // the caller's own entity (a password) is an UPDATE of it.
                let not_stored = *kind == "CREATE"
                    && effect.kind == EffectKind::Action
                    && effect.entity.is_none();
                let on_own =
                    *kind == "CREATE" && effect.kind == EffectKind::Update && effect.id.is_none();
                if re.is_match(paragraph) && effect.kind.as_str() != *kind && !not_stored && !on_own
                {
                    failures.push(format!(
                        "{}: {:?} says {kind}, declared {}",
                        m.name,
                        re.as_str(),
                        effect.kind.as_str()
                    ));
                }
                matched += usize::from(re.is_match(paragraph));
            }
            let mut wanted: Vec<&str> = owned
                .captures_iter(paragraph)
                .map(|c| role(&c[1]))
                .collect();
            for c in both.captures_iter(paragraph) {
                wanted.extend([role(&c[1]), role(&c[2])]);
            }
            for who in wanted {
                matched += 1;
                if !owners.contains(who) {
                    failures.push(format!(
                        "{}: the document makes the {who} the owner; owners {owners:?}",
                        m.name
                    ));
                }
            }
            for c in initial.captures_iter(paragraph) {
                matched += 1;
                let writes = effect.fields.iter().any(|w| {
                    w.field == "status" && w.source == WriteSource::Value(c[1].to_owned().into())
                });
                if effect.kind != EffectKind::Create || !writes {
                    failures.push(format!(
                        "{}: the document starts it in {}, not declared",
                        m.name, &c[1]
                    ));
                }
            }
        }
    }
    assert!(
        matched >= 50,
        "only {matched} phrases matched: the parser regressed"
    );
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
