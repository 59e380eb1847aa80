//! The mutation semantics of the rules table written out: `@account`, `@entity`, `@relation` and each field's
//! `@effect`, every text and list borrowed. The matches are exhaustive, so a variant added to the runtime's types
//! must be written here too.

use proc_macro2::TokenStream;
use quote::quote;
use runtime::rules::{
    ApiRules, ConditionRead, Effect, EffectContext, EffectKind, Text, WriteSource,
};

use super::rules::{option, text, texts};

/// The `accounts`, `entities` and `relations` of `ApiRules`, as field initialisers.
pub(super) fn declarations(r: &TokenStream, rules: &ApiRules) -> TokenStream {
    let accounts = rules.accounts.iter().map(|a| {
        let (role, type_name) = (text(r, &a.role), text(r, &a.type_name));
        quote!(#r::Account { role: #role, type_name: #type_name })
    });
    let entities = rules.entities.iter().map(|e| {
        let type_name = text(r, &e.type_name);
        let (lookup, list) = (optional_text(r, &e.lookup), optional_text(r, &e.list));
        let filter = option(e.list_filter.as_ref().map(|f| {
            let (argument, field) = (text(r, &f.argument), text(r, &f.field));
            quote!(#r::ListFilter { argument: #argument, field: #field })
        }));
        quote!(#r::Entity { type_name: #type_name, lookup: #lookup, list: #list, list_filter: #filter })
    });
    let relations = rules.relations.iter().map(|rel| {
        let (type_name, field_name) = (text(r, &rel.type_name), text(r, &rel.field_name));
        let inverse = optional_text(r, &rel.inverse);
        quote!(#r::Relation { type_name: #type_name, field_name: #field_name, inverse: #inverse })
    });
    quote! {
        accounts: #r::List::Borrowed(&[#(#accounts),*]),
        entities: #r::List::Borrowed(&[#(#entities),*]),
        relations: #r::List::Borrowed(&[#(#relations),*]),
    }
}

/// A field's `effect`.
pub(super) fn effect(r: &TokenStream, effect: Option<&Effect>) -> TokenStream {
    option(effect.map(|e| {
        let kind = match e.kind {
            EffectKind::Create => quote!(Create),
            EffectKind::Update => quote!(Update),
            EffectKind::Replace => quote!(Replace),
            EffectKind::Delete => quote!(Delete),
            EffectKind::Transition => quote!(Transition),
            EffectKind::Attach => quote!(Attach),
            EffectKind::Detach => quote!(Detach),
            EffectKind::Action => quote!(Action),
        };
        let [entity, id, each, copy, status_field, to, relation, members, result, result_field, beyond] =
            [
                &e.entity,
                &e.id,
                &e.each,
                &e.copy,
                &e.status_field,
                &e.to,
                &e.relation,
                &e.members,
                &e.result,
                &e.result_field,
                &e.beyond,
            ]
            .map(|t| optional_text(r, t));
        let fields = e.fields.iter().map(|w| {
            let field = text(r, &w.field);
            let source = match &w.source {
                WriteSource::Input { path, via } => {
                    let path = text(r, path);
                    let via = option(via.as_ref().map(|v| {
                        let (entity, field) = (text(r, &v.entity), text(r, &v.field));
                        quote!(#r::Via { entity: #entity, field: #field })
                    }));
                    quote!(#r::WriteSource::Input { path: #path, via: #via })
                }
                WriteSource::Value(literal) => {
                    let literal = text(r, literal);
                    quote!(#r::WriteSource::Value(#literal))
                }
                WriteSource::Context(context) => {
                    let context = self::context(r, *context);
                    quote!(#r::WriteSource::Context(#context))
                }
            };
            quote!(#r::EffectField { field: #field, source: #source })
        });
        let owners = e.owners.iter().map(|o| {
            let (field, role) = (text(r, &o.field), optional_text(r, &o.role));
            quote!(#r::EffectOwner { field: #field, role: #role })
        });
        let requires = e.requires.iter().map(|c| {
            let invariant = text(r, &c.invariant);
            let read = match &c.read {
                ConditionRead::Input(path) => {
                    let path = text(r, path);
                    quote!(#r::ConditionRead::Input(#path))
                }
                ConditionRead::Target { field } => {
                    let field = text(r, field);
                    quote!(#r::ConditionRead::Target { field: #field })
                }
                ConditionRead::At { at, entity, field } => {
                    let (at, entity, field) = (text(r, at), text(r, entity), text(r, field));
                    quote!(#r::ConditionRead::At { at: #at, entity: #entity, field: #field })
                }
            };
            let one_of = option(c.one_of.as_ref().map(|values| texts(r, values)));
            let (equals, path) = (optional_text(r, &c.equals), optional_text(r, &c.path));
            let is = option(c.is.map(|context| self::context(r, context)));
            quote!(#r::EffectCondition {
                invariant: #invariant, read: #read, one_of: #one_of, equals: #equals, is: #is, path: #path,
            })
        });
        let (from, beyond_fields) = (texts(r, &e.from), texts(r, &e.beyond_fields));
        quote!(#r::Effect {
            kind: #r::EffectKind::#kind,
            entity: #entity,
            id: #id,
            each: #each,
            fields: #r::List::Borrowed(&[#(#fields),*]),
            copy: #copy,
            status_field: #status_field,
            from: #from,
            to: #to,
            relation: #relation,
            members: #members,
            owners: #r::List::Borrowed(&[#(#owners),*]),
            requires: #r::List::Borrowed(&[#(#requires),*]),
            result: #result,
            result_field: #result_field,
            beyond: #beyond,
            beyond_fields: #beyond_fields,
        })
    }))
}

fn context(r: &TokenStream, context: EffectContext) -> TokenStream {
    let variant = match context {
        EffectContext::CallerAccount => quote!(CallerAccount),
        EffectContext::CallerUser => quote!(CallerUser),
        EffectContext::Now => quote!(Now),
        EffectContext::Generated => quote!(Generated),
    };
    quote!(#r::EffectContext::#variant)
}

fn optional_text(r: &TokenStream, value: &Option<Text>) -> TokenStream {
    option(value.as_ref().map(|v| text(r, v)))
}
