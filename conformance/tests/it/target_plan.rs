//! Against a target, before the run: a REST prefix that serves nothing, or an account the target does not know, is a
//! configuration error with one clear line.

use std::time::Duration;

use conformance::RunError;
use conformance::client::ClientLimits;
use conformance::credentials::Credential;
use conformance::property::Settings;
use conformance::runner::{Mode, RunConfig};
use reference_server::Options;

/// The reference server on a free port, `http://127.0.0.1:PORT`.
fn serve(runtime: &tokio::runtime::Runtime) -> String {
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("a free port");
    let address = listener.local_addr().expect("an address");
    runtime.spawn(async move {
        let _ =
            reference_server::serve(listener, &Options::default(), std::future::pending()).await;
    });
    format!("http://{address}")
}

fn config(
    url: String,
    api: &str,
    credentials: Vec<Credential>,
    only: &[&str],
    budget: u64,
) -> RunConfig {
    RunConfig {
        mode: Mode::External {
            url,
            api: api.to_owned(),
            credentials,
        },
        settings: Settings {
            cases: 24,
            seed: 4,
            read_only: false,
            max_wait: Duration::from_secs(10),
            regressions: None,
            max_shrink_iters: 4,
            rerun: String::new(),
        },
        limits: ClientLimits {
            max_requests: Some(budget),
            rate: None,
            timeout: Duration::from_secs(10),
        },
        only: only.iter().map(|s| s.to_string()).collect(),
        skip: Vec::new(),
        strict: false,
        fail_fast: false,
        show_secrets: false,
    }
}

#[test]
fn a_rest_prefix_or_account_that_is_not_served_is_a_configuration_error() {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let base = serve(&runtime);
    let workable = |account: &str| {
        let mut credentials = conformance::credentials::fixtures("workable_members", 0);
        for c in &mut credentials {
            c.account = Some(account.to_owned());
        }
        credentials
    };
    // (prefix, account) → what the error says.
    let table = [
        ("/nothing", "acme", "does not serve `workable_members`"),
        (
            "/workable",
            "nosuch",
            "the account `nosuch` of the first credential is not served there",
        ),
    ];
    for (prefix, account, expected) in table {
        let config = config(
            format!("{base}{prefix}"),
            "workable_members",
            workable(account),
            &["S1"],
            100,
        );
        match conformance::run(&config, &mut []) {
            Err(error @ RunError::NotServed { .. }) => assert!(
                error.to_string().contains(expected),
                "{prefix} with {account}: {error}"
            ),
            other => {
                panic!("{prefix} with {account}: expected a configuration error, got {other:?}")
            }
        }
    }
}
