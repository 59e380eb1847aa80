//! The rules table: `RULES`, the schema's `runtime::rules::ApiRules` written out as a `static` (every text and list
//! borrowed). The matches are exhaustive, so a variant added to the runtime's types must be written here too.

use proc_macro2::TokenStream;
use quote::quote;
use runtime::rules::{
    ApiRules, AuthScheme, ErrorStyle, FieldRules, HttpMethod, InvariantEffect, OverMaxPolicy,
    PaginationStyle, ParamLocation, RateLimitExceeded, RateLimitReport, Text, Transport,
};

/// `rules` as a `static RULES` built from the types of `runtime` (the path generated code uses for the crate).
pub(super) fn emit(rules: &ApiRules, runtime: &TokenStream) -> TokenStream {
    let r = quote!(#runtime::rules);
    let (name, title, document, path) =
        (&*rules.name, &*rules.title, &*rules.document, &*rules.path);
    let transport = match rules.transport {
        Transport::Graphql => quote!(Graphql),
        Transport::Rest => quote!(Rest),
    };
    let auth = option(rules.auth.as_ref().map(|auth| {
        let scheme = match auth.scheme {
            AuthScheme::HttpBasic => quote!(HttpBasic),
            AuthScheme::BearerSession => quote!(BearerSession),
            AuthScheme::BearerToken => quote!(BearerToken),
        };
        let (roles, scopes, kinds) = (
            texts(&r, &auth.roles),
            texts(&r, &auth.scopes),
            texts(&r, &auth.token_kinds),
        );
        quote!(#r::Auth { scheme: #r::AuthScheme::#scheme, roles: #roles, scopes: #scopes, token_kinds: #kinds })
    }));
    let error_format = option(rules.error_format.as_ref().map(|format| {
        let style = match format.style {
            ErrorStyle::ErrorCodeField => quote!(ErrorCodeField),
            ErrorStyle::ExtensionsCode => quote!(ExtensionsCode),
            ErrorStyle::HttpStatus => quote!(HttpStatus),
            ErrorStyle::MessageOnly => quote!(MessageOnly),
        };
        let codes = texts(&r, &format.codes);
        let status = option(format.http_status.map(|s| quote!(#s)));
        let parse_status = option(format.parse_failure_status.map(|s| quote!(#s)));
        let message =
            |m: &Option<_>| option(m.as_deref().map(|m: &str| quote!(#r::Text::Borrowed(#m))));
        let (unauthenticated, unauthorized) = (
            message(&format.unauthenticated_message),
            message(&format.unauthorized_message),
        );
        quote!(#r::ErrorFormat {
            style: #r::ErrorStyle::#style, codes: #codes, http_status: #status,
            parse_failure_status: #parse_status, unauthenticated_message: #unauthenticated,
            unauthorized_message: #unauthorized,
        })
    }));
    let rate_limits = rules.rate_limits.iter().map(|limit| {
        let (max, window) = (limit.limit, limit.window_seconds);
        let kinds = texts(&r, &limit.token_kinds);
        let reported = match limit.reported_by {
            RateLimitReport::QuotaField => quote!(QuotaField),
            RateLimitReport::Headers => quote!(Headers),
            RateLimitReport::None => quote!(None),
        };
        let exceeded = match limit.exceeded {
            RateLimitExceeded::GraphqlError => quote!(GraphqlError),
            RateLimitExceeded::Http429 => quote!(Http429),
        };
        quote!(#r::RateLimit {
            limit: #max, window_seconds: #window, token_kinds: #kinds,
            reported_by: #r::RateLimitReport::#reported, exceeded: #r::RateLimitExceeded::#exceeded,
        })
    });
    let complexity = option(rules.complexity.map(|c| {
        let maximum = c.maximum;
        quote!(#r::Complexity { maximum: #maximum })
    }));
    let fields = rules.fields.iter().map(|field| field_rules(&r, field));
    let declarations = super::effects::declarations(&r, rules);
    quote! {
        /// What the API promises beyond its types, read from the schema's rule directives.
        pub static RULES: #r::ApiRules = #r::ApiRules {
            name: #r::Text::Borrowed(#name),
            title: #r::Text::Borrowed(#title),
            document: #r::Text::Borrowed(#document),
            transport: #r::Transport::#transport,
            path: #r::Text::Borrowed(#path),
            auth: #auth,
            error_format: #error_format,
            rate_limits: #r::List::Borrowed(&[#(#rate_limits),*]),
            complexity: #complexity,
            fields: #r::List::Borrowed(&[#(#fields),*]),
            #declarations
        };
    }
}

fn field_rules(r: &TokenStream, field: &FieldRules) -> TokenStream {
    let (type_name, field_name) = (&*field.type_name, &*field.field_name);
    let (roles, scopes) = (texts(r, &field.roles), texts(r, &field.scopes));
    let (public, quota_field, complexity_field) =
        (field.public, field.quota_field, field.complexity_field);
    let pagination = option(field.pagination.map(|p| {
        let style = match p.style {
            PaginationStyle::Relay => quote!(Relay),
            PaginationStyle::Lighthouse => quote!(Lighthouse),
            PaginationStyle::IdWindow => quote!(IdWindow),
        };
        let over_max = match p.over_max {
            OverMaxPolicy::Clamp => quote!(Clamp),
            OverMaxPolicy::Reject => quote!(Reject),
        };
        let max = option(p.max_page_size.map(|m| quote!(#m)));
        let default = option(p.default_page_size.map(|d| quote!(#d)));
        let required = p.page_size_required;
        quote!(#r::Pagination {
            style: #r::PaginationStyle::#style, max_page_size: #max, default_page_size: #default,
            page_size_required: #required, over_max: #r::OverMaxPolicy::#over_max,
        })
    }));
    let cost = option(field.cost.map(|c| quote!(#c)));
    let rest = option(field.rest.as_ref().map(|rest| {
        let method = match rest.method {
            HttpMethod::Get => quote!(Get),
            HttpMethod::Post => quote!(Post),
            HttpMethod::Put => quote!(Put),
            HttpMethod::Patch => quote!(Patch),
            HttpMethod::Delete => quote!(Delete),
        };
        let path = &*rest.path;
        let params = rest.params.iter().map(|p| {
            let (argument, wire_name) = (&*p.argument, &*p.wire_name);
            let location = match p.location {
                ParamLocation::Path => quote!(Path),
                ParamLocation::Query => quote!(Query),
                ParamLocation::Body => quote!(Body),
            };
            quote!(#r::RestParam {
                argument: #r::Text::Borrowed(#argument),
                wire_name: #r::Text::Borrowed(#wire_name),
                location: #r::ParamLocation::#location,
            })
        });
        quote!(#r::RestBinding {
            method: #r::HttpMethod::#method,
            path: #r::Text::Borrowed(#path),
            params: #r::List::Borrowed(&[#(#params),*]),
        })
    }));
    let invariants = field.invariants.iter().map(|i| {
        let (name, statement) = (&*i.name, &*i.statement);
        let status = option(i.status.map(|s| quote!(#s)));
        let code = option(i.code.as_deref().map(|c| quote!(#r::Text::Borrowed(#c))));
        let effect = match i.effect {
            InvariantEffect::Reject => quote!(Reject),
            InvariantEffect::Ignore => quote!(Ignore),
        };
        quote!(#r::Invariant {
            name: #r::Text::Borrowed(#name),
            statement: #r::Text::Borrowed(#statement),
            effect: #r::InvariantEffect::#effect,
            status: #status,
            code: #code,
        })
    });
    let effect = super::effects::effect(r, field.effect.as_ref());
    quote! {
        #r::FieldRules {
            type_name: #r::Text::Borrowed(#type_name),
            field_name: #r::Text::Borrowed(#field_name),
            roles: #roles,
            scopes: #scopes,
            public: #public,
            pagination: #pagination,
            cost: #cost,
            quota_field: #quota_field,
            complexity_field: #complexity_field,
            rest: #rest,
            invariants: #r::List::Borrowed(&[#(#invariants),*]),
            effect: #effect,
        }
    }
}

pub(super) fn text(r: &TokenStream, value: &str) -> TokenStream {
    quote!(#r::Text::Borrowed(#value))
}

pub(super) fn texts(r: &TokenStream, values: &[Text]) -> TokenStream {
    let values = values.iter().map(|v| &**v);
    quote!(#r::List::Borrowed(&[#(#r::Text::Borrowed(#values)),*]))
}

pub(super) fn option(value: Option<TokenStream>) -> TokenStream {
    match value {
        Some(v) => quote!(::std::option::Option::Some(#v)),
        None => quote!(::std::option::Option::None),
    }
}
