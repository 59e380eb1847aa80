//! P8 for Healthmov: a full walk of a connection reflects each write exactly once. Healthmov deletes nothing; its
//! writes are creates and keyed create-or-updates, so the walk must hold a created node once, count it in
//! `totalCount`, and still hold it once (not twice) after a write under the same key.

use proptest::prelude::*;
use serde_json::{Value, json};

use super::session::nanos;
use crate::credentials::Credential;
use crate::ensure;
use crate::property::{Case, CaseError, Check, Context, Group, Property, check};

pub static P8: Property = Property {
    id: "P8",
    name: "walk-reflects-writes",
    statement: "After a create, a full walk of its connection (the client's `companies`, a company's `departments` or `employees`) holds the new node exactly once and `totalCount` counts it; after a create-or-update under the same key it still holds it once; the other nodes are unchanged.",
    group: Group::Stateful,
    writes: true,
    max_cases: None,
    run,
};

/// The connection a case writes to and walks.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Company,
    Department,
    Employee,
}

/// A connection to walk: the query (taking `$n` and `$a`, and `$e` below a company) and where the page is.
struct Connection {
    query: &'static str,
    pointer: &'static str,
    /// The externalId of the company it hangs below.
    company: Option<String>,
}

impl Connection {
    fn companies() -> Self {
        Connection {
            query: "query($n: Int, $a: String) { companies(first: $n, after: $a) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }",
            pointer: "/data/companies",
            company: None,
        }
    }

    fn below(kind: Kind, external_id: &str) -> Self {
        let (query, pointer) = match kind {
            Kind::Department => (
                "query($e: String!, $n: Int, $a: String) { searchCompany(externalId: $e) { departments(first: $n, after: $a) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } } }",
                "/data/searchCompany/departments",
            ),
            _ => (
                "query($e: String!, $n: Int, $a: String) { searchCompany(externalId: $e) { employees(first: $n, after: $a) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } } }",
                "/data/searchCompany/employees",
            ),
        };
        Connection {
            query,
            pointer,
            company: Some(external_id.to_owned()),
        }
    }
}

/// The ids of a whole walk, `size` a page, after checking that every page's `totalCount` is the number of nodes
/// walked.
fn walk(
    case: &Case<'_, '_>,
    credential: &Credential,
    connection: &Connection,
    size: i64,
) -> Result<Vec<String>, CaseError> {
    let mut ids = Vec::new();
    let mut counts = Vec::new();
    let mut after = Value::Null;
    for _ in 0..1000 {
        let mut variables = json!({"n": size, "a": after});
        if let Some(e) = &connection.company {
            variables["e"] = json!(e);
        }
        let reply = case.graphql(Some(credential), connection.query, Some(&variables))?;
        let page = reply
            .body
            .pointer(connection.pointer)
            .filter(|p| p.is_object())
            .ok_or_else(|| {
                CaseError::fail(format!(
                    "no page at `{}`: {}",
                    connection.pointer, reply.body
                ))
            })?;
        ids.extend(
            page["edges"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|e| e["node"]["id"].as_str().map(str::to_owned)),
        );
        counts.push(page["totalCount"].clone());
        if page["pageInfo"]["hasNextPage"] != json!(true) {
            ensure!(
                counts.iter().all(|c| *c == json!(ids.len())),
                "a walk of `{}` holds {} nodes, but its pages' totalCount say {counts:?}",
                connection.pointer,
                ids.len()
            );
            return Ok(ids);
        }
        after = page["pageInfo"]["endCursor"].clone();
    }
    Err(CaseError::fail(format!(
        "the walk of `{}` did not end after 1000 pages",
        connection.pointer
    )))
}

/// The client's companies, walked to the end, 5 a page (the most a page holds).
pub fn walk_companies(
    case: &Case<'_, '_>,
    credential: &Credential,
) -> Result<Vec<String>, CaseError> {
    walk(case, credential, &Connection::companies(), 5)
}

fn run(cx: &Context<'_>) -> Check {
    let Some(caller) = cx.target.primary() else {
        return Check::not_applicable("no credential");
    };
    // The client's companies are many once the other properties have written (each case adds one): their walk is
    // the costly one, so it is drawn less often, and walked 5 a page (the most a page holds).
    let kind = prop_oneof![
        1 => Just(Kind::Company),
        2 => Just(Kind::Department),
        2 => Just(Kind::Employee),
    ];
    check(cx, (kind, 1i64..=5), |case, (kind, size)| {
        let writes = Writes {
            case,
            caller,
            run: format!("p8-{}", nanos()),
        };
        match kind {
            Kind::Company => writes.companies(5),
            Kind::Department => writes.departments(size),
            Kind::Employee => writes.employees(size),
        }
    })
}

/// One case's writes, under keys of its own (`run`).
struct Writes<'w, 'c, 'a> {
    case: &'w Case<'c, 'a>,
    caller: &'w Credential,
    run: String,
}

impl Writes<'_, '_, '_> {
    /// Sends a write and reads the id at `pointer`; no id fails the case.
    fn write(&self, query: &str, variables: Value, pointer: &str) -> Result<String, CaseError> {
        let reply = self
            .case
            .graphql(Some(self.caller), query, Some(&variables))?;
        reply
            .body
            .pointer(pointer)
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| {
                CaseError::fail(format!(
                    "a valid write gave no id at {pointer}: {}",
                    reply.body
                ))
            })
    }

    fn company(&self, external_id: &str, name: &str) -> Result<String, CaseError> {
        self.write(
            "mutation($n: String!, $e: String) { createOrUpdateCompany(companyName: $n, logoUrl: \"https://example.com/l.png\", externalId: $e) { company { id } } }",
            json!({"n": name, "e": external_id}),
            "/data/createOrUpdateCompany/company/id",
        )
    }

    fn department(&self, company: &str) -> Result<String, CaseError> {
        self.write(
            "mutation($c: ID!) { createDepartment(companyId: $c, departmentName: \"Walked\") { department { id } } }",
            json!({"c": company}),
            "/data/createDepartment/department/id",
        )
    }

    fn employee(
        &self,
        company: &str,
        department: &str,
        number: &str,
        on: &str,
    ) -> Result<String, CaseError> {
        self.write(
            "mutation($c: ID!, $d: ID!, $n: String!, $on: Date!, $email: String!) { createOrUpdateEmployee(companyId: $c, departmentId: $d, employeeNumber: $n, dateOfOnboarding: $on, email: $email, firstName: \"Walked\", lastName: \"Employee\") { employee { id } } }",
            json!({"c": company, "d": department, "n": number, "on": on, "email": format!("{number}@p8.example")}),
            "/data/createOrUpdateEmployee/employee/id",
        )
    }

    fn companies(&self, size: i64) -> Result<(), CaseError> {
        let connection = Connection::companies();
        let before = walk(self.case, self.caller, &connection, size)?;
        let id = self.company(&self.run, "Walked company")?;
        let after = walk(self.case, self.caller, &connection, size)?;
        holds_once(&after, &before, &[&id], "a createOrUpdateCompany")?;
        let again = self.company(&self.run, "Walked company, renamed")?;
        ensure!(
            again == id,
            "createOrUpdateCompany with the externalId of company {id} answered another company {again}"
        );
        let renamed = walk(self.case, self.caller, &connection, size)?;
        holds_once(
            &renamed,
            &before,
            &[&id],
            "a createOrUpdateCompany of a known externalId",
        )
    }

    fn departments(&self, size: i64) -> Result<(), CaseError> {
        let company = self.company(&self.run, "Walked company")?;
        let connection = Connection::below(Kind::Department, &self.run);
        let first = self.department(&company)?;
        let walked = walk(self.case, self.caller, &connection, size)?;
        holds_once(&walked, &[], &[&first], "a createDepartment")?;
        let second = self.department(&company)?;
        let walked = walk(self.case, self.caller, &connection, size)?;
        holds_once(
            &walked,
            &[],
            &[&first, &second],
            "a second createDepartment",
        )
    }

    fn employees(&self, size: i64) -> Result<(), CaseError> {
        let company = self.company(&self.run, "Walked company")?;
        let department = self.department(&company)?;
        let connection = Connection::below(Kind::Employee, &self.run);
        let (a, b) = (format!("{}-a", self.run), format!("{}-b", self.run));
        let first = self.employee(&company, &department, &a, "2024-01-01")?;
        let second = self.employee(&company, &department, &b, "2024-01-01")?;
        let walked = walk(self.case, self.caller, &connection, size)?;
        holds_once(
            &walked,
            &[],
            &[&first, &second],
            "two createOrUpdateEmployee",
        )?;
        let again = self.employee(&company, &department, &a, "2024-02-01")?;
        ensure!(
            again == first,
            "createOrUpdateEmployee with the employee number of {first} answered another employee {again}"
        );
        let walked = walk(self.case, self.caller, &connection, size)?;
        holds_once(
            &walked,
            &[],
            &[&first, &second],
            "a createOrUpdateEmployee of a known employee number",
        )
    }
}

/// The walk holds each of `written` exactly once, and otherwise exactly the nodes of `before`.
fn holds_once(
    walked: &[String],
    before: &[String],
    written: &[&String],
    after_what: &str,
) -> Result<(), CaseError> {
    for id in written {
        let times = walked.iter().filter(|w| w == id).count();
        ensure!(
            times == 1,
            "after {after_what}, a full walk holds {id} {times} times, not once"
        );
    }
    let mut others: Vec<&String> = walked.iter().filter(|w| !written.contains(w)).collect();
    let mut expected: Vec<&String> = before.iter().collect();
    others.sort();
    expected.sort();
    ensure!(
        others == expected,
        "after {after_what}, the walk's other nodes changed: {others:?}, before {expected:?}"
    );
    Ok(())
}
