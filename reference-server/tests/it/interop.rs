//! What standard clients and browsers expect of the server: CORS, auth schemes in any case, the standard introspection
//! query, transport and REST type errors in the API's format, links on a configured public URL, and GraphiQL served
//! from the binary with the fixture credentials filled in.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use reference_server::ServerConfig;
use serde_json::{Value, json};

use crate::support::*;

const MEMBERS: &str = "/workable/spi/v3/accounts/acme/members";

/// graphql-js's `getIntrospectionQuery()` with every option on: what GraphiQL sends, 15 levels deep.
const INTROSPECTION: &str = include_str!("introspection_query.graphql");

fn preflight(origin: &str) -> Request<Body> {
    Request::options(GREENHOUSE)
        .header(header::ORIGIN, origin)
        .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
        .header(
            header::ACCESS_CONTROL_REQUEST_HEADERS,
            "authorization, content-type",
        )
        .body(Body::empty())
        .unwrap()
}

#[tokio::test]
async fn cors_allows_loopback_pages_by_default_and_configured_origins_otherwise() {
    let app = app();
    let reply = send(&app, preflight("http://localhost:5173")).await;
    assert!(reply.status.is_success(), "{}", reply.status);
    assert_eq!(
        reply.headers[header::ACCESS_CONTROL_ALLOW_ORIGIN],
        "http://localhost:5173"
    );
    let methods = reply.headers[header::ACCESS_CONTROL_ALLOW_METHODS]
        .to_str()
        .unwrap();
    assert!(methods.contains("POST"), "{methods}");
    let reply = send(&app, preflight("https://evil.example")).await;
    assert!(
        !reply
            .headers
            .contains_key(header::ACCESS_CONTROL_ALLOW_ORIGIN)
    );

    let mut config = ServerConfig::default();
    config.http.cors_allowed_origins = vec!["https://app.example.com".into()];
    let app = app_with(config);
    let reply = send(&app, preflight("https://app.example.com")).await;
    assert_eq!(
        reply.headers[header::ACCESS_CONTROL_ALLOW_ORIGIN],
        "https://app.example.com"
    );
    let reply = send(&app, preflight("http://localhost:5173")).await;
    assert!(
        !reply
            .headers
            .contains_key(header::ACCESS_CONTROL_ALLOW_ORIGIN)
    );
    // An actual request carries the header and the rate-limit headers are readable by the page.
    let request = Request::get(MEMBERS)
        .header(header::ORIGIN, "https://app.example.com")
        .header(header::AUTHORIZATION, "Bearer wk_acme_account")
        .body(Body::empty())
        .unwrap();
    let reply = send(&app, request).await;
    assert_eq!(reply.status, StatusCode::OK);
    let exposed = reply.headers[header::ACCESS_CONTROL_EXPOSE_HEADERS]
        .to_str()
        .unwrap();
    assert!(exposed.contains("x-rate-limit-remaining"), "{exposed}");
}

#[tokio::test]
async fn auth_schemes_match_in_any_case() {
    let app = app();
    for scheme in ["Bearer", "bearer", "BEARER", "bEaReR"] {
        let request = Request::get(MEMBERS)
            .header(header::AUTHORIZATION, format!("{scheme} wk_acme_account"))
            .body(Body::empty())
            .unwrap();
        let reply = send(&app, request).await;
        assert_eq!(reply.status, StatusCode::OK, "{scheme}: {}", reply.body);
    }
    let basic = greenhouse_auth().replacen("Basic", "BASIC", 1);
    let reply = graphql(
        &app,
        Some(&basic),
        "{ employee(id: 25) { id } }",
        Value::Null,
    )
    .await;
    assert!(
        reply.body["data"]["employee"]["id"].is_string(),
        "{}",
        reply.body
    );
}

#[tokio::test]
async fn the_standard_introspection_query_is_answered() {
    let app = app();
    let reply = greenhouse(&app, INTROSPECTION).await;
    assert!(reply.body.get("errors").is_none(), "{}", reply.body);
    let types = reply.body["data"]["__schema"]["types"].as_array().unwrap();
    assert!(types.iter().any(|t| t["name"] == "Employee"));
    let locations = types
        .iter()
        .find(|t| t["name"] == "__DirectiveLocation")
        .unwrap()["enumValues"]
        .as_array()
        .unwrap();
    assert!(
        locations
            .iter()
            .all(|v| v["name"] != "DIRECTIVE_DEFINITION")
    );
    let deprecated = reply.body["data"]["__schema"]["directives"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == "deprecated")
        .unwrap();
    assert!(
        !deprecated["locations"]
            .as_array()
            .unwrap()
            .contains(&json!("DIRECTIVE_DEFINITION")),
        "{deprecated}"
    );
}

#[tokio::test]
async fn rest_type_errors_are_worded_for_rest_with_one_status() {
    let app = app();
    for (body, expected) in [
        (
            json!({ "id": 5, "role": "simple" }),
            "`id` must be a string, not a number (5)",
        ),
        (
            json!({ "id": "x", "role": 1 }),
            "`role` must be a string, not a number (1)",
        ),
        (
            json!({ "id": "x", "role": "boss" }),
            "`role` must be one of ",
        ),
        (json!({ "role": "simple" }), "`id` is required"),
        (
            json!({ "id": "x", "role": "simple", "collaboration_rules": {} }),
            "`collaboration_rules` must be an array, not an object",
        ),
    ] {
        let request = Request::put(MEMBERS)
            .header(header::AUTHORIZATION, "Bearer wk_acme_account")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .unwrap();
        let reply = send(&app, request).await;
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "{body}: {}",
            reply.body
        );
        let message = reply.body["error"].as_str().unwrap();
        assert!(message.starts_with(expected), "{body}: {message}");
    }
}

#[tokio::test]
async fn paging_next_uses_the_configured_public_base_url() {
    let app = app_with(ServerConfig {
        public_base_url: Some("https://hr.example.com/".into()),
        ..ServerConfig::default()
    });
    let request = Request::get(format!("{MEMBERS}?limit=3"))
        .header(header::HOST, "127.0.0.1:8080")
        .header(header::AUTHORIZATION, "Bearer wk_acme_account")
        .body(Body::empty())
        .unwrap();
    let reply = send(&app, request).await;
    let next = reply.body["paging"]["next"].as_str().unwrap();
    assert!(
        next.starts_with(
            "https://hr.example.com/workable/spi/v3/accounts/acme/members?limit=3&since_id="
        ),
        "{next}"
    );
}

#[tokio::test]
async fn graphiql_is_served_from_the_binary_with_the_credentials_filled_in() {
    let app = app();
    let request = Request::get(GREENHOUSE)
        .header(header::ACCEPT, "text/html")
        .body(Body::empty())
        .unwrap();
    let reply = send(&app, request).await;
    assert_eq!(reply.status, StatusCode::OK);
    let page = reply.body.as_str().unwrap();
    assert!(
        !page.contains("unpkg") && !page.contains("https://"),
        "{page}"
    );
    assert!(page.contains("src=\"/graphiql/graphiql.min.js\""), "{page}");
    let credential = serde_json::to_string(&greenhouse_auth()).unwrap();
    assert!(page.contains(credential.trim_matches('"')), "{page}");
    for (file, content_type) in [
        ("react.production.min.js", "text/javascript"),
        ("react-dom.production.min.js", "text/javascript"),
        ("graphiql.min.js", "text/javascript"),
        ("graphiql.min.css", "text/css"),
    ] {
        let reply = send(
            &app,
            Request::get(format!("/graphiql/{file}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK, "{file}");
        assert!(
            reply.headers[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with(content_type)
        );
    }
    let reply = send(
        &app,
        Request::get("/graphiql/nope.js")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(reply.body["error"], "Not found");
}
