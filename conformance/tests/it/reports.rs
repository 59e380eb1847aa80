//! The reports of a real (short) run: JUnit XML, JSON and HTML are written and name every property; a failure
//! carries its curl line.

use std::time::Duration;

use conformance::client::ClientLimits;
use conformance::event::Reporter;
use conformance::property::Settings;
use conformance::report::{ReportSpec, file_reporter};
use conformance::runner::{Mode, RunConfig};
use reference_server::Fault;

#[test]
fn junit_json_and_html_reports_name_every_property_and_show_the_failure() {
    let dir = std::env::temp_dir().join(format!("conformance-reports-{}", std::process::id()));
    let specs: Vec<ReportSpec> = ["junit=report.xml", "json=report.json", "html=report.html"]
        .iter()
        .map(|s| {
            let (format, file) = s.split_once('=').unwrap_or_default();
            format!("{format}={}", dir.join(file).display())
                .parse()
                .expect("a valid report spec")
        })
        .collect();
    let mut reporters: Vec<Box<dyn Reporter>> = specs.iter().map(file_reporter).collect();
    let config = RunConfig {
        mode: Mode::Embedded {
            faults: vec![Fault::UnstableCursors],
            server_seed: 0,
            apis: vec!["greenhouse_onboarding".to_owned()],
        },
        settings: Settings {
            cases: 4,
            seed: 11,
            read_only: true,
            max_wait: Duration::from_secs(5),
            regressions: None,
            max_shrink_iters: 32,
            rerun: String::new(),
        },
        limits: ClientLimits {
            max_requests: Some(50_000),
            rate: None,
            timeout: Duration::from_secs(30),
        },
        only: vec!["S1".into(), "P7".into(), "E1".into()],
        skip: Vec::new(),
        strict: false,
        fail_fast: false,
        show_secrets: false,
    };
    let summary = conformance::run(&config, &mut reporters).expect("the run completes");
    assert_eq!(summary.exit_code(), 1, "P7 fails with unstable cursors");

    let junit =
        std::fs::read_to_string(dir.join("report.xml")).expect("the JUnit report is written");
    assert!(
        junit.contains("<testsuite name=\"greenhouse_onboarding\""),
        "{junit}"
    );
    assert!(
        junit.contains("P7 stable-cursors") && junit.contains("<failure"),
        "{junit}"
    );
    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("report.json")).expect("the JSON report is written"),
    )
    .expect("the JSON report is JSON");
    let ids: Vec<&str> = json["results"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["id"].as_str())
        .collect();
    assert_eq!(ids, ["S1", "P7", "E1"]);
    assert_eq!(json["results"][1]["verdict"]["verdict"], "failed");
    assert_eq!(json["schema_version"], 1);
    let exchange = &json["results"][1]["verdict"]["exchanges"][0];
    assert!(
        exchange["response"]["status"].is_u64() && exchange.get("Ok").is_none(),
        "an exchange is a request and a response, not Rust's Result: {exchange}"
    );
    // The fixture key, its secret and the whole header are masked in every report.
    for (name, text) in [
        (
            "JSON",
            std::fs::read_to_string(dir.join("report.json")).unwrap(),
        ),
        ("JUnit", junit.clone()),
        (
            "HTML",
            std::fs::read_to_string(dir.join("report.html")).unwrap(),
        ),
    ] {
        for secret in [
            "ZGVtby1hY2Nlc3Mta2V5OmRlbW8tc2VjcmV0LWtleQ==",
            "demo-secret-key",
        ] {
            assert!(!text.contains(secret), "the {name} report shows `{secret}`");
        }
        assert!(
            text.contains("…[masked]"),
            "the {name} report shows no masked header"
        );
    }
    let html =
        std::fs::read_to_string(dir.join("report.html")).expect("the HTML report is written");
    assert!(
        html.contains("P7</b> stable-cursors") && html.contains("curl -sS -X POST"),
        "the failure shows its curl line"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
