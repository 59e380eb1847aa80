//! H2's read-back: the companies a case wrote, read whole and compared with the model, and the other client's walk
//! of its own companies.

use chrono::{NaiveDate, Utc};
use serde_json::{Value, json};

use super::{EmployeeModel, Machine};
use crate::ensure;
use crate::property::CaseError;

impl Machine<'_, '_, '_> {
    /// Reads every company of the model back and compares it with the model.
    pub(super) fn read_back(&self) -> Result<(), CaseError> {
        const QUERY: &str = "query($e: String!) { searchCompany(externalId: $e) { id name
          departments(first: 100) { totalCount edges { node { id } } }
          employees(first: 100) { totalCount edges { node { id employeeNumber dateOfOnboarding dateOfOffboarding onboardedAt
            nbDependents nbDependentsOnboarded nbDependentsOffboarded
            dependents(first: 100) { totalCount edges { node { email dateOfOnboarding dateOfOffboarding onboardedAt } } } } } } } }";
        for c in &self.companies {
            let reply = self.send(self.caller, QUERY, json!({"e": c.external_id}))?;
            let got = reply
                .pointer("/data/searchCompany")
                .filter(|v| !v.is_null())
                .ok_or_else(|| {
                    CaseError::fail(format!(
                        "searchCompany({:?}) did not find the company: {reply}",
                        c.external_id
                    ))
                })?;
            ensure!(
                got["id"] == json!(c.id) && got["name"] == json!(c.name),
                "company {} reads back as {got}",
                c.id
            );
            let departments = ids(&got["departments"]);
            ensure!(
                got["departments"]["totalCount"] == json!(departments.len()),
                "departments.totalCount {} for {} departments",
                got["departments"]["totalCount"],
                departments.len()
            );
            let mut expected = c.departments.clone();
            expected.sort();
            ensure!(
                departments == expected,
                "company {} has the departments {departments:?}; the model {expected:?}",
                c.id
            );
            let employees: Vec<&Value> = nodes(&got["employees"])
                .into_iter()
                .filter(|e| {
                    e["employeeNumber"]
                        .as_str()
                        .is_some_and(|n| n.starts_with(&self.run))
                })
                .collect();
            ensure!(
                employees.len() == c.employees.len(),
                "company {} has {} employees of this case; the model {} (numbers {:?})",
                c.id,
                employees.len(),
                c.employees.len(),
                employees
                    .iter()
                    .map(|e| &e["employeeNumber"])
                    .collect::<Vec<_>>()
            );
            for e in employees {
                let number = e["employeeNumber"].as_str().unwrap_or_default();
                let model = c.employees.get(number).ok_or_else(|| {
                    CaseError::fail(format!("employee number {number} is not in the model"))
                })?;
                self.compare(e, model)?;
            }
        }
        Ok(())
    }

    fn compare(&self, got: &Value, model: &EmployeeModel) -> Result<(), CaseError> {
        let today = self.today;
        let window = (Some(model.on), model.off);
        ensure!(
            got["id"] == json!(model.id),
            "employee {} has id {}",
            got["employeeNumber"],
            got["id"]
        );
        ensure!(
            got["dateOfOnboarding"] == json!(model.on)
                && got["dateOfOffboarding"] == json!(model.off),
            "employee {} dates read back as {} / {}; the model {} / {:?}",
            got["id"],
            got["dateOfOnboarding"],
            got["dateOfOffboarding"],
            model.on,
            model.off
        );
        ensure!(
            same_instant(&got["onboardedAt"], onboarded_at(window, today)),
            "employee {} onboardedAt is {}; the model {:?} (today {today})",
            got["id"],
            got["onboardedAt"],
            onboarded_at(window, today)
        );
        let deps: Vec<(Option<NaiveDate>, Option<NaiveDate>)> = model
            .dependents
            .values()
            .map(|(on, off)| (on.or(Some(model.on)), off.or(model.off)))
            .collect();
        let onboarded = deps.iter().filter(|w| access(**w, today)).count();
        let offboarded = deps
            .iter()
            .filter(|w| w.1.is_some_and(|d| d < today))
            .count();
        let counts = (
            got["nbDependents"].clone(),
            got["nbDependentsOnboarded"].clone(),
            got["nbDependentsOffboarded"].clone(),
        );
        ensure!(
            counts == (json!(deps.len()), json!(onboarded), json!(offboarded)),
            "employee {} counts (nbDependents, onboarded, offboarded) are {counts:?}; the model ({}, {onboarded}, {offboarded}) on {today} with dependents {:?}",
            got["id"],
            deps.len(),
            model.dependents
        );
        let dependents = nodes(&got["dependents"]);
        ensure!(
            got["dependents"]["totalCount"] == json!(dependents.len())
                && dependents.len() == model.dependents.len(),
            "employee {} has {} dependents (totalCount {}); the model {}",
            got["id"],
            dependents.len(),
            got["dependents"]["totalCount"],
            model.dependents.len()
        );
        for d in dependents {
            let email = d["email"].as_str().unwrap_or_default();
            let Some((on, off)) = model.dependents.get(email) else {
                return Err(CaseError::fail(format!(
                    "employee {} has a dependent {email} the model does not",
                    got["id"]
                )));
            };
            ensure!(
                d["dateOfOnboarding"] == json!(on) && d["dateOfOffboarding"] == json!(off),
                "dependent {email} dates read back as {} / {}; the model {on:?} / {off:?}",
                d["dateOfOnboarding"],
                d["dateOfOffboarding"]
            );
            let effective = (on.or(Some(model.on)), off.or(model.off));
            ensure!(
                same_instant(&d["onboardedAt"], onboarded_at(effective, today)),
                "dependent {email} onboardedAt is {}; the model {:?}",
                d["onboardedAt"],
                onboarded_at(effective, today)
            );
        }
        Ok(())
    }
}

fn access((on, off): (Option<NaiveDate>, Option<NaiveDate>), today: NaiveDate) -> bool {
    on.is_some_and(|d| d <= today) && off.is_none_or(|d| today <= d)
}

fn onboarded_at(
    (on, _): (Option<NaiveDate>, Option<NaiveDate>),
    today: NaiveDate,
) -> Option<chrono::DateTime<Utc>> {
    on.filter(|d| *d <= today)
        .map(|d| d.and_time(chrono::NaiveTime::MIN).and_utc())
}

fn same_instant(got: &Value, expected: Option<chrono::DateTime<Utc>>) -> bool {
    match (got.as_str(), expected) {
        (None, None) => got.is_null(),
        (Some(text), Some(at)) => chrono::DateTime::parse_from_rfc3339(text).is_ok_and(|t| t == at),
        _ => false,
    }
}

fn nodes(connection: &Value) -> Vec<&Value> {
    connection["edges"]
        .as_array()
        .map(|edges| edges.iter().map(|e| &e["node"]).collect())
        .unwrap_or_default()
}

fn ids(connection: &Value) -> Vec<String> {
    let mut ids: Vec<String> = nodes(connection)
        .iter()
        .filter_map(|n| n["id"].as_str().map(str::to_owned))
        .collect();
    ids.sort();
    ids
}
