//! Rate-limit properties R1–R6, generic over how the API reports its quota (`@rateLimit(reportedBy:)`):
//!
//! - `QUOTA_FIELD` (Greenhouse's `rateLimit { limit remaining resetAt cost }`): the quota is read with the
//!   `@quotaField` query, and exhaustion is the documented GraphQL error;
//! - `HEADERS` (Workable's `X-Rate-Limit-Limit`, `-Remaining` and `-Reset`): the quota is read from the headers of a
//!   `@rest` GET of the credential's account, and exhaustion is HTTP 429 (`exceeded: HTTP_429`).
//!
//! The quota that applies is the one of the credential's token kind (`@rateLimit(tokenKinds:)`). The properties send
//! to the target's quota URL (the embedded run's small-quota instance) and exhaust the quota of the first credential,
//! so they run last.

use std::time::{Duration, SystemTime};

use runtime::rules::{ErrorStyle, FieldRules, HttpMethod, RateLimitExceeded, RateLimitReport};
use serde_json::Value;

use crate::client::Response;
use crate::credentials::Credential;
use crate::ensure;
use crate::graphql::{Reply, rate_limit_code};
use crate::property::{Case, CaseError, Check, Context, Group, Property, graphql_endpoint};
use crate::rest::{self, HeaderQuota};

mod checks;

use checks::{run_r1, run_r2, run_r3, run_r4, run_r5, run_r6};

pub static R1: Property = Property {
    id: "R1",
    name: "quota-reported",
    statement: "The quota (quota field, or X-Rate-Limit-* headers on every authenticated response) reports the limit of the credential's token kind, 0 <= remaining < limit, and a reset within one window from now.",
    group: Group::RateLimits,
    writes: false,
    max_cases: Some(4),
    run: run_r1,
};

pub static R2: Property = Property {
    id: "R2",
    name: "remaining-falls",
    statement: "Within a window, remaining falls by the cost of each request (one, where no cost is reported), exactly, and never rises.",
    group: Group::RateLimits,
    writes: false,
    max_cases: Some(6),
    run: run_r2,
};

pub static R3: Property = Property {
    id: "R3",
    name: "exhaustion-refused",
    statement: "Once remaining is 0, the next request is refused as documented (the rate-limit error with limit, remaining 0 and resetAt, or HTTP 429 with the headers) and returns no data.",
    group: Group::RateLimits,
    writes: false,
    max_cases: Some(3),
    run: run_r3,
};

pub static R4: Property = Property {
    id: "R4",
    name: "throttled-no-effect",
    statement: "A write refused for the quota changes nothing: after the reset, what it would have written is not there.",
    group: Group::RateLimits,
    writes: true,
    max_cases: Some(2),
    run: run_r4,
};

pub static R5: Property = Property {
    id: "R5",
    name: "quota-resets",
    statement: "After the reset time the quota is whole again: the next request is served and remaining is limit minus its cost.",
    group: Group::RateLimits,
    writes: false,
    max_cases: Some(2),
    run: run_r5,
};

pub static R6: Property = Property {
    id: "R6",
    name: "quota-per-credential",
    statement: "Exhausting one credential's quota leaves another credential's quota untouched.",
    group: Group::RateLimits,
    writes: false,
    max_cases: Some(2),
    run: run_r6,
};

/// One reading of the quota.
#[derive(Debug, Clone, PartialEq)]
pub struct Quota {
    pub limit: i64,
    pub remaining: i64,
    /// The reset as the target wrote it (an RFC 3339 date-time, or a Unix time in a header): equal values mean
    /// the same window.
    pub reset_at: String,
    /// The reset as an instant, when it parses.
    pub reset: Option<SystemTime>,
    pub cost: i64,
}

/// What a request got instead of a quota reading.
#[derive(Debug, Clone)]
pub enum Answer {
    /// A GraphQL response (without the quota field).
    Graphql(Reply),
    /// A REST response that was not a success.
    Rest(Response),
}

impl Answer {
    /// A one-line digest, for messages.
    pub fn digest(&self, cx: &Context<'_>) -> String {
        match self {
            Answer::Graphql(reply) => reply.error_digest(cx.rules),
            Answer::Rest(response) => rest::digest(response),
        }
    }

    /// The reset this refusal announces.
    fn reset_at(&self) -> Option<String> {
        match self {
            Answer::Graphql(reply) => reply.errors().iter().find_map(|e| {
                e.get("resetAt")
                    .or_else(|| e.get("extensions").and_then(|x| x.get("resetAt")))
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            }),
            Answer::Rest(response) => HeaderQuota::of(response).reset,
        }
    }
}

/// How the quota is read.
#[derive(Debug, Clone)]
enum Reader {
    /// `{ __quota: <field> { limit remaining resetAt cost } }`.
    QuotaField(String),
    /// A `@rest` GET; the quota is in the response headers.
    Headers(&'static FieldRules),
}

/// What the rate-limit properties need to know: how to read the quota, and the credentials that can.
struct Setup {
    reader: Reader,
    /// The credentials that can send the reading request, in order (the first is the one exhausted).
    readers: Vec<Credential>,
}

impl Setup {
    fn primary(&self) -> Option<&Credential> {
        self.readers.first()
    }
}

/// The quota of a credential: (limit, window seconds).
fn quota_of(cx: &Context<'_>, credential: Option<&Credential>) -> (u32, u32) {
    cx.target
        .quota_for(credential.and_then(|c| c.token_kind.as_deref()))
        .unwrap_or((0, 0))
}

fn setup(cx: &Context<'_>, exhausts: bool) -> Result<Setup, Check> {
    let Some(declared) = cx.rules.rate_limits.first() else {
        return Err(Check::not_applicable("the API declares no @rateLimit"));
    };
    let (reader, readers) = match declared.reported_by {
        RateLimitReport::QuotaField => {
            let query = cx.schema.query_type();
            let Some(field) = cx
                .rules
                .fields
                .iter()
                .find(|f| f.type_name == query && f.quota_field)
            else {
                return Err(Check::not_applicable(
                    "@rateLimit(reportedBy: QUOTA_FIELD) but no @quotaField",
                ));
            };
            (
                Reader::QuotaField(field.field_name.to_string()),
                cx.target.credentials.clone(),
            )
        }
        RateLimitReport::Headers => {
            let Some(field) = rest::bound(cx.rules, HttpMethod::Get).next() else {
                return Err(Check::not_applicable(
                    "@rateLimit(reportedBy: HEADERS) but no @rest GET to read the headers from",
                ));
            };
            let readers: Vec<Credential> = cx
                .target
                .credentials
                .iter()
                .filter(|c| can_call(c, field))
                .cloned()
                .collect();
            if readers.is_empty() {
                return Err(Check::not_applicable(format!(
                    "no credential can call `{}` (it needs the scopes {:?} and, for its path, an `account`)",
                    field.field_name, field.scopes
                )));
            }
            (Reader::Headers(field), readers)
        }
        RateLimitReport::None => {
            return Err(Check::not_applicable(
                "the API does not report its quota (@rateLimit(reportedBy: NONE))",
            ));
        }
    };
    let (_, window) = quota_of(cx, readers.first());
    let setup = Setup { reader, readers };
    if exhausts && Duration::from_secs(u64::from(window)) > cx.settings.max_wait {
        // The declared window is too long to wait out; the target's own may be shorter (a test instance's): judge
        // by the reset it reports, and run when that comes within --max-wait (every wait stays bounded by it).
        // A reading refused for the quota (an earlier property spent it) tells the reset too.
        let case = Case::new(cx);
        let reported = match read(&case, &setup, setup.readers.first()) {
            Ok(Ok(quota)) => quota
                .reset
                .map(|reset| reset.duration_since(SystemTime::now()).unwrap_or_default()),
            Ok(Err(Answer::Graphql(reply))) => case
                .exchanges()
                .last()
                .and_then(|e| e.ok().cloned())
                .and_then(|r| reply.throttled_for(cx.rules, &r)),
            Ok(Err(Answer::Rest(response))) => rest::throttle_wait(&response),
            Err(_) => None,
        };
        match reported {
            Some(wait) if wait <= cx.settings.max_wait => {}
            _ => {
                return Err(Check::inconclusive(
                    format!(
                        "the quota window is {window} s{}, longer than --max-wait {} s: exhausting it would lock \
                         the credential out",
                        reported.map_or(String::new(), |w| format!(
                            " and the target reports its reset in {} s",
                            w.as_secs()
                        )),
                        cx.settings.max_wait.as_secs()
                    ),
                    0,
                ));
            }
        }
    }
    Ok(setup)
}

/// Whether a credential can call a REST field: it has the scopes (when it lists any) and an account for the path.
pub fn can_call(credential: &Credential, field: &FieldRules) -> bool {
    let scoped = credential.scopes.is_empty()
        || field
            .scopes
            .iter()
            .all(|s| credential.scopes.iter().any(|c| c == s));
    scoped && (rest::path_arguments(field).is_empty() || credential.account.is_some())
}

/// Reads the quota; `Ok(Err(answer))` when the request itself was refused.
fn read(
    case: &Case<'_, '_>,
    setup: &Setup,
    credential: Option<&Credential>,
) -> Result<Result<Quota, Answer>, CaseError> {
    let cx = case.cx;
    match &setup.reader {
        Reader::QuotaField(field) => {
            let query = format!("{{ __quota: {field} {{ limit remaining resetAt cost }} }}");
            let url = graphql_endpoint(cx.rules, cx.target.quota_url());
            let reply = case.graphql_at(&url, credential, &query, None)?;
            let Some(q) = reply.field("__quota") else {
                return Ok(Err(Answer::Graphql(reply)));
            };
            let int = |k: &str| {
                q.get(k)
                    .and_then(Value::as_i64)
                    .ok_or_else(|| CaseError::fail(format!("`{field}.{k}` is not an integer: {q}")))
            };
            let reset_at = q
                .get("resetAt")
                .and_then(Value::as_str)
                .ok_or_else(|| CaseError::fail(format!("`{field}.resetAt` is not a string: {q}")))?
                .to_owned();
            Ok(Ok(Quota {
                limit: int("limit")?,
                remaining: int("remaining")?,
                reset: rfc3339(&reset_at),
                reset_at,
                cost: q.get("cost").and_then(Value::as_i64).unwrap_or(1),
            }))
        }
        Reader::Headers(field) => {
            let account = credential
                .and_then(|c| c.account.clone())
                .unwrap_or_default();
            let call = rest::call_for(field, &account);
            let response = case.rest_at(cx.target.quota_url(), &call, credential)?;
            ensure!(
                response.status < 500,
                "`{} {}` got a server error: {}",
                call.method().as_str(),
                field.field_name,
                rest::digest(&response)
            );
            if !(200..300).contains(&response.status) {
                return Ok(Err(Answer::Rest(response)));
            }
            Ok(Ok(header_quota(&response)?))
        }
    }
}

/// The quota in a response's headers, which must all be there.
fn header_quota(response: &Response) -> Result<Quota, CaseError> {
    let h = HeaderQuota::of(response);
    let (Some(limit), Some(remaining), Some(reset_at)) = (h.limit, h.remaining, h.reset.clone())
    else {
        return Err(CaseError::fail(format!(
            "an authenticated response (HTTP {}) lacks X-Rate-Limit-Limit, -Remaining or -Reset as integers: limit {:?}, remaining {:?}, reset {:?}",
            response.status, h.limit, h.remaining, h.reset
        )));
    };
    Ok(Quota {
        limit,
        remaining,
        reset: rest::reset_instant(&reset_at),
        reset_at,
        cost: 1,
    })
}

fn rfc3339(instant: &str) -> Option<SystemTime> {
    let at = chrono::DateTime::parse_from_rfc3339(instant).ok()?;
    Some(SystemTime::from(at.with_timezone(&chrono::Utc)))
}

/// Reads the quota, which must be served.
fn read_ok(
    case: &Case<'_, '_>,
    setup: &Setup,
    credential: Option<&Credential>,
) -> Result<Quota, CaseError> {
    match read(case, setup, credential)? {
        Ok(q) => Ok(q),
        Err(answer) => Err(CaseError::fail(format!(
            "the quota could not be read: {}",
            answer.digest(case.cx)
        ))),
    }
}

/// Reads the quota, which must be served, after waiting out the window if an earlier case spent it.
fn read_in_quota(
    case: &Case<'_, '_>,
    setup: &Setup,
    credential: Option<&Credential>,
) -> Result<Quota, CaseError> {
    match read(case, setup, credential)? {
        Ok(q) => Ok(q),
        Err(answer) => {
            let throttled = match &answer {
                Answer::Graphql(reply) => reply.is_rate_limited(case.cx.rules),
                Answer::Rest(response) => response.status == 429,
            };
            if !throttled {
                return Err(CaseError::fail(format!(
                    "the quota could not be read: {}",
                    answer.digest(case.cx)
                )));
            }
            match answer.reset_at() {
                Some(r) => wait_until(case, &r)?,
                None => sleep_window(case, quota_of(case.cx, credential).1)?,
            }
            read_ok(case, setup, credential)
        }
    }
}

/// Sleeps until a reset written as the target writes it (bounded by --max-wait).
fn wait_until(case: &Case<'_, '_>, reset_at: &str) -> Result<(), CaseError> {
    let instant = rfc3339(reset_at).or_else(|| rest::reset_instant(reset_at));
    let Some(instant) = instant else {
        return Err(CaseError::fail(format!(
            "the reset {reset_at:?} is neither an RFC 3339 date-time nor a Unix time"
        )));
    };
    let wait = rest::until_instant(instant);
    if wait > case.cx.settings.max_wait + Duration::from_secs(1) {
        return Err(CaseError::Inconclusive(format!(
            "the quota resets in {} s, longer than --max-wait",
            wait.as_secs()
        )));
    }
    std::thread::sleep(wait + Duration::from_millis(30));
    Ok(())
}

/// Sleeps one quota window, when it is within --max-wait.
fn sleep_window(case: &Case<'_, '_>, window: u32) -> Result<(), CaseError> {
    let window = Duration::from_secs(u64::from(window));
    if window > case.cx.settings.max_wait {
        return Err(CaseError::Inconclusive(format!(
            "no reset to wait for, and the quota window ({} s) is longer than --max-wait",
            window.as_secs()
        )));
    }
    std::thread::sleep(window);
    Ok(())
}

/// Waits for a fresh window and returns the first reading in it: at once when the quota is whole (remaining =
/// limit - cost), otherwise the first reading after the window's reset.
fn fresh(
    case: &Case<'_, '_>,
    setup: &Setup,
    credential: Option<&Credential>,
) -> Result<Quota, CaseError> {
    let reset = match read(case, setup, credential)? {
        Ok(q) if q.remaining == q.limit - q.cost => return Ok(q),
        Ok(q) => Some(q.reset_at),
        Err(answer) => answer.reset_at(),
    };
    match reset {
        Some(r) => wait_until(case, &r)?,
        None => sleep_window(case, quota_of(case.cx, credential).1)?,
    }
    match read(case, setup, credential)? {
        Ok(q) => Ok(q),
        Err(answer) => Err(CaseError::fail(format!(
            "still refused after the window's reset: {}",
            answer.digest(case.cx)
        ))),
    }
}

/// Uses the rest of the window's quota, checking each reading; returns the last reading.
fn exhaust(
    case: &Case<'_, '_>,
    setup: &Setup,
    credential: Option<&Credential>,
) -> Result<Quota, CaseError> {
    let start = fresh(case, setup, credential)?;
    drain(case, setup, credential, start)
}

/// Uses the rest of the quota from a reading.
fn drain(
    case: &Case<'_, '_>,
    setup: &Setup,
    credential: Option<&Credential>,
    start: Quota,
) -> Result<Quota, CaseError> {
    let limit = quota_of(case.cx, credential).0;
    let mut last = start;
    let mut sent = 0;
    while last.remaining > 0 {
        let next = match read(case, setup, credential)? {
            Ok(q) => q,
            Err(answer) => {
                return Err(CaseError::fail(format!(
                    "refused with {} remaining: {}",
                    last.remaining,
                    answer.digest(case.cx)
                )));
            }
        };
        if next.reset_at != last.reset_at {
            return Err(CaseError::Reject(
                "the window reset while exhausting it".to_owned(),
            ));
        }
        last = next;
        sent += 1;
        ensure!(
            sent <= i64::from(limit) + 1,
            "remaining never reaches 0: {} requests in one window of a quota of {}",
            sent,
            limit
        );
    }
    Ok(last)
}

/// Checks the documented refusal.
fn check_refusal(case: &Case<'_, '_>, answer: &Answer, what: &str) -> Result<(), CaseError> {
    let cx = case.cx;
    let declared = cx.rules.rate_limits.first().map(|r| r.exceeded);
    let reply = match answer {
        Answer::Rest(response) => return check_rest_refusal(case, response, what),
        Answer::Graphql(reply) => reply,
    };
    ensure!(
        reply.has_errors(),
        "{what} was served past the quota: remaining was 0"
    );
    ensure!(
        reply.data().is_none_or(|d| d
            .as_object()
            .is_some_and(|o| o.values().all(Value::is_null))),
        "{what} was refused but returned data: {}",
        reply.body
    );
    if declared == Some(RateLimitExceeded::Http429) {
        ensure!(
            reply.status == 429,
            "the refusal is HTTP {}, not 429",
            reply.status
        );
        return Ok(());
    }
    if let Some(code) = rate_limit_code(cx.rules) {
        ensure!(
            reply.has_code(cx.rules, code),
            "the refusal must carry the code `{code}`; got {}",
            reply.error_digest(cx.rules)
        );
    }
    let entry = reply
        .errors()
        .iter()
        .find(|e| crate::graphql::error_code(e, cx.rules).as_deref() == rate_limit_code(cx.rules))
        .or_else(|| reply.errors().first())
        .cloned()
        .unwrap_or(Value::Null);
    let get = |k: &str| {
        entry
            .get(k)
            .or_else(|| entry.get("extensions").and_then(|x| x.get(k)))
    };
    ensure!(
        get("limit").and_then(Value::as_i64).is_some(),
        "the rate-limit error has no `limit`: {entry}"
    );
    ensure!(
        get("remaining").and_then(Value::as_i64) == Some(0),
        "the rate-limit error's `remaining` is not 0: {entry}"
    );
    ensure!(
        get("resetAt")
            .and_then(Value::as_str)
            .and_then(crate::graphql::until)
            .is_some(),
        "the rate-limit error has no RFC 3339 `resetAt`: {entry}"
    );
    Ok(())
}

/// A REST refusal: HTTP 429 (or another 4xx where the API does not declare 429), the error body of the API's
/// format, and the headers saying the quota is spent and when it returns.
fn check_rest_refusal(
    case: &Case<'_, '_>,
    response: &Response,
    what: &str,
) -> Result<(), CaseError> {
    let cx = case.cx;
    let declared = cx.rules.rate_limits.first().map(|r| r.exceeded);
    ensure!(
        !(200..300).contains(&response.status),
        "{what} was served past the quota (HTTP {}): remaining was 0",
        response.status
    );
    if declared == Some(RateLimitExceeded::Http429) {
        ensure!(
            response.status == 429,
            "{what} past the quota got HTTP {}, not 429: {}",
            response.status,
            rest::digest(response)
        );
    }
    if cx.rules.error_format.as_ref().map(|f| f.style) == Some(ErrorStyle::HttpStatus) {
        ensure!(
            rest::error_message(response).is_some(),
            "the 429 body is not a JSON object with a string `error`: {}",
            rest::digest(response)
        );
    }
    let h = HeaderQuota::of(response);
    ensure!(
        h.complete(),
        "the 429 lacks X-Rate-Limit-Limit, -Remaining or -Reset (limit {:?}, remaining {:?}, reset {:?})",
        h.limit,
        h.remaining,
        h.reset
    );
    ensure!(
        h.remaining == Some(0),
        "the 429 reports X-Rate-Limit-Remaining {:?}, not 0",
        h.remaining
    );
    Ok(())
}
