//! Type changes: every difference between two schemas' types, fields, arguments, input fields, enum values, unions,
//! interfaces, defaults, deprecations, descriptions and directive definitions, classified as GraphQL's
//! compatibility rules and graphql-inspector do (its change types and levels; `tests/it/diff_inspector.rs` checks
//! the two agree). The rule vocabulary is left out here: its directives are rules (`rules.rs`).

use apollo_compiler::collections::IndexSet;
use apollo_compiler::schema::ExtendedType;
use apollo_compiler::{Name, Node, Schema};

use super::change::{Change, Criticality, Found};
use crate::schema::Vocabulary;

mod directives;
mod fields;

use fields::{InputKind, added_input, deprecation, input_value};

use Criticality::{Breaking, Dangerous, Safe};
/// The type changes from `old` to `new`, in no particular order.
pub(crate) fn changes(old: &Schema, new: &Schema, vocabulary: &Vocabulary) -> Vec<Change> {
    let mut out = Found::default();
    let is_ours = |name: &str| !vocabulary.types.contains(name);
    for (name, old_def) in old.directive_definitions.iter() {
        if old_def.is_built_in() || vocabulary.directives.contains(name.as_str()) {
            continue;
        }
        match new.directive_definitions.get(name) {
            Some(new_def) => directives::changes(&mut out, old_def, new_def),
            None => out.push(
                "DIRECTIVE_REMOVED",
                Breaking,
                format!("@{name}"),
                format!("Directive '{name}' was removed"),
                "A schema that uses the directive no longer validates; an operation that uses it fails.",
            ),
        }
    }
    for (name, new_def) in new.directive_definitions.iter() {
        if !new_def.is_built_in()
            && !vocabulary.directives.contains(name.as_str())
            && !old.directive_definitions.contains_key(name)
        {
            out.push(
                "DIRECTIVE_ADDED",
                Safe,
                format!("@{name}"),
                format!("Directive '{name}' was added"),
                "Nothing that used the schema before uses it.",
            );
        }
    }
    for root in ["query", "mutation", "subscription"] {
        let pick = |schema: &Schema| match root {
            "query" => schema
                .schema_definition
                .query
                .as_ref()
                .map(|n| n.to_string()),
            "mutation" => schema
                .schema_definition
                .mutation
                .as_ref()
                .map(|n| n.to_string()),
            _ => schema
                .schema_definition
                .subscription
                .as_ref()
                .map(|n| n.to_string()),
        };
        let (before, after) = (pick(old), pick(new));
        if before != after {
            let kind = match root {
                "query" => "SCHEMA_QUERY_TYPE_CHANGED",
                "mutation" => "SCHEMA_MUTATION_TYPE_CHANGED",
                _ => "SCHEMA_SUBSCRIPTION_TYPE_CHANGED",
            };
            let show = |n: &Option<String>| n.clone().unwrap_or_else(|| "none".to_owned());
            out.push(
                kind,
                Breaking,
                "schema".to_owned(),
                format!(
                    "Schema {root} root type changed from '{}' to '{}'",
                    show(&before),
                    show(&after)
                ),
                "Every operation of that kind is validated against the root type's fields.",
            );
        }
    }
    for (name, old_ty) in &old.types {
        if old_ty.is_built_in() || !is_ours(name) {
            continue;
        }
        match new.types.get(name) {
            None => out.push(
                "TYPE_REMOVED",
                Breaking,
                name.to_string(),
                format!("Type '{name}' was removed"),
                "Removing a type breaks every operation that names it (in a fragment or a variable).",
            ),
            Some(new_ty) if kind_name(old_ty) != kind_name(new_ty) => out.push(
                "TYPE_KIND_CHANGED",
                Breaking,
                name.to_string(),
                format!(
                    "'{name}' kind changed from '{}' to '{}'",
                    kind_name(old_ty),
                    kind_name(new_ty)
                ),
                "Changing the kind of a type changes what can be selected on it or passed as it.",
            ),
            Some(new_ty) => named_type(&mut out, name, old_ty, new_ty),
        }
    }
    for (name, new_ty) in &new.types {
        if !new_ty.is_built_in() && is_ours(name) && !old.types.contains_key(name) {
            out.push(
                "TYPE_ADDED",
                Safe,
                name.to_string(),
                format!("Type '{name}' was added"),
                "Nothing that used the schema before names it.",
            );
        }
    }
    out.0
}

fn kind_name(ty: &ExtendedType) -> &'static str {
    match ty {
        ExtendedType::Scalar(_) => "ScalarTypeDefinition",
        ExtendedType::Object(_) => "ObjectTypeDefinition",
        ExtendedType::Interface(_) => "InterfaceTypeDefinition",
        ExtendedType::Union(_) => "UnionTypeDefinition",
        ExtendedType::Enum(_) => "EnumTypeDefinition",
        ExtendedType::InputObject(_) => "InputObjectTypeDefinition",
    }
}

fn description(ty: &ExtendedType) -> Option<&str> {
    match ty {
        ExtendedType::Scalar(t) => t.description.as_deref(),
        ExtendedType::Object(t) => t.description.as_deref(),
        ExtendedType::Interface(t) => t.description.as_deref(),
        ExtendedType::Union(t) => t.description.as_deref(),
        ExtendedType::Enum(t) => t.description.as_deref(),
        ExtendedType::InputObject(t) => t.description.as_deref(),
    }
}

/// Added, removed or changed description: the three kinds share a prefix (`TYPE`, `FIELD`, `INPUT_FIELD`).
pub(super) fn descriptions(
    out: &mut Found,
    kinds: [&'static str; 3],
    coordinate: &str,
    old: Option<&str>,
    new: Option<&str>,
) {
    let reason =
        "Descriptions are documentation: no operation's validity or result depends on them.";
    match (old, new) {
        (None, Some(_)) => out.push(
            kinds[0],
            Safe,
            coordinate.to_owned(),
            format!("Description added to '{coordinate}'"),
            reason,
        ),
        (Some(_), None) => out.push(
            kinds[1],
            Safe,
            coordinate.to_owned(),
            format!("Description removed from '{coordinate}'"),
            reason,
        ),
        (Some(a), Some(b)) if a != b => out.push(
            kinds[2],
            Safe,
            coordinate.to_owned(),
            format!("Description of '{coordinate}' changed"),
            reason,
        ),
        _ => {}
    }
}

fn named_type(out: &mut Found, name: &str, old: &ExtendedType, new: &ExtendedType) {
    descriptions(
        out,
        [
            "TYPE_DESCRIPTION_ADDED",
            "TYPE_DESCRIPTION_REMOVED",
            "TYPE_DESCRIPTION_CHANGED",
        ],
        name,
        description(old),
        description(new),
    );
    match (old, new) {
        (ExtendedType::Object(a), ExtendedType::Object(b)) => {
            interfaces(
                out,
                name,
                &a.implements_interfaces,
                &b.implements_interfaces,
            );
            fields::changes(out, name, &a.fields, &b.fields);
        }
        (ExtendedType::Interface(a), ExtendedType::Interface(b)) => {
            fields::changes(out, name, &a.fields, &b.fields);
        }
        (ExtendedType::Union(a), ExtendedType::Union(b)) => {
            for member in a.members.iter().filter(|m| !b.members.contains(*m)) {
                out.push(
                    "UNION_MEMBER_REMOVED",
                    Breaking,
                    name.to_owned(),
                    format!("Member '{}' was removed from Union type '{name}'", member),
                    "Removing a union member breaks operations that select it in a fragment.",
                );
            }
            for member in b.members.iter().filter(|m| !a.members.contains(*m)) {
                out.push(
                    "UNION_MEMBER_ADDED",
                    Dangerous,
                    name.to_owned(),
                    format!("Member '{}' was added to Union type '{name}'", member),
                    "Clients that do not expect another possible type may mishandle it.",
                );
            }
        }
        (ExtendedType::Enum(a), ExtendedType::Enum(b)) => {
            for (value, def) in &a.values {
                let coordinate = format!("{name}.{value}");
                let Some(new_def) = b.values.get(value) else {
                    out.push(
                        "ENUM_VALUE_REMOVED",
                        Breaking,
                        coordinate,
                        format!("Enum value '{value}' was removed from enum '{name}'"),
                        "Operations that pass the value fail to validate; clients that match on it never see it again.",
                    );
                    continue;
                };
                if def.description != new_def.description {
                    out.push(
                        "ENUM_VALUE_DESCRIPTION_CHANGED",
                        Safe,
                        coordinate.clone(),
                        format!("Description of '{coordinate}' changed"),
                        "Descriptions are documentation: no operation's validity or result depends on them.",
                    );
                }
                deprecation(out, &coordinate, &def.directives, &new_def.directives, true);
            }
            for value in b.values.keys().filter(|v| !a.values.contains_key(*v)) {
                out.push(
                    "ENUM_VALUE_ADDED",
                    Dangerous,
                    format!("{name}.{value}"),
                    format!("Enum value '{value}' was added to enum '{name}'"),
                    "Clients that match on the enum's values exhaustively may not handle the new one.",
                );
            }
        }
        (ExtendedType::InputObject(a), ExtendedType::InputObject(b)) => {
            for (field, def) in &a.fields {
                let coordinate = format!("{name}.{field}");
                match b.fields.get(field) {
                    None => out.push(
                        "INPUT_FIELD_REMOVED",
                        Breaking,
                        coordinate,
                        format!(
                            "Input field '{field}' was removed from input object type '{name}'"
                        ),
                        "Operations that pass the field fail to validate.",
                    ),
                    Some(new_def) => {
                        input_value(out, InputKind::InputField, &coordinate, def, new_def)
                    }
                }
            }
            for (field, def) in b.fields.iter().filter(|(f, _)| !a.fields.contains_key(*f)) {
                let (criticality, reason) = added_input(def);
                out.push(
                    "INPUT_FIELD_ADDED",
                    criticality,
                    format!("{name}.{field}"),
                    format!("Input field '{field}' of type '{}' was added to input object type '{name}'", def.ty),
                    reason,
                );
            }
        }
        _ => {}
    }
}

fn interfaces<'a>(
    out: &mut Found,
    name: &str,
    old: &'a IndexSet<Node<Name>>,
    new: &'a IndexSet<Node<Name>>,
) {
    for iface in old.iter().filter(|i| !new.contains(*i)) {
        out.push(
            "OBJECT_TYPE_INTERFACE_REMOVED",
            Breaking,
            name.to_owned(),
            format!(
                "'{name}' object type no longer implements '{}' interface",
                iface
            ),
            "Operations that select the type in a fragment on the interface fail to validate.",
        );
    }
    for iface in new.iter().filter(|i| !old.contains(*i)) {
        out.push(
            "OBJECT_TYPE_INTERFACE_ADDED",
            Dangerous,
            name.to_owned(),
            format!("'{name}' object implements '{}' interface", iface),
            "Clients of fields returning the interface may not expect another possible type.",
        );
    }
}
