//! R1-R6: each property's cases against the quota the setup read.

use std::time::Duration;

use proptest::prelude::*;

use super::{
    Reader, check_refusal, drain, exhaust, fresh, quota_of, read, read_in_quota, read_ok, setup,
    sleep_window, wait_until,
};
use crate::credentials::Credential;
use crate::ensure;
use crate::property::{CaseError, Check, Context, check};
use crate::rest::{self, HeaderQuota};

pub(super) fn run_r1(cx: &Context<'_>) -> Check {
    let setup = match setup(cx, false) {
        Ok(s) => s,
        Err(c) => return c,
    };
    // One credential of each token kind: each kind has its own quota.
    let mut kinds: Vec<Credential> = Vec::new();
    for c in &setup.readers {
        if !kinds.iter().any(|k| k.token_kind == c.token_kind) {
            kinds.push(c.clone());
        }
    }
    check(cx, proptest::sample::select(kinds), |case, credential| {
        let (limit, window) = quota_of(cx, Some(&credential));
        let q = read_in_quota(case, &setup, Some(&credential))?;
        ensure!(
            q.limit == i64::from(limit),
            "the quota of `{}` (token kind {}) reports limit {}; the configured quota of that kind is {}",
            credential.name,
            credential.token_kind.as_deref().unwrap_or("any"),
            q.limit,
            limit
        );
        ensure!(
            (0..q.limit).contains(&q.remaining),
            "remaining is {}, outside 0..{} (this request counts)",
            q.remaining,
            q.limit
        );
        ensure!(q.cost >= 0, "the cost is negative: {}", q.cost);
        let Some(reset) = q.reset else {
            return Err(CaseError::fail(format!(
                "the reset {:?} is neither an RFC 3339 date-time nor a Unix time",
                q.reset_at
            )));
        };
        let left = rest::until_instant(reset);
        ensure!(
            left <= Duration::from_secs(u64::from(window) + 2),
            "the reset {} is {} s away, more than one window ({} s)",
            q.reset_at,
            left.as_secs(),
            window
        );
        if let Reader::Headers(field) = &setup.reader {
            // A refused authenticated request carries the headers too (an account that does not exist).
            let call = rest::call_for(field, "zz-conformance-no-such-account");
            let response = case.rest_at(cx.target.quota_url(), &call, Some(&credential))?;
            if response.status != 401 {
                let h = HeaderQuota::of(&response);
                ensure!(
                    h.complete(),
                    "an authenticated response (HTTP {}, an unknown account) lacks X-Rate-Limit-Limit, -Remaining or -Reset",
                    response.status
                );
            }
        }
        Ok(())
    })
}

pub(super) fn run_r2(cx: &Context<'_>) -> Check {
    let setup = match setup(cx, false) {
        Ok(s) => s,
        Err(c) => return c,
    };
    let limit = quota_of(cx, setup.primary()).0;
    let most = i64::from(limit).saturating_sub(3).clamp(0, 5);
    check(cx, 0..=most, |case, n| {
        let credential = setup.primary();
        let first = fresh(case, &setup, credential)?;
        for _ in 0..n {
            // Requests that read data (a document of only `__typename` reads none and may be exempt).
            if let Err(answer) = read(case, &setup, credential)? {
                return Err(CaseError::fail(format!(
                    "refused with {} remaining: {}",
                    first.remaining,
                    answer.digest(cx)
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
            "remaining went from {} to {} over {} requests of cost {}; expected {expected}",
            first.remaining,
            second.remaining,
            n + 1,
            second.cost
        );
        Ok(())
    })
}

pub(super) fn run_r3(cx: &Context<'_>) -> Check {
    let setup = match setup(cx, true) {
        Ok(s) => s,
        Err(c) => return c,
    };
    check(cx, Just(()), |case, ()| {
        let credential = setup.primary();
        exhaust(case, &setup, credential)?;
        match read(case, &setup, credential)? {
            Ok(q) => Err(CaseError::fail(format!(
                "a request was served past the quota: remaining was 0, and it reports remaining {}",
                q.remaining
            ))),
            Err(answer) => check_refusal(case, &answer, "a request"),
        }
    })
}

pub(super) fn run_r4(cx: &Context<'_>) -> Check {
    let setup = match setup(cx, true) {
        Ok(s) => s,
        Err(c) => return c,
    };
    let Some(probe) = crate::properties::write_probe(cx.rules) else {
        return Check::not_applicable("no write probe for this API yet");
    };
    let Some(writer) = setup.readers.iter().find(|c| (probe.can_write)(c)).cloned() else {
        return Check::not_applicable("no credential may write (give one with the write scope)");
    };
    check(cx, "[a-z]{8}", |case, marker| {
        let credential = Some(&writer);
        let marker = format!("conformance-r4-{marker}");
        let base = cx.target.quota_url();
        // A fresh window first: the probe's lookup must be served.
        let start = fresh(case, &setup, credential)?;
        let prepared = (probe.prepare)(case, base, credential)?;
        drain(case, &setup, credential, start)?;
        let answer = (probe.write)(case, base, credential, &prepared, &marker)?;
        check_refusal(case, &answer, "a write")?;
        match answer.reset_at() {
            Some(r) => wait_until(case, &r)?,
            None => sleep_window(case, quota_of(cx, credential).1)?,
        }
        let found = (probe.find)(case, base, credential, &prepared, &marker)?;
        ensure!(
            !found,
            "the write refused for the quota was applied: `{marker}` is in the store"
        );
        Ok(())
    })
}

pub(super) fn run_r5(cx: &Context<'_>) -> Check {
    let setup = match setup(cx, true) {
        Ok(s) => s,
        Err(c) => return c,
    };
    check(cx, Just(()), |case, ()| {
        let credential = setup.primary();
        let last = exhaust(case, &setup, credential)?;
        wait_until(case, &last.reset_at)?;
        let q = match read(case, &setup, credential)? {
            Ok(q) => q,
            Err(answer) => {
                return Err(CaseError::fail(format!(
                    "still refused after the reset {}: {}",
                    last.reset_at,
                    answer.digest(cx)
                )));
            }
        };
        ensure!(
            q.remaining == q.limit - q.cost,
            "after the reset, remaining is {}; a whole quota minus this request is {}",
            q.remaining,
            q.limit - q.cost
        );
        Ok(())
    })
}

pub(super) fn run_r6(cx: &Context<'_>) -> Check {
    let setup = match setup(cx, true) {
        Ok(s) => s,
        Err(c) => return c,
    };
    if setup.readers.len() < 2 {
        return Check::not_applicable(
            "one credential only: give a second one to check that quotas are per credential",
        );
    }
    check(cx, Just(()), |case, ()| {
        let a = setup.readers.first();
        let b = setup.readers.get(1);
        let start = fresh(case, &setup, a)?;
        let before = read_ok(case, &setup, b)?;
        drain(case, &setup, a, start)?;
        let after = match read(case, &setup, b)? {
            Ok(q) => q,
            Err(answer) => {
                return Err(CaseError::fail(format!(
                    "`{}` is refused after `{}` used its quota: {}",
                    b.map_or("", |c| c.name.as_str()),
                    a.map_or("", |c| c.name.as_str()),
                    answer.digest(cx)
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
