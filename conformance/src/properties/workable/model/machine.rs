//! A3's reference state machine: steps drawn over the members of the account read before the cases, weighted
//! towards the members the invariants are about.

use std::cell::RefCell;

use proptest::prelude::*;
use proptest_state_machine::ReferenceStateMachine;

use super::account::{Account, COLLABS, HRIS, Hris, MemberState, ROLES, Role};
use super::predict::{Department, RuleInput, Step, apply};

thread_local! {
    /// The account the next cases start from (the reference machine's initial state).
    pub(super) static START: RefCell<Account> = RefCell::new(Account::default());
}

/// The reference state machine: the model, from the account read before the cases.
#[derive(Debug)]
pub struct Members;

impl ReferenceStateMachine for Members {
    type State = Account;
    type Transition = Step;

    fn init_state() -> BoxedStrategy<Account> {
        Just(START.with(|s| s.borrow().clone())).boxed()
    }

    fn transitions(state: &Account) -> BoxedStrategy<Step> {
        let ids: Vec<String> = state.members.keys().cloned().collect();
        if ids.is_empty() {
            return Just(Step {
                member: String::new(),
                role: Role::Admin,
                hris: None,
                rules: None,
            })
            .boxed();
        }
        let pick = |f: &dyn Fn(&MemberState) -> bool| -> Vec<String> {
            state
                .members
                .iter()
                .filter(|(_, m)| f(m))
                .map(|(id, _)| id.clone())
                .collect()
        };
        // The members the invariants are about come up often.
        let mut members: Vec<(u32, BoxedStrategy<String>)> =
            vec![(3, proptest::sample::select(ids).boxed())];
        for (weight, list) in [
            (3, pick(&|m| m.role == Role::Admin)),
            (2, pick(&|m| m.hris == Some(Hris::Admin))),
        ] {
            if !list.is_empty() {
                members.push((weight, proptest::sample::select(list).boxed()));
            }
        }
        let member = proptest::strategy::Union::new_weighted(members);
        let department = if state.departments.is_empty() {
            Just(Department::Any).boxed()
        } else {
            prop_oneof![
                Just(Department::Any),
                proptest::sample::select(state.departments.clone()).prop_map(Department::Id),
            ]
            .boxed()
        };
        let rule = (
            proptest::sample::select(COLLABS.to_vec()),
            proptest::option::weighted(0.6, department),
            proptest::option::weighted(0.5, "[A-Z][a-z]{3,8}"),
        )
            .prop_map(|(role, department, location)| RuleInput {
                role,
                department,
                location,
            });
        (
            member,
            proptest::sample::select(ROLES.to_vec()),
            proptest::option::weighted(0.85, proptest::sample::select(HRIS.to_vec())),
            proptest::option::of(proptest::collection::vec(rule, 0..=2)),
        )
            .prop_map(|(member, role, hris, rules)| Step {
                member,
                role,
                hris,
                rules,
            })
            .boxed()
    }

    fn preconditions(state: &Account, step: &Step) -> bool {
        state.members.contains_key(&step.member)
    }

    fn apply(state: Account, step: &Step) -> Account {
        apply(state, step)
    }
}
