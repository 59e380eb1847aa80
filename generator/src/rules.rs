//! Reads the rule directives (`schemas/rules.graphql`) of a schema into the rules the emitter writes as a table,
//! checking what validation cannot: that required roles and scopes are ones the API declares, that REST path
//! segments are bound to arguments, that paginated fields take their style's page arguments.

use std::path::Path;

use apollo_compiler::ast::{Directive, Value};
use apollo_compiler::schema::ExtendedType;
use apollo_compiler::validation::Valid;
use apollo_compiler::{Node, Schema};

use crate::Problem;

#[derive(Debug, Default)]
pub(crate) struct Rules {
    pub api_name: Option<String>,
    pub title: Option<String>,
    pub document: Option<String>,
    pub transport: Option<String>,
    pub path: Option<String>,
    pub auth: Option<Auth>,
    pub error_format: Option<ErrorFormat>,
    pub rate_limits: Vec<RateLimit>,
    pub complexity: Option<i32>,
    /// Sorted by (type, field).
    pub fields: Vec<FieldRules>,
}

#[derive(Debug)]
pub(crate) struct Auth {
    pub scheme: String,
    pub roles: Vec<String>,
    pub scopes: Vec<String>,
    pub token_kinds: Vec<String>,
}

#[derive(Debug)]
pub(crate) struct ErrorFormat {
    pub style: String,
    pub codes: Vec<String>,
    pub http_status: Option<i32>,
}

#[derive(Debug)]
pub(crate) struct RateLimit {
    pub limit: i32,
    pub window_seconds: i32,
    pub token_kinds: Vec<String>,
    pub reported_by: String,
    pub exceeded: String,
}

#[derive(Debug, Default)]
pub(crate) struct FieldRules {
    pub type_name: String,
    pub field_name: String,
    pub roles: Vec<String>,
    pub scopes: Vec<String>,
    pub public: bool,
    pub pagination: Option<Pagination>,
    pub cost: Option<i32>,
    pub quota_field: bool,
    pub complexity_field: bool,
    pub rest: Option<Rest>,
    pub invariants: Vec<Invariant>,
}

#[derive(Debug)]
pub(crate) struct Pagination {
    pub style: String,
    pub max_page_size: Option<i32>,
    pub default_page_size: Option<i32>,
    pub page_size_required: bool,
    pub over_max: String,
}

#[derive(Debug)]
pub(crate) struct Rest {
    pub method: String,
    pub path: String,
    pub params: Vec<RestParam>,
}

#[derive(Debug)]
pub(crate) struct RestParam {
    pub argument: String,
    pub wire_name: String,
    pub location: String,
}

#[derive(Debug)]
pub(crate) struct Invariant {
    pub name: String,
    pub statement: String,
    pub effect: String,
    pub status: Option<i32>,
    pub code: Option<String>,
}

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
];

pub(crate) fn read(schema: &Valid<Schema>, path: &Path, problems: &mut Vec<Problem>) -> Rules {
    let mut reader = Reader {
        schema,
        path,
        problems,
    };
    let mut rules = Rules::default();
    let on_schema = &schema.schema_definition.directives;
    if let Some(api) = on_schema.get("api") {
        rules.api_name = reader.string(api, "name");
        rules.title = reader.string(api, "title");
        rules.document = reader.string(api, "document");
        rules.transport = reader.enum_value(api, "transport");
        rules.path = reader.string(api, "path");
    }
    if let Some(auth) = on_schema.get("auth") {
        rules.auth = Some(Auth {
            scheme: reader.enum_value(auth, "scheme").unwrap_or_default(),
            roles: reader.strings(auth, "roles"),
            scopes: reader.strings(auth, "scopes"),
            token_kinds: reader.strings(auth, "tokenKinds"),
        });
    }
    if let Some(format) = on_schema.get("errorFormat") {
        rules.error_format = Some(ErrorFormat {
            style: reader.enum_value(format, "style").unwrap_or_default(),
            codes: reader.strings(format, "codes"),
            http_status: reader.int(format, "httpStatus"),
        });
    }
    for limit in on_schema.get_all("rateLimit") {
        let token_kinds = reader.strings(limit, "tokenKinds");
        reader.check_declared(
            limit,
            "token kind",
            &token_kinds,
            rules.auth.as_ref().map(|a| &a.token_kinds),
        );
        rules.rate_limits.push(RateLimit {
            limit: reader.int(limit, "limit").unwrap_or_default(),
            window_seconds: reader.int(limit, "windowSeconds").unwrap_or_default(),
            token_kinds,
            reported_by: reader.enum_value(limit, "reportedBy").unwrap_or_default(),
            exceeded: reader.enum_value(limit, "exceeded").unwrap_or_default(),
        });
    }
    if let Some(complexity) = on_schema.get("complexity") {
        rules.complexity = reader.int(complexity, "maximum");
    }
    for (type_name, ty) in &schema.types {
        let ExtendedType::Object(object) = ty else {
            continue;
        };
        for field in object.fields.values() {
            if !field
                .directives
                .iter()
                .any(|d| FIELD_DIRECTIVES.contains(&d.name.as_str()))
            {
                continue;
            }
            let field_rules = reader.field(type_name, field, &rules);
            rules.fields.push(field_rules);
        }
    }
    rules
        .fields
        .sort_by(|a, b| (&a.type_name, &a.field_name).cmp(&(&b.type_name, &b.field_name)));
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
        field: &apollo_compiler::schema::FieldDefinition,
        rules: &Rules,
    ) -> FieldRules {
        let directives = &field.directives;
        let mut out = FieldRules {
            type_name: type_name.to_owned(),
            field_name: field.name.to_string(),
            public: directives.get("public").is_some(),
            quota_field: directives.get("quotaField").is_some(),
            complexity_field: directives.get("complexityField").is_some(),
            ..FieldRules::default()
        };
        if let Some(d) = directives.get("requiresRole") {
            out.roles = self.strings(d, "roles");
            self.check_declared(d, "role", &out.roles, rules.auth.as_ref().map(|a| &a.roles));
        }
        if let Some(d) = directives.get("requiresScope") {
            out.scopes = self.strings(d, "scopes");
            self.check_declared(
                d,
                "scope",
                &out.scopes,
                rules.auth.as_ref().map(|a| &a.scopes),
            );
        }
        if let Some(d) = directives.get("cost") {
            out.cost = self.int(d, "weight");
        }
        if let Some(d) = directives.get("paginated") {
            let style = self.enum_value(d, "style").unwrap_or_default();
            let wanted: &[&str] = match style.as_str() {
                "RELAY" => &["first", "last", "after", "before"],
                "LIGHTHOUSE" => &["first", "page"],
                "ID_WINDOW" => &["limit", "since_id", "max_id"],
                _ => &[],
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
                        "`{type_name}.{}` is paginated {style} but lacks argument(s) {}",
                        field.name,
                        missing.join(", ")
                    ),
                );
            }
            out.pagination = Some(Pagination {
                style,
                max_page_size: self.int(d, "maxPageSize"),
                default_page_size: self.int(d, "defaultPageSize"),
                page_size_required: self.boolean(d, "pageSizeRequired").unwrap_or(false),
                over_max: self
                    .enum_value(d, "overMax")
                    .unwrap_or_else(|| "CLAMP".to_owned()),
            });
        }
        if let Some(d) = directives.get("rest") {
            let method = self.enum_value(d, "method").unwrap_or_default();
            let path = self.string(d, "path").unwrap_or_default();
            let params: Vec<RestParam> = field
                .arguments
                .iter()
                .map(|arg| {
                    let param = arg.directives.get("restParam");
                    let default_location = if method == "GET" { "QUERY" } else { "BODY" };
                    RestParam {
                        argument: arg.name.to_string(),
                        wire_name: param
                            .and_then(|p| self.string(p, "name"))
                            .unwrap_or_else(|| arg.name.to_string()),
                        location: param
                            .and_then(|p| self.enum_value(p, "in"))
                            .unwrap_or_else(|| default_location.to_owned()),
                    }
                })
                .collect();
            for segment in path
                .split('/')
                .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
            {
                if !params
                    .iter()
                    .any(|p| p.location == "PATH" && p.wire_name == segment)
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
            out.rest = Some(Rest {
                method,
                path,
                params,
            });
        }
        for d in directives.get_all("invariant") {
            out.invariants.push(Invariant {
                effect: self
                    .enum_value(d, "effect")
                    .unwrap_or_else(|| "REJECT".to_owned()),
                name: self.string(d, "name").unwrap_or_default(),
                statement: self.string(d, "statement").unwrap_or_default(),
                status: self.int(d, "status"),
                code: self.string(d, "code"),
            });
        }
        out
    }

    fn check_declared(
        &mut self,
        d: &Node<Directive>,
        what: &str,
        used: &[String],
        declared: Option<&Vec<String>>,
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

    fn enum_value(&self, d: &Node<Directive>, name: &str) -> Option<String> {
        match self.value(d, name)? {
            Value::Enum(e) => Some(e.to_string()),
            _ => None,
        }
    }

    fn int(&self, d: &Node<Directive>, name: &str) -> Option<i32> {
        match self.value(d, name)? {
            Value::Int(i) => i.try_to_i32().ok(),
            _ => None,
        }
    }

    fn boolean(&self, d: &Node<Directive>, name: &str) -> Option<bool> {
        match self.value(d, name)? {
            Value::Boolean(b) => Some(*b),
            _ => None,
        }
    }

    fn strings(&self, d: &Node<Directive>, name: &str) -> Vec<String> {
        match self.value(d, name) {
            Some(Value::List(items)) => items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect(),
            Some(Value::String(s)) => vec![s.clone()],
            _ => Vec::new(),
        }
    }
}
