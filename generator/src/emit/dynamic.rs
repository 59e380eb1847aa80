//! `Config::dynamic_backend`: every resolver trait, and `Resolvers`, implemented for `runtime::dynamic::Dynamic<B>`.
//! Each method hands its field to the backend (type and field names, the parent `Node`'s JSON, the arguments struct)
//! and reads the answer into the method's output type.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::{Field, Model, Object};

pub(super) fn emit(model: &Model, traits: &[&Object]) -> TokenStream {
    let runtime = &model.runtime;
    let impls = traits.iter().filter_map(|object| {
        let trait_ident = object.trait_ident.as_ref()?;
        let methods = object
            .resolver_fields
            .iter()
            .map(|field| method(model, object, field));
        // The trait declares each method's future `Send`, which an `async fn` cannot say.
        Some(quote! {
            #[allow(clippy::manual_async_fn)]
            impl<B: #runtime::dynamic::Backend> #trait_ident for #runtime::dynamic::Dynamic<B> {
                #(#methods)*
            }
        })
    });
    let accessors = traits.iter().filter_map(|object| {
        let (trait_ident, accessor) = (object.trait_ident.as_ref()?, object.accessor.as_ref()?);
        Some(quote!(fn #accessor(&self) -> &impl #trait_ident { self }))
    });
    quote! {
        #(#impls)*

        /// Every field a resolver trait resolves, answered by the backend.
        impl<B: #runtime::dynamic::Backend> Resolvers for #runtime::dynamic::Dynamic<B> {
            #(#accessors)*
        }
    }
}

fn method(model: &Model, object: &Object, field: &Field) -> TokenStream {
    let runtime = &model.runtime;
    let ident = &field.ident;
    let output = model.output_type(&field.ty, &TokenStream::new());
    let (type_name, field_name) = (&object.name, &field.name);
    let (parent, source) = if object.is_root {
        (TokenStream::new(), quote!(::std::option::Option::None))
    } else {
        let backing = model.output_type(
            &apollo_compiler::ast::Type::NonNullNamed(
                apollo_compiler::Name::new(&object.name).expect("a name"),
            ),
            &TokenStream::new(),
        );
        (
            quote!(parent: &#backing,),
            quote!(::std::option::Option::Some(parent.source())),
        )
    };
    let (args, args_value) = match &field.args_ident {
        Some(args_ident) => (quote!(args: #args_ident,), quote!(&args)),
        None => (TokenStream::new(), quote!(&())),
    };
    quote! {
        fn #ident(&self, #parent #args)
            -> impl ::std::future::Future<Output = #runtime::FieldResult<#output>> + ::std::marker::Send
        {
            async move { self.resolve(#type_name, #field_name, #source, #args_value).await }
        }
    }
}
