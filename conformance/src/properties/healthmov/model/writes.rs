//! H2's steps against the target: each write sent as the step says, its answer checked against what the rules
//! table declares, and the model updated with what was written.

use std::collections::BTreeMap;

use chrono::{NaiveDate, TimeDelta};
use runtime::rules::InvariantEffect;
use serde_json::{Value, json};

use super::steps::{Day, Step};
use super::{CompanyModel, EmployeeModel, Machine, external_id, ordered};
use crate::credentials::Credential;
use crate::ensure;
use crate::properties::healthmov::invariants::{self, DATES_IN_ORDER};
use crate::property::CaseError;

const EMPLOYEE: &str = "mutation($c: ID!, $d: ID!, $on: Date!, $off: Date, $email: String!, $n: String!, $deps: [InputDependentObject], $x: String) {
  createOrUpdateEmployee(companyId: $c, departmentId: $d, dateOfOnboarding: $on, dateOfOffboarding: $off, email: $email,
      employeeNumber: $n, firstName: \"Model\", lastName: \"Employee\", dependents: $deps, externalId: $x) { employee { id } } }";

impl Machine<'_, '_, '_> {
    pub(super) fn date(&self, day: Day) -> NaiveDate {
        self.today + TimeDelta::days(day)
    }

    pub(super) fn send(
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
    pub(super) fn broken(
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

    pub(super) fn create_company(&mut self) -> Result<(), CaseError> {
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

    pub(super) fn create_department(&mut self, company: usize) -> Result<(), CaseError> {
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
    pub(super) fn employees(&self) -> Vec<(usize, String)> {
        self.companies
            .iter()
            .enumerate()
            .flat_map(|(i, c)| c.employees.keys().map(move |n| (i, n.clone())))
            .collect()
    }

    fn dependent_email(&self, n: usize) -> String {
        format!("dep{n}-{}@h2.example", self.run)
    }

    pub(super) fn step(&mut self, step: &Step) -> Result<(), CaseError> {
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
