//! The operation engine of one API: parses and validates request documents against the schema, enforces the
//! request limits (tokens, depth, aliases), and caches prepared documents by their text, so that a repeated query
//! costs only its execution.

use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};

use apollo_compiler::executable::{Selection, SelectionSet};
use apollo_compiler::parser::Parser;
use apollo_compiler::validation::Valid;
use apollo_compiler::{ExecutableDocument, Schema};
use lru::LruCache;

use crate::error::ErrorCode;
use crate::response::{Location, ResponseError};

/// Limits on a request document, each rejected with a clear validation error before anything executes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Lexical tokens in the document.
    pub max_tokens: usize,
    /// Nesting of selection sets (fields inside fields), fragments expanded.
    pub max_depth: usize,
    /// Aliased fields in the document.
    pub max_aliases: usize,
}

impl Default for Limits {
    /// The defaults seen across the ecosystem (graphql-armor), loosened on depth for the documents' own examples.
    fn default() -> Self {
        Limits {
            max_tokens: 2_000,
            max_depth: 12,
            max_aliases: 15,
        }
    }
}

/// A parsed, validated request document, and the fast executor's plans of its operations (built on first use).
#[derive(Debug)]
pub struct Prepared {
    pub document: Valid<ExecutableDocument>,
    pub(crate) plans: crate::exec::PlanCache,
}

/// Parses, validates and caches the request documents of one schema.
pub struct Engine {
    schema: Valid<Schema>,
    limits: Limits,
    cache: Mutex<LruCache<Arc<str>, Arc<Prepared>>>,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

const CACHE_ENTRIES: NonZeroUsize = NonZeroUsize::new(1024).unwrap();

impl Engine {
    /// Builds the engine of a schema whose SDL is known to be valid (generated code's `SDL` constant).
    ///
    /// # Panics
    /// If the SDL does not validate: generated SDL always does, so this is a bug in whoever passed it.
    pub fn new(sdl: &str, name: &str, limits: Limits) -> Self {
        let schema = Schema::parse_and_validate(sdl, name)
            .unwrap_or_else(|e| panic!("the SDL of {name} does not validate:\n{}", e.errors));
        Engine {
            schema,
            limits,
            cache: Mutex::new(LruCache::new(CACHE_ENTRIES)),
        }
    }

    pub fn schema(&self) -> &Valid<Schema> {
        &self.schema
    }

    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// The prepared document for `query`, from the cache or freshly parsed and validated. Every problem is
    /// reported at once: syntax errors with `ParseFailed`, everything else with `ValidationFailed`.
    pub fn prepare(&self, query: &str) -> Result<Arc<Prepared>, Vec<ResponseError>> {
        if let Some(hit) = self
            .cache
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(query)
        {
            return Ok(Arc::clone(hit));
        }
        let prepared = Arc::new(self.parse_and_check(query)?);
        self.cache
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .put(Arc::from(query), Arc::clone(&prepared));
        Ok(prepared)
    }

    fn parse_and_check(&self, query: &str) -> Result<Prepared, Vec<ResponseError>> {
        let mut parser = Parser::new()
            .token_limit(self.limits.max_tokens)
            .recursion_limit(self.limits.max_depth * 4);
        let ast = parser.parse_ast(query, "request.graphql");
        if parser.tokens_reached() > self.limits.max_tokens {
            return Err(vec![ResponseError::new(
                ErrorCode::ValidationFailed,
                format!(
                    "the document has more than {} tokens",
                    self.limits.max_tokens
                ),
            )]);
        }
        // Syntax first, alone: an unknown field is a validation failure, not a parse failure.
        let ast =
            ast.map_err(|with_errors| diagnostics(&with_errors.errors, ErrorCode::ParseFailed))?;
        let document = ast
            .to_executable_validate(&self.schema)
            .map_err(|with_errors| diagnostics(&with_errors.errors, ErrorCode::ValidationFailed))?;
        self.check_shape(&document)?;
        Ok(Prepared {
            document,
            plans: crate::exec::PlanCache::default(),
        })
    }

    /// Depth and alias limits, over every operation with fragments expanded.
    fn check_shape(&self, document: &Valid<ExecutableDocument>) -> Result<(), Vec<ResponseError>> {
        let mut errors = Vec::new();
        for operation in document.operations.iter() {
            let depth = depth(document, &operation.selection_set, 0);
            if depth > self.limits.max_depth {
                errors.push(ResponseError::new(
                    ErrorCode::ValidationFailed,
                    format!(
                        "the operation is nested {depth} levels deep; the limit is {}",
                        self.limits.max_depth
                    ),
                ));
            }
        }
        let aliases = count_aliases(document);
        if aliases > self.limits.max_aliases {
            errors.push(ResponseError::new(
                ErrorCode::ValidationFailed,
                format!(
                    "the document has {aliases} aliases; the limit is {}",
                    self.limits.max_aliases
                ),
            ));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

fn diagnostics(
    list: &apollo_compiler::validation::DiagnosticList,
    code: ErrorCode,
) -> Vec<ResponseError> {
    list.iter()
        .map(|diagnostic| {
            let json = diagnostic.unstable_to_json_compat();
            let location = json.locations.first().map(|l| Location {
                line: l.line,
                column: l.column,
            });
            ResponseError::new(code, json.message).at(location)
        })
        .collect()
}

/// The deepest chain of fields below `set`. Validated documents have no fragment cycles, so this terminates.
fn depth(document: &ExecutableDocument, set: &SelectionSet, level: usize) -> usize {
    set.selections
        .iter()
        .map(|selection| match selection {
            Selection::Field(field) => match &field.selection_set {
                Some(set) => depth(document, set, level + 1),
                None => level + 1,
            },
            Selection::InlineFragment(inline) => depth(document, &inline.selection_set, level),
            Selection::FragmentSpread(spread) => document
                .fragments
                .get(&spread.fragment_name)
                .map_or(level, |fragment| {
                    depth(document, &fragment.selection_set, level)
                }),
        })
        .max()
        .unwrap_or(level)
}

fn count_aliases(document: &ExecutableDocument) -> usize {
    fn in_set(set: &SelectionSet) -> usize {
        set.selections
            .iter()
            .map(|selection| match selection {
                Selection::Field(field) => {
                    usize::from(field.alias.is_some())
                        + field.selection_set.as_ref().map_or(0, in_set)
                }
                Selection::InlineFragment(inline) => in_set(&inline.selection_set),
                Selection::FragmentSpread(_) => 0,
            })
            .sum()
    }
    let operations: usize = document
        .operations
        .iter()
        .map(|op| in_set(&op.selection_set))
        .sum();
    let fragments: usize = document
        .fragments
        .values()
        .map(|f| in_set(&f.selection_set))
        .sum();
    operations + fragments
}

#[cfg(test)]
mod tests {
    use super::*;

    const SDL: &str = "type Query { a: A n: Int } type A { a: A n: Int }";

    fn engine() -> Engine {
        Engine::new(
            SDL,
            "test.graphql",
            Limits {
                max_tokens: 200,
                max_depth: 4,
                max_aliases: 2,
            },
        )
    }

    fn codes(result: Result<Arc<Prepared>, Vec<ResponseError>>) -> Vec<(ErrorCode, String)> {
        result
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| (e.code, e.message))
            .collect()
    }

    #[test]
    fn syntax_errors_are_parse_failures_and_unknown_fields_are_validation_failures() {
        let e = engine();
        assert_eq!(
            codes(e.prepare("{ n ")).first().unwrap().0,
            ErrorCode::ParseFailed
        );
        let unknown = codes(e.prepare("{ nope }"));
        assert_eq!(unknown.len(), 1);
        assert_eq!(unknown[0].0, ErrorCode::ValidationFailed);
    }

    #[test]
    fn depth_aliases_and_tokens_are_limited() {
        let e = engine();
        assert!(e.prepare("{ a { a { a { n } } } }").is_ok());
        assert!(
            codes(e.prepare("{ a { a { a { a { n } } } } }"))[0]
                .1
                .contains("nested 5 levels")
        );
        assert!(
            codes(e.prepare("query Q { ...F } fragment F on Query { a { a { a { a { n } } } } }"))
                [0]
            .1
            .contains("nested 5 levels")
        );
        assert!(
            codes(e.prepare("{ x: n y: n z: n }"))[0]
                .1
                .contains("3 aliases")
        );
        let long = format!("{{ {} }}", "n ".repeat(300));
        assert!(
            codes(e.prepare(&long))[0]
                .1
                .contains("more than 200 tokens")
        );
    }

    #[test]
    fn prepared_documents_are_cached_by_text() {
        let e = engine();
        let first = e.prepare("{ n }").unwrap();
        let second = e.prepare("{ n }").unwrap();
        assert!(Arc::ptr_eq(&first, &second));
    }
}
