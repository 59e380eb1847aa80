//! Against a target, the rate-limit properties judge by the window the target reports, not the declared one: a
//! reference server whose Greenhouse quota resets every 2 s (the declared window is an hour) gets R3 and R5 run and
//! pass under the default `--max-wait`, and a far reset keeps them inconclusive instead of waiting.

use std::time::Duration;

use conformance::Verdict;
use conformance::client::ClientLimits;
use conformance::credentials::Credential;
use conformance::property::Settings;
use conformance::runner::{Mode, RunConfig};
use reference_server::options::RateLimitOverride;
use reference_server::{Options, ServerConfig};

fn serve(runtime: &tokio::runtime::Runtime, window_seconds: u32) -> String {
    let options = Options {
        seed: 0,
        faults: Default::default(),
        config: ServerConfig {
            rate_limits: vec![RateLimitOverride {
                api: "greenhouse_onboarding".to_owned(),
                token_kind: None,
                limit: Some(6),
                window_seconds: Some(window_seconds),
            }],
            ..ServerConfig::default()
        },
    };
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("a free port");
    let address = listener.local_addr().expect("an address");
    runtime.spawn(async move {
        let _ = reference_server::serve(listener, &options, std::future::pending()).await;
    });
    format!("http://{address}/greenhouse/graphql")
}

fn run(url: String) -> conformance::RunSummary {
    let credentials = conformance::credentials::fixtures("greenhouse_onboarding", 0);
    let credentials: Vec<Credential> = credentials.into_iter().collect();
    let config = RunConfig {
        mode: Mode::External {
            url,
            api: "greenhouse_onboarding".to_owned(),
            credentials,
        },
        settings: Settings {
            cases: 2,
            seed: 9,
            read_only: false,
            max_wait: Duration::from_secs(10),
            regressions: None,
            max_shrink_iters: 4,
            rerun: String::new(),
        },
        limits: ClientLimits {
            max_requests: Some(2_000),
            rate: None,
            timeout: Duration::from_secs(10),
        },
        only: vec!["R3".into(), "R5".into()],
        skip: Vec::new(),
        strict: false,
        fail_fast: false,
        show_secrets: false,
    };
    conformance::run(&config, &mut []).expect("the run completes")
}

#[test]
fn rate_limits_follow_the_window_the_target_reports() {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let short = run(serve(&runtime, 2));
    for r in &short.results {
        assert!(
            matches!(r.verdict, Verdict::Passed),
            "{} against a 2 s window: {}\n{}",
            r.id,
            r.verdict.label(),
            conformance::report::terminal::render_summary(&short)
        );
    }
    let far = run(serve(&runtime, 3600 * 24));
    for r in &far.results {
        assert!(
            matches!(r.verdict, Verdict::Inconclusive { .. }),
            "{} against a one-day window must not wait: {}",
            r.id,
            r.verdict.label()
        );
    }
}
