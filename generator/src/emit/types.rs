//! Scalars (type aliases), enums (wire names kept), object structs (the plain fields), interface and union enums
//! (one variant per possible object), and input objects (nullable fields three-state).

use apollo_compiler::ast::Type;
use proc_macro2::TokenStream;
use quote::quote;

use super::docs;
use crate::model::{Arg, Model, path_text};

pub(super) fn emit(model: &Model) -> TokenStream {
    let mut tokens = TokenStream::new();
    for scalar in &model.scalars {
        let doc = docs::attributes(&scalar.doc);
        let (ident, rust) = (&scalar.ident, &scalar.rust);
        tokens.extend(quote! { #doc pub type #ident = #rust; });
    }
    for e in &model.enums {
        tokens.extend(enumeration(model, e));
    }
    for object in model.objects.iter().filter(|o| !o.is_root) {
        tokens.extend(object_struct(model, object));
    }
    for a in &model.abstracts {
        tokens.extend(abstract_enum(model, a));
    }
    for input in &model.inputs {
        let doc = docs::attributes(&input.doc);
        tokens.extend(input_struct(
            model,
            &input.ident,
            doc,
            &input.attributes,
            &input.fields,
        ));
    }
    tokens
}

/// `#[serde(crate = "...")]`, so derives work for crates that depend only on the runtime.
pub(super) fn serde_crate(model: &Model) -> TokenStream {
    let path = format!("{}::serde", path_text(&model.runtime));
    quote!(#[serde(crate = #path)])
}

fn enumeration(model: &Model, e: &crate::model::Enum) -> TokenStream {
    let runtime = &model.runtime;
    let serde_crate = serde_crate(model);
    let doc = docs::attributes(&e.doc);
    let attributes = &e.attributes;
    let ident = &e.ident;
    let variants = e.values.iter().map(|v| {
        let (name, variant) = (&v.name, &v.ident);
        let doc = docs::attributes(&v.doc);
        quote!(#doc #[serde(rename = #name)] #variant,)
    });
    let all = e.values.iter().map(|v| &v.ident);
    let arms = e.values.iter().map(|v| {
        let (name, variant) = (&v.name, &v.ident);
        quote!(Self::#variant => #name,)
    });
    quote! {
        #doc
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
            #runtime::serde::Serialize, #runtime::serde::Deserialize,
        )]
        #serde_crate
        #(#attributes)*
        pub enum #ident { #(#variants)* }

        #[allow(deprecated)]
        impl #ident {
            /// Every value, in schema order.
            pub const ALL: &'static [Self] = &[#(Self::#all),*];

            /// The value's name on the wire.
            pub fn as_str(self) -> &'static str {
                match self { #(#arms)* }
            }
        }

        impl ::std::fmt::Display for #ident {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    }
}

fn object_struct(model: &Model, object: &crate::model::Object) -> TokenStream {
    let runtime = &model.runtime;
    let serde_crate = serde_crate(model);
    let doc = docs::attributes(&object.doc);
    let attributes = &object.attributes;
    let ident = &object.ident;
    let defaultable = object
        .data_fields
        .iter()
        .all(|f| defaultable_output(model, &f.ty));
    let default = defaultable.then(|| quote!(Default,));
    let fields = object.data_fields.iter().map(|field| {
        let doc = docs::attributes(&field.doc);
        let (name, ident) = (&field.name, &field.ident);
        let ty = model.output_type(&field.ty, &TokenStream::new());
        let attributes = &field.attributes;
        let rename = (!same_name(ident, name)).then(|| quote!(#[serde(rename = #name)]));
        quote!(#doc #rename #(#attributes)* pub #ident: #ty,)
    });
    let resolved = object
        .resolver_fields
        .iter()
        .map(|f| format!("`{}`", f.name))
        .collect::<Vec<_>>();
    let note = (!resolved.is_empty()).then(|| {
        let trait_ident = object
            .trait_ident
            .as_ref()
            .map(|t| t.to_string())
            .unwrap_or_default();
        docs::description(Some(&format!(
            "\nResolved by `{trait_ident}`: {}.",
            resolved.join(", ")
        )))
    });
    quote! {
        #doc
        #note
        #[derive(
            Debug, Clone, PartialEq, #default
            #runtime::serde::Serialize, #runtime::serde::Deserialize,
        )]
        #serde_crate
        #(#attributes)*
        pub struct #ident { #(#fields)* }
    }
}

/// Output fields whose Rust type has an obvious default (null, empty, zero), so the struct can derive `Default`.
fn defaultable_output(model: &Model, ty: &Type) -> bool {
    match ty {
        Type::Named(_) | Type::List(_) | Type::NonNullList(_) => true,
        Type::NonNullNamed(name) => {
            matches!(name.as_str(), "Int" | "Float" | "String" | "Boolean" | "ID")
                || !model.is_leaf(name)
        }
    }
}

fn abstract_enum(model: &Model, a: &crate::model::Abstract) -> TokenStream {
    let doc = docs::attributes(&a.doc);
    let attributes = &a.attributes;
    let ident = &a.ident;
    let unbound = a.members.iter().all(|m| !model.is_bound(m));
    let derives = unbound.then(|| quote!(#[derive(Debug, Clone, PartialEq)]));
    let variants = a.members.iter().map(|member| {
        let object = model.object(member).expect("abstract members are objects");
        let variant = &object.ident;
        let ty = model.output_type(
            &Type::NonNullNamed(apollo_compiler::Name::new(member).expect("a name")),
            &TokenStream::new(),
        );
        quote!(#variant(#ty),)
    });
    quote! {
        #doc
        #derives
        #[allow(clippy::large_enum_variant)]
        #(#attributes)*
        pub enum #ident { #(#variants)* }
    }
}

/// The struct of an input object or of a field's arguments.
pub(super) fn input_struct(
    model: &Model,
    ident: &proc_macro2::Ident,
    doc: TokenStream,
    attributes: &[TokenStream],
    fields: &[Arg],
) -> TokenStream {
    let runtime = &model.runtime;
    let serde_crate = serde_crate(model);
    let is_absent = format!("{}::MaybeAbsent::is_absent", path_text(runtime));
    let defaultable = fields.iter().all(|f| !f.ty.is_non_null());
    let default = defaultable.then(|| quote!(Default,));
    let members = fields.iter().map(|field| {
        let doc = docs::attributes(&field.doc);
        let (name, ident) = (&field.name, &field.ident);
        let ty = model.input_type(field, &TokenStream::new());
        let attributes = &field.attributes;
        let rename = (!same_name(ident, name)).then(|| quote!(rename = #name,));
        let serde = if field.ty.is_non_null() {
            rename.map(|rename| quote!(#[serde(#rename)]))
        } else {
            Some(quote!(#[serde(#rename default, skip_serializing_if = #is_absent)]))
        };
        quote!(#doc #serde #(#attributes)* pub #ident: #ty,)
    });
    quote! {
        #doc
        #[derive(
            Debug, Clone, PartialEq, #default
            #runtime::serde::Serialize, #runtime::serde::Deserialize,
        )]
        #serde_crate
        #(#attributes)*
        pub struct #ident { #(#members)* }
    }
}

/// Whether serde's name for the field (the identifier, unraw) is already the wire name.
fn same_name(ident: &proc_macro2::Ident, wire: &str) -> bool {
    let ident = ident.to_string();
    ident.strip_prefix("r#").unwrap_or(&ident) == wire
}
