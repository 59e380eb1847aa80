//! M1: random sequences of Greenhouse mutations and reads (proptest-state-machine), checked step by step against a
//! model of the store: what was written is read back, what was deleted is gone (and its id stays unknown), updates
//! change exactly the fields they mention (absent keeps, `null` clears), and full walks of `departments` and
//! `locations` stay exact while the data changes. P8: a full walk reflects one create and one delete exactly once.
//!
//! The model holds the departments and locations a case creates (by creation index: the real ids are learned when
//! the target answers) and, for employee profiles, what the case has read or written.

mod machine;
mod sut;

use proptest_state_machine::ReferenceStateMachine;

use crate::ensure;
use crate::property::{Check, Context, Group, Property, check};
use machine::{Greenhouse, Model, Record, kind, name};
use sut::Sut;

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
        let reply = sut.delete(kind, &id)?;
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
