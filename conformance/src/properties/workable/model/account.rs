//! The account as A3 models it: members' roles, HRIS roles and collaboration rules, read from a listing, and the
//! account invariants (an admin; with HRIS on, an HRIS admin and a member who is both).

use std::collections::BTreeMap;
use std::fmt;

use serde_json::Value;

use crate::properties::workable::hris_active;
use crate::property::CaseError;
use crate::rest;

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

pub(super) const ROLES: [Role; 4] = [Role::Admin, Role::Simple, Role::Reviewer, Role::NoAccess];
pub(super) const HRIS: [Hris; 3] = [Hris::Admin, Hris::Employee, Hris::NoAccess];
pub(super) const COLLABS: [Collab; 5] = [
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
    pub(super) fn of(member: &Value) -> Result<Self, CaseError> {
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

    /// The collaboration rules as the model holds them, `(left open)` where it does not know them.
    pub(super) fn rules_shown(&self) -> String {
        self.rules
            .as_ref()
            .map_or("(left open)".to_owned(), |r| format!("{r:?}"))
    }

    pub(super) fn show(&self) -> String {
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
    pub(super) fn of(name: &str, listing: &[Value]) -> Result<Self, CaseError> {
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

    pub(super) fn count(&self, f: impl Fn(&MemberState) -> bool) -> usize {
        self.members.values().filter(|m| f(m)).count()
    }

    /// The account invariants: at least one admin; with HRIS on, one HRIS admin and one member who is both.
    pub(super) fn invariants(&self) -> Result<(), String> {
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
