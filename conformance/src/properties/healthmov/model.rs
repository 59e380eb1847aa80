//! H2: random sequences of create-or-update writes (proptest-state-machine) over companies, departments, employees
//! and dependents, checked against a model of the schema's `@invariant`s: an employee is keyed by company and
//! employee number, a dependent by parent and email, a company by `externalId`; an offboarding date before the
//! onboarding date, an unknown id or a department of another company is refused and changes nothing; the counts and
//! `onboardedAt` follow from the dates and today (UTC); another client neither sees nor changes any of it.
//!
//! Each case writes under keys of its own (a run-unique suffix), so cases and runs do not meet. After every step the
//! companies the case wrote are read back whole and compared with the model.

use std::collections::BTreeMap;

use chrono::{NaiveDate, Utc};
use proptest_state_machine::ReferenceStateMachine;

use super::session::nanos;
use crate::credentials::Credential;
use crate::property::{Case, CaseError, Check, Context, Group, Property, check};
use steps::Writes;

mod readback;
mod refusals;
mod steps;
mod writes;

pub static H2: Property = Property {
    id: "H2",
    name: "keyed-writes-model",
    statement: "Random create-or-update sequences over companies, departments, employees and dependents match a model of the rules: keys respected (company+employeeNumber, parent+email, externalId), nothing duplicated, refused input changes nothing, counts and onboardedAt read back exactly for today, and another client's writes and reads never reach the caller's companies.",
    group: Group::Stateful,
    writes: true,
    max_cases: None,
    run,
};

#[derive(Debug, Clone)]
struct CompanyModel {
    id: String,
    external_id: String,
    name: String,
    departments: Vec<String>,
    /// By employee number.
    employees: BTreeMap<String, EmployeeModel>,
}

#[derive(Debug, Clone)]
struct EmployeeModel {
    id: Option<String>,
    email: String,
    on: NaiveDate,
    off: Option<NaiveDate>,
    /// By email.
    dependents: BTreeMap<String, (Option<NaiveDate>, Option<NaiveDate>)>,
}

struct Machine<'m, 'c, 'a> {
    case: &'m Case<'c, 'a>,
    caller: &'m Credential,
    other: Option<&'m Credential>,
    run: String,
    today: NaiveDate,
    companies: Vec<CompanyModel>,
}

fn run(cx: &Context<'_>) -> Check {
    let Some(caller) = cx.target.primary() else {
        return Check::not_applicable("no credential");
    };
    let other = cx
        .target
        .credentials
        .iter()
        .find(|c| c.account.is_some() && c.account != caller.account);
    check(
        cx,
        Writes::sequential_strategy(2..=12usize),
        |case, (_, steps, _)| {
            let mut machine = Machine {
                case,
                caller,
                other,
                run: format!("h2-{}-{}", nanos(), rand_suffix()),
                today: Utc::now().date_naive(),
                companies: Vec::new(),
            };
            // Two companies with a department each, so that a department of another company is always at hand.
            for company in 0..2 {
                machine.create_company()?;
                machine.create_department(company)?;
            }
            for (n, step) in steps.iter().enumerate() {
                machine.today = Utc::now().date_naive();
                machine.step(step).map_err(|e| match e {
                    CaseError::Fail(message) => {
                        CaseError::Fail(format!("step {} ({step:?}): {message}", n + 1))
                    }
                    other => other,
                })?;
                machine.read_back()?;
            }
            Ok(())
        },
    )
}

/// Keeps two cases started within the same nanosecond apart.
fn rand_suffix() -> u32 {
    use std::sync::atomic::{AtomicU32, Ordering};
    static NEXT: AtomicU32 = AtomicU32::new(0);
    NEXT.fetch_add(1, Ordering::SeqCst)
}

/// Whether the employee's dates and each dependent's (its own, else the employee's) are in order.
fn ordered(e: &EmployeeModel) -> bool {
    let ok = |on: Option<NaiveDate>, off: Option<NaiveDate>| match (on, off) {
        (Some(on), Some(off)) => off >= on,
        _ => true,
    };
    ok(Some(e.on), e.off)
        && e.dependents
            .values()
            .all(|(on, off)| ok(on.or(Some(e.on)), off.or(e.off)))
}

/// The externalId an employee of the model is written with: its company's index and number (unique per client, as
/// externalIds are, while a number may repeat across companies).
fn external_id(company: usize, number: &str) -> String {
    format!("x-{company}-{number}")
}
