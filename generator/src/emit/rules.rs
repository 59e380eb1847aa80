//! The rules table: `RULES`, a `runtime::rules::ApiRules` built from the schema's rule directives.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::model::Model;
use crate::rules::{FieldRules, Rules};

pub(super) fn emit(model: &Model) -> TokenStream {
    let runtime = &model.runtime;
    let r = quote!(#runtime::rules);
    let rules: &Rules = &model.rules;
    let name = rules
        .api_name
        .clone()
        .unwrap_or_else(|| model.module.clone());
    let title = rules.title.clone().unwrap_or_else(|| name.clone());
    let document = rules.document.clone().unwrap_or_default();
    let transport = variant(rules.transport.as_deref().unwrap_or("GRAPHQL"));
    let path = rules.path.clone().unwrap_or_else(|| "/graphql".to_owned());
    let auth = option(rules.auth.as_ref().map(|auth| {
        let scheme = variant(&auth.scheme);
        let (roles, scopes, kinds) = (strs(&auth.roles), strs(&auth.scopes), strs(&auth.token_kinds));
        quote!(#r::Auth { scheme: #r::AuthScheme::#scheme, roles: #roles, scopes: #scopes, token_kinds: #kinds })
    }));
    let error_format = option(rules.error_format.as_ref().map(|format| {
        let style = variant(&format.style);
        let codes = strs(&format.codes);
        let status = option(format.http_status.map(|s| {
            let s = s as u16;
            quote!(#s)
        }));
        quote!(#r::ErrorFormat { style: #r::ErrorStyle::#style, codes: #codes, http_status: #status })
    }));
    let rate_limits = rules.rate_limits.iter().map(|limit| {
        let (max, window) = (limit.limit as u32, limit.window_seconds as u32);
        let kinds = strs(&limit.token_kinds);
        let (reported, exceeded) = (variant(&limit.reported_by), variant(&limit.exceeded));
        quote!(#r::RateLimit {
            limit: #max, window_seconds: #window, token_kinds: #kinds,
            reported_by: #r::RateLimitReport::#reported, exceeded: #r::RateLimitExceeded::#exceeded,
        })
    });
    let complexity = option(rules.complexity.map(|maximum| {
        let maximum = maximum as u32;
        quote!(#r::Complexity { maximum: #maximum })
    }));
    let fields = rules.fields.iter().map(|field| field_rules(&r, field));
    quote! {
        /// What the API promises beyond its types, read from the schema's rule directives.
        pub static RULES: #r::ApiRules = #r::ApiRules {
            name: #name,
            title: #title,
            document: #document,
            transport: #r::Transport::#transport,
            path: #path,
            auth: #auth,
            error_format: #error_format,
            rate_limits: &[#(#rate_limits),*],
            complexity: #complexity,
            fields: &[#(#fields),*],
        };
    }
}

fn field_rules(r: &TokenStream, field: &FieldRules) -> TokenStream {
    let (type_name, field_name) = (&field.type_name, &field.field_name);
    let (roles, scopes) = (strs(&field.roles), strs(&field.scopes));
    let (public, quota_field, complexity_field) =
        (field.public, field.quota_field, field.complexity_field);
    let pagination = option(field.pagination.as_ref().map(|p| {
        let style = variant(&p.style);
        let over_max = variant(&p.over_max);
        let max = option(p.max_page_size.map(|m| {
            let m = m as u32;
            quote!(#m)
        }));
        let default = option(p.default_page_size.map(|d| {
            let d = d as u32;
            quote!(#d)
        }));
        let required = p.page_size_required;
        quote!(#r::Pagination {
            style: #r::PaginationStyle::#style, max_page_size: #max, default_page_size: #default,
            page_size_required: #required, over_max: #r::OverMaxPolicy::#over_max,
        })
    }));
    let cost = option(field.cost.map(|c| {
        let c = c as u32;
        quote!(#c)
    }));
    let rest = option(field.rest.as_ref().map(|rest| {
        let method = variant(&rest.method);
        let path = &rest.path;
        let params = rest.params.iter().map(|p| {
            let (argument, wire_name, location) = (&p.argument, &p.wire_name, variant(&p.location));
            quote!(#r::RestParam { argument: #argument, wire_name: #wire_name, location: #r::ParamLocation::#location })
        });
        quote!(#r::RestBinding { method: #r::HttpMethod::#method, path: #path, params: &[#(#params),*] })
    }));
    let invariants = field.invariants.iter().map(|i| {
        let (name, statement) = (&i.name, &i.statement);
        let status = option(i.status.map(|s| {
            let s = s as u16;
            quote!(#s)
        }));
        let code = option(i.code.as_ref().map(|c| quote!(#c)));
        let effect = variant(&i.effect);
        quote!(#r::Invariant {
            name: #name, statement: #statement, effect: #r::InvariantEffect::#effect, status: #status, code: #code,
        })
    });
    quote! {
        #r::FieldRules {
            type_name: #type_name,
            field_name: #field_name,
            roles: #roles,
            scopes: #scopes,
            public: #public,
            pagination: #pagination,
            cost: #cost,
            quota_field: #quota_field,
            complexity_field: #complexity_field,
            rest: #rest,
            invariants: &[#(#invariants),*],
        }
    }
}

/// `SCREAMING_SNAKE` enum value of the vocabulary → the runtime's variant (`HTTP_BASIC` → `HttpBasic`).
fn variant(value: &str) -> proc_macro2::Ident {
    let camel = heck::ToUpperCamelCase::to_upper_camel_case(value);
    let camel = if camel.starts_with(|c: char| c.is_ascii_digit()) {
        format!("Http{camel}")
    } else {
        camel
    };
    format_ident!("{}", camel)
}

fn strs(values: &[String]) -> TokenStream {
    quote!(&[#(#values),*])
}

fn option(value: Option<TokenStream>) -> TokenStream {
    match value {
        Some(v) => quote!(::std::option::Option::Some(#v)),
        None => quote!(::std::option::Option::None),
    }
}
