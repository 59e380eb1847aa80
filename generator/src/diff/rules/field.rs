//! Rule changes declared on a field: roles, scopes, `@public`, pagination, cost, the quota and complexity report
//! fields, REST bindings and invariants.

use runtime::rules::{
    ApiRules as Rules, FieldRules, Invariant, InvariantEffect, OverMaxPolicy, Pagination, Text,
};

use super::{everyone, minus, sdl, show, tagged};
use crate::diff::change::{Criticality, Found};

use Criticality::{Breaking, Dangerous, Safe};

/// Every change of what one field declares (`a` before, `b` after; `new`: the new schema's rules).
pub(super) fn changes(
    out: &mut Found,
    coordinate: &str,
    a: &FieldRules,
    b: &FieldRules,
    new: &Rules,
) {
    roles(out, coordinate, a, b, new);
    for scope in minus(&b.scopes, &a.scopes) {
        out.push_for(
            "SCOPE_REQUIREMENT_ADDED",
            Breaking,
            coordinate,
            format!("`{coordinate}` now requires scope `{scope}`"),
            "Tokens without the scope are refused.",
            tagged("lacking-scope", [scope]),
        );
    }
    for scope in minus(&a.scopes, &b.scopes) {
        out.push_for("SCOPE_REQUIREMENT_REMOVED", Dangerous, coordinate, format!("`{coordinate}` no longer requires scope `{scope}`"), "Tokens without the scope are now served: clients keep working, but fewer are kept out.", tagged("lacking-scope", [scope]));
    }
    if a.public && !b.public {
        out.push_for(
            "PUBLIC_REMOVED",
            Breaking,
            coordinate,
            format!("`{coordinate}` now needs credentials"),
            "Callers without credentials are refused.",
            vec!["anonymous".to_owned()],
        );
    } else if !a.public && b.public {
        out.push_for(
            "PUBLIC_ADDED",
            Dangerous,
            coordinate,
            format!("`{coordinate}` no longer needs credentials"),
            "Anyone may now call it.",
            vec!["anonymous".to_owned()],
        );
    }
    pagination(
        out,
        coordinate,
        a.pagination.as_ref(),
        b.pagination.as_ref(),
    );
    cost(out, coordinate, a.cost, b.cost, new.complexity.is_some());
    for (flag, before, after) in [
        ("quota", a.quota_field, b.quota_field),
        ("complexity", a.complexity_field, b.complexity_field),
    ] {
        if before != after {
            let kind = if flag == "quota" {
                "QUOTA_FIELD_CHANGED"
            } else {
                "COMPLEXITY_FIELD_CHANGED"
            };
            out.push_for(
                kind,
                Dangerous,
                coordinate,
                format!(
                    "`{coordinate}` {} the {flag} report",
                    if after {
                        "now carries"
                    } else {
                        "no longer carries"
                    }
                ),
                "Clients that read their quota or score from this field look elsewhere.",
                Vec::new(),
            );
        }
    }
    rest(out, coordinate, a, b);
    invariants(out, coordinate, a, b);
}

fn roles(out: &mut Found, coordinate: &str, a: &FieldRules, b: &FieldRules, new: &Rules) {
    let declared: &[Text] = new.auth.as_ref().map_or(&[], |auth| &auth.roles[..]);
    match (a.roles.is_empty(), b.roles.is_empty()) {
        (true, true) => {}
        (true, false) => {
            let losing: Vec<&Text> = declared.iter().filter(|r| !b.roles.contains(r)).collect();
            out.push_for(
                "ROLE_REQUIREMENT_ADDED",
                Breaking,
                coordinate,
                format!("`{coordinate}` now requires role {}", b.roles.join(" or ")),
                "Credentials of any other role are refused with the API's authorization error.",
                if losing.is_empty() { everyone() } else { tagged("role", losing) },
            );
        }
        (false, true) => out.push_for(
            "ROLE_REQUIREMENT_REMOVED",
            Dangerous,
            coordinate,
            format!("`{coordinate}` no longer requires role {}", a.roles.join(" or ")),
            "Every credential may now call it: clients keep working, but roles that were kept out are let in.",
            tagged("role", declared.iter().filter(|r| !a.roles.contains(*r))),
        ),
        (false, false) => {
            let lost = minus(&a.roles, &b.roles);
            if !lost.is_empty() {
                out.push_for(
                    "ROLE_REQUIREMENT_NARROWED",
                    Breaking,
                    coordinate,
                    format!("`{coordinate}` no longer admits role {}", join(&lost)),
                    "Credentials of those roles, accepted before, are refused.",
                    tagged("role", lost),
                );
            }
            let gained = minus(&b.roles, &a.roles);
            if !gained.is_empty() {
                out.push_for(
                    "ROLE_REQUIREMENT_WIDENED",
                    Dangerous,
                    coordinate,
                    format!("`{coordinate}` now also admits role {}", join(&gained)),
                    "Credentials of those roles, refused before, are served.",
                    tagged("role", gained),
                );
            }
        }
    }
}

fn join(names: &[&Text]) -> String {
    names
        .iter()
        .map(|s| -> &str { s })
        .collect::<Vec<_>>()
        .join(", ")
}

fn pagination(out: &mut Found, coordinate: &str, a: Option<&Pagination>, b: Option<&Pagination>) {
    let (a, b) = match (a, b) {
        (None, None) => return,
        (Some(a), Some(b)) if a.style == b.style => (a, b),
        _ => {
            out.push_for(
                "PAGINATION_CHANGED",
                Breaking,
                coordinate,
                format!(
                    "`{coordinate}` pagination changed from {} to {}",
                    show(a.map(|p| sdl(p.style))),
                    show(b.map(|p| sdl(p.style)))
                ),
                "Clients page with the old arguments and read the old page shape.",
                everyone(),
            );
            return;
        }
    };
    match (a.max_page_size, b.max_page_size) {
        (Some(x), Some(y)) if y < x => out.push_for(
            "MAX_PAGE_SIZE_LOWERED",
            Breaking,
            coordinate,
            format!("`{coordinate}` max page size fell from {x} to {y}"),
            if b.over_max == OverMaxPolicy::Reject {
                "Requests for more than the new maximum are rejected."
            } else {
                "Requests for more than the new maximum get shorter pages, which clients may take for the last one."
            },
            everyone(),
        ),
        (Some(x), Some(y)) if y > x => out.push_for("MAX_PAGE_SIZE_RAISED", Safe, coordinate, format!("`{coordinate}` max page size rose from {x} to {y}"), "Every request served before is served the same.", Vec::new()),
        (None, Some(y)) => out.push_for("MAX_PAGE_SIZE_ADDED", Breaking, coordinate, format!("`{coordinate}` now returns at most {y} items a page"), "Requests for more are clamped or rejected.", everyone()),
        (Some(x), None) => out.push_for("MAX_PAGE_SIZE_REMOVED", Safe, coordinate, format!("`{coordinate}` no longer caps pages at {x}"), "Every request served before is served the same.", Vec::new()),
        _ => {}
    }
    match (a.default_page_size, b.default_page_size) {
        (Some(x), Some(y)) if y < x => out.push_for("DEFAULT_PAGE_SIZE_LOWERED", Breaking, coordinate, format!("`{coordinate}` default page size fell from {x} to {y}"), "Clients that name no size get fewer items a page and may take a page for the last one.", everyone()),
        (Some(x), Some(y)) if y > x => out.push_for("DEFAULT_PAGE_SIZE_RAISED", Dangerous, coordinate, format!("`{coordinate}` default page size rose from {x} to {y}"), "Clients that name no size get more items a page, and costlier responses.", Vec::new()),
        (x, y) if x != y => out.push_for("DEFAULT_PAGE_SIZE_CHANGED", Dangerous, coordinate, format!("`{coordinate}` default page size changed from {} to {}", show(x), show(y)), "Clients that name no size get pages of another size.", Vec::new()),
        _ => {}
    }
    if !a.page_size_required && b.page_size_required {
        out.push_for(
            "PAGE_SIZE_REQUIRED_ADDED",
            Breaking,
            coordinate,
            format!("`{coordinate}` now requires a page size"),
            "Requests that name no page size are rejected.",
            everyone(),
        );
    } else if a.page_size_required && !b.page_size_required {
        out.push_for(
            "PAGE_SIZE_REQUIRED_REMOVED",
            Safe,
            coordinate,
            format!("`{coordinate}` no longer requires a page size"),
            "Every request served before is served the same.",
            Vec::new(),
        );
    }
    if a.over_max != b.over_max {
        let breaking = b.over_max == OverMaxPolicy::Reject;
        out.push_for(
            "OVER_MAX_POLICY_CHANGED",
            if breaking { Breaking } else { Safe },
            coordinate,
            format!(
                "`{coordinate}` answers a page size above the maximum with {} instead of {}",
                sdl(b.over_max),
                sdl(a.over_max)
            ),
            if breaking {
                "Requests above the maximum, clamped before, are rejected."
            } else {
                "Requests above the maximum, rejected before, are clamped."
            },
            if breaking { everyone() } else { Vec::new() },
        );
    }
}

fn cost(out: &mut Found, coordinate: &str, a: Option<u32>, b: Option<u32>, limited: bool) {
    if a == b {
        return;
    }
    let raised = matches!((a, b), (Some(x), Some(y)) if y > x);
    let (kind, criticality, reason) = match (a, b) {
        (Some(x), Some(y)) if y < x => (
            "FIELD_COST_LOWERED",
            Safe,
            "Operations score less, never more.",
        ),
        _ if raised && limited => (
            "FIELD_COST_RAISED",
            Breaking,
            "Operations selecting it score more: those near the maximum are refused.",
        ),
        _ if raised => (
            "FIELD_COST_RAISED",
            Safe,
            "The API declares no complexity maximum: nothing is refused for it.",
        ),
        _ if limited => (
            "FIELD_COST_CHANGED",
            Dangerous,
            "The field's score is now computed another way: operations near the maximum may be refused.",
        ),
        _ => (
            "FIELD_COST_CHANGED",
            Safe,
            "The API declares no complexity maximum: nothing is refused for it.",
        ),
    };
    out.push_for(
        kind,
        criticality,
        coordinate,
        format!(
            "`{coordinate}` cost changed from {} to {}",
            show(a),
            show(b)
        ),
        reason,
        if criticality == Breaking {
            everyone()
        } else {
            Vec::new()
        },
    );
}

fn rest(out: &mut Found, coordinate: &str, a: &FieldRules, b: &FieldRules) {
    match (&a.rest, &b.rest) {
        (Some(x), Some(y)) => {
            if x.method != y.method {
                out.push_for(
                    "REST_METHOD_CHANGED",
                    Breaking,
                    coordinate,
                    format!(
                        "`{coordinate}` moved from {} to {}",
                        x.method.as_str(),
                        y.method.as_str()
                    ),
                    "Clients send the old method and get 405.",
                    everyone(),
                );
            }
            if x.path != y.path {
                out.push_for(
                    "REST_PATH_CHANGED",
                    Breaking,
                    coordinate,
                    format!("`{coordinate}` moved from `{}` to `{}`", x.path, y.path),
                    "Clients call the old path and get 404.",
                    everyone(),
                );
            }
            for param in x.params.iter() {
                if let Some(other) = y.params.iter().find(|p| p.argument == param.argument)
                    && (other.wire_name != param.wire_name || other.location != param.location)
                {
                    out.push_for(
                        "REST_PARAMETER_CHANGED",
                        Breaking,
                        format!("{coordinate}({}:)", param.argument),
                        format!(
                            "`{}` travels as {} `{}` instead of {} `{}`",
                            param.argument,
                            sdl(other.location),
                            other.wire_name,
                            sdl(param.location),
                            param.wire_name
                        ),
                        "Clients send it where the server no longer reads it.",
                        everyone(),
                    );
                }
            }
        }
        (None, Some(y)) => out.push_for(
            "REST_BINDING_ADDED",
            Safe,
            coordinate,
            format!(
                "`{coordinate}` is served at {} `{}`",
                y.method.as_str(),
                y.path
            ),
            "A new route: nothing that worked changes.",
            Vec::new(),
        ),
        (Some(x), None) => out.push_for(
            "REST_BINDING_REMOVED",
            Breaking,
            coordinate,
            format!(
                "`{coordinate}` is no longer served at {} `{}`",
                x.method.as_str(),
                x.path
            ),
            "Clients of the route get 404.",
            everyone(),
        ),
        (None, None) => {}
    }
}

fn invariants(out: &mut Found, coordinate: &str, a: &FieldRules, b: &FieldRules) {
    for inv in b.invariants.iter() {
        match a.invariants.iter().find(|i| i.name == inv.name) {
            None => {
                let rejects = inv.effect == InvariantEffect::Reject;
                out.push_for(
                    "INVARIANT_ADDED",
                    if rejects { Breaking } else { Dangerous },
                    coordinate,
                    format!(
                        "`{coordinate}` gained invariant `{}`: {}",
                        inv.name, inv.statement
                    ),
                    if rejects {
                        "Requests that break it, served before, are refused."
                    } else {
                        "Parts of requests that break it, honoured before, are ignored."
                    },
                    everyone(),
                );
            }
            Some(old)
                if (old.effect, old.status, &old.code) != (inv.effect, inv.status, &inv.code) =>
            {
                let breaking = inv.effect == InvariantEffect::Reject;
                out.push_for(
                    "INVARIANT_CHANGED",
                    if breaking { Breaking } else { Dangerous },
                    coordinate,
                    format!(
                        "`{coordinate}` invariant `{}` now answers {} instead of {}",
                        inv.name,
                        answer(inv),
                        answer(old)
                    ),
                    if breaking {
                        "Clients that recognise the old refusal do not recognise the new one."
                    } else {
                        "Requests refused before are now partly ignored."
                    },
                    everyone(),
                );
            }
            Some(old) if old.statement != inv.statement => out.push_for(
                "INVARIANT_STATEMENT_CHANGED",
                Safe,
                coordinate,
                format!(
                    "`{coordinate}` invariant `{}` is worded differently",
                    inv.name
                ),
                "Same name, effect and answer: only the documentation changed.",
                Vec::new(),
            ),
            Some(_) => {}
        }
    }
    for inv in a
        .invariants
        .iter()
        .filter(|i| !b.invariants.iter().any(|n| n.name == i.name))
    {
        out.push_for(
            "INVARIANT_REMOVED",
            Dangerous,
            coordinate,
            format!("`{coordinate}` no longer enforces invariant `{}`", inv.name),
            "Requests it refused are now served: clients keep working, but the data may now break the rule.",
            Vec::new(),
        );
    }
}

/// What breaking an invariant gets: `REJECT (422)`, `REJECT (BAD_USER_INPUT)`, `IGNORE`.
fn answer(invariant: &Invariant) -> String {
    match invariant
        .status
        .map(|s| s.to_string())
        .or_else(|| invariant.code.as_ref().map(|c| c.to_string()))
    {
        Some(detail) => format!("{} ({detail})", sdl(invariant.effect)),
        None => sdl(invariant.effect),
    }
}
