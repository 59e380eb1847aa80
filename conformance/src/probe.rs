//! The first requests against a `--target`, before anything is planned: is something listening, and does it serve
//! the API there at all? Either answer "no" is a configuration error (exit 2) with one clear line, not a list of
//! failing properties.

use runtime::rules::{ApiRules, HttpMethod, Transport};

use crate::client::{Client, Request, Response, TransportError};
use crate::credentials::Credential;
use crate::rest;
use crate::runner::RunError;

/// Checks that `url` answers and serves the API of `rules`: a GraphQL endpoint answers a GraphQL request with
/// something other than 404, 405 or a page that is not JSON; a REST API's first `GET` route answers its first
/// credential's account with something other than 404, 405 or a page that is not JSON; a 404 unlike the one of a path
/// nobody serves, in the API's error format, is the route refusing the account instead.
pub fn check_served(
    client: &Client,
    rules: &'static ApiRules,
    url: &str,
    credentials: &[Credential],
) -> Result<(), RunError> {
    let api = &rules.name;
    let probe = client.send(Request::post_json(
        url,
        r#"{"query":"{ __typename }"}"#.to_owned(),
    ));
    let response = match probe.response {
        Err(e @ TransportError::Connect(_)) => {
            return Err(RunError::Unreachable {
                url: url.to_owned(),
                reason: e.to_string(),
            });
        }
        Err(_) => return Ok(()),
        Ok(response) => response,
    };
    if rules.transport == Transport::Graphql {
        return match unserved(&response) {
            Some(answer) => Err(not_served(format!(
                "`{url}` answers {answer} to a GraphQL request: it does not serve `{api}` there (check --target: \
                 the GraphQL endpoint, e.g. https://host/graphql)"
            ))),
            None => Ok(()),
        };
    }
    let Some(field) = rest::bound(rules, HttpMethod::Get).next() else {
        return Ok(());
    };
    let credential = credentials.first();
    let account = credential.and_then(|c| c.account.as_deref()).unwrap_or("");
    let request = rest::call_for(field, account).request(url, credential);
    let route = format!("{} {}", request.method, request.url);
    let Ok(response) = client.send(request).response else {
        return Ok(());
    };
    let Some(answer) = unserved(&response) else {
        return Ok(());
    };
    // The route's own refusal (an unknown account) differs from what the target answers on a path nobody serves.
    let mut nowhere = Request {
        method: "GET".to_owned(),
        url: format!(
            "{}/conformance-probe/no-such-route",
            url.trim_end_matches('/')
        ),
        headers: Vec::new(),
        body: None,
    };
    if let Some(c) = credential {
        nowhere = nowhere.header("Authorization", &c.authorization);
    }
    let like_nowhere = client
        .send(nowhere)
        .response
        .is_ok_and(|n| n.status == response.status && n.body == response.body);
    if !like_nowhere && rest::error_message(&response).is_some() {
        return Err(not_served(format!(
            "`{route}` answers {answer} with the API's error ({}): the account `{account}` of the first credential \
             is not served there (check `account` in --credentials)",
            rest::digest(&response)
        )));
    }
    Err(not_served(format!(
        "`{route}` answers {answer}, as a path nobody serves would: `{url}` does not serve `{api}` (check \
         --target: the prefix the API's routes hang below, e.g. https://host/workable)"
    )))
}

/// How a response says that nothing is served there: 404 or 405, or a success that is not JSON (a web page).
fn unserved(response: &Response) -> Option<String> {
    let status = response.status;
    if matches!(status, 404 | 405) {
        return Some(format!("HTTP {status}"));
    }
    ((200..300).contains(&status) && response.json().is_none()).then(|| {
        format!(
            "HTTP {status} with a body that is not JSON ({})",
            response.header("Content-Type").unwrap_or("no content type")
        )
    })
}

fn not_served(reason: String) -> RunError {
    RunError::NotServed {
        reason,
        served: "none known".to_owned(),
    }
}
