//! M2: concurrent `PUT /members` of one member. The document: "If a member is already in the process of being
//! updated then a 422 Unprocessable Entity error is expected" (`@invariant(name: "member_update_in_progress")`).
//! Several PUTs of one member sent at once, each with a different valid update, must give exactly one success and
//! that status for every other, and the member must end as the successful one left it: nothing lost, nothing
//! half-written.
//!
//! The PUTs overlap when the target takes longer to apply one than the requests take to arrive (the reference server
//! takes about 20 ms); a target that applies each at once may legitimately serve them one after the other, which
//! this property reports as a failure when it happens in each of three bursts: run it where updates take time, or
//! skip it with `--only`.

use proptest::prelude::*;
use proptest::sample::Index;
use runtime::rules::InvariantEffect;
use serde_json::{Value, json};

use super::model::account::{Hris, Role};
use super::{hris_active, list_all, put_call, read_member, restore, update_field, window, writers};
use crate::ensure;
use crate::property::{Case, CaseError, Check, Context, Group, Property, check};
use crate::rest;

pub static M2: Property = Property {
    id: "M2",
    name: "concurrent-updates",
    statement: "PUTs of one member sent at once (each a valid update): exactly one succeeds, every other gets the member_update_in_progress status (422), and the member ends as the successful one left it.",
    group: Group::Stateful,
    writes: true,
    max_cases: None,
    run,
};

/// How many times a burst that every PUT won is sent before the property is broken.
const BURST_ATTEMPTS: usize = 3;

/// One burst of PUTs.
#[derive(Debug, Clone)]
struct Burst {
    account: Index,
    member: Index,
    /// The role each PUT gives (simple or reviewer), one per request.
    roles: Vec<Role>,
    marker: String,
}

fn run(cx: &Context<'_>) -> Check {
    let Some(window) = window(cx) else {
        return Check::not_applicable(
            "the rules table binds no id-window GET to read members with",
        );
    };
    let Some(invariant) = update_field().and_then(|f| {
        f.invariants
            .iter()
            .find(|i| i.name == "member_update_in_progress" && i.effect == InvariantEffect::Reject)
    }) else {
        return Check::not_applicable(
            "the rules table declares no member_update_in_progress invariant",
        );
    };
    let accounts = writers(cx);
    if accounts.is_empty() {
        return Check::not_applicable(
            "no credential may write (give one with the write scope and its account)",
        );
    }
    let status = invariant.status.unwrap_or(422);
    let strategy = (
        any::<Index>(),
        any::<Index>(),
        proptest::collection::vec(
            proptest::sample::select(vec![Role::Simple, Role::Reviewer]),
            2..=5,
        ),
        "[a-z]{6}",
    )
        .prop_map(|(account, member, roles, marker)| Burst {
            account,
            member,
            roles,
            marker,
        });
    check(cx, strategy, |case, burst| {
        let reader = &accounts[burst.account.index(accounts.len())];
        let base = &cx.target.url;
        let listing = list_all(case, &window, base, reader)?;
        let hris = hris_active(&listing);
        // Members no invariant protects: a change of role between simple and reviewer is always allowed.
        let candidates: Vec<&Value> = listing
            .iter()
            .filter(|m| {
                matches!(
                    m.get("role").and_then(Value::as_str),
                    Some("simple" | "reviewer")
                ) && m.get("hris_role").and_then(Value::as_str) != Some(Hris::Admin.wire())
            })
            .collect();
        if candidates.is_empty() {
            return Err(CaseError::Reject(format!(
                "`{}` has no simple or reviewer member",
                reader.account
            )));
        }
        let original = candidates[burst.member.index(candidates.len())].clone();
        let id = original.get("id").map(rest::text).unwrap_or_default();
        let bodies: Vec<Value> = burst
            .roles
            .iter()
            .enumerate()
            .map(|(i, role)| {
                let mut body = json!({
                    "id": id,
                    "role": role.wire(),
                    "collaboration_rules": [{
                        "role": role.wire(),
                        "locations": [{ "location_string": format!("conformance-m2-{}-{i}", burst.marker) }],
                    }],
                });
                if hris {
                    body["hris_role"] = json!(Hris::Employee.wire());
                }
                body
            })
            .collect();
        let requests: Vec<_> = bodies
            .iter()
            .filter_map(|b| put_call(&reader.account, b))
            .map(|call| call.request(base, Some(&reader.credential)))
            .collect();
        // A loaded target may take the PUTs one after another, each finding none in progress: a burst that every
        // PUT won is sent again, and only one that is never refused breaks the property.
        let mut responses = case.send_concurrently(requests.clone());
        for _ in 1..BURST_ATTEMPTS {
            match &responses {
                Ok(r) if r.iter().all(|r| r.status == 200) => {
                    responses = case.send_concurrently(requests.clone());
                }
                _ => break,
            }
        }
        let result = judge(
            case,
            reader,
            &id,
            &bodies,
            responses,
            status,
            hris,
            &invariant.statement,
        );
        restore(cx, &window, reader, std::slice::from_ref(&original), hris);
        result
    })
}

#[allow(clippy::too_many_arguments)]
fn judge(
    case: &Case<'_, '_>,
    reader: &crate::properties::pagination::id_window::Reader,
    id: &str,
    bodies: &[Value],
    responses: Result<Vec<crate::client::Response>, CaseError>,
    status: u16,
    hris: bool,
    statement: &str,
) -> Result<(), CaseError> {
    let responses = responses?;
    if let Some(throttled) = responses.iter().find(|r| r.status == 429) {
        case.wait_throttled(throttled)?;
        return Err(CaseError::Reject("the burst was throttled".to_owned()));
    }
    let statuses: Vec<u16> = responses.iter().map(|r| r.status).collect();
    let what = format!(
        "{} PUTs of member {id} of `{}` sent at once",
        bodies.len(),
        reader.account
    );
    let winners: Vec<usize> = (0..responses.len())
        .filter(|i| responses[*i].status == 200)
        .collect();
    ensure!(
        winners.len() == 1,
        "{what}: {} succeeded (statuses {statuses:?}); exactly one must, and the others get {status} (\"{statement}\")",
        winners.len()
    );
    for (i, r) in responses.iter().enumerate() {
        if i == winners[0] {
            continue;
        }
        ensure!(
            r.status == status,
            "{what}: PUT {} got {} while another was being applied; expected {status} (\"{statement}\")",
            bodies[i],
            rest::digest(r)
        );
        ensure!(
            rest::error_message(r).is_some(),
            "{what}: the refusal of PUT {} has no JSON error body: {}",
            bodies[i],
            rest::digest(r)
        );
    }
    let winner = winners[0];
    let body = &bodies[winner];
    let Some(answer) = responses[winner].json() else {
        return Err(CaseError::fail(format!(
            "{what}: the successful PUT answered with a body that is not JSON"
        )));
    };
    let wanted = |m: &Value| {
        let marker = body["collaboration_rules"][0]["locations"][0]["location_string"].clone();
        m.get("role") == body.get("role")
            && (!hris || m.get("hris_role") == body.get("hris_role"))
            && m.get("collaboration_rules")
                .and_then(Value::as_array)
                .is_some_and(|rules| {
                    rules.len() == 1
                        && rules[0].get("role") == body.get("role")
                        && rules[0]
                            .get("locations")
                            .and_then(Value::as_array)
                            .and_then(|l| l.first())
                            .and_then(|l| l.get("location_string"))
                            == Some(&marker)
                })
    };
    ensure!(
        wanted(&answer),
        "{what}: the successful PUT {body} returned {answer}, not the member it asked for"
    );
    let stored = read_member(
        case,
        &case.cx.target.url,
        Some(&reader.credential),
        &reader.account,
        id,
    )?;
    let Some(stored) = stored else {
        return Err(CaseError::fail(format!(
            "{what}: member {id} is no longer listed"
        )));
    };
    ensure!(
        wanted(&stored),
        "{what}: the member reads {stored} afterwards, not as the successful PUT {body} left it (a refused PUT was applied, or half of one)"
    );
    Ok(())
}
