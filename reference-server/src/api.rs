//! The contract between the HTTP layer and each API served over GraphQL: the layer authenticates through the API,
//! enforces the rules table (roles, rate limits, complexity), renders errors in the API's format, and hands the
//! API a prepared operation to execute with the caller and the request's measurements.

use std::sync::Arc;

use futures::future::LocalBoxFuture;
use runtime::ErrorCode;
use runtime::engine::{Engine, Prepared};
use runtime::response::{JsonMap, Response, ResponseError};
use runtime::rules::ApiRules;

/// Who is calling: the identity the credentials prove.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// Stable key of the credential: rate limits are kept per principal id.
    pub id: String,
    /// Roles for `@requiresRole` (Worksome: `company`, `worker`, `recruiter`).
    pub roles: Vec<String>,
    /// Scopes for `@requiresScope` (Workable: `r_jobs`, `w_members`).
    pub scopes: Vec<String>,
    /// The token kind, when the API's quotas differ by kind (Workable: `account`, `oauth`).
    pub token_kind: Option<String>,
}

impl Principal {
    /// The caller of an operation whose fields are all `@public` (a login): no credentials, no quota.
    pub fn anonymous() -> Self {
        Principal {
            id: String::new(),
            roles: Vec::new(),
            scopes: Vec::new(),
            token_kind: None,
        }
    }

    pub fn is_anonymous(&self) -> bool {
        self.id.is_empty()
    }
}

/// Why credentials were refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthFailure {
    /// No credentials at all.
    Missing,
    /// Credentials that are malformed or identify no one.
    Invalid,
}

/// The credentials of an `Authorization` header in `scheme`, matched case-insensitively (RFC 7235: `Bearer`,
/// `bearer` and `BEARER` are one scheme), with the whitespace around them trimmed.
pub fn credentials<'a>(
    authorization: Option<&'a str>,
    scheme: &str,
) -> Result<&'a str, AuthFailure> {
    let header = authorization
        .map(str::trim)
        .filter(|h| !h.is_empty())
        .ok_or(AuthFailure::Missing)?;
    let (given, credentials) = header.split_once([' ', '\t']).ok_or(AuthFailure::Invalid)?;
    if !given.eq_ignore_ascii_case(scheme) {
        return Err(AuthFailure::Invalid);
    }
    Ok(credentials.trim())
}

/// What the request measured and where it came in, for the fields that report them (`complexityInfo`,
/// `rateLimit`, links such as `paging.next`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RequestMeta {
    /// The operation's complexity score and the schema's maximum, when the schema declares `@complexity`.
    pub complexity: Option<ComplexityInfo>,
    /// The caller's quota after this request was counted, when the schema declares `@rateLimit`.
    pub rate_limit: Option<RateLimitInfo>,
    /// `http://host[:port]` as the client addressed the server (its `Host` header), for absolute links.
    pub origin: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ComplexityInfo {
    pub score: u64,
    pub maximum: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimitInfo {
    pub limit: u32,
    pub remaining: u32,
    pub reset_at: chrono::DateTime<chrono::Utc>,
    /// What this request cost.
    pub cost: u32,
}

/// One operation to execute.
#[derive(Debug)]
pub struct ExecRequest {
    pub principal: Principal,
    pub prepared: Arc<Prepared>,
    pub operation_name: Option<String>,
    pub variables: JsonMap,
    pub meta: RequestMeta,
}

/// An API served over GraphQL.
pub trait GraphqlApi: Send + Sync + 'static {
    /// The generated rules table.
    fn rules(&self) -> &'static ApiRules;

    /// The generated engine (public SDL, limits, document cache).
    fn engine(&self) -> &Engine;

    /// Who the `Authorization` header identifies.
    fn authenticate(&self, authorization: Option<&str>) -> Result<Principal, AuthFailure>;

    /// The API's spelling of an error code (Greenhouse: `Validation`, `NotFound`, ...).
    fn error_code(&self, code: ErrorCode) -> &'static str;

    /// The API's own wording of an error the shared layer made (an authentication or quota refusal), if it has one;
    /// applied when the response is rendered.
    fn restate(&self, _error: &ResponseError) -> Option<ResponseError> {
        None
    }

    /// Executes the operation. The future runs on a single-threaded pool (apollo-compiler's execution future is not
    /// `Send`), hence `self: Arc<Self>` and a local future.
    fn execute(self: Arc<Self>, request: ExecRequest) -> LocalBoxFuture<'static, Response>;
}
