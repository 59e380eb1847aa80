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
