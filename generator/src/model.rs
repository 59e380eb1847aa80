//! The generator's internal representation of one schema: every type the module defines, with every Rust name
//! decided once (so that the emitters agree), sorted for deterministic output, and its contract (public SDL, rules).
//! Built by `builder.rs` from the validated schema; `rust_types.rs` writes a GraphQL type as a Rust type;
//! `cycles.rs` finds the fields that must be boxed.

mod builder;
mod cycles;
mod rust_types;

use std::collections::HashMap;

use apollo_compiler::ast::Type;
use proc_macro2::{Ident, TokenStream};

use crate::Error;
use crate::config::{Config, Source};
use crate::schema::Contract;
use rust_types::Kind;

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

#[derive(Debug)]
pub(crate) struct Model {
    /// The module name, the public SDL and the rules table.
    pub contract: Contract,
    pub runtime: TokenStream,
    /// `Config::required_resolvers`: resolver methods without default bodies.
    pub required_resolvers: bool,
    /// `Config::dynamic_backend`: the resolver traits implemented for `runtime::dynamic::Dynamic`.
    pub dynamic_backend: bool,
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
    /// Reads a schema into its model, every problem of the schema reported at once.
    pub(crate) fn build(config: &Config, source: &Source) -> Result<Model, Error> {
        builder::build(config, source)
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

    /// Whether values of this named type are leaves (scalars and enums).
    pub(crate) fn is_leaf(&self, name: &str) -> bool {
        matches!(
            self.kinds[name],
            Kind::Builtin(_) | Kind::Scalar(_) | Kind::Enum(_)
        )
    }
}

/// A path or type as text without spaces (`::runtime::Id`), for comparisons and attribute strings.
pub(crate) fn path_text(tokens: &TokenStream) -> String {
    tokens.to_string().replace(' ', "")
}
