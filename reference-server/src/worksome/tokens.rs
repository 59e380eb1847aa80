//! The fixture tokens: two accounts of each role (so that ownership is testable for every role), each acting for its
//! account entity and its user entity in `fixtures.json`.

/// A Bearer token of the fixtures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// The name in the credentials file and the start-up banner.
    pub name: &'static str,
    pub token: &'static str,
    /// `company`, `worker` or `recruiter`.
    pub role: &'static str,
    /// The id of the account entity (`Company`, `Worker`, `Recruiter`).
    pub account: &'static str,
    /// The id of the `User` entity (`viewer`).
    pub user: &'static str,
}

pub const TOKENS: [Token; 6] = [
    Token {
        name: "company-acme",
        token: "ws_company_acme_3f9d2a",
        role: "company",
        account: "1",
        user: "11",
    },
    Token {
        name: "company-globex",
        token: "ws_company_globex_8b41c7",
        role: "company",
        account: "2",
        user: "12",
    },
    Token {
        name: "worker-ada",
        token: "ws_worker_ada_51e0f4",
        role: "worker",
        account: "3",
        user: "13",
    },
    Token {
        name: "worker-linus",
        token: "ws_worker_linus_c27a96",
        role: "worker",
        account: "4",
        user: "14",
    },
    Token {
        name: "recruiter-rita",
        token: "ws_recruiter_rita_0d83be",
        role: "recruiter",
        account: "5",
        user: "15",
    },
    Token {
        name: "recruiter-rex",
        token: "ws_recruiter_rex_94c1d5",
        role: "recruiter",
        account: "6",
        user: "16",
    },
];

/// The fixture token an `Authorization` token names.
pub fn find(token: &str) -> Option<&'static Token> {
    TOKENS.iter().find(|t| t.token == token)
}
