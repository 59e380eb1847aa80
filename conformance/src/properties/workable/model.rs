//! A3: random sequences of `PUT /members` (proptest-state-machine) over the members of each account a credential
//! may write to, checked step by step against a model of the document's rules.
//!
//! The model holds every member's role, HRIS role and collaboration rules, read from the account when a case starts.
//! For each step it predicts, from the `@invariant`s of `PUT /members` in the rules table, either a refusal (the
//! invariant's status, 422) or success with the member it computes. After every step the whole account is read back:
//! it must equal the model (so a refused PUT changed nothing, and a successful one changed only its member), and the
//! account invariants must hold: at least one admin; with HRIS on, at least one HRIS admin and one member who is
//! both. Each case ends by putting the members back as they were, so every case starts from the same account.
//!
//! What the documents leave open is not asserted: the HRIS role where HRIS is off, the collaboration rules of a
//! `no_access` member, and the rules a member keeps when its role changes and the PUT leaves them out.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt;

use proptest::prelude::*;
use proptest_state_machine::ReferenceStateMachine;
use runtime::rules::{Invariant, InvariantEffect};
use serde_json::{Value, json};

use super::{hris_active, list_all, put, restore, update_field, window, writers};
use crate::ensure;
use crate::outcome::Verdict;
use crate::properties::pagination::id_window::{Reader, Window};
use crate::property::{Case, CaseError, Check, Context, Group, Property, check_with_cases};
use crate::rest;

pub static A3: Property = Property {
    id: "A3",
    name: "role-invariants",
    statement: "Random PUT sequences over an account's members (any member, role and HRIS role, hris_role left out, valid and invalid collaboration rules) get what a model of the @invariant rules predicts (200 with the member it computes, or 422), a refused PUT changes nothing, and after every step at least one admin remains (with HRIS on, one HRIS admin and one member who is both).",
    group: Group::Stateful,
    writes: true,
    max_cases: None,
    run: run_a3,
};

/// A member's role in recruiting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Admin,
    Simple,
    Reviewer,
    NoAccess,
}

/// A member's HRIS role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hris {
    Admin,
    Employee,
    NoAccess,
}

/// The role of a collaboration rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Collab {
    Admin,
    RecruitingAdmin,
    HiringManager,
    Simple,
    Reviewer,
}

const ROLES: [Role; 4] = [Role::Admin, Role::Simple, Role::Reviewer, Role::NoAccess];
const HRIS: [Hris; 3] = [Hris::Admin, Hris::Employee, Hris::NoAccess];
const COLLABS: [Collab; 5] = [
    Collab::Admin,
    Collab::RecruitingAdmin,
    Collab::HiringManager,
    Collab::Simple,
    Collab::Reviewer,
];

impl Role {
    pub fn wire(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Simple => "simple",
            Role::Reviewer => "reviewer",
            Role::NoAccess => "no_access",
        }
    }
    fn parse(s: &str) -> Option<Self> {
        ROLES.into_iter().find(|r| r.wire() == s)
    }
}

impl Hris {
    pub fn wire(self) -> &'static str {
        match self {
            Hris::Admin => "hris_admin",
            Hris::Employee => "hris_employee",
            Hris::NoAccess => "hris_no_access",
        }
    }
    fn parse(s: &str) -> Option<Self> {
        HRIS.into_iter().find(|r| r.wire() == s)
    }
}

impl Collab {
    pub fn wire(self) -> &'static str {
        match self {
            Collab::Admin => "admin",
            Collab::RecruitingAdmin => "recruiting_admin",
            Collab::HiringManager => "hiring_manager",
            Collab::Simple => "simple",
            Collab::Reviewer => "reviewer",
        }
    }
}

/// Whether a collaboration rule's role suits a member's role (the collaboration-rules page): admin allows only
/// admin rules, reviewer only reviewer rules, simple the four others. `None`: the documents do not say (no_access).
pub fn compatible(member: Role, rule: Collab) -> Option<bool> {
    match member {
        Role::Admin => Some(rule == Collab::Admin),
        Role::Reviewer => Some(rule == Collab::Reviewer),
        Role::Simple => Some(matches!(
            rule,
            Collab::RecruitingAdmin | Collab::HiringManager | Collab::Simple | Collab::Reviewer
        )),
        Role::NoAccess => None,
    }
}

/// A collaboration rule as stored: its role, its departments (ids, or `any`) and its locations (`location_string`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleState {
    pub role: String,
    pub departments: Vec<String>,
    pub locations: Vec<String>,
}

impl RuleState {
    fn of(rule: &Value) -> Self {
        let list = |k: &str, f: &dyn Fn(&Value) -> String| -> Vec<String> {
            rule.get(k)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(f)
                .collect()
        };
        RuleState {
            role: rule
                .get("role")
                .map(rest::text)
                .unwrap_or_else(|| "?".to_owned()),
            departments: list("departments", &|d| match d.get("id") {
                Some(id) if !id.is_null() => rest::text(id),
                _ if d.get("any").and_then(Value::as_bool) == Some(true) => "any".to_owned(),
                _ => "?".to_owned(),
            }),
            locations: list("locations", &|l| {
                l.get("location_string")
                    .and_then(Value::as_str)
                    .unwrap_or("?")
                    .to_owned()
            }),
        }
    }
}

/// What the model knows of a member. `None` where the documents leave the value open.
#[derive(Debug, Clone, PartialEq)]
pub struct MemberState {
    pub role: Role,
    pub hris: Option<Hris>,
    pub rules: Option<Vec<RuleState>>,
}

impl MemberState {
    fn of(member: &Value) -> Result<Self, CaseError> {
        let id = member.get("id").map(rest::text).unwrap_or_default();
        let role = member
            .get("role")
            .and_then(Value::as_str)
            .and_then(Role::parse)
            .ok_or_else(|| {
                CaseError::fail(format!(
                    "member {id} has the role {}, not one of the schema's",
                    member.get("role").unwrap_or(&Value::Null)
                ))
            })?;
        let hris = match member.get("hris_role") {
            None | Some(Value::Null) => None,
            Some(h) => Some(h.as_str().and_then(Hris::parse).ok_or_else(|| {
                CaseError::fail(format!(
                    "member {id} has the HRIS role {h}, not one of the schema's"
                ))
            })?),
        };
        let rules = member
            .get("collaboration_rules")
            .and_then(Value::as_array)
            .map(|list| list.iter().map(RuleState::of).collect());
        Ok(MemberState { role, hris, rules })
    }

    fn show(&self) -> String {
        format!(
            "{}/{}",
            self.role.wire(),
            self.hris.map_or("no HRIS role", Hris::wire)
        )
    }
}

/// The model of one account.
#[derive(Clone, Default)]
pub struct Account {
    pub name: String,
    /// Whether HRIS (Workable HR) is active: some member has an HRIS role.
    pub hris: bool,
    pub members: BTreeMap<String, MemberState>,
    /// Department ids the account's rules use (valid in a collaboration rule).
    pub departments: Vec<String>,
}

impl fmt::Debug for Account {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Account {{ {}, HRIS {}, {} members }}",
            self.name,
            if self.hris { "on" } else { "off" },
            self.members.len()
        )
    }
}

impl Account {
    fn of(name: &str, listing: &[Value]) -> Result<Self, CaseError> {
        let mut members = BTreeMap::new();
        let mut departments = Vec::new();
        for m in listing {
            let id = m.get("id").map(rest::text).unwrap_or_default();
            let state = MemberState::of(m)?;
            for rule in state.rules.iter().flatten() {
                for d in &rule.departments {
                    if d != "any" && d != "?" && !departments.contains(d) {
                        departments.push(d.clone());
                    }
                }
            }
            members.insert(id, state);
        }
        Ok(Account {
            name: name.to_owned(),
            hris: hris_active(listing),
            members,
            departments,
        })
    }

    fn count(&self, f: impl Fn(&MemberState) -> bool) -> usize {
        self.members.values().filter(|m| f(m)).count()
    }

    /// The account invariants: at least one admin; with HRIS on, one HRIS admin and one member who is both.
    fn invariants(&self) -> Result<(), String> {
        if self.count(|m| m.role == Role::Admin) == 0 {
            return Err("no admin is left".to_owned());
        }
        if self.hris {
            if self.count(|m| m.hris == Some(Hris::Admin)) == 0 {
                return Err("no HRIS admin is left (HRIS is on)".to_owned());
            }
            if self.count(|m| m.role == Role::Admin && m.hris == Some(Hris::Admin)) == 0 {
                return Err("no member is both admin and HRIS admin (HRIS is on)".to_owned());
            }
        }
        Ok(())
    }
}

/// A department of a collaboration rule in a PUT.
#[derive(Debug, Clone)]
pub enum Department {
    Any,
    Id(String),
}

/// A collaboration rule in a PUT.
#[derive(Debug, Clone)]
pub struct RuleInput {
    pub role: Collab,
    pub department: Option<Department>,
    pub location: Option<String>,
}

impl RuleInput {
    fn body(&self) -> Value {
        let mut rule = json!({ "role": self.role.wire() });
        match &self.department {
            Some(Department::Any) => rule["departments"] = json!([{ "any": true }]),
            Some(Department::Id(id)) => rule["departments"] = json!([{ "id": id }]),
            None => {}
        }
        if let Some(l) = &self.location {
            rule["locations"] = json!([{ "location_string": l }]);
        }
        rule
    }

    fn state(&self) -> RuleState {
        RuleState {
            role: self.role.wire().to_owned(),
            departments: match &self.department {
                Some(Department::Any) => vec!["any".to_owned()],
                Some(Department::Id(id)) => vec![id.clone()],
                None => Vec::new(),
            },
            locations: self.location.iter().cloned().collect(),
        }
    }
}

/// One `PUT /members`.
#[derive(Debug, Clone)]
pub struct Step {
    pub member: String,
    pub role: Role,
    /// `None`: `hris_role` left out.
    pub hris: Option<Hris>,
    /// `None`: `collaboration_rules` left out.
    pub rules: Option<Vec<RuleInput>>,
}

impl Step {
    fn body(&self) -> Value {
        let mut body = json!({ "id": self.member, "role": self.role.wire() });
        if let Some(h) = self.hris {
            body["hris_role"] = json!(h.wire());
        }
        if let Some(rules) = &self.rules {
            body["collaboration_rules"] = Value::Array(rules.iter().map(RuleInput::body).collect());
        }
        body
    }
}

/// What the model predicts for a step.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// Refused by this invariant.
    Refused(&'static Invariant),
    /// Applied: the member after it.
    Applied(MemberState),
}

/// An invariant of `PUT /members` by name, when the rules table declares it with this effect.
fn invariant(name: &str, effect: InvariantEffect) -> Option<&'static Invariant> {
    update_field()?
        .invariants
        .iter()
        .find(|i| i.name == name && i.effect == effect)
}

/// The model: what the document's rules make of a step.
pub fn predict(account: &Account, step: &Step) -> Outcome {
    let Some(current) = account.members.get(&step.member) else {
        // Not generated: every step names a member of the account.
        return Outcome::Applied(MemberState {
            role: step.role,
            hris: step.hris,
            rules: None,
        });
    };
    let h = account.hris;
    let admins = account.count(|m| m.role == Role::Admin);
    let hris_admins = account.count(|m| m.hris == Some(Hris::Admin));
    let both = |m: &MemberState| m.role == Role::Admin && m.hris == Some(Hris::Admin);
    let supers = account.count(both);
    let refusals: [(&str, bool); 6] = [
        (
            "no_access_needs_hris_active",
            !h && step.role == Role::NoAccess,
        ),
        (
            "hris_role_required_when_hris_active",
            h && step.hris.is_none(),
        ),
        (
            "no_access_and_hris_no_access",
            h && step.role == Role::NoAccess && step.hris == Some(Hris::NoAccess),
        ),
        (
            "last_admin",
            current.role == Role::Admin && step.role != Role::Admin && admins == 1,
        ),
        (
            "last_hris_admin",
            h && current.hris == Some(Hris::Admin)
                && step.hris != Some(Hris::Admin)
                && hris_admins == 1,
        ),
        (
            "only_admin_and_hris_admin",
            h && both(current)
                && supers == 1
                && !(step.role == Role::Admin && step.hris == Some(Hris::Admin)),
        ),
    ];
    for (name, broken) in refusals {
        if broken && let Some(inv) = invariant(name, InvariantEffect::Reject) {
            return Outcome::Refused(inv);
        }
    }
    let rules = match &step.rules {
        Some(list) => {
            let ignore = invariant(
                "collaboration_rule_role_compatible",
                InvariantEffect::Ignore,
            );
            let reject = invariant(
                "collaboration_rule_role_compatible",
                InvariantEffect::Reject,
            );
            let mut kept = Some(Vec::new());
            for rule in list {
                match compatible(step.role, rule.role) {
                    Some(true) => {
                        if let Some(k) = kept.as_mut() {
                            k.push(rule.state());
                        }
                    }
                    Some(false) => {
                        if let Some(inv) = reject {
                            return Outcome::Refused(inv);
                        }
                        if ignore.is_none() {
                            // The table says nothing of incompatible rules: what happens is open.
                            kept = None;
                        }
                    }
                    None => kept = None,
                }
            }
            kept
        }
        None if step.role == current.role => current.rules.clone(),
        None => None,
    };
    Outcome::Applied(MemberState {
        role: step.role,
        hris: if h { step.hris } else { current.hris },
        rules,
    })
}

/// Applies a step to the model.
fn apply(mut account: Account, step: &Step) -> Account {
    if let Outcome::Applied(member) = predict(&account, step) {
        account.members.insert(step.member.clone(), member);
    }
    account
}

/// Whether a member as the target shows it agrees with the model (where the model knows).
fn agrees(expected: &MemberState, got: &MemberState, hris: bool) -> bool {
    expected.role == got.role
        && (!hris || expected.hris == got.hris)
        && expected
            .rules
            .as_ref()
            .is_none_or(|r| Some(r) == got.rules.as_ref())
}

thread_local! {
    /// The account the next cases start from (the reference machine's initial state).
    static START: RefCell<Account> = RefCell::new(Account::default());
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

/// One step against the target: the PUT, its answer against the prediction, then the account read back.
fn run_step(
    case: &Case<'_, '_>,
    window: &Window,
    reader: &Reader,
    model: &mut Account,
    step: &Step,
    n: usize,
) -> Result<(), CaseError> {
    let base = &case.cx.target.url;
    let body = step.body();
    let current = model
        .members
        .get(&step.member)
        .map_or("unknown".to_owned(), MemberState::show);
    let what = format!(
        "step {n}: PUT {body} on `{}` (HRIS {}; the member is {current})",
        model.name,
        if model.hris { "on" } else { "off" }
    );
    let response = put(case, base, Some(&reader.credential), &reader.account, &body)?;
    match predict(model, step) {
        Outcome::Refused(inv) => {
            let status = inv.status.unwrap_or(422);
            ensure!(
                response.status == status,
                "{what} breaks `{}` ({}), so it must get {status}; got {}",
                inv.name,
                inv.statement,
                rest::digest(&response)
            );
            ensure!(
                rest::error_message(&response).is_some(),
                "{what} was refused without a JSON error body: {}",
                rest::digest(&response)
            );
        }
        Outcome::Applied(expected) => {
            ensure!(
                response.status == 200,
                "{what} breaks no @invariant, so it must succeed with the member {}; got {}",
                expected.show(),
                rest::digest(&response)
            );
            let Some(member) = response.json() else {
                return Err(CaseError::fail(format!(
                    "{what} answered 200 with a body that is not JSON"
                )));
            };
            ensure!(
                member.get("id").map(rest::text).as_deref() == Some(step.member.as_str()),
                "{what} returned another member: {member}"
            );
            let got = MemberState::of(&member)?;
            ensure!(
                agrees(&expected, &got, model.hris),
                "{what} returned {} with the rules {:?}; the model expects {} with the rules {}",
                got.show(),
                got.rules,
                expected.show(),
                expected
                    .rules
                    .as_ref()
                    .map_or("(left open)".to_owned(), |r| format!("{r:?}"))
            );
            // What the model leaves open, it learns from the answer.
            let learned = MemberState {
                role: expected.role,
                hris: if model.hris { expected.hris } else { got.hris },
                rules: expected.rules.or(got.rules),
            };
            model.members.insert(step.member.clone(), learned);
        }
    }
    check_account(case, window, reader, model, &what)
}

/// The account read back: it equals the model, and its invariants hold.
fn check_account(
    case: &Case<'_, '_>,
    window: &Window,
    reader: &Reader,
    model: &Account,
    after: &str,
) -> Result<(), CaseError> {
    let listing = list_all(case, window, &case.cx.target.url, reader)?;
    let actual = Account::of(&model.name, &listing)?;
    ensure!(
        actual.members.len() == model.members.len(),
        "after {after}: the account lists {} members, not {}",
        actual.members.len(),
        model.members.len()
    );
    for (id, expected) in &model.members {
        let Some(got) = actual.members.get(id) else {
            return Err(CaseError::fail(format!(
                "after {after}: member {id} is no longer listed"
            )));
        };
        ensure!(
            agrees(expected, got, model.hris),
            "after {after}: member {id} reads {} with the rules {:?}; the model has {} with the rules {}{}",
            got.show(),
            got.rules,
            expected.show(),
            expected
                .rules
                .as_ref()
                .map_or("(left open)".to_owned(), |r| format!("{r:?}")),
            if after.contains(&format!("\"id\":\"{id}\"")) {
                ""
            } else {
                " (the PUT named another member)"
            }
        );
    }
    if let Err(broken) = actual.invariants() {
        return Err(CaseError::fail(format!("after {after}: {broken}")));
    }
    Ok(())
}

fn run_a3(cx: &Context<'_>) -> Check {
    let Some(window) = window(cx) else {
        return Check::not_applicable(
            "the rules table binds no id-window GET to read members with",
        );
    };
    if update_field().is_none() {
        return Check::not_applicable("the rules table binds no PUT");
    }
    let accounts = writers(cx);
    if accounts.is_empty() {
        return Check::not_applicable(
            "no credential may write (give one with the write scope and its account)",
        );
    }
    // The cases are shared out over the accounts (HRIS on, off, a single admin: each is its own machine).
    let per_account = cx.cases().div_ceil(accounts.len() as u32).max(2);
    let mut cases = 0;
    for reader in &accounts {
        let setup = Case::new(cx);
        let listing = match list_all(&setup, &window, &cx.target.url, reader) {
            Ok(l) => l,
            Err(e) => return crate::property::setup_failure(cx, &setup, e),
        };
        let start = match Account::of(&reader.account, &listing) {
            Ok(a) => a,
            Err(e) => return crate::property::setup_failure(cx, &setup, e),
        };
        if let Err(broken) = start.invariants() {
            return crate::property::setup_failure(
                cx,
                &setup,
                CaseError::fail(format!("before any PUT, `{}`: {broken}", reader.account)),
            );
        }
        START.with(|s| *s.borrow_mut() = start);
        let check = check_with_cases(
            cx,
            per_account,
            Members::sequential_strategy(1..=10usize),
            |case, (_, steps, seen)| {
                let listing = list_all(case, &window, &cx.target.url, reader)?;
                let mut model = Account::of(&reader.account, &listing)?;
                let mut result = Ok(());
                for (n, step) in steps.iter().enumerate() {
                    if let Some(counter) = &seen {
                        counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    }
                    result = run_step(case, &window, reader, &mut model, step, n + 1);
                    if result.is_err() {
                        break;
                    }
                }
                restore(cx, &window, reader, &listing, model.hris);
                result
            },
        );
        cases += check.cases;
        if !matches!(check.verdict, Verdict::Passed) {
            return Check {
                verdict: check.verdict,
                cases,
            };
        }
    }
    Check {
        verdict: Verdict::Passed,
        cases,
    }
}
