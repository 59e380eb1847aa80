//! Attacks on the running server binary, each answered quickly with a clear error in the API's format while the
//! process's memory stays flat: fragment bombs, documents that would fill the cache, slow and idle clients, and
//! oversized, deep, alias and directive floods. Bounds are generous (a loaded CI machine, a debug build); the
//! attacks they stop cost seconds and gigabytes.

use std::io::Write;
use std::net::TcpStream;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::server_process::{ServerProcess, read_answer};
use crate::support::{credential, greenhouse_auth};

const GREENHOUSE: &str = "/greenhouse/graphql";
const WORKABLE: &str = "/workable/graphql";

/// Quotas lifted: these tests are about limits, not rate limits.
const NO_QUOTAS: &str = "[[rate_limits]]\napi = \"greenhouse_onboarding\"\nlimit = 1000000\n\n\
                         [[rate_limits]]\napi = \"workable_members\"\nlimit = 1000000\n";

/// The document: each fragment spreads the next twice, 2^22 copies of `leaf` expanded, about 1 KB.
fn fragment_bomb(leaf: &str) -> String {
    let mut bomb = String::from("query { ...F0 }");
    for i in 0..22 {
        bomb.push_str(&format!(
            " fragment F{i} on Query {{ ...F{j} ...F{j} }}",
            j = i + 1
        ));
    }
    bomb.push_str(&format!(" fragment F22 on Query {{ {leaf} }}"));
    bomb
}

/// The first error's message, whatever the API's format.
fn message(body: &Value) -> &str {
    body["errors"][0]["message"]
        .as_str()
        .or_else(|| body["error"].as_str())
        .unwrap_or("")
}

#[test]
fn fragment_bombs_are_refused_before_authentication_in_linear_time() {
    let server = ServerProcess::start("bomb", NO_QUOTAS, 1024);
    let before = server.rss_mib();
    let attacks = [
        (GREENHOUSE, fragment_bomb("employee(id: 1) { id }")),
        (WORKABLE, fragment_bomb("__typename")),
        (GREENHOUSE, fragment_bomb("employee(id: 1) { id }")),
        (WORKABLE, fragment_bomb("__typename")),
    ];
    // Four bombs at once, without credentials, and an ordinary client beside them.
    let server = &server;
    std::thread::scope(|scope| {
        let bombs: Vec<_> = attacks
            .iter()
            .map(|(path, bomb)| scope.spawn(move || (path, server.graphql(path, None, bomb))))
            .collect();
        let ordinary = scope.spawn(|| {
            server.graphql(
                GREENHOUSE,
                Some(&greenhouse_auth()),
                "{ employee(id: 25) { email } }",
            )
        });
        for bomb in bombs {
            let (path, answer) = bomb.join().unwrap();
            assert!(
                answer.elapsed < Duration::from_secs(2),
                "{path}: {:?}",
                answer.elapsed
            );
            assert!(
                message(&answer.body)
                    .contains("fields once its fragments are expanded; the limit is 5000"),
                "{path}: {answer:?}"
            );
        }
        let ordinary = ordinary.join().unwrap();
        assert!(
            ordinary.elapsed < Duration::from_secs(2),
            "{:?}",
            ordinary.elapsed
        );
        assert!(
            ordinary.body["data"]["employee"]["email"].is_string(),
            "{:?}",
            ordinary.body
        );
    });
    let grown = server.rss_mib() - before;
    assert!(grown < 32.0, "resident memory grew by {grown:.0} MiB");
}

#[test]
fn distinct_documents_do_not_fill_memory() {
    let config = format!("[limits]\ncache_bytes = 2097152\n\n{NO_QUOTAS}");
    let server = ServerProcess::start("cache", &config, 1024);
    let before = server.rss_mib();
    // Anonymous 1 MB documents (one comment each, one token): refused for their size, unparsed.
    for i in 0..60 {
        let query = format!(
            "{{ employee(id: 1) {{ id }} }} # {i} {}",
            "x".repeat(1_000_000)
        );
        let answer = server.graphql(GREENHOUSE, None, &query);
        assert!(
            answer.elapsed < Duration::from_secs(2),
            "{:?}",
            answer.elapsed
        );
        assert!(
            message(&answer.body).contains("bytes long; the limit is 65536 bytes"),
            "{:?}",
            answer.body
        );
    }
    // Authenticated documents just under the size limit: cached within the budget, the oldest evicted.
    let auth = greenhouse_auth();
    for i in 0..600 {
        let query = format!(
            "{{ employee(id: 1) {{ id }} }} # {i} {}",
            "x".repeat(60_000)
        );
        let answer = server.graphql(GREENHOUSE, Some(&auth), &query);
        assert!(
            answer.body["data"]["employee"]["id"].is_string(),
            "{:?}",
            answer.body
        );
    }
    let grown = server.rss_mib() - before;
    // The cache holds 2 MiB; the rest is the allocator keeping freed pages. Unbounded, this grew by gigabytes.
    assert!(grown < 64.0, "resident memory grew by {grown:.0} MiB");
}

#[test]
fn idle_and_slow_clients_time_out_and_cannot_lock_others_out() {
    // A descriptor limit far below the idle sockets opened, as the 1,100 sockets under 1,024.
    let config = format!(
        "[http]\nmax_connections = 64\nheader_read_timeout_seconds = 1\nbody_read_timeout_seconds = 1\n\n{NO_QUOTAS}"
    );
    let server = ServerProcess::start("slow", &config, 128);
    let idle: Vec<TcpStream> = (0..200)
        .filter_map(|_| TcpStream::connect(server.address).ok())
        .collect();
    assert!(idle.len() > 150, "{} idle sockets", idle.len());
    // An ordinary client still gets its answer once the idle ones are timed out.
    let answer = server.graphql(
        GREENHOUSE,
        Some(&greenhouse_auth()),
        "{ employee(id: 25) { email } }",
    );
    assert!(
        answer.elapsed < Duration::from_secs(8),
        "{:?}",
        answer.elapsed
    );
    assert!(
        answer.body["data"]["employee"]["email"].is_string(),
        "{answer:?}"
    );
    drop(idle);

    // Headers sent a byte at a time, never finished: the connection is closed.
    let started = Instant::now();
    let mut slowloris = TcpStream::connect(server.address).unwrap();
    slowloris
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    slowloris
        .write_all(b"POST /greenhouse/graphql HTTP/1.1\r\nHost: x\r\n")
        .unwrap();
    let closed = read_answer(&mut slowloris, started);
    assert!(
        !closed.timed_out && closed.elapsed < Duration::from_secs(5),
        "{closed:?}"
    );

    // A body that stops arriving: 408 in the API's format.
    let started = Instant::now();
    let mut slow_body = TcpStream::connect(server.address).unwrap();
    slow_body
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    slow_body
        .write_all(
            format!(
                "POST /greenhouse/graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
                 Authorization: {}\r\nContent-Length: 100\r\n\r\n{{\"query\":",
                greenhouse_auth()
            )
            .as_bytes(),
        )
        .unwrap();
    let answer = read_answer(&mut slow_body, started);
    assert_eq!(answer.status, 408, "{answer:?}");
    assert_eq!(
        answer.body["errors"][0]["errorCode"], "Validation",
        "{answer:?}"
    );
    assert!(
        message(&answer.body).contains("did not arrive within 1 seconds"),
        "{answer:?}"
    );
    assert!(answer.elapsed < Duration::from_secs(5), "{answer:?}");
}

#[test]
fn oversized_deep_alias_and_directive_floods_are_refused_quickly() {
    let server = ServerProcess::start("floods", NO_QUOTAS, 1024);
    let before = server.rss_mib();
    let auth = greenhouse_auth();
    let deep = format!("{{ {}__typename{} }}", "x { ".repeat(600), " }".repeat(600));
    let aliases = format!(
        "{{ {} }}",
        (0..600)
            .map(|i| format!("a{i}: __typename"))
            .collect::<Vec<_>>()
            .join(" ")
    );
    let directives = format!("{{ __typename {} }}", "@skip(if: false) ".repeat(250));
    let tokens = format!("{{ {} }}", "__typename ".repeat(3_000));
    for (query, expected) in [
        (deep.as_str(), "recursion limit"),
        (aliases.as_str(), "600 aliases; the limit is 15"),
        (directives.as_str(), "250 directives; the limit is 50"),
        (tokens.as_str(), "more than 2000 lexical tokens"),
    ] {
        for authorization in [None, Some(auth.as_str())] {
            let answer = server.graphql(GREENHOUSE, authorization, query);
            assert!(
                answer.elapsed < Duration::from_secs(2),
                "{expected}: {:?}",
                answer.elapsed
            );
            assert!(
                message(&answer.body).contains(expected),
                "{expected}: {:?}",
                answer.body
            );
        }
    }
    // An overlong GET target: 414 in the API's format.
    let answer = server.request(
        &format!(
            "GET /greenhouse/graphql?query={} HTTP/1.1\r\n",
            "%20".repeat(10_000)
        ),
        b"",
        Duration::from_secs(10),
    );
    assert_eq!(answer.status, 414, "{answer:?}");
    assert_eq!(
        answer.body["errors"][0]["errorCode"], "Validation",
        "{answer:?}"
    );
    let grown = server.rss_mib() - before;
    assert!(grown < 32.0, "resident memory grew by {grown:.0} MiB");
}

#[test]
fn workable_rest_paths_answer_transport_errors_in_their_format() {
    let server = ServerProcess::start("rest", NO_QUOTAS, 1024);
    let token = credential("workable_members", "acme/account");
    let answer = server.request(
        &format!(
            "GET /workable/spi/v3/accounts/acme/members?email={} HTTP/1.1\r\nAuthorization: {token}\r\n",
            "a".repeat(10_000)
        ),
        b"",
        Duration::from_secs(10),
    );
    assert_eq!(answer.status, 414, "{answer:?}");
    assert!(
        message(&answer.body).contains("request target"),
        "{answer:?}"
    );
}

#[test]
fn each_request_is_logged_on_one_line_without_colour() {
    let server = ServerProcess::start("log", NO_QUOTAS, 1024);
    let auth = greenhouse_auth();
    server.graphql(
        GREENHOUSE,
        Some(&auth),
        "query Named { employee(id: 25) { email } }",
    );
    server.request(
        &format!(
            "GET /workable/spi/v3/accounts/acme/members?limit=1 HTTP/1.1\r\nAuthorization: {}\r\n",
            credential("workable_members", "acme/account")
        ),
        b"",
        Duration::from_secs(10),
    );
    // The line is written after the answer: give the server a moment.
    let deadline = Instant::now() + Duration::from_secs(5);
    let log = loop {
        let log = server.log();
        if log.contains("api=workable_members") || Instant::now() > deadline {
            break log;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(
        !log.contains('\u{1b}'),
        "colour codes in a log that is no terminal:\n{log}"
    );
    let line = |needle: &str| {
        log.lines()
            .find(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("{needle}:\n{log}"))
    };
    let graphql = line("POST /greenhouse/graphql");
    assert!(
        graphql.contains(" INFO ") && graphql.contains(" 200 "),
        "{graphql}"
    );
    assert!(
        graphql.contains("api=greenhouse_onboarding operation=Named"),
        "{graphql}"
    );
    let rest = line("GET /workable/spi/v3/accounts/acme/members");
    assert!(
        rest.contains(" 200 ") && rest.contains("api=workable_members operation=members"),
        "{rest}"
    );
    assert!(
        !rest.contains("limit=1"),
        "the query string is not logged: {rest}"
    );
}
