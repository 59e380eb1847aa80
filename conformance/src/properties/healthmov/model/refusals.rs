//! H2's refusals: writes that break an `@invariant` (a used externalId, dates out of order on a company, an unknown
//! company or parent), and the other client reaching for the caller's companies, departments and employees. Each must change
//! nothing, which the read-back after the step sees; the answer each gets is the one the rules table declares.

use proptest::prelude::*;
use serde_json::{Value, json};

use super::{Machine, external_id};
use crate::ensure;
use crate::properties::healthmov::invariants::{DATES_IN_ORDER, OWN_COMPANIES};
use crate::properties::healthmov::walk::walk_companies;
use crate::property::CaseError;

#[derive(Debug, Clone, Copy)]
pub enum Refusal {
    /// `createCompany` with an externalId the client already uses.
    DuplicateExternalId,
    /// `createOrUpdateCompany` of a known company with its offboarding date before its onboarding date.
    CompanyDatesReversed,
    /// `createDepartment` in a company that does not exist.
    UnknownCompany,
    /// `addOrUpdateDependent` of a parent email no employee has.
    UnknownParent,
    /// The other client searches, offboards, adds a dependent to and writes an employee into the caller's records.
    OtherClientReach,
}

pub fn refusal() -> impl Strategy<Value = Refusal> {
    prop_oneof![
        Just(Refusal::DuplicateExternalId),
        Just(Refusal::CompanyDatesReversed),
        Just(Refusal::UnknownCompany),
        Just(Refusal::UnknownParent),
        Just(Refusal::OtherClientReach),
    ]
}

impl Machine<'_, '_, '_> {
    pub(super) fn refusal(
        &mut self,
        refusal: Refusal,
        company: usize,
        employee: usize,
    ) -> Result<(), CaseError> {
        let c = self.companies[company % self.companies.len()].clone();
        match refusal {
            Refusal::DuplicateExternalId => {
                let reply = self.send(
                    self.caller,
                    "mutation($e: String) { createCompany(companyName: \"Duplicate\", logoUrl: \"https://example.com/l.png\", externalId: $e) { company { id } } }",
                    json!({"e": c.external_id}),
                )?;
                self.broken(
                    &reply,
                    "createCompany",
                    "company_external_id_unique",
                    "createCompany with an externalId the client already uses",
                )
            }
            Refusal::CompanyDatesReversed => {
                let reply = self.send(
                    self.caller,
                    "mutation($e: String, $on: Date, $off: Date) { createOrUpdateCompany(companyName: \"Reversed\", logoUrl: \"https://example.com/l.png\", externalId: $e, dateOfOnboarding: $on, dateOfOffboarding: $off) { company { id } } }",
                    json!({"e": c.external_id, "on": self.date(0), "off": self.date(-10)}),
                )?;
                self.broken(
                    &reply,
                    "createOrUpdateCompany",
                    DATES_IN_ORDER,
                    "a company's offboarding date before its onboarding date",
                )
            }
            Refusal::UnknownCompany => {
                let reply = self.send(
                    self.caller,
                    "mutation($c: ID!) { createDepartment(companyId: $c, departmentName: \"Orphan\") { department { id } } }",
                    json!({"c": format!("{}-no-such-company", self.run)}),
                )?;
                self.broken(
                    &reply,
                    "createDepartment",
                    "known_company",
                    "createDepartment in a company that does not exist",
                )
            }
            Refusal::UnknownParent => {
                let reply = self.send(
                    self.caller,
                    "mutation($p: String!) { addOrUpdateDependent(birthdate: \"2012-02-02\", dependentEmail: \"orphan@h2.example\", dependentFirstName: \"Dep\", dependentLastName: \"Orphan\", parentEmail: $p) { employee { id } } }",
                    json!({"p": format!("nobody-{}@h2.example", self.run)}),
                )?;
                self.broken(
                    &reply,
                    "addOrUpdateDependent",
                    "known_parent",
                    "addOrUpdateDependent of a parent email no employee has",
                )
            }
            Refusal::OtherClientReach => self.other_client_reach(company, employee),
        }
    }

    /// The other client finds none of the caller's departments and employees by externalId (which the caller does
    /// find), and may not offboard them, add them dependents or write employees into the caller's company.
    fn other_client_reach(&self, company: usize, employee: usize) -> Result<(), CaseError> {
        let Some(other) = self.other else {
            return Ok(());
        };
        let index = company % self.companies.len();
        let c = &self.companies[index];
        if !c.departments.is_empty() {
            let department = format!("{}-d{index}-0", self.run);
            let query = "query($x: String!) { searchDepartment(externalId: $x) { id } }";
            let own = self.send(self.caller, query, json!({"x": department}))?;
            ensure!(
                own.pointer("/data/searchDepartment/id") == Some(&json!(c.departments[0])),
                "searchDepartment({department:?}) does not find the caller's department {}: {own}",
                c.departments[0]
            );
            let theirs = self.send(other, query, json!({"x": department}))?;
            ensure!(
                theirs
                    .pointer("/data/searchDepartment")
                    .is_some_and(Value::is_null),
                "another client found the caller's department {} by its externalId: {theirs}",
                c.departments[0]
            );
            let reply = self.send(
                other,
                "mutation($c: ID!, $d: ID!) { createOrUpdateEmployee(companyId: $c, departmentId: $d, dateOfOnboarding: \"2024-01-01\", email: \"intruder@h2.example\", employeeNumber: \"intruder\", firstName: \"In\", lastName: \"Truder\") { employee { id } } }",
                json!({"c": c.id, "d": c.departments[0]}),
            )?;
            self.broken(
                &reply,
                "createOrUpdateEmployee",
                OWN_COMPANIES,
                "another client's createOrUpdateEmployee in the caller's company",
            )?;
        }
        let all = self.employees();
        if all.is_empty() {
            return Ok(());
        }
        let (company, number) = &all[employee % all.len()];
        let model = &self.companies[*company].employees[number];
        let query = "query($x: String!) { searchEmployee(externalId: $x) { id } }";
        let found = self.send(other, query, json!({"x": external_id(*company, number)}))?;
        ensure!(
            found
                .pointer("/data/searchEmployee")
                .is_some_and(Value::is_null),
            "another client found the caller's employee {:?} by its externalId: {found}",
            model.id
        );
        let own = self.send(
            self.caller,
            query,
            json!({"x": external_id(*company, number)}),
        )?;
        ensure!(
            own.pointer("/data/searchEmployee/id") == Some(&json!(model.id)),
            "searchEmployee({:?}) does not find the caller's employee {:?}: {own}",
            external_id(*company, number),
            model.id
        );
        let reply = self.send(
            other,
            "mutation($id: ID!) { setOffboardingDate(employeeId: $id, dateOfOffboarding: \"2099-01-01\") { employee { id } } }",
            json!({"id": model.id}),
        )?;
        self.broken(
            &reply,
            "setOffboardingDate",
            OWN_COMPANIES,
            "another client's setOffboardingDate of the caller's employee",
        )?;
        let reply = self.send(
            other,
            "mutation($p: String!) { addOrUpdateDependent(birthdate: \"2012-02-02\", dependentEmail: \"intruder@h2.example\", dependentFirstName: \"In\", dependentLastName: \"Truder\", parentEmail: $p) { employee { id } } }",
            json!({"p": model.email}),
        )?;
        self.broken(
            &reply,
            "addOrUpdateDependent",
            OWN_COMPANIES,
            "another client's addOrUpdateDependent to the caller's employee",
        )
    }

    /// The other client neither finds nor lists the caller's company, nor creates a department in it.
    pub(super) fn other_client(&self, company: usize) -> Result<(), CaseError> {
        let Some(other) = self.other else {
            return Ok(());
        };
        let c = self.companies[company % self.companies.len()].clone();
        let reply = self.send(
            other,
            "query($e: String!) { searchCompany(externalId: $e) { id } }",
            json!({"e": c.external_id}),
        )?;
        ensure!(
            reply
                .pointer("/data/searchCompany")
                .is_some_and(Value::is_null),
            "another client found the caller's company {} by its externalId: {reply}",
            c.id
        );
        let reply = self.send(other, "mutation($c: ID!) { createDepartment(companyId: $c, departmentName: \"Intruder\") { department { id } } }", json!({"c": c.id}))?;
        self.broken(
            &reply,
            "createDepartment",
            OWN_COMPANIES,
            "another client's createDepartment in the caller's company",
        )?;
        let listed = walk_companies(self.case, other)?;
        ensure!(
            !listed.contains(&c.id),
            "another client's `companies` lists the caller's company {}",
            c.id
        );
        Ok(())
    }
}
