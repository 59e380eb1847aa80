//! Healthmov over HTTP: random operations (valid and invalid, with and without a live token) never break the server,
//! and every error is message-only, as Graphene answers.

use axum::Router;
use axum::body::Body;
use axum::http::Request;
use proptest::prelude::*;
use serde_json::{Value, json};

use crate::support::*;

const HEALTHMOV: &str = "/healthmov/graphql";

/// Fragments of Healthmov operations, glued at random: mostly invalid, sometimes valid.
const PIECES: &[&str] = &[
    "{",
    "}",
    "query",
    "mutation",
    "companies",
    "(first: 2)",
    "(last: -1)",
    "(first: 99, after: \"YXJyYXljb25uZWN0aW9uOjE=\")",
    "(after: \"bm9wZQ==\")",
    "totalCount",
    "edges",
    "node",
    "id",
    "name",
    "departments",
    "employees",
    "dependents",
    "nbDependentsOnboarded",
    "onboardedAt",
    "pageInfo",
    "endCursor",
    "searchEmployee(externalId: $x)",
    "createDepartment(companyId: \"1\", departmentName: \"x\")",
    "createDepartment(companyId: $x, departmentName: \"x\")",
    "setOffboardingDate(employeeId: \"3\", dateOfOffboarding: \"2001-01-01\")",
    "setOffboardingDate(employeeId: \"3\", dateOfOffboarding: $x)",
    "department",
    "employee",
    "logout { ok }",
    "refreshToken { ok }",
    "$x",
    "...on Company",
    "__typename",
    "\"unterminated",
];

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

async fn post(app: &Router, authorization: Option<&str>, query: &str, variables: Value) -> Reply {
    let mut request = Request::post(HEALTHMOV).header("content-type", "application/json");
    if let Some(authorization) = authorization {
        request = request.header("authorization", authorization);
    }
    let body = json!({ "query": query, "variables": variables }).to_string();
    send(app, request.body(Body::from(body)).unwrap()).await
}

/// Logs the fixture user `acme-hr` in: the Authorization header of its access token.
async fn bearer(app: &Router) -> String {
    let reply = post(
        app,
        None,
        "mutation { login(username: \"acme-hr\", password: \"acme-password\") { accessToken } }",
        Value::Null,
    )
    .await;
    format!(
        "Bearer {}",
        reply.body["data"]["login"]["accessToken"].as_str().unwrap()
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn random_operations_never_break_the_server_and_errors_are_message_only(
        pieces in proptest::collection::vec(prop::sample::select(PIECES), 1..24),
        x in prop_oneof![Just(Value::Null), Just(json!(1)), Just(json!("2025-13-45")), Just(json!("1"))],
        authorized in any::<bool>(),
    ) {
        let app = app();
        let query = pieces.join(" ");
        let reply = runtime().block_on(async {
            let token = if authorized { Some(bearer(&app).await) } else { None };
            post(&app, token.as_deref(), &query, json!({ "x": x })).await
        });
        prop_assert!(reply.status.is_success() || reply.status.is_client_error(), "{query}: {} {}", reply.status, reply.body);
        for error in reply.body["errors"].as_array().cloned().unwrap_or_default() {
            prop_assert!(error["message"].is_string(), "{error}");
            prop_assert!(error.get("errorCode").is_none() && error.pointer("/extensions/code").is_none(), "{query}: {error}");
        }
    }
}

/// A server whose Healthmov quota is `limit` requests an hour.
fn quota(limit: u32) -> Router {
    app_with(reference_server::ServerConfig {
        rate_limits: vec![reference_server::options::RateLimitOverride {
            api: "healthmov_user_management".into(),
            token_kind: None,
            limit: Some(limit),
            window_seconds: Some(3600),
        }],
        ..reference_server::ServerConfig::default()
    })
}

/// A login as the client at `address` sees it (the connection layer marks every request with its client's address).
async fn login_from(app: &Router, address: [u8; 4], password: &str) -> Reply {
    let body = json!({
        "query": format!("mutation {{ login(username: \"acme-hr\", password: \"{password}\") {{ ok accessToken }} }}")
    });
    let mut request = Request::post(HEALTHMOV)
        .header("content-type", "application/json")
        .body(Body::from(body.to_string()))
        .unwrap();
    request
        .extensions_mut()
        .insert(reference_server::connections::ClientAddress(address.into()));
    send(app, request).await
}

#[tokio::test]
async fn a_spent_quota_is_refused_with_429_retry_after_and_a_message_only_error() {
    let app = quota(2);
    let token = bearer(&app).await;
    for _ in 0..2 {
        let served = post(&app, Some(&token), "{ __typename }", Value::Null).await;
        assert_eq!(served.status, 200, "{}", served.body);
    }
    let refused = post(&app, Some(&token), "{ __typename }", Value::Null).await;
    assert_eq!(refused.status, 429, "{}", refused.body);
    let wait: u64 = refused.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=3600).contains(&wait), "Retry-After: {wait}");
    assert_eq!(
        refused.body,
        json!({"errors": [{"message": "Rate limit reached."}]}),
        "a message-only error, and no data"
    );
    // Another session has a quota of its own.
    let other = bearer(&app).await;
    let served = post(&app, Some(&other), "{ __typename }", Value::Null).await;
    assert_eq!(served.status, 200, "{}", served.body);
}

#[tokio::test]
async fn logins_count_against_their_client_address() {
    let app = quota(3);
    for password in ["wrong-1", "wrong-2", "acme-password"] {
        let reply = login_from(&app, [192, 0, 2, 1], password).await;
        assert_eq!(reply.status, 200, "{}", reply.body);
    }
    // Guessing on: the address has spent its quota, whatever the password.
    let refused = login_from(&app, [192, 0, 2, 1], "acme-password").await;
    assert_eq!(refused.status, 429, "{}", refused.body);
    assert!(refused.body["data"].is_null(), "{}", refused.body);
    // Another address logs in.
    let other = login_from(&app, [192, 0, 2, 2], "acme-password").await;
    assert_eq!(other.body["data"]["login"]["ok"], true, "{}", other.body);
}
