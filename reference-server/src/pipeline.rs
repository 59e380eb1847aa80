//! What happens to a GraphQL request between the transport and the API: prepare (limits, parse, validate: on the
//! blocking pool, a bounded number at once) → authenticate (unless every field is `@public`) → rate limit → cache the
//! prepared document → roles and scopes → complexity → execute on the local pool. Each step that refuses returns a
//! request error (no `data`), so a refused request changes nothing, and an anonymous client never fills the cache.

use std::borrow::Cow;
use std::net::IpAddr;
use std::sync::Arc;

use apollo_compiler::ExecutableDocument;
use apollo_compiler::executable::{Operation, OperationType, Selection, SelectionSet};
use runtime::ErrorCode;
use runtime::apollo_compiler;
use runtime::engine::Prepared;
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
    /// Preparations of uncached documents running at once, each on the blocking pool: CPU work that the async
    /// workers never do, and that a flood of new documents cannot multiply beyond the cores.
    preparing: tokio::sync::Semaphore,
}

impl Shared {
    pub fn new(options: &Options, threads: usize) -> Self {
        Shared {
            options: options.clone(),
            limiter: RateLimiter::new(&options.faults),
            pool: LocalPoolHandle::new(threads.max(1)),
            preparing: tokio::sync::Semaphore::new(threads.max(1)),
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
    /// The client's address, when the request came over a connection: an operation of `@public` fields alone (a
    /// login) counts against the quota of this address, having no credential to count against.
    pub client: Option<IpAddr>,
}

/// A GraphQL response, and the caller's quota when one was counted (for APIs that report it in headers).
#[derive(Debug)]
pub struct Outcome {
    pub response: Response,
    pub rate_limit: Option<RateLimitInfo>,
    /// The name of the operation the document selected, once known (for the log).
    pub operation: Option<String>,
}

impl From<Response> for Outcome {
    fn from(response: Response) -> Self {
        Outcome {
            response,
            rate_limit: None,
            operation: None,
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
    Ok(match admit(api, shared, request).await? {
        Admission::Admitted(admitted) => execute(api, shared, *admitted).await,
        Admission::Refused(outcome) => outcome,
    })
}

/// A request that passed every check, ready to execute.
#[derive(Debug)]
pub struct Admitted {
    exec: ExecRequest,
    rate_limit: Option<RateLimitInfo>,
    /// The answer to give whatever the execution does (only under a fault: a refusal that executes anyway).
    refused_after_all: Option<Outcome>,
    operation: Option<String>,
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
pub async fn admit(
    api: &Arc<dyn GraphqlApi>,
    shared: &Shared,
    mut request: GraphqlRequest,
) -> Result<Admission, Rejection> {
    let rules = api.rules();
    let query = std::mem::take(&mut request.query);
    let (query, prepared) = prepare(api, shared, query).await;
    let (prepared, cached) = match prepared {
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
    let operation_name = operation.name.as_ref().map(|name| name.to_string());
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
                        declared_unauthenticated(rules).unwrap_or(
                            "Authentication required: send the API's credentials in the Authorization header.",
                        ),
                    )
                    .into(),
                ));
            }
            Err(AuthFailure::Invalid) => {
                // FAULT(internals-in-auth-refusals): the token check's traceback follows the message.
                let message = if let Some(declared) = declared_unauthenticated(rules) {
                    declared
                } else if shared.faults().is_active(Fault::InternalsInAuthRefusals) {
                    "Invalid credentials.\nTraceback (most recent call last):\n  File \"/srv/healthmov/users/auth.py\", \
                     line 61, in authenticate\n    raise jwt.InvalidTokenError(token)"
                } else {
                    "Invalid credentials."
                };
                return Ok(Admission::Refused(
                    refuse(ErrorCode::Unauthenticated, message).into(),
                ));
            }
        }
    };
    let mut meta = RequestMeta {
        origin: request.origin,
        ..RequestMeta::default()
    };
    let mut refused_after_all = None;
    // A credential counts against its own quota. An operation of public fields alone (a login) has no credential
    // yet: it counts against its client's address, so that guessing passwords is paced like everything else (per
    // address rather than per user name, which would let anyone lock a user out by failing logins in their name).
    let quota_key = if principal.is_anonymous() {
        request.client.map(|ip| format!("client address {ip}"))
    } else {
        Some(principal.id.clone())
    };
    if let Some(quota_key) = quota_key
        && let Some((limit, window)) = shared
            .options
            .config
            .rate_limit(rules, principal.token_kind.as_deref())
    {
        match shared
            .limiter
            .check(&rules.name, &quota_key, limit, window, chrono::Utc::now())
        {
            // FAULT(unreported-quota-not-enforced): a quota reported nowhere is never felt either.
            Decision::Refused(info) if !quota_lifted(shared, rules, &principal) => {
                // FAULT(throttled-write-applied): a refused mutation still executes (its answer is the refusal).
                // FAULT(quota-refused-write-applied): the same, where the quota is reported nowhere.
                let applied_anyway = operation.operation_type == OperationType::Mutation
                    && (shared.faults().is_active(Fault::ThrottledWriteApplied)
                        || shared.faults().is_active(Fault::QuotaRefusedWriteApplied));
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
                let refusal = Outcome {
                    response: Response::request_error(error),
                    rate_limit: Some(info),
                    operation: operation_name.clone(),
                };
                if !applied_anyway {
                    return Ok(Admission::Refused(refusal));
                }
                meta.rate_limit = Some(info);
                refused_after_all = Some(refusal);
            }
            Decision::Allowed(mut info) | Decision::Refused(mut info) => {
                if shared.faults().is_active(Fault::RemainingNotDecremented) {
                    info.remaining = info.limit;
                }
                // FAULT(quota-limit-misreported): the limit shown is twice the one counted against.
                if shared.faults().is_active(Fault::QuotaLimitMisreported) {
                    info.limit *= 2;
                }
                meta.rate_limit = Some(info);
            }
        }
    }
    // Known and within quota: worth remembering (a public operation is cached only when its caller is known).
    if !cached && !principal.is_anonymous() {
        api.engine().remember(&query, &prepared);
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
                let mut error =
                    ResponseError::new(ErrorCode::Forbidden, unauthorized_message(rules))
                        .at(f.location);
                error.path = f.path.clone();
                error
            })
        })
        .collect();
    let rate_limit = meta.rate_limit;
    if !forbidden.is_empty() {
        let refusal = Outcome {
            response: Response {
                data: None,
                errors: forbidden,
            },
            rate_limit,
            operation: operation_name.clone(),
        };
        // FAULT(role-refused-write-applied): a mutation refused for its role is executed all the same.
        let applied = operation.operation_type == OperationType::Mutation
            && shared.faults().is_active(Fault::RoleRefusedWriteApplied);
        if !applied {
            return Ok(Admission::Refused(refusal));
        }
        refused_after_all = Some(refusal);
    }
    if let Some(complexity) = rules.complexity {
        let scoring_rules = if shared.faults().is_active(Fault::ComplexityMiscounted) {
            Cow::Owned(without_pagination(rules))
        } else {
            Cow::Borrowed(rules)
        };
        let mut score = runtime::complexity::score(
            &prepared.document,
            &operation,
            &request.variables,
            &scoring_rules,
        );
        // FAULT(introspection-costs): every `__` name in the document is scored as a field.
        if shared.faults().is_active(Fault::IntrospectionCosts) {
            score += query.matches("__").count() as u64;
        }
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
                operation: operation_name,
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
    Ok(Admission::Admitted(Box::new(Admitted {
        exec,
        rate_limit,
        refused_after_all,
        operation: operation_name,
    })))
}

/// The prepared document of `query`, and whether it came from the cache; an uncached one is parsed and validated on
/// the blocking pool, at most as many at once as the pool of executions has threads. The query is handed back.
async fn prepare(
    api: &Arc<dyn GraphqlApi>,
    shared: &Shared,
    query: String,
) -> (String, Result<(Arc<Prepared>, bool), Vec<ResponseError>>) {
    if let Some(hit) = api.engine().cached(&query) {
        return (query, Ok((hit, true)));
    }
    let Ok(_permit) = shared.preparing.acquire().await else {
        return (query, Err(vec![internal_error()]));
    };
    let api = Arc::clone(api);
    let task = tokio::task::spawn_blocking(move || {
        let prepared = api.engine().parse(&query);
        (query, prepared)
    });
    match task.await {
        Ok((query, prepared)) => (query, prepared.map(|p| (p, false))),
        Err(join_error) => {
            tracing::error!(error = %join_error, "preparation failed");
            (String::new(), Err(vec![internal_error()]))
        }
    }
}

/// What a client is told of a fault of the server's own.
const INTERNAL_MESSAGE: &str = "Internal server error.";

fn internal_error() -> ResponseError {
    ResponseError::new(ErrorCode::Internal, INTERNAL_MESSAGE)
}

/// A fault of the server's own reaches the client as [`INTERNAL_MESSAGE`] at its path; what went wrong (a stored
/// value that does not fit its type, say) goes to the log.
fn mask_internal_errors(mut response: Response) -> Response {
    for error in &mut response.errors {
        if error.code == ErrorCode::Internal && error.message != INTERNAL_MESSAGE {
            tracing::error!(message = %error.message, path = ?error.path, "internal error");
            error.message = INTERNAL_MESSAGE.to_owned();
        }
    }
    response
}

/// Executes an admitted request on the local pool.
pub async fn execute(api: &Arc<dyn GraphqlApi>, shared: &Shared, admitted: Admitted) -> Outcome {
    let Admitted {
        exec,
        rate_limit,
        refused_after_all,
        operation,
    } = admitted;
    let api = Arc::clone(api);
    let response = match shared.pool.spawn_pinned(move || api.execute(exec)).await {
        Ok(response) => mask_internal_errors(response),
        Err(join_error) => {
            tracing::error!(error = %join_error, "execution failed");
            Response::request_error(internal_error())
        }
    };
    refused_after_all.unwrap_or(Outcome {
        response,
        rate_limit,
        operation,
    })
}

/// Whether a fault lifts the caller's quota (`rate-limit-not-enforced`, or `unreported-quota-not-enforced` for a
/// quota reported nowhere).
fn quota_lifted(shared: &Shared, rules: &ApiRules, principal: &Principal) -> bool {
    let faults = shared.faults();
    faults.is_active(Fault::RateLimitNotEnforced)
        || (faults.is_active(Fault::UnreportedQuotaNotEnforced)
            && rules
                .rate_limit_for(principal.token_kind.as_deref())
                .is_some_and(|r| r.reported_by == RateLimitReport::None))
}

fn refuse(code: ErrorCode, message: impl Into<String>) -> Response {
    Response::request_error(ResponseError::new(code, message))
}

/// The rules with every pagination multiplier removed (`--fault complexity-miscounted`).
fn without_pagination(rules: &ApiRules) -> ApiRules {
    let fields: Vec<_> = rules
        .fields
        .iter()
        .map(|f| runtime::rules::FieldRules {
            pagination: None,
            ..f.clone()
        })
        .collect();
    ApiRules {
        fields: fields.into(),
        ..rules.clone()
    }
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

/// The message refusing a request without valid credentials, where the API fixes it
/// (`@errorFormat(unauthenticatedMessage:)`).
fn declared_unauthenticated(rules: &ApiRules) -> Option<&str> {
    rules
        .error_format
        .as_ref()?
        .unauthenticated_message
        .as_deref()
}

/// The message refusing a field to a caller without its role or scope: the API's (`@errorFormat(unauthorizedMessage:)`),
/// else Lighthouse's wording.
pub(crate) fn unauthorized_message(rules: &ApiRules) -> &str {
    rules
        .error_format
        .as_ref()
        .and_then(|f| f.unauthorized_message.as_deref())
        .unwrap_or("You are not authorized to perform this action.")
}

#[cfg(test)]
mod tests {
    use runtime::ErrorCode;
    use runtime::response::{Response, ResponseError};

    use super::{INTERNAL_MESSAGE, mask_internal_errors};

    #[test]
    fn internal_errors_reach_the_client_without_their_detail() {
        let detail =
            "the backend's value of Query.task does not fit its type: unknown variant `LOST`";
        let response = Response {
            data: None,
            errors: vec![
                ResponseError::new(ErrorCode::Internal, detail),
                ResponseError::new(
                    ErrorCode::BadUserInput,
                    "Validation failed for the field [task].",
                ),
            ],
        };
        let masked = mask_internal_errors(response);
        assert_eq!(masked.errors[0].message, INTERNAL_MESSAGE);
        assert_eq!(masked.errors[0].code, ErrorCode::Internal);
        assert_eq!(
            masked.errors[1].message,
            "Validation failed for the field [task]."
        );
    }
}
