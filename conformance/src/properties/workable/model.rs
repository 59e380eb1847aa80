//! A3: random sequences of `PUT /members` (proptest-state-machine) over the members of each account a credential
//! may write to, checked step by step against a model of the document's rules.
//!
//! The model holds every member's role, HRIS role and collaboration rules, read from the account when a case starts.
//! For each step it predicts, from the `@invariant`s of `PUT /members` in the rules table, either a refusal (the
//! invariant's status, 422) or success with the member it computes. After every step the whole account is read back:
//! it must equal the model (so a refused PUT changed nothing, and a successful one changed only its member), and the
//! account invariants must hold: at least one admin; with HRIS on, at least one HRIS admin and one member who is
//! both. Each case ends by putting the members back as they were, so every case starts from the same account.
//!
//! What the documents leave open is not asserted: the HRIS role where HRIS is off, the collaboration rules of a
//! `no_access` member, and the rules a member keeps when its role changes and the PUT leaves them out.

pub mod account;
mod machine;
mod predict;
mod sut;

use proptest_state_machine::ReferenceStateMachine;

use super::{list_all, restore, update_field, window, writers};
use crate::outcome::Verdict;
use crate::property::{Case, CaseError, Check, Context, Group, Property, check_with_cases};
use account::Account;
use machine::{Members, START};
use sut::run_step;

pub static A3: Property = Property {
    id: "A3",
    name: "role-invariants",
    statement: "Random PUT sequences over an account's members (any member, role and HRIS role, hris_role left out, valid and invalid collaboration rules) get what a model of the @invariant rules predicts (200 with the member it computes, or 422), a refused PUT changes nothing, and after every step at least one admin remains (with HRIS on, one HRIS admin and one member who is both).",
    group: Group::Stateful,
    writes: true,
    max_cases: None,
    run: run_a3,
};

fn run_a3(cx: &Context<'_>) -> Check {
    let Some(window) = window(cx) else {
        return Check::not_applicable(
            "the rules table binds no id-window GET to read members with",
        );
    };
    if update_field().is_none() {
        return Check::not_applicable("the rules table binds no PUT");
    }
    let accounts = writers(cx);
    if accounts.is_empty() {
        return Check::not_applicable(
            "no credential may write (give one with the write scope and its account)",
        );
    }
    // The cases are shared out over the accounts (HRIS on, off, a single admin: each is its own machine).
    let per_account = cx.cases().div_ceil(accounts.len() as u32).max(2);
    let mut cases = 0;
    for reader in &accounts {
        let setup = Case::new(cx);
        let listing = match list_all(&setup, &window, &cx.target.url, reader) {
            Ok(l) => l,
            Err(e) => return crate::property::setup_failure(cx, &setup, e),
        };
        let start = match Account::of(&reader.account, &listing) {
            Ok(a) => a,
            Err(e) => return crate::property::setup_failure(cx, &setup, e),
        };
        if let Err(broken) = start.invariants() {
            return crate::property::setup_failure(
                cx,
                &setup,
                CaseError::fail(format!("before any PUT, `{}`: {broken}", reader.account)),
            );
        }
        START.with(|s| *s.borrow_mut() = start);
        let check = check_with_cases(
            cx,
            per_account,
            Members::sequential_strategy(1..=10usize),
            |case, (_, steps, seen)| {
                let listing = list_all(case, &window, &cx.target.url, reader)?;
                let mut model = Account::of(&reader.account, &listing)?;
                let mut result = Ok(());
                for (n, step) in steps.iter().enumerate() {
                    if let Some(counter) = &seen {
                        counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    }
                    result = run_step(case, &window, reader, &mut model, step, n + 1);
                    if result.is_err() {
                        break;
                    }
                }
                restore(cx, &window, reader, &listing, model.hris);
                result
            },
        );
        cases += check.cases;
        if !matches!(check.verdict, Verdict::Passed) {
            return Check {
                verdict: check.verdict,
                cases,
            };
        }
    }
    Check {
        verdict: Verdict::Passed,
        cases,
    }
}
