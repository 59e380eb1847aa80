//! The fixture credentials of every API, printed at start-up and used by the conformance harness when it checks the
//! embedded server.

/// One credential of the fixtures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixtureCredential {
    /// `@api(name:)` of the API it is for.
    pub api: &'static str,
    /// What it stands for (a role, a token kind, an account), as named in the credentials file.
    pub name: String,
    /// The `Authorization` header value.
    pub authorization: String,
    /// One line for the start-up banner and the README.
    pub description: String,
}

/// Every fixture credential, API by API.
pub fn credentials(seed: u64) -> Vec<FixtureCredential> {
    let mut all = crate::greenhouse::credentials(seed);
    all.extend(crate::workable::credentials(seed));
    all
}
