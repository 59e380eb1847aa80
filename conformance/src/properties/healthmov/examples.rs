//! The Healthmov document's examples as X1 runs them: the placeholders the document leaves in their variables are
//! filled from the target's data (`"ID!"` with the id of a company, department or employee of the caller; "your
//! username" with the credential's; "an ID from your DB" with an id unique to the run), and `logout` and
//! `refreshToken` run in a session of their own, so that they do not end the session the other properties use.

use serde_json::Value;

use super::session::{self, Tokens};
use crate::credentials::Credential;
use crate::property::{Case, CaseError};

/// What an example is sent with: the credential and the variables.
#[derive(Debug)]
pub struct ExampleInput {
    pub credential: Option<Credential>,
    pub variables: Option<Value>,
}

/// The credential and variables of the example `name` (file stem) of the Healthmov document.
pub fn prepare(
    case: &Case<'_, '_>,
    name: &str,
    variables: Option<Value>,
) -> Result<ExampleInput, CaseError> {
    let primary = case.cx.target.primary().cloned();
    let own_session = name.contains("logout") || name.contains("refresh_token");
    let credential = match (&primary, own_session) {
        (Some(primary), true) => {
            let tokens: Tokens = session::log_in(case, &case.cx.target.graphql_url(), primary)?
                .ok_or_else(|| CaseError::Reject("the credential is a token, not a user name and password: logout would end it".to_owned()))?;
            let token = if name.contains("refresh_token") {
                tokens.refresh
            } else {
                tokens.access
            };
            Some(Credential {
                authorization: format!("Bearer {token}"),
                ..primary.clone()
            })
        }
        _ => primary.clone(),
    };
    let Some(Value::Object(mut map)) = variables else {
        return Ok(ExampleInput {
            credential,
            variables,
        });
    };
    let unique = format!("x1-{name}-{}", session::nanos());
    // An offboarding date must not precede the employee's onboarding: pick an employee onboarded by then.
    let offboarding = map
        .get("dateOfOffboarding")
        .and_then(Value::as_str)
        .map(str::to_owned);
    for (key, value) in map.iter_mut() {
        let Some(text) = value.as_str() else { continue };
        let login = |pick: fn(&Credential) -> Option<String>| {
            primary
                .as_ref()
                .and_then(pick)
                .map_or_else(|| value.clone(), Value::from)
        };
        *value = match (key.as_str(), text) {
            ("username", _) => login(|c| c.username.clone()),
            ("password", _) => login(|c| c.password.clone()),
            ("externalId", _) => Value::from(unique.clone()),
            ("companyId", "ID!") => first_company(case, "id")?,
            ("departmentId", "ID!") => {
                first_company(case, "departments(first: 1) { edges { node { id } } }")?
            }
            ("parentEmail", _) => {
                first_company(case, "employees(first: 1) { edges { node { email } } }")?
            }
            ("employeeId", "ID!") => employee_onboarded_by(case, offboarding.as_deref())?,
            _ => continue,
        };
    }
    Ok(ExampleInput {
        credential,
        variables: Some(Value::Object(map)),
    })
}

/// The first string under `selection` of the caller's first company.
fn first_company(case: &Case<'_, '_>, selection: &str) -> Result<Value, CaseError> {
    let query = format!("{{ companies(first: 1) {{ edges {{ node {{ {selection} }} }} }} }}");
    let reply = case.graphql(case.cx.target.primary(), &query, None)?;
    first_string(reply.field("companies").unwrap_or(&Value::Null))
        .map(Value::from)
        .ok_or_else(|| {
            CaseError::Reject(format!(
                "the caller's first company has no `{selection}` to fill the example with"
            ))
        })
}

/// An employee of the caller's first company onboarded on or before `date` (any employee when there is no date).
fn employee_onboarded_by(case: &Case<'_, '_>, date: Option<&str>) -> Result<Value, CaseError> {
    let query = "{ companies(first: 1) { edges { node { employees(first: 100) { edges { node { id dateOfOnboarding } } } } } } }";
    let reply = case.graphql(case.cx.target.primary(), query, None)?;
    let edges = reply
        .field("companies")
        .and_then(|c| c.pointer("/edges/0/node/employees/edges"))
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    edges
        .iter()
        .filter_map(|e| e.get("node"))
        .find(|n| {
            let on = n.get("dateOfOnboarding").and_then(Value::as_str);
            date.is_none_or(|d| on.is_some_and(|on| on <= d))
        })
        .and_then(|n| n.get("id").cloned())
        .ok_or_else(|| {
            CaseError::Reject(
                "no employee of the caller's first company fits the example".to_owned(),
            )
        })
}

fn first_string(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Array(items) => items.iter().find_map(first_string),
        Value::Object(map) => map.values().find_map(first_string),
        _ => None,
    }
}
