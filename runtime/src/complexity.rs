//! The complexity score of an operation, per `@complexity` in `schemas/rules.graphql`: each selected leaf field
//! scores 1; a composite field scores the sum of its selections; a `@paginated` field multiplies that sum by its
//! page-size argument (`first` or `last`) as requested; a field with `@cost` scores its weight, selections included.
//! Meta-fields (`__typename`, introspection) score 0. Fields skipped by `@skip`/`@include` are not requested and
//! score 0. Arithmetic saturates, so a huge `first` cannot overflow.

use apollo_compiler::executable::{Operation, Selection, SelectionSet};
use apollo_compiler::validation::Valid;
use apollo_compiler::{ExecutableDocument, Node, ast};

use crate::response::{JsonMap, JsonValue};
use crate::rules::ApiRules;

/// The score of `operation` with the given (raw) variables.
pub fn score(
    document: &Valid<ExecutableDocument>,
    operation: &Operation,
    variables: &JsonMap,
    rules: &ApiRules,
) -> u64 {
    let scorer = Scorer {
        document,
        variables,
        rules,
    };
    scorer.set(&operation.selection_set)
}

struct Scorer<'a> {
    document: &'a ExecutableDocument,
    variables: &'a JsonMap,
    rules: &'a ApiRules,
}

impl Scorer<'_> {
    fn set(&self, set: &SelectionSet) -> u64 {
        set.selections.iter().fold(0u64, |total, selection| {
            if !self.included(selection.directives()) {
                return total;
            }
            let score = match selection {
                Selection::Field(field) => self.field(&set.ty, field),
                Selection::InlineFragment(inline) => self.set(&inline.selection_set),
                Selection::FragmentSpread(spread) => self
                    .document
                    .fragments
                    .get(&spread.fragment_name)
                    .map_or(0, |f| self.set(&f.selection_set)),
            };
            total.saturating_add(score)
        })
    }

    fn field(&self, parent: &str, field: &apollo_compiler::executable::Field) -> u64 {
        if field.name.starts_with("__") {
            return 0;
        }
        let rules = self.rules.field(parent, &field.name);
        if let Some(weight) = rules.and_then(|r| r.cost) {
            return u64::from(weight);
        }
        let Some(selection_set) = &field.selection_set else {
            return 1;
        };
        let below = self.set(selection_set);
        match rules.and_then(|r| r.pagination) {
            Some(pagination) => {
                let requested = ["first", "last"]
                    .iter()
                    .filter_map(|name| self.int_argument(field, name))
                    .max();
                let size = requested
                    .or(pagination.default_page_size.map(u64::from))
                    .or(pagination.max_page_size.map(u64::from))
                    .unwrap_or(1);
                below.saturating_mul(size)
            }
            None => below,
        }
    }

    fn int_argument(&self, field: &apollo_compiler::executable::Field, name: &str) -> Option<u64> {
        let value = &field.arguments.iter().find(|a| a.name == name)?.value;
        let n = match value.as_ref() {
            ast::Value::Int(i) => i.try_to_i32().ok().map(i64::from),
            ast::Value::Variable(v) => self.variables.get(v.as_str()).and_then(JsonValue::as_i64),
            _ => None,
        }?;
        Some(n.max(0) as u64)
    }

    fn included(&self, directives: &ast::DirectiveList) -> bool {
        let condition = |name: &str| {
            directives
                .get(name)
                .and_then(|d| d.specified_argument_by_name("if"))
                .and_then(|v| self.boolean(v))
        };
        condition("skip") != Some(true) && condition("include") != Some(false)
    }

    fn boolean(&self, value: &Node<ast::Value>) -> Option<bool> {
        match value.as_ref() {
            ast::Value::Boolean(b) => Some(*b),
            ast::Value::Variable(v) => self.variables.get(v.as_str()).and_then(JsonValue::as_bool),
            _ => None,
        }
    }
}
