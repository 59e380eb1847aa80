//! The rules table: what an API promises beyond its types, as declared by the directives of `schemas/rules.graphql`.
//!
//! The generator reads a schema's directives into these types (`generator::read_rules`) and emits them as one
//! `static RULES` per schema; the server enforces that table and the harness checks it, so all three share one
//! typed declaration. Text and lists are [`Cow`]s: borrowed in the generated `static`, owned when read at run time.

use std::borrow::Cow;

mod effects;

pub use effects::{
    Account, ConditionRead, Effect, EffectCondition, EffectContext, EffectField, EffectKind,
    EffectOwner, Entity, ListFilter, Relation, Via, WriteSource,
};

/// Text in the table.
pub type Text = Cow<'static, str>;
/// A list in the table.
pub type List<T> = Cow<'static, [T]>;

/// Everything declared on `schema` and on fields of one API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiRules {
    /// `@api(name:)`: the module name and the harness's `--api` value.
    pub name: Text,
    pub title: Text,
    /// The source document the schema transcribes.
    pub document: Text,
    pub transport: Transport,
    /// The GraphQL endpoint, or the prefix of the REST routes.
    pub path: Text,
    /// `None`: no credentials needed.
    pub auth: Option<Auth>,
    /// `None`: the spec's plain errors.
    pub error_format: Option<ErrorFormat>,
    pub rate_limits: List<RateLimit>,
    pub complexity: Option<Complexity>,
    /// Rules of individual fields, sorted by (type, field); fields without any rule are left out.
    pub fields: List<FieldRules>,
    /// `@account`: the entity type of each role's accounts.
    pub accounts: List<Account>,
    /// `@entity` types, sorted by name.
    pub entities: List<Entity>,
    /// `@relation` fields, sorted by (type, field).
    pub relations: List<Relation>,
}

impl ApiRules {
    /// The rules of one field, if it has any.
    pub fn field(&self, type_name: &str, field_name: &str) -> Option<&FieldRules> {
        self.fields
            .binary_search_by(|f| (&*f.type_name, &*f.field_name).cmp(&(type_name, field_name)))
            .ok()
            .map(|i| &self.fields[i])
    }

    /// The quota that applies to a token kind (a kind-specific one first, then one for every kind).
    pub fn rate_limit_for(&self, token_kind: Option<&str>) -> Option<&RateLimit> {
        let specific = token_kind.and_then(|kind| {
            self.rate_limits
                .iter()
                .find(|r| r.token_kinds.iter().any(|k| k == kind))
        });
        specific.or_else(|| self.rate_limits.iter().find(|r| r.token_kinds.is_empty()))
    }

    /// The `@entity` declaration of a type.
    pub fn entity(&self, type_name: &str) -> Option<&Entity> {
        self.entities
            .binary_search_by(|e| (*e.type_name).cmp(type_name))
            .ok()
            .map(|i| &self.entities[i])
    }

    /// The `@relation` declaration of a field.
    pub fn relation(&self, type_name: &str, field_name: &str) -> Option<&Relation> {
        self.relations
            .iter()
            .find(|r| r.type_name == type_name && r.field_name == field_name)
    }

    /// The entity type of a role's accounts.
    pub fn account_type(&self, role: &str) -> Option<&str> {
        self.accounts
            .iter()
            .find(|a| a.role == role)
            .map(|a| &*a.type_name)
    }

    /// The fields declaring an `@effect`, with it.
    pub fn effects(&self) -> impl Iterator<Item = (&FieldRules, &Effect)> {
        self.fields
            .iter()
            .filter_map(|f| f.effect.as_ref().map(|e| (f, e)))
    }

    /// Fields paginated in the given style.
    pub fn paginated(&self, style: PaginationStyle) -> impl Iterator<Item = &FieldRules> {
        self.fields
            .iter()
            .filter(move |f| f.pagination.is_some_and(|p| p.style == style))
    }
}

/// How clients reach the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    Graphql,
    Rest,
}

/// `@auth`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Auth {
    pub scheme: AuthScheme,
    pub roles: List<Text>,
    pub scopes: List<Text>,
    pub token_kinds: List<Text>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthScheme {
    /// `Authorization: Basic base64(key:secret)`.
    HttpBasic,
    /// A bearer token obtained from a `@public` login field.
    BearerSession,
    /// A bearer token issued out of band.
    BearerToken,
}

/// `@errorFormat`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorFormat {
    pub style: ErrorStyle,
    /// Every code the document names.
    pub codes: List<Text>,
    /// The HTTP status of a GraphQL response carrying errors, when the document fixes it.
    pub http_status: Option<u16>,
    /// The HTTP status of the answer to a document that does not parse, when the document fixes it.
    pub parse_failure_status: Option<u16>,
    /// The exact message refusing a request without valid credentials, when the document fixes it.
    pub unauthenticated_message: Option<Text>,
    /// The exact message refusing a field to a caller without its role or scope, when the document fixes it.
    pub unauthorized_message: Option<Text>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorStyle {
    /// `errors[].errorCode`.
    ErrorCodeField,
    /// `errors[].extensions.code`.
    ExtensionsCode,
    /// The HTTP status, with a JSON `{"error": ...}` body.
    HttpStatus,
    /// `message`, `locations`, `path` only.
    MessageOnly,
}

/// `@rateLimit`: at most `limit` requests per credential in each window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateLimit {
    pub limit: u32,
    pub window_seconds: u32,
    /// The token kinds it applies to; empty for all.
    pub token_kinds: List<Text>,
    pub reported_by: RateLimitReport,
    pub exceeded: RateLimitExceeded,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RateLimitReport {
    QuotaField,
    Headers,
    None,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RateLimitExceeded {
    GraphqlError,
    Http429,
}

/// `@complexity`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Complexity {
    pub maximum: u32,
}

/// The rules on one field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldRules {
    pub type_name: Text,
    pub field_name: Text,
    /// `@requiresRole`: empty when any credential may call it.
    pub roles: List<Text>,
    /// `@requiresScope`.
    pub scopes: List<Text>,
    /// `@public`: callable without credentials.
    pub public: bool,
    pub pagination: Option<Pagination>,
    /// `@cost(weight:)`: replaces the complexity score of the field and its selections.
    pub cost: Option<u32>,
    /// `@quotaField`.
    pub quota_field: bool,
    /// `@complexityField`.
    pub complexity_field: bool,
    pub rest: Option<RestBinding>,
    pub invariants: List<Invariant>,
    /// `@effect`: what the mutation does to the store.
    pub effect: Option<Effect>,
}

impl FieldRules {
    /// The `@invariant` of this field with a name.
    pub fn invariant(&self, name: &str) -> Option<&Invariant> {
        self.invariants.iter().find(|i| i.name == name)
    }
}

/// `@paginated`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pagination {
    pub style: PaginationStyle,
    pub max_page_size: Option<u32>,
    pub default_page_size: Option<u32>,
    pub page_size_required: bool,
    pub over_max: OverMaxPolicy,
}

impl Pagination {
    /// The page size a request for `requested` items gets, or `None` if the policy rejects it.
    pub fn effective_size(&self, requested: Option<u32>) -> Option<u32> {
        let requested = requested.or(self.default_page_size)?;
        match self.max_page_size {
            Some(max) if requested > max => match self.over_max {
                OverMaxPolicy::Clamp => Some(max),
                OverMaxPolicy::Reject => None,
            },
            _ => Some(requested),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaginationStyle {
    Relay,
    Lighthouse,
    IdWindow,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OverMaxPolicy {
    Clamp,
    Reject,
}

/// `@rest` with the `@restParam` of each argument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestBinding {
    pub method: HttpMethod,
    /// Relative to `ApiRules::path`, with `{name}` path segments.
    pub path: Text,
    pub params: List<RestParam>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HttpMethod {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl HttpMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Post => "POST",
            HttpMethod::Put => "PUT",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Delete => "DELETE",
        }
    }
}

/// Where one argument of a REST-bound field travels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestParam {
    /// The GraphQL argument.
    pub argument: Text,
    /// Its name on the wire (path segment, query key or body key).
    pub wire_name: Text,
    pub location: ParamLocation,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    Path,
    Query,
    Body,
}

/// `@invariant`: a named domain rule of a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invariant {
    pub name: Text,
    pub statement: Text,
    pub effect: InvariantEffect,
    pub status: Option<u16>,
    pub code: Option<Text>,
}

/// What breaking an invariant does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvariantEffect {
    /// The request is refused and nothing changes.
    Reject,
    /// The offending input is ignored and the request succeeds.
    Ignore,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn effective_page_size_clamps_rejects_and_defaults() {
        let relay = Pagination {
            style: PaginationStyle::Relay,
            max_page_size: Some(25),
            default_page_size: None,
            page_size_required: true,
            over_max: OverMaxPolicy::Clamp,
        };
        assert_eq!(relay.effective_size(Some(10)), Some(10));
        assert_eq!(relay.effective_size(Some(26)), Some(25));
        assert_eq!(relay.effective_size(None), None);
        let strict = Pagination {
            over_max: OverMaxPolicy::Reject,
            default_page_size: Some(50),
            ..relay
        };
        assert_eq!(strict.effective_size(Some(26)), None);
        assert_eq!(
            strict.effective_size(None),
            None,
            "a default above the maximum is rejected too"
        );
        let lighthouse = Pagination {
            max_page_size: None,
            default_page_size: Some(10),
            ..relay
        };
        assert_eq!(lighthouse.effective_size(None), Some(10));
    }
}
