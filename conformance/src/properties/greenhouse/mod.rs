//! Properties that need to know Greenhouse Onboarding's domain: which mutation writes which connection, what a
//! date filter selects. The generic properties cover the rest.
//!
//! - F1: the `DateFilter` bounds of `employees` against a model computed from a full walk;
//! - M1: a proptest-state-machine model of departments, locations and employee profiles under random mutations;
//! - P8: a full walk reflects each create and delete exactly once.

pub mod filters;
pub mod model;

use serde_json::Value;

use crate::credentials::Credential;
use crate::properties::WriteProbe;
use crate::properties::rate_limit::Answer;
use crate::property::{Case, CaseError};

/// The write R4 tries while throttled: adding a department named after a marker.
pub static WRITE_PROBE: WriteProbe = WriteProbe {
    field: "addDepartment",
    can_write: |_| true,
    prepare: |_, _, _| Ok(Value::Null),
    write: |case, url, credential, _, marker| {
        Ok(Answer::Graphql(case.graphql_at(
            url,
            credential,
            &add_department(marker),
            None,
        )?))
    },
    find: |case, url, credential, _, marker| find_department(case, url, credential, marker),
    graphql_mutation: Some(add_department),
};

/// The mutation that adds a department named `marker`.
fn add_department(marker: &str) -> String {
    format!(
        "mutation {{ addDepartment(addDepartmentInput: {{name: {}}}) {{ department {{ id }} }} }}",
        Value::String(marker.to_owned())
    )
}

/// Whether a department of that name exists (a walk of `departments`).
fn find_department(
    case: &Case<'_, '_>,
    url: &str,
    credential: Option<&Credential>,
    name: &str,
) -> Result<bool, CaseError> {
    let mut after: Option<String> = None;
    for _ in 0..4 {
        let args = match &after {
            Some(a) => format!("first: 25, after: {}", Value::String(a.clone())),
            None => "first: 25".to_owned(),
        };
        let query = format!(
            "{{ departments({args}) {{ edges {{ node {{ name }} }} pageInfo {{ hasNextPage endCursor }} }} }}"
        );
        let reply = case.graphql_at(url, credential, &query, None)?;
        let Some(page) = reply.field("departments") else {
            return Err(CaseError::Inconclusive(format!(
                "R4 could not look for its write: `departments` returned no page: {}",
                reply.error_digest(case.cx.rules)
            )));
        };
        let found = page
            .get("edges")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .any(|e| e.pointer("/node/name").and_then(Value::as_str) == Some(name));
        if found {
            return Ok(true);
        }
        let info = &page["pageInfo"];
        if info.get("hasNextPage").and_then(Value::as_bool) != Some(true) {
            return Ok(false);
        }
        let next = info
            .get("endCursor")
            .and_then(Value::as_str)
            .map(str::to_owned);
        if next.is_none() || next == after {
            break;
        }
        after = next;
    }
    // The walk does not end (a pagination defect the P properties report): nothing can be said here.
    Err(CaseError::Inconclusive(format!(
        "R4 could not finish a walk of `departments` to look for `{name}` (see the pagination properties)"
    )))
}
