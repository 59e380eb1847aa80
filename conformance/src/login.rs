//! Logging in, for an API whose Bearer tokens come from a `@public` login field (`@auth(scheme: BEARER_SESSION)`,
//! Healthmov): a credential given as a user name and password is exchanged for the access token that every property
//! then sends. The login field takes `username` and `password` and answers `accessToken`, as the Healthmov
//! document's `login` does.

use runtime::rules::{ApiRules, AuthScheme};
use serde_json::{Value, json};

use crate::client::{Client, Request};
use crate::credentials::Credential;

/// The API's login field: the `@public` mutation field of a `BEARER_SESSION` API.
pub fn login_field(rules: &ApiRules) -> Option<&str> {
    if rules.auth.as_ref().map(|a| a.scheme) != Some(AuthScheme::BearerSession) {
        return None;
    }
    rules
        .fields
        .iter()
        .find(|f| f.public && f.type_name == "Mutation")
        .map(|f| &*f.field_name)
}

/// The login operation and its variables, selecting every token and expiration date the payload has.
pub fn login_operation(field: &str, username: &str, password: &str) -> (String, Value) {
    let query = format!(
        "mutation Login($username: String!, $password: String!) {{ {field}(username: $username, password: $password) {{ ok accessToken accessTokenExpirationDate refreshToken refreshTokenExpirationDate }} }}"
    );
    (query, json!({"username": username, "password": password}))
}

/// Why a credential could not be logged in.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
#[error("cannot log `{name}` in at `{url}`: {reason}; check its username and password")]
pub struct LoginError {
    pub name: String,
    pub url: String,
    pub reason: String,
}

/// Fills the `authorization` of every credential given as a user name and password, by logging it in at `url`.
pub fn log_in(
    client: &Client,
    rules: &ApiRules,
    url: &str,
    credentials: &mut [Credential],
) -> Result<(), LoginError> {
    let Some(field) = login_field(rules) else {
        return Ok(());
    };
    for credential in credentials
        .iter_mut()
        .filter(|c| c.authorization.is_empty())
    {
        let (Some(username), Some(password)) = (&credential.username, &credential.password) else {
            continue;
        };
        let (query, variables) = login_operation(field, username, password);
        let body = json!({"query": query, "variables": variables}).to_string();
        let fail = |reason: String| LoginError {
            name: credential.name.clone(),
            url: url.to_owned(),
            reason,
        };
        let reply = client
            .send(Request::post_json(url, body))
            .response
            .map_err(|e| fail(e.to_string()))?
            .json()
            .ok_or_else(|| fail("the answer is not JSON".to_owned()))?;
        let token = reply
            .pointer(&format!("/data/{field}/accessToken"))
            .and_then(Value::as_str)
            .ok_or_else(|| fail(format!("the answer has no `{field}.accessToken`: {reply}")))?;
        credential.authorization = format!("Bearer {token}");
    }
    Ok(())
}
