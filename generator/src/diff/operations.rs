//! What a change breaks among the documented example operations (`schemas/examples/<api>/*.graphql`), as Apollo's
//! operation checks do for client operations: each example that validated against the old schema is validated
//! against the new one, and listed under every breaking change whose coordinate it uses.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use apollo_compiler::ast::Value;
use apollo_compiler::executable::{ExecutableDocument, Selection, SelectionSet};
use apollo_compiler::validation::Valid;
use apollo_compiler::{Name, Schema};

use super::change::{Change, Criticality, OperationImpact};

/// One documented example: its name, what it uses in the old schema, and why the new one rejects it, if it does.
#[derive(Debug)]
pub(crate) struct Example {
    name: String,
    /// Coordinates (`Type.field`, `Type.field(arg:)`) and type names the operation uses.
    uses: BTreeSet<String>,
    /// The first validation error against the new schema.
    invalid: Option<String>,
    /// How each selected field (`Type.field`) is asked for a page size.
    pages: BTreeMap<String, PageSize>,
}

/// The page sizes (`first`, `last`, `limit`) an example asks of one field, over all its selections.
#[derive(Debug, Default)]
struct PageSize {
    /// The largest literal size.
    largest: Option<i64>,
    /// Whether a size comes from a variable (any value, then).
    variable: bool,
    /// Whether some selection names no size.
    unnamed: bool,
}

/// The argument names that carry a page size, in every pagination style.
const PAGE_SIZE_ARGUMENTS: &[&str] = &["first", "last", "limit"];

/// Reads every `*.graphql` of `dir` (sorted by name) that validates against `old`; the rest are not examples of
/// this schema. A missing directory has no examples.
pub(crate) fn examples(
    dir: &Path,
    old: &Valid<Schema>,
    new: &Valid<Schema>,
) -> Result<Vec<Example>, std::io::Error> {
    let mut paths: Vec<_> = match std::fs::read_dir(dir) {
        Ok(entries) => entries
            .map(|e| e.map(|e| e.path()))
            .collect::<Result<Vec<_>, _>>()?
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "graphql"))
            .collect(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    paths.sort();
    let mut out = Vec::new();
    for path in paths {
        let text = std::fs::read_to_string(&path)?;
        let Ok(document) = ExecutableDocument::parse_and_validate(old, text.as_str(), &path) else {
            continue;
        };
        let invalid = ExecutableDocument::parse_and_validate(new, text.as_str(), &path)
            .err()
            .and_then(|e| e.errors.iter().next().map(|d| d.error.to_string()));
        let (uses, pages) = uses(&document);
        out.push(Example {
            name: path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            uses,
            invalid,
            pages,
        });
    }
    Ok(out)
}

/// Lists under each breaking change the examples it breaks. A type change breaks an example that uses its
/// coordinate, or a type it changes when the new schema rejects the example. A rule change (`rule`) breaks every
/// example that uses its field, for the clients it affects; one about page sizes, only the examples whose page size
/// it concerns (`max_page_size` gives the new maximum of a field).
pub(crate) fn attach(
    changes: &mut [Change],
    examples: &[Example],
    rule: bool,
    max_page_size: &dyn Fn(&str) -> Option<u32>,
) {
    for change in changes
        .iter_mut()
        .filter(|c| c.criticality == Criticality::Breaking)
    {
        let parent = change
            .coordinate
            .split(['.', '('])
            .next()
            .unwrap_or_default()
            .to_owned();
        for example in examples {
            let exact = example.uses.contains(&change.coordinate);
            // A change inside a type the example uses (an input field, an enum value) breaks it when the new schema
            // rejects it.
            let inside = !rule && example.invalid.is_some() && example.uses.contains(&parent);
            if !exact && !inside {
                continue;
            }
            let effect = match (&example.invalid, rule) {
                (Some(error), false) => Some(format!("no longer validates: {error}")),
                (_, true) => rule_effect(change, example, max_page_size),
                (None, false) => Some(format!(
                    "selects `{}`: {}",
                    change.coordinate, change.reason
                )),
            };
            if let Some(effect) = effect {
                change.operations.push(OperationImpact {
                    name: example.name.clone(),
                    effect,
                });
            }
        }
    }
}

/// How a rule change breaks an example that selects its field, if it does.
fn rule_effect(
    change: &Change,
    example: &Example,
    max_page_size: &dyn Fn(&str) -> Option<u32>,
) -> Option<String> {
    let page = example.pages.get(&change.coordinate);
    let reason = &change.reason;
    match change.kind {
        "MAX_PAGE_SIZE_LOWERED" | "MAX_PAGE_SIZE_ADDED" | "OVER_MAX_POLICY_CHANGED" => {
            let max = i64::from(max_page_size(&change.coordinate)?);
            let page = page?;
            match page.largest {
                Some(size) if size > max => Some(format!(
                    "asks for {size} items a page, above the maximum of {max}: {reason}"
                )),
                _ if page.variable => Some(format!(
                    "passes its page size in a variable, which may exceed the maximum of {max}: {reason}"
                )),
                _ => None,
            }
        }
        "DEFAULT_PAGE_SIZE_LOWERED" | "PAGE_SIZE_REQUIRED_ADDED" => page
            .is_none_or(|p| p.unnamed)
            .then(|| format!("names no page size: {reason}")),
        _ if change.affects.is_empty() => {
            Some(format!("selects `{}`: {reason}", change.coordinate))
        }
        _ => Some(format!(
            "selects `{}`, for {}: {reason}",
            change.coordinate,
            change.affects.join(", ")
        )),
    }
}

fn uses(document: &Valid<ExecutableDocument>) -> (BTreeSet<String>, BTreeMap<String, PageSize>) {
    let mut walk = Walk {
        document,
        uses: BTreeSet::new(),
        pages: BTreeMap::new(),
        fragments: BTreeSet::new(),
    };
    for operation in document.operations.iter() {
        for variable in &operation.variables {
            walk.uses.insert(variable.ty.inner_named_type().to_string());
        }
        walk.selections(&operation.selection_set);
    }
    (walk.uses, walk.pages)
}

struct Walk<'a> {
    document: &'a ExecutableDocument,
    uses: BTreeSet<String>,
    pages: BTreeMap<String, PageSize>,
    /// Fragments walked once, however often they are spread.
    fragments: BTreeSet<Name>,
}

impl Walk<'_> {
    fn selections(&mut self, set: &SelectionSet) {
        self.uses.insert(set.ty.to_string());
        for selection in &set.selections {
            match selection {
                Selection::Field(field) => {
                    let coordinate = format!("{}.{}", set.ty, field.name);
                    let page = self.pages.entry(coordinate.clone()).or_default();
                    let mut named = false;
                    for argument in field
                        .arguments
                        .iter()
                        .filter(|a| PAGE_SIZE_ARGUMENTS.contains(&a.name.as_str()))
                    {
                        named = true;
                        match argument.value.as_ref() {
                            Value::Int(size) => {
                                let size = size.try_to_i32().map_or(i64::MAX, i64::from);
                                page.largest = page.largest.max(Some(size));
                            }
                            Value::Variable(_) => page.variable = true,
                            _ => {}
                        }
                    }
                    page.unnamed |= !named;
                    for argument in &field.arguments {
                        self.uses
                            .insert(format!("{coordinate}({}:)", argument.name));
                        if let Some(def) = field.definition.argument_by_name(&argument.name) {
                            self.uses.insert(def.ty.inner_named_type().to_string());
                        }
                    }
                    self.uses.insert(coordinate);
                    self.uses
                        .insert(field.definition.ty.inner_named_type().to_string());
                    if let Some(nested) = &field.selection_set {
                        self.selections(nested);
                    }
                }
                Selection::InlineFragment(inline) => self.selections(&inline.selection_set),
                Selection::FragmentSpread(spread) => {
                    if self.fragments.insert(spread.fragment_name.clone())
                        && let Some(fragment) = self.document.fragments.get(&spread.fragment_name)
                    {
                        self.selections(&fragment.selection_set);
                    }
                }
            }
        }
    }
}
