//! The execution glue: `engine` and `execute`, and a private wrapper per object type that implements
//! apollo-compiler's `AsyncObjectValue` by reading plain fields from its value and calling the resolver traits.

use apollo_compiler::ast::Type;
use proc_macro2::{Ident, TokenStream};
use quote::quote;

use crate::model::{Field, Model, Object};

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
    let mutation_value = match mutation {
        Some(ident) => quote!(::std::option::Option::Some(&glue::#ident { resolvers, ctx: &ctx })),
        None => quote!(::std::option::Option::None),
    };
    let wrappers = model.objects.iter().map(|object| wrapper(model, object));
    quote! {
        /// The operation engine of this schema: parses, validates (against [`PUBLIC_SDL`]) and caches operations.
        pub fn engine(limits: #runtime::engine::Limits) -> #runtime::engine::Engine {
            #runtime::engine::Engine::new(PUBLIC_SDL, #source_name, limits)
        }

        /// Executes the chosen operation of a prepared document with `resolvers`.
        pub async fn execute<R: Resolvers>(
            resolvers: &R,
            engine: &#runtime::engine::Engine,
            prepared: &#runtime::engine::Prepared,
            operation_name: ::std::option::Option<&str>,
            variables: &#runtime::response::JsonMap,
        ) -> #runtime::response::Response {
            let ctx = #runtime::exec::ExecContext::new();
            let query = glue::#query { resolvers, ctx: &ctx };
            #runtime::exec::execute(engine, prepared, operation_name, variables, &ctx, &query, #mutation_value).await
        }

        #[allow(deprecated)]
        mod glue {
            #(#wrappers)*
        }
    }
}

fn wrapper(model: &Model, object: &Object) -> TokenStream {
    let runtime = &model.runtime;
    let apollo = quote!(#runtime::apollo_compiler::resolvers);
    let ident = &object.glue_ident;
    let name = &object.name;
    let sup = quote!(super::);
    let value_field = (!object.is_root).then(|| {
        let backing = model.output_type(&named(name), &sup);
        quote!(pub(super) value: #backing,)
    });
    let data = (!object.data_fields.is_empty()).then(|| {
        let structure = model.object_struct(name, &sup);
        if model.is_bound(name) {
            quote!(let data: &#structure = #runtime::exec::ObjectData::data(&self.value);)
        } else {
            quote!(let data: &#structure = &self.value;)
        }
    });
    let data_arms = object.data_fields.iter().map(|field| {
        let field_name = &field.name;
        let field_ident = &field.ident;
        let value = match &field.ty {
            // A place, so that the list is iterated as `data.field.iter()` (clippy's `needless_borrow`).
            Type::NonNullList(item) => wrap_list(model, item, quote!(data.#field_ident), true),
            ty => wrap(model, ty, quote!(&data.#field_ident), true),
        };
        quote!(#field_name => #value,)
    });
    let resolver_arms = object
        .resolver_fields
        .iter()
        .map(|field| resolver_arm(model, object, field));
    // An object of leaf fields only calls no resolver and builds no child, but is built like every other.
    let unused = object
        .resolver_fields
        .is_empty()
        .then(|| quote!(#[allow(dead_code)]));
    quote! {
        pub(super) struct #ident<'r, R> {
            #unused
            pub(super) resolvers: &'r R,
            pub(super) ctx: &'r #runtime::exec::ExecContext,
            #value_field
        }

        impl<R: super::Resolvers> #apollo::AsyncObjectValue for #ident<'_, R> {
            fn type_name(&self) -> &str {
                #name
            }

            fn resolve_field<'a>(
                &'a self,
                info: &'a #apollo::ResolveInfo<'a>,
            ) -> #runtime::futures::future::BoxFuture<'a, ::std::result::Result<#apollo::AsyncResolvedValue<'a>, #apollo::ExecutionError>> {
                ::std::boxed::Box::pin(async move {
                    #data
                    match info.field_name() {
                        #(#data_arms)*
                        #(#resolver_arms)*
                        _ => ::std::result::Result::Err(#apollo::AsyncObjectValue::unknown_field_error(self, info)),
                    }
                })
            }
        }
    }
}

fn resolver_arm(model: &Model, object: &Object, field: &Field) -> TokenStream {
    let trait_ident = object
        .trait_ident
        .as_ref()
        .expect("objects with resolver fields have a trait");
    let field_name = &field.name;
    let method = &field.ident;
    let parent = (!object.is_root).then(|| quote!(&self.value,));
    let (decode, args) = match &field.args_ident {
        Some(args_ident) => (
            quote!(let args: super::#args_ident = self.ctx.arguments(info)?;),
            quote!(args),
        ),
        None => (TokenStream::new(), TokenStream::new()),
    };
    let value = wrap(model, &field.ty, quote!(value), false);
    quote! {
        #field_name => {
            #decode
            let value = super::#trait_ident::#method(self.resolvers, #parent #args)
                .await
                .map_err(|error| self.ctx.fail(error))?;
            #value
        }
    }
}

/// An expression turning `expr` (of the Rust type of `ty`; a reference when `by_ref`) into
/// `Result<AsyncResolvedValue, ExecutionError>`.
fn wrap(model: &Model, ty: &Type, expr: TokenStream, by_ref: bool) -> TokenStream {
    let runtime = &model.runtime;
    let resolved = quote!(#runtime::apollo_compiler::resolvers::AsyncResolvedValue);
    let nullable = |inner: TokenStream| {
        quote! {
            match #expr {
                ::std::option::Option::Some(v) => #inner,
                ::std::option::Option::None => ::std::result::Result::Ok(#resolved::null()),
            }
        }
    };
    match ty {
        Type::NonNullNamed(name) => wrap_named(model, name, expr),
        Type::Named(name) => nullable(wrap_named(model, name, quote!(v))),
        Type::NonNullList(item) => wrap_list(model, item, expr, by_ref),
        Type::List(item) => nullable(wrap_list(model, item, quote!(v), by_ref)),
    }
}

fn wrap_list(model: &Model, item: &Type, expr: TokenStream, by_ref: bool) -> TokenStream {
    let runtime = &model.runtime;
    let resolved = quote!(#runtime::apollo_compiler::resolvers::AsyncResolvedValue);
    let iter = if by_ref {
        quote!(#expr.iter())
    } else {
        quote!((#expr).into_iter())
    };
    let inner = wrap(model, item, quote!(v), by_ref);
    quote! {
        ::std::result::Result::Ok(#resolved::List(::std::boxed::Box::pin(
            #runtime::futures::stream::iter(#iter.map(move |v| #inner))
        )))
    }
}

fn wrap_named(model: &Model, name: &str, expr: TokenStream) -> TokenStream {
    let runtime = &model.runtime;
    let resolved = quote!(#runtime::apollo_compiler::resolvers::AsyncResolvedValue);
    if model.is_leaf(name) {
        return quote!(self.ctx.leaf(&#expr).map(#resolved::Leaf));
    }
    let object = |object: &Object, value: TokenStream| {
        let glue: &Ident = &object.glue_ident;
        // Shorthand when the value is the variable `value` (clippy's `redundant_field_names`).
        let value = if value.to_string() == "value" {
            value
        } else {
            quote!(value: #value)
        };
        quote!(#resolved::object(#glue { resolvers: self.resolvers, ctx: self.ctx, #value }))
    };
    if let Some(target) = model.object(name) {
        let value = object(target, expr);
        return quote!(::std::result::Result::Ok(#value));
    }
    let a = model
        .abstract_type(name)
        .expect("a composite type is an object, interface or union");
    if a.members.is_empty() {
        // An interface no object implements: its enum has no values, so this position is unreachable.
        return quote!(match #expr {});
    }
    let enum_ident = &a.ident;
    let arms = a.members.iter().map(|member| {
        let target = model.object(member).expect("abstract members are objects");
        let variant = &target.ident;
        let value = object(target, quote!(v));
        quote!(super::#enum_ident::#variant(v) => #value,)
    });
    quote!(::std::result::Result::Ok(match #expr { #(#arms)* }))
}

fn named(name: &str) -> Type {
    Type::NonNullNamed(apollo_compiler::Name::new(name).expect("a GraphQL name"))
}
