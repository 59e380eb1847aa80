//! Healthmov's `@invariant`s as the rules table declares them, and which property exercises each.
//!
//! What the table gives in a form a program can read is each invariant's field, name and effect (REJECT: refused,
//! nothing changes; IGNORE: the offending input dropped and the request served); the models read the effect from
//! it, so the answer they expect when an input breaks an invariant is the declared one. What breaks it (which
//! arguments form a key, which dates compare, whose company a department is) is prose in the invariant's statement:
//! the models hold that part. [`EXERCISED`] lists what they cover; a test holds it equal to the table, so an
//! invariant added to the schema fails the build of the harness's tests until a property exercises it.

use runtime::rules::{ApiRules, InvariantEffect};

use crate::property::CaseError;

/// (type, field, invariant, the property that exercises it) for every `@invariant` of the Healthmov schema.
pub const EXERCISED: &[(&str, &str, &str, &str)] = &[
    ("Query", "companies", OWN_COMPANIES, "H2"),
    ("Query", "searchCompany", OWN_COMPANIES, "H2"),
    ("Query", "searchDepartment", OWN_COMPANIES, "H2"),
    ("Query", "searchEmployee", OWN_COMPANIES, "H2"),
    ("Mutation", "logout", "logout_revokes_session", "H1"),
    (
        "Mutation",
        "refreshToken",
        "refresh_rotates_refresh_token",
        "H1",
    ),
    (
        "Mutation",
        "createCompany",
        "company_external_id_unique",
        "H2",
    ),
    (
        "Mutation",
        "createOrUpdateCompany",
        "company_keyed_by_external_id",
        "H2",
    ),
    ("Mutation", "createOrUpdateCompany", DATES_IN_ORDER, "H2"),
    ("Mutation", "createDepartment", "known_company", "H2"),
    ("Mutation", "createDepartment", OWN_COMPANIES, "H2"),
    (
        "Mutation",
        "createOrUpdateEmployee",
        "department_of_company",
        "H2",
    ),
    (
        "Mutation",
        "createOrUpdateEmployee",
        "dependent_keyed_by_parent_and_email",
        "H2",
    ),
    ("Mutation", "createOrUpdateEmployee", DATES_IN_ORDER, "H2"),
    ("Mutation", "createOrUpdateEmployee", OWN_COMPANIES, "H2"),
    (
        "Mutation",
        "createOrUpdateEmployee",
        "employee_number_unique_in_company",
        "H2",
    ),
    (
        "Mutation",
        "createOrUpdateEmployee",
        "access_blocked_before_onboarding",
        "H2",
    ),
    (
        "Mutation",
        "createOrUpdateEmployee",
        "access_blocked_after_offboarding",
        "H2",
    ),
    (
        "Mutation",
        "addOrUpdateDependent",
        "dependent_keyed_by_parent_and_email",
        "H2",
    ),
    ("Mutation", "addOrUpdateDependent", "known_parent", "H2"),
    ("Mutation", "addOrUpdateDependent", DATES_IN_ORDER, "H2"),
    ("Mutation", "addOrUpdateDependent", OWN_COMPANIES, "H2"),
    ("Mutation", "setOffboardingDate", DATES_IN_ORDER, "H2"),
    ("Mutation", "setOffboardingDate", OWN_COMPANIES, "H2"),
    (
        "Mutation",
        "setOffboardingDate",
        "access_blocked_after_offboarding",
        "H2",
    ),
    ("Employee", "nbDependentsOnboarded", "access_window", "H2"),
];

/// A client account sees and changes only its own companies and what is below them.
pub const OWN_COMPANIES: &str = "client_sees_only_own_companies";

/// An offboarding date before the onboarding date is refused.
pub const DATES_IN_ORDER: &str = "offboarding_not_before_onboarding";

/// What breaking `invariant` of `Mutation.field` gets, as the rules table declares it. An invariant the table does
/// not declare there fails the case: the model and the schema disagree on the rule.
pub fn effect(
    rules: &ApiRules,
    field: &str,
    invariant: &str,
) -> Result<InvariantEffect, CaseError> {
    rules
        .field("Mutation", field)
        .and_then(|f| f.invariants.iter().find(|i| *i.name == *invariant))
        .map(|i| i.effect)
        .ok_or_else(|| {
            CaseError::fail(format!(
                "the rules table declares no @invariant `{invariant}` on Mutation.{field}: the model checks a rule \
                 the schema does not state"
            ))
        })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    #[test]
    fn every_declared_invariant_is_exercised_and_nothing_else() {
        let rules = crate::runner::rules_of("healthmov_user_management").unwrap();
        let declared: BTreeSet<(String, String, String)> = rules
            .fields
            .iter()
            .flat_map(|f| {
                f.invariants.iter().map(|i| {
                    (
                        f.type_name.to_string(),
                        f.field_name.to_string(),
                        i.name.to_string(),
                    )
                })
            })
            .collect();
        let exercised: BTreeSet<(String, String, String)> = EXERCISED
            .iter()
            .map(|(t, f, i, _)| (t.to_string(), f.to_string(), i.to_string()))
            .collect();
        assert_eq!(
            declared.difference(&exercised).collect::<Vec<_>>(),
            Vec::<&(String, String, String)>::new(),
            "declared in the schema, exercised by no property"
        );
        assert_eq!(
            exercised.difference(&declared).collect::<Vec<_>>(),
            Vec::<&(String, String, String)>::new(),
            "exercised, but the schema declares no such invariant"
        );
    }
}
