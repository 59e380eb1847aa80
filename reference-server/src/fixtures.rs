//! The fixture credentials of every API, printed at start-up and used by the conformance harness when it checks the
//! embedded server.

/// One credential of the fixtures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixtureCredential {
    /// `@api(name:)` of the API it is for.
    pub api: &'static str,
    /// What it stands for (a role, a token kind, an account), as named in the credentials file.
    pub name: String,
    /// The `Authorization` header value; empty for a credential that is a [`login`](Self::login).
    pub authorization: String,
    /// One line for the start-up banner and the README.
    pub description: String,
    /// The roles it carries (for `@requiresRole`).
    pub roles: Vec<String>,
    /// The scopes it carries (for `@requiresScope`).
    pub scopes: Vec<String>,
    /// Its token kind, when the API's quotas differ by kind.
    pub token_kind: Option<String>,
    /// The account it is bound to (Workable: a subdomain; Healthmov: a client account).
    pub account: Option<String>,
    /// A user name and password that the API's `@public` login field exchanges for a Bearer token (Healthmov).
    pub login: Option<(String, String)>,
}

/// Every fixture credential, API by API.
pub fn credentials(seed: u64) -> Vec<FixtureCredential> {
    let mut all = crate::greenhouse::credentials(seed);
    all.extend(crate::workable::credentials(seed));
    all.extend(crate::healthmov::credentials(seed));
    all.extend(crate::worksome::credentials(seed));
    all
}
