//! The entry point: two versions of a schema in, one classified [`Report`] out.

use std::path::PathBuf;

use apollo_compiler::Schema;
use apollo_compiler::validation::Valid;
use runtime::rules::ApiRules;

use super::change::Report;
use super::{operations, rules, rust_api, types};
use crate::{Config, Error, Problem, Source};

/// Where the documented example operations are.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Examples {
    /// `examples/<api name>/` beside the new schema file, as in this repository (`schemas/examples/worksome/`).
    #[default]
    BesideSchema,
    /// This directory.
    Dir(PathBuf),
    /// None: skip the operation checks.
    None,
}

/// What a review compares besides the schemas.
#[derive(Debug, Clone)]
pub struct Options {
    pub examples: Examples,
    /// Whether to generate both versions and compare their public Rust API (default: yes).
    pub rust_api: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            examples: Examples::BesideSchema,
            rust_api: true,
        }
    }
}

/// Reviews the change from `old` to `new`: every type and rule change, classified, with the example operations it
/// breaks and its effect on the generated Rust API. Pure but for reading the examples.
///
/// ```
/// let old = generator::Source::new("old.graphql", "type Query { a: Int b: Int }");
/// let new = generator::Source::new("new.graphql", "type Query { a: Int }");
/// let report = generator::diff::diff(&old, &new, &Default::default()).unwrap();
/// assert_eq!(report.changes[0].kind, "FIELD_REMOVED");
/// assert_eq!(report.changes[0].coordinate, "Query.b");
/// ```
pub fn diff(old: &Source, new: &Source, options: &Options) -> Result<Report, Error> {
    let ((old_schema, old_rules), (new_schema, new_rules)) = match (read(old), read(new)) {
        (Ok(old), Ok(new)) => (old, new),
        // Both versions' problems, in one run.
        (old, new) => {
            let mut problems = old.err().unwrap_or_default();
            problems.extend(new.err().unwrap_or_default());
            return Err(Error::Schema { problems });
        }
    };
    let vocabulary = crate::schema::vocabulary();
    let mut changes = types::changes(&old_schema, &new_schema, vocabulary);
    let mut rule_changes = rules::changes(
        (&old_schema, &old_rules),
        (&new_schema, &new_rules),
        vocabulary,
    );
    // `@api(name:)` when declared (the rules table falls back on the file's name).
    let api = new_schema
        .schema_definition
        .directives
        .get("api")
        .map(|_| new_rules.name.to_string());
    let dir = match &options.examples {
        Examples::BesideSchema => api
            .as_ref()
            .and_then(|api| new.path.parent().map(|dir| dir.join("examples").join(api))),
        Examples::Dir(dir) => Some(dir.clone()),
        Examples::None => None,
    };
    let examples = match dir {
        Some(dir) => operations::examples(&dir, &old_schema, &new_schema)
            .map_err(|source| Error::Read { path: dir, source })?,
        None => Vec::new(),
    };
    let max_page_size = |coordinate: &str| rules::max_page_size(&new_rules, coordinate);
    operations::attach(&mut changes, &examples, false, &max_page_size);
    operations::attach(&mut rule_changes, &examples, true, &max_page_size);
    changes.append(&mut rule_changes);
    changes.sort_by(|a, b| {
        (a.criticality, &a.coordinate, a.kind, &a.message).cmp(&(
            b.criticality,
            &b.coordinate,
            b.kind,
            &b.message,
        ))
    });
    let rust_api = if options.rust_api {
        Some(generated_api(old, new, &new_rules.name)?)
    } else {
        None
    };
    Ok(Report {
        version: Report::FORMAT_VERSION,
        old: old.path.display().to_string(),
        new: new.path.display().to_string(),
        api,
        changes,
        rust_api,
        operations_checked: examples.len(),
    })
}

/// One version's schema (with the rule vocabulary) and rules table, or every problem it has.
fn read(source: &Source) -> Result<(Valid<Schema>, ApiRules), Vec<Problem>> {
    let as_problems = |error: Error| match error {
        Error::Schema { problems } => problems,
        other => vec![Problem {
            file: source.path.clone(),
            line: 0,
            column: 0,
            message: other.to_string(),
        }],
    };
    let schema = crate::schema::parse(source).map_err(as_problems)?;
    let rules = crate::schema::read_rules(source).map_err(as_problems)?;
    Ok((schema, rules))
}

/// The generated Rust API's differences; `module` is the generated module's name (the rules table's).
fn generated_api(old: &Source, new: &Source, module: &str) -> Result<super::RustApi, Error> {
    if old.text == new.text {
        // The same text generates the same code: nothing to generate twice.
        return Ok(super::RustApi {
            module: module.to_owned(),
            semver: super::Semver::Patch,
            changes: Vec::new(),
        });
    }
    let config = Config::new();
    let generate = |source: &Source| -> Result<(crate::Module, String), Error> {
        config
            .generate(std::slice::from_ref(source))?
            .into_iter()
            .next()
            .ok_or_else(|| {
                Error::RustApi(format!("`{}` generated no module", source.path.display()))
            })
    };
    let ((_, old_text), (module, new_text)) = (generate(old)?, generate(new)?);
    rust_api::compare(&module.0, &old_text, &new_text)
        .map_err(|e| Error::RustApi(format!("the generated code does not parse: {e}")))
}
