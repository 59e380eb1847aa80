//! Against a target, what the run needs against the quota the target reports: said before the run starts, and the
//! client paced to the quota when the run needs more than remains of it, instead of going inconclusive once the
//! quota is spent.

use runtime::rules::{RateLimitReport, Transport};

use crate::client::{Client, Request};
use crate::property::Target;
use crate::rest::{self, HeaderQuota};

/// Requests a case sends on average (a default run against the embedded server: 3,579 for 778 cases).
pub const REQUESTS_PER_CASE: u64 = 5;

/// Reads the target's quota for its first credential and paces `client` to it when `needed` requests are more than
/// remain; returns what to tell the user, or `None` when the API reports no quota or it could not be read.
pub fn plan(client: &Client, target: &Target, needed: u64) -> Option<String> {
    let declared = target.rules.rate_limits.first()?;
    let credential = target.primary()?;
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
    let minutes = needed as f64 / per_second / 60.0;
    Some(format!(
        "this run needs about {needed} requests, more than remain: {quota}, so it is paced to {per_second:.2} \
         requests a second (about {minutes:.0} min); lower --cases or --max-requests, or --only some properties, to \
         finish sooner"
    ))
}
