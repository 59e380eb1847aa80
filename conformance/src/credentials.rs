//! The credentials a run uses: read from a `--credentials` file (TOML or JSON) for an external target, or taken from
//! the reference server's fixtures for the embedded one.
//!
//! The file holds one entry per credential (one per role, token kind or account where the API has them):
//!
//! ```toml
//! [[credential]]
//! name = "api_key"                                   # how reports name it
//! authorization = "Basic ZGVtby1hY2Nlc3Mta2V5OmRlbW8tc2VjcmV0LWtleQ=="   # the whole Authorization header value
//! roles = []                                         # @auth(roles:) it carries (Worksome: company, worker, recruiter)
//! scopes = []                                        # @auth(scopes:) it carries (Workable: r_jobs, w_members)
//! # token_kind = "account"                           # @auth(tokenKinds:) when quotas differ by kind (Workable)
//! # account = "acme"                                 # the account it is bound to (Workable: the subdomain)
//!
//! [[credential]]
//! name = "api_key_2"
//! authorization = "Basic c2Vjb25kLWFjY2Vzcy1rZXk6c2Vjb25kLXNlY3JldC1rZXk="
//!
//! # An API whose tokens come from a login (Healthmov): one user per client account; the harness logs in.
//! [[credential]]
//! name = "acme"
//! username = "acme-hr"
//! password = "acme-password"
//! account = "acme"
//! ```
//!
//! An optional `[run]` table holds settings of the runs that use the file: `strict = true` makes not-applicable and
//! inconclusive results fail the run, as `--strict` does.
//!
//! The same in JSON (a file whose name ends in `.json`): `{"credential": [{"name": "api_key", "authorization": "Basic
//! ..."}]}`. Only `name` and `authorization` are required. A second credential lets the rate-limit properties check
//! that quotas are kept per credential; the role properties need one credential per role.

use std::path::Path;

use serde::{Deserialize, Serialize};

/// One credential.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Credential {
    /// How reports name it.
    pub name: String,
    /// The whole `Authorization` header value, e.g. `Basic ...` or `Bearer ...`. Left out for a user name and
    /// password: the harness logs in and fills it with the Bearer token the login answers.
    #[serde(default)]
    pub authorization: String,
    /// The roles it carries (names from `@auth(roles:)`).
    #[serde(default)]
    pub roles: Vec<String>,
    /// The scopes it carries (names from `@auth(scopes:)`).
    #[serde(default)]
    pub scopes: Vec<String>,
    /// Its token kind (a name from `@auth(tokenKinds:)`).
    #[serde(default)]
    pub token_kind: Option<String>,
    /// The account it is bound to.
    #[serde(default)]
    pub account: Option<String>,
    /// A user name for the API's `@public` login field (`@auth(scheme: BEARER_SESSION)`, Healthmov), with `password`.
    #[serde(default)]
    pub username: Option<String>,
    #[serde(default)]
    pub password: Option<String>,
}

impl Credential {
    /// A credential that is nothing but an `Authorization` header value (a made-up or a session's token).
    pub fn header(name: &str, authorization: String) -> Self {
        Credential {
            name: name.to_owned(),
            authorization,
            roles: Vec::new(),
            scopes: Vec::new(),
            token_kind: None,
            account: None,
            username: None,
            password: None,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CredentialsFile {
    credential: Vec<Credential>,
    #[serde(default)]
    run: RunSection,
}

/// The file's optional `[run]` table: settings of the runs that use it (a CI job's, typically).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunSection {
    /// Not-applicable and inconclusive results fail the run, as `--strict` does.
    #[serde(default)]
    pub strict: bool,
}

/// A credentials file, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loaded {
    pub credentials: Vec<Credential>,
    pub run: RunSection,
}

/// Why a credentials file could not be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CredentialsError {
    #[error("cannot read credentials file `{path}`")]
    Read {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "credentials file `{path}` is not valid TOML of the documented shape (see `conformance --help`): {message}"
    )]
    Toml { path: String, message: String },
    #[error(
        "credentials file `{path}` is not valid JSON of the documented shape (see `conformance --help`): {message}"
    )]
    Json { path: String, message: String },
    #[error(
        "credentials file `{path}` names no credential; add at least one `[[credential]]` entry"
    )]
    Empty { path: String },
    #[error("credentials file `{path}` names `{name}` twice; give each credential its own name")]
    Duplicate { path: String, name: String },
    #[error(
        "credential `{name}` in `{path}` has neither `authorization` nor both `username` and `password`; give one"
    )]
    NoSecret { path: String, name: String },
}

/// Reads a credentials file: JSON when its name ends in `.json`, TOML otherwise.
pub fn load(path: &Path) -> Result<Loaded, CredentialsError> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| CredentialsError::Read {
        path: shown.clone(),
        source,
    })?;
    parse(&text, path.extension().is_some_and(|e| e == "json"), &shown)
}

/// Parses the text of a credentials file.
pub fn parse(text: &str, json: bool, path: &str) -> Result<Loaded, CredentialsError> {
    let file: CredentialsFile = if json {
        serde_json::from_str(text).map_err(|e| CredentialsError::Json {
            path: path.to_owned(),
            message: e.to_string(),
        })?
    } else {
        toml::from_str(text).map_err(|e| CredentialsError::Toml {
            path: path.to_owned(),
            message: e.to_string(),
        })?
    };
    if file.credential.is_empty() {
        return Err(CredentialsError::Empty {
            path: path.to_owned(),
        });
    }
    let mut names = std::collections::BTreeSet::new();
    for c in &file.credential {
        if !names.insert(c.name.as_str()) {
            return Err(CredentialsError::Duplicate {
                path: path.to_owned(),
                name: c.name.clone(),
            });
        }
        if c.authorization.is_empty() && (c.username.is_none() || c.password.is_none()) {
            return Err(CredentialsError::NoSecret {
                path: path.to_owned(),
                name: c.name.clone(),
            });
        }
    }
    Ok(Loaded {
        credentials: file.credential,
        run: file.run,
    })
}

/// The reference server's fixture credentials for one API.
#[cfg(feature = "embedded")]
pub fn fixtures(api: &str, seed: u64) -> Vec<Credential> {
    reference_server::fixtures::credentials(seed)
        .into_iter()
        .filter(|c| c.api == api)
        .map(|c| Credential {
            name: c.name,
            authorization: c.authorization,
            roles: c.roles,
            scopes: c.scopes,
            token_kind: c.token_kind,
            account: c.account,
            username: c.login.as_ref().map(|(user, _)| user.clone()),
            password: c.login.map(|(_, password)| password),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_examples_parse() {
        let toml = "[[credential]]\nname = \"api_key\"\nauthorization = \"Basic abc\"\nroles = []\n\n[[credential]]\nname = \"k2\"\nauthorization = \"Bearer x\"\nscopes = [\"r_jobs\"]\ntoken_kind = \"account\"\naccount = \"acme\"\n";
        let creds = parse(toml, false, "c.toml").unwrap().credentials;
        assert_eq!(creds.len(), 2);
        assert_eq!(creds[1].account.as_deref(), Some("acme"));
        let json = r#"{"credential": [{"name": "api_key", "authorization": "Basic abc"}]}"#;
        assert_eq!(
            parse(json, true, "c.json").unwrap().credentials[0].name,
            "api_key"
        );
        let strict =
            "[run]\nstrict = true\n\n[[credential]]\nname = \"a\"\nauthorization = \"Basic abc\"\n";
        assert!(parse(strict, false, "c.toml").unwrap().run.strict);
        assert!(matches!(
            parse(
                "[[credential]]\nname = \"a\"\nauthorisation = \"x\"\n",
                false,
                "c.toml"
            ),
            Err(CredentialsError::Toml { .. })
        ));
        assert!(matches!(
            parse("credential = []", false, "c.toml"),
            Err(CredentialsError::Empty { .. })
        ));
        let login = parse(
            "[[credential]]\nname = \"acme\"\nusername = \"u\"\npassword = \"p\"\n",
            false,
            "c.toml",
        )
        .unwrap();
        assert_eq!(login.credentials[0].username.as_deref(), Some("u"));
        assert!(matches!(
            parse(
                "[[credential]]\nname = \"a\"\nusername = \"u\"\n",
                false,
                "c.toml"
            ),
            Err(CredentialsError::NoSecret { .. })
        ));
    }
}
