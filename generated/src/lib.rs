//! The contract of the four HR APIs, generated from `schemas/` by `build.rs`: for each API, the SDL its clients see
//! (`PUBLIC_SDL`) and its rules table (`RULES`), which is all a harness needs to check an implementation. No Rust
//! types: a crate that implements an API generates its own module (`generator::compile` in its `build.rs`), with
//! its own bindings, so each API's typed module is generated once, where it is used. [`examples`] holds the
//! operations the documents print.

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

pub mod examples {
    //! The documented examples of every API (`schemas/examples/<api>/`), embedded by `build.rs`.

    /// One documented example.
    #[derive(Debug, Clone, Copy)]
    pub struct Example {
        /// The API's `@api(name:)`.
        pub api: &'static str,
        /// The file stem, e.g. `006_pagination`.
        pub name: &'static str,
        pub operation: &'static str,
        /// `NAME.json`: the variables, when the document gives them.
        pub variables: Option<&'static str>,
        /// `NAME.response.json`: the documented response, when the document shows one.
        pub response: Option<&'static str>,
    }

    include!(concat!(env!("OUT_DIR"), "/examples.rs"));
}
