//! R7: a quota that the API reports nowhere (`@rateLimit(reportedBy: NONE)`: Healthmov, Worksome) is read from its
//! refusals. From the start of a window, exactly `limit` requests of a credential are served and the next is refused
//! in the API's error format with no data, marked as a quota refusal (HTTP 429 or the API's rate-limit code, as
//! declared); meanwhile another credential is still served, and the next window serves again.
//!
//! Where the declared effects give the credential a write of a marker ([`MarkerWrite`]) and the run may write, the
//! quota's refusal is also shown to change nothing (what R4 shows where the quota is reported): the write, sent
//! once the quota is spent, is refused; at the next window's start its marker is in no list, and the same write is
//! then accepted and listed (so the look is not blind). These requests count among the window's `limit`.
//!
//! Windows are taken as fixed and aligned to multiples of their length since the epoch (as the reference server
//! keeps them); a burst that straddles a window boundary is not judged but drawn again.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use runtime::rules::{RateLimitExceeded, RateLimitReport};

use crate::credentials::Credential;
use crate::ensure;
use crate::graphql::{Reply, rate_limit_code};
use crate::properties::effects::marker::MarkerWrite;
use crate::properties::effects::read;
use crate::properties::errors::entries::check_entries;
use crate::property::{
    Case, CaseError, Check, Context, Group, Property, check, graphql_endpoint, setup_failure,
};

pub static R7: Property = Property {
    id: "R7",
    name: "quota-felt",
    statement: "Where the quota is reported nowhere, it is felt: from a window's start exactly `limit` requests of a credential are served and the next is refused with the API's error, no data and the declared mark of a spent quota (HTTP 429 or its code), while another credential is still served; the next window serves again. Where the declared effects give the credential a write (and the run may write), that write sent once the quota is spent is refused and changes nothing: the next window's list lacks its marker, and the same write then succeeds and is listed.",
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
    let writes = match marker_writes(cx) {
        Ok(w) => w,
        Err(check) => return check,
    };
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
        // A marker no earlier attempt wrote (shrinking replays a case, and a replayed write succeeds).
        let marker = format!("conformance-r7-{:x}", now().as_nanos());
        let write = writes[pick].as_ref();
        // Once the quota is spent, the write is refused like any request.
        let b = Burst {
            url: &url,
            credential,
            other,
            limit,
            window,
        };
        burst(case, &b, None, || {
            let Some(write) = write else { return Ok(()) };
            let reply = write.send(case, &marker)?;
            refused_for_quota(case, &reply, &format!("the write {}", write.describe()))
        })?;
        // The next window serves again; the refused write left nothing, and the same write is applied now.
        let unwritten = |case: &Case<'_, '_>| -> Result<(), CaseError> {
            let Some(write) = write else { return Ok(()) };
            let what = write.describe();
            ensure!(
                !write.found(case, &marker)?,
                "the write {what} refused for the quota was applied: `{marker}` is listed in the next window"
            );
            let reply = write.send(case, &marker)?;
            ensure!(
                !reply.has_errors(),
                "the write {what}, refused for the quota, is refused again in a fresh window: {}",
                reply.error_digest(case.cx.rules)
            );
            ensure!(
                write.found(case, &marker)?,
                "the write {what} was accepted but `{marker}` is in no list: the look for the refused one \
                     proves nothing"
            );
            Ok(())
        };
        let b = Burst { other: None, ..b };
        burst(case, &b, Some(&unwritten), || Ok(()))
    })
}

/// Each credential's marker write, found in the world the main endpoint shows (the quota instance serves the same
/// fixtures); none where the run is read-only or the API declares no effects.
fn marker_writes(cx: &Context<'_>) -> Result<Vec<Option<MarkerWrite>>, Check> {
    let none = vec![None; cx.target.credentials.len()];
    if cx.settings.read_only || cx.rules.effects().next().is_none() {
        return Ok(none);
    }
    let mut setup = Case::new(cx);
    setup.graphql_url = cx.target.graphql_url();
    setup.retry_throttled = true;
    // Reading the world is not a burst: it keeps to the quota's pace.
    cx.client.pace_to_quota(true);
    let world = read::discover(&setup);
    cx.client.pace_to_quota(false);
    let world = world.map_err(|e| setup_failure(cx, &setup, e))?;
    Ok(cx
        .target
        .credentials
        .iter()
        .map(|c| {
            let actor = world.actors.iter().find(|a| a.credential == *c)?;
            MarkerWrite::of(cx.schema, &world, actor)
        })
        .collect())
}

fn now() -> Duration {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
}

/// One window's burst: whose quota, how large, and who else sends meanwhile.
struct Burst<'b> {
    url: &'b str,
    credential: &'b Credential,
    other: Option<&'b Credential>,
    limit: u32,
    window: u32,
}

/// What a burst sends besides its reads: at the window's start (its requests count among the served), and once the
/// quota is spent.
type First<'f> = Option<&'f dyn Fn(&Case<'_, '_>) -> Result<(), CaseError>>;

/// From the start of the next window: `first`, then reads up to `limit` requests served, the next refused,
/// `spent`, and `other` still served.
fn burst(
    case: &Case<'_, '_>,
    b: &Burst<'_>,
    first: First<'_>,
    spent: impl FnOnce() -> Result<(), CaseError>,
) -> Result<(), CaseError> {
    let limit = b.limit;
    let window = u64::from(b.window.max(1));
    let start = now().as_secs() / window + 1;
    std::thread::sleep(
        Duration::from_secs(start * window).saturating_sub(now()) + Duration::from_millis(15),
    );
    let sent_before = case.exchanges().len();
    if let Some(first) = first {
        first(case)?;
    }
    // What counts against this quota: the requests of this credential (another may read the lists).
    let used = case.exchanges()[sent_before..]
        .iter()
        .filter(|e| {
            e.request.headers.iter().any(|(n, v)| {
                n.eq_ignore_ascii_case("authorization") && *v == b.credential.authorization
            })
        })
        .count();
    if used >= limit as usize {
        return Err(CaseError::Inconclusive(format!(
            "the write's checks took {used} requests, the whole quota of {limit}"
        )));
    }
    let send = |c: &Credential| -> Result<Reply, CaseError> {
        case.graphql_at(b.url, Some(c), READ, None)
    };
    let mut replies = Vec::new();
    for _ in used..=limit as usize {
        replies.push(send(b.credential)?);
    }
    let spent = spent();
    let served_other = b.other.map(send).transpose()?;
    if now().as_secs() / window != start {
        return Err(CaseError::Reject(
            "the burst straddled a window boundary".to_owned(),
        ));
    }
    spent?;
    let (served, refused) = replies.split_at(replies.len() - 1);
    for (n, reply) in served.iter().enumerate() {
        ensure!(
            reply.data().is_some() && !reply.has_errors(),
            "request {} of a quota of {limit} was refused: {}",
            used + n + 1,
            reply.error_digest(case.cx.rules)
        );
    }
    refused_for_quota(
        case,
        &refused[0],
        &format!("request {} in one window of a quota of {limit}", limit + 1),
    )?;
    if let Some(reply) = served_other {
        ensure!(
            reply.data().is_some() && !reply.has_errors(),
            "another credential was refused while the first one's quota was spent: {}",
            reply.error_digest(case.cx.rules)
        );
    }
    Ok(())
}

/// A request past the spent quota is refused with no data, in the API's error format, marked as a quota refusal
/// where the API declares a mark (by its status where it declares 429, else by its code).
fn refused_for_quota(case: &Case<'_, '_>, refused: &Reply, what: &str) -> Result<(), CaseError> {
    ensure!(
        refused.has_errors() && refused.data().is_none(),
        "{what} was served: {}",
        refused.body
    );
    let declared = case.cx.rules.rate_limits.first().map(|r| r.exceeded);
    if declared == Some(RateLimitExceeded::Http429) || rate_limit_code(case.cx.rules).is_some() {
        ensure!(
            refused.is_rate_limited(case.cx.rules),
            "{what} was refused with HTTP {} and {}: nothing marks it as a spent quota (the API declares {})",
            refused.status,
            refused.error_digest(case.cx.rules),
            match rate_limit_code(case.cx.rules) {
                Some(code) => format!("the code `{code}`"),
                None => "HTTP 429".to_owned(),
            }
        );
    }
    check_entries(case.cx, refused)
}
