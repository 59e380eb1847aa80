//! Workable members over REST: routes from the schema's `@rest` bindings, tokens and scopes, the document's 422
//! rules, paging by id windows, and the `X-Rate-Limit-*` headers.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use reference_server::options::RateLimitOverride;
use reference_server::{Fault, Options, ServerConfig};
use serde_json::{Value, json};

use crate::support::{Reply, send};

const MEMBERS: &str = "/workable/spi/v3/accounts";

/// A server whose quotas do not get in the way of the test (the quota has its own test).
fn app() -> Router {
    app_with_faults(&[])
}

fn app_with_faults(faults: &[Fault]) -> Router {
    let config = ServerConfig {
        rate_limits: vec![RateLimitOverride {
            api: "workable_members".into(),
            token_kind: None,
            limit: Some(10_000),
            window_seconds: None,
        }],
        ..ServerConfig::default()
    };
    reference_server::app(&Options {
        config,
        faults: faults.iter().copied().collect(),
        ..Options::default()
    })
}

async fn get(app: &Router, uri: &str, token: Option<&str>) -> Reply {
    let mut request = Request::get(uri);
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    send(app, request.body(Body::empty()).unwrap()).await
}

async fn put(app: &Router, subdomain: &str, token: &str, body: Value) -> Reply {
    let request = Request::put(format!("{MEMBERS}/{subdomain}/members"))
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .body(Body::from(body.to_string()))
        .unwrap();
    send(app, request).await
}

/// Every member of an account, in one big page.
async fn all_members(app: &Router, subdomain: &str) -> Vec<Value> {
    let reply = get(
        app,
        &format!("{MEMBERS}/{subdomain}/members?limit=100&status=all"),
        Some(&format!("wk_{subdomain}_oauth")),
    )
    .await;
    let mut members = reply.body["members"].as_array().unwrap().clone();
    let mut next = reply.body["paging"]["next"].as_str().map(str::to_owned);
    while let Some(url) = next {
        let reply = get(app, &url, Some(&format!("wk_{subdomain}_oauth"))).await;
        members.extend(reply.body["members"].as_array().unwrap().iter().cloned());
        next = reply.body["paging"]["next"].as_str().map(str::to_owned);
    }
    members
}

fn ids(members: &[Value]) -> Vec<String> {
    members
        .iter()
        .map(|m| m["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn paging_next_walks_every_member_once_in_id_order_for_any_limit() {
    let app = app();
    let everyone = ids(&all_members(&app, "acme").await);
    assert!(everyone.len() > 100 && everyone.windows(2).all(|w| w[0] < w[1]));
    let active: Vec<String> = ids(&get(
        &app,
        &format!("{MEMBERS}/acme/members?limit=100"),
        Some("wk_acme_oauth"),
    )
    .await
    .body["members"]
        .as_array()
        .unwrap()
        .clone());
    for limit in [1, 7, 50, 100] {
        let mut walked = Vec::new();
        let mut url = Some(format!("{MEMBERS}/acme/members?limit={limit}"));
        let mut pages = 0;
        while let Some(next) = url {
            let reply = get(&app, &next, Some("wk_acme_oauth")).await;
            assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
            let page = ids(reply.body["members"].as_array().unwrap());
            assert!(page.len() <= limit);
            walked.extend(page);
            url = reply.body["paging"]["next"].as_str().map(str::to_owned);
            pages += 1;
        }
        assert_eq!(
            walked.len(),
            walked
                .iter()
                .collect::<std::collections::BTreeSet<_>>()
                .len(),
            "limit {limit}: a member twice"
        );
        assert!(walked.iter().all(|id| everyone.contains(id)));
        assert_eq!(
            walked[..active.len().min(walked.len())].len(),
            walked.len().min(active.len())
        );
        assert!(pages >= walked.len() / limit);
    }
}

#[tokio::test]
async fn the_default_page_is_50_and_over_100_is_clamped() {
    let app = app();
    let default = get(
        &app,
        &format!("{MEMBERS}/acme/members?status=all"),
        Some("wk_acme_oauth"),
    )
    .await;
    assert_eq!(default.body["members"].as_array().unwrap().len(), 50);
    let over = get(
        &app,
        &format!("{MEMBERS}/acme/members?limit=500&status=all"),
        Some("wk_acme_oauth"),
    )
    .await;
    assert_eq!(over.body["members"].as_array().unwrap().len(), 100);
    let zero = get(
        &app,
        &format!("{MEMBERS}/acme/members?limit=0"),
        Some("wk_acme_oauth"),
    )
    .await;
    assert_eq!(zero.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn since_id_and_max_id_bound_the_window_inclusively() {
    let app = app();
    let everyone = ids(&all_members(&app, "acme").await);
    let (since, max) = (&everyone[10], &everyone[20]);
    let reply = get(
        &app,
        &format!("{MEMBERS}/acme/members?status=all&since_id={since}&max_id={max}"),
        Some("wk_acme_oauth"),
    )
    .await;
    assert_eq!(
        ids(reply.body["members"].as_array().unwrap()),
        everyone[10..=20]
    );
    assert!(reply.body["paging"]["next"].is_null());
}

#[tokio::test]
async fn tokens_scopes_and_accounts() {
    let app = app();
    assert_eq!(
        get(&app, &format!("{MEMBERS}/acme/members"), None)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        get(&app, &format!("{MEMBERS}/acme/members"), Some("nope"))
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        get(
            &app,
            &format!("{MEMBERS}/acme/members"),
            Some("wk_acme_read_only")
        )
        .await
        .status,
        StatusCode::OK
    );
    assert_eq!(
        get(
            &app,
            &format!("{MEMBERS}/globex/members"),
            Some("wk_acme_oauth")
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        get(
            &app,
            &format!("{MEMBERS}/nosuch/members"),
            Some("wk_acme_oauth")
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    let id = ids(&all_members(&app, "acme").await)[5].clone();
    let read_only = put(
        &app,
        "acme",
        "wk_acme_read_only",
        json!({ "id": id, "role": "simple", "hris_role": "hris_employee" }),
    )
    .await;
    assert_eq!(read_only.status, StatusCode::FORBIDDEN);
    assert!(read_only.body["error"].is_string());
    let unknown = put(
        &app,
        "acme",
        "wk_acme_oauth",
        json!({ "id": "ffffffff0", "role": "simple", "hris_role": "hris_employee" }),
    )
    .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_put_returns_the_member_with_the_documented_keys() {
    let app = app();
    let member = all_members(&app, "acme")
        .await
        .into_iter()
        .find(|m| m["role"] == "simple")
        .unwrap();
    let reply = put(
        &app,
        "acme",
        "wk_acme_account",
        json!({ "id": member["id"], "role": "reviewer", "hris_role": "hris_employee" }),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    for key in [
        "id",
        "name",
        "headline",
        "email",
        "role",
        "hris_role",
        "collaboration_rules",
    ] {
        assert!(
            reply.body.get(key).is_some(),
            "{key} missing: {}",
            reply.body
        );
    }
    assert_eq!(reply.body["role"], "reviewer");
}

#[tokio::test]
async fn every_422_rule_of_the_document() {
    let app = app();
    let solo = all_members(&app, "solo").await;
    let admin = solo.iter().find(|m| m["role"] == "admin").unwrap()["id"].clone();
    let other = solo.iter().find(|m| m["role"] != "admin").unwrap()["id"].clone();
    let globex = all_members(&app, "globex").await;
    let simple_globex = globex.iter().find(|m| m["role"] == "simple").unwrap()["id"].clone();
    for (subdomain, body, why) in [
        (
            "solo",
            json!({ "id": admin, "role": "simple", "hris_role": "hris_admin" }),
            "last admin",
        ),
        (
            "solo",
            json!({ "id": admin, "role": "admin", "hris_role": "hris_employee" }),
            "last HRIS admin",
        ),
        (
            "solo",
            json!({ "id": admin, "role": "admin" }),
            "hris_role missing while HRIS is on",
        ),
        (
            "solo",
            json!({ "id": other, "role": "no_access", "hris_role": "hris_no_access" }),
            "no_access with hris_no_access",
        ),
        (
            "globex",
            json!({ "id": simple_globex, "role": "no_access" }),
            "no_access while HRIS is off",
        ),
    ] {
        let reply = put(&app, subdomain, &format!("wk_{subdomain}_oauth"), body).await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{why}: {}",
            reply.body
        );
    }
    // Nothing changed.
    assert_eq!(all_members(&app, "solo").await, solo);
    // Under the fault, the last admin is demoted.
    let faulty = app_with_faults(&[Fault::LastAdminDemotable]);
    let reply = put(
        &faulty,
        "solo",
        "wk_solo_oauth",
        json!({ "id": admin, "role": "simple", "hris_role": "hris_admin" }),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
}

#[tokio::test]
async fn incompatible_collaboration_rules_are_ignored_and_the_request_succeeds() {
    let app = app();
    let member = all_members(&app, "acme")
        .await
        .into_iter()
        .find(|m| m["role"] == "simple")
        .unwrap();
    let rules = json!([
        { "role": "hiring_manager", "departments": [{ "id": "101" }] },
        { "role": "admin" },
        { "role": "simple", "departments": [{ "id": "999" }] },
    ]);
    let reply = put(&app, "acme", "wk_acme_oauth", json!({ "id": member["id"], "role": "simple", "hris_role": "hris_employee", "collaboration_rules": rules })).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(
        reply.body["collaboration_rules"],
        json!([{ "role": "hiring_manager", "departments": [{ "any": null, "id": "101", "name": "Sales" }], "locations": [] }])
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_puts_of_one_member_one_succeeds_the_others_get_422() {
    let app = app();
    let member = all_members(&app, "acme")
        .await
        .into_iter()
        .find(|m| m["role"] == "reviewer")
        .unwrap();
    let tasks: Vec<_> = (0..6)
        .map(|_| {
            let (app, id) = (app.clone(), member["id"].clone());
            tokio::spawn(async move {
                put(
                    &app,
                    "acme",
                    "wk_acme_oauth",
                    json!({ "id": id, "role": "simple", "hris_role": "hris_employee" }),
                )
                .await
                .status
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.unwrap());
    }
    statuses.sort();
    assert_eq!(
        statuses.iter().filter(|s| **s == StatusCode::OK).count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses
            .iter()
            .filter(|s| **s != StatusCode::OK)
            .all(|s| *s == StatusCode::UNPROCESSABLE_ENTITY)
    );
}

#[tokio::test]
async fn quotas_per_token_kind_with_headers_on_every_response() {
    let app = reference_server::app(&Options::default());
    let mut remaining = Vec::new();
    for _ in 0..10 {
        let reply = get(
            &app,
            &format!("{MEMBERS}/globex/members?limit=1"),
            Some("wk_globex_account"),
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK);
        assert_eq!(reply.headers["x-rate-limit-limit"], "10");
        remaining.push(
            reply.headers["x-rate-limit-remaining"]
                .to_str()
                .unwrap()
                .parse::<u32>()
                .unwrap(),
        );
    }
    assert_eq!(remaining, (0..10).rev().collect::<Vec<_>>());
    let refused = get(
        &app,
        &format!("{MEMBERS}/globex/members?limit=1"),
        Some("wk_globex_account"),
    )
    .await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(refused.headers["x-rate-limit-remaining"], "0");
    let reset: i64 = refused.headers["x-rate-limit-reset"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(reset % 10 == 0 && reset > chrono::Utc::now().timestamp() - 1);
    // The OAuth token has its own quota of 50.
    let oauth = get(
        &app,
        &format!("{MEMBERS}/globex/members?limit=1"),
        Some("wk_globex_oauth"),
    )
    .await;
    assert_eq!(oauth.headers["x-rate-limit-limit"], "50");
}

#[tokio::test]
async fn the_same_operations_over_graphql() {
    let app = app();
    let request = Request::post("/workable/graphql")
        .header("content-type", "application/json")
        .header("authorization", "Bearer wk_acme_oauth")
        .body(Body::from(json!({ "query": "{ members(subdomain: \"acme\", limit: 2) { members { id role } paging { next } } }" }).to_string()))
        .unwrap();
    let reply = send(&app, request).await;
    assert_eq!(
        reply.body["data"]["members"]["members"]
            .as_array()
            .unwrap()
            .len(),
        2,
        "{}",
        reply.body
    );
    assert!(reply.headers.contains_key("x-rate-limit-remaining"));
}

#[tokio::test]
async fn credentials_and_quota_come_before_the_requests_own_errors() {
    let app = app();
    let bad_limit = format!("{MEMBERS}/acme/members?limit=abc");
    // An unknown token hears 401, not what is wrong with its query.
    let unknown = get(&app, &bad_limit, Some("nope")).await;
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    // A known one hears the parameter's fault, counted against its quota like any request.
    let known = get(&app, &bad_limit, Some("wk_acme_account")).await;
    assert_eq!(known.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        known.body,
        json!({ "error": "`limit` must be a 32-bit integer, not `abc`" })
    );
    assert!(known.headers.contains_key("x-rate-limit-remaining"));
    let status = get(
        &app,
        &format!("{MEMBERS}/acme/members?status=weird"),
        Some("wk_acme_account"),
    )
    .await;
    assert_eq!(status.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        status.body,
        json!({ "error": "`status` must be one of active, inactive, all, not `weird`" })
    );
    // A token without w_members hears 403 before its malformed body is read.
    let request = Request::put(format!("{MEMBERS}/acme/members"))
        .header("authorization", "Bearer wk_acme_read_only")
        .header("content-type", "application/json")
        .body(Body::from("{not json"))
        .unwrap();
    assert_eq!(send(&app, request).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn an_unserved_method_gets_405_with_allow_and_a_json_body() {
    let request = Request::delete(format!("{MEMBERS}/acme/members"))
        .body(Body::empty())
        .unwrap();
    let reply = send(&app(), request).await;
    assert_eq!(reply.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(reply.headers["allow"], "GET, HEAD, PUT");
    assert_eq!(
        reply.body,
        json!({ "error": "Method not allowed: this path serves GET, HEAD, PUT" })
    );
}

#[tokio::test]
async fn paging_next_is_a_whole_url_on_the_host_the_client_addressed() {
    let app = app();
    let next_with_host = |host: &'static str| {
        let request = Request::get(format!("{MEMBERS}/acme/members?limit=3"))
            .header("host", host)
            .header("authorization", "Bearer wk_acme_account")
            .body(Body::empty())
            .unwrap();
        let app = app.clone();
        async move {
            let reply = send(&app, request).await;
            reply.body["paging"]["next"].as_str().unwrap().to_owned()
        }
    };
    let next = next_with_host("members.example.test:8080").await;
    assert!(
        next.starts_with("http://members.example.test:8080/workable/spi/v3/accounts/acme/members?limit=3&since_id="),
        "{next}"
    );
    // A Host that is no authority gives a path, not a broken URL.
    let next = next_with_host("bad host/").await;
    assert!(
        next.starts_with("/workable/spi/v3/accounts/acme/members?"),
        "{next}"
    );
}
