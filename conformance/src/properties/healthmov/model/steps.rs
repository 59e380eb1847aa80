//! H2's steps as proptest draws them: creates and updates of companies, departments, employees and dependents,
//! dates around today, and the writes that must be refused.

use proptest::prelude::*;
use proptest_state_machine::ReferenceStateMachine;

use super::refusals::{Refusal, refusal};

/// A date as an offset in days from today.
pub type Day = i64;

#[derive(Debug, Clone)]
pub struct DependentInput {
    pub email: usize,
    pub on: Option<Day>,
    pub off: Option<Day>,
}

#[derive(Debug, Clone)]
pub enum Step {
    CreateCompany,
    UpdateCompany {
        company: usize,
        name: usize,
    },
    CreateDepartment {
        company: usize,
    },
    UpsertEmployee {
        company: usize,
        department: usize,
        foreign: bool,
        number: usize,
        on: Day,
        off: Option<Day>,
        dependents: Vec<DependentInput>,
    },
    AddDependent {
        employee: usize,
        dependent: DependentInput,
    },
    SetOffboarding {
        employee: usize,
        off: Day,
    },
    UnknownCompany,
    MalformedDate {
        company: usize,
    },
    OtherClient {
        company: usize,
    },
    /// A write that breaks an invariant, or another client reaching for the caller's records.
    Refused {
        refusal: Refusal,
        company: usize,
        employee: usize,
    },
}

#[derive(Debug)]
pub struct Writes;

fn day() -> impl Strategy<Value = Day> {
    prop_oneof![Just(0i64), -400i64..-2, 2i64..400]
}

fn dependent() -> impl Strategy<Value = DependentInput> {
    let dates = prop_oneof![
        2 => (proptest::option::of(day()), proptest::option::weighted(0.4, day())),
        // Onboarded, then offboarded: what the counts must tell apart.
        1 => ((-400i64..-200).prop_map(Some), (-150i64..-2).prop_map(Some)),
    ];
    (0usize..3, dates).prop_map(|(email, (on, off))| DependentInput { email, on, off })
}

impl ReferenceStateMachine for Writes {
    type State = ();
    type Transition = Step;

    fn init_state() -> BoxedStrategy<()> {
        Just(()).boxed()
    }

    fn transitions(_: &()) -> BoxedStrategy<Step> {
        let employee = (
            0usize..4,
            0usize..3,
            proptest::bool::weighted(0.25),
            0usize..3,
            day(),
            proptest::option::weighted(0.4, day()),
            proptest::collection::vec(dependent(), 0..=2),
        )
            .prop_map(
                |(company, department, foreign, number, on, off, dependents)| {
                    Step::UpsertEmployee {
                        company,
                        department,
                        foreign,
                        number,
                        on,
                        off,
                        dependents,
                    }
                },
            );
        prop_oneof![
            1 => Just(Step::CreateCompany),
            1 => (0usize..4, 0usize..2).prop_map(|(company, name)| Step::UpdateCompany { company, name }),
            1 => (0usize..4).prop_map(|company| Step::CreateDepartment { company }),
            5 => employee,
            2 => (0usize..8, dependent()).prop_map(|(employee, dependent)| Step::AddDependent { employee, dependent }),
            2 => (0usize..8, day()).prop_map(|(employee, off)| Step::SetOffboarding { employee, off }),
            1 => Just(Step::UnknownCompany),
            1 => (0usize..4).prop_map(|company| Step::MalformedDate { company }),
            1 => (0usize..4).prop_map(|company| Step::OtherClient { company }),
            2 => (refusal(), 0usize..4, 0usize..8).prop_map(|(refusal, company, employee)| {
                Step::Refused { refusal, company, employee }
            }),
        ]
        .boxed()
    }

    fn apply(state: (), _: &Step) {
        state
    }
}
