//! The quickstart's query and mutation, run as the README runs them and over HTTP; the fields it does not implement
//! answer "not implemented".

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use quickstart::App;
use runtime::response::JsonMap;
use serde_json::{Value, json};
use tower::ServiceExt as _;

fn run(app: &App, query: &str, variables: Value) -> Value {
    let variables: JsonMap = serde_json::from_value(variables).unwrap();
    let response = runtime::futures::executor::block_on(app.run(query, None, &variables));
    serde_json::to_value(&response).unwrap()
}

const CREATE: &str = "mutation($name: String!, $country: String) {
  createCompany(companyName: $name, logoUrl: \"https://logo.example\", countryAlpha3Code: $country) {
    company { id name countryAlpha3Code externalId }
  }
}";

const PAGE: &str = "query($after: String) {
  companies(first: 5, after: $after) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id name } }
  }
}";

#[test]
fn the_mutation_creates_and_the_query_reads_back() {
    let app = App::default();
    let created = run(&app, CREATE, json!({"name": "Acme", "country": "PRT"}));
    assert_eq!(
        created,
        json!({"data": {"createCompany": {"company": {
            "id": "1", "name": "Acme", "countryAlpha3Code": "PRT", "externalId": null
        }}}})
    );
    let page = run(&app, PAGE, json!({}));
    assert_eq!(
        page,
        json!({"data": {"companies": {
            "totalCount": 1,
            "pageInfo": {"hasNextPage": false, "hasPreviousPage": false, "startCursor": "0", "endCursor": "0"},
            "edges": [{"cursor": "0", "node": {"id": "1", "name": "Acme"}}]
        }}})
    );
}

#[test]
fn the_query_pages_forward_by_cursor() {
    let app = App::default();
    for n in 1..=7 {
        run(&app, CREATE, json!({"name": format!("Company {n}")}));
    }
    let first = run(&app, PAGE, json!({}));
    let info = &first["data"]["companies"]["pageInfo"];
    assert_eq!(
        first["data"]["companies"]["edges"]
            .as_array()
            .unwrap()
            .len(),
        5
    );
    assert_eq!(
        (info["hasNextPage"].clone(), info["endCursor"].clone()),
        (json!(true), json!("4"))
    );
    let second = run(&app, PAGE, json!({"after": "4"}));
    let names: Vec<&str> = second["data"]["companies"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Company 6", "Company 7"]);
    assert_eq!(
        second["data"]["companies"]["pageInfo"]["hasNextPage"],
        json!(false)
    );
    let wrong = run(&app, PAGE, json!({"after": "not a cursor"}));
    assert_eq!(
        wrong["errors"][0]["message"],
        "`not a cursor` is not a cursor"
    );
}

#[test]
fn what_is_not_implemented_says_so_and_bad_documents_get_their_errors() {
    let app = App::default();
    let response = run(
        &app,
        r#"{ searchCompany(externalId: "x") { id } }"#,
        json!({}),
    );
    assert_eq!(
        response["errors"][0]["message"],
        "not implemented: Query.searchCompany"
    );
    assert_eq!(
        response["errors"][0]["extensions"]["code"],
        "NOT_IMPLEMENTED"
    );
    assert_eq!(response["data"], json!({"searchCompany": null}));
    let invalid = run(&app, "{ companies { nope } }", json!({}));
    assert!(invalid.get("data").is_none(), "{invalid}");
    assert_eq!(
        invalid["errors"][0]["extensions"]["code"],
        "VALIDATION_FAILED"
    );
}

#[tokio::test]
async fn the_router_answers_a_post_to_graphql() {
    let router = quickstart::router(Arc::new(App::default()));
    let body = json!({"query": CREATE, "variables": {"name": "Acme"}});
    let request = Request::post("/graphql")
        .header("content-type", "application/json")
        .body(Body::from(body.to_string()))
        .unwrap();
    let response = router.oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .unwrap();
    let json: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(json["data"]["createCompany"]["company"]["name"], "Acme");
}
