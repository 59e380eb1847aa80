//! The rules the Greenhouse document promises, enforced from the schema's directives: Basic auth, the request quota,
//! the complexity limit, and `errorCode` on every error.

use base64::Engine as _;
use reference_server::options::RateLimitOverride;
use reference_server::{Options, ServerConfig};
use serde_json::{Value, json};

use crate::support::*;

fn basic(key: &str, secret: &str) -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{key}:{secret}"))
    )
}

#[tokio::test]
async fn missing_malformed_and_wrong_credentials_are_authentication_errors_with_no_data() {
    let app = app();
    for authorization in [
        None,
        Some("Basic !!!".to_owned()),
        Some("Bearer x".to_owned()),
        Some(basic("demo-access-key", "wrong")),
        Some(basic("nobody", "demo-secret-key")),
    ] {
        let reply = graphql(
            &app,
            authorization.as_deref(),
            "{ employee(id: 25) { email } }",
            Value::Null,
        )
        .await;
        assert_eq!(reply.status, 200);
        assert_eq!(
            reply.body["errors"][0]["errorCode"], "Authentication",
            "{authorization:?}: {}",
            reply.body
        );
        assert!(reply.body.get("data").is_none(), "{}", reply.body);
    }
}

#[tokio::test]
async fn a_wrong_secret_is_accepted_only_under_the_fault() {
    let options = Options {
        faults: [reference_server::Fault::WrongSecretAccepted]
            .into_iter()
            .collect(),
        ..Options::default()
    };
    let app = reference_server::app(&options);
    let reply = graphql(
        &app,
        Some(&basic("demo-access-key", "wrong")),
        "{ employee(id: 25) { email } }",
        Value::Null,
    )
    .await;
    assert!(
        reply.body["data"]["employee"]["email"].is_string(),
        "{}",
        reply.body
    );
}

fn quota(limit: u32) -> ServerConfig {
    ServerConfig {
        rate_limits: vec![RateLimitOverride {
            api: "greenhouse_onboarding".into(),
            token_kind: None,
            limit: Some(limit),
            window_seconds: Some(3600),
        }],
        ..ServerConfig::default()
    }
}

#[tokio::test]
async fn the_quota_counts_down_then_refuses_with_the_documented_error_and_keys_are_isolated() {
    let app = app_with(quota(3));
    let mut remaining = Vec::new();
    for _ in 0..3 {
        let reply = greenhouse(&app, "{ rateLimit { limit remaining resetAt cost } }").await;
        assert_eq!(reply.body["data"]["rateLimit"]["limit"], 3);
        assert_eq!(reply.body["data"]["rateLimit"]["cost"], 1);
        remaining.push(
            reply.body["data"]["rateLimit"]["remaining"]
                .as_i64()
                .unwrap(),
        );
    }
    assert_eq!(remaining, [2, 1, 0]);
    let refused = greenhouse(&app, "{ rateLimit { remaining } }").await;
    assert_eq!(refused.status, 200);
    let error = &refused.body["errors"][0];
    assert_eq!(error["message"], "Rate limit reached.");
    assert_eq!(error["errorCode"], "RateLimit");
    assert_eq!(error["limit"], 3);
    assert_eq!(error["remaining"], 0);
    let reset_at = error["resetAt"].as_str().unwrap();
    assert!(
        reset_at.ends_with(":00:00Z"),
        "a one-hour window resets on the hour: {reset_at}"
    );
    assert!(refused.body.get("data").is_none());
    // The second key has its own quota.
    let other = graphql(
        &app,
        Some(&credential("greenhouse_onboarding", "api_key_2")),
        "{ rateLimit { remaining } }",
        Value::Null,
    )
    .await;
    assert_eq!(
        other.body["data"]["rateLimit"]["remaining"], 2,
        "{}",
        other.body
    );
}

#[tokio::test]
async fn a_refused_request_changes_nothing() {
    let app = app_with(quota(1));
    greenhouse(&app, "{ rateLimit { remaining } }").await;
    let refused = greenhouse(&app, r#"mutation { addDepartment(addDepartmentInput: { name: "Refused" }) { department { id } } }"#).await;
    assert_eq!(refused.body["errors"][0]["errorCode"], "RateLimit");
    // The department list of the same server is read with the second key, whose quota is untouched.
    let list = graphql(
        &app,
        Some(&credential("greenhouse_onboarding", "api_key_2")),
        "{ departments(first: 25) { edges { node { name } } } }",
        Value::Null,
    )
    .await;
    assert!(!list.body.to_string().contains("Refused"), "{}", list.body);
}

#[tokio::test]
async fn complexity_is_scored_per_the_documented_formula_and_capped() {
    let app = app();
    let reply = greenhouse(
        &app,
        "{ employee(id: 25) { email } complexityInfo { score maximum } }",
    )
    .await;
    assert_eq!(
        reply.body["data"]["complexityInfo"],
        json!({ "score": 1, "maximum": 2500 }),
        "{}",
        reply.body
    );
    let reply = greenhouse(&app, "{ employees(first: 10) { pageInfo { hasNextPage } edges { node { id email } } } complexityInfo { score } }").await;
    assert_eq!(
        reply.body["data"]["complexityInfo"]["score"], 30,
        "{}",
        reply.body
    );
    let too_complex = greenhouse(
        &app,
        "{ employees(first: 1000) { edges { node { id email firstName } } } }",
    )
    .await;
    assert_eq!(
        too_complex.body["errors"][0]["errorCode"], "Validation",
        "{}",
        too_complex.body
    );
    assert!(
        too_complex.body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("3000")
    );
    assert!(too_complex.body.get("data").is_none());
}

#[tokio::test]
async fn a_missing_record_is_the_documented_not_found_error() {
    let reply = greenhouse(&app(), "{\n  employee(id: 100000000) {\n    email\n  }\n}").await;
    assert_eq!(
        reply.body,
        json!({
            "data": { "employee": null },
            "errors": [{
                "message": "Unable to find Employee with id 100000000",
                "locations": [{ "line": 2, "column": 3 }],
                "path": ["employee"],
                "errorCode": "NotFound"
            }]
        })
    );
}

#[tokio::test]
async fn documents_over_the_limits_are_refused_before_execution() {
    let app = app();
    let aliases: String = (0..16)
        .map(|i| format!("a{i}: rateLimit {{ limit }} "))
        .collect();
    let reply = greenhouse(&app, &format!("{{ {aliases} }}")).await;
    assert!(
        reply.body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("16 aliases"),
        "{}",
        reply.body
    );
    let deep = "{ employee(id: 25) { manager { manager { manager { manager { manager { manager { manager { manager { manager { manager { manager { id } } } } } } } } } } } } }";
    let reply = greenhouse(&app, deep).await;
    assert!(
        reply.body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("levels deep"),
        "{}",
        reply.body
    );
    assert_eq!(reply.body["errors"][0]["errorCode"], "Validation");
}

#[tokio::test]
async fn an_operation_of_only_typename_or_introspection_still_needs_credentials() {
    let app = app();
    for query in ["{ __typename }", "{ __schema { queryType { name } } }"] {
        let reply = graphql(&app, None, query, Value::Null).await;
        assert_eq!(
            reply.body["errors"][0]["errorCode"], "Authentication",
            "{query}: {}",
            reply.body
        );
    }
}
