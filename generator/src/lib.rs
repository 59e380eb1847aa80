//! Turns GraphQL SDL into Rust: a struct per object type, an enum per enum, three-state input objects, a resolver
//! trait per root and object type, the execution glue that runs operations through apollo-compiler with those
//! traits, the SDL as a constant, and the rules table built from the directives of `schemas/rules.graphql`.
//!
//! From `build.rs`, one line:
//!
//! ```no_run
//! generator::compile(&["schemas/greenhouse_onboarding.graphql"]).unwrap();
//! ```
//!
//! and in the crate, `runtime::include_schema!("greenhouse_onboarding");` inside a module. For more control, use
//! [`Config`]; for the output as text, [`Config::generate`] (pure: no files read or written).
//!
//! The generator never panics on bad SDL: every problem of every file is reported at once, with file, line and column.

mod config;
pub mod diff;
mod emit;
mod model;
mod names;
mod rules;
mod schema;

use std::fmt;
use std::path::PathBuf;

pub use config::{Config, Source};

/// The rule vocabulary (`schemas/rules.graphql`), added to every schema that does not declare it itself.
pub const RULE_VOCABULARY: &str = include_str!("../../schemas/rules.graphql");

/// Generates Rust for each schema file into `$OUT_DIR`, with the default [`Config`]. For `build.rs`.
pub fn compile(paths: &[impl AsRef<std::path::Path>]) -> Result<(), Error> {
    Config::new().compile(paths)
}

/// Reads the rules of one schema (its directives of `schemas/rules.graphql`) into the runtime's typed rules table:
/// the same value the generated `RULES` static holds. For tools that compare or inspect rules without generating
/// code.
///
/// ```
/// let sdl = r#"schema @api(name: "demo", title: "Demo", document: "demo.txt", transport: GRAPHQL, path: "/demo")
///   { query: Query }
/// type Query { items(first: Int, page: Int): [String!]! @paginated(style: LIGHTHOUSE, defaultPageSize: 10) }"#;
/// let rules = generator::read_rules(&generator::Source::new("demo.graphql", sdl)).unwrap();
/// assert_eq!(rules.name, "demo");
/// assert_eq!(rules.field("Query", "items").unwrap().pagination.unwrap().default_page_size, Some(10));
/// ```
pub fn read_rules(source: &Source) -> Result<runtime::rules::ApiRules, Error> {
    schema::read_rules(source)
}

/// The name of a generated module: `@api(name:)` when the schema declares it, else the file stem in snake case.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Module(pub String);

impl Module {
    /// The file the module is written to.
    pub fn file_name(&self) -> String {
        format!("{}.rs", self.0)
    }
}

impl fmt::Display for Module {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One problem in a schema, where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: PathBuf,
    /// 1-based; 0 when the problem has no single place.
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file.display(),
            self.line,
            self.column,
            self.message
        )
    }
}

/// What can go wrong. Its `Debug` is its message, so that `?` in `main` or `.unwrap()` in a build script prints every
/// problem with its file, line and column rather than a dump of the structure.
#[derive(thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    #[error("failed to read `{}`", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("failed to write `{}`", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{} schema problem{}; fix them and run again:\n{}", problems.len(), if problems.len() == 1 { "" } else { "s" }, ProblemList(problems))]
    Schema { problems: Vec<Problem> },
    #[error("invalid configuration: {0}")]
    Config(String),
    #[error("failed to compare the generated Rust API: {0}")]
    RustApi(String),
    #[error(
        "no output directory: set `Config::out_dir`, or run from a build script (which sets OUT_DIR)"
    )]
    NoOutDir,
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self}")?;
        if let Some(source) = std::error::Error::source(self) {
            write!(f, ": {source}")?;
        }
        Ok(())
    }
}

struct ProblemList<'a>(&'a [Problem]);

impl fmt::Display for ProblemList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for problem in self.0 {
            writeln!(f, "  {problem}")?;
        }
        Ok(())
    }
}
