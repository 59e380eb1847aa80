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
            use #runtime::apollo_compiler::resolvers::{AsyncObjectValue, AsyncResolvedValue, ExecutionError, ResolveInfo};
            use #runtime::exec::ExecContext;
            use #runtime::futures::future::BoxFuture;
            use #runtime::response::JsonValue;

            type Resolved<'a> = ::std::result::Result<AsyncResolvedValue<'a>, ExecutionError>;

            #[allow(dead_code)]
            /// A leaf value (scalar or enum, as JSON) of a type with `lists` list wrappers, as apollo-compiler wants
            /// it: lists as `List`, everything else (including null, and arrays inside a JSON scalar) as `Leaf`.
            fn leaves<'a>(value: JsonValue, lists: usize) -> AsyncResolvedValue<'a> {
                match value {
                    JsonValue::Array(items) if lists > 0 => AsyncResolvedValue::List(Box::pin(
                        #runtime::futures::stream::iter(items.into_iter().map(move |item| Ok(leaves(item, lists - 1)))),
                    )),
                    value => AsyncResolvedValue::Leaf(value),
                }
            }

            #[allow(dead_code)]
            /// A leaf value of a field.
            fn leaf<'a, T: #runtime::serde::Serialize + ?Sized>(ctx: &ExecContext, value: &T, lists: usize) -> Resolved<'a> {
                ctx.leaf(value).map(|json| leaves(json, lists))
            }

            /// A nullable value: null, or what `f` makes of it.
            #[allow(dead_code)]
            fn nullable<'a, T>(value: ::std::option::Option<T>, f: impl FnOnce(T) -> Resolved<'a>) -> Resolved<'a> {
                match value {
                    Some(value) => f(value),
                    None => Ok(AsyncResolvedValue::null()),
                }
            }

            /// A list, each item as `f` makes it.
            #[allow(dead_code)]
            fn list<'a, T: Send + 'a>(items: ::std::vec::Vec<T>, f: impl FnMut(T) -> Resolved<'a> + Send + 'a) -> Resolved<'a> {
                Ok(AsyncResolvedValue::List(Box::pin(#runtime::futures::stream::iter(items.into_iter().map(f)))))
            }

            #(#wrappers)*
        }
    }
}

fn wrapper(model: &Model, object: &Object) -> TokenStream {
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
            let runtime = &model.runtime;
            quote!(let data: &#structure = #runtime::exec::ObjectData::data(&self.value);)
        } else {
            quote!(let data: &#structure = &self.value;)
        }
    });
    let data_arms = object.data_fields.iter().map(|field| {
        let field_name = &field.name;
        let field_ident = &field.ident;
        let lists = proc_macro2::Literal::usize_unsuffixed(list_depth(&field.ty));
        quote!(#field_name => leaf(self.ctx, &data.#field_ident, #lists),)
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
    // How a resolver's value of this type becomes a resolved object.
    let constructor = value_field.is_some().then(|| {
        let backing = model.output_type(&named(name), &sup);
        quote! {
            impl<'r, R: super::Resolvers> #ident<'r, R> {
                fn resolved(resolvers: &'r R, ctx: &'r ExecContext, value: #backing) -> Resolved<'r> {
                    Ok(AsyncResolvedValue::object(Self { resolvers, ctx, value }))
                }
            }
        }
    });
    quote! {
        pub(super) struct #ident<'r, R> {
            #unused
            pub(super) resolvers: &'r R,
            pub(super) ctx: &'r ExecContext,
            #value_field
        }

        #constructor

        impl<R: super::Resolvers> AsyncObjectValue for #ident<'_, R> {
            fn type_name(&self) -> &str {
                #name
            }

            fn resolve_field<'a>(&'a self, info: &'a ResolveInfo<'a>) -> BoxFuture<'a, Resolved<'a>> {
                Box::pin(async move {
                    #data
                    match info.field_name() {
                        #(#data_arms)*
                        #(#resolver_arms)*
                        _ => Err(AsyncObjectValue::unknown_field_error(self, info)),
                    }
                })
            }
        }
    }
}

fn resolver_arm(model: &Model, object: &Object, field: &Field) -> TokenStream {
    let Some(trait_ident) = object.trait_ident.as_ref() else {
        return TokenStream::new();
    };
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
    let value = if model.is_leaf(field.ty.inner_named_type()) {
        let lists = proc_macro2::Literal::usize_unsuffixed(list_depth(&field.ty));
        quote!(leaf(self.ctx, &value, #lists))
    } else {
        wrap(model, &field.ty, quote!(value))
    };
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

/// How many lists wrap the named type of `ty`.
fn list_depth(ty: &Type) -> usize {
    match ty {
        Type::Named(_) | Type::NonNullNamed(_) => 0,
        Type::List(item) | Type::NonNullList(item) => 1 + list_depth(item),
    }
}

/// An expression turning `expr` (owned, of the Rust type of `ty`, whose named type is an object, interface or union)
/// into a `Resolved`.
fn wrap(model: &Model, ty: &Type, expr: TokenStream) -> TokenStream {
    match ty {
        Type::NonNullNamed(name) => wrap_named(model, name, expr),
        Type::Named(name) => {
            let inner = wrap_named(model, name, quote!(v));
            quote!(nullable(#expr, |v| #inner))
        }
        Type::NonNullList(item) => {
            let inner = wrap(model, item, quote!(v));
            quote!(list(#expr, move |v| #inner))
        }
        Type::List(item) => {
            let inner = wrap(model, item, quote!(v));
            quote!(nullable(#expr, |v| list(v, move |v| #inner)))
        }
    }
}

fn wrap_named(model: &Model, name: &str, expr: TokenStream) -> TokenStream {
    let object = |object: &Object, value: TokenStream| {
        let glue: &Ident = &object.glue_ident;
        quote!(#glue::resolved(self.resolvers, self.ctx, #value))
    };
    if let Some(target) = model.object(name) {
        return object(target, expr);
    }
    let Some(a) = model.abstract_type(name) else {
        // Leaves are handled by the caller; nothing else can be here in a valid schema.
        return quote!(::std::unreachable!());
    };
    // An interface no object implements has an enum without values: this match has no arms, and is unreachable.
    let enum_ident = &a.ident;
    let arms = a.members.iter().filter_map(|member| {
        let target = model.object(member)?;
        let variant = &target.ident;
        let value = object(target, quote!(v));
        Some(quote!(super::#enum_ident::#variant(v) => #value,))
    });
    quote!(match #expr { #(#arms)* })
}

fn named(name: &str) -> Type {
    Type::NonNullNamed(apollo_compiler::Name::new_unchecked(name))
}
