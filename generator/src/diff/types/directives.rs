//! Type changes of directive definitions that are not the rule vocabulary's: description, repeatable, locations,
//! arguments.

use apollo_compiler::Node;
use apollo_compiler::ast::DirectiveDefinition;

use super::{InputKind, input_value};
use crate::diff::change::{Criticality, Found};

use Criticality::{Breaking, Dangerous, Safe};

/// Every change of one directive definition present in both versions.
pub(super) fn changes(
    out: &mut Found,
    old: &Node<DirectiveDefinition>,
    new: &Node<DirectiveDefinition>,
) {
    let name = &old.name;
    let coordinate = format!("@{name}");
    if old.description != new.description {
        out.push(
            "DIRECTIVE_DESCRIPTION_CHANGED",
            Safe,
            coordinate.clone(),
            format!("Directive '{name}' description changed"),
            "Descriptions are documentation: no operation's validity or result depends on them.",
        );
    }
    if old.repeatable && !new.repeatable {
        out.push(
            "DIRECTIVE_REPEATABLE_REMOVED",
            Dangerous,
            coordinate.clone(),
            format!("Directive '{name}' is no longer repeatable"),
            "Uses that repeat the directive no longer validate.",
        );
    } else if !old.repeatable && new.repeatable {
        out.push(
            "DIRECTIVE_REPEATABLE_ADDED",
            Safe,
            coordinate.clone(),
            format!("Directive '{name}' is now repeatable"),
            "Every use that validated still does.",
        );
    }
    for location in old.locations.iter().filter(|l| !new.locations.contains(*l)) {
        out.push(
            "DIRECTIVE_LOCATION_REMOVED",
            Breaking,
            coordinate.clone(),
            format!("Location '{location}' was removed from Directive '{name}'"),
            "Uses of the directive at that location no longer validate.",
        );
    }
    for location in new.locations.iter().filter(|l| !old.locations.contains(*l)) {
        out.push(
            "DIRECTIVE_LOCATION_ADDED",
            Safe,
            coordinate.clone(),
            format!("Location '{location}' was added to Directive '{name}'"),
            "Every use that validated still does.",
        );
    }
    for arg in &old.arguments {
        let arg_coordinate = format!("@{name}({}:)", arg.name);
        match new.arguments.iter().find(|a| a.name == arg.name) {
            None => out.push(
                "DIRECTIVE_ARGUMENT_REMOVED",
                Breaking,
                arg_coordinate,
                format!(
                    "Argument '{}' was removed from Directive '{name}'",
                    arg.name
                ),
                "Uses that pass the argument no longer validate.",
            ),
            Some(new_arg) => input_value(
                out,
                InputKind::DirectiveArgument,
                &arg_coordinate,
                arg,
                new_arg,
            ),
        }
    }
    for arg in new
        .arguments
        .iter()
        .filter(|a| old.argument_by_name(&a.name).is_none())
    {
        let required = arg.is_required();
        out.push(
            "DIRECTIVE_ARGUMENT_ADDED",
            if required { Breaking } else { Safe },
            format!("@{name}({}:)", arg.name),
            format!("Argument '{}' was added to Directive '{name}'", arg.name),
            if required {
                "A required argument without a default: uses that do not pass it no longer validate."
            } else {
                "Optional: every use that validated still does."
            },
        );
    }
}
