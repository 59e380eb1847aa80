//! M1: random sequences of Greenhouse mutations and reads (proptest-state-machine), checked step by step against a
//! model of the store: what was written is read back, what was deleted is gone (and its id stays unknown), updates
//! change exactly the fields they mention (absent keeps, `null` clears), and full walks of `departments` and
//! `locations` stay exact while the data changes. P8: a full walk reflects one create and one delete exactly once.
//!
//! The model holds the departments and locations a case creates (by creation index: the real ids are learned when
//! the target answers) and, for employee profiles, what the case has read or written.

use std::collections::BTreeMap;

use proptest::prelude::*;
use proptest::sample::Index;
use proptest_state_machine::ReferenceStateMachine;
use serde_json::{Map, Value};

use crate::ensure;
use crate::graphql::not_found_code;
use crate::property::{Case, CaseError, Check, Context, Group, Property, check};

pub static M1: Property = Property {
    id: "M1",
    name: "store-model",
    statement: "Under random sequences of adds, partial updates (absent keeps, null clears), deletes, reads and full walks of departments, locations and employee profiles, every response agrees with a model of the store.",
    group: Group::Stateful,
    writes: true,
    max_cases: None,
    run: run_m1,
};

pub static P8: Property = Property {
    id: "P8",
    name: "walk-reflects-writes",
    statement: "After a create, a full walk of its connection holds the new node exactly once; after its delete, not at all; the other nodes are unchanged.",
    group: Group::Stateful,
    writes: true,
    max_cases: None,
    run: run_p8,
};

/// Departments or locations: the two kinds the mutations add, update and delete.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Department,
    Location,
}

impl Kind {
    fn type_name(self) -> &'static str {
        match self {
            Kind::Department => "Department",
            Kind::Location => "Location",
        }
    }
    fn single(self) -> &'static str {
        match self {
            Kind::Department => "department",
            Kind::Location => "location",
        }
    }
    fn plural(self) -> &'static str {
        match self {
            Kind::Department => "departments",
            Kind::Location => "locations",
        }
    }
    fn deleted_field(self) -> &'static str {
        match self {
            Kind::Department => "deletedDepartmentId",
            Kind::Location => "deletedLocationId",
        }
    }
    fn index(self) -> usize {
        match self {
            Kind::Department => 0,
            Kind::Location => 1,
        }
    }
}

/// What the model knows of one department or location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub name: String,
    pub description: Option<String>,
    pub email: Option<String>,
}

/// A nullable input field in an update: left out, `null`, or a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Absent,
    Null,
    Set(String),
}

impl Change {
    fn apply(&self, current: &Option<String>) -> Option<String> {
        match self {
            Change::Absent => current.clone(),
            Change::Null => None,
            Change::Set(v) => Some(v.clone()),
        }
    }
}

/// The employee profile fields M1 updates (free text: no validation beyond type).
pub const EMPLOYEE_FIELDS: [&str; 7] = [
    "about",
    "middleName",
    "suffix",
    "preferredFirstName",
    "preferredLastName",
    "phoneNumber",
    "title",
];

/// How many existing employees M1 updates (the first ones of a walk).
const EMPLOYEES: usize = 6;

/// One step.
#[derive(Debug, Clone)]
pub enum Step {
    Add {
        kind: Kind,
        name: String,
        description: Option<String>,
        email: Option<String>,
    },
    Update {
        kind: Kind,
        target: Index,
        name: Option<String>,
        description: Change,
        email: Change,
    },
    Delete {
        kind: Kind,
        target: Index,
    },
    Read {
        kind: Kind,
        target: Index,
    },
    Walk {
        kind: Kind,
        size: i64,
    },
    UpdateEmployee {
        employee: usize,
        changes: Vec<(usize, Change)>,
    },
}

/// The model: the records a case created, by kind and creation index (`None` once deleted).
#[derive(Debug, Clone, Default)]
pub struct Model {
    pub created: [Vec<Option<Record>>; 2],
}

/// The reference state machine.
#[derive(Debug)]
pub struct Greenhouse;

fn kind() -> impl Strategy<Value = Kind> {
    prop_oneof![Just(Kind::Department), Just(Kind::Location)]
}

fn name() -> impl Strategy<Value = String> {
    "[A-Z][a-z]{2,7}( [A-Z][a-z]{2,7})?".prop_map(|n| format!("{n} Unit"))
}

fn text() -> impl Strategy<Value = String> {
    "[A-Za-z0-9][A-Za-z0-9 ,.]{0,20}[A-Za-z0-9.]"
}

fn email() -> impl Strategy<Value = String> {
    "[a-z]{3,8}".prop_map(|l| format!("{l}@example.com"))
}

fn change(value: BoxedStrategy<String>) -> impl Strategy<Value = Change> {
    prop_oneof![
        2 => Just(Change::Absent),
        1 => Just(Change::Null),
        2 => value.prop_map(Change::Set),
    ]
}

impl ReferenceStateMachine for Greenhouse {
    type State = Model;
    type Transition = Step;

    fn init_state() -> BoxedStrategy<Model> {
        Just(Model::default()).boxed()
    }

    fn transitions(state: &Model) -> BoxedStrategy<Step> {
        let add = (
            kind(),
            name(),
            proptest::option::of(text()),
            proptest::option::of(email()),
        )
            .prop_map(|(kind, name, description, email)| Step::Add {
                kind,
                name,
                description,
                email,
            });
        let employee = (
            0..EMPLOYEES,
            proptest::collection::vec((0..EMPLOYEE_FIELDS.len(), change(text().boxed())), 1..4),
        )
            .prop_map(|(employee, changes)| Step::UpdateEmployee { employee, changes });
        let walk = (kind(), 1i64..=25).prop_map(|(kind, size)| Step::Walk { kind, size });
        if state.created.iter().all(Vec::is_empty) {
            return prop_oneof![4 => add, 2 => employee, 1 => walk].boxed();
        }
        let update = (
            kind(),
            any::<Index>(),
            proptest::option::of(name()),
            change(text().boxed()),
            change(email().boxed()),
        )
            .prop_map(|(kind, target, name, description, email)| Step::Update {
                kind,
                target,
                name,
                description,
                email,
            });
        let delete =
            (kind(), any::<Index>()).prop_map(|(kind, target)| Step::Delete { kind, target });
        let read = (kind(), any::<Index>()).prop_map(|(kind, target)| Step::Read { kind, target });
        prop_oneof![3 => add, 3 => update, 2 => delete, 2 => read, 2 => walk, 2 => employee].boxed()
    }

    fn preconditions(state: &Model, step: &Step) -> bool {
        match step {
            Step::Update { kind, .. } | Step::Delete { kind, .. } | Step::Read { kind, .. } => {
                !state.created[kind.index()].is_empty()
            }
            _ => true,
        }
    }

    fn apply(mut state: Model, step: &Step) -> Model {
        match step {
            Step::Add {
                kind,
                name,
                description,
                email,
            } => state.created[kind.index()].push(Some(Record {
                name: name.clone(),
                description: description.clone(),
                email: email.clone(),
            })),
            Step::Update {
                kind,
                target,
                name,
                description,
                email,
            } => {
                let list = &mut state.created[kind.index()];
                let i = target.index(list.len());
                if let Some(Some(r)) = list.get_mut(i) {
                    if let Some(n) = name {
                        r.name = n.clone();
                    }
                    r.description = description.apply(&r.description);
                    r.email = email.apply(&r.email);
                }
            }
            Step::Delete { kind, target } => {
                let list = &mut state.created[kind.index()];
                let i = target.index(list.len());
                list[i] = None;
            }
            Step::Read { .. } | Step::Walk { .. } | Step::UpdateEmployee { .. } => {}
        }
        state
    }
}

/// The system under test: the target, and what this case learned of it.
struct Sut<'c, 'x, 'a> {
    case: &'c Case<'x, 'a>,
    /// Real ids by kind and creation index.
    ids: [Vec<String>; 2],
    /// Nodes of each connection before the case wrote anything.
    baseline: [usize; 2],
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
    fn new(case: &'c Case<'x, 'a>, with_employees: bool) -> Result<Self, CaseError> {
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

    fn query(&self, query: &str) -> Result<crate::graphql::Reply, CaseError> {
        self.case
            .graphql(self.case.cx.target.primary(), query, None)
    }

    /// A full walk of a connection: (id, record) in order.
    fn walk(&self, kind: Kind, size: i64) -> Result<Vec<(String, Record)>, CaseError> {
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

    fn add(&mut self, kind: Kind, r: &Record) -> Result<String, CaseError> {
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
        let node = reply
            .field(&format!("add{t}"))
            .and_then(|p| p.get(single))
            .filter(|n| n.is_object())
            .ok_or_else(|| {
                CaseError::fail(format!(
                    "add{t} returned no {single}: {}",
                    reply.error_digest(self.case.cx.rules)
                ))
            })?;
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

    fn expect_not_found(&self, reply: &crate::graphql::Reply, what: &str) -> Result<(), CaseError> {
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

    fn apply(&mut self, before: &Model, after: &Model, step: &Step) -> Result<(), CaseError> {
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
                        let node = reply
                            .field(&format!("update{t}"))
                            .and_then(|p| p.get(single))
                            .filter(|n| n.is_object())
                            .ok_or_else(|| {
                                CaseError::fail(format!(
                                    "update{t} returned no {single}: {}",
                                    reply.error_digest(self.case.cx.rules)
                                ))
                            })?;
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
                let reply = self.query(&format!(
                    "mutation {{ delete{t}(delete{t}Input: {{id: {}}}) {{ {} }} }}",
                    quote(&id),
                    kind.deleted_field()
                ))?;
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

    fn check_walk(&self, kind: Kind, size: i64, model: &Model) -> Result<(), CaseError> {
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
    fn cleanup(&self, model: &Model) {
        for kind in [Kind::Department, Kind::Location] {
            for (i, entry) in model.created[kind.index()].iter().enumerate() {
                if entry.is_some() {
                    let t = kind.type_name();
                    let _ = self.query(&format!(
                        "mutation {{ delete{t}(delete{t}Input: {{id: {}}}) {{ {} }} }}",
                        quote(&self.ids[kind.index()][i]),
                        kind.deleted_field()
                    ));
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

fn run_m1(cx: &Context<'_>) -> Check {
    let strategy = Greenhouse::sequential_strategy(1..=12usize);
    check(cx, strategy, |case, (initial, steps, seen)| {
        let mut sut = Sut::new(case, true)?;
        let mut model = initial;
        let mut result = Ok(());
        for step in &steps {
            if let Some(counter) = &seen {
                counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            }
            let next = Greenhouse::apply(model.clone(), step);
            result = sut.apply(&model, &next, step);
            model = next;
            if result.is_err() {
                break;
            }
        }
        sut.cleanup(&model);
        result
    })
}

fn run_p8(cx: &Context<'_>) -> Check {
    let strategy = (kind(), name(), 1i64..=25, 1i64..=25);
    check(cx, strategy, |case, (kind, name, size_a, size_b)| {
        let mut sut = Sut::new(case, false)?;
        let before = sut.walk(kind, 25)?;
        let record = Record {
            name,
            description: None,
            email: None,
        };
        let id = sut.add(kind, &record)?;
        let mut model = Model::default();
        model.created[kind.index()].push(Some(record));
        sut.baseline[kind.index()] = before.len();
        sut.check_walk(kind, size_a, &model)?;
        let t = kind.type_name();
        let reply = sut.query(&format!(
            "mutation {{ delete{t}(delete{t}Input: {{id: {}}}) {{ {} }} }}",
            quote(&id),
            kind.deleted_field()
        ))?;
        ensure!(
            reply.has_errors() || reply.field(&format!("delete{t}")).is_some(),
            "delete{t} returned nothing"
        );
        model.created[kind.index()][0] = None;
        sut.check_walk(kind, size_b, &model)?;
        let after: Vec<String> = sut.walk(kind, 25)?.into_iter().map(|(i, _)| i).collect();
        let before: Vec<String> = before.into_iter().map(|(i, _)| i).collect();
        ensure!(
            after == before,
            "after a create and its delete, a walk of `{}` differs from the walk before them",
            kind.plural()
        );
        Ok(())
    })
}
