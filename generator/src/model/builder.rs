//! Reads a validated schema into the [`Model`]: every Rust name decided (by `names.rs`), each object field made a
//! struct field or a resolver method, `Config`'s scalars, bindings and attributes applied, and what validation
//! cannot check (bindings of non-objects, `Config::resolve` naming no field, the vocabulary's types used by the
//! schema's own) reported with file, line and column.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use apollo_compiler::ast::{self, DirectiveList, Type};
use apollo_compiler::schema::ExtendedType;
use apollo_compiler::validation::Valid;
use apollo_compiler::{Node, Schema};
use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::cycles::{recursive_input_fields, recursive_output_fields};
use super::rust_types::{Binding, Kind};
use super::{Abstract, Arg, Doc, Enum, EnumValue, Field, Input, Model, Object, RESERVED, Scalar};
use crate::config::{Config, DEFAULT_SCALARS, Source};
use crate::names::{Namespace, camel, snake};
use crate::schema::{Contract, VOCABULARY_PATH, Vocabulary, checked, parse, vocabulary};
use crate::{Error, Problem};

/// The model of one schema, every problem reported at once.
pub(super) fn build(config: &Config, source: &Source) -> Result<Model, Error> {
    let schema = parse(source)?;
    let runtime = config.runtime_tokens()?;
    let mut problems = Vec::new();
    let contract = Contract::read(&schema, source, &mut problems);
    let mut resolved = config.resolved.clone();
    if config.dynamic_backend {
        resolved.extend(runtime::dynamic::resolved_fields(&schema, &contract.rules));
    }
    let mut builder = Builder {
        config,
        schema: &schema,
        runtime,
        problems,
        path: &source.path,
        resolved,
    };
    let model = builder.model(contract, vocabulary())?;
    checked(model, builder.problems)
}

struct Builder<'a> {
    config: &'a Config,
    schema: &'a Valid<Schema>,
    runtime: TokenStream,
    problems: Vec<Problem>,
    path: &'a Path,
    /// The fields without arguments made resolver methods: `Config::resolve`'s, and with
    /// `Config::dynamic_backend` those holding entities.
    resolved: BTreeSet<String>,
}

impl Builder<'_> {
    fn model(&mut self, contract: Contract, vocabulary: &Vocabulary) -> Result<Model, Error> {
        let schema = self.schema;
        let mut top = Namespace::with_reserved(RESERVED);
        let mut kinds = HashMap::new();
        let names: BTreeSet<&str> = schema
            .types
            .iter()
            .filter(|(name, ty)| !ty.is_built_in() && !vocabulary.types.contains(name.as_str()))
            .map(|(name, _)| name.as_str())
            .collect();
        for (name, tokens) in [
            ("Int", quote!(i32)),
            ("Float", quote!(f64)),
            ("String", quote!(::std::string::String)),
            ("Boolean", quote!(bool)),
        ] {
            kinds.insert(name.to_owned(), Kind::Builtin(tokens));
        }
        let runtime = &self.runtime;
        kinds.insert("ID".to_owned(), Kind::Builtin(quote!(#runtime::Id)));
        for (name, binding) in &self.config.bindings {
            let Some(ty) = schema.types.get(name.as_str()) else {
                continue;
            };
            let at = ty
                .location()
                .and_then(|span| span.line_column_range(&schema.sources))
                .map(|range| range.start);
            if self.config.dynamic_backend {
                self.problem(
                    at,
                    format!(
                        "`{name}` is bound to `{binding}`, but `Config::dynamic_backend` binds object types itself \
                         (to `runtime::dynamic::Node`); remove the binding"
                    ),
                );
            }
            if !matches!(ty, ExtendedType::Object(_)) && names.contains(name.as_str()) {
                self.problem(
                    at,
                    format!(
                        "`{name}` is bound to `{binding}` but only object types can be bound; remove the binding \
                         or bind an object type"
                    ),
                );
            }
        }
        self.check_vocabulary_uses(&names, vocabulary);
        for &name in &names {
            let ident = top.allocate(&camel(name));
            let kind = match &schema.types[name] {
                ExtendedType::Scalar(_) => Kind::Scalar(ident),
                ExtendedType::Enum(_) => Kind::Enum(ident),
                ExtendedType::Object(def) => {
                    let bound = match self.config.bindings.get(name) {
                        Some(path) => Some(Binding::Path(self.rust_type(path)?)),
                        None if self.config.dynamic_backend && self.has_resolved_fields(def) => {
                            Some(Binding::Node)
                        }
                        None => None,
                    };
                    Kind::Object { ident, bound }
                }
                ExtendedType::Interface(_) | ExtendedType::Union(_) => Kind::Abstract(ident),
                ExtendedType::InputObject(_) => Kind::Input(ident),
            };
            kinds.insert(name.to_owned(), kind);
        }
        let query = schema
            .schema_definition
            .query
            .as_ref()
            .map(|n| n.to_string());
        let mutation = schema
            .schema_definition
            .mutation
            .as_ref()
            .map(|n| n.to_string());
        let mut model = Model {
            contract,
            runtime: self.runtime.clone(),
            required_resolvers: self.config.required_resolvers,
            dynamic_backend: self.config.dynamic_backend,
            query: query.clone(),
            mutation: mutation.clone(),
            scalars: Vec::new(),
            enums: Vec::new(),
            objects: Vec::new(),
            abstracts: Vec::new(),
            inputs: Vec::new(),
            kinds,
        };
        let boxed = recursive_input_fields(schema);
        let implementers = schema.implementers_map();
        let mut accessors = Namespace::default();
        // The glue module's own names (see `emit/glue.rs`) are taken.
        let mut glue =
            Namespace::with_reserved(&["SCHEMA", "Opt", "List", "Plain", "Leaf", "Boxed"]);
        for &name in &names {
            let ident = match &model.kinds[name] {
                Kind::Scalar(i)
                | Kind::Enum(i)
                | Kind::Object { ident: i, .. }
                | Kind::Abstract(i)
                | Kind::Input(i) => i.clone(),
                Kind::Builtin(_) => continue,
            };
            let attributes = self.type_attributes(name)?;
            match &schema.types[name] {
                ExtendedType::Scalar(def) => {
                    let rust = self.scalar_type(name)?;
                    model.scalars.push(Scalar {
                        ident,
                        doc: doc(&def.description, &def.directives),
                        rust,
                    });
                }
                ExtendedType::Enum(def) => {
                    let mut variants = Namespace::default();
                    let values = def
                        .values
                        .values()
                        .map(|v| EnumValue {
                            name: v.value.to_string(),
                            ident: variants.allocate(&camel(&v.value)),
                            doc: doc(&v.description, &v.directives),
                        })
                        .collect();
                    let doc = doc(&def.description, &def.directives);
                    model.enums.push(Enum {
                        ident,
                        doc,
                        values,
                        attributes,
                    });
                }
                ExtendedType::Object(def) => {
                    let is_root =
                        Some(name) == query.as_deref() || Some(name) == mutation.as_deref();
                    let mut struct_fields = Namespace::default();
                    let mut methods = Namespace::default();
                    let mut data_fields = Vec::new();
                    let mut resolver_fields = Vec::new();
                    for field in def.fields.values() {
                        let coordinate = format!("{name}.{}", field.name);
                        let is_data = !is_root
                            && field.arguments.is_empty()
                            && !self.resolved.contains(&coordinate);
                        let namespace = if is_data {
                            &mut struct_fields
                        } else {
                            &mut methods
                        };
                        let args_ident = (!field.arguments.is_empty()).then(|| {
                            top.allocate(&format!("{}{}Args", base(&ident), camel(&field.name)))
                        });
                        let mut args_ns = Namespace::default();
                        let args = field
                            .arguments
                            .iter()
                            .map(|arg| {
                                self.arg(
                                    arg,
                                    &mut args_ns,
                                    false,
                                    &format!("{name}.{}.{}", field.name, arg.name),
                                )
                            })
                            .collect::<Result<_, _>>()?;
                        let built = Field {
                            name: field.name.to_string(),
                            ident: namespace.allocate(&snake(&field.name)),
                            doc: doc(&field.description, &field.directives),
                            ty: field.ty.clone(),
                            args,
                            args_ident,
                            attributes: self.field_attributes(&coordinate)?,
                            boxed: false,
                        };
                        if is_data {
                            data_fields.push(built)
                        } else {
                            resolver_fields.push(built)
                        }
                    }
                    let trait_ident = (!resolver_fields.is_empty())
                        .then(|| top.allocate(&format!("{}Resolvers", base(&ident))));
                    let accessor = trait_ident
                        .as_ref()
                        .map(|_| accessors.allocate(&snake(name)));
                    let glue_ident = glue.allocate(&format!("{}Object", base(&ident)));
                    model.objects.push(Object {
                        name: name.to_owned(),
                        ident,
                        doc: doc(&def.description, &def.directives),
                        is_root,
                        data_fields,
                        resolver_fields,
                        trait_ident,
                        accessor,
                        glue_ident,
                        attributes,
                    });
                }
                ExtendedType::Interface(def) => {
                    let members = implementers
                        .get(name)
                        .map(|i| {
                            i.objects
                                .iter()
                                .map(|n| n.to_string())
                                .collect::<BTreeSet<_>>()
                        })
                        .unwrap_or_default()
                        .into_iter()
                        .collect();
                    let doc = doc(&def.description, &def.directives);
                    let glue_ident = glue.allocate(&format!("{}Object", base(&ident)));
                    model.abstracts.push(Abstract {
                        name: name.to_owned(),
                        ident,
                        doc,
                        members,
                        fields: def.fields.keys().map(|f| f.to_string()).collect(),
                        glue_ident,
                        attributes,
                    });
                }
                ExtendedType::Union(def) => {
                    let members = def
                        .members
                        .iter()
                        .map(|n| n.to_string())
                        .collect::<BTreeSet<_>>()
                        .into_iter()
                        .collect();
                    let doc = doc(&def.description, &def.directives);
                    let glue_ident = glue.allocate(&format!("{}Object", base(&ident)));
                    model.abstracts.push(Abstract {
                        name: name.to_owned(),
                        ident,
                        doc,
                        members,
                        fields: Vec::new(),
                        glue_ident,
                        attributes,
                    });
                }
                ExtendedType::InputObject(def) => {
                    let mut fields_ns = Namespace::default();
                    let fields = def
                        .fields
                        .values()
                        .map(|f| {
                            let is_boxed = boxed.contains(&(name.to_owned(), f.name.to_string()));
                            self.arg(f, &mut fields_ns, is_boxed, &format!("{name}.{}", f.name))
                        })
                        .collect::<Result<_, _>>()?;
                    let doc = doc(&def.description, &def.directives);
                    model.inputs.push(Input {
                        ident,
                        doc,
                        fields,
                        attributes,
                    });
                }
            }
        }
        self.check_resolved(&model);
        let recursive = recursive_output_fields(&model);
        for object in &mut model.objects {
            for field in &mut object.data_fields {
                field.boxed = recursive.contains(&(object.name.clone(), field.name.clone()));
            }
        }
        Ok(model)
    }

    /// Whether a non-root object type has resolver methods (`Config::dynamic_backend` binds it to a `Node`).
    fn has_resolved_fields(&self, def: &apollo_compiler::schema::ObjectType) -> bool {
        let definition = &self.schema.schema_definition;
        let is_root = [&definition.query, &definition.mutation]
            .into_iter()
            .flatten()
            .any(|root| root.as_str() == def.name.as_str());
        !is_root
            && def.fields.values().any(|field| {
                !field.arguments.is_empty()
                    || self
                        .resolved
                        .contains(&format!("{}.{}", def.name, field.name))
            })
    }

    /// Every field that `Config::resolve` names must be a field of an object type.
    fn check_resolved(&mut self, model: &Model) {
        for coordinate in &self.config.resolved {
            let found = coordinate
                .split_once('.')
                .is_some_and(|(type_name, field)| {
                    model
                        .object(type_name)
                        .is_some_and(|o| o.resolver_fields.iter().any(|f| f.name == field))
                });
            if !found {
                self.problem(
                    None,
                    format!(
                        "`Config::resolve(\"{coordinate}\")` names no field of an object type; write it as \
                         `Type.field`"
                    ),
                );
            }
        }
    }

    /// The schema's own types may not use the vocabulary's types: they are left out of the generated code and of
    /// the public SDL.
    fn check_vocabulary_uses(&mut self, names: &BTreeSet<&str>, vocabulary: &Vocabulary) {
        let schema = self.schema;
        let mut uses: Vec<(String, &Type, Option<apollo_compiler::parser::SourceSpan>)> =
            Vec::new();
        for &name in names {
            let fields = match &schema.types[name] {
                ExtendedType::Object(def) => Some(&def.fields),
                ExtendedType::Interface(def) => Some(&def.fields),
                _ => None,
            };
            for field in fields.into_iter().flat_map(|f| f.values()) {
                uses.push((
                    format!("{name}.{}", field.name),
                    &field.ty,
                    field.location(),
                ));
                for arg in &field.arguments {
                    let at = format!("{name}.{}({}:)", field.name, arg.name);
                    uses.push((at, &arg.ty, arg.location()));
                }
            }
            if let ExtendedType::InputObject(def) = &schema.types[name] {
                for field in def.fields.values() {
                    uses.push((
                        format!("{name}.{}", field.name),
                        &field.ty,
                        field.location(),
                    ));
                }
            }
        }
        for (at, ty, location) in uses {
            let used = ty.inner_named_type();
            if vocabulary.types.contains(used.as_str()) {
                let start = location
                    .and_then(|span| span.line_column_range(&schema.sources))
                    .map(|range| range.start);
                self.problem(
                    start,
                    format!(
                        "`{at}` is of type `{used}`, which belongs to the rule vocabulary ({VOCABULARY_PATH}) and is \
                         not generated; declare a type of the schema's own instead"
                    ),
                );
            }
        }
    }

    fn arg(
        &self,
        def: &ast::InputValueDefinition,
        ns: &mut Namespace,
        boxed: bool,
        path: &str,
    ) -> Result<Arg, Error> {
        Ok(Arg {
            name: def.name.to_string(),
            ident: ns.allocate(&snake(&def.name)),
            doc: doc(&def.description, &def.directives),
            ty: (*def.ty).clone(),
            boxed,
            attributes: self.field_attributes(path)?,
        })
    }

    fn scalar_type(&self, name: &str) -> Result<TokenStream, Error> {
        let runtime_path = self.config.runtime_path.as_str();
        let configured = self.config.scalars.get(name).cloned();
        let default = DEFAULT_SCALARS
            .iter()
            .find(|(scalar, _)| *scalar == name)
            .map(|(_, rust)| rust.replace("::runtime", runtime_path));
        let rust = configured
            .or(default)
            .unwrap_or_else(|| format!("{runtime_path}::serde_json::Value"));
        self.rust_type(&rust)
    }

    fn rust_type(&self, text: &str) -> Result<TokenStream, Error> {
        syn::parse_str::<syn::Type>(text)
            .map(|ty| quote!(#ty))
            .map_err(|e| Error::Config(format!("`{text}` is not a Rust type: {e}")))
    }

    fn type_attributes(&self, name: &str) -> Result<Vec<TokenStream>, Error> {
        let matching = self
            .config
            .type_attributes
            .iter()
            .filter(|(path, _)| path == "." || path == name);
        matching
            .map(|(_, attribute)| attribute_tokens(attribute))
            .collect()
    }

    fn field_attributes(&self, path: &str) -> Result<Vec<TokenStream>, Error> {
        let matching = self
            .config
            .field_attributes
            .iter()
            .filter(|(p, _)| p == path);
        matching
            .map(|(_, attribute)| attribute_tokens(attribute))
            .collect()
    }

    fn problem(&mut self, at: Option<apollo_compiler::parser::LineColumn>, message: String) {
        self.problems.push(Problem {
            file: self.path.to_owned(),
            line: at.as_ref().map_or(0, |at| at.line),
            column: at.as_ref().map_or(0, |at| at.column),
            message,
        });
    }
}

/// An identifier without the trailing `_` that a collision or a keyword gave it, to build other names from: so that
/// `Self_` gives `SelfResolvers`, not `Self_Resolvers` (which is not UpperCamelCase and would warn).
fn base(ident: &Ident) -> String {
    ident.to_string().trim_end_matches('_').to_owned()
}

fn attribute_tokens(text: &str) -> Result<TokenStream, Error> {
    let parsed = syn::parse_str::<syn::File>(&format!("{text} struct S;"))
        .map_err(|e| Error::Config(format!("`{text}` is not an attribute: {e}")))?;
    match parsed.items.first() {
        Some(syn::Item::Struct(s)) if s.attrs.len() == 1 => {
            let attribute = &s.attrs[0];
            Ok(quote!(#attribute))
        }
        _ => Err(Error::Config(format!(
            "`{text}` is not one outer attribute"
        ))),
    }
}

fn doc(description: &Option<Node<str>>, directives: &DirectiveList) -> Doc {
    let deprecated = directives.get("deprecated").map(|d| {
        d.specified_argument_by_name("reason")
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_else(|| "No longer supported".to_owned())
    });
    Doc {
        description: description.as_ref().map(|d| d.to_string()),
        deprecated,
    }
}
