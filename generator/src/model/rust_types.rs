//! How a GraphQL type is written in Rust: the Rust type of an output position, a struct field, an argument or an
//! input field, bound types and boxes included.

use apollo_compiler::ast::Type;
use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::{Arg, Field, Model, path_text};

/// How a GraphQL named type is written in Rust.
#[derive(Debug, Clone)]
pub(super) enum Kind {
    Builtin(TokenStream),
    Scalar(Ident),
    Enum(Ident),
    Object {
        ident: Ident,
        bound: Option<Binding>,
    },
    Abstract(Ident),
    Input(Ident),
}

/// What an object type is bound to.
#[derive(Debug, Clone)]
pub(super) enum Binding {
    /// The implementer's own type (`Config::bind`).
    Path(TokenStream),
    /// `runtime::dynamic::Node` of its generated struct (`Config::dynamic_backend`).
    Node,
}

impl Model {
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
                bound: Some(Binding::Path(path)),
                ..
            } => path.clone(),
            Kind::Object {
                ident,
                bound: Some(Binding::Node),
            } => {
                let runtime = &self.runtime;
                quote!(#runtime::dynamic::Node<#prefix #ident>)
            }
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

    /// Whether a type is bound to the implementer's own type, which need not be comparable or serializable (a
    /// `runtime::dynamic::Node` is both).
    pub(crate) fn is_bound_opaquely(&self, name: &str) -> bool {
        matches!(
            &self.kinds[name],
            Kind::Object {
                bound: Some(Binding::Path(_)),
                ..
            }
        )
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
}
