//! Resolver traits: one per object type that has resolver methods (root types first), each method with a default
//! body answering "not implemented: Type.field" unless `Config::required_resolvers`; their argument structs;
//! `Resolvers`, whose accessors give `execute` each trait's implementation; and `NotImplemented`, what an accessor
//! gives until the implementation overrides it.

use proc_macro2::TokenStream;
use quote::quote;

use super::{docs, dynamic, types};
use crate::model::{Field, Model, Object};

pub(super) fn emit(model: &Model) -> TokenStream {
    let mut tokens = TokenStream::new();
    for object in &model.objects {
        for field in &object.resolver_fields {
            if let Some(args_ident) = &field.args_ident {
                let doc = docs::description(Some(&format!(
                    "The arguments of `{}.{}`.",
                    object.name, field.name
                )));
                tokens.extend(types::input_struct(
                    model,
                    args_ident,
                    doc,
                    &[],
                    &field.args,
                ));
            }
        }
    }
    let traits = traits_roots_first(model);
    for object in &traits {
        tokens.extend(resolver_trait(model, object));
    }
    tokens.extend(resolvers_trait(model, &traits));
    if model.dynamic_backend {
        tokens.extend(dynamic::emit(model, &traits));
    }
    tokens
}

/// The objects with resolver methods: the query type, the mutation type, then the others by name.
fn traits_roots_first(model: &Model) -> Vec<&Object> {
    let root = |name: &Option<String>| name.as_deref().and_then(|n| model.object(n));
    let roots = [root(&model.query), root(&model.mutation)];
    let mut traits: Vec<&Object> = roots
        .into_iter()
        .flatten()
        .filter(|o| o.trait_ident.is_some())
        .collect();
    traits.extend(
        model
            .objects
            .iter()
            .filter(|o| !o.is_root && o.trait_ident.is_some()),
    );
    traits
}

fn resolver_trait(model: &Model, object: &Object) -> TokenStream {
    let Some(trait_ident) = &object.trait_ident else {
        return TokenStream::new();
    };
    let what = if object.is_root {
        "the fields of"
    } else {
        "the fields that take arguments or are resolved lazily (`Config::resolve`), of"
    };
    let doc = docs::description(Some(&format!("Resolves {what} `{}`.", object.name)));
    let methods = object
        .resolver_fields
        .iter()
        .map(|field| method(model, object, field));
    quote! {
        #doc
        #[allow(clippy::type_complexity)]
        pub trait #trait_ident: ::std::marker::Sync {
            #(#methods)*
        }
    }
}

fn method(model: &Model, object: &Object, field: &Field) -> TokenStream {
    let runtime = &model.runtime;
    let doc = docs::attributes(&field.doc);
    let ident = &field.ident;
    let output = model.output_type(&field.ty, &TokenStream::new());
    let parent = (!object.is_root).then(|| {
        let backing = model.output_type(
            &apollo_compiler::ast::Type::NonNullNamed(
                apollo_compiler::Name::new(&object.name).expect("a name"),
            ),
            &TokenStream::new(),
        );
        quote!(parent: &#backing,)
    });
    let args = field.args_ident.as_ref().map(|args| quote!(args: #args,));
    let signature = quote! {
        fn #ident(&self, #parent #args)
            -> impl ::std::future::Future<Output = #runtime::FieldResult<#output>> + ::std::marker::Send
    };
    if model.required_resolvers {
        return quote!(#doc #signature;);
    }
    let coordinate = format!("{}.{}", object.name, field.name);
    let unused = match (parent.is_some(), args.is_some()) {
        (true, true) => quote!(let _ = (parent, args);),
        (true, false) => quote!(let _ = parent;),
        (false, true) => quote!(let _ = args;),
        (false, false) => TokenStream::new(),
    };
    quote! {
        #doc
        #signature {
            #unused
            ::std::future::ready(::std::result::Result::Err(
                #runtime::FieldError::not_implemented(#coordinate),
            ))
        }
    }
}

/// `Resolvers` (an accessor per resolver trait) and, unless resolvers are required, `NotImplemented`.
fn resolvers_trait(model: &Model, traits: &[&Object]) -> TokenStream {
    let accessors = traits.iter().filter_map(|object| {
        let (trait_ident, accessor) = (object.trait_ident.as_ref()?, object.accessor.as_ref()?);
        let doc = docs::description(Some(&format!(
            "The implementation of [`{trait_ident}`], for the fields of `{}`.",
            object.name
        )));
        Some(if model.required_resolvers {
            quote!(#doc fn #accessor(&self) -> &impl #trait_ident;)
        } else {
            quote!(#doc fn #accessor(&self) -> &impl #trait_ident { &NotImplemented })
        })
    });
    let resolvers = quote! {
        /// What [`execute`] calls: for each type with resolver methods, the value that implements
        /// its trait (often `self`). Override only the accessors of the types you serve.
        pub trait Resolvers: ::std::marker::Send + ::std::marker::Sync {
            #(#accessors)*
        }
    };
    if model.required_resolvers {
        return resolvers;
    }
    let impls = traits
        .iter()
        .filter_map(|o| o.trait_ident.as_ref())
        .map(|t| quote!(impl #t for NotImplemented {}));
    quote! {
        #resolvers

        /// Implements every resolver trait with its default methods, each answering
        /// "not implemented: Type.field": what an accessor of [`Resolvers`] gives until it is
        /// overridden.
        #[derive(Debug, Clone, Copy, Default)]
        pub struct NotImplemented;

        #(#impls)*
    }
}
