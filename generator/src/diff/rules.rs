//! Rule changes: differences in what the directives of `schemas/rules.graphql` promise (roles, scopes, page sizes,
//! quotas, complexity and costs, invariants, REST bindings, error format, auth, mutation semantics), each classified
//! by whom it breaks.
//!
//! The rules are the typed contract of `runtime::rules`, read by the generator's own reader (`crate::rules`), the
//! same table the server enforces and the harness checks. A vocabulary directive this module does not classify (one
//! added to the vocabulary later) is still reported, as dangerous, with its old and new text.

use std::collections::{BTreeMap, BTreeSet};

mod effects;
mod field;
mod schema;

use apollo_compiler::Schema;
use apollo_compiler::ast::DirectiveList;
use apollo_compiler::schema::ExtendedType;

use super::change::{Change, Criticality, Found};
use crate::schema::Vocabulary;
use runtime::rules::{ApiRules as Rules, FieldRules, Text};

use Criticality::Dangerous;

/// The vocabulary directives classified here; any other one is compared as text.
const CLASSIFIED: &[&str] = &[
    "api",
    "auth",
    "errorFormat",
    "rateLimit",
    "complexity",
    "cost",
    "quotaField",
    "complexityField",
    "requiresRole",
    "requiresScope",
    "public",
    "paginated",
    "rest",
    "restParam",
    "invariant",
    "effect",
    "entity",
    "relation",
    "account",
    // Provenance, not a promise to clients.
    "source",
];

/// The rule changes from `old` to `new`. Fields that exist in only one version are left to the type changes.
pub(crate) fn changes(
    old: (&Schema, &Rules),
    new: (&Schema, &Rules),
    vocabulary: &Vocabulary,
) -> Vec<Change> {
    let mut out = Found::default();
    let (old_schema, old) = old;
    let (new_schema, new) = new;
    let metadata = |schema: &Schema, rules: &Rules| {
        schema.schema_definition.directives.get("api").map(|_| {
            (
                rules.name.clone(),
                rules.title.clone(),
                rules.document.clone(),
            )
        })
    };
    let renamed = metadata(old_schema, old) != metadata(new_schema, new);
    schema::changes(&mut out, old, new, renamed);
    effects::declarations(&mut out, old, new);
    let empty = empty_field();
    let by_field = |rules: &'_ Rules| -> BTreeMap<(String, String), usize> {
        rules
            .fields
            .iter()
            .enumerate()
            .map(|(i, f)| ((f.type_name.to_string(), f.field_name.to_string()), i))
            .collect()
    };
    let (old_index, new_index) = (by_field(old), by_field(new));
    let keys: BTreeSet<&(String, String)> = old_index.keys().chain(new_index.keys()).collect();
    for key in keys {
        if !has_field(old_schema, key) || !has_field(new_schema, key) {
            continue;
        }
        let before = old_index.get(key).map_or(&empty, |&i| &old.fields[i]);
        let after = new_index.get(key).map_or(&empty, |&i| &new.fields[i]);
        let coordinate = format!("{}.{}", key.0, key.1);
        field::changes(&mut out, &coordinate, before, after, new);
        effects::changes(&mut out, &coordinate, before, after);
    }
    unclassified(&mut out, old_schema, new_schema, vocabulary);
    out.0
}

pub(super) fn has_field(schema: &Schema, (type_name, field): &(String, String)) -> bool {
    matches!(schema.types.get(type_name.as_str()), Some(ExtendedType::Object(o)) if o.fields.contains_key(field.as_str()))
}

pub(super) fn everyone() -> Vec<String> {
    vec!["everyone".to_owned()]
}

pub(super) fn tagged(tag: &str, names: impl IntoIterator<Item = impl AsRef<str>>) -> Vec<String> {
    names
        .into_iter()
        .map(|n| format!("{tag}:{}", n.as_ref()))
        .collect()
}

pub(super) fn show<T: std::fmt::Display>(value: Option<T>) -> String {
    value.map_or_else(|| "none".to_owned(), |v| v.to_string())
}

pub(super) fn minus<'a>(a: &'a [Text], b: &[Text]) -> Vec<&'a Text> {
    a.iter().filter(|x| !b.contains(x)).collect()
}

/// A value of the vocabulary's enums as the schema spells it (`REJECT`, `EXTENSIONS_CODE`, `HTTP_429`).
pub(super) fn sdl(value: impl std::fmt::Debug) -> String {
    use heck::ToShoutySnakeCase;
    let name = format!("{value:?}").to_shouty_snake_case();
    // heck keeps digits with their word; the vocabulary separates them (`HTTP_429`).
    match name.find(|c: char| c.is_ascii_digit()) {
        Some(i) if i > 0 && !name[..i].ends_with('_') => format!("{}_{}", &name[..i], &name[i..]),
        _ => name,
    }
}

/// The rules of a field that declares none.
fn empty_field() -> FieldRules {
    FieldRules {
        type_name: Text::Borrowed(""),
        field_name: Text::Borrowed(""),
        roles: Default::default(),
        scopes: Default::default(),
        public: false,
        pagination: None,
        cost: None,
        quota_field: false,
        complexity_field: false,
        rest: None,
        invariants: Default::default(),
        effect: None,
    }
}

/// The most items a page of a field (`Type.field`) returns under `rules`, if it is capped.
pub(crate) fn max_page_size(rules: &Rules, coordinate: &str) -> Option<u32> {
    let (type_name, field_name) = coordinate.split_once('.')?;
    rules
        .field(type_name, field_name)?
        .pagination?
        .max_page_size
}

/// Vocabulary directives not classified above, compared as text per place (schema or field).
fn unclassified(out: &mut Found, old: &Schema, new: &Schema, vocabulary: &Vocabulary) {
    let texts = |list: &DirectiveList| -> Vec<String> {
        list.iter()
            .filter(|d| {
                vocabulary.directives.contains(d.name.as_str())
                    && !CLASSIFIED.contains(&d.name.as_str())
            })
            .map(|d| d.to_string())
            .collect()
    };
    let mut compare =
        |coordinate: &str, a: Vec<String>, b: Vec<String>| {
            if a != b {
                out.push_for(
                "RULE_CHANGED",
                Dangerous,
                coordinate,
                format!("`{coordinate}` rules changed from `{}` to `{}`", a.join(" "), b.join(" ")),
                "A rule this review does not classify yet: read what it promises before merging.",
                Vec::new(),
            );
            }
        };
    compare(
        "schema",
        texts(&old.schema_definition.directives),
        texts(&new.schema_definition.directives),
    );
    for (type_name, ty) in &old.types {
        let (ExtendedType::Object(a), Some(ExtendedType::Object(b))) =
            (ty, new.types.get(type_name))
        else {
            continue;
        };
        for (name, field) in &a.fields {
            if let Some(other) = b.fields.get(name) {
                compare(
                    &format!("{type_name}.{name}"),
                    texts(&field.directives),
                    texts(&other.directives),
                );
            }
        }
    }
}
