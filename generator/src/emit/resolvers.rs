//! Resolver traits (one per root type and per object type with fields that take arguments or return objects),
//! their argument structs, and `Resolvers`, the sum of them all.

use proc_macro2::TokenStream;
use quote::quote;

use super::{docs, types};
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
    let traits: Vec<_> = model
        .objects
        .iter()
        .filter_map(|o| o.trait_ident.as_ref().map(|t| (o, t)))
        .collect();
    for (object, trait_ident) in &traits {
        tokens.extend(resolver_trait(model, object, trait_ident));
    }
    let bounds = traits.iter().map(|(_, t)| t);
    let bounds2 = bounds.clone();
    tokens.extend(quote! {
        /// Every resolver trait of the schema, and `Send + Sync`: what [`execute`] needs. Implemented for every type
        /// that implements them all.
        pub trait Resolvers: #(#bounds +)* ::std::marker::Send + ::std::marker::Sync {}

        impl<T> Resolvers for T where T: #(#bounds2 +)* ::std::marker::Send + ::std::marker::Sync {}
    });
    tokens
}

fn resolver_trait(model: &Model, object: &Object, trait_ident: &proc_macro2::Ident) -> TokenStream {
    let what = if object.is_root {
        "the fields of"
    } else {
        "the fields that take arguments or return objects, of"
    };
    let doc = docs::description(Some(&format!("Resolves {what} `{}`.", object.name)));
    let methods = object
        .resolver_fields
        .iter()
        .map(|field| method(model, object, field));
    quote! {
        #doc
        #[allow(clippy::type_complexity)]
        pub trait #trait_ident {
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
    quote! {
        #doc
        fn #ident(&self, #parent #args)
            -> impl ::std::future::Future<Output = #runtime::FieldResult<#output>> + ::std::marker::Send;
    }
}
