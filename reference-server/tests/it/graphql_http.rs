//! GraphQL over HTTP: methods, media types, status codes and malformed requests.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn post_json_runs_the_documented_basic_request() {
    let reply = greenhouse(&app(), "{ employee(id: 25) { email } }").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(
        reply.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    assert!(
        reply.body["data"]["employee"]["email"].is_string(),
        "{}",
        reply.body
    );
    assert!(reply.body.get("errors").is_none(), "{}", reply.body);
}

#[tokio::test]
async fn get_runs_queries_and_refuses_mutations_with_405_and_allow() {
    let app = app();
    let query = "/greenhouse/graphql?query=%7B%20employee(id%3A%2025)%20%7B%20email%20%7D%20%7D";
    let reply = send(
        &app,
        Request::get(query)
            .header("authorization", greenhouse_auth())
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!(reply.body["data"]["employee"]["email"].is_string());

    let mutation = "/greenhouse/graphql?query=mutation%7BdeleteDepartment(deleteDepartmentInput%3A%7Bid%3A1%7D)%7BdeletedDepartmentId%7D%7D";
    let reply = send(
        &app,
        Request::get(mutation)
            .header("authorization", greenhouse_auth())
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(reply.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(reply.headers[header::ALLOW], "POST");
    assert_eq!(reply.body["errors"][0]["errorCode"], "Validation");
    // Nothing was deleted.
    let reply = greenhouse(&app, "{ department(id: 1) { id } }").await;
    assert!(
        reply.body["data"]["department"]["id"].is_string(),
        "{}",
        reply.body
    );
}

#[tokio::test]
async fn malformed_requests_get_clear_errors_in_the_api_format() {
    let app = app();
    let post = |body: &'static str, content_type: &'static str| {
        Request::post(GREENHOUSE)
            .header("content-type", content_type)
            .header("authorization", greenhouse_auth())
            .body(Body::from(body))
            .unwrap()
    };
    for (request, status, needle) in [
        (
            post("{not json", "application/json"),
            StatusCode::BAD_REQUEST,
            "not valid JSON",
        ),
        (
            post("{}", "application/json"),
            StatusCode::BAD_REQUEST,
            "no `query`",
        ),
        (
            post(r#"{"query": 1}"#, "application/json"),
            StatusCode::BAD_REQUEST,
            "must be a string",
        ),
        (
            post(
                r#"{"query": "{ rateLimit { limit } }", "variables": [1]}"#,
                "application/json",
            ),
            StatusCode::BAD_REQUEST,
            "must be a JSON object",
        ),
        (
            post(r#"{"query": "{ rateLimit { limit } }"}"#, "text/plain"),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "must be application/json",
        ),
        (
            Request::put(GREENHOUSE).body(Body::empty()).unwrap(),
            StatusCode::METHOD_NOT_ALLOWED,
            "not allowed",
        ),
        (
            Request::get("/greenhouse/graphql")
                .header("authorization", greenhouse_auth())
                .body(Body::empty())
                .unwrap(),
            StatusCode::BAD_REQUEST,
            "no `query`",
        ),
    ] {
        let reply = send(&app, request).await;
        assert_eq!(reply.status, status, "{}", reply.body);
        let message = reply.body["errors"][0]["message"]
            .as_str()
            .unwrap_or_default();
        assert!(
            message.contains(needle),
            "{message:?} should mention {needle:?}"
        );
        assert_eq!(reply.body["errors"][0]["errorCode"], "Validation");
        assert!(reply.body.get("data").is_none());
    }
}

#[tokio::test]
async fn oversized_bodies_are_refused_with_413() {
    let app = app_with(reference_server::ServerConfig {
        max_body_bytes: 64,
        ..Default::default()
    });
    let body = json!({ "query": format!("{{ rateLimit {{ limit }} }} # {}", "x".repeat(100)) })
        .to_string();
    let request = Request::post(GREENHOUSE)
        .header("content-type", "application/json")
        .body(Body::from(body))
        .unwrap();
    let reply = send(&app, request).await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        reply.body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("larger than 64 bytes")
    );
}

#[tokio::test]
async fn graphql_response_json_uses_4xx_for_request_errors() {
    let app = app();
    let request = |query: &str, auth: bool| {
        let mut r = Request::post(GREENHOUSE)
            .header("content-type", "application/json")
            .header("accept", "application/graphql-response+json");
        if auth {
            r = r.header("authorization", greenhouse_auth());
        }
        r.body(Body::from(json!({ "query": query }).to_string()))
            .unwrap()
    };
    let ok = send(&app, request("{ rateLimit { limit } }", true)).await;
    assert_eq!(ok.status, StatusCode::OK);
    assert!(
        ok.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("application/graphql-response+json")
    );
    assert_eq!(
        send(&app, request("{ rateLimit { limit ", true))
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        send(&app, request("{ nope }", true)).await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        send(&app, request("{ rateLimit { limit } }", false))
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    // Under application/json, the same errors are HTTP 200, as the Greenhouse document promises.
    let reply = graphql(&app, None, "{ rateLimit { limit } }", json!(null)).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body["errors"][0]["errorCode"], "Authentication");
}

#[tokio::test]
async fn unacceptable_accept_is_406() {
    let request = Request::post(GREENHOUSE)
        .header("content-type", "application/json")
        .header("accept", "text/plain")
        .body(Body::from(r#"{"query":"{ rateLimit { limit } }"}"#))
        .unwrap();
    assert_eq!(
        send(&app(), request).await.status,
        StatusCode::NOT_ACCEPTABLE
    );
}

#[tokio::test]
async fn browsers_get_graphiql_and_the_root_lists_the_apis() {
    let app = app();
    let page = send(
        &app,
        Request::get(GREENHOUSE)
            .header("accept", "text/html,application/xhtml+xml")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.as_str().unwrap().contains("GraphiQL"));
    let index = send(&app, Request::get("/").body(Body::empty()).unwrap()).await;
    assert_eq!(index.body["apis"][0]["graphql"], GREENHOUSE);
    assert_eq!(index.body["apis"][1]["rest"], "/workable");
}

#[tokio::test]
async fn introspection_is_on_and_shows_no_rule_directives() {
    let reply = greenhouse(
        &app(),
        "{ __schema { directives { name } types { name } } }",
    )
    .await;
    let directives: Vec<&str> = reply.body["data"]["__schema"]["directives"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["name"].as_str().unwrap())
        .collect();
    assert!(directives.contains(&"deprecated"));
    assert!(
        !directives.contains(&"paginated") && !directives.contains(&"requiresRole"),
        "{directives:?}"
    );
    let types = reply.body["data"]["__schema"]["types"].to_string();
    assert!(types.contains("\"Employee\"") && !types.contains("\"PaginationStyle\""));
}
