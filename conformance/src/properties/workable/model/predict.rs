//! One `PUT /members` step and what the `@invariant`s of the rules table make of it: a refusal, or the member the
//! PUT computes.

use runtime::rules::{Invariant, InvariantEffect};
use serde_json::{Value, json};

use super::account::{Account, Collab, Hris, MemberState, Role, RuleState, compatible};
use crate::properties::workable::update_field;

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
    /// The PUT body.
    pub(super) fn body(&self) -> Value {
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
pub(super) fn apply(mut account: Account, step: &Step) -> Account {
    if let Outcome::Applied(member) = predict(&account, step) {
        account.members.insert(step.member.clone(), member);
    }
    account
}

/// Whether a member as the target shows it agrees with the model (where the model knows).
pub(super) fn agrees(expected: &MemberState, got: &MemberState, hris: bool) -> bool {
    expected.role == got.role
        && (!hris || expected.hris == got.hris)
        && expected
            .rules
            .as_ref()
            .is_none_or(|r| Some(r) == got.rules.as_ref())
}
