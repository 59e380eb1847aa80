//! Scalars (type aliases), enums (wire names kept), object structs (every field without arguments, nested objects
//! included: data first), interface and union enums (one variant per possible object, `From` each member,
//! accessors for the fields every member holds), and input objects (nullable fields three-state).

use std::collections::BTreeSet;

use apollo_compiler::ast::Type;
use proc_macro2::{Ident, TokenStream};
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
    let plain = plain_types(model);
    let defaultable = defaultable_objects(model, &plain);
    for object in model.objects.iter().filter(|o| !o.is_root) {
        tokens.extend(object_struct(model, object, &plain, &defaultable));
    }
    for a in &model.abstracts {
        tokens.extend(abstract_enum(model, a, &plain));
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
    let names_lint = variant_names_lint(&e.ident, e.values.iter().map(|v| v.ident.to_string()));
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
        #names_lint
        #[non_exhaustive]
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

fn object_struct(
    model: &Model,
    object: &crate::model::Object,
    plain: &BTreeSet<&str>,
    defaultable: &BTreeSet<&str>,
) -> TokenStream {
    let runtime = &model.runtime;
    let serde_crate = serde_crate(model);
    let doc = docs::attributes(&object.doc);
    let attributes = &object.attributes;
    let ident = &object.ident;
    let is_plain = plain.contains(object.name.as_str());
    let default = defaultable
        .contains(object.name.as_str())
        .then(|| quote!(Default,));
    let fields = object.data_fields.iter().map(|field| {
        let doc = docs::attributes(&field.doc);
        let (name, ident) = (&field.name, &field.ident);
        let ty = model.data_type(field, &TokenStream::new());
        let attributes = &field.attributes;
        let rename =
            (is_plain && !same_name(ident, name)).then(|| quote!(#[serde(rename = #name)]));
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
    let derives = if is_plain {
        quote! {
            #[derive(
                Debug, Clone, PartialEq, #default
                #runtime::serde::Serialize, #runtime::serde::Deserialize,
            )]
            #serde_crate
        }
    } else {
        quote!(#[derive(Debug, Clone)])
    };
    quote! {
        #doc
        #note
        #derives
        #(#attributes)*
        pub struct #ident { #(#fields)* }
    }
}

/// `#[allow(clippy::enum_variant_names)]` where clippy's lint would fire on names the schema chose: a variant that
/// starts or ends with the enum's name, or three or more variants sharing their first or last word.
fn variant_names_lint(enum_ident: &Ident, variants: impl Iterator<Item = String>) -> TokenStream {
    let name = enum_ident.to_string();
    let variants: Vec<String> = variants.collect();
    let words = |v: &str| -> Vec<String> {
        let mut words: Vec<String> = Vec::new();
        for c in v.chars() {
            match words.last_mut() {
                Some(word) if !c.is_uppercase() => word.push(c),
                _ => words.push(c.to_string()),
            }
        }
        words
    };
    let shared = |pick: fn(Vec<String>) -> Option<String>| {
        let mut picked = variants.iter().map(|v| pick(words(v)));
        let first = picked.next().flatten();
        first.is_some() && picked.all(|p| p == first)
    };
    let fires = variants
        .iter()
        .any(|v| v != &name && (v.starts_with(&name) || v.ends_with(&name)))
        || (variants.len() >= 3
            && (shared(|w| w.first().cloned()) || shared(|w| w.last().cloned())));
    if fires {
        quote!(#[allow(clippy::enum_variant_names)])
    } else {
        TokenStream::new()
    }
}

/// The object structs that can derive `Default`: every field has an obvious default (null, empty, zero, or a
/// non-null object whose struct has one). A fixpoint, since objects hold objects.
fn defaultable_objects<'m>(model: &'m Model, plain: &BTreeSet<&'m str>) -> BTreeSet<&'m str> {
    let mut defaultable: BTreeSet<&str> = model
        .objects
        .iter()
        .filter(|o| plain.contains(o.name.as_str()))
        .map(|o| o.name.as_str())
        .collect();
    loop {
        let next: BTreeSet<&str> = defaultable
            .iter()
            .copied()
            .filter(|&name| {
                model.object(name).is_some_and(|object| {
                    object.data_fields.iter().all(|f| match &f.ty {
                        Type::Named(_) | Type::List(_) | Type::NonNullList(_) => true,
                        // A default would hold a default of itself, without end.
                        Type::NonNullNamed(_) if f.boxed => false,
                        Type::NonNullNamed(named) => {
                            matches!(
                                named.as_str(),
                                "Int" | "Float" | "String" | "Boolean" | "ID"
                            ) || (defaultable.contains(named.as_str()) && !model.is_bound(named))
                        }
                    })
                })
            })
            .collect();
        if next.len() == defaultable.len() {
            return next;
        }
        defaultable = next;
    }
}

fn abstract_enum(model: &Model, a: &crate::model::Abstract, plain: &BTreeSet<&str>) -> TokenStream {
    let runtime = &model.runtime;
    let doc = docs::attributes(&a.doc);
    let attributes = &a.attributes;
    let ident = &a.ident;
    let derives = if plain.contains(a.name.as_str()) {
        let serde_crate = serde_crate(model);
        quote! {
            #[derive(
                Debug, Clone, PartialEq, #runtime::serde::Serialize, #runtime::serde::Deserialize,
            )]
            #serde_crate
            #[serde(tag = "__typename")]
        }
    } else {
        quote!(#[derive(Debug, Clone)])
    };
    let members: Vec<_> = a
        .members
        .iter()
        .filter_map(|member| {
            let object = model.object(member)?;
            let ty = model.output_type(&named(member), &TokenStream::new());
            Some((member, object, ty))
        })
        .collect();
    let variants = members.iter().map(|(member, object, ty)| {
        let variant = &object.ident;
        quote!(#[serde(rename = #member)] #variant(#ty),)
    });
    let froms = members.iter().map(|(_, object, ty)| {
        let variant = &object.ident;
        quote! {
            impl ::std::convert::From<#ty> for #ident {
                fn from(value: #ty) -> Self {
                    Self::#variant(value)
                }
            }
        }
    });
    let accessors = shared_fields(model, a).into_iter().map(|(field, ty)| {
        let doc = docs::attributes(&field.doc);
        let method = &field.ident;
        let arms = members.iter().map(|(member, object, _)| {
            let variant = &object.ident;
            let data = model.object_struct(member, &TokenStream::new());
            quote! {
                Self::#variant(value) => {
                    &<_ as #runtime::exec::ObjectData<#data>>::data(value).#method
                }
            }
        });
        quote! {
            #doc
            pub fn #method(&self) -> &#ty {
                match self { #(#arms)* }
            }
        }
    });
    let serde_rename = plain.contains(a.name.as_str());
    let variants: Vec<_> = if serde_rename {
        variants.collect()
    } else {
        members
            .iter()
            .map(|(_, object, ty)| {
                let variant = &object.ident;
                quote!(#variant(#ty),)
            })
            .collect()
    };
    let names_lint = variant_names_lint(
        ident,
        members
            .iter()
            .map(|(_, object, _)| object.ident.to_string()),
    );
    quote! {
        #doc
        #derives
        #[allow(clippy::large_enum_variant)]
        #names_lint
        #[non_exhaustive]
        #(#attributes)*
        pub enum #ident { #(#variants)* }

        #(#froms)*

        impl #ident {
            #(#accessors)*
        }
    }
}

/// The fields of an interface that every member holds as a plain field of the same Rust type (what the interface's
/// accessors read); none for a union.
fn shared_fields<'m>(
    model: &'m Model,
    a: &crate::model::Abstract,
) -> Vec<(&'m crate::model::Field, TokenStream)> {
    let Some(first) = a.members.first().and_then(|m| model.object(m)) else {
        return Vec::new();
    };
    first
        .data_fields
        .iter()
        .filter(|field| a.fields.contains(&field.name))
        .filter_map(|field| {
            let ty = model.data_type(field, &TokenStream::new());
            let text = ty.to_string();
            a.members
                .iter()
                .all(|member| {
                    model.object(member).is_some_and(|object| {
                        object.data_fields.iter().any(|f| {
                            f.name == field.name
                                && f.ident == field.ident
                                && model.data_type(f, &TokenStream::new()).to_string() == text
                        })
                    })
                })
                .then_some((field, ty))
        })
        .collect()
}

/// The object structs and abstract enums that hold no bound type anywhere: they derive every trait (comparison
/// and serde included); the others derive `Debug` and `Clone` only, which a bound type must implement. A bound
/// type's own struct may be plain; a field of a bound type holds the binding, which is not (unless it is a
/// `runtime::dynamic::Node`).
fn plain_types(model: &Model) -> BTreeSet<&str> {
    let mut plain: BTreeSet<&str> = model
        .objects
        .iter()
        .filter(|o| !o.is_root)
        .map(|o| o.name.as_str())
        .chain(model.abstracts.iter().map(|a| a.name.as_str()))
        .collect();
    loop {
        let holds_plain = |named: &str| {
            model.is_leaf(named) || (plain.contains(named) && !model.is_bound_opaquely(named))
        };
        let next: BTreeSet<&str> = plain
            .iter()
            .copied()
            .filter(|&name| match model.object(name) {
                Some(object) => object
                    .data_fields
                    .iter()
                    .all(|f| holds_plain(f.ty.inner_named_type())),
                None => model
                    .abstract_type(name)
                    .is_some_and(|a| a.members.iter().all(|m| holds_plain(m))),
            })
            .collect();
        if next.len() == plain.len() {
            return next;
        }
        plain = next;
    }
}

fn named(name: &str) -> Type {
    Type::NonNullNamed(apollo_compiler::Name::new_unchecked(name))
}

/// The struct of an input object or of a field's arguments.
pub(super) fn input_struct(
    model: &Model,
    ident: &Ident,
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
fn same_name(ident: &Ident, wire: &str) -> bool {
    let ident = ident.to_string();
    ident.strip_prefix("r#").unwrap_or(&ident) == wire
}
