//! The operation engine of one API: parses and validates request documents against the schema, enforces the
//! request limits (bytes, lexical tokens, depth, fields, aliases, directives) in time linear in the document's size
//! before validation sees it, and caches prepared documents by their text within a memory budget, so that a
//! repeated query costs only its execution.

use std::sync::{Arc, Mutex};

use apollo_compiler::ast::DirectiveLocation;
use apollo_compiler::parser::Parser;
use apollo_compiler::schema::ExtendedType;
use apollo_compiler::validation::Valid;
use apollo_compiler::{ExecutableDocument, Schema};
use lru::LruCache;

use crate::error::ErrorCode;
use crate::measure::{lexical_tokens, measure};
use crate::response::{Location, ResponseError};

/// Limits on a request document, each rejected with a clear validation error before anything executes, and the
/// memory the engine may keep for prepared documents. Read from a server's configuration file, every field optional.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct Limits {
    /// Bytes of the document's text.
    pub max_bytes: usize,
    /// Lexical tokens in the document (names, punctuators, numbers, strings; not whitespace, commas or comments).
    pub max_tokens: usize,
    /// Nesting of selection sets (fields inside fields), fragments expanded; an introspection field (`__schema`,
    /// `__type`) counts as one level, its own selections are bounded by `max_introspection_depth`.
    pub max_depth: usize,
    /// Nesting of the selections below `__schema` or `__type`, every level counted.
    pub max_introspection_depth: usize,
    /// Fields an operation selects once its fragments are expanded (a fragment counted at every spread).
    pub max_fields: usize,
    /// Aliased fields in the document.
    pub max_aliases: usize,
    /// Directives applied in the document.
    pub max_directives: usize,
    /// Memory the cache of prepared documents may use, in bytes (estimated from their text and tokens).
    pub cache_bytes: usize,
}

impl Default for Limits {
    /// The defaults seen across the ecosystem (graphql-armor), loosened on depth for the documents' own examples.
    fn default() -> Self {
        Limits {
            max_bytes: 64 * 1024,
            max_tokens: 2_000,
            max_depth: 12,
            max_introspection_depth: 20,
            max_fields: 5_000,
            max_aliases: 15,
            max_directives: 50,
            cache_bytes: 32 * 1024 * 1024,
        }
    }
}

/// A parsed, validated request document, and the fast executor's plans of its operations (built on first use).
#[derive(Debug)]
pub struct Prepared {
    pub document: Valid<ExecutableDocument>,
    pub(crate) plans: crate::exec::PlanCache,
    /// The estimated memory the document holds, counted against [`Limits::cache_bytes`].
    weight: usize,
}

/// Parses, validates and caches the request documents of one schema.
pub struct Engine {
    schema: Valid<Schema>,
    limits: Limits,
    cache: Mutex<Cache>,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

/// Prepared documents by text, least recently used first out, within a budget of estimated bytes.
struct Cache {
    entries: LruCache<Arc<str>, Arc<Prepared>>,
    bytes: usize,
}

/// The estimated bytes a prepared document holds per lexical token (its syntax tree and validated form: a few nodes
/// of some tens of bytes each), on top of its text. An estimate, generous on purpose, not a measurement.
const BYTES_PER_TOKEN: usize = 200;

impl Engine {
    /// Builds the engine of a schema whose SDL is known to be valid (generated code's `SDL` constant).
    ///
    /// # Panics
    /// If the SDL does not validate: generated SDL always does, so this is a bug in whoever passed it.
    pub fn new(sdl: &str, name: &str, limits: Limits) -> Self {
        let mut schema = Schema::parse(sdl, name)
            .unwrap_or_else(|e| panic!("the SDL of {name} does not parse:\n{}", e.errors));
        without_directive_definition_location(&mut schema);
        let schema = schema
            .validate()
            .unwrap_or_else(|e| panic!("the SDL of {name} does not validate:\n{}", e.errors));
        Engine {
            schema,
            limits,
            cache: Mutex::new(Cache {
                entries: LruCache::unbounded(),
                bytes: 0,
            }),
        }
    }

    pub fn schema(&self) -> &Valid<Schema> {
        &self.schema
    }

    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// The prepared document for `query`, from the cache or freshly parsed, validated and cached: for callers whose
    /// documents are trusted (tests, benchmarks, fixed operations). A server facing anonymous clients uses
    /// [`Engine::cached`], [`Engine::parse`] and, once the client is known, [`Engine::remember`].
    pub fn prepare(&self, query: &str) -> Result<Arc<Prepared>, Vec<ResponseError>> {
        if let Some(hit) = self.cached(query) {
            return Ok(hit);
        }
        let prepared = self.parse(query)?;
        self.remember(query, &prepared);
        Ok(prepared)
    }

    /// The cached prepared document for `query`, if any.
    pub fn cached(&self, query: &str) -> Option<Arc<Prepared>> {
        self.lock().entries.get(query).cloned()
    }

    /// Parses and validates `query` without caching it, limits first, in time linear in its size. Every problem is
    /// reported at once: syntax errors with `ParseFailed`, everything else with `ValidationFailed`.
    pub fn parse(&self, query: &str) -> Result<Arc<Prepared>, Vec<ResponseError>> {
        self.parse_and_check(query).map(Arc::new)
    }

    /// Caches a prepared document, evicting the least recently used ones to stay within [`Limits::cache_bytes`]. A
    /// document heavier than an eighth of the budget is not cached: it would evict too many.
    pub fn remember(&self, query: &str, prepared: &Arc<Prepared>) {
        let weight = prepared.weight;
        if weight > self.limits.cache_bytes / 8 {
            return;
        }
        let mut cache = self.lock();
        if cache.entries.contains(query) {
            return;
        }
        while cache.bytes + weight > self.limits.cache_bytes {
            let Some((_, evicted)) = cache.entries.pop_lru() else {
                break;
            };
            cache.bytes -= evicted.weight;
        }
        cache.bytes += weight;
        cache.entries.put(Arc::from(query), Arc::clone(prepared));
    }

    /// The documents cached and their estimated bytes.
    pub fn cache_usage(&self) -> (usize, usize) {
        let cache = self.lock();
        (cache.entries.len(), cache.bytes)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Cache> {
        self.cache.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn parse_and_check(&self, query: &str) -> Result<Prepared, Vec<ResponseError>> {
        let limits = &self.limits;
        if query.len() > limits.max_bytes {
            return Err(vec![ResponseError::new(
                ErrorCode::ValidationFailed,
                format!(
                    "the document is {} bytes long; the limit is {} bytes (send long values as variables)",
                    query.len(),
                    limits.max_bytes
                ),
            )]);
        }
        let tokens = lexical_tokens(query, limits.max_tokens);
        if tokens > limits.max_tokens {
            return Err(vec![ResponseError::new(
                ErrorCode::ValidationFailed,
                format!(
                    "the document has more than {} lexical tokens (names, punctuators, numbers and strings; \
                     whitespace, commas and comments do not count)",
                    limits.max_tokens
                ),
            )]);
        }
        let mut parser =
            Parser::new().recursion_limit(limits.max_depth.max(limits.max_introspection_depth) * 4);
        // Syntax first, alone: an unknown field is a validation failure, not a parse failure.
        let ast = parser
            .parse_ast(query, "request.graphql")
            .map_err(|with_errors| diagnostics(&with_errors.errors, ErrorCode::ParseFailed))?;
        // The shape before validation, which would otherwise walk an expanded fragment bomb.
        self.check_shape(&ast)?;
        let document = ast
            .to_executable_validate(&self.schema)
            .map_err(|with_errors| diagnostics(&with_errors.errors, ErrorCode::ValidationFailed))?;
        Ok(Prepared {
            document,
            plans: crate::exec::PlanCache::default(),
            weight: query.len() + tokens * BYTES_PER_TOKEN,
        })
    }

    /// Depth, field, alias and directive limits, over every operation and fragment with fragments expanded.
    fn check_shape(
        &self,
        document: &apollo_compiler::ast::Document,
    ) -> Result<(), Vec<ResponseError>> {
        let limits = &self.limits;
        let measures = measure(document);
        let shape = measures.shape;
        let over = [
            (
                shape.depth > limits.max_depth,
                format!(
                    "the operation is nested {} levels deep; the limit is {}",
                    shape.depth, limits.max_depth
                ),
            ),
            (
                shape.introspection_depth > limits.max_introspection_depth,
                format!(
                    "the introspection is nested {} levels deep; the limit is {}",
                    shape.introspection_depth, limits.max_introspection_depth
                ),
            ),
            (
                shape.fields > limits.max_fields,
                format!(
                    "the operation selects {} fields once its fragments are expanded; the limit is {}",
                    shape.fields, limits.max_fields
                ),
            ),
            (
                measures.aliases > limits.max_aliases,
                format!(
                    "the document has {} aliases; the limit is {}",
                    measures.aliases, limits.max_aliases
                ),
            ),
            (
                measures.directives > limits.max_directives,
                format!(
                    "the document applies {} directives; the limit is {}",
                    measures.directives, limits.max_directives
                ),
            ),
        ];
        let errors: Vec<ResponseError> = over
            .into_iter()
            .filter(|(over, _)| *over)
            .map(|(_, message)| ResponseError::new(ErrorCode::ValidationFailed, message))
            .collect();
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

/// apollo-compiler's built-ins follow a draft of the spec where `@deprecated` applies to directive definitions and
/// `__DirectiveLocation` has `DIRECTIVE_DEFINITION`; graphql-core's `build_client_schema` refuses an introspection
/// result with a location it does not know. The schema served is the released spec's.
fn without_directive_definition_location(schema: &mut Schema) {
    if let Some(deprecated) = schema.directive_definitions.get_mut("deprecated") {
        deprecated
            .make_mut()
            .locations
            .retain(|location| *location != DirectiveLocation::DirectiveDefinition);
    }
    if let Some(ExtendedType::Enum(locations)) = schema.types.get_mut("__DirectiveLocation") {
        locations
            .make_mut()
            .values
            .shift_remove("DIRECTIVE_DEFINITION");
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

#[cfg(test)]
mod tests {
    use super::*;

    const SDL: &str = "type Query { a: A n: Int } type A { a: A n: Int }";

    fn engine() -> Engine {
        Engine::new(
            SDL,
            "test.graphql",
            Limits {
                max_bytes: 4_000,
                max_tokens: 200,
                max_depth: 4,
                max_introspection_depth: 8,
                max_fields: 100,
                max_aliases: 2,
                max_directives: 3,
                cache_bytes: 64 * 1024,
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
                .contains("more than 200 lexical tokens")
        );
        assert!(
            codes(e.prepare("{ n @skip(if: false) @include(if: true) a @skip(if: false) { n @skip(if: false) } }"))[0]
                .1
                .contains("4 directives")
        );
        let long = format!("{{ n }} # {}", "x".repeat(5_000));
        assert!(codes(e.prepare(&long))[0].1.contains("5008 bytes long"));
    }

    #[test]
    fn whitespace_commas_and_comments_are_not_tokens() {
        // 101 lexical tokens among about 300 ignored ones: under the limit of 200.
        let spaced = format!("{{ {} }}", "n ,\n".repeat(99));
        assert_eq!(codes(engine().prepare(&spaced)), vec![]);
        let commented = format!("{{ n # {} \n }}", "a b c ".repeat(300));
        assert_eq!(codes(engine().prepare(&commented)), vec![]);
    }

    #[test]
    fn a_fragment_bomb_is_measured_once_per_fragment_and_refused() {
        // Each fragment spreads the next twice: 2^40 fields expanded, about 40 fragments written.
        let mut bomb = String::from("query { ...F0 }");
        for i in 0..40 {
            bomb.push_str(&format!(
                " fragment F{i} on Query {{ ...F{j} ...F{j} }}",
                j = i + 1
            ));
        }
        bomb.push_str(" fragment F40 on Query { n }");
        let e = Engine::new(
            SDL,
            "test.graphql",
            Limits {
                max_tokens: 1_000,
                ..Limits::default()
            },
        );
        let started = std::time::Instant::now();
        let errors = codes(e.prepare(&bomb));
        assert!(
            started.elapsed() < std::time::Duration::from_secs(1),
            "{:?}",
            started.elapsed()
        );
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].0, ErrorCode::ValidationFailed);
        assert!(
            errors[0].1.contains(
                "1099511627776 fields once its fragments are expanded; the limit is 5000"
            ),
            "{}",
            errors[0].1
        );
    }

    #[test]
    fn introspection_is_exempt_from_the_depth_limit_but_bounded() {
        let e = Engine::new(
            SDL,
            "test.graphql",
            Limits {
                max_depth: 2,
                max_introspection_depth: 6,
                ..Limits::default()
            },
        );
        let deep = "{ __schema { types { fields { type { ofType { name } } } } } }";
        assert_eq!(codes(e.prepare(deep)), vec![]);
        let deeper = "{ __schema { types { fields { type { ofType { ofType { name } } } } } } }";
        assert!(
            codes(e.prepare(deeper))[0]
                .1
                .contains("introspection is nested 7 levels deep; the limit is 6")
        );
        // Through a fragment, and beside ordinary fields, which keep their own limit.
        let spread = "query { ...T n } fragment T on Query { __type(name: \"A\") { fields { type { name } } } }";
        assert_eq!(codes(e.prepare(spread)), vec![]);
        assert!(
            codes(e.prepare("{ a { a { n } } }"))[0]
                .1
                .contains("nested 3 levels")
        );
    }

    #[test]
    fn deprecated_does_not_apply_to_directive_definitions() {
        let e = engine();
        let deprecated = &e.schema().directive_definitions["deprecated"];
        assert!(
            !deprecated
                .locations
                .contains(&DirectiveLocation::DirectiveDefinition)
        );
        let Some(ExtendedType::Enum(locations)) = e.schema().types.get("__DirectiveLocation")
        else {
            panic!("no __DirectiveLocation");
        };
        assert!(!locations.values.contains_key("DIRECTIVE_DEFINITION"));
        assert!(locations.values.contains_key("ENUM_VALUE"));
    }

    #[test]
    fn prepared_documents_are_cached_by_text_only_when_remembered() {
        let e = engine();
        let first = e.prepare("{ n }").unwrap();
        let second = e.prepare("{ n }").unwrap();
        assert!(Arc::ptr_eq(&first, &second));
        let parsed = e.parse("{ a { n } }").unwrap();
        assert!(e.cached("{ a { n } }").is_none());
        e.remember("{ a { n } }", &parsed);
        assert!(Arc::ptr_eq(&e.cached("{ a { n } }").unwrap(), &parsed));
    }

    #[test]
    fn the_cache_stays_within_its_budget_in_bytes() {
        let e = engine();
        for i in 0..500 {
            let query = format!("{{ n # {i:0>200}\n }}");
            e.remember(&query, &e.parse(&query).unwrap());
        }
        let (entries, bytes) = e.cache_usage();
        assert!(bytes <= 64 * 1024, "{bytes}");
        assert!(entries > 10 && entries < 500, "{entries}");
        // The most recent ones stay.
        assert!(e.cached(&format!("{{ n # {:0>200}\n }}", 499)).is_some());
    }
}
