//! Rule changes declared on `schema`: the API's path and transport, auth (scheme, roles, scopes, token kinds), the
//! error format and its codes, the rate limits per token kind, the complexity maximum.

use std::collections::BTreeMap;

use runtime::rules::{ApiRules as Rules, RateLimit, Text};

use super::{everyone, minus, sdl, show, tagged};
use crate::diff::change::{Criticality, Found};

use Criticality::{Breaking, Dangerous, Safe};

/// Every change of what `schema` declares. `renamed`: whether `@api`'s name, title or document changed (the table
/// names an API without `@api` after its file, which is no change of the API).
pub(super) fn changes(out: &mut Found, old: &Rules, new: &Rules, renamed: bool) {
    api(out, old, new, renamed);
    auth(out, old, new);
    errors(out, old, new);
    rate_limits(out, old, new);
    complexity(out, old, new);
}

fn api(out: &mut Found, old: &Rules, new: &Rules, renamed: bool) {
    if old.path != new.path {
        out.push_for(
            "API_PATH_CHANGED",
            Breaking,
            "schema",
            format!("The API moved from `{}` to `{}`", old.path, new.path),
            "Clients still call the old endpoint or route prefix.",
            everyone(),
        );
    }
    if old.transport != new.transport {
        out.push_for(
            "TRANSPORT_CHANGED",
            Breaking,
            "schema",
            format!(
                "Transport changed from {} to {}",
                sdl(old.transport),
                sdl(new.transport)
            ),
            "Clients speak the old protocol.",
            everyone(),
        );
    }
    if renamed {
        out.push_for(
            "API_METADATA_CHANGED",
            Safe,
            "schema",
            "The API's name, title or source document changed".to_owned(),
            "Names and titles are for people and generated module names; no request changes.",
            Vec::new(),
        );
    }
}

fn auth(out: &mut Found, old: &Rules, new: &Rules) {
    match (&old.auth, &new.auth) {
        (None, Some(auth)) => out.push_for(
            "AUTH_ADDED",
            Breaking,
            "schema",
            format!("Credentials are now required ({})", sdl(auth.scheme)),
            "Every request without credentials is refused, except to `@public` fields.",
            vec!["anonymous".to_owned()],
        ),
        (Some(auth), None) => out.push_for(
            "AUTH_REMOVED",
            Dangerous,
            "schema",
            format!("Credentials ({}) are no longer required", sdl(auth.scheme)),
            "Anyone may now call every field; clients keep working, but nothing is protected.",
            Vec::new(),
        ),
        (Some(a), Some(b)) => {
            if a.scheme != b.scheme {
                out.push_for(
                    "AUTH_SCHEME_CHANGED",
                    Breaking,
                    "schema",
                    format!(
                        "Auth scheme changed from {} to {}",
                        sdl(a.scheme),
                        sdl(b.scheme)
                    ),
                    "Every client sends credentials the old way.",
                    everyone(),
                );
            }
            let removed = |what: &str,
                           before: &[Text],
                           after: &[Text],
                           kind: &'static str,
                           tag: &str,
                           level: Criticality,
                           reason: &str,
                           out: &mut Found| {
                for name in minus(before, after) {
                    out.push_for(
                        kind,
                        level,
                        "schema",
                        format!("{what} `{name}` is no longer declared"),
                        reason,
                        tagged(tag, [name]),
                    );
                }
            };
            removed(
                "Role",
                &a.roles,
                &b.roles,
                "AUTH_ROLE_REMOVED",
                "role",
                Breaking,
                "Credentials of that role no longer exist, or carry no meaning.",
                out,
            );
            removed(
                "Scope",
                &a.scopes,
                &b.scopes,
                "AUTH_SCOPE_REMOVED",
                "scope",
                Dangerous,
                "Tokens that carry it keep working, but it no longer grants anything.",
                out,
            );
            removed(
                "Token kind",
                &a.token_kinds,
                &b.token_kinds,
                "AUTH_TOKEN_KIND_REMOVED",
                "tokenKind",
                Breaking,
                "Tokens of that kind are no longer issued or accepted.",
                out,
            );
            for (what, before, after, kind) in [
                ("Role", &a.roles, &b.roles, "AUTH_ROLE_ADDED"),
                ("Scope", &a.scopes, &b.scopes, "AUTH_SCOPE_ADDED"),
                (
                    "Token kind",
                    &a.token_kinds,
                    &b.token_kinds,
                    "AUTH_TOKEN_KIND_ADDED",
                ),
            ] {
                for name in minus(after, before) {
                    out.push_for(
                        kind,
                        Safe,
                        "schema",
                        format!("{what} `{name}` is now declared"),
                        "Existing credentials are unaffected.",
                        Vec::new(),
                    );
                }
            }
        }
        (None, None) => {}
    }
}

fn errors(out: &mut Found, old: &Rules, new: &Rules) {
    let style = |rules: &Rules| rules.error_format.as_ref().map(|f| f.style);
    if style(old) != style(new) {
        out.push_for(
            "ERROR_FORMAT_CHANGED",
            Breaking,
            "schema",
            format!(
                "Error format changed from {} to {}",
                show(style(old).map(sdl)),
                show(style(new).map(sdl))
            ),
            "Clients read errors and their codes where the old format put them.",
            everyone(),
        );
    }
    let (Some(a), Some(b)) = (&old.error_format, &new.error_format) else {
        return;
    };
    if a.http_status != b.http_status {
        out.push_for(
            "ERROR_HTTP_STATUS_CHANGED",
            Breaking,
            "schema",
            format!(
                "The HTTP status of errors changed from {} to {}",
                show(a.http_status),
                show(b.http_status)
            ),
            "Clients that branch on the status take the wrong branch.",
            everyone(),
        );
    }
    // What the document fixes about particular failures: a changed promise breaks the clients that rely on it; one
    // made or withdrawn is worth a look.
    let promises = [
        (
            "ERROR_PARSE_STATUS_CHANGED",
            "The HTTP status of a parse failure",
            a.parse_failure_status.map(|s| s.to_string()),
            b.parse_failure_status.map(|s| s.to_string()),
        ),
        (
            "ERROR_UNAUTHENTICATED_MESSAGE_CHANGED",
            "The message refusing missing credentials",
            a.unauthenticated_message
                .as_deref()
                .map(|m| format!("`{m}`")),
            b.unauthenticated_message
                .as_deref()
                .map(|m| format!("`{m}`")),
        ),
        (
            "ERROR_UNAUTHORIZED_MESSAGE_CHANGED",
            "The message refusing a caller without the role",
            a.unauthorized_message.as_deref().map(|m| format!("`{m}`")),
            b.unauthorized_message.as_deref().map(|m| format!("`{m}`")),
        ),
    ];
    for (kind, what, before, after) in promises {
        if before == after {
            continue;
        }
        let level = if before.is_some() && after.is_some() {
            Breaking
        } else {
            Dangerous
        };
        out.push_for(
            kind,
            level,
            "schema",
            format!("{what} changed from {} to {}", show(before), show(after)),
            "Clients that branch on it take the wrong branch.",
            everyone(),
        );
    }
    for code in minus(&a.codes, &b.codes) {
        out.push_for(
            "ERROR_CODE_REMOVED",
            Breaking,
            "schema",
            format!("Error code `{code}` was removed"),
            "Failures that carried it now carry another code, which clients that handle this one do not expect.",
            everyone(),
        );
    }
    for code in minus(&b.codes, &a.codes) {
        out.push_for(
            "ERROR_CODE_ADDED",
            Dangerous,
            "schema",
            format!("Error code `{code}` was added"),
            "Clients that handle every documented code may not handle this one.",
            Vec::new(),
        );
    }
}

fn quota_key(limit: &RateLimit) -> Vec<String> {
    let mut kinds: Vec<String> = limit.token_kinds.iter().map(|k| k.to_string()).collect();
    kinds.sort();
    kinds
}

fn quota_affects(kinds: &[String]) -> Vec<String> {
    if kinds.is_empty() {
        everyone()
    } else {
        tagged("tokenKind", kinds)
    }
}

fn rate_limits(out: &mut Found, old: &Rules, new: &Rules) {
    let index = |rules: &'_ Rules| -> BTreeMap<Vec<String>, usize> {
        rules
            .rate_limits
            .iter()
            .enumerate()
            .map(|(i, l)| (quota_key(l), i))
            .collect()
    };
    let (before, after) = (index(old), index(new));
    for (kinds, &i) in &before {
        let a = &old.rate_limits[i];
        let Some(&j) = after.get(kinds) else {
            out.push_for(
                "RATE_LIMIT_REMOVED",
                Safe,
                "schema",
                format!(
                    "The quota of {} requests per {} s was removed",
                    a.limit, a.window_seconds
                ),
                "Clients are refused less, never more.",
                quota_affects(kinds),
            );
            continue;
        };
        let b = &new.rate_limits[j];
        if b.limit < a.limit {
            out.push_for(
                "RATE_LIMIT_LOWERED",
                Breaking,
                "schema",
                format!(
                    "The quota fell from {} to {} requests per window",
                    a.limit, b.limit
                ),
                "Clients that paced themselves to the old quota are refused.",
                quota_affects(kinds),
            );
        } else if b.limit > a.limit {
            out.push_for(
                "RATE_LIMIT_RAISED",
                Safe,
                "schema",
                format!(
                    "The quota rose from {} to {} requests per window",
                    a.limit, b.limit
                ),
                "Clients are refused less, never more.",
                quota_affects(kinds),
            );
        }
        if b.window_seconds > a.window_seconds {
            out.push_for("RATE_LIMIT_WINDOW_LENGTHENED", Breaking, "schema", format!("The quota window grew from {} s to {} s", a.window_seconds, b.window_seconds), "A spent quota takes longer to come back: clients paced to the old window are refused.", quota_affects(kinds));
        } else if b.window_seconds < a.window_seconds {
            out.push_for(
                "RATE_LIMIT_WINDOW_SHORTENED",
                Safe,
                "schema",
                format!(
                    "The quota window shrank from {} s to {} s",
                    a.window_seconds, b.window_seconds
                ),
                "A spent quota comes back sooner.",
                quota_affects(kinds),
            );
        }
        if (&a.reported_by, &a.exceeded) != (&b.reported_by, &b.exceeded) {
            out.push_for(
                "RATE_LIMIT_REPORTING_CHANGED",
                Breaking,
                "schema",
                format!(
                    "Quota reporting changed from {}/{} to {}/{}",
                    sdl(a.reported_by),
                    sdl(a.exceeded),
                    sdl(b.reported_by),
                    sdl(b.exceeded)
                ),
                "Clients read their quota, or recognise its exhaustion, where they no longer find it.",
                quota_affects(kinds),
            );
        }
    }
    for (kinds, &j) in &after {
        if !before.contains_key(kinds) {
            let b = &new.rate_limits[j];
            out.push_for(
                "RATE_LIMIT_ADDED",
                Breaking,
                "schema",
                format!(
                    "A quota of {} requests per {} s was added",
                    b.limit, b.window_seconds
                ),
                "Clients that never paced themselves are refused past it.",
                quota_affects(kinds),
            );
        }
    }
}

fn complexity(out: &mut Found, old: &Rules, new: &Rules) {
    match (
        old.complexity.map(|c| c.maximum),
        new.complexity.map(|c| c.maximum),
    ) {
        (Some(a), Some(b)) if b < a => out.push_for(
            "COMPLEXITY_MAXIMUM_LOWERED",
            Breaking,
            "schema",
            format!("The complexity maximum fell from {a} to {b}"),
            "Operations scoring between the two are now refused whole.",
            everyone(),
        ),
        (Some(a), Some(b)) if b > a => out.push_for(
            "COMPLEXITY_MAXIMUM_RAISED",
            Safe,
            "schema",
            format!("The complexity maximum rose from {a} to {b}"),
            "Every operation accepted before still is.",
            Vec::new(),
        ),
        (None, Some(b)) => out.push_for(
            "COMPLEXITY_MAXIMUM_ADDED",
            Breaking,
            "schema",
            format!("A complexity maximum of {b} was added"),
            "Operations scoring above it are now refused whole.",
            everyone(),
        ),
        (Some(a), None) => out.push_for(
            "COMPLEXITY_MAXIMUM_REMOVED",
            Safe,
            "schema",
            format!("The complexity maximum of {a} was removed"),
            "Every operation accepted before still is.",
            Vec::new(),
        ),
        _ => {}
    }
}
