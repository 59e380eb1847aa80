//! R7: a quota that the API reports nowhere (`@rateLimit(reportedBy: NONE)`, Healthmov) is read from its refusals.
//! From the start of a window, exactly `limit` requests of a credential are served and the next is refused in the
//! API's error format with no data, marked as a quota refusal (HTTP 429 or the API's rate-limit code, as declared);
//! meanwhile another credential is still served, and the next window serves again.
//!
//! Windows are taken as fixed and aligned to multiples of their length since the epoch (as the reference server
//! keeps them); a burst that straddles a window boundary is not judged but drawn again.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use runtime::rules::{RateLimitExceeded, RateLimitReport};

use crate::credentials::Credential;
use crate::ensure;
use crate::graphql::{Reply, rate_limit_code};
use crate::properties::errors::check_entries;
use crate::property::{Case, CaseError, Check, Context, Group, Property, check, graphql_endpoint};

pub static R7: Property = Property {
    id: "R7",
    name: "quota-felt",
    statement: "Where the quota is reported nowhere, it is felt: from a window's start exactly `limit` requests of a credential are served and the next is refused with the API's error, no data and the declared mark of a spent quota (HTTP 429 or its code), while another credential is still served; the next window serves again.",
    group: Group::RateLimits,
    writes: false,
    max_cases: Some(3),
    run,
};

/// A request every credential may send and that changes nothing.
const READ: &str = "{ __typename }";

fn run(cx: &Context<'_>) -> Check {
    let Some(declared) = cx.rules.rate_limits.first() else {
        return Check::not_applicable("the API declares no @rateLimit");
    };
    if declared.reported_by != RateLimitReport::None {
        return Check::not_applicable("the API reports its quota: R1-R6 read it");
    }
    let Some(primary) = cx.target.primary() else {
        return Check::not_applicable("no credential");
    };
    let (limit, window) = cx
        .target
        .quota_for(primary.token_kind.as_deref())
        .unwrap_or((0, 0));
    if limit == 0 || Duration::from_secs(u64::from(window)) > cx.settings.max_wait {
        return Check::inconclusive(
            format!(
                "the quota window is {window} s, longer than --max-wait {} s: exhausting it would lock the credential out",
                cx.settings.max_wait.as_secs()
            ),
            0,
        );
    }
    let url = graphql_endpoint(cx.rules, cx.target.quota_url());
    let credentials = cx.target.credentials.clone();
    check(cx, 0..credentials.len(), |case, pick| {
        let credential = &credentials[pick];
        let other = credentials
            .iter()
            .find(|c| c.authorization != credential.authorization);
        let (limit, window) = case
            .cx
            .target
            .quota_for(credential.token_kind.as_deref())
            .unwrap_or((limit, window));
        burst(case, &url, credential, other, limit, window)?;
        // The next window serves again.
        burst(case, &url, credential, None, limit, window)
    })
}

/// From the start of the next window: `limit` requests served, the next refused, `other` still served.
fn burst(
    case: &Case<'_, '_>,
    url: &str,
    credential: &Credential,
    other: Option<&Credential>,
    limit: u32,
    window: u32,
) -> Result<(), CaseError> {
    let window = u64::from(window.max(1));
    let now = || {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
    };
    let start = now().as_secs() / window + 1;
    std::thread::sleep(
        Duration::from_secs(start * window).saturating_sub(now()) + Duration::from_millis(15),
    );
    let send =
        |c: &Credential| -> Result<Reply, CaseError> { case.graphql_at(url, Some(c), READ, None) };
    let mut replies = Vec::new();
    for _ in 0..=limit {
        replies.push(send(credential)?);
    }
    let served_other = other.map(send).transpose()?;
    if now().as_secs() / window != start {
        return Err(CaseError::Reject(
            "the burst straddled a window boundary".to_owned(),
        ));
    }
    for (n, reply) in replies.iter().take(limit as usize).enumerate() {
        ensure!(
            reply.data().is_some() && !reply.has_errors(),
            "request {} of a quota of {limit} was refused: {}",
            n + 1,
            reply.error_digest(case.cx.rules)
        );
    }
    let refused = &replies[limit as usize];
    ensure!(
        refused.has_errors() && refused.data().is_none(),
        "request {} in one window of a quota of {limit} was served",
        limit + 1
    );
    // The refusal must be recognisable as one: by its status where the API declares 429, else by its code.
    let declared = case.cx.rules.rate_limits.first().map(|r| r.exceeded);
    if declared == Some(RateLimitExceeded::Http429) || rate_limit_code(case.cx.rules).is_some() {
        ensure!(
            refused.is_rate_limited(case.cx.rules),
            "request {} in one window of a quota of {limit} was refused with HTTP {} and {}: nothing marks it as a \
             spent quota (the API declares {})",
            limit + 1,
            refused.status,
            refused.error_digest(case.cx.rules),
            match rate_limit_code(case.cx.rules) {
                Some(code) => format!("the code `{code}`"),
                None => "HTTP 429".to_owned(),
            }
        );
    }
    check_entries(case.cx, refused)?;
    if let Some(reply) = served_other {
        ensure!(
            reply.data().is_some() && !reply.has_errors(),
            "another credential was refused while the first one's quota was spent: {}",
            reply.error_digest(case.cx.rules)
        );
    }
    Ok(())
}
