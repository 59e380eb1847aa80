//! What a credentials file leaves uncheckable: the roles no credential carries, the roles with a single account, the
//! credentials that name no account. Told at the start of a run against a target, so that a property that cannot
//! run for lack of a credential is never mistaken for one that passed.

use std::collections::BTreeSet;

use runtime::rules::ApiRules;

use crate::credentials::Credential;

/// One line per gap, each starting with the API's name.
pub fn gaps(rules: &ApiRules, credentials: &[Credential]) -> Vec<String> {
    let api = &rules.name;
    let mut lines = Vec::new();
    let Some(auth) = &rules.auth else {
        return lines;
    };
    for role in auth.roles.iter() {
        let holders: Vec<&Credential> = credentials
            .iter()
            .filter(|c| c.roles.iter().any(|r| r == &**role))
            .collect();
        let open_to_it = rules
            .fields
            .iter()
            .filter(|f| f.roles.iter().any(|r| r == role))
            .count();
        if holders.is_empty() {
            if open_to_it > 0 {
                lines.push(format!(
                    "{api}: no credential carries the role `{role}`: A2 cannot check that the {open_to_it} field(s) \
                     open to it let it through (add a credential with `roles = [\"{role}\"]`)"
                ));
            }
            continue;
        }
        // The owned effects only a second account of this role can check: owned through this role, or through any
        // role where only this one may call the field.
        let owned = rules
            .effects()
            .filter(|(field, effect)| {
                effect.owners.iter().any(|o| match o.role.as_deref() {
                    Some(r) => r == &**role,
                    None => field.roles.len() == 1 && field.roles[0] == *role,
                })
            })
            .count();
        if rules.account_type(role).is_none() || owned == 0 {
            continue;
        }
        let accounts: BTreeSet<&str> = holders
            .iter()
            .filter_map(|c| c.account.as_deref())
            .collect();
        if accounts.len() < 2 {
            lines.push(format!(
                "{api}: the credentials of the role `{role}` name {} account(s): the ownership checks of its {owned} \
                 owned effect(s) (an account acting on another's entity) cannot run (add a credential of a second \
                 `{role}` account, with `account`)",
                accounts.len()
            ));
        }
    }
    if !rules.accounts.is_empty() {
        for c in credentials.iter().filter(|c| c.account.is_none()) {
            lines.push(format!(
                "{api}: the credential `{}` names no `account`: the checks that decide whose entity is whose leave it \
                 out",
                c.name
            ));
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn credential(name: &str, role: &str, account: Option<&str>) -> Credential {
        let mut c = Credential::header(name, "Bearer x".to_owned());
        c.roles = vec![role.to_owned()];
        c.account = account.map(str::to_owned);
        c
    }

    #[test]
    fn missing_roles_single_accounts_and_accountless_credentials_are_told() {
        let rules = &generated::worksome::RULES;
        let complete = [
            credential("acme", "company", Some("1")),
            credential("globex", "company", Some("2")),
            credential("ada", "worker", Some("10")),
            credential("linus", "worker", Some("11")),
            credential("rita", "recruiter", Some("20")),
            credential("rex", "recruiter", Some("21")),
        ];
        assert_eq!(gaps(rules, &complete), Vec::<String>::new());

        let lines = gaps(rules, &complete[..3]);
        assert!(
            lines
                .iter()
                .any(|l| l.contains("role `recruiter`") && l.contains("A2")),
            "{lines:#?}"
        );
        assert!(
            lines
                .iter()
                .any(|l| l.contains("role `worker` name 1 account")),
            "{lines:#?}"
        );
        assert!(
            !lines.iter().any(|l| l.contains("`company` name")),
            "{lines:#?}"
        );

        let lines = gaps(rules, &[credential("acme", "company", None)]);
        assert!(
            lines
                .iter()
                .any(|l| l.contains("`acme` names no `account`")),
            "{lines:#?}"
        );
        assert!(
            lines.iter().all(|l| l.starts_with("worksome: ")),
            "{lines:#?}"
        );
    }
}
