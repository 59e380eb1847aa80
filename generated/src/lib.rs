//! Rust types, resolver traits, execution glue and rules tables for the four HR APIs, generated from `schemas/` by
//! `build.rs`. Each module holds, for one API: a struct per object type, an enum per enum, input objects with
//! three-state nullable fields, a resolver trait per root and object type, `execute` and `engine`, the SDL
//! (`SDL`, `PUBLIC_SDL`) and the rules table (`RULES`).

pub mod greenhouse_onboarding {
    //! Greenhouse Onboarding API (`schemas/greenhouse_onboarding.graphql`).
    runtime::include_schema!("greenhouse_onboarding");
}

pub mod healthmov_user_management {
    //! Healthmov User Management API (`schemas/healthmov_user_management.graphql`).
    runtime::include_schema!("healthmov_user_management");
}

pub mod workable_members {
    //! Workable SPI v3 members (`schemas/workable_members.graphql`).
    runtime::include_schema!("workable_members");
}

pub mod worksome {
    //! Worksome API (`schemas/worksome.graphql`).
    runtime::include_schema!("worksome");
}

/// The rules table of every API, by `@api(name:)`.
pub static APIS: [&runtime::rules::ApiRules; 4] = [
    &greenhouse_onboarding::RULES,
    &healthmov_user_management::RULES,
    &workable_members::RULES,
    &worksome::RULES,
];
