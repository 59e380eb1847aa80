//! Worksome (`/worksome/graphql`): all 101 mutations and the read-back Query fields served by the generic entity
//! store through Worksome's generated module (`Config::dynamic_backend`), with no resolver of its own. What
//! is Worksome's here is data and wording: the fixture accounts and their tokens (`fixtures.json`, `tokens.rs`)
//! and the error format (Lighthouse behind Worksome's gateway, `service.rs`).

mod service;
mod tokens;

/// Worksome's typed module, every resolver trait implemented over a dynamic backend: the entity store. Most of its
/// types are only read into by that implementation, never named.
#[allow(dead_code)]
mod schema {
    runtime::include_schema!("worksome");
}

#[cfg(test)]
mod tests;

pub use service::WorksomeApi;
pub use tokens::{TOKENS, Token};

use crate::fixtures::FixtureCredential;

/// One credential per fixture token: a Bearer token of a company, worker or recruiter account.
pub fn credentials(_seed: u64) -> Vec<FixtureCredential> {
    TOKENS
        .iter()
        .map(|token| FixtureCredential {
            api: &generated::worksome::RULES.name,
            name: token.name.to_owned(),
            authorization: format!("Bearer {}", token.token),
            description: format!(
                "Bearer, {} account {} (user {})",
                token.role, token.account, token.user
            ),
            roles: vec![token.role.to_owned()],
            scopes: Vec::new(),
            token_kind: None,
            account: Some(token.account.to_owned()),
            login: None,
        })
        .collect()
}
