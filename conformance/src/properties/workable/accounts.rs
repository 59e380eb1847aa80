//! A5: every token is bound to one account. On another account's subdomain it is refused with 403 (and a PUT
//! there writes nothing); an unknown subdomain, or an unknown member in a PUT, is 404; each with a JSON error body.

use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::json;

use super::{WRITE_PROBE, list_field, put, writers};
use crate::ensure;
use crate::properties::pagination::id_window::{Reader, readers};
use crate::property::{Case, CaseError, Check, Context, Group, Property, check};
use crate::rest;

pub static A5: Property = Property {
    id: "A5",
    name: "account-bound",
    statement: "A token on another account's subdomain is refused with 403 (a PUT there writes nothing); an unknown subdomain, or an unknown member in a PUT, gets 404; each refusal has a JSON error body.",
    group: Group::Auth,
    writes: false,
    max_cases: None,
    run,
};

/// What a case tries.
#[derive(Debug, Clone)]
enum Probe {
    /// A token of one account on another account's subdomain.
    OtherAccount { from: Index, to: Index, write: bool },
    /// A subdomain no account has.
    UnknownAccount {
        from: Index,
        word: String,
        write: bool,
    },
    /// A PUT of a member id the account does not have.
    UnknownMember { from: Index, word: String },
}

fn run(cx: &Context<'_>) -> Check {
    let Some(list) = list_field() else {
        return Check::not_applicable("the rules table binds no GET");
    };
    let accounts = readers(cx, list);
    if accounts.is_empty() {
        return Check::not_applicable(
            "no credential names its account (`account` in the credentials file)",
        );
    }
    let writable = if cx.settings.read_only {
        Vec::new()
    } else {
        writers(cx)
    };
    let many = accounts.len() > 1;
    let can_write = !writable.is_empty();
    let mut options: Vec<BoxedStrategy<Probe>> = vec![
        (any::<Index>(), "[a-z]{6}", any::<bool>())
            .prop_map(move |(from, word, write)| Probe::UnknownAccount {
                from,
                word,
                write: write && can_write,
            })
            .boxed(),
    ];
    if many {
        options.push(
            (any::<Index>(), any::<Index>(), any::<bool>())
                .prop_map(move |(from, to, write)| Probe::OtherAccount {
                    from,
                    to,
                    write: write && can_write,
                })
                .boxed(),
        );
    }
    if can_write {
        options.push(
            (any::<Index>(), "[a-z]{6}")
                .prop_map(|(from, word)| Probe::UnknownMember { from, word })
                .boxed(),
        );
    }
    let strategy = proptest::strategy::Union::new(options);
    check(cx, strategy, |case, probe| match probe {
        Probe::OtherAccount { from, to, write } => {
            let pool = if write { &writable } else { &accounts };
            let from = &pool[from.index(pool.len())];
            let others: Vec<&Reader> = accounts
                .iter()
                .filter(|a| a.account != from.account)
                .collect();
            if others.is_empty() {
                return Err(CaseError::Reject("a single account".to_owned()));
            }
            let to = others[to.index(others.len())];
            if write {
                other_account_write(case, from, to)
            } else {
                let call = rest::call_for(list, &to.account);
                let response = case.rest(&call, Some(&from.credential))?;
                refused(
                    &response,
                    403,
                    &format!(
                        "GET of `{}`'s members with the token `{}` of `{}`",
                        to.account, from.credential.name, from.account
                    ),
                )
            }
        }
        Probe::UnknownAccount { from, word, write } => {
            let pool = if write { &writable } else { &accounts };
            let from = &pool[from.index(pool.len())];
            let account = format!("zz-conformance-{word}");
            let response = if write {
                let body = json!({ "id": "zz-conformance", "role": "simple", "hris_role": "hris_employee" });
                put(
                    case,
                    &cx.target.url,
                    Some(&from.credential),
                    &account,
                    &body,
                )?
            } else {
                case.rest(&rest::call_for(list, &account), Some(&from.credential))?
            };
            refused(
                &response,
                404,
                &format!(
                    "{} on the unknown subdomain `{account}`",
                    if write { "PUT" } else { "GET" }
                ),
            )
        }
        Probe::UnknownMember { from, word } => {
            let from = &writable[from.index(writable.len())];
            let id = format!("zz-conformance-{word}");
            let body = json!({ "id": id, "role": "simple", "hris_role": "hris_employee" });
            let response = put(
                case,
                &cx.target.url,
                Some(&from.credential),
                &from.account,
                &body,
            )?;
            refused(
                &response,
                404,
                &format!("PUT of the unknown member `{id}` on `{}`", from.account),
            )
        }
    })
}

/// A PUT with one account's token on another account's member: refused, and nothing written.
fn other_account_write(case: &Case<'_, '_>, from: &Reader, to: &Reader) -> Result<(), CaseError> {
    let base = &case.cx.target.url;
    let prepared = (WRITE_PROBE.prepare)(case, base, Some(&to.credential))?;
    let marker = format!("conformance-a5-{}", from.account);
    let answer = (WRITE_PROBE.write)(case, base, Some(&from.credential), &prepared, &marker)?;
    let crate::properties::rate_limit::Answer::Rest(response) = answer else {
        return Err(CaseError::Inconclusive("not a REST answer".to_owned()));
    };
    refused(
        &response,
        403,
        &format!(
            "PUT of a member of `{}` with the token `{}` of `{}`",
            to.account, from.credential.name, from.account
        ),
    )?;
    let found = (WRITE_PROBE.find)(case, base, Some(&to.credential), &prepared, &marker)?;
    ensure!(
        !found,
        "a PUT refused for another account's token was applied: the member of `{}` holds `{marker}`",
        to.account
    );
    Ok(())
}

fn refused(response: &crate::client::Response, status: u16, what: &str) -> Result<(), CaseError> {
    ensure!(
        response.status == status,
        "{what} must get {status}; got {}",
        rest::digest(response)
    );
    ensure!(
        rest::error_message(response).is_some(),
        "{what} was refused without a JSON error body (`{{\"error\": \"...\"}}`): {}",
        rest::digest(response)
    );
    Ok(())
}
