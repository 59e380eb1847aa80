//! The server never panics and never answers 5xx to what a client sends: random bodies, random (valid and invalid)
//! operations; and concurrent writes lose nothing.

use axum::body::Body;
use axum::http::Request;
use proptest::prelude::*;
use serde_json::{Value, json};

use crate::support::*;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// Fragments of Greenhouse operations, glued at random: mostly invalid, sometimes valid.
const PIECES: &[&str] = &[
    "{",
    "}",
    "(",
    ")",
    "query",
    "mutation",
    "employee",
    "employees",
    "(id: 25)",
    "(first: 3)",
    "(last: -1)",
    "(first: 100000)",
    "edges",
    "node",
    "id",
    "email",
    "pageInfo",
    "hasNextPage",
    "endCursor",
    "after: \"bm9wZQ==\"",
    "customFieldValues",
    "value",
    "$x",
    "...on Employee",
    "fragment F on Employee { id }",
    "...F",
    "__typename",
    "__schema { types { name } }",
    "addDepartment(addDepartmentInput: {name: \"x\"})",
    "department",
    "\"unterminated",
    "@skip(if: true)",
    "complexityInfo",
    "score",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn random_bodies_get_4xx_or_200_never_5xx(body in proptest::collection::vec(any::<u8>(), 0..200), content_type in prop::sample::select(vec!["application/json", "text/plain", "application/json; charset=utf-8", ""])) {
        let app = app();
        let reply = runtime().block_on(async {
            let request = Request::post(GREENHOUSE).header("content-type", content_type).header("authorization", greenhouse_auth()).body(Body::from(body)).unwrap();
            send(&app, request).await
        });
        prop_assert!(reply.status.is_success() || reply.status.is_client_error(), "{}: {}", reply.status, reply.body);
        prop_assert!(reply.body["errors"].is_array() || reply.body["data"].is_object(), "{}", reply.body);
    }

    #[test]
    fn random_operations_and_variables_never_break_the_server(pieces in proptest::collection::vec(prop::sample::select(PIECES), 1..24), x in prop_oneof![Just(Value::Null), Just(json!(1)), Just(json!("s")), Just(json!({"a": [1, null]}))]) {
        let app = app();
        let query = pieces.join(" ");
        let reply = runtime().block_on(graphql(&app, Some(&greenhouse_auth()), &query, json!({ "x": x })));
        prop_assert_eq!(reply.status, 200);
        let errors = reply.body["errors"].as_array().cloned().unwrap_or_default();
        for error in &errors {
            prop_assert!(error["message"].is_string());
            prop_assert!(error["errorCode"].is_string(), "{}", error);
            prop_assert!(error["errorCode"] != "Server", "{query}: {error}");
            prop_assert!(!error["message"].as_str().unwrap().contains("resolver error"), "{error}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_profile_updates_lose_nothing() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    // More requests than the documented quota of 100: lift it, this test is about writes.
    let config = reference_server::ServerConfig {
        rate_limits: vec![reference_server::options::RateLimitOverride {
            api: "greenhouse_onboarding".into(),
            token_kind: None,
            limit: Some(10_000),
            window_seconds: None,
        }],
        ..Default::default()
    };
    tokio::spawn(axum::serve(listener, app_with(config)).into_future());
    let client = Client::new(address);
    // 64 concurrent updates, each to the title of a different employee, and each adding one custom field value.
    let ids: Vec<u32> = (1..=64).collect();
    let tasks: Vec<_> = ids
        .iter()
        .map(|&id| {
            let client = client.clone();
            tokio::spawn(async move {
                let query = format!(r#"mutation {{ updateEmployeeProfile(id: {id}, employeeUpdates: {{ title: "Title {id}" }}) {{ id title }} }}"#);
                client.post(&query).await
            })
        })
        .collect();
    for task in tasks {
        let body = task.await.unwrap();
        assert!(body.get("errors").is_none(), "{body}");
    }
    for id in ids {
        let body = client
            .post(&format!("{{ employee(id: {id}) {{ title }} }}"))
            .await;
        assert_eq!(body["data"]["employee"]["title"], format!("Title {id}"));
    }
}

/// A minimal HTTP/1.1 client over a real socket, so the test goes through hyper as a client would.
#[derive(Clone)]
struct Client {
    address: std::net::SocketAddr,
}

impl Client {
    fn new(address: std::net::SocketAddr) -> Self {
        Client { address }
    }

    async fn post(&self, query: &str) -> Value {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let body = json!({ "query": query }).to_string();
        let request = format!(
            "POST /greenhouse/graphql HTTP/1.1\r\nhost: {}\r\ncontent-type: application/json\r\nauthorization: {}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            self.address,
            greenhouse_auth(),
            body.len()
        );
        let mut stream = tokio::net::TcpStream::connect(self.address).await.unwrap();
        stream.write_all(request.as_bytes()).await.unwrap();
        let mut response = Vec::new();
        stream.read_to_end(&mut response).await.unwrap();
        let text = String::from_utf8_lossy(&response);
        let (head, body) = text.split_once("\r\n\r\n").expect("a response head");
        assert!(head.starts_with("HTTP/1.1 200"), "{head}");
        serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"))
    }
}

/// Workable's REST routes: random query strings, paths and bodies get a JSON error or a page, never a 5xx.
mod rest {
    use axum::body::Body;
    use axum::http::Request;
    use proptest::prelude::*;

    use crate::support::send;

    const QUERY_PIECES: &[&str] = &[
        "limit=",
        "since_id=",
        "max_id=",
        "role=",
        "status=",
        "email=",
        "name=",
        "-1",
        "0",
        "101",
        "abc",
        "admin",
        "no_access",
        "all",
        "%ZZ",
        "%00",
        "&",
        "=",
        "ffffffff",
    ];
    const BODY_PIECES: &[&str] = &[
        "{",
        "}",
        "\"id\":",
        "\"role\":",
        "\"hris_role\":",
        "\"collaboration_rules\":",
        "[",
        "]",
        ",",
        "\"admin\"",
        "\"no_access\"",
        "\"hris_no_access\"",
        "null",
        "5",
        "\"x\"",
        "{\"role\":\"simple\"}",
    ];

    proptest! {
        #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

        #[test]
        fn random_rest_requests_never_get_a_5xx(
            query in proptest::collection::vec(prop::sample::select(QUERY_PIECES), 0..8),
            body in proptest::collection::vec(prop::sample::select(BODY_PIECES), 0..10),
            subdomain in prop::sample::select(vec!["acme", "solo", "nosuch", "%FF", "a%2Fb"]),
            put in any::<bool>(),
        ) {
            let app = reference_server::app(&reference_server::Options::default());
            let uri = format!("/workable/spi/v3/accounts/{subdomain}/members?{}", query.concat());
            let request = if put {
                Request::put(uri).header("content-type", "application/json").body(Body::from(body.concat()))
            } else {
                Request::get(uri).body(Body::empty())
            };
            let request = request.unwrap();
            let reply = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
                let mut request = request;
                request.headers_mut().insert("authorization", "Bearer wk_acme_oauth".parse().unwrap());
                send(&app, request).await
            });
            prop_assert!(!reply.status.is_server_error(), "{}: {}", reply.status, reply.body);
            prop_assert!(reply.body["error"].is_string() || reply.body["members"].is_array() || reply.body["id"].is_string(), "{}", reply.body);
        }
    }

    #[tokio::test]
    async fn unknown_paths_get_a_json_404() {
        let app = reference_server::app(&reference_server::Options::default());
        let reply = send(
            &app,
            Request::get("/workable/spi/v3/accounts/acme/nope")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(reply.status, 404);
        assert_eq!(reply.body["error"], "Not found");
    }
}
