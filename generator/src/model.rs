//! The generator's internal representation: the validated schema with every Rust name decided once (so the emitters
//! agree), the types sorted for deterministic output, and the rules read from the directives.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use apollo_compiler::ast::{self, DirectiveList, Type};
use apollo_compiler::schema::ExtendedType;
use apollo_compiler::validation::Valid;
use apollo_compiler::{Node, Schema};
use proc_macro2::{Ident, TokenStream};
use quote::quote;

use crate::config::{Config, DEFAULT_SCALARS, Source};
use crate::names::{Namespace, camel, snake};
use crate::schema::{Contract, VOCABULARY_PATH, Vocabulary, parse, vocabulary};
use crate::{Error, Problem};

/// Top-level names the generated module always defines; GraphQL types that want them get a trailing `_`.
pub(crate) const RESERVED: &[&str] = &[
    "PUBLIC_SDL",
    "RULES",
    "Resolvers",
    "NotImplemented",
    "execute",
    "execute_reference",
    "engine",
    "glue",
];

/// Description and deprecation of a definition.
#[derive(Debug, Default)]
pub(crate) struct Doc {
    pub description: Option<String>,
    pub deprecated: Option<String>,
}

#[derive(Debug)]
pub(crate) struct Scalar {
    pub ident: Ident,
    pub doc: Doc,
    pub rust: TokenStream,
}

#[derive(Debug)]
pub(crate) struct Enum {
    pub ident: Ident,
    pub doc: Doc,
    pub values: Vec<EnumValue>,
    pub attributes: Vec<TokenStream>,
}

#[derive(Debug)]
pub(crate) struct EnumValue {
    pub name: String,
    pub ident: Ident,
    pub doc: Doc,
}

/// An object type: its plain fields become a struct, the rest resolver methods.
#[derive(Debug)]
pub(crate) struct Object {
    pub name: String,
    pub ident: Ident,
    pub doc: Doc,
    pub is_root: bool,
    /// Fields without arguments (leaves, objects, lists of them): struct fields. Empty for root types.
    pub data_fields: Vec<Field>,
    /// Fields with arguments, fields named by `Config::resolve`, and every field of a root type: resolver methods.
    pub resolver_fields: Vec<Field>,
    /// The trait of the resolver methods, when there are any.
    pub trait_ident: Option<Ident>,
    /// The method of `Resolvers` that gives the implementation of `trait_ident`.
    pub accessor: Option<Ident>,
    /// The glue's wrapper type for values of this object.
    pub glue_ident: Ident,
    pub attributes: Vec<TokenStream>,
}

#[derive(Debug)]
pub(crate) struct Field {
    pub name: String,
    pub ident: Ident,
    pub doc: Doc,
    pub ty: Type,
    pub args: Vec<Arg>,
    /// The struct of the arguments, when there are any.
    pub args_ident: Option<Ident>,
    pub attributes: Vec<TokenStream>,
    /// A plain field boxed because its object type holds itself through it.
    pub boxed: bool,
}

/// An argument or an input field.
#[derive(Debug)]
pub(crate) struct Arg {
    pub name: String,
    pub ident: Ident,
    pub doc: Doc,
    pub ty: Type,
    /// Boxed because the input type contains itself through it.
    pub boxed: bool,
    pub attributes: Vec<TokenStream>,
}

/// An interface or union: an enum over the object types it can be.
#[derive(Debug)]
pub(crate) struct Abstract {
    pub name: String,
    pub ident: Ident,
    pub doc: Doc,
    pub members: Vec<String>,
    /// The fields an interface declares (none for a union).
    pub fields: Vec<String>,
    /// The glue's marker type for values of this interface or union.
    pub glue_ident: Ident,
    pub attributes: Vec<TokenStream>,
}

#[derive(Debug)]
pub(crate) struct Input {
    pub ident: Ident,
    pub doc: Doc,
    pub fields: Vec<Arg>,
    pub attributes: Vec<TokenStream>,
}

/// How a GraphQL named type is written in Rust.
#[derive(Debug, Clone)]
enum Kind {
    Builtin(TokenStream),
    Scalar(Ident),
    Enum(Ident),
    Object {
        ident: Ident,
        bound: Option<TokenStream>,
    },
    Abstract(Ident),
    Input(Ident),
}

#[derive(Debug)]
pub(crate) struct Model {
    /// The module name, the public SDL and the rules table.
    pub contract: Contract,
    pub runtime: TokenStream,
    /// `Config::required_resolvers`: resolver methods without default bodies.
    pub required_resolvers: bool,
    pub query: Option<String>,
    pub mutation: Option<String>,
    pub scalars: Vec<Scalar>,
    pub enums: Vec<Enum>,
    /// Sorted by GraphQL name, as are `abstracts`.
    pub objects: Vec<Object>,
    pub abstracts: Vec<Abstract>,
    pub inputs: Vec<Input>,
    kinds: HashMap<String, Kind>,
}

impl Model {
    pub(crate) fn build(config: &Config, source: &Source) -> Result<Model, Error> {
        let schema = parse(source)?;
        let runtime = config.runtime_tokens()?;
        let mut problems = Vec::new();
        let contract = Contract::read(&schema, source, &mut problems);
        let mut builder = Builder {
            config,
            schema: &schema,
            runtime,
            problems,
            path: &source.path,
        };
        let model = builder.model(contract, vocabulary())?;
        if !builder.problems.is_empty() {
            let mut problems = builder.problems;
            problems.sort_by_key(|p| (p.line, p.column));
            return Err(Error::Schema { problems });
        }
        Ok(model)
    }

    /// The Rust type of an output position (`prefix` is `super::` from the glue module).
    pub(crate) fn output_type(&self, ty: &Type, prefix: &TokenStream) -> TokenStream {
        let inner = match ty {
            Type::Named(name) | Type::NonNullNamed(name) => self.named(name, prefix),
            Type::List(item) | Type::NonNullList(item) => {
                let item = self.output_type(item, prefix);
                quote!(::std::vec::Vec<#item>)
            }
        };
        if ty.is_non_null() {
            inner
        } else {
            quote!(::std::option::Option<#inner>)
        }
    }

    /// The Rust type of a plain field of an object struct: its output type, boxed where the object holds itself.
    pub(crate) fn data_type(&self, field: &Field, prefix: &TokenStream) -> TokenStream {
        if !field.boxed {
            return self.output_type(&field.ty, prefix);
        }
        let named = self.named(field.ty.inner_named_type(), prefix);
        if field.ty.is_non_null() {
            quote!(::std::boxed::Box<#named>)
        } else {
            quote!(::std::option::Option<::std::boxed::Box<#named>>)
        }
    }

    /// The Rust type of an argument or input field: nullable ones are three-state at the top level, `Option` inside
    /// lists.
    pub(crate) fn input_type(&self, arg: &Arg, prefix: &TokenStream) -> TokenStream {
        let runtime = &self.runtime;
        let inner = self.input_inner(&arg.ty, prefix, arg.boxed);
        if arg.ty.is_non_null() {
            inner
        } else {
            quote!(#runtime::MaybeAbsent<#inner>)
        }
    }

    fn input_inner(&self, ty: &Type, prefix: &TokenStream, boxed: bool) -> TokenStream {
        match ty {
            Type::Named(name) | Type::NonNullNamed(name) => {
                let named = self.named(name, prefix);
                if boxed {
                    quote!(::std::boxed::Box<#named>)
                } else {
                    named
                }
            }
            Type::List(item) | Type::NonNullList(item) => {
                let inner = self.input_inner(item, prefix, false);
                let item = if item.is_non_null() {
                    inner
                } else {
                    quote!(::std::option::Option<#inner>)
                };
                quote!(::std::vec::Vec<#item>)
            }
        }
    }

    fn named(&self, name: &str, prefix: &TokenStream) -> TokenStream {
        match &self.kinds[name] {
            Kind::Builtin(tokens) => tokens.clone(),
            Kind::Object {
                bound: Some(path), ..
            } => path.clone(),
            Kind::Scalar(ident)
            | Kind::Enum(ident)
            | Kind::Object { ident, bound: None }
            | Kind::Abstract(ident)
            | Kind::Input(ident) => quote!(#prefix #ident),
        }
    }

    /// The generated struct of an object type (its plain fields), whether or not the type is bound.
    pub(crate) fn object_struct(&self, name: &str, prefix: &TokenStream) -> TokenStream {
        match &self.kinds[name] {
            Kind::Object { ident, .. } => quote!(#prefix #ident),
            _ => unreachable!("object_struct of non-object `{name}`"),
        }
    }

    pub(crate) fn is_bound(&self, name: &str) -> bool {
        matches!(&self.kinds[name], Kind::Object { bound: Some(_), .. })
    }

    pub(crate) fn object(&self, name: &str) -> Option<&Object> {
        self.objects
            .binary_search_by(|o| o.name.as_str().cmp(name))
            .ok()
            .map(|i| &self.objects[i])
    }

    pub(crate) fn abstract_type(&self, name: &str) -> Option<&Abstract> {
        self.abstracts
            .binary_search_by(|a| a.name.as_str().cmp(name))
            .ok()
            .map(|i| &self.abstracts[i])
    }

    /// Whether a leaf of this named type may serialize as null at a non-null position (a NaN float; a custom scalar
    /// mapped to a type the generator does not know, such as a JSON value): such positions are checked at run time.
    pub(crate) fn leaf_may_be_null(&self, name: &str) -> bool {
        match &self.kinds[name] {
            Kind::Builtin(_) => name == "Float",
            Kind::Enum(_) => false,
            Kind::Scalar(ident) => {
                let runtime = path_text(&self.runtime);
                let never_null = [
                    format!("{runtime}::chrono::NaiveDate"),
                    format!("{runtime}::chrono::DateTime<{runtime}::chrono::Utc>"),
                    format!("{runtime}::url::Url"),
                    format!("{runtime}::Id"),
                    "::std::string::String".to_owned(),
                    "String".to_owned(),
                    "bool".to_owned(),
                    "i32".to_owned(),
                    "i64".to_owned(),
                ];
                let rust = self
                    .scalars
                    .iter()
                    .find(|s| s.ident == *ident)
                    .map(|s| path_text(&s.rust));
                !rust.is_some_and(|rust| never_null.contains(&rust))
            }
            _ => true,
        }
    }

    /// Whether values of this named type are leaves (scalars and enums).
    pub(crate) fn is_leaf(&self, name: &str) -> bool {
        matches!(
            self.kinds[name],
            Kind::Builtin(_) | Kind::Scalar(_) | Kind::Enum(_)
        )
    }
}

struct Builder<'a> {
    config: &'a Config,
    schema: &'a Valid<Schema>,
    runtime: TokenStream,
    problems: Vec<Problem>,
    path: &'a Path,
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
            if let Some(ty) = schema.types.get(name.as_str())
                && !matches!(ty, ExtendedType::Object(_))
                && names.contains(name.as_str())
            {
                let at = ty
                    .location()
                    .and_then(|span| span.line_column_range(&schema.sources))
                    .map(|range| range.start);
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
                ExtendedType::Object(_) => {
                    let bound = match self.config.bindings.get(name) {
                        Some(path) => Some(self.rust_type(path)?),
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
                            && !self.config.resolved.contains(&coordinate);
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

/// Input fields that must be boxed: a non-list field of input type `U` in `T` where `U` leads back to `T`.
fn recursive_input_fields(schema: &Schema) -> BTreeSet<(String, String)> {
    let mut edges: BTreeMap<&str, Vec<(&str, &str)>> = BTreeMap::new();
    for (name, ty) in &schema.types {
        if let ExtendedType::InputObject(def) = ty {
            for field in def.fields.values() {
                if !field.ty.is_list()
                    && matches!(
                        schema.types.get(field.ty.inner_named_type()),
                        Some(ExtendedType::InputObject(_))
                    )
                {
                    edges
                        .entry(name.as_str())
                        .or_default()
                        .push((field.name.as_str(), field.ty.inner_named_type().as_str()));
                }
            }
        }
    }
    fields_in_cycles(&edges)
}

/// The plain fields of object type that an object holds inside itself through a chain of plain fields (outside
/// lists): each must be boxed. A union or interface holds each of its members.
fn recursive_output_fields(model: &Model) -> BTreeSet<(String, String)> {
    let mut edges: BTreeMap<&str, Vec<(&str, &str)>> = BTreeMap::new();
    for object in model.objects.iter().filter(|o| !o.is_root) {
        for field in &object.data_fields {
            if !field.ty.is_list() && !model.is_leaf(field.ty.inner_named_type()) {
                edges
                    .entry(object.name.as_str())
                    .or_default()
                    .push((field.name.as_str(), field.ty.inner_named_type().as_str()));
            }
        }
    }
    for a in &model.abstracts {
        for member in &a.members {
            edges
                .entry(a.name.as_str())
                .or_default()
                .push(("", member.as_str()));
        }
    }
    fields_in_cycles(&edges)
}

/// The edges `(owner, field)` of a type graph that lie on a cycle.
fn fields_in_cycles(edges: &BTreeMap<&str, Vec<(&str, &str)>>) -> BTreeSet<(String, String)> {
    let reaches = |from: &str, to: &str| {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from];
        while let Some(at) = stack.pop() {
            if at == to {
                return true;
            }
            if seen.insert(at) {
                stack.extend(
                    edges
                        .get(at)
                        .into_iter()
                        .flatten()
                        .map(|(_, target)| *target),
                );
            }
        }
        false
    };
    let mut boxed = BTreeSet::new();
    for (owner, fields) in edges {
        for (field, target) in fields {
            if reaches(target, owner) {
                boxed.insert((owner.to_string(), field.to_string()));
            }
        }
    }
    boxed
}

/// A path or type as text without spaces (`::runtime::Id`), for comparisons and attribute strings.
pub(crate) fn path_text(tokens: &TokenStream) -> String {
    tokens.to_string().replace(' ', "")
}

pub(crate) fn file_module(path: &Path) -> String {
    snake(
        &path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default(),
    )
}
