//! A3 against the target: each step's PUT and its answer against the prediction, then the whole account read
//! back and compared with the model.

use super::account::{Account, MemberState};
use super::predict::{Outcome, Step, agrees, predict};
use crate::ensure;
use crate::properties::pagination::id_window::{Reader, Window};
use crate::properties::workable::{list_all, put};
use crate::property::{Case, CaseError};
use crate::rest;

/// One step against the target: the PUT, its answer against the prediction, then the account read back.
pub(super) fn run_step(
    case: &Case<'_, '_>,
    window: &Window,
    reader: &Reader,
    model: &mut Account,
    step: &Step,
    n: usize,
) -> Result<(), CaseError> {
    let base = &case.cx.target.url;
    let body = step.body();
    let current = model
        .members
        .get(&step.member)
        .map_or("unknown".to_owned(), MemberState::show);
    let what = format!(
        "step {n}: PUT {body} on `{}` (HRIS {}; the member is {current})",
        model.name,
        if model.hris { "on" } else { "off" }
    );
    let response = put(case, base, Some(&reader.credential), &reader.account, &body)?;
    match predict(model, step) {
        Outcome::Refused(inv) => {
            let status = inv.status.unwrap_or(422);
            ensure!(
                response.status == status,
                "{what} breaks `{}` ({}), so it must get {status}; got {}",
                inv.name,
                inv.statement,
                rest::digest(&response)
            );
            ensure!(
                rest::error_message(&response).is_some(),
                "{what} was refused without a JSON error body: {}",
                rest::digest(&response)
            );
        }
        Outcome::Applied(expected) => {
            ensure!(
                response.status == 200,
                "{what} breaks no @invariant, so it must succeed with the member {}; got {}",
                expected.show(),
                rest::digest(&response)
            );
            let Some(member) = response.json() else {
                return Err(CaseError::fail(format!(
                    "{what} answered 200 with a body that is not JSON"
                )));
            };
            ensure!(
                member.get("id").map(rest::text).as_deref() == Some(step.member.as_str()),
                "{what} returned another member: {member}"
            );
            let got = MemberState::of(&member)?;
            ensure!(
                agrees(&expected, &got, model.hris),
                "{what} returned {} with the rules {:?}; the model expects {} with the rules {}",
                got.show(),
                got.rules,
                expected.show(),
                expected.rules_shown()
            );
            // What the model leaves open, it learns from the answer.
            let learned = MemberState {
                role: expected.role,
                hris: if model.hris { expected.hris } else { got.hris },
                rules: expected.rules.or(got.rules),
            };
            model.members.insert(step.member.clone(), learned);
        }
    }
    check_account(case, window, reader, model, &what)
}

/// The account read back: it equals the model, and its invariants hold.
fn check_account(
    case: &Case<'_, '_>,
    window: &Window,
    reader: &Reader,
    model: &Account,
    after: &str,
) -> Result<(), CaseError> {
    let listing = list_all(case, window, &case.cx.target.url, reader)?;
    let actual = Account::of(&model.name, &listing)?;
    ensure!(
        actual.members.len() == model.members.len(),
        "after {after}: the account lists {} members, not {}",
        actual.members.len(),
        model.members.len()
    );
    for (id, expected) in &model.members {
        let Some(got) = actual.members.get(id) else {
            return Err(CaseError::fail(format!(
                "after {after}: member {id} is no longer listed"
            )));
        };
        ensure!(
            agrees(expected, got, model.hris),
            "after {after}: member {id} reads {} with the rules {:?}; the model has {} with the rules {}{}",
            got.show(),
            got.rules,
            expected.show(),
            expected.rules_shown(),
            if after.contains(&format!("\"id\":\"{id}\"")) {
                ""
            } else {
                " (the PUT named another member)"
            }
        );
    }
    if let Err(broken) = actual.invariants() {
        return Err(CaseError::fail(format!("after {after}: {broken}")));
    }
    Ok(())
}
