//! Reads the rule directives (`schemas/rules.graphql`) of a schema into the runtime's own rules types
//! (`runtime::rules`), checking what validation cannot: that required roles and scopes are ones the API declares,
//! that REST path segments are bound to arguments, that paginated fields take their style's page arguments, and that
//! limits, windows, costs, page sizes and statuses are in range; and the mutation semantics (`effects`), checked
//! against the types (`entities`, `mutations`, on the path resolution of `paths`).

mod effects;
mod entities;
mod mutations;
mod paths;

use std::borrow::Cow;
use std::path::Path;

use apollo_compiler::ast::{Directive, Value};
use apollo_compiler::schema::{ExtendedType, FieldDefinition};
use apollo_compiler::validation::Valid;
use apollo_compiler::{Node, Schema};
use runtime::rules::{
    ApiRules, Auth, AuthScheme, Complexity, ErrorFormat, ErrorStyle, FieldRules, HttpMethod,
    Invariant, InvariantEffect, List, OverMaxPolicy, Pagination, PaginationStyle, ParamLocation,
    RateLimit, RateLimitExceeded, RateLimitReport, RestBinding, RestParam, Text, Transport,
};

use crate::Problem;

/// The directives of the vocabulary that mark a field.
const FIELD_DIRECTIVES: &[&str] = &[
    "requiresRole",
    "requiresScope",
    "public",
    "paginated",
    "cost",
    "quotaField",
    "complexityField",
    "rest",
    "invariant",
    "effect",
];

/// The rules of a validated schema; `default_name` names the API when `@api` is absent.
pub(crate) fn read(
    schema: &Valid<Schema>,
    path: &Path,
    default_name: &str,
    problems: &mut Vec<Problem>,
) -> ApiRules {
    let mut reader = Reader {
        schema,
        path,
        problems,
    };
    let on_schema = &schema.schema_definition.directives;
    let api = on_schema.get("api");
    let name: Text = api
        .and_then(|d| reader.string(d, "name"))
        .unwrap_or_else(|| default_name.to_owned())
        .into();
    let auth = on_schema.get("auth").map(|d| Auth {
        scheme: reader
            .enum_value(d, "scheme", auth_scheme)
            .unwrap_or(AuthScheme::BearerToken),
        roles: reader.strings(d, "roles"),
        scopes: reader.strings(d, "scopes"),
        token_kinds: reader.strings(d, "tokenKinds"),
    });
    let error_format = on_schema.get("errorFormat").map(|d| ErrorFormat {
        style: reader
            .enum_value(d, "style", error_style)
            .unwrap_or(ErrorStyle::MessageOnly),
        codes: reader.strings(d, "codes"),
        http_status: reader.status(d, "httpStatus"),
        parse_failure_status: reader.status(d, "parseFailureStatus"),
        unauthenticated_message: reader.string(d, "unauthenticatedMessage").map(Into::into),
        unauthorized_message: reader.string(d, "unauthorizedMessage").map(Into::into),
    });
    let rate_limits = on_schema
        .get_all("rateLimit")
        .map(|d| {
            let token_kinds = reader.strings(d, "tokenKinds");
            reader.check_declared(
                d,
                "token kind",
                &token_kinds,
                auth.as_ref().map(|a| &a.token_kinds),
            );
            RateLimit {
                limit: reader.positive(d, "limit").unwrap_or(1),
                window_seconds: reader.positive(d, "windowSeconds").unwrap_or(1),
                token_kinds,
                reported_by: reader
                    .enum_value(d, "reportedBy", rate_limit_report)
                    .unwrap_or(RateLimitReport::None),
                exceeded: reader
                    .enum_value(d, "exceeded", rate_limit_exceeded)
                    .unwrap_or(RateLimitExceeded::GraphqlError),
            }
        })
        .collect::<Vec<_>>();
    let complexity = on_schema
        .get("complexity")
        .and_then(|d| reader.positive(d, "maximum"))
        .map(|maximum| Complexity { maximum });
    let mut fields = Vec::new();
    for (type_name, ty) in &schema.types {
        let ExtendedType::Object(object) = ty else {
            continue;
        };
        for field in object.fields.values() {
            if field
                .directives
                .iter()
                .any(|d| FIELD_DIRECTIVES.contains(&d.name.as_str()))
            {
                fields.push(reader.field(type_name, field, auth.as_ref()));
            }
        }
    }
    fields.sort_by(|a, b| (&a.type_name, &a.field_name).cmp(&(&b.type_name, &b.field_name)));
    let declarations = reader.declarations();
    let rules = ApiRules {
        title: api
            .and_then(|d| reader.string(d, "title"))
            .map_or_else(|| name.clone(), Text::from),
        document: api
            .and_then(|d| reader.string(d, "document"))
            .unwrap_or_default()
            .into(),
        transport: api
            .and_then(|d| reader.enum_value(d, "transport", transport))
            .unwrap_or(Transport::Graphql),
        path: api
            .and_then(|d| reader.string(d, "path"))
            .unwrap_or_else(|| "/graphql".to_owned())
            .into(),
        name,
        auth,
        error_format,
        rate_limits: rate_limits.into(),
        complexity,
        fields: fields.into(),
        accounts: declarations.accounts.into(),
        entities: declarations.entities.into(),
        relations: declarations.relations.into(),
    };
    for (d, message) in entities::check(schema, &rules) {
        reader.problem(&d, message);
    }
    rules
}

struct Reader<'a> {
    schema: &'a Valid<Schema>,
    path: &'a Path,
    problems: &'a mut Vec<Problem>,
}

impl Reader<'_> {
    fn field(
        &mut self,
        type_name: &str,
        field: &FieldDefinition,
        auth: Option<&Auth>,
    ) -> FieldRules {
        let directives = &field.directives;
        let mut out = FieldRules {
            type_name: type_name.to_owned().into(),
            field_name: field.name.to_string().into(),
            roles: List::default(),
            scopes: List::default(),
            public: directives.get("public").is_some(),
            pagination: None,
            cost: None,
            quota_field: directives.get("quotaField").is_some(),
            complexity_field: directives.get("complexityField").is_some(),
            rest: None,
            invariants: List::default(),
            effect: None,
        };
        if let Some(d) = directives.get("requiresRole") {
            out.roles = self.strings(d, "roles");
            self.check_declared(d, "role", &out.roles, auth.map(|a| &a.roles));
        }
        if let Some(d) = directives.get("requiresScope") {
            out.scopes = self.strings(d, "scopes");
            self.check_declared(d, "scope", &out.scopes, auth.map(|a| &a.scopes));
        }
        if let Some(d) = directives.get("cost") {
            out.cost = self.count(d, "weight", 0);
        }
        if let Some(d) = directives.get("paginated") {
            out.pagination = self.pagination(type_name, field, d);
        }
        if let Some(d) = directives.get("rest") {
            out.rest = self.rest(field, d);
        }
        out.invariants = directives
            .get_all("invariant")
            .map(|d| Invariant {
                name: self.string(d, "name").unwrap_or_default().into(),
                statement: self.string(d, "statement").unwrap_or_default().into(),
                effect: self
                    .enum_value(d, "effect", invariant_effect)
                    .unwrap_or(InvariantEffect::Reject),
                status: self.status(d, "status"),
                code: self.string(d, "code").map(Text::from),
            })
            .collect::<Vec<_>>()
            .into();
        out.effect = self.effect(field);
        out
    }

    fn pagination(
        &mut self,
        type_name: &str,
        field: &FieldDefinition,
        d: &Node<Directive>,
    ) -> Option<Pagination> {
        let style = self.enum_value(d, "style", pagination_style)?;
        let style_name = self
            .value(d, "style")
            .map(ToString::to_string)
            .unwrap_or_default();
        let wanted: &[&str] = match style {
            PaginationStyle::Relay => &["first", "last", "after", "before"],
            PaginationStyle::Lighthouse => &["first", "page"],
            PaginationStyle::IdWindow => &["limit", "since_id", "max_id"],
        };
        let missing: Vec<&str> = wanted
            .iter()
            .copied()
            .filter(|arg| field.argument_by_name(arg).is_none())
            .collect();
        if !missing.is_empty() {
            self.problem(
                d,
                format!(
                    "`{type_name}.{}` is paginated {style_name} but lacks argument(s) {}",
                    field.name,
                    missing.join(", ")
                ),
            );
        }
        let pagination = Pagination {
            style,
            max_page_size: self.positive(d, "maxPageSize"),
            default_page_size: self.positive(d, "defaultPageSize"),
            page_size_required: self.boolean(d, "pageSizeRequired").unwrap_or(false),
            over_max: self
                .enum_value(d, "overMax", over_max_policy)
                .unwrap_or(OverMaxPolicy::Clamp),
        };
        if let (Some(default), Some(max)) = (pagination.default_page_size, pagination.max_page_size)
            && default > max
        {
            self.problem(
                d,
                format!("`defaultPageSize` {default} is above `maxPageSize` {max}"),
            );
        }
        Some(pagination)
    }

    fn rest(&mut self, field: &FieldDefinition, d: &Node<Directive>) -> Option<RestBinding> {
        let method = self.enum_value(d, "method", http_method)?;
        let path = self.string(d, "path").unwrap_or_default();
        let default_location = if method == HttpMethod::Get {
            ParamLocation::Query
        } else {
            ParamLocation::Body
        };
        let params: Vec<RestParam> = field
            .arguments
            .iter()
            .map(|arg| {
                let param = arg.directives.get("restParam");
                RestParam {
                    argument: arg.name.to_string().into(),
                    wire_name: param
                        .and_then(|p| self.string(p, "name"))
                        .unwrap_or_else(|| arg.name.to_string())
                        .into(),
                    location: param
                        .and_then(|p| self.enum_value(p, "in", param_location))
                        .unwrap_or(default_location),
                }
            })
            .collect();
        for segment in path
            .split('/')
            .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
        {
            if !params
                .iter()
                .any(|p| p.location == ParamLocation::Path && p.wire_name == segment)
            {
                self.problem(
                    d,
                    format!(
                        "path segment `{{{segment}}}` of `{}` is bound to no PATH argument",
                        field.name
                    ),
                );
            }
        }
        Some(RestBinding {
            method,
            path: path.into(),
            params: params.into(),
        })
    }

    fn check_declared(
        &mut self,
        d: &Node<Directive>,
        what: &str,
        used: &[Text],
        declared: Option<&List<Text>>,
    ) {
        for name in used {
            if !declared.is_some_and(|declared| declared.contains(name)) {
                self.problem(
                    d,
                    format!(
                        "@{} names {what} `{name}`, which `@auth` on `schema` does not declare",
                        d.name
                    ),
                );
            }
        }
    }

    fn problem(&mut self, d: &Node<Directive>, message: String) {
        let start = d.line_column_range(&self.schema.sources).map(|r| r.start);
        self.problems.push(Problem {
            file: self.path.to_owned(),
            line: start.as_ref().map_or(0, |s| s.line),
            column: start.as_ref().map_or(0, |s| s.column),
            message,
        });
    }

    /// An argument as given, or its declared default.
    fn value<'d>(&'d self, d: &'d Node<Directive>, name: &str) -> Option<&'d Value> {
        d.argument_by_name(name, self.schema)
            .ok()
            .map(|v| v.as_ref())
    }

    fn string(&self, d: &Node<Directive>, name: &str) -> Option<String> {
        self.value(d, name)
            .and_then(|v| v.as_str())
            .map(str::to_owned)
    }

    /// An enum argument in the runtime's type; validation has checked the value is one the vocabulary declares,
    /// so `None` from `convert` means the vocabulary and the runtime disagree, which is reported.
    fn enum_value<T>(
        &mut self,
        d: &Node<Directive>,
        name: &str,
        convert: fn(&str) -> Option<T>,
    ) -> Option<T> {
        let Some(Value::Enum(value)) = self.value(d, name) else {
            return None;
        };
        let value = value.to_string();
        let converted = convert(&value);
        if converted.is_none() {
            self.problem(
                d,
                format!(
                    "`{name}: {value}` of @{} has no meaning in the rules table",
                    d.name
                ),
            );
        }
        converted
    }

    /// A count that must be at least 1 (a limit, a window, a page size, a maximum).
    fn positive(&mut self, d: &Node<Directive>, name: &str) -> Option<u32> {
        self.count(d, name, 1)
    }

    /// A count that must be at least `min`; a cost may be 0 (a free field), nothing may be negative.
    fn count(&mut self, d: &Node<Directive>, name: &str, min: i32) -> Option<u32> {
        let (number, value) = match self.value(d, name)? {
            Value::Int(value) => (value.try_to_i32(), value.to_string()),
            _ => return None,
        };
        match number {
            Ok(n) if n >= min => Some(n as u32),
            _ => {
                self.problem(
                    d,
                    format!(
                        "`{name}` of @{} must be at least {min}, not {value}",
                        d.name
                    ),
                );
                None
            }
        }
    }

    /// An HTTP status code (100 to 599).
    fn status(&mut self, d: &Node<Directive>, name: &str) -> Option<u16> {
        let (number, value) = match self.value(d, name)? {
            Value::Int(value) => (value.try_to_i32(), value.to_string()),
            _ => return None,
        };
        match number {
            Ok(n @ 100..=599) => Some(n as u16),
            _ => {
                self.problem(
                    d,
                    format!(
                        "`{name}` of @{} must be an HTTP status (100 to 599), not {value}",
                        d.name
                    ),
                );
                None
            }
        }
    }

    fn boolean(&self, d: &Node<Directive>, name: &str) -> Option<bool> {
        match self.value(d, name)? {
            Value::Boolean(b) => Some(*b),
            _ => None,
        }
    }

    fn strings(&self, d: &Node<Directive>, name: &str) -> List<Text> {
        let values: Vec<Text> = match self.value(d, name) {
            Some(Value::List(items)) => items
                .iter()
                .filter_map(|v| v.as_str().map(|s| Cow::Owned(s.to_owned())))
                .collect(),
            Some(Value::String(s)) => vec![Cow::Owned(s.clone())],
            _ => Vec::new(),
        };
        values.into()
    }
}

// The vocabulary's enum values (`schemas/rules.graphql`) → the runtime's variants.

fn transport(value: &str) -> Option<Transport> {
    Some(match value {
        "GRAPHQL" => Transport::Graphql,
        "REST" => Transport::Rest,
        _ => return None,
    })
}

fn auth_scheme(value: &str) -> Option<AuthScheme> {
    Some(match value {
        "HTTP_BASIC" => AuthScheme::HttpBasic,
        "BEARER_SESSION" => AuthScheme::BearerSession,
        "BEARER_TOKEN" => AuthScheme::BearerToken,
        _ => return None,
    })
}

fn error_style(value: &str) -> Option<ErrorStyle> {
    Some(match value {
        "ERROR_CODE_FIELD" => ErrorStyle::ErrorCodeField,
        "EXTENSIONS_CODE" => ErrorStyle::ExtensionsCode,
        "HTTP_STATUS" => ErrorStyle::HttpStatus,
        "MESSAGE_ONLY" => ErrorStyle::MessageOnly,
        _ => return None,
    })
}

fn rate_limit_report(value: &str) -> Option<RateLimitReport> {
    Some(match value {
        "QUOTA_FIELD" => RateLimitReport::QuotaField,
        "HEADERS" => RateLimitReport::Headers,
        "NONE" => RateLimitReport::None,
        _ => return None,
    })
}

fn rate_limit_exceeded(value: &str) -> Option<RateLimitExceeded> {
    Some(match value {
        "GRAPHQL_ERROR" => RateLimitExceeded::GraphqlError,
        "HTTP_429" => RateLimitExceeded::Http429,
        _ => return None,
    })
}

fn pagination_style(value: &str) -> Option<PaginationStyle> {
    Some(match value {
        "RELAY" => PaginationStyle::Relay,
        "LIGHTHOUSE" => PaginationStyle::Lighthouse,
        "ID_WINDOW" => PaginationStyle::IdWindow,
        _ => return None,
    })
}

fn over_max_policy(value: &str) -> Option<OverMaxPolicy> {
    Some(match value {
        "CLAMP" => OverMaxPolicy::Clamp,
        "REJECT" => OverMaxPolicy::Reject,
        _ => return None,
    })
}

fn http_method(value: &str) -> Option<HttpMethod> {
    Some(match value {
        "GET" => HttpMethod::Get,
        "POST" => HttpMethod::Post,
        "PUT" => HttpMethod::Put,
        "PATCH" => HttpMethod::Patch,
        "DELETE" => HttpMethod::Delete,
        _ => return None,
    })
}

fn param_location(value: &str) -> Option<ParamLocation> {
    Some(match value {
        "PATH" => ParamLocation::Path,
        "QUERY" => ParamLocation::Query,
        "BODY" => ParamLocation::Body,
        _ => return None,
    })
}

fn invariant_effect(value: &str) -> Option<InvariantEffect> {
    Some(match value {
        "REJECT" => InvariantEffect::Reject,
        "IGNORE" => InvariantEffect::Ignore,
        _ => return None,
    })
}
