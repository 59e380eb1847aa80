//! The harness never panics on what a target sends: servers that answer 500 with HTML, JSON of the wrong shape,
//! bodies that are not UTF-8, 429s with absurd rate-limit headers, closed connections and silence are each
//! findings, and the run completes, for a GraphQL API (Greenhouse) and a REST one (Workable).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Once};
use std::time::Duration;

use conformance::client::ClientLimits;
use conformance::credentials::Credential;
use conformance::property::Settings;
use conformance::runner::{Mode, RunConfig};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// What a hostile server does with each request.
#[derive(Debug, Clone, Copy)]
enum Behaviour {
    ServerError,
    WrongShapes,
    NotUtf8,
    Throttles,
    Hangs,
    Closes,
}

fn body(behaviour: Behaviour, n: usize) -> Option<(u16, Vec<u8>)> {
    match behaviour {
        Behaviour::ServerError => Some((
            500,
            b"<html><body>Internal Server Error</body></html>".to_vec(),
        )),
        Behaviour::WrongShapes => {
            let shapes = [
                r#"{"data": {"page": {"edges": "nope", "pageInfo": 7}}}"#,
                r#"{"data": {"page": {"edges": [{"cursor": 5, "node": null}], "pageInfo": {"hasNextPage": "yes"}}}}"#,
                r#"{"errors": "everything"}"#,
                r#"{"errors": [{"message": 12, "locations": [{"line": -1}], "path": {}}]}"#,
                r#"{"data": {"__schema": {"types": [{"kind": 3, "fields": "x"}]}, "__quota": {"limit": "a"}}}"#,
                r#"{"data": {"__complexity": {"score": -4}, "employees": {"edges": [{"node": {"id": {}}}]}}}"#,
                r#"[1, 2, 3]"#,
                r#"{"data": null}"#,
                r#"{"members": "none", "paging": 5}"#,
                r#"{"members": [{"id": {}, "role": 7}, {"id": "b", "collaboration_rules": "x"}], "paging": {"next": 12}}"#,
                r#"{"members": [{"id": "z"}, {"id": "a"}], "paging": {"next": "http://[::1"}}"#,
                r#"{"members": [{"id": "a"}], "paging": {"next": "https://elsewhere.example/steal"}}"#,
                r#"{"error": 5, "id": null, "role": "overlord", "hris_role": []}"#,
            ];
            Some((200, shapes[n % shapes.len()].as_bytes().to_vec()))
        }
        Behaviour::NotUtf8 => Some((200, vec![0xff, 0xfe, b'{', 0x80, b'}'])),
        Behaviour::Throttles => Some((429, br#"{"error": "slow down"}"#.to_vec())),
        Behaviour::Hangs | Behaviour::Closes => None,
    }
}

/// Serves `behaviour` on 127.0.0.1:0 on the given runtime; returns the URL.
fn serve(runtime: &tokio::runtime::Runtime, behaviour: Behaviour) -> String {
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("bind");
    let address = listener.local_addr().expect("address");
    let count = Arc::new(AtomicUsize::new(0));
    runtime.spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let count = Arc::clone(&count);
            tokio::spawn(async move {
                let mut buffer = vec![0u8; 65536];
                let _ = socket.read(&mut buffer).await;
                let n = count.fetch_add(1, Ordering::SeqCst);
                match body(behaviour, n) {
                    Some((status, body)) => {
                        // Rate-limit headers that make no sense: a reset far past what a clock holds, a negative
                        // remaining, a limit that is not a number.
                        let quota = [
                            "x-rate-limit-limit: ten\r\nx-rate-limit-remaining: -3\r\nx-rate-limit-reset: 18446744073709551615\r\n",
                            "x-rate-limit-limit: 10\r\nx-rate-limit-remaining: 99\r\nx-rate-limit-reset: 99999999999999999999999\r\nretry-after: 3600\r\n",
                            "x-rate-limit-limit: 10\r\nx-rate-limit-remaining: 0\r\nx-rate-limit-reset: 1\r\n",
                        ][n % 3];
                        let head = format!(
                            "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\n{quota}content-length: {}\r\nconnection: close\r\n\r\n",
                            body.len()
                        );
                        let _ = socket.write_all(head.as_bytes()).await;
                        let _ = socket.write_all(&body).await;
                    }
                    None if matches!(behaviour, Behaviour::Hangs) => {
                        tokio::time::sleep(Duration::from_secs(30)).await;
                    }
                    None => {}
                }
            });
        }
    });
    format!("http://{address}/graphql")
}

#[test]
fn hostile_targets_are_findings_never_panics() {
    static HOOK: Once = Once::new();
    static PANICS: AtomicUsize = AtomicUsize::new(0);
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            PANICS.fetch_add(1, Ordering::SeqCst);
            previous(info);
        }));
    });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime");
    let greenhouse = vec![Credential::header(
        "api_key",
        "Basic ZGVtby1hY2Nlc3Mta2V5OmRlbW8tc2VjcmV0LWtleQ==".to_owned(),
    )];
    let token = |name: &str, account: &str, scopes: &[&str], kind: &str| Credential {
        scopes: scopes.iter().map(|s| (*s).to_owned()).collect(),
        token_kind: Some(kind.to_owned()),
        account: Some(account.to_owned()),
        ..Credential::header(name, format!("Bearer wk_{name}"))
    };
    let workable = vec![
        token("acme_account", "acme", &["r_jobs", "w_members"], "account"),
        token("acme_read_only", "acme", &["r_jobs"], "account"),
        token("globex_oauth", "globex", &["r_jobs", "w_members"], "oauth"),
    ];
    for (api, credentials) in [
        ("greenhouse_onboarding", greenhouse),
        ("workable_members", workable),
    ] {
        for behaviour in [
            Behaviour::ServerError,
            Behaviour::WrongShapes,
            Behaviour::NotUtf8,
            Behaviour::Throttles,
            Behaviour::Closes,
            Behaviour::Hangs,
        ] {
            let url = serve(&runtime, behaviour);
            let url = if api == "workable_members" {
                url.trim_end_matches("/graphql").to_owned()
            } else {
                url
            };
            let hangs = matches!(behaviour, Behaviour::Hangs);
            let config = RunConfig {
                mode: Mode::External {
                    url,
                    api: api.to_owned(),
                    credentials: credentials.clone(),
                },
                settings: Settings {
                    cases: 2,
                    seed: 5,
                    read_only: false,
                    max_wait: Duration::from_secs(1),
                    regressions: None,
                    max_shrink_iters: 4,
                    rerun: String::new(),
                },
                limits: ClientLimits {
                    max_requests: Some(if hangs { 6 } else { 3_000 }),
                    rate: None,
                    timeout: Duration::from_millis(if hangs { 300 } else { 5_000 }),
                },
                only: Vec::new(),
                skip: Vec::new(),
                strict: false,
                fail_fast: false,
                show_secrets: false,
            };
            let started = std::time::Instant::now();
            let outcome = conformance::run(&config, &mut []);
            // A success that is not JSON, to every request, is no GraphQL endpoint: the probe says so before any
            // property runs (exit 2).
            if matches!(behaviour, Behaviour::NotUtf8) {
                assert!(
                    matches!(
                        outcome,
                        Err(conformance::runner::RunError::NotServed { .. })
                    ),
                    "{api} {behaviour:?}: a target answering no JSON is not served: {outcome:?}"
                );
                continue;
            }
            let summary = outcome.expect("the run completes");
            // A target that answers badly fails the run; one that stops answering stops it (exit 2), saying so.
            assert_eq!(
                summary.exit_code(),
                if hangs { 2 } else { 1 },
                "{api} {behaviour:?}: a hostile target fails or stops the run\n{}",
                conformance::report::terminal::render_summary(&summary)
            );
            assert_eq!(
                summary.stopped.is_some(),
                hangs,
                "{api} {behaviour:?}: only a target that stops answering stops the run"
            );
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "{api} {behaviour:?}: the run took {:?}; absurd waits must be bounded by --max-wait",
                started.elapsed()
            );
        }
    }
    assert_eq!(PANICS.load(Ordering::SeqCst), 0, "the harness panicked");
}
