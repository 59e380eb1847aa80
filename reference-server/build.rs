//! Generates the modules of the APIs the server implements, each with the bindings of GraphQL object types to the
//! server's own types (`Config::bind`), so that resolvers receive records that carry what the GraphQL types hide
//! (foreign keys, say).

fn main() {
    let mut greenhouse = generator::Config::new();
    greenhouse_bindings(&mut greenhouse);
    compile(&greenhouse, "../schemas/greenhouse_onboarding.graphql");

    let mut workable = generator::Config::new();
    workable_bindings(&mut workable);
    compile(&workable, "../schemas/workable_members.graphql");

    let mut healthmov = generator::Config::new();
    healthmov_bindings(&mut healthmov);
    compile(&healthmov, "../schemas/healthmov_user_management.graphql");
}

/// Healthmov User Management: the pages of connections (their edges and page info) and the payloads of mutations
/// (the record they return). Companies, departments and employees stay plain data: their resolvers look below them
/// by id.
fn healthmov_bindings(config: &mut generator::Config) {
    const BOUND: &[&str] = &[
        "AddOrUpdateDependentPayload",
        "CompanyConnection",
        "CompanyEdge",
        "CreateCompanyPayload",
        "CreateDepartmentPayload",
        "CreateOrUpdateCompanyPayload",
        "CreateOrUpdateEmployeePayload",
        "DepartmentConnection",
        "DepartmentEdge",
        "DependentInfoConnection",
        "DependentInfoEdge",
        "EmployeeConnection",
        "EmployeeEdge",
        "SetOffboardingDatePayload",
    ];
    bind_all(config, "healthmov", BOUND);
}

/// Workable members: a member carries its collaboration rules, a rule its departments and locations, a page its
/// members and the link to the next page.
fn workable_bindings(config: &mut generator::Config) {
    config
        .bind(
            "Member",
            "std::sync::Arc<crate::workable::store::MemberRecord>",
        )
        .bind("CollaborationRule", "crate::workable::store::RuleRecord")
        .bind("MembersPage", "crate::workable::store::PageRecord");
}

/// Greenhouse Onboarding: object types backed by the store's records (see `src/greenhouse/bindings.rs`), so that
/// resolvers receive the foreign keys, custom field ids and page windows the GraphQL types hide.
fn greenhouse_bindings(config: &mut generator::Config) {
    const BOUND: &[&str] = &[
        "AddDepartmentPayload",
        "AddLocationPayload",
        "CustomField",
        "CustomFieldConnection",
        "CustomFieldEdge",
        "CustomFieldValue",
        "Department",
        "DepartmentConnection",
        "DepartmentEdge",
        "Document",
        "Employee",
        "EmployeeConnection",
        "EmployeeEdge",
        "Location",
        "LocationConnection",
        "LocationEdge",
        "OtherCriterionConnection",
        "OtherCriterionEdge",
        "PendingHire",
        "SignatureRequest",
        "SignatureRequestTemplate",
        "State",
        "Team",
        "TeamCategoryConnection",
        "TeamCategoryEdge",
        "TeamConnection",
        "TeamEdge",
        "UpdateDepartmentPayload",
        "UpdateLocationPayload",
    ];
    bind_all(config, "greenhouse", BOUND);
}

/// Binds each GraphQL type to the alias of the same name in `crate::<api>::bindings`.
fn bind_all(config: &mut generator::Config, api: &str, names: &[&str]) {
    for name in names {
        config.bind(name, &format!("crate::{api}::bindings::{name}"));
    }
}

fn compile(config: &generator::Config, schema: &str) {
    if let Err(error) = config.compile(&[schema]) {
        eprintln!("{error}");
        std::process::exit(1);
    }
}
