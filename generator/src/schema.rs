//! Reading a schema: parsing and validating it with the rule vocabulary, its problems with file, line and column,
//! its rules table, and the public SDL its clients see (rule directives and vocabulary types left out).

use std::collections::BTreeSet;

use apollo_compiler::ast::{self, DirectiveList};
use apollo_compiler::schema::ExtendedType;
use apollo_compiler::validation::{DiagnosticList, Valid};
use apollo_compiler::{Node, Schema};

use crate::config::Source;
use crate::names::snake;
use crate::{Error, Problem, RULE_VOCABULARY};

pub(crate) const VOCABULARY_PATH: &str = "schemas/rules.graphql";

/// What a schema promises its clients, without any Rust type: the contract that a crate checking or describing the
/// API needs (`Config::contract_only`), and the part of every generated module that does not depend on `Config`.
#[derive(Debug)]
pub(crate) struct Contract {
    /// The module name: `@api(name:)`, else the file stem in snake case.
    pub module: String,
    /// The schema's file name, for the header and for messages.
    pub source_name: String,
    /// The SDL the API shows its clients: no rule directives, no vocabulary types.
    pub public_sdl: String,
    pub rules: runtime::rules::ApiRules,
}

impl Contract {
    /// The contract of a parsed schema; the problems of its rule directives are added to `problems`.
    pub(crate) fn read(
        schema: &Valid<Schema>,
        source: &Source,
        problems: &mut Vec<Problem>,
    ) -> Self {
        let rules = read_rules_of(schema, source, problems);
        Contract {
            module: rules.name.to_string(),
            source_name: source.path.file_name().map_or_else(
                || source.path.display().to_string(),
                |name| name.to_string_lossy().into_owned(),
            ),
            public_sdl: public_sdl(schema, vocabulary()),
            rules,
        }
    }
}

/// The contract of one schema, every problem of its directives reported at once.
pub(crate) fn read_contract(source: &Source) -> Result<Contract, Error> {
    let schema = parse(source)?;
    let mut problems = Vec::new();
    let contract = Contract::read(&schema, source, &mut problems);
    checked(contract, problems)
}

/// The rules table of one schema, every problem of its directives reported at once.
pub(crate) fn read_rules(source: &Source) -> Result<runtime::rules::ApiRules, Error> {
    let schema = parse(source)?;
    let mut problems = Vec::new();
    let rules = read_rules_of(&schema, source, &mut problems);
    checked(rules, problems)
}

fn read_rules_of(
    schema: &Valid<Schema>,
    source: &Source,
    problems: &mut Vec<Problem>,
) -> runtime::rules::ApiRules {
    crate::rules::read(schema, &source.path, &file_module(&source.path), problems)
}

/// `value` when nothing was found wrong, else every problem in the order of the file.
pub(crate) fn checked<T>(value: T, mut problems: Vec<Problem>) -> Result<T, Error> {
    if problems.is_empty() {
        Ok(value)
    } else {
        problems.sort_by_key(|p| (p.line, p.column));
        Err(Error::Schema { problems })
    }
}

/// Parses and validates a schema, adding the rule vocabulary unless the file declares it; every diagnostic becomes
/// a [`Problem`].
pub(crate) fn parse(source: &Source) -> Result<Valid<Schema>, Error> {
    // Parsed once; a file with syntax errors is parsed again by the builder, which reports them.
    let parsed = ast::Document::parse(&source.text, &source.path).ok();
    let declares_vocabulary = parsed.as_ref().is_some_and(|doc| {
        doc.definitions
            .iter()
            .any(|d| matches!(d, ast::Definition::DirectiveDefinition(def) if def.name == "api"))
    });
    if declares_vocabulary && let Some(document) = &parsed {
        vocabulary_alone(source, document)?;
    }
    let mut builder = Schema::builder();
    if !declares_vocabulary {
        builder = builder.add_ast(&vocabulary().document);
    }
    builder = match &parsed {
        Some(document) => builder.add_ast(document),
        None => builder.parse(&source.text, &source.path),
    };
    let schema = match builder.build() {
        Ok(schema) => schema,
        Err(with_errors) => {
            // Report what validation finds in the rest of the schema too, so that one run shows every problem.
            let mut found = problems(&with_errors.errors);
            if let Err(more) = with_errors.partial.validate() {
                for problem in problems(&more.errors) {
                    if !found.contains(&problem) {
                        found.push(problem);
                    }
                }
            }
            found.sort_by_key(|p| (p.line, p.column));
            return Err(Error::Schema { problems: found });
        }
    };
    match schema.validate() {
        Ok(schema) => Ok(schema),
        Err(with_errors) => {
            let mut found = problems(&with_errors.errors);
            found.sort_by_key(|p| (p.line, p.column));
            Err(Error::Schema { problems: found })
        }
    }
}

/// A file that declares the rule vocabulary and no query type is the vocabulary itself (`rules.graphql`), given as a
/// schema: said so at its `@api` definition, rather than as the schema without a query type it would be.
fn vocabulary_alone(source: &Source, document: &ast::Document) -> Result<(), Error> {
    let mut api = None;
    for definition in &document.definitions {
        match definition {
            ast::Definition::SchemaDefinition(_) => return Ok(()),
            ast::Definition::ObjectTypeDefinition(def) if def.name == "Query" => return Ok(()),
            ast::Definition::DirectiveDefinition(def) if def.name == "api" => api = Some(def),
            _ => {}
        }
    }
    let start = api
        .and_then(|def| def.name.location())
        .and_then(|span| span.line_column_range(&document.sources))
        .map(|range| range.start);
    Err(Error::Schema {
        problems: vec![Problem {
            file: source.path.clone(),
            line: start.as_ref().map_or(0, |s| s.line),
            column: start.as_ref().map_or(0, |s| s.column),
            message: format!(
                "this is the rule vocabulary ({VOCABULARY_PATH}), not a schema: the generator adds it to every \
                 schema automatically, so leave `{}` out of the files to generate",
                source.path.display()
            ),
        }],
    })
}

fn problems(diagnostics: &DiagnosticList) -> Vec<Problem> {
    diagnostics
        .iter()
        .map(|diagnostic| {
            let location = apollo_compiler::diagnostic::ToCliReport::location(diagnostic.error);
            let file = location
                .and_then(|span| diagnostic.sources.get(&span.file_id()))
                .map_or_else(Default::default, |file| file.path().to_owned());
            let start = diagnostic.line_column_range().map(|range| range.start);
            Problem {
                file,
                line: start.as_ref().map_or(0, |s| s.line),
                column: start.as_ref().map_or(0, |s| s.column),
                message: diagnostic.error.to_string(),
            }
        })
        .collect()
}

/// The names the rule vocabulary defines: left out of generated types and of the public SDL.
pub(crate) struct Vocabulary {
    pub directives: BTreeSet<String>,
    pub types: BTreeSet<String>,
    /// The vocabulary parsed, added to every schema that does not declare it.
    document: ast::Document,
}

/// The rule vocabulary, parsed once per process.
pub(crate) fn vocabulary() -> &'static Vocabulary {
    static VOCABULARY: std::sync::OnceLock<Vocabulary> = std::sync::OnceLock::new();
    VOCABULARY.get_or_init(|| {
        let document = ast::Document::parse(RULE_VOCABULARY, VOCABULARY_PATH)
            .expect("the rule vocabulary parses");
        let mut directives = BTreeSet::new();
        let mut types = BTreeSet::new();
        for definition in &document.definitions {
            if let ast::Definition::DirectiveDefinition(def) = definition {
                directives.insert(def.name.to_string());
            } else if let Some(name) = definition.name() {
                types.insert(name.to_string());
            }
        }
        Vocabulary {
            directives,
            types,
            document,
        }
    })
}

/// The schema as its clients see it: vocabulary types and directive definitions removed, applied rule directives
/// stripped, printed by apollo-compiler.
pub(crate) fn public_sdl(schema: &Valid<Schema>, vocabulary: &Vocabulary) -> String {
    let mut public = schema.clone().into_inner();
    let is_rule = |name: &str| vocabulary.directives.contains(name);
    public
        .directive_definitions
        .retain(|name, _| !is_rule(name));
    public
        .types
        .retain(|name, _| !vocabulary.types.contains(name.as_str()));
    public
        .schema_definition
        .make_mut()
        .directives
        .retain(|d| !is_rule(&d.name));
    for ty in public.types.values_mut() {
        strip(ty, &is_rule);
    }
    public.to_string()
}

fn strip(ty: &mut ExtendedType, is_rule: &impl Fn(&str) -> bool) {
    let keep = |directives: &mut DirectiveList| directives.retain(|d| !is_rule(&d.name));
    fn fields<'a>(
        fields: impl Iterator<Item = &'a mut Node<ast::FieldDefinition>>,
        keep: &impl Fn(&mut DirectiveList),
    ) {
        for field in fields {
            let field = field.make_mut();
            keep(&mut field.directives);
            for arg in &mut field.arguments {
                keep(&mut arg.make_mut().directives);
            }
        }
    }
    match ty {
        ExtendedType::Scalar(def) => keep(&mut def.make_mut().directives),
        ExtendedType::Object(def) => {
            let def = def.make_mut();
            keep(&mut def.directives);
            fields(def.fields.values_mut(), &keep);
        }
        ExtendedType::Interface(def) => {
            let def = def.make_mut();
            keep(&mut def.directives);
            fields(def.fields.values_mut(), &keep);
        }
        ExtendedType::Union(def) => keep(&mut def.make_mut().directives),
        ExtendedType::Enum(def) => {
            let def = def.make_mut();
            keep(&mut def.directives);
            for value in def.values.values_mut() {
                keep(&mut value.make_mut().directives);
            }
        }
        ExtendedType::InputObject(def) => {
            let def = def.make_mut();
            keep(&mut def.directives);
            for field in def.fields.values_mut() {
                keep(&mut field.make_mut().directives);
            }
        }
    }
}

/// The module name of a schema without `@api(name:)`: its file stem in snake case.
pub(crate) fn file_module(path: &std::path::Path) -> String {
    snake(
        &path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default(),
    )
}
