//! M1's reference state machine: the steps proptest draws (adds, partial updates, deletes, reads, walks, employee
//! profile updates) and the model of the store they change.

use proptest::prelude::*;
use proptest::sample::Index;
use proptest_state_machine::ReferenceStateMachine;

/// Departments or locations: the two kinds the mutations add, update and delete.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Department,
    Location,
}

impl Kind {
    pub(super) fn type_name(self) -> &'static str {
        match self {
            Kind::Department => "Department",
            Kind::Location => "Location",
        }
    }
    pub(super) fn single(self) -> &'static str {
        match self {
            Kind::Department => "department",
            Kind::Location => "location",
        }
    }
    pub(super) fn plural(self) -> &'static str {
        match self {
            Kind::Department => "departments",
            Kind::Location => "locations",
        }
    }
    pub(super) fn deleted_field(self) -> &'static str {
        match self {
            Kind::Department => "deletedDepartmentId",
            Kind::Location => "deletedLocationId",
        }
    }
    pub(super) fn index(self) -> usize {
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
pub(super) const EMPLOYEES: usize = 6;

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

pub(super) fn kind() -> impl Strategy<Value = Kind> {
    prop_oneof![Just(Kind::Department), Just(Kind::Location)]
}

pub(super) fn name() -> impl Strategy<Value = String> {
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
