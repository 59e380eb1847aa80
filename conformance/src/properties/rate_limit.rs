//! Rate-limit properties R1–R6, for quotas reported by a quota field (`@rateLimit(reportedBy: QUOTA_FIELD)`, as
//! Greenhouse's `rateLimit { limit remaining resetAt cost }`). They send to the target's quota URL (the embedded run's
//! small-quota instance) and exhaust the quota of the first credential, so they run last.
//!
//! Quotas reported by headers (Workable's `X-Rate-Limit-*` and 429) plug in beside these with the REST checks.

use std::time::Duration;

use proptest::prelude::*;
use runtime::rules::{RateLimitExceeded, RateLimitReport};
use serde_json::Value;

use crate::credentials::Credential;
use crate::ensure;
use crate::graphql::{Reply, rate_limit_code, until};
use crate::property::{Case, CaseError, Check, Context, Group, Property, check};

pub static R1: Property = Property {
    id: "R1",
    name: "quota-reported",
    statement: "The quota field reports the configured limit, 0 <= remaining < limit, a cost, and a resetAt within one window from now.",
    group: Group::RateLimits,
    writes: false,
    max_cases: Some(4),
    run: run_r1,
};

pub static R2: Property = Property {
    id: "R2",
    name: "remaining-falls",
    statement: "Within a window, remaining falls by the cost of each request, exactly, and never rises.",
    group: Group::RateLimits,
    writes: false,
    max_cases: Some(6),
    run: run_r2,
};

pub static R3: Property = Property {
    id: "R3",
    name: "exhaustion-refused",
    statement: "Once remaining is 0, the next request is refused with the documented rate-limit error (code, limit, remaining 0, resetAt) and no data.",
    group: Group::RateLimits,
    writes: false,
    max_cases: Some(3),
    run: run_r3,
};

pub static R4: Property = Property {
    id: "R4",
    name: "throttled-no-effect",
    statement: "A mutation refused for the quota changes nothing: after the reset, what it would have written is not there.",
    group: Group::RateLimits,
    writes: true,
    max_cases: Some(2),
    run: run_r4,
};

pub static R5: Property = Property {
    id: "R5",
    name: "quota-resets",
    statement: "After resetAt the quota is whole again: the next request is served and remaining is limit minus its cost.",
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

/// The quota as the quota field reports it.
#[derive(Debug, Clone, PartialEq)]
pub struct Quota {
    pub limit: i64,
    pub remaining: i64,
    pub reset_at: String,
    pub cost: i64,
}

/// What the rate-limit properties need to know: the quota field and the configured quota.
struct Setup {
    field: String,
    limit: u32,
    window: u32,
}

fn setup(cx: &Context<'_>, exhausts: bool) -> Result<Setup, Check> {
    let credential = cx.target.primary();
    let Some(declared) = cx
        .rules
        .rate_limit_for(credential.and_then(|c| c.token_kind.as_deref()))
    else {
        return Err(Check::not_applicable("the API declares no @rateLimit"));
    };
    if declared.reported_by != RateLimitReport::QuotaField {
        return Err(Check::not_applicable(format!(
            "the quota is reported by {:?}: checked with the REST properties",
            declared.reported_by
        )));
    }
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
    let (limit, window) = cx
        .target
        .quota
        .unwrap_or((declared.limit, declared.window_seconds));
    if exhausts && Duration::from_secs(u64::from(window)) > cx.settings.max_wait {
        return Err(Check::inconclusive(
            format!(
                "the quota window is {window} s, longer than --max-wait {} s: exhausting it would lock the credential out",
                cx.settings.max_wait.as_secs()
            ),
            0,
        ));
    }
    Ok(Setup {
        field: field.field_name.to_owned(),
        limit,
        window,
    })
}

/// Reads the quota; `Ok(Err(reply))` when the request itself was refused.
fn read(
    case: &Case<'_, '_>,
    setup: &Setup,
    credential: Option<&Credential>,
) -> Result<Result<Quota, Reply>, CaseError> {
    let query = format!(
        "{{ __quota: {} {{ limit remaining resetAt cost }} }}",
        setup.field
    );
    let reply = case.graphql_at(case.cx.target.quota_url(), credential, &query, None)?;
    let Some(q) = reply.field("__quota") else {
        return Ok(Err(reply));
    };
    let int = |k: &str| {
        q.get(k)
            .and_then(Value::as_i64)
            .ok_or_else(|| CaseError::fail(format!("`{}.{k}` is not an integer: {q}", setup.field)))
    };
    Ok(Ok(Quota {
        limit: int("limit")?,
        remaining: int("remaining")?,
        reset_at: q
            .get("resetAt")
            .and_then(Value::as_str)
            .ok_or_else(|| {
                CaseError::fail(format!("`{}.resetAt` is not a string: {q}", setup.field))
            })?
            .to_owned(),
        cost: q.get("cost").and_then(Value::as_i64).unwrap_or(1),
    }))
}

/// Reads the quota, which must be served.
fn read_ok(
    case: &Case<'_, '_>,
    setup: &Setup,
    credential: Option<&Credential>,
) -> Result<Quota, CaseError> {
    match read(case, setup, credential)? {
        Ok(q) => Ok(q),
        Err(reply) => Err(CaseError::fail(format!(
            "the quota query was not served: {}",
            reply.error_digest(case.cx.rules)
        ))),
    }
}

/// Sleeps until an RFC 3339 instant (bounded by --max-wait).
fn wait_until(case: &Case<'_, '_>, reset_at: &str) -> Result<(), CaseError> {
    let Some(wait) = until(reset_at) else {
        return Err(CaseError::fail(format!(
            "resetAt {reset_at:?} is not an RFC 3339 date-time"
        )));
    };
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
fn sleep_window(case: &Case<'_, '_>, setup: &Setup) -> Result<(), CaseError> {
    let window = Duration::from_secs(u64::from(setup.window));
    if window > case.cx.settings.max_wait {
        return Err(CaseError::Inconclusive(format!(
            "no resetAt to wait for, and the quota window ({} s) is longer than --max-wait",
            setup.window
        )));
    }
    std::thread::sleep(window);
    Ok(())
}

/// Waits for a fresh window and returns the first reading in it: at once when the quota is whole (remaining =
/// limit - cost), otherwise the first reading after the window's `resetAt`.
fn fresh(
    case: &Case<'_, '_>,
    setup: &Setup,
    credential: Option<&Credential>,
) -> Result<Quota, CaseError> {
    let reset = match read(case, setup, credential)? {
        Ok(q) if q.remaining == q.limit - q.cost => return Ok(q),
        Ok(q) => Some(q.reset_at),
        Err(reply) => reply.errors().iter().find_map(|e| {
            e.get("resetAt")
                .or_else(|| e.get("extensions").and_then(|x| x.get("resetAt")))
                .and_then(Value::as_str)
                .map(str::to_owned)
        }),
    };
    match reset {
        Some(r) => wait_until(case, &r)?,
        None => sleep_window(case, setup)?,
    }
    match read(case, setup, credential)? {
        Ok(q) => Ok(q),
        Err(reply) => Err(CaseError::fail(format!(
            "still refused after the window's resetAt: {}",
            reply.error_digest(case.cx.rules)
        ))),
    }
}

/// Uses the rest of the window's quota with quota queries, checking each reading; returns the last reading.
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
    let mut last = start;
    let mut sent = 0;
    while last.remaining > 0 {
        let next = match read(case, setup, credential)? {
            Ok(q) => q,
            Err(reply) => {
                return Err(CaseError::fail(format!(
                    "refused with {} remaining: {}",
                    last.remaining,
                    reply.error_digest(case.cx.rules)
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
            sent <= i64::from(setup.limit) + 1,
            "remaining never reaches 0: {} requests in one window of a quota of {}",
            sent,
            setup.limit
        );
    }
    Ok(last)
}

/// Checks the documented refusal.
fn check_refusal(case: &Case<'_, '_>, reply: &Reply, what: &str) -> Result<(), CaseError> {
    let cx = case.cx;
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
    let declared = cx.rules.rate_limits.first().map(|r| r.exceeded);
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
            .and_then(until)
            .is_some(),
        "the rate-limit error has no RFC 3339 `resetAt`: {entry}"
    );
    Ok(())
}

fn run_r1(cx: &Context<'_>) -> Check {
    let setup = match setup(cx, false) {
        Ok(s) => s,
        Err(c) => return c,
    };
    check(cx, Just(()), |case, ()| {
        let q = read_ok(case, &setup, cx.target.primary())?;
        ensure!(
            q.limit == i64::from(setup.limit),
            "`{}.limit` is {}; the configured quota is {}",
            setup.field,
            q.limit,
            setup.limit
        );
        ensure!(
            (0..q.limit).contains(&q.remaining),
            "`{}.remaining` is {}, outside 0..{} (this request counts)",
            setup.field,
            q.remaining,
            q.limit
        );
        ensure!(
            q.cost >= 0,
            "`{}.cost` is negative: {}",
            setup.field,
            q.cost
        );
        let Some(left) = until(&q.reset_at) else {
            return Err(CaseError::fail(format!(
                "`resetAt` {:?} is not an RFC 3339 date-time",
                q.reset_at
            )));
        };
        ensure!(
            left <= Duration::from_secs(u64::from(setup.window) + 2),
            "`resetAt` {} is {} s away, more than one window ({} s)",
            q.reset_at,
            left.as_secs(),
            setup.window
        );
        Ok(())
    })
}

fn run_r2(cx: &Context<'_>) -> Check {
    let setup = match setup(cx, false) {
        Ok(s) => s,
        Err(c) => return c,
    };
    let most = i64::from(setup.limit).saturating_sub(3).clamp(0, 5);
    check(cx, 0..=most, |case, n| {
        let credential = cx.target.primary();
        let first = fresh(case, &setup, credential)?;
        for _ in 0..n {
            // Requests that read data (a document of only `__typename` reads none and may be exempt).
            if let Err(reply) = read(case, &setup, credential)? {
                return Err(CaseError::fail(format!(
                    "refused with {} remaining: {}",
                    first.remaining,
                    reply.error_digest(cx.rules)
                )));
            }
        }
        let second = read_ok(case, &setup, credential)?;
        if second.reset_at != first.reset_at {
            return Err(CaseError::Reject("the window reset in between".to_owned()));
        }
        let expected = first.remaining - (n + 1) * second.cost;
        ensure!(
            second.remaining == expected,
            "`remaining` went from {} to {} over {} requests of cost {}; expected {expected}",
            first.remaining,
            second.remaining,
            n + 1,
            second.cost
        );
        Ok(())
    })
}

fn run_r3(cx: &Context<'_>) -> Check {
    let setup = match setup(cx, true) {
        Ok(s) => s,
        Err(c) => return c,
    };
    check(cx, Just(()), |case, ()| {
        let credential = cx.target.primary();
        exhaust(case, &setup, credential)?;
        match read(case, &setup, credential)? {
            Ok(q) => Err(CaseError::fail(format!(
                "a request was served past the quota: remaining was 0, and it reports remaining {}",
                q.remaining
            ))),
            Err(reply) => check_refusal(case, &reply, "a request"),
        }
    })
}

fn run_r4(cx: &Context<'_>) -> Check {
    let setup = match setup(cx, true) {
        Ok(s) => s,
        Err(c) => return c,
    };
    let Some(probe) = crate::properties::write_probe(cx.rules) else {
        return Check::not_applicable("no write probe for this API yet");
    };
    check(cx, "[a-z]{8}", |case, marker| {
        let credential = cx.target.primary();
        let marker = format!("conformance-r4-{marker}");
        exhaust(case, &setup, credential)?;
        let reply = case.graphql_at(
            cx.target.quota_url(),
            credential,
            &(probe.write)(&marker),
            None,
        )?;
        check_refusal(case, &reply, "a mutation")?;
        let reset = reply
            .errors()
            .iter()
            .find_map(|e| e.get("resetAt").and_then(Value::as_str).map(str::to_owned));
        match reset {
            Some(r) => wait_until(case, &r)?,
            None => sleep_window(case, &setup)?,
        }
        let found = (probe.find)(case, cx.target.quota_url(), credential, &marker)?;
        ensure!(
            !found,
            "the mutation refused for the quota was applied: `{marker}` is in the store"
        );
        Ok(())
    })
}

fn run_r5(cx: &Context<'_>) -> Check {
    let setup = match setup(cx, true) {
        Ok(s) => s,
        Err(c) => return c,
    };
    check(cx, Just(()), |case, ()| {
        let credential = cx.target.primary();
        let last = exhaust(case, &setup, credential)?;
        wait_until(case, &last.reset_at)?;
        let q = match read(case, &setup, credential)? {
            Ok(q) => q,
            Err(reply) => {
                return Err(CaseError::fail(format!(
                    "still refused after resetAt {}: {}",
                    last.reset_at,
                    reply.error_digest(cx.rules)
                )));
            }
        };
        ensure!(
            q.remaining == q.limit - q.cost,
            "after resetAt, remaining is {}; a whole quota minus this request is {}",
            q.remaining,
            q.limit - q.cost
        );
        Ok(())
    })
}

fn run_r6(cx: &Context<'_>) -> Check {
    let setup = match setup(cx, true) {
        Ok(s) => s,
        Err(c) => return c,
    };
    if cx.target.credentials.len() < 2 {
        return Check::not_applicable(
            "one credential only: give a second one to check that quotas are per credential",
        );
    }
    check(cx, Just(()), |case, ()| {
        let a = cx.target.credentials.first();
        let b = cx.target.credentials.get(1);
        let start = fresh(case, &setup, a)?;
        let before = read_ok(case, &setup, b)?;
        drain(case, &setup, a, start)?;
        let after = match read(case, &setup, b)? {
            Ok(q) => q,
            Err(reply) => {
                return Err(CaseError::fail(format!(
                    "`{}` is refused after `{}` used its quota: {}",
                    b.map_or("", |c| c.name.as_str()),
                    a.map_or("", |c| c.name.as_str()),
                    reply.error_digest(cx.rules)
                )));
            }
        };
        if after.reset_at != before.reset_at {
            return Err(CaseError::Reject(
                "the second credential's window reset in between".to_owned(),
            ));
        }
        ensure!(
            after.remaining == before.remaining - after.cost,
            "the second credential's remaining went from {} to {} while only the first one sent",
            before.remaining,
            after.remaining
        );
        Ok(())
    })
}
