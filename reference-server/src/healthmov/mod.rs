//! The Healthmov User Management API (`/healthmov/graphql`): sessions with JWT access and refresh tokens, and a
//! store of each client's companies, departments, employees and dependents, served through the traits generated
//! from `schemas/healthmov_user_management.graphql`.

pub mod access;
pub mod clock;
pub mod fixtures;
pub mod mutations;
pub mod pagination;
mod resolvers;
mod service;
pub mod sessions;
pub mod store;

#[cfg(test)]
mod tests;

pub use service::HealthmovApi;
pub use sessions::SessionConfig;

use crate::fixtures::FixtureCredential;

pub mod schema {
    //! The code generated from `schemas/healthmov_user_management.graphql`, with the server's bindings.
    runtime::include_schema!("healthmov_user_management");
}

/// One credential per fixture user: a user name and password for `login`, which answers the Bearer token.
pub fn credentials(_seed: u64) -> Vec<FixtureCredential> {
    fixtures::USERS
        .iter()
        .map(|(username, password, client)| FixtureCredential {
            api: &schema::RULES.name,
            name: (*client).to_owned(),
            authorization: String::new(),
            description: format!(
                "login(username: \"{username}\", password: \"{password}\"): client account `{client}`"
            ),
            roles: Vec::new(),
            scopes: Vec::new(),
            token_kind: None,
            account: Some((*client).to_owned()),
            login: Some(((*username).to_owned(), (*password).to_owned())),
        })
        .collect()
}
