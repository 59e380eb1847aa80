//! The Greenhouse Onboarding API: an in-memory store with deterministic fixtures, served through the traits
//! generated from `schemas/greenhouse_onboarding.graphql`.

use base64::Engine as _;

use crate::fixtures::FixtureCredential;

mod auth;
pub mod bindings;
mod countries;
pub mod filters;
pub mod fixtures;
pub mod mutations;
pub mod pagination;
mod resolvers;
mod service;
pub mod store;
pub mod values;

#[cfg(test)]
mod tests;

pub use service::GreenhouseApi;

pub mod schema {
    //! The code generated from `schemas/greenhouse_onboarding.graphql`, with the server's bindings.
    runtime::include_schema!("greenhouse_onboarding");
}

/// The API keys of the fixtures: an access key and its secret, and a second key whose quota is separate.
pub const API_KEYS: [(&str, &str); 2] = [
    ("demo-access-key", "demo-secret-key"),
    ("second-access-key", "second-secret-key"),
];

pub fn credentials(_seed: u64) -> Vec<FixtureCredential> {
    API_KEYS
        .iter()
        .enumerate()
        .map(|(i, (key, secret))| FixtureCredential {
            api: &schema::RULES.name,
            name: if i == 0 {
                "api_key".to_owned()
            } else {
                format!("api_key_{}", i + 1)
            },
            authorization: format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(format!("{key}:{secret}"))
            ),
            description: format!("HTTP Basic, access key `{key}`, secret key `{secret}`"),
            roles: Vec::new(),
            scopes: Vec::new(),
            token_kind: None,
            account: None,
            login: None,
        })
        .collect()
}
