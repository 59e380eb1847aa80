//! What happens to a GraphQL request between the transport and the API: prepare (parse, validate, limits) →
//! authenticate (unless every field is `@public`) → rate limit → roles and scopes → complexity → execute on the local
//! pool. Each step that refuses returns a request error (no `data`), so a refused request changes nothing.

use std::sync::Arc;

use apollo_compiler::ExecutableDocument;
use apollo_compiler::executable::{Operation, OperationType, Selection, SelectionSet};
use runtime::ErrorCode;
use runtime::apollo_compiler;
use runtime::response::{JsonMap, JsonValue, Location, PathSegment, Response, ResponseError};
use runtime::rules::{ApiRules, RateLimitReport};
use tokio_util::task::LocalPoolHandle;

use crate::api::{
    AuthFailure, ComplexityInfo, ExecRequest, GraphqlApi, Principal, RateLimitInfo, RequestMeta,
};
use crate::faults::{Fault, Faults};
use crate::options::Options;
use crate::rate_limit::{Decision, RateLimiter};

/// State shared by every endpoint of one server.
#[derive(Debug)]
pub struct Shared {
    pub options: Options,
    pub limiter: RateLimiter,
    /// Runs executions: apollo-compiler's execution future is not `Send`.
    pub pool: LocalPoolHandle,
}

impl Shared {
    pub fn new(options: &Options, threads: usize) -> Self {
        Shared {
            options: options.clone(),
            limiter: RateLimiter::default(),
            pool: LocalPoolHandle::new(threads.max(1)),
        }
    }

    pub fn faults(&self) -> &Faults {
        &self.options.faults
    }
}

/// One GraphQL request, as the transport read it.
#[derive(Debug)]
pub struct GraphqlRequest {
    pub query: String,
    pub operation_name: Option<String>,
    pub variables: JsonMap,
    pub authorization: Option<String>,
    /// GET may only run queries.
    pub read_only: bool,
    /// `http://host[:port]` as the client addressed the server, for absolute links in responses.
    pub origin: Option<String>,
}

/// A GraphQL response, and the caller's quota when one was counted (for APIs that report it in headers).
#[derive(Debug)]
pub struct Outcome {
    pub response: Response,
    pub rate_limit: Option<RateLimitInfo>,
}

impl From<Response> for Outcome {
    fn from(response: Response) -> Self {
        Outcome {
            response,
            rate_limit: None,
        }
    }
}

/// Why the pipeline refused before producing a GraphQL response.
#[derive(Debug, PartialEq, Eq)]
pub enum Rejection {
    /// A mutation over GET.
    MutationOverGet,
}

/// Runs one request through every step.
pub async fn run(
    api: &Arc<dyn GraphqlApi>,
    shared: &Shared,
    request: GraphqlRequest,
) -> Result<Outcome, Rejection> {
    Ok(match admit(api, shared, request)? {
        Admission::Admitted(admitted) => execute(api, shared, *admitted).await,
        Admission::Refused(outcome) => outcome,
    })
}

/// A request that passed every check, ready to execute.
#[derive(Debug)]
pub struct Admitted {
    exec: ExecRequest,
    rate_limit: Option<RateLimitInfo>,
}

impl Admitted {
    /// The caller's quota after counting this request, when the API counts one.
    pub fn rate_limit(&self) -> Option<RateLimitInfo> {
        self.rate_limit
    }
}

/// What the checks before execution decided.
#[derive(Debug)]
pub enum Admission {
    Admitted(Box<Admitted>),
    /// A request error (no `data`): nothing was executed.
    Refused(Outcome),
}

/// Every step but execution: a transport that finds its own errors in a request (a REST parameter of the wrong
/// type) reports them after these, so a caller hears 401, 429 and 403 before 400, as from a real API.
pub fn admit(
    api: &Arc<dyn GraphqlApi>,
    shared: &Shared,
    request: GraphqlRequest,
) -> Result<Admission, Rejection> {
    let rules = api.rules();
    let prepared = match api.engine().prepare(&request.query) {
        Ok(prepared) => prepared,
        Err(errors) => return Ok(Admission::Refused(Response { data: None, errors }.into())),
    };
    let operation = match prepared
        .document
        .operations
        .get(request.operation_name.as_deref())
    {
        Ok(operation) => operation.clone(),
        Err(e) => {
            return Ok(Admission::Refused(
                refuse(ErrorCode::ValidationFailed, e.message().to_string()).into(),
            ));
        }
    };
    if request.read_only && operation.operation_type == OperationType::Mutation {
        return Err(Rejection::MutationOverGet);
    }
    let fields = selected_fields(&prepared.document, &operation);
    // Only an operation that selects root fields, all of them `@public`, needs no credentials (what a public field
    // returns is public with it: a login's payload); one that selects nothing but `__typename` or introspection is
    // not public.
    let roots: Vec<&SelectedField> = fields.iter().filter(|f| f.path.len() == 1).collect();
    let public = !roots.is_empty()
        && roots.iter().all(|f| {
            rules
                .field(&f.type_name, &f.field_name)
                .is_some_and(|r| r.public)
        });
    let principal = if public {
        Principal::anonymous()
    } else {
        match api.authenticate(request.authorization.as_deref()) {
            Ok(principal) => principal,
            Err(AuthFailure::Missing) => {
                return Ok(Admission::Refused(
                    refuse(
                        ErrorCode::Unauthenticated,
                        "Authentication required: send the API's credentials in the Authorization header.",
                    )
                    .into(),
                ));
            }
            Err(AuthFailure::Invalid) => {
                return Ok(Admission::Refused(
                    refuse(ErrorCode::Unauthenticated, "Invalid credentials.").into(),
                ));
            }
        }
    };
    let mut meta = RequestMeta {
        origin: request.origin,
        ..RequestMeta::default()
    };
    if !principal.is_anonymous()
        && let Some((limit, window)) = shared
            .options
            .config
            .rate_limit(rules, principal.token_kind.as_deref())
    {
        match shared
            .limiter
            .check(rules.name, &principal.id, limit, window, chrono::Utc::now())
        {
            Decision::Refused(info) if !shared.faults().is_active(Fault::RateLimitNotEnforced) => {
                let mut error = ResponseError::new(ErrorCode::RateLimited, "Rate limit reached.");
                // An API that reports its quota nowhere (Healthmov) does not report it in the refusal either.
                let reported = rules
                    .rate_limit_for(principal.token_kind.as_deref())
                    .is_some_and(|r| r.reported_by != RateLimitReport::None);
                if reported {
                    error
                        .extensions
                        .insert("limit", JsonValue::from(info.limit));
                    error
                        .extensions
                        .insert("remaining", JsonValue::from(info.remaining));
                    let reset_at = info.reset_at.format("%Y-%m-%dT%H:%M:%SZ").to_string();
                    error
                        .extensions
                        .insert("resetAt", JsonValue::from(reset_at));
                }
                return Ok(Admission::Refused(Outcome {
                    response: Response::request_error(error),
                    rate_limit: Some(info),
                }));
            }
            Decision::Allowed(mut info) | Decision::Refused(mut info) => {
                if shared.faults().is_active(Fault::RemainingNotDecremented) {
                    info.remaining = info.limit;
                }
                meta.rate_limit = Some(info);
            }
        }
    }
    let forbidden: Vec<ResponseError> = fields
        .iter()
        .filter_map(|f| {
            let field_rules = rules.field(&f.type_name, &f.field_name)?;
            let role_ok = field_rules.roles.is_empty()
                || field_rules
                    .roles
                    .iter()
                    .any(|r| principal.roles.iter().any(|p| p == r));
            let scope_ok = field_rules
                .scopes
                .iter()
                .all(|s| principal.scopes.iter().any(|p| p == s))
                || shared.faults().is_active(Fault::MissingScopeAccepted);
            (!role_ok || !scope_ok).then(|| {
                let mut error = ResponseError::new(
                    ErrorCode::Forbidden,
                    "You are not authorized to perform this action.",
                )
                .at(f.location);
                error.path = f.path.clone();
                error
            })
        })
        .collect();
    let rate_limit = meta.rate_limit;
    if !forbidden.is_empty() {
        let response = Response {
            data: None,
            errors: forbidden,
        };
        return Ok(Admission::Refused(Outcome {
            response,
            rate_limit,
        }));
    }
    if let Some(complexity) = rules.complexity {
        let scoring_rules = if shared.faults().is_active(Fault::ComplexityMiscounted) {
            miscounting(rules)
        } else {
            rules
        };
        let score = runtime::complexity::score(
            &prepared.document,
            &operation,
            &request.variables,
            scoring_rules,
        );
        if score > u64::from(complexity.maximum)
            && !shared.faults().is_active(Fault::ComplexityNotEnforced)
        {
            let message = format!(
                "Query has a complexity score of {score}, which exceeds the maximum of {}.",
                complexity.maximum
            );
            let response = refuse(ErrorCode::TooComplex, message);
            return Ok(Admission::Refused(Outcome {
                response,
                rate_limit,
            }));
        }
        meta.complexity = Some(ComplexityInfo {
            score,
            maximum: complexity.maximum,
        });
    }
    let exec = ExecRequest {
        principal,
        prepared: Arc::clone(&prepared),
        operation_name: request.operation_name,
        variables: request.variables,
        meta,
    };
    Ok(Admission::Admitted(Box::new(Admitted { exec, rate_limit })))
}

/// Executes an admitted request on the local pool.
pub async fn execute(api: &Arc<dyn GraphqlApi>, shared: &Shared, admitted: Admitted) -> Outcome {
    let Admitted { exec, rate_limit } = admitted;
    let api = Arc::clone(api);
    let response = match shared.pool.spawn_pinned(move || api.execute(exec)).await {
        Ok(response) => response,
        Err(join_error) => {
            tracing::error!(error = %join_error, "execution failed");
            refuse(ErrorCode::Internal, "Internal server error.")
        }
    };
    Outcome {
        response,
        rate_limit,
    }
}

fn refuse(code: ErrorCode, message: impl Into<String>) -> Response {
    Response::request_error(ResponseError::new(code, message))
}

/// The rules with every pagination multiplier removed (leaked once: the fault lives as long as the server).
fn miscounting(rules: &'static ApiRules) -> &'static ApiRules {
    use std::sync::OnceLock;
    static MISCOUNTING: OnceLock<std::sync::Mutex<Vec<(&'static str, &'static ApiRules)>>> =
        OnceLock::new();
    let cache = MISCOUNTING.get_or_init(Default::default);
    let mut cache = cache.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, found)) = cache.iter().find(|(name, _)| *name == rules.name) {
        return found;
    }
    let fields: Vec<_> = rules
        .fields
        .iter()
        .map(|f| runtime::rules::FieldRules {
            pagination: None,
            ..*f
        })
        .collect();
    let leaked: &'static ApiRules = Box::leak(Box::new(ApiRules {
        fields: Box::leak(fields.into_boxed_slice()),
        ..*rules
    }));
    cache.push((rules.name, leaked));
    leaked
}

/// A field the operation selects, wherever it is (fragments expanded): what role and scope rules apply to.
#[derive(Debug)]
struct SelectedField {
    type_name: String,
    field_name: String,
    location: Option<Location>,
    path: Vec<PathSegment>,
}

fn selected_fields(
    document: &apollo_compiler::validation::Valid<ExecutableDocument>,
    operation: &Operation,
) -> Vec<SelectedField> {
    fn walk(
        document: &ExecutableDocument,
        set: &SelectionSet,
        path: &[PathSegment],
        out: &mut Vec<SelectedField>,
        depth: usize,
    ) {
        if depth > 64 {
            return;
        }
        for selection in &set.selections {
            match selection {
                Selection::Field(field) => {
                    if field.name.starts_with("__") {
                        continue;
                    }
                    let mut here = path.to_vec();
                    here.push(PathSegment::Field(field.response_name().to_string()));
                    let location = field
                        .location()
                        .and_then(|span| span.line_column(&document.sources))
                        .map(|lc| Location {
                            line: lc.line,
                            column: lc.column,
                        });
                    out.push(SelectedField {
                        type_name: set.ty.to_string(),
                        field_name: field.name.to_string(),
                        location,
                        path: here.clone(),
                    });
                    if let Some(inner) = &field.selection_set {
                        walk(document, inner, &here, out, depth + 1);
                    }
                }
                Selection::InlineFragment(inline) => {
                    walk(document, &inline.selection_set, path, out, depth + 1)
                }
                Selection::FragmentSpread(spread) => {
                    if let Some(fragment) = document.fragments.get(&spread.fragment_name) {
                        walk(document, &fragment.selection_set, path, out, depth + 1);
                    }
                }
            }
        }
    }
    let mut out = Vec::new();
    walk(document, &operation.selection_set, &[], &mut out, 0);
    out
}

/// Whether the response is a request error (no `data`): the transport picks the HTTP status from its first code.
pub fn request_error_code(response: &Response) -> Option<ErrorCode> {
    if response.data.is_some() {
        None
    } else {
        response.errors.first().map(|e| e.code)
    }
}
