//! The Workable accounts in memory: members with roles, HRIS roles and collaboration rules, API tokens bound to an
//! account, and the rules of `PUT /members` (the document's 422s), checked and applied under one lock so that
//! concurrent updates of different members cannot together break an invariant (two admins demoting each other).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex, RwLock};

use runtime::exec::ObjectData;
use runtime::{ErrorCode, FieldError, FieldResult, MaybeAbsent};

use super::schema::{
    CollaborationDepartment, CollaborationLocation, CollaborationRole, CollaborationRule,
    CollaborationRuleInput, HrisRole, Member, MemberRole,
};

/// A member, and what its GraphQL type does not show.
#[derive(Debug, Clone, PartialEq)]
pub struct MemberRecord {
    pub member: Member,
    /// Jobs the member collaborates on (the `shortcode` filter of `GET /members`).
    pub job_shortcodes: Vec<String>,
}

impl ObjectData<Member> for Arc<MemberRecord> {
    fn data(&self) -> &Member {
        &self.member
    }
}

/// An account (a subdomain) and its members, by id (ids sort in listing order). Members are shared: a read takes
/// the account without copying them, and an update copies the account's map and the one member it changes.
#[derive(Debug, Clone, PartialEq)]
pub struct Account {
    pub subdomain: String,
    /// Whether the HRIS application (Workable HR) is activated.
    pub hris_active: bool,
    pub members: BTreeMap<String, Arc<MemberRecord>>,
    /// Department ids and names, for collaboration rules.
    pub departments: BTreeMap<String, String>,
}

/// An API token, bound to one account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub token: String,
    pub account: String,
    /// `account` or `oauth`.
    pub kind: String,
    pub scopes: Vec<String>,
    /// The fixture credential's name (`acme/account`, ...).
    pub name: String,
}

#[derive(Debug)]
pub struct Store {
    accounts: RwLock<BTreeMap<String, Arc<Account>>>,
    pub tokens: Vec<Token>,
    /// Members whose update is under way: a second PUT of one of them is refused.
    in_progress: Mutex<BTreeSet<(String, String)>>,
}

/// What a `PUT /members` asks for.
#[derive(Debug, Clone)]
pub struct Update {
    pub role: MemberRole,
    pub hris_role: MaybeAbsent<HrisRole>,
    pub collaboration_rules: MaybeAbsent<Vec<CollaborationRuleInput>>,
}

/// Which of the store's rules to skip (the faults of this API).
#[derive(Debug, Clone, Copy, Default)]
pub struct Leniency {
    /// The last admin (and the only admin who is also HRIS admin) may lose the admin role.
    pub last_admin: bool,
    pub concurrent_updates: bool,
}

impl Store {
    pub fn new(accounts: Vec<Account>, tokens: Vec<Token>) -> Self {
        let accounts = accounts
            .into_iter()
            .map(|a| (a.subdomain.clone(), Arc::new(a)))
            .collect();
        Store {
            accounts: RwLock::new(accounts),
            tokens,
            in_progress: Mutex::new(BTreeSet::new()),
        }
    }

    pub fn token(&self, token: &str) -> Option<&Token> {
        self.tokens.iter().find(|t| t.token == token)
    }

    /// An account as it is now, or `NotFound`.
    pub fn account(&self, subdomain: &str) -> FieldResult<Arc<Account>> {
        let accounts = self.accounts.read().unwrap_or_else(|e| e.into_inner());
        accounts
            .get(subdomain)
            .cloned()
            .ok_or_else(|| FieldError::not_found(format!("Account `{subdomain}` not found")))
    }

    /// Marks a member as being updated, or refuses if it already is; the guard ends the update.
    pub fn begin_update<'a>(
        &'a self,
        subdomain: &str,
        id: &str,
        lenient: bool,
    ) -> FieldResult<UpdateGuard<'a>> {
        let key = (subdomain.to_owned(), id.to_owned());
        let mut in_progress = self.in_progress.lock().unwrap_or_else(|e| e.into_inner());
        if !in_progress.insert(key.clone()) && !lenient {
            return Err(FieldError::new(
                ErrorCode::Conflict,
                format!("Member `{id}` is already being updated"),
            ));
        }
        Ok(UpdateGuard { store: self, key })
    }

    /// Applies an update if every rule of the document allows it; all or nothing.
    pub fn update_member(
        &self,
        subdomain: &str,
        id: &str,
        update: Update,
        leniency: Leniency,
    ) -> FieldResult<Arc<MemberRecord>> {
        let mut accounts = self.accounts.write().unwrap_or_else(|e| e.into_inner());
        let account = accounts
            .get_mut(subdomain)
            .ok_or_else(|| FieldError::not_found(format!("Account `{subdomain}` not found")))?;
        let current = Arc::clone(
            account
                .members
                .get(id)
                .ok_or_else(|| FieldError::not_found(format!("Member `{id}` not found")))?,
        );
        let hris_role = match (&update.hris_role, account.hris_active) {
            (MaybeAbsent::Value(role), true) => Some(*role),
            (_, true) => {
                return Err(invalid(
                    "hris_role is mandatory when Workable HR is enabled",
                ));
            }
            // Without HRIS, an HRIS role has nothing to apply to: it is left as it was.
            (_, false) => current.member.hris_role,
        };
        check_roles(account, &current.member, update.role, hris_role, leniency)?;
        // Readers holding the account keep the version they read.
        let account = Arc::make_mut(account);
        let member = Arc::make_mut(account.members.get_mut(id).expect("looked up above"));
        member.member.role = update.role;
        member.member.hris_role = hris_role;
        if let MaybeAbsent::Value(rules) = update.collaboration_rules {
            member.member.collaboration_rules =
                valid_rules(&account.departments, update.role, rules);
        } else if update.collaboration_rules.is_absent() {
            member
                .member
                .collaboration_rules
                .retain(|rule| compatible(update.role, rule.role));
        } else {
            member.member.collaboration_rules.clear();
        }
        Ok(Arc::clone(&account.members[id]))
    }
}

/// Ends an update when dropped, even if it failed.
#[derive(Debug)]
pub struct UpdateGuard<'a> {
    store: &'a Store,
    key: (String, String),
}

impl Drop for UpdateGuard<'_> {
    fn drop(&mut self) {
        self.store
            .in_progress
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&self.key);
    }
}

fn invalid(message: &str) -> FieldError {
    FieldError::new(ErrorCode::BadUserInput, message)
}

/// The role rules of the document, against the account as it is now.
fn check_roles(
    account: &Account,
    current: &Member,
    role: MemberRole,
    hris_role: Option<HrisRole>,
    leniency: Leniency,
) -> FieldResult<()> {
    let members = account.members.values().map(|m| &m.member);
    let admins = members
        .clone()
        .filter(|m| m.role == MemberRole::Admin)
        .count();
    let hris_admins = members
        .clone()
        .filter(|m| m.hris_role == Some(HrisRole::HrisAdmin))
        .count();
    let super_admins = members
        .filter(|m| m.role == MemberRole::Admin && m.hris_role == Some(HrisRole::HrisAdmin))
        .count();
    if !account.hris_active && role == MemberRole::NoAccess {
        return Err(invalid(
            "Role no_access is not allowed while the HRIS application is deactivated",
        ));
    }
    if account.hris_active
        && role == MemberRole::NoAccess
        && hris_role == Some(HrisRole::HrisNoAccess)
    {
        return Err(invalid(
            "Role no_access with HRIS role hris_no_access is not allowed while the HRIS application is activated",
        ));
    }
    if current.role == MemberRole::Admin
        && role != MemberRole::Admin
        && admins == 1
        && !leniency.last_admin
    {
        return Err(invalid(
            "The last admin of the account must keep the admin role",
        ));
    }
    if account.hris_active
        && current.hris_role == Some(HrisRole::HrisAdmin)
        && hris_role != Some(HrisRole::HrisAdmin)
        && hris_admins == 1
    {
        return Err(invalid(
            "The last HRIS admin of the account must keep the hris_admin role",
        ));
    }
    let is_super =
        current.role == MemberRole::Admin && current.hris_role == Some(HrisRole::HrisAdmin);
    let stays_super = role == MemberRole::Admin && hris_role == Some(HrisRole::HrisAdmin);
    if account.hris_active && is_super && super_admins == 1 && !stays_super && !leniency.last_admin
    {
        return Err(invalid(
            "The only member who is both admin and HRIS admin must keep both roles",
        ));
    }
    Ok(())
}

/// Whether a collaboration rule's role suits the member's role.
pub fn compatible(member: MemberRole, rule: CollaborationRole) -> bool {
    use CollaborationRole as R;
    match member {
        MemberRole::Admin => rule == R::Admin,
        MemberRole::Reviewer => rule == R::Reviewer,
        MemberRole::Simple => matches!(
            rule,
            R::RecruitingAdmin | R::HiringManager | R::Simple | R::Reviewer
        ),
        MemberRole::NoAccess => false,
    }
}

/// The rules that apply: an incompatible role or an unknown department makes a rule invalid, and it is ignored.
fn valid_rules(
    departments: &BTreeMap<String, String>,
    role: MemberRole,
    rules: Vec<CollaborationRuleInput>,
) -> Vec<CollaborationRule> {
    rules
        .into_iter()
        .filter(|rule| compatible(role, rule.role))
        .filter_map(|rule| {
            let mut kept_departments = Vec::new();
            for d in rule.departments.value().into_iter().flatten() {
                let id = d.id.value().cloned();
                if let Some(id) = &id {
                    departments.get(id)?;
                }
                let name = id.as_ref().and_then(|id| departments.get(id).cloned());
                kept_departments.push(CollaborationDepartment {
                    any: d.any.value().copied(),
                    id,
                    name,
                });
            }
            let locations = rule
                .locations
                .value()
                .into_iter()
                .flatten()
                .map(|l| CollaborationLocation {
                    any: l.any.value().copied(),
                    country_code: l.country_code.value().cloned(),
                    city: l.city.value().cloned(),
                    state_code: l.state_code.value().cloned(),
                    subregion: l.subregion.value().cloned(),
                    zip_code: l.zip_code.value().cloned(),
                    location_string: l.location_string.value().cloned(),
                    country_name: l.country_name.value().cloned(),
                })
                .collect();
            Some(CollaborationRule {
                role: rule.role,
                departments: kept_departments,
                locations,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workable::fixtures;

    fn update(role: MemberRole, hris_role: Option<HrisRole>) -> Update {
        Update {
            role,
            hris_role: hris_role.into(),
            collaboration_rules: MaybeAbsent::Absent,
        }
    }

    fn member_with(store: &Store, subdomain: &str, pred: impl Fn(&Member) -> bool) -> String {
        store
            .account(subdomain)
            .unwrap()
            .members
            .values()
            .find(|m| pred(&m.member))
            .unwrap()
            .member
            .id
            .clone()
    }

    #[test]
    fn the_last_admin_and_last_hris_admin_keep_their_roles() {
        let store = fixtures::store(0);
        let solo = member_with(&store, "solo", |m| m.role == MemberRole::Admin);
        let err = store
            .update_member(
                "solo",
                &solo,
                update(MemberRole::Simple, Some(HrisRole::HrisAdmin)),
                Leniency::default(),
            )
            .unwrap_err();
        assert!(err.message.contains("last admin"), "{err}");
        let err = store
            .update_member(
                "solo",
                &solo,
                update(MemberRole::Admin, Some(HrisRole::HrisEmployee)),
                Leniency::default(),
            )
            .unwrap_err();
        assert!(err.message.contains("last HRIS admin"), "{err}");
        let lenient = Leniency {
            last_admin: true,
            ..Leniency::default()
        };
        assert!(
            store
                .update_member(
                    "solo",
                    &solo,
                    update(MemberRole::Simple, Some(HrisRole::HrisAdmin)),
                    lenient
                )
                .is_ok()
        );
    }

    #[test]
    fn no_access_rules_depend_on_hris() {
        let store = fixtures::store(0);
        let off = member_with(&store, "globex", |m| m.role == MemberRole::Simple);
        assert!(
            store
                .update_member(
                    "globex",
                    &off,
                    update(MemberRole::NoAccess, None),
                    Leniency::default()
                )
                .is_err()
        );
        let on = member_with(&store, "acme", |m| m.role == MemberRole::Simple);
        assert!(
            store
                .update_member(
                    "acme",
                    &on,
                    update(MemberRole::NoAccess, Some(HrisRole::HrisNoAccess)),
                    Leniency::default()
                )
                .is_err()
        );
        assert!(
            store
                .update_member(
                    "acme",
                    &on,
                    update(MemberRole::NoAccess, Some(HrisRole::HrisEmployee)),
                    Leniency::default()
                )
                .is_ok()
        );
        let err = store
            .update_member(
                "acme",
                &on,
                update(MemberRole::Simple, None),
                Leniency::default(),
            )
            .unwrap_err();
        assert!(err.message.contains("mandatory"), "{err}");
    }

    #[test]
    fn a_member_being_updated_cannot_be_updated_again() {
        let store = fixtures::store(0);
        let id = member_with(&store, "acme", |_| true);
        let guard = store.begin_update("acme", &id, false).unwrap();
        assert_eq!(
            store.begin_update("acme", &id, false).unwrap_err().code,
            ErrorCode::Conflict
        );
        drop(guard);
        assert!(store.begin_update("acme", &id, false).is_ok());
    }

    #[test]
    fn incompatible_collaboration_rules_are_ignored() {
        assert!(compatible(
            MemberRole::Simple,
            CollaborationRole::HiringManager
        ));
        assert!(!compatible(MemberRole::Admin, CollaborationRole::Reviewer));
        assert!(!compatible(MemberRole::Reviewer, CollaborationRole::Simple));
    }
}
