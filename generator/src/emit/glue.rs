//! The execution glue: `engine`, `execute` (and `execute_reference`, the reference executor kept for differential
//! tests), and a compact table per object type and per interface or union, handed to the runtime's `glue_object!`
//! and `glue_abstract!` macros, which expand it when the user's crate compiles.

use apollo_compiler::ast::Type;
use proc_macro2::{Literal, TokenStream};
use quote::quote;

use crate::model::{Abstract, Field, Model, Object};

pub(super) fn emit(model: &Model) -> TokenStream {
    let runtime = &model.runtime;
    let source_name = &model.source_name;
    let query = model
        .query
        .as_deref()
        .and_then(|q| model.object(q))
        .map(|o| &o.glue_ident);
    let mutation = model
        .mutation
        .as_deref()
        .and_then(|m| model.object(m))
        .map(|o| &o.glue_ident);
    let has_mutation = mutation.is_some();
    let mutation_marker = match mutation {
        Some(ident) => quote!(glue::#ident),
        None => quote!(#runtime::exec::NoRoot),
    };
    let markers = model.objects.iter().map(|o| &o.glue_ident);
    let objects = model
        .objects
        .iter()
        .enumerate()
        .map(|(id, object)| object_glue(model, id, object));
    let abstracts = model.abstracts.iter().map(|a| abstract_glue(model, a));
    let signature = quote! {
        resolvers: &R,
        engine: &#runtime::engine::Engine,
        prepared: &#runtime::engine::Prepared,
        operation_name: ::std::option::Option<&str>,
        variables: &#runtime::response::JsonMap,
    };
    quote! {
        /// The operation engine of this schema: parses, validates (against [`PUBLIC_SDL`]) and caches operations.
        pub fn engine(limits: #runtime::engine::Limits) -> #runtime::engine::Engine {
            #runtime::engine::Engine::new(PUBLIC_SDL, #source_name, limits)
        }

        /// Executes the chosen operation of a prepared document with `resolvers`.
        pub async fn execute<R: Resolvers>(#signature) -> #runtime::response::Response {
            #runtime::exec::execute::<R, glue::#query, #mutation_marker>(
                resolvers, engine, prepared, operation_name, variables, &glue::SCHEMA,
            ).await
        }

        /// Executes like [`execute`], through the reference executor (apollo-compiler's resolvers) only: what
        /// `execute` falls back to where its fast executor does not reach (introspection). Kept callable for the
        /// differential tests, which check that both answer alike; not for production use.
        #[doc(hidden)]
        pub async fn execute_reference<R: Resolvers>(#signature) -> #runtime::response::Response {
            #runtime::exec::execute_reference::<R, glue::#query, #mutation_marker>(
                resolvers, engine, prepared, operation_name, variables, #has_mutation,
            ).await
        }

        #[allow(deprecated)]
        mod glue {
            #[allow(unused_imports)]
            use #runtime::exec::{Leaf, List, Opt, Plain};

            pub(super) static SCHEMA: #runtime::exec::SchemaTable = #runtime::exec::SchemaTable {
                objects: &[#(#markers::TABLE),*],
                has_mutation: #has_mutation,
            };

            #(#objects)*
            #(#abstracts)*
        }
    }
}

fn object_glue(model: &Model, id: usize, object: &Object) -> TokenStream {
    let runtime = &model.runtime;
    let sup = quote!(super::);
    let marker = &object.glue_ident;
    let id = Literal::u16_unsuffixed(u16::try_from(id).unwrap_or(u16::MAX));
    let name = &object.name;
    let value = if object.is_root {
        quote!(())
    } else {
        model.output_type(&named(name), &sup)
    };
    let data = (!object.data_fields.is_empty()).then(|| {
        let structure = model.object_struct(name, &sup);
        quote!(=> #structure)
    });
    let data_fields = object.data_fields.iter().map(|field| {
        let ident = &field.ident;
        let shape = shape(model, &field.ty);
        quote!(data(#ident, #shape))
    });
    let resolver_fields = object
        .resolver_fields
        .iter()
        .map(|field| resolver_field(model, object, field));
    let names = object
        .data_fields
        .iter()
        .chain(&object.resolver_fields)
        .map(|f| &f.name);
    let fields = data_fields
        .chain(resolver_fields)
        .zip(names)
        .enumerate()
        .map(|(index, (spec, name))| {
            let index = Literal::u16_unsuffixed(u16::try_from(index).unwrap_or(u16::MAX));
            quote!(#index #name #spec)
        });
    quote! {
        #runtime::glue_object! {
            #marker = #id #name: #value #data, super::Resolvers {
                #(#fields)*
            }
        }
    }
}

fn resolver_field(model: &Model, object: &Object, field: &Field) -> TokenStream {
    let Some(trait_ident) = object.trait_ident.as_ref() else {
        return TokenStream::new();
    };
    let method = &field.ident;
    let parent = if object.is_root {
        quote!(root)
    } else {
        quote!(parent)
    };
    let args = field.args_ident.as_ref().map(|a| quote!(super::#a));
    let kind = if model.is_leaf(field.ty.inner_named_type()) {
        quote!(leaf)
    } else {
        quote!(object)
    };
    let shape = shape(model, &field.ty);
    quote!(#kind(super::#trait_ident, #method, #parent, (#args), #shape))
}

fn abstract_glue(model: &Model, a: &Abstract) -> TokenStream {
    let runtime = &model.runtime;
    let marker = &a.glue_ident;
    let ident = &a.ident;
    let variants = a.members.iter().filter_map(|member| {
        let target = model.object(member)?;
        let variant = &target.ident;
        let glue = &target.glue_ident;
        Some(quote!(super::#ident::#variant => #glue))
    });
    quote! {
        #runtime::glue_abstract! {
            #marker: super::#ident, super::Resolvers { #(#variants),* }
        }
    }
}

/// The shape of a value of `ty` (see `runtime::exec::shape`): `Opt` for a nullable position, `List`, and at the
/// bottom `Plain` or `Leaf` (a leaf that may be null where it must not) or the marker of an object or abstract type.
fn shape(model: &Model, ty: &Type) -> TokenStream {
    match ty {
        Type::NonNullNamed(name) => named_shape(model, name, true),
        Type::Named(name) => {
            let inner = named_shape(model, name, false);
            quote!(Opt<#inner>)
        }
        Type::NonNullList(item) => {
            let inner = shape(model, item);
            quote!(List<#inner>)
        }
        Type::List(item) => {
            let inner = shape(model, item);
            quote!(Opt<List<#inner>>)
        }
    }
}

fn named_shape(model: &Model, name: &str, non_null: bool) -> TokenStream {
    if model.is_leaf(name) {
        if non_null && model.leaf_may_be_null(name) {
            quote!(Leaf)
        } else {
            quote!(Plain)
        }
    } else if let Some(object) = model.object(name) {
        let marker = &object.glue_ident;
        quote!(#marker)
    } else if let Some(a) = model.abstract_type(name) {
        let marker = &a.glue_ident;
        quote!(#marker)
    } else {
        // Nothing else can be an output type in a valid schema.
        quote!(Plain)
    }
}

fn named(name: &str) -> Type {
    Type::NonNullNamed(apollo_compiler::Name::new_unchecked(name))
}
