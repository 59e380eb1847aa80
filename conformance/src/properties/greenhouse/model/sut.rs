//! The system under test of M1 and P8: the target, what a case learned of it (real ids, the nodes before it wrote),
//! and each step sent and its answer checked against the model.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::machine::{Change, EMPLOYEE_FIELDS, EMPLOYEES, Kind, Model, Record, Step};
use crate::ensure;
use crate::graphql::{Reply, not_found_code};
use crate::property::{Case, CaseError};

/// The system under test: the target, and what this case learned of it.
pub(super) struct Sut<'c, 'x, 'a> {
    case: &'c Case<'x, 'a>,
    /// Real ids by kind and creation index.
    ids: [Vec<String>; 2],
    /// Nodes of each connection before the case wrote anything.
    pub(super) baseline: [usize; 2],
    employees: Vec<String>,
    /// Employee profile fields as last read or written.
    profiles: BTreeMap<String, Map<String, Value>>,
}

fn int_id(id: &str) -> String {
    match id.parse::<i64>() {
        Ok(n) => n.to_string(),
        Err(_) => Value::String(id.to_owned()).to_string(),
    }
}

fn quote(s: &str) -> String {
    Value::String(s.to_owned()).to_string()
}

fn id_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

impl<'c, 'x, 'a> Sut<'c, 'x, 'a> {
    pub(super) fn new(case: &'c Case<'x, 'a>, with_employees: bool) -> Result<Self, CaseError> {
        let mut sut = Sut {
            case,
            ids: [Vec::new(), Vec::new()],
            baseline: [0, 0],
            employees: Vec::new(),
            profiles: BTreeMap::new(),
        };
        for kind in [Kind::Department, Kind::Location] {
            sut.baseline[kind.index()] = sut.walk(kind, 25)?.len();
        }
        if with_employees {
            let reply = sut.query(&format!(
                "{{ employees(first: {EMPLOYEES}) {{ edges {{ node {{ id }} }} }} }}"
            ))?;
            sut.employees = reply
                .field("employees")
                .and_then(|e| e.get("edges"))
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|e| e.pointer("/node/id").and_then(id_text))
                .collect();
        }
        Ok(sut)
    }

    pub(super) fn query(&self, query: &str) -> Result<Reply, CaseError> {
        self.case
            .graphql(self.case.cx.target.primary(), query, None)
    }

    /// Sends the delete of a department or location.
    pub(super) fn delete(&self, kind: Kind, id: &str) -> Result<Reply, CaseError> {
        let t = kind.type_name();
        self.query(&format!(
            "mutation {{ delete{t}(delete{t}Input: {{id: {}}}) {{ {} }} }}",
            quote(id),
            kind.deleted_field()
        ))
    }

    /// A full walk of a connection: (id, record) in order.
    pub(super) fn walk(&self, kind: Kind, size: i64) -> Result<Vec<(String, Record)>, CaseError> {
        let mut nodes = Vec::new();
        let mut after: Option<String> = None;
        for _ in 0..2_000 {
            let mut args = format!("first: {size}");
            if let Some(a) = &after {
                args.push_str(&format!(", after: {}", quote(a)));
            }
            let reply = self.query(&format!(
                "{{ {}({args}) {{ edges {{ node {{ id name description email }} }} pageInfo {{ hasNextPage endCursor }} }} }}",
                kind.plural()
            ))?;
            let page = reply.field(kind.plural()).ok_or_else(|| {
                CaseError::fail(format!(
                    "`{}({args})` returned no page: {}",
                    kind.plural(),
                    reply.error_digest(self.case.cx.rules)
                ))
            })?;
            for edge in page
                .get("edges")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let node = &edge["node"];
                nodes.push((
                    node.get("id").and_then(id_text).unwrap_or_default(),
                    record(node),
                ));
            }
            if page
                .pointer("/pageInfo/hasNextPage")
                .and_then(Value::as_bool)
                != Some(true)
            {
                return Ok(nodes);
            }
            let next = page
                .pointer("/pageInfo/endCursor")
                .and_then(Value::as_str)
                .map(str::to_owned);
            ensure!(
                next.is_some() && next != after,
                "a walk of `{}` does not advance",
                kind.plural()
            );
            after = next;
        }
        Err(CaseError::fail(format!(
            "a walk of `{}` does not end",
            kind.plural()
        )))
    }

    pub(super) fn add(&mut self, kind: Kind, r: &Record) -> Result<String, CaseError> {
        let mut input = vec![format!("name: {}", quote(&r.name))];
        if let Some(d) = &r.description {
            input.push(format!("description: {}", quote(d)));
        }
        if let Some(e) = &r.email {
            input.push(format!("email: {}", quote(e)));
        }
        let t = kind.type_name();
        let single = kind.single();
        let reply = self.query(&format!(
            "mutation {{ add{t}(add{t}Input: {{{}}}) {{ {single} {{ id name description email }} }} }}",
            input.join(", ")
        ))?;
        let node = self.payload(&reply, &format!("add{t}"), single)?;
        ensure!(
            record(node) == *r,
            "add{t} returned {node}; it was sent {r:?}"
        );
        let id = node
            .get("id")
            .and_then(id_text)
            .ok_or_else(|| CaseError::fail(format!("add{t} returned no id")))?;
        ensure!(
            !self.ids[kind.index()].contains(&id),
            "add{t} returned the id {id}, already given to an earlier {single} (ids must not be reused)"
        );
        self.ids[kind.index()].push(id.clone());
        Ok(id)
    }

    /// The record a mutation's payload holds under `single`, which must be there.
    fn payload<'r>(
        &self,
        reply: &'r Reply,
        field: &str,
        single: &str,
    ) -> Result<&'r Value, CaseError> {
        reply
            .field(field)
            .and_then(|p| p.get(single))
            .filter(|n| n.is_object())
            .ok_or_else(|| {
                CaseError::fail(format!(
                    "{field} returned no {single}: {}",
                    reply.error_digest(self.case.cx.rules)
                ))
            })
    }

    fn expect_not_found(&self, reply: &Reply, what: &str) -> Result<(), CaseError> {
        ensure!(reply.has_errors(), "{what} of a deleted record succeeded");
        if let Some(code) = not_found_code(self.case.cx.rules) {
            ensure!(
                reply.has_code(self.case.cx.rules, code),
                "{what} of a deleted record must be `{code}`; got {}",
                reply.error_digest(self.case.cx.rules)
            );
        }
        Ok(())
    }

    pub(super) fn apply(
        &mut self,
        before: &Model,
        after: &Model,
        step: &Step,
    ) -> Result<(), CaseError> {
        match step {
            Step::Add { kind, .. } => {
                let record = after.created[kind.index()]
                    .last()
                    .cloned()
                    .flatten()
                    .ok_or_else(|| CaseError::fail("the model lost an added record"))?;
                self.add(*kind, &record)?;
            }
            Step::Update {
                kind,
                target,
                name,
                description,
                email,
            } => {
                let i = target.index(before.created[kind.index()].len());
                let id = self.ids[kind.index()][i].clone();
                let t = kind.type_name();
                let single = kind.single();
                let mut input = vec![format!("id: {}", quote(&id))];
                if let Some(n) = name {
                    input.push(format!("name: {}", quote(n)));
                }
                for (field, change) in [("description", description), ("email", email)] {
                    match change {
                        Change::Absent => {}
                        Change::Null => input.push(format!("{field}: null")),
                        Change::Set(v) => input.push(format!("{field}: {}", quote(v))),
                    }
                }
                let reply = self.query(&format!(
                    "mutation {{ update{t}(update{t}Input: {{{}}}) {{ {single} {{ id name description email }} }} }}",
                    input.join(", ")
                ))?;
                match &after.created[kind.index()][i] {
                    None => self.expect_not_found(&reply, &format!("update{t}"))?,
                    Some(expected) => {
                        let node = self.payload(&reply, &format!("update{t}"), single)?;
                        ensure!(
                            record(node) == *expected,
                            "update{t} returned {node}; the model expects {expected:?} (absent fields keep their value, null clears)"
                        );
                    }
                }
            }
            Step::Delete { kind, target } => {
                let i = target.index(before.created[kind.index()].len());
                let id = self.ids[kind.index()][i].clone();
                let t = kind.type_name();
                let reply = self.delete(*kind, &id)?;
                if before.created[kind.index()][i].is_none() {
                    self.expect_not_found(&reply, &format!("delete{t}"))?;
                } else {
                    let deleted = reply
                        .field(&format!("delete{t}"))
                        .and_then(|p| p.get(kind.deleted_field()))
                        .and_then(id_text);
                    ensure!(
                        deleted.as_deref() == Some(id.as_str()),
                        "delete{t} of {id} returned {} = {deleted:?} ({})",
                        kind.deleted_field(),
                        reply.error_digest(self.case.cx.rules)
                    );
                }
            }
            Step::Read { kind, target } => {
                let i = target.index(before.created[kind.index()].len());
                let id = self.ids[kind.index()][i].clone();
                let single = kind.single();
                let reply = self.query(&format!(
                    "{{ {single}(id: {}) {{ id name description email }} }}",
                    int_id(&id)
                ))?;
                match &before.created[kind.index()][i] {
                    None => {
                        ensure!(
                            reply.field(single).is_none(),
                            "{single}({id}) was deleted but is still returned: {}",
                            reply.body
                        );
                        self.expect_not_found(&reply, &format!("{single}(id:)"))?;
                    }
                    Some(expected) => {
                        let node = reply.field(single).ok_or_else(|| {
                            CaseError::fail(format!(
                                "{single}({id}) returned nothing: {}",
                                reply.error_digest(self.case.cx.rules)
                            ))
                        })?;
                        ensure!(
                            record(node) == *expected,
                            "{single}({id}) reads {node}; the model has {expected:?}"
                        );
                    }
                }
            }
            Step::Walk { kind, size } => self.check_walk(*kind, *size, after)?,
            Step::UpdateEmployee { employee, changes } => {
                if self.employees.is_empty() {
                    return Ok(());
                }
                let id = self.employees[employee % self.employees.len()].clone();
                let selection = EMPLOYEE_FIELDS.join(" ");
                let current = match self.profiles.get(&id) {
                    Some(p) => p.clone(),
                    None => {
                        let reply = self.query(&format!(
                            "{{ employee(id: {}) {{ {selection} }} }}",
                            int_id(&id)
                        ))?;
                        reply
                            .field("employee")
                            .and_then(Value::as_object)
                            .cloned()
                            .ok_or_else(|| {
                                CaseError::fail(format!(
                                    "employee({id}) returned nothing: {}",
                                    reply.error_digest(self.case.cx.rules)
                                ))
                            })?
                    }
                };
                let mut expected = current.clone();
                let mut input = Vec::new();
                let mut mentioned = std::collections::BTreeSet::new();
                for (field, change) in changes {
                    let name = EMPLOYEE_FIELDS[*field];
                    if !mentioned.insert(name) {
                        continue;
                    }
                    match change {
                        Change::Absent => {}
                        Change::Null => {
                            input.push(format!("{name}: null"));
                            expected.insert(name.to_owned(), Value::Null);
                        }
                        Change::Set(v) => {
                            input.push(format!("{name}: {}", quote(v)));
                            expected.insert(name.to_owned(), Value::String(v.clone()));
                        }
                    }
                }
                let reply = self.query(&format!(
                    "mutation {{ updateEmployeeProfile(id: {}, employeeUpdates: {{{}}}) {{ {selection} }} }}",
                    quote(&id),
                    input.join(", ")
                ))?;
                let got = reply
                    .field("updateEmployeeProfile")
                    .and_then(Value::as_object)
                    .cloned()
                    .ok_or_else(|| {
                        CaseError::fail(format!(
                            "updateEmployeeProfile({id}) returned nothing: {}",
                            reply.error_digest(self.case.cx.rules)
                        ))
                    })?;
                for field in EMPLOYEE_FIELDS {
                    let want = expected.get(field).unwrap_or(&Value::Null);
                    let have = got.get(field).unwrap_or(&Value::Null);
                    ensure!(
                        want == have,
                        "updateEmployeeProfile({id}) with {{{}}} left `{field}` = {have}; the model expects {want} ({})",
                        input.join(", "),
                        if mentioned.contains(field) {
                            "the update set it"
                        } else {
                            "the update did not mention it, so it must keep its value"
                        }
                    );
                }
                self.profiles.insert(id, got);
            }
        }
        Ok(())
    }

    pub(super) fn check_walk(&self, kind: Kind, size: i64, model: &Model) -> Result<(), CaseError> {
        let nodes = self.walk(kind, size)?;
        let mut seen = std::collections::HashSet::new();
        for (id, _) in &nodes {
            ensure!(
                seen.insert(id.clone()),
                "a walk of `{}` with first: {size} returns {id} twice",
                kind.plural()
            );
        }
        let live: usize = model.created[kind.index()].iter().flatten().count();
        for (i, entry) in model.created[kind.index()].iter().enumerate() {
            let id = &self.ids[kind.index()][i];
            let found: Vec<_> = nodes.iter().filter(|(n, _)| n == id).collect();
            match entry {
                Some(r) => {
                    ensure!(
                        found.len() == 1,
                        "a walk of `{}` with first: {size} holds the created {id} {} times, not once",
                        kind.plural(),
                        found.len()
                    );
                    ensure!(
                        found[0].1 == *r,
                        "a walk of `{}` shows {id} as {:?}; the model has {r:?}",
                        kind.plural(),
                        found[0].1
                    );
                }
                None => ensure!(
                    found.is_empty(),
                    "a walk of `{}` still holds the deleted {id}",
                    kind.plural()
                ),
            }
        }
        ensure!(
            nodes.len() == self.baseline[kind.index()] + live,
            "a walk of `{}` with first: {size} holds {} nodes; {} before this case plus {live} created and not deleted = {}",
            kind.plural(),
            nodes.len(),
            self.baseline[kind.index()],
            self.baseline[kind.index()] + live
        );
        Ok(())
    }

    /// Deletes what the case created and left, so that cases do not pile data up.
    pub(super) fn cleanup(&self, model: &Model) {
        for kind in [Kind::Department, Kind::Location] {
            for (i, entry) in model.created[kind.index()].iter().enumerate() {
                if entry.is_some() {
                    let _ = self.delete(kind, &self.ids[kind.index()][i]);
                }
            }
        }
    }
}

fn record(node: &Value) -> Record {
    let text = |k: &str| node.get(k).and_then(Value::as_str).map(str::to_owned);
    Record {
        name: text("name").unwrap_or_default(),
        description: text("description"),
        email: text("email"),
    }
}
