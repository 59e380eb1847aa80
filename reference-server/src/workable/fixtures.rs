//! Deterministic Workable accounts from a seed: `acme` (HRIS on, 130 members in every role), `globex` (HRIS off),
//! `solo` (HRIS on, a single member who is both the only admin and the only HRIS admin), and three tokens per
//! account (account token with both scopes, account token with `r_jobs` only, OAuth token).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use super::schema::{
    CollaborationDepartment, CollaborationRole, CollaborationRule, HrisRole, Member, MemberRole,
};
use super::store::{Account, MemberRecord, Store, Token};

const FIRST: &[&str] = &[
    "Ada", "Ben", "Chloe", "Dev", "Elif", "Femi", "Gus", "Hana", "Ivo", "Jun", "Kira", "Luis",
    "Mona", "Nils", "Oona", "Pia",
];
const LAST: &[&str] = &[
    "Abara", "Berg", "Costa", "Dahl", "Ekström", "Fahey", "Gupta", "Haddad", "Ito", "Jensen",
    "Kowal", "Lopes",
];
const HEADLINES: &[&str] = &[
    "Recruiter",
    "Hiring Manager",
    "Engineering Lead",
    "People Partner",
    "Designer",
];

/// The accounts: (subdomain, HRIS active, members).
const ACCOUNTS: &[(&str, bool, usize)] = &[
    ("acme", true, 130),
    ("globex", false, 35),
    ("solo", true, 4),
];

/// A small deterministic generator (splitmix64): fixtures must not change with a dependency's algorithm.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

pub fn store(seed: u64) -> Store {
    let mut rng = Rng(seed ^ 0x5EED_0003);
    let accounts = ACCOUNTS
        .iter()
        .map(|&(subdomain, hris, size)| account(&mut rng, subdomain, hris, size))
        .collect();
    Store::new(accounts, tokens())
}

/// Three tokens per account, named `<subdomain>/account`, `<subdomain>/read_only` and `<subdomain>/oauth`.
pub fn tokens() -> Vec<Token> {
    let both = || vec!["r_jobs".to_owned(), "w_members".to_owned()];
    ACCOUNTS
        .iter()
        .flat_map(|&(subdomain, _, _)| {
            [
                ("account", "account", both()),
                ("read_only", "account", vec!["r_jobs".to_owned()]),
                ("oauth", "oauth", both()),
            ]
            .map(|(name, kind, scopes)| Token {
                token: format!("wk_{subdomain}_{name}"),
                account: subdomain.to_owned(),
                kind: kind.to_owned(),
                scopes,
                name: format!("{subdomain}/{name}"),
            })
        })
        .collect()
}

fn account(rng: &mut Rng, subdomain: &str, hris_active: bool, size: usize) -> Account {
    let departments: BTreeMap<String, String> =
        ["Engineering", "Sales", "People", "Finance", "Design"]
            .iter()
            .enumerate()
            .map(|(i, name)| (format!("{}", 100 + i), (*name).to_owned()))
            .collect();
    let mut ids = BTreeSet::new();
    while ids.len() < size {
        ids.insert(format!("{:08x}", rng.next() as u32));
    }
    let members = ids
        .into_iter()
        .enumerate()
        .map(|(i, id)| {
            let (role, hris_role) = roles(rng, i, size, hris_active);
            let first = rng.pick(FIRST);
            let last = rng.pick(LAST);
            let rules = match role {
                MemberRole::Simple if rng.below(3) == 0 => {
                    let department = format!("{}", 100 + rng.below(5));
                    vec![CollaborationRule {
                        role: CollaborationRole::HiringManager,
                        departments: vec![CollaborationDepartment {
                            any: Some(false),
                            name: departments.get(&department).cloned(),
                            id: Some(department),
                        }],
                        locations: Vec::new(),
                    }]
                }
                MemberRole::Admin => vec![CollaborationRule {
                    role: CollaborationRole::Admin,
                    departments: Vec::new(),
                    locations: Vec::new(),
                }],
                _ => Vec::new(),
            };
            let member = Member {
                email: format!(
                    "{}.{}{}@{subdomain}.example",
                    first.to_lowercase(),
                    last.to_lowercase().replace('ö', "o"),
                    i
                ),
                name: format!("{first} {last}"),
                headline: (rng.below(4) != 0).then(|| rng.pick(HEADLINES).to_owned()),
                role,
                hris_role,
                collaboration_rules: rules,
                active: Some(i < 2 || rng.below(10) != 0),
                id: id.clone(),
            };
            let job_shortcodes = (0..rng.below(3))
                .map(|_| format!("J{:04X}", rng.below(8)))
                .collect();
            let record = MemberRecord {
                member,
                job_shortcodes,
            };
            (id, Arc::new(record))
        })
        .collect();
    Account {
        subdomain: subdomain.to_owned(),
        hris_active,
        members,
        departments,
    }
}

/// Roles for the `i`th of `size` members: the first two are admin and HRIS admin (one of them alone in `solo`), the
/// rest spread over every role, never `no_access` with `hris_no_access` and never `no_access` without HRIS.
fn roles(rng: &mut Rng, i: usize, size: usize, hris: bool) -> (MemberRole, Option<HrisRole>) {
    let hris_role = |role: HrisRole| hris.then_some(role);
    if i == 0 || (i == 1 && size > 4) {
        return (MemberRole::Admin, hris_role(HrisRole::HrisAdmin));
    }
    let role = match rng.below(20) {
        0 if size > 4 => MemberRole::Admin,
        0 => MemberRole::Simple,
        1..=11 => MemberRole::Simple,
        12..=17 => MemberRole::Reviewer,
        _ if hris => MemberRole::NoAccess,
        _ => MemberRole::Simple,
    };
    let hris_pick = match rng.below(20) {
        0 if size > 4 => HrisRole::HrisAdmin,
        1 | 2 if role != MemberRole::NoAccess => HrisRole::HrisNoAccess,
        _ => HrisRole::HrisEmployee,
    };
    (role, hris_role(hris_pick))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixtures_are_deterministic_and_cover_every_role() {
        let a = store(7);
        assert_eq!(
            a.account("acme").unwrap(),
            store(7).account("acme").unwrap()
        );
        assert_ne!(
            a.account("acme").unwrap().members.keys().next(),
            store(8).account("acme").unwrap().members.keys().next()
        );
        let acme = a.account("acme").unwrap();
        for role in MemberRole::ALL {
            assert!(
                acme.members.values().any(|m| m.member.role == *role),
                "{role}"
            );
        }
        for role in HrisRole::ALL {
            assert!(
                acme.members
                    .values()
                    .any(|m| m.member.hris_role == Some(*role)),
                "{role}"
            );
        }
        let solo = a.account("solo").unwrap();
        assert_eq!(
            solo.members
                .values()
                .filter(|m| m.member.role == MemberRole::Admin)
                .count(),
            1
        );
        assert!(!a.account("globex").unwrap().hris_active);
    }
}
