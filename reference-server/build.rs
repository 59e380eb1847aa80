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

    // Healthmov binds nothing: its companies, departments and employees are plain data, and the resolvers of the
    // fields with arguments look below them by id.
    compile(
        &generator::Config::new(),
        "../schemas/healthmov_user_management.graphql",
    );

    // Worksome, and the entity store's own test schema, are served by the generic entity store: their modules
    // implement every resolver trait over a JSON backend.
    compile(&entity_store_config(), "../schemas/worksome.graphql");
    compile(&entity_store_config(), "test_data/entities/tasks.graphql");
}

/// A module the entity store serves (`src/entities/`): resolvers over the store as a dynamic backend, and the
/// custom scalars held as the JSON the store keeps (a time, a date or a URL reads back exactly as written: the
/// store writes its own times in the API's format, and a URL is not normalised).
fn entity_store_config() -> generator::Config {
    let mut config = generator::Config::new();
    config.dynamic_backend(true);
    for scalar in ["Date", "DateTime", "URL"] {
        config.scalar(scalar, "::runtime::serde_json::Value");
    }
    config
}

/// Workable members: a member is a shared record (a read copies none) that also carries the jobs it collaborates
/// on, which the `shortcode` filter reads and the GraphQL type does not show.
fn workable_bindings(config: &mut generator::Config) {
    config.bind(
        "Member",
        "std::sync::Arc<crate::workable::store::MemberRecord>",
    );
}

/// Greenhouse Onboarding: the store's records back the object types whose fields are looked up from what the
/// GraphQL types hide (foreign keys, custom field ids; see `src/greenhouse/bindings.rs`), and those fields are
/// resolved when asked for. Connections, edges and payloads are the generated structs, built by the resolvers.
fn greenhouse_bindings(config: &mut generator::Config) {
    const BOUND: &[&str] = &[
        "CustomField",
        "CustomFieldValue",
        "Department",
        "Document",
        "Employee",
        "Location",
        "PendingHire",
        "SignatureRequest",
        "SignatureRequestTemplate",
        "State",
        "Team",
    ];
    const LOOKED_UP: &[&str] = &[
        "Country.states",
        "CustomField.customFieldGroup",
        "CustomField.teamCategory",
        "CustomFieldValue.customField",
        "Department.departmentLead",
        "Document.file",
        "Employee.department",
        "Employee.documents",
        "Employee.hrManager",
        "Employee.location",
        "Employee.manager",
        "Employee.otherCriteria",
        "Employee.profileImage",
        "Location.locationLead",
        "PendingHire.department",
        "PendingHire.hrManager",
        "PendingHire.location",
        "PendingHire.manager",
        "SignatureRequest.counterSigner",
        "SignatureRequest.file",
        "SignatureRequest.signatureRequestTemplate",
        "SignatureRequestTemplate.counterSigner",
        "State.country",
        "Team.teamCategory",
    ];
    bind_all(config, "greenhouse", BOUND);
    for field in LOOKED_UP {
        config.resolve(field);
    }
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
