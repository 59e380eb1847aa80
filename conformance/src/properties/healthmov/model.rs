//! H2: random sequences of create-or-update writes (proptest-state-machine) over companies, departments, employees
//! and dependents, checked against a model of the schema's `@invariant`s: an employee is keyed by company and
//! employee number, a dependent by parent and email, a company by `externalId`; an offboarding date before the
//! onboarding date, an unknown id or a department of another company is refused and changes nothing; the counts and
//! `onboardedAt` follow from the dates and today (UTC); another client neither sees nor changes any of it.
//!
//! Each case writes under keys of its own (a run-unique suffix), so cases and runs do not meet. After every step the
//! companies the case wrote are read back whole and compared with the model.

use std::collections::BTreeMap;

use chrono::{NaiveDate, TimeDelta, Utc};
use proptest::prelude::*;
use proptest_state_machine::ReferenceStateMachine;
use runtime::rules::InvariantEffect;
use serde_json::{Value, json};

use super::invariants::{self, DATES_IN_ORDER, OWN_COMPANIES};
use super::session::nanos;
use crate::credentials::Credential;
use crate::ensure;
use crate::property::{Case, CaseError, Check, Context, Group, Property, check};
use refusals::{Refusal, refusal};

mod readback;
mod refusals;

pub static H2: Property = Property {
    id: "H2",
    name: "keyed-writes-model",
    statement: "Random create-or-update sequences over companies, departments, employees and dependents match a model of the rules: keys respected (company+employeeNumber, parent+email, externalId), nothing duplicated, refused input changes nothing, counts and onboardedAt read back exactly for today, and another client's writes and reads never reach the caller's companies.",
    group: Group::Stateful,
    writes: true,
    max_cases: None,
    run,
};

/// A date as an offset in days from today.
type Day = i64;

#[derive(Debug, Clone)]
pub struct DependentInput {
    email: usize,
    on: Option<Day>,
    off: Option<Day>,
}

#[derive(Debug, Clone)]
pub enum Step {
    CreateCompany,
    UpdateCompany {
        company: usize,
        name: usize,
    },
    CreateDepartment {
        company: usize,
    },
    UpsertEmployee {
        company: usize,
        department: usize,
        foreign: bool,
        number: usize,
        on: Day,
        off: Option<Day>,
        dependents: Vec<DependentInput>,
    },
    AddDependent {
        employee: usize,
        dependent: DependentInput,
    },
    SetOffboarding {
        employee: usize,
        off: Day,
    },
    UnknownCompany,
    MalformedDate {
        company: usize,
    },
    OtherClient {
        company: usize,
    },
    /// A write that breaks an invariant, or another client reaching for the caller's records.
    Refused {
        refusal: Refusal,
        company: usize,
        employee: usize,
    },
}

#[derive(Debug)]
pub struct Writes;

fn day() -> impl Strategy<Value = Day> {
    prop_oneof![Just(0i64), -400i64..-2, 2i64..400]
}

fn dependent() -> impl Strategy<Value = DependentInput> {
    let dates = prop_oneof![
        2 => (proptest::option::of(day()), proptest::option::weighted(0.4, day())),
        // Onboarded, then offboarded: what the counts must tell apart.
        1 => ((-400i64..-200).prop_map(Some), (-150i64..-2).prop_map(Some)),
    ];
    (0usize..3, dates).prop_map(|(email, (on, off))| DependentInput { email, on, off })
}

impl ReferenceStateMachine for Writes {
    type State = ();
    type Transition = Step;

    fn init_state() -> BoxedStrategy<()> {
        Just(()).boxed()
    }

    fn transitions(_: &()) -> BoxedStrategy<Step> {
        let employee = (
            0usize..4,
            0usize..3,
            proptest::bool::weighted(0.25),
            0usize..3,
            day(),
            proptest::option::weighted(0.4, day()),
            proptest::collection::vec(dependent(), 0..=2),
        )
            .prop_map(
                |(company, department, foreign, number, on, off, dependents)| {
                    Step::UpsertEmployee {
                        company,
                        department,
                        foreign,
                        number,
                        on,
                        off,
                        dependents,
                    }
                },
            );
        prop_oneof![
            1 => Just(Step::CreateCompany),
            1 => (0usize..4, 0usize..2).prop_map(|(company, name)| Step::UpdateCompany { company, name }),
            1 => (0usize..4).prop_map(|company| Step::CreateDepartment { company }),
            5 => employee,
            2 => (0usize..8, dependent()).prop_map(|(employee, dependent)| Step::AddDependent { employee, dependent }),
            2 => (0usize..8, day()).prop_map(|(employee, off)| Step::SetOffboarding { employee, off }),
            1 => Just(Step::UnknownCompany),
            1 => (0usize..4).prop_map(|company| Step::MalformedDate { company }),
            1 => (0usize..4).prop_map(|company| Step::OtherClient { company }),
            2 => (refusal(), 0usize..4, 0usize..8).prop_map(|(refusal, company, employee)| {
                Step::Refused { refusal, company, employee }
            }),
        ]
        .boxed()
    }

    fn apply(state: (), _: &Step) {
        state
    }
}

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

const EMPLOYEE: &str = "mutation($c: ID!, $d: ID!, $on: Date!, $off: Date, $email: String!, $n: String!, $deps: [InputDependentObject], $x: String) {
  createOrUpdateEmployee(companyId: $c, departmentId: $d, dateOfOnboarding: $on, dateOfOffboarding: $off, email: $email,
      employeeNumber: $n, firstName: \"Model\", lastName: \"Employee\", dependents: $deps, externalId: $x) { employee { id } } }";

impl Machine<'_, '_, '_> {
    fn date(&self, day: Day) -> NaiveDate {
        self.today + TimeDelta::days(day)
    }

    fn send(
        &self,
        credential: &Credential,
        query: &str,
        variables: Value,
    ) -> Result<Value, CaseError> {
        Ok(self
            .case
            .graphql(Some(credential), query, Some(&variables))?
            .body)
    }

    /// A write that breaks `invariant` of `Mutation.field`: answered as the rules table declares (REJECT: an error
    /// and a null payload; IGNORE: served).
    fn broken(
        &self,
        reply: &Value,
        field: &str,
        invariant: &str,
        why: &str,
    ) -> Result<(), CaseError> {
        let payload_null = reply
            .pointer(&format!("/data/{field}"))
            .is_none_or(Value::is_null);
        let has_error = reply
            .get("errors")
            .and_then(Value::as_array)
            .is_some_and(|e| !e.is_empty());
        match invariants::effect(self.case.cx.rules, field, invariant)? {
            InvariantEffect::Reject => ensure!(
                payload_null && has_error,
                "{why} breaks `{invariant}`, declared REJECT: expected an error and a null `{field}`, got {reply}"
            ),
            InvariantEffect::Ignore => ensure!(
                !payload_null && !has_error,
                "{why} breaks `{invariant}`, declared IGNORE: expected it served without the input, got {reply}"
            ),
        }
        Ok(())
    }

    fn accepted<'r>(
        &self,
        reply: &'r Value,
        pointer: &str,
        what: &str,
    ) -> Result<&'r Value, CaseError> {
        reply
            .pointer(pointer)
            .filter(|v| !v.is_null())
            .ok_or_else(|| CaseError::fail(format!("{what} was refused: {reply}")))
    }

    fn create_company(&mut self) -> Result<(), CaseError> {
        let external_id = format!("{}-c{}", self.run, self.companies.len());
        let name = format!("Model {external_id}");
        let reply = self.send(
            self.caller,
            "mutation($n: String!, $e: String) { createOrUpdateCompany(companyName: $n, logoUrl: \"https://example.com/l.png\", externalId: $e) { company { id } } }",
            json!({"n": name, "e": external_id}),
        )?;
        let id = self.accepted(
            &reply,
            "/data/createOrUpdateCompany/company/id",
            "createOrUpdateCompany with a new externalId",
        )?;
        self.companies.push(CompanyModel {
            id: id.as_str().unwrap_or_default().to_owned(),
            external_id,
            name,
            departments: Vec::new(),
            employees: BTreeMap::new(),
        });
        Ok(())
    }

    fn create_department(&mut self, company: usize) -> Result<(), CaseError> {
        let company = company % self.companies.len();
        let reply = self.send(
            self.caller,
            "mutation($c: ID!, $x: String) { createDepartment(companyId: $c, departmentName: \"Model department\", externalId: $x) { department { id } } }",
            json!({"c": self.companies[company].id, "x": format!("{}-d{company}-{}", self.run, self.companies[company].departments.len())}),
        )?;
        let id = self.accepted(
            &reply,
            "/data/createDepartment/department/id",
            "createDepartment in the caller's company",
        )?;
        self.companies[company]
            .departments
            .push(id.as_str().unwrap_or_default().to_owned());
        Ok(())
    }

    /// The employees of the model, in a stable order: (company index, number).
    fn employees(&self) -> Vec<(usize, String)> {
        self.companies
            .iter()
            .enumerate()
            .flat_map(|(i, c)| c.employees.keys().map(move |n| (i, n.clone())))
            .collect()
    }

    fn dependent_email(&self, n: usize) -> String {
        format!("dep{n}-{}@h2.example", self.run)
    }

    fn step(&mut self, step: &Step) -> Result<(), CaseError> {
        match step {
            Step::CreateCompany => self.create_company()?,
            Step::UpdateCompany { company, name } => {
                let company = company % self.companies.len();
                let c = &self.companies[company];
                let name = format!("Model {} renamed {name}", c.external_id);
                let reply = self.send(
                    self.caller,
                    "mutation($n: String!, $e: String) { createOrUpdateCompany(companyName: $n, logoUrl: \"https://example.com/l.png\", externalId: $e) { company { id name } } }",
                    json!({"n": name, "e": c.external_id}),
                )?;
                let id = self.accepted(
                    &reply,
                    "/data/createOrUpdateCompany/company/id",
                    "createOrUpdateCompany of a known externalId",
                )?;
                ensure!(
                    id.as_str() == Some(c.id.as_str()),
                    "createOrUpdateCompany with the externalId of company {} answered another company {id}",
                    c.id
                );
                self.companies[company].name = name;
            }
            Step::CreateDepartment { company } => self.create_department(*company)?,
            Step::UpsertEmployee {
                company,
                department,
                foreign,
                number,
                on,
                off,
                dependents,
            } => {
                let company = company % self.companies.len();
                let foreign_department = (*foreign)
                    .then(|| {
                        self.companies
                            .iter()
                            .enumerate()
                            .find(|(i, c)| *i != company && !c.departments.is_empty())
                            .map(|(_, c)| c.departments[0].clone())
                    })
                    .flatten();
                let c = &self.companies[company];
                let Some(department) = foreign_department.clone().or_else(|| {
                    (!c.departments.is_empty())
                        .then(|| c.departments[department % c.departments.len()].clone())
                }) else {
                    return Ok(());
                };
                let number = format!("{}-n{number}", self.run);
                let email = format!("e-{company}-{number}@h2.example");
                let deps: Vec<Value> = dependents.iter().map(|d| {
                    let mut v = json!({"firstName": "Dep", "birthdate": "2010-01-01", "email": self.dependent_email(d.email)});
                    if let Some(on) = d.on { v["dateOfOnboarding"] = json!(self.date(on)); }
                    if let Some(off) = d.off { v["dateOfOffboarding"] = json!(self.date(off)); }
                    v
                }).collect();
                let mut vars = json!({"c": c.id, "d": department, "on": self.date(*on), "email": email, "n": number, "deps": deps, "x": external_id(company, &number)});
                if let Some(off) = off {
                    vars["off"] = json!(self.date(*off));
                }
                // The model's prediction: the employee after the write, or a refusal.
                let mut next = c.employees.get(&number).cloned().unwrap_or(EmployeeModel {
                    id: None,
                    email: email.clone(),
                    on: self.date(*on),
                    off: None,
                    dependents: BTreeMap::new(),
                });
                next.on = self.date(*on);
                next.email = email;
                if let Some(off) = off {
                    next.off = Some(self.date(*off));
                }
                for d in dependents {
                    let entry = next
                        .dependents
                        .entry(self.dependent_email(d.email))
                        .or_insert((None, None));
                    if let Some(on) = d.on {
                        entry.0 = Some(self.date(on));
                    }
                    if let Some(off) = d.off {
                        entry.1 = Some(self.date(off));
                    }
                }
                let reply = self.send(self.caller, EMPLOYEE, vars)?;
                if foreign_department.is_some() {
                    return self.broken(
                        &reply,
                        "createOrUpdateEmployee",
                        "department_of_company",
                        "a department of another company",
                    );
                }
                if !ordered(&next) {
                    return self.broken(
                        &reply,
                        "createOrUpdateEmployee",
                        DATES_IN_ORDER,
                        "an offboarding date before the onboarding date",
                    );
                }
                let id = self
                    .accepted(
                        &reply,
                        "/data/createOrUpdateEmployee/employee/id",
                        "createOrUpdateEmployee with valid input",
                    )?
                    .clone();
                if let Some(known) = &next.id {
                    ensure!(
                        id.as_str() == Some(known.as_str()),
                        "createOrUpdateEmployee with employee number {number} already used in the company answered a new employee {id} instead of {known}"
                    );
                }
                next.id = id.as_str().map(str::to_owned);
                self.companies[company].employees.insert(number, next);
            }
            Step::AddDependent {
                employee,
                dependent,
            } => {
                let all = self.employees();
                if all.is_empty() {
                    return Ok(());
                }
                let (company, number) = all[employee % all.len()].clone();
                let parent = &self.companies[company].employees[&number];
                let email = self.dependent_email(dependent.email);
                let mut vars = json!({"p": parent.email, "e": email});
                if let Some(on) = dependent.on {
                    vars["on"] = json!(self.date(on));
                }
                if let Some(off) = dependent.off {
                    vars["off"] = json!(self.date(off));
                }
                let mut next = parent.clone();
                let entry = next.dependents.entry(email).or_insert((None, None));
                if let Some(on) = dependent.on {
                    entry.0 = Some(self.date(on));
                }
                if let Some(off) = dependent.off {
                    entry.1 = Some(self.date(off));
                }
                let reply = self.send(
                    self.caller,
                    "mutation($p: String!, $e: String!, $on: Date, $off: Date) { addOrUpdateDependent(birthdate: \"2012-02-02\", dependentEmail: $e, dependentFirstName: \"Dep\", dependentLastName: \"Added\", parentEmail: $p, dateOfOnboarding: $on, dateOfOffboarding: $off) { employee { id } } }",
                    vars,
                )?;
                if !ordered(&next) {
                    return self.broken(
                        &reply,
                        "addOrUpdateDependent",
                        DATES_IN_ORDER,
                        "an offboarding date before the onboarding date",
                    );
                }
                self.accepted(
                    &reply,
                    "/data/addOrUpdateDependent/employee/id",
                    "addOrUpdateDependent of a known parent",
                )?;
                self.companies[company].employees.insert(number, next);
            }
            Step::SetOffboarding { employee, off } => {
                let all = self.employees();
                if all.is_empty() {
                    return Ok(());
                }
                let (company, number) = all[employee % all.len()].clone();
                let mut next = self.companies[company].employees[&number].clone();
                next.off = Some(self.date(*off));
                let reply = self.send(
                    self.caller,
                    "mutation($id: ID!, $off: Date!) { setOffboardingDate(employeeId: $id, dateOfOffboarding: $off) { employee { id dateOfOffboarding } } }",
                    json!({"id": next.id, "off": self.date(*off)}),
                )?;
                if !ordered(&next) {
                    return self.broken(
                        &reply,
                        "setOffboardingDate",
                        DATES_IN_ORDER,
                        "an offboarding date before the onboarding date",
                    );
                }
                self.accepted(
                    &reply,
                    "/data/setOffboardingDate/employee/id",
                    "setOffboardingDate after the onboarding date",
                )?;
                self.companies[company].employees.insert(number, next);
            }
            Step::UnknownCompany => {
                let department = self.companies[0]
                    .departments
                    .first()
                    .cloned()
                    .unwrap_or_default();
                let vars = json!({"c": format!("{}-no-such-company", self.run), "d": department, "on": self.today, "email": "x@h2.example", "n": format!("{}-ghost", self.run)});
                let reply = self.send(self.caller, EMPLOYEE, vars)?;
                self.broken(
                    &reply,
                    "createOrUpdateEmployee",
                    "department_of_company",
                    "an unknown companyId",
                )?;
            }
            Step::MalformedDate { company } => {
                let c = &self.companies[company % self.companies.len()];
                let department = c.departments.first().cloned().unwrap_or_default();
                let vars = json!({"c": c.id, "d": department, "on": "2025-13-45", "email": "x@h2.example", "n": format!("{}-malformed", self.run)});
                let reply = self.send(self.caller, EMPLOYEE, vars)?;
                let has_error = reply
                    .get("errors")
                    .and_then(Value::as_array)
                    .is_some_and(|e| !e.is_empty());
                ensure!(
                    has_error
                        && reply
                            .pointer("/data/createOrUpdateEmployee/employee")
                            .is_none_or(Value::is_null),
                    "a malformed date was accepted: {reply}"
                );
            }
            Step::Refused {
                refusal,
                company,
                employee,
            } => self.refusal(*refusal, *company, *employee)?,
            Step::OtherClient { company } => self.other_client(*company)?,
        }
        Ok(())
    }
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
