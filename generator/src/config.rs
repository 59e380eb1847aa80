//! The generator's configuration, shaped like `prost_build::Config`: setters that chain, then `compile` (files) or
//! `generate` (text).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::{Error, Module};

/// A schema to generate from: its path (for messages and the module name) and its text.
#[derive(Debug, Clone)]
pub struct Source {
    pub path: PathBuf,
    pub text: String,
}

impl Source {
    pub fn new(path: impl Into<PathBuf>, text: impl Into<String>) -> Self {
        Source {
            path: path.into(),
            text: text.into(),
        }
    }
}

/// Configuration of the generated code.
#[derive(Debug, Clone)]
pub struct Config {
    pub(crate) out_dir: Option<PathBuf>,
    pub(crate) scalars: BTreeMap<String, String>,
    pub(crate) bindings: BTreeMap<String, String>,
    pub(crate) resolved: BTreeSet<String>,
    pub(crate) required_resolvers: bool,
    pub(crate) contract_only: bool,
    pub(crate) dynamic_backend: bool,
    pub(crate) type_attributes: Vec<(String, String)>,
    pub(crate) field_attributes: Vec<(String, String)>,
    pub(crate) runtime_path: String,
    pub(crate) rerun_if_changed: bool,
}

impl Default for Config {
    fn default() -> Self {
        Self::new()
    }
}

/// Custom scalars mapped by default (by exact name); any other custom scalar becomes `serde_json::Value`, which
/// holds whatever JSON the wire carries.
pub(crate) const DEFAULT_SCALARS: &[(&str, &str)] = &[
    ("Date", "::runtime::chrono::NaiveDate"),
    (
        "DateTime",
        "::runtime::chrono::DateTime<::runtime::chrono::Utc>",
    ),
    ("URL", "::runtime::url::Url"),
    ("Url", "::runtime::url::Url"),
    ("URI", "::runtime::url::Url"),
    ("JSON", "::runtime::serde_json::Value"),
    ("Json", "::runtime::serde_json::Value"),
    (
        "JSONObject",
        "::runtime::serde_json::Map<::std::string::String, ::runtime::serde_json::Value>",
    ),
];

impl Config {
    /// The defaults: Date, DateTime, URL and JSON scalars mapped (see [`Config::scalar`]), output to `$OUT_DIR`.
    pub fn new() -> Self {
        Config {
            out_dir: None,
            scalars: BTreeMap::new(),
            bindings: BTreeMap::new(),
            resolved: BTreeSet::new(),
            required_resolvers: false,
            contract_only: false,
            dynamic_backend: false,
            type_attributes: Vec::new(),
            field_attributes: Vec::new(),
            runtime_path: "::runtime".to_owned(),
            rerun_if_changed: true,
        }
    }

    /// Where [`Config::compile`] writes; defaults to `$OUT_DIR`.
    ///
    /// ```
    /// let mut config = generator::Config::new();
    /// config.out_dir("src/generated");
    /// ```
    pub fn out_dir(&mut self, path: impl Into<PathBuf>) -> &mut Self {
        self.out_dir = Some(path.into());
        self
    }

    /// Maps a custom scalar to a Rust type that implements `serde::Serialize` and `Deserialize`, overriding the
    /// default. Defaults: `Date` → `chrono::NaiveDate`, `DateTime` → `chrono::DateTime<Utc>`, `URL` → `url::Url`,
    /// `JSON` → `serde_json::Value`; anything else → `serde_json::Value`.
    ///
    /// ```
    /// let mut config = generator::Config::new();
    /// config.scalar("Decimal", "::std::string::String").scalar("Email", "::std::string::String");
    /// ```
    pub fn scalar(&mut self, graphql: &str, rust: &str) -> &mut Self {
        self.scalars.insert(graphql.to_owned(), rust.to_owned());
        self
    }

    /// Binds a GraphQL object type to an existing Rust type that backs it: resolver methods receive and return the
    /// bound type, which must implement `runtime::exec::ObjectData<T>` for the generated struct `T` (its plain
    /// fields). Use it when resolving a field needs data the GraphQL type does not show (a foreign key, say).
    ///
    /// ```
    /// let mut config = generator::Config::new();
    /// config.bind("Employee", "crate::store::EmployeeRecord");
    /// ```
    pub fn bind(&mut self, graphql_type: &str, rust_path: &str) -> &mut Self {
        self.bindings
            .insert(graphql_type.to_owned(), rust_path.to_owned());
        self
    }

    /// Makes a field without arguments a resolver method instead of a struct field (`Type.field`), for data that is
    /// loaded lazily or computed when asked for (gqlgen's "resolver" fields). Fields with arguments are resolver
    /// methods anyway.
    ///
    /// ```
    /// let mut config = generator::Config::new();
    /// config.resolve("Employee.manager").resolve("Company.employeeCount");
    /// ```
    pub fn resolve(&mut self, field: &str) -> &mut Self {
        self.resolved.insert(field.to_owned());
        self
    }

    /// Whether resolver methods are generated without a default body, so that the compiler lists every method an
    /// implementation lacks (default: no; every method answers "not implemented: Type.field" until written). The
    /// `Resolvers` accessors then have no default either.
    ///
    /// ```
    /// let mut config = generator::Config::new();
    /// config.required_resolvers(true);
    /// ```
    pub fn required_resolvers(&mut self, required: bool) -> &mut Self {
        self.required_resolvers = required;
        self
    }

    /// Whether to generate only the contract of each schema, `PUBLIC_SDL` and `RULES`, without types, resolver
    /// traits or execution glue (default: no): for a crate that checks or describes an API without implementing it,
    /// such as a conformance harness. The other settings do not apply to it.
    ///
    /// ```
    /// let mut config = generator::Config::new();
    /// config.contract_only(true);
    /// ```
    pub fn contract_only(&mut self, contract_only: bool) -> &mut Self {
        self.contract_only = contract_only;
        self
    }

    /// Whether to also implement every resolver trait for `runtime::dynamic::Dynamic<B>`, which hands each field to
    /// a backend `B: runtime::dynamic::Backend` as JSON and reads its JSON answer into the field's Rust type
    /// (default: no). For serving a schema from a store, proxy or mock that is generic over schemas. It also
    /// resolves, instead of writing into structs, every field of an `@entity` type and every field whose type holds
    /// one (`runtime::dynamic::resolved_fields`: the backend reads an entity's field when it is asked for), and
    /// binds each object type with resolved fields to `runtime::dynamic::Node<T>`, which keeps the backend's JSON
    /// for them. It cannot be combined with [`Config::bind`].
    ///
    /// ```
    /// let mut config = generator::Config::new();
    /// config.dynamic_backend(true);
    /// ```
    pub fn dynamic_backend(&mut self, dynamic: bool) -> &mut Self {
        self.dynamic_backend = dynamic;
        self
    }

    /// Adds an attribute to a generated type: `"."` for every struct and enum, or a GraphQL type name.
    ///
    /// ```
    /// let mut config = generator::Config::new();
    /// config.type_attribute(".", "#[derive(Hash)]").type_attribute("Employee", "#[non_exhaustive]");
    /// ```
    pub fn type_attribute(&mut self, path: &str, attribute: &str) -> &mut Self {
        self.type_attributes
            .push((path.to_owned(), attribute.to_owned()));
        self
    }

    /// Adds an attribute to a generated struct field: `Type.field` for a field of an object or input type,
    /// `Type.field.argument` for a field of the arguments struct of `Type.field`.
    ///
    /// ```
    /// let mut config = generator::Config::new();
    /// config
    ///     .field_attribute("Employee.email", "#[doc(alias = \"mail\")]")
    ///     .field_attribute("Query.employee.id", "#[doc(alias = \"key\")]");
    /// ```
    pub fn field_attribute(&mut self, path: &str, attribute: &str) -> &mut Self {
        self.field_attributes
            .push((path.to_owned(), attribute.to_owned()));
        self
    }

    /// The path generated code uses for the `runtime` crate (default `::runtime`), for crates that rename it.
    ///
    /// ```
    /// let mut config = generator::Config::new();
    /// config.runtime_path("::my_runtime");
    /// ```
    pub fn runtime_path(&mut self, path: &str) -> &mut Self {
        self.runtime_path = path.to_owned();
        self
    }

    /// Whether [`Config::compile`] prints `cargo:rerun-if-changed` lines (default: yes, for `build.rs`).
    ///
    /// ```
    /// let mut config = generator::Config::new();
    /// config.emit_rerun_if_changed(false);
    /// ```
    pub fn emit_rerun_if_changed(&mut self, emit: bool) -> &mut Self {
        self.rerun_if_changed = emit;
        self
    }

    /// Generates every schema and writes `<module>.rs` into the output directory, touching only files whose text
    /// changed (so that cargo does not rebuild needlessly), and prints `cargo:rerun-if-changed` for each input.
    pub fn compile(&self, paths: &[impl AsRef<Path>]) -> Result<(), Error> {
        let out_dir = match &self.out_dir {
            Some(dir) => dir.clone(),
            None => std::env::var_os("OUT_DIR")
                .map(PathBuf::from)
                .ok_or(Error::NoOutDir)?,
        };
        let sources = paths
            .iter()
            .map(|path| {
                let path = path.as_ref();
                if self.rerun_if_changed {
                    println!("cargo:rerun-if-changed={}", path.display());
                }
                std::fs::read_to_string(path)
                    .map(|text| Source::new(path, text))
                    .map_err(|source| Error::Read {
                        path: path.to_owned(),
                        source,
                    })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let modules = self.generate(&sources)?;
        std::fs::create_dir_all(&out_dir).map_err(|source| Error::Write {
            path: out_dir.clone(),
            source,
        })?;
        for (module, text) in modules {
            let path = out_dir.join(module.file_name());
            if std::fs::read_to_string(&path).is_ok_and(|old| old == text) {
                continue;
            }
            std::fs::write(&path, text).map_err(|source| Error::Write { path, source })?;
        }
        Ok(())
    }

    fn generate_one(&self, source: &Source) -> Result<(Module, String), Error> {
        if self.contract_only {
            let contract = crate::schema::read_contract(source)?;
            let text = crate::emit::contract(&contract, &self.runtime_tokens()?);
            return Ok((Module(contract.module), text));
        }
        let model = crate::model::Model::build(self, source)?;
        Ok((
            Module(model.contract.module.clone()),
            crate::emit::module(&model),
        ))
    }

    /// [`Config::runtime_path`] as tokens.
    pub(crate) fn runtime_tokens(&self) -> Result<proc_macro2::TokenStream, Error> {
        syn::parse_str::<syn::Path>(&self.runtime_path)
            .map(|path| quote::quote!(#path))
            .map_err(|e| Error::Config(format!("runtime path `{}`: {e}", self.runtime_path)))
    }

    /// Generates the Rust source of every schema: module name → formatted source. Pure: reads and writes nothing.
    /// Every problem in every schema is reported in one [`Error::Schema`].
    pub fn generate(&self, sources: &[Source]) -> Result<BTreeMap<Module, String>, Error> {
        // Each schema on its own thread (the model and its tokens stay on it): the output is the same, in the
        // same order, as one after the other.
        let generated: Vec<Result<(Module, String), Error>> = if sources.len() > 1 {
            std::thread::scope(|scope| {
                let handles: Vec<_> = sources
                    .iter()
                    .map(|source| scope.spawn(move || self.generate_one(source)))
                    .collect();
                handles
                    .into_iter()
                    .map(|handle| {
                        handle
                            .join()
                            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                    })
                    .collect()
            })
        } else {
            sources
                .iter()
                .map(|source| self.generate_one(source))
                .collect()
        };
        let mut modules = BTreeMap::new();
        let mut problems = Vec::new();
        for (source, result) in sources.iter().zip(generated) {
            match result {
                Ok((module, text)) => {
                    if modules.contains_key(&module) {
                        problems.push(crate::Problem {
                            file: source.path.clone(),
                            line: 0,
                            column: 0,
                            message: format!(
                                "a second schema generates module `{module}`; give one of them another `@api(name:)`"
                            ),
                        });
                        continue;
                    }
                    modules.insert(module, text);
                }
                Err(Error::Schema { problems: found }) => problems.extend(found),
                Err(other) => return Err(other),
            }
        }
        if problems.is_empty() {
            Ok(modules)
        } else {
            Err(Error::Schema { problems })
        }
    }
}
