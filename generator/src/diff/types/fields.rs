//! Type changes of fields (output fields and their arguments) and of input values (arguments, input fields,
//! directive arguments): presence, type, default, description, deprecation.

use apollo_compiler::ast::{DirectiveList, InputValueDefinition, Type};
use apollo_compiler::collections::IndexMap;
use apollo_compiler::schema::FieldDefinition;
use apollo_compiler::{Name, Node};

use super::descriptions;
use crate::diff::change::{Criticality, Found};

use Criticality::{Breaking, Dangerous, Safe};

pub(super) fn changes(
    out: &mut Found,
    type_name: &str,
    old: &IndexMap<Name, Node<FieldDefinition>>,
    new: &IndexMap<Name, Node<FieldDefinition>>,
) {
    for (name, def) in old {
        let coordinate = format!("{type_name}.{name}");
        let Some(new_def) = new.get(name) else {
            let deprecated = def.directives.get("deprecated").is_some();
            out.push(
                "FIELD_REMOVED",
                Breaking,
                coordinate,
                format!("Field '{name}' was removed from object type '{type_name}'"),
                if deprecated {
                    "The field was deprecated, but operations that still select it fail to validate."
                } else {
                    "Operations that select the field fail to validate."
                },
            );
            continue;
        };
        descriptions(
            out,
            [
                "FIELD_DESCRIPTION_ADDED",
                "FIELD_DESCRIPTION_REMOVED",
                "FIELD_DESCRIPTION_CHANGED",
            ],
            &coordinate,
            def.description.as_deref(),
            new_def.description.as_deref(),
        );
        deprecation(
            out,
            &coordinate,
            &def.directives,
            &new_def.directives,
            false,
        );
        if def.ty != new_def.ty {
            // Safe only when every value of the new type is a value of the old: a stricter output.
            let safe = new_def.ty.is_assignable_to(&def.ty);
            out.push(
                "FIELD_TYPE_CHANGED",
                if safe { Safe } else { Breaking },
                coordinate.clone(),
                format!("Field '{coordinate}' changed type from '{}' to '{}'", def.ty, new_def.ty),
                if safe {
                    "Every value of the new type is a value of the old: clients read what they did."
                } else {
                    "Clients may receive values (null, a list, another type) the old type ruled out, or their selections no longer fit."
                },
            );
        }
        for arg in &def.arguments {
            let arg_coordinate = format!("{coordinate}({}:)", arg.name);
            match new_def.arguments.iter().find(|a| a.name == arg.name) {
                None => out.push(
                    "FIELD_ARGUMENT_REMOVED",
                    Breaking,
                    arg_coordinate,
                    format!(
                        "Argument '{}: {}' was removed from field '{coordinate}'",
                        arg.name, arg.ty
                    ),
                    "Operations that pass the argument fail to validate.",
                ),
                Some(new_arg) => {
                    input_value(out, InputKind::Argument, &arg_coordinate, arg, new_arg)
                }
            }
        }
        for arg in new_def
            .arguments
            .iter()
            .filter(|a| def.argument_by_name(&a.name).is_none())
        {
            let required = arg.is_required();
            out.push(
                "FIELD_ARGUMENT_ADDED",
                if required { Breaking } else { Dangerous },
                format!("{coordinate}({}:)", arg.name),
                format!(
                    "Argument '{}: {}' {}added to field '{coordinate}'",
                    arg.name,
                    arg.ty,
                    if arg.default_value.is_some() { "(with default value) " } else { "" }
                ),
                if required {
                    "A required argument without a default: operations that do not pass it fail to validate."
                } else {
                    "Optional: operations still validate, but the field's behaviour for them may depend on it."
                },
            );
        }
    }
    for name in new.keys().filter(|n| !old.contains_key(*n)) {
        out.push(
            "FIELD_ADDED",
            Safe,
            format!("{type_name}.{name}"),
            format!("Field '{name}' was added to object type '{type_name}'"),
            "Nothing that used the schema before selects it.",
        );
    }
}

#[derive(Clone, Copy, PartialEq)]
pub(super) enum InputKind {
    Argument,
    InputField,
    DirectiveArgument,
}

pub(super) fn added_input(def: &InputValueDefinition) -> (Criticality, &'static str) {
    if def.is_required() {
        (
            Breaking,
            "A required input without a default: operations that do not pass it fail to validate.",
        )
    } else if def.default_value.is_some() {
        (
            Dangerous,
            "Clients that omit it get its default, which may change what the operation does.",
        )
    } else {
        (
            Safe,
            "Optional and without a default: operations that omit it behave as before.",
        )
    }
}

/// Changes to an argument, input field or directive argument present in both versions.
pub(super) fn input_value(
    out: &mut Found,
    kind: InputKind,
    coordinate: &str,
    old: &InputValueDefinition,
    new: &InputValueDefinition,
) {
    let (description_kind, default_kind, type_kind) = match kind {
        InputKind::Argument => (
            "FIELD_ARGUMENT_DESCRIPTION_CHANGED",
            "FIELD_ARGUMENT_DEFAULT_CHANGED",
            "FIELD_ARGUMENT_TYPE_CHANGED",
        ),
        InputKind::InputField => (
            "INPUT_FIELD_DESCRIPTION_CHANGED",
            "INPUT_FIELD_DEFAULT_VALUE_CHANGED",
            "INPUT_FIELD_TYPE_CHANGED",
        ),
        InputKind::DirectiveArgument => (
            "DIRECTIVE_ARGUMENT_DESCRIPTION_CHANGED",
            "DIRECTIVE_ARGUMENT_DEFAULT_VALUE_CHANGED",
            "DIRECTIVE_ARGUMENT_TYPE_CHANGED",
        ),
    };
    if kind == InputKind::InputField {
        descriptions(
            out,
            [
                "INPUT_FIELD_DESCRIPTION_ADDED",
                "INPUT_FIELD_DESCRIPTION_REMOVED",
                description_kind,
            ],
            coordinate,
            old.description.as_deref(),
            new.description.as_deref(),
        );
    } else if old.description != new.description {
        out.push(
            description_kind,
            Safe,
            coordinate.to_owned(),
            format!("Description of '{coordinate}' changed"),
            "Descriptions are documentation: no operation's validity or result depends on them.",
        );
    }
    let show = |v: &Option<Node<apollo_compiler::ast::Value>>| {
        v.as_ref()
            .map_or_else(|| "none".to_owned(), |v| v.to_string())
    };
    if show(&old.default_value) != show(&new.default_value) {
        out.push(
            default_kind,
            Dangerous,
            coordinate.to_owned(),
            format!(
                "Default value of '{coordinate}' changed from '{}' to '{}'",
                show(&old.default_value),
                show(&new.default_value)
            ),
            "Operations that omit it now run with another value.",
        );
    }
    if old.ty != new.ty {
        let safe = input_type_safe(&old.ty, &new.ty);
        out.push(
            type_kind,
            if safe { Safe } else { Breaking },
            coordinate.to_owned(),
            format!(
                "Type of '{coordinate}' changed from '{}' to '{}'",
                old.ty, new.ty
            ),
            if safe {
                "Every value accepted before is accepted now."
            } else {
                "Values or variables valid before may not be now."
            },
        );
    }
}

/// Safe when every value the old input type accepted, the new one accepts.
fn input_type_safe(old: &Type, new: &Type) -> bool {
    old.is_assignable_to(new)
}

/// `@deprecated` added, removed or its reason changed. Fields report the directive; enum values its reason, as
/// graphql-inspector does.
pub(super) fn deprecation(
    out: &mut Found,
    coordinate: &str,
    old: &DirectiveList,
    new: &DirectiveList,
    enum_value: bool,
) {
    const DEFAULT: &str = "No longer supported";
    let reason = |list: &DirectiveList| {
        list.get("deprecated").map(|d| {
            d.specified_argument_by_name("reason")
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_else(|| DEFAULT.to_owned())
        })
    };
    let (before, after) = (reason(old), reason(new));
    let why = "Deprecation is advice: every operation still validates and runs as before.";
    let kind = |suffix: &str| -> &'static str {
        match (enum_value, suffix) {
            (false, "ADDED") => "FIELD_DEPRECATION_ADDED",
            (false, "REMOVED") => "FIELD_DEPRECATION_REMOVED",
            (false, "REASON_ADDED") => "FIELD_DEPRECATION_REASON_ADDED",
            (false, "REASON_REMOVED") => "FIELD_DEPRECATION_REASON_REMOVED",
            (false, _) => "FIELD_DEPRECATION_REASON_CHANGED",
            (true, "REASON_REMOVED") => "ENUM_VALUE_DEPRECATION_REASON_REMOVED",
            (true, "REASON_CHANGED") => "ENUM_VALUE_DEPRECATION_REASON_CHANGED",
            (true, _) => "ENUM_VALUE_DEPRECATION_REASON_ADDED",
        }
    };
    let message = |what: &str| format!("'{coordinate}' {what}");
    match (before.as_deref(), after.as_deref()) {
        (None, Some(_)) if !enum_value => out.push(
            kind("ADDED"),
            Safe,
            coordinate.to_owned(),
            message("is deprecated"),
            why,
        ),
        (Some(_), None) if !enum_value => out.push(
            kind("REMOVED"),
            Safe,
            coordinate.to_owned(),
            message("is no longer deprecated"),
            why,
        ),
        (None, Some(_)) => out.push(
            kind("REASON_ADDED"),
            Safe,
            coordinate.to_owned(),
            message("is deprecated"),
            why,
        ),
        (Some(_), None) => out.push(
            kind("REASON_REMOVED"),
            Safe,
            coordinate.to_owned(),
            message("is no longer deprecated"),
            why,
        ),
        (Some(a), Some(b)) if a != b => {
            let suffix = if a == DEFAULT {
                "REASON_ADDED"
            } else if b == DEFAULT {
                "REASON_REMOVED"
            } else {
                "REASON_CHANGED"
            };
            out.push(
                kind(suffix),
                Safe,
                coordinate.to_owned(),
                message(&format!("deprecation reason changed to '{b}'")),
                why,
            );
        }
        _ => {}
    }
}
