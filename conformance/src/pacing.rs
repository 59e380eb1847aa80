//! Against a target, what the run needs against its quota: said before the run starts, and the client paced so that
//! the run does not trip the quota, instead of going inconclusive once it is spent. A quota the target reports is
//! read, and paced to only when the run needs more than remains of it; a quota reported nowhere (Healthmov) is taken
//! as declared and always paced to, a tenth under it, since what remains of it cannot be known.

use runtime::rules::{ApiRules, RateLimitReport, Transport};

use crate::client::{Client, Request};
use crate::credentials::Credential;
use crate::property::Target;
use crate::rest::{self, HeaderQuota};

/// The share of a quota reported nowhere that the run uses: the rest is a margin for the requests it does not see
/// (another client of the same credential, clock skew at window boundaries).
pub const UNREPORTED_QUOTA_SHARE: f64 = 0.9;

/// The most requests a second against a target unless `--rate` says otherwise.
pub const TARGET_RATE: f64 = 10.0;

/// The budget against a target unless `--max-requests` says otherwise.
pub const TARGET_BUDGET: u64 = 5_000;

/// How long a default run against a target whose quota sets its pace is planned to take.
pub const DEFAULT_RUN_MINUTES: f64 = 10.0;

/// The request budget of a run against a target when `--max-requests` is not given: [`TARGET_BUDGET`], or, for a
/// quota reported nowhere (which the run is always paced to), what that pace serves in [`DEFAULT_RUN_MINUTES`]
/// (Healthmov's 100 a minute: 900), so that a default run ends in minutes and the plan is fitted to it.
pub fn default_budget(rules: &ApiRules, credentials: &[Credential]) -> u64 {
    let kind = credentials.first().and_then(|c| c.token_kind.as_deref());
    match rules.rate_limit_for(kind) {
        Some(quota) if quota.reported_by == RateLimitReport::None => {
            let per_second = (UNREPORTED_QUOTA_SHARE * f64::from(quota.limit)
                / f64::from(quota.window_seconds.max(1)))
            .min(TARGET_RATE);
            ((per_second * DEFAULT_RUN_MINUTES * 60.0) as u64).clamp(1, TARGET_BUDGET)
        }
        _ => TARGET_BUDGET,
    }
}

/// Reads the target's quota for its first credential and paces `client` to it when `needed` requests are more than
/// remain (or always, for a quota reported nowhere); returns what to tell the user, or `None` when the API declares
/// no quota or the reported one could not be read.
pub fn plan(client: &Client, target: &Target, needed: u64) -> Option<String> {
    let declared = target.rules.rate_limits.first()?;
    let credential = target.primary()?;
    if declared.reported_by == RateLimitReport::None {
        let (limit, window) = target.quota_for(credential.token_kind.as_deref())?;
        let per_second = UNREPORTED_QUOTA_SHARE * f64::from(limit) / f64::from(window.max(1));
        client.slow_to(per_second);
        let pace = client.rate().unwrap_or(per_second);
        return Some(format!(
            "this run needs about {needed} requests; the quota of `{}` is reported nowhere, so the declared {limit} \
             requests per {window} s is assumed and the run is paced to {pace:.2} requests a second ({}); lower \
             --cases or --max-requests, or --only some properties, to finish sooner",
            credential.name,
            duration(needed as f64 / pace)
        ));
    }
    let (limit, remaining, reset) = match declared.reported_by {
        RateLimitReport::QuotaField if target.rules.transport == Transport::Graphql => {
            let field = target.rules.fields.iter().find(|f| f.quota_field)?;
            let body = serde_json::json!({
                "query": format!("{{ __quota: {} {{ limit remaining resetAt }} }}", field.field_name)
            });
            let request = Request::post_json(&target.graphql_url(), body.to_string())
                .header("Authorization", &credential.authorization);
            let json = client.send(request).response.ok()?.json()?;
            let quota = json.get("data")?.get("__quota")?;
            let reset = quota
                .get("resetAt")
                .and_then(serde_json::Value::as_str)
                .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
                .map(|t| t.timestamp());
            (
                quota.get("limit")?.as_i64()?,
                quota.get("remaining")?.as_i64()?,
                reset,
            )
        }
        RateLimitReport::Headers => {
            let field = rest::bound(target.rules, runtime::rules::HttpMethod::Get).next()?;
            let account = credential.account.as_deref().unwrap_or_default();
            let request = rest::call_for(field, account).request(&target.url, Some(credential));
            let quota = HeaderQuota::of(client.send(request).response.as_ref().ok()?);
            let reset = quota.reset.as_deref().and_then(|r| r.parse::<i64>().ok());
            (quota.limit?, quota.remaining?, reset)
        }
        _ => return None,
    };
    // The window the target reports (its next reset) when it is shorter than the declared one (a test instance's).
    let declared_window = target
        .rules
        .rate_limit_for(credential.token_kind.as_deref())
        .unwrap_or(declared)
        .window_seconds
        .max(1);
    let now = chrono::Utc::now().timestamp();
    let window = reset
        .map(|r| (r - now).clamp(1, i64::from(declared_window)) as u32)
        .unwrap_or(declared_window);
    let per_second = limit.max(1) as f64 / f64::from(window);
    let quota = format!(
        "the target's quota for `{}` is {limit} requests, {remaining} remaining for {window} s",
        credential.name
    );
    if needed <= remaining.max(0) as u64 {
        return Some(format!("this run needs about {needed} requests; {quota}"));
    }
    client.slow_to(per_second);
    Some(format!(
        "this run needs about {needed} requests, more than remain: {quota}, so it is paced to {per_second:.2} \
         requests a second ({}); lower --cases or --max-requests, or --only some properties, to finish sooner",
        duration(needed as f64 / per_second)
    ))
}

/// A run's expected length, for people.
fn duration(seconds: f64) -> String {
    if seconds < 60.0 {
        "under a minute".to_owned()
    } else {
        format!("about {:.0} min", seconds / 60.0)
    }
}
