//! Proof of power: the harness against the embedded reference server with each Greenhouse `--fault` fails, naming
//! the property that the fault breaks; against the clean server every property holds. Prints the table
//! fault → failed properties.

use std::time::Duration;

use conformance::client::ClientLimits;
use conformance::property::Settings;
use conformance::runner::{Mode, RunConfig};
use conformance::{RunSummary, Verdict};
use reference_server::Fault;

/// The property each fault must break (others may fail too).
const EXPECTED: &[(&str, &str)] = &[
    ("page-off-by-one", "P1"),
    ("has-next-page-on-last-page", "P4"),
    ("unstable-cursors", "P7"),
    ("page-size-not-clamped", "P3"),
    ("date-filter-inclusive", "F1"),
    ("wrong-secret-accepted", "A1"),
    ("partial-update-clears-fields", "M1"),
    ("rate-limit-not-enforced", "R3"),
    ("remaining-not-decremented", "R2"),
    ("error-code-missing", "E3"),
    ("complexity-not-enforced", "C2"),
    ("complexity-miscounted", "C1"),
];

/// Cases per property in the proof runs: enough for every fault above, small enough for CI.
const CASES: u32 = 6;

fn config(faults: Vec<Fault>, seed: u64) -> RunConfig {
    RunConfig {
        mode: Mode::Embedded {
            faults,
            server_seed: 0,
        },
        settings: Settings {
            cases: CASES,
            seed,
            read_only: false,
            max_wait: Duration::from_secs(10),
            regressions: None,
            max_shrink_iters: 64,
        },
        limits: ClientLimits {
            max_requests: Some(200_000),
            rate: None,
            timeout: Duration::from_secs(30),
        },
        only: Vec::new(),
    }
}

fn run(faults: Vec<Fault>, seed: u64) -> RunSummary {
    conformance::run(&config(faults, seed), &mut []).expect("the run completes")
}

fn failed(summary: &RunSummary) -> Vec<String> {
    summary
        .results
        .iter()
        .filter(|r| r.verdict.failed())
        .map(|r| r.id.clone())
        .collect()
}

#[test]
fn every_greenhouse_fault_is_caught_and_the_clean_server_passes() {
    let faults: Vec<Fault> = Fault::ALL
        .iter()
        .copied()
        .filter(|f| f.api() == "greenhouse_onboarding")
        .collect();
    for fault in &faults {
        assert!(
            EXPECTED.iter().any(|(name, _)| *name == fault.name()),
            "the fault `{}` has no expected property: add one to EXPECTED",
            fault.name()
        );
    }
    // The runs mostly wait out quota windows: seven at a time.
    let mut jobs: Vec<Option<Fault>> = vec![None];
    jobs.extend(faults.iter().copied().map(Some));
    let mut results: Vec<(Option<Fault>, RunSummary)> = Vec::new();
    for chunk in jobs.chunks(7) {
        let done: Vec<_> = std::thread::scope(|s| {
            let handles: Vec<_> = chunk
                .iter()
                .map(|job| {
                    let job = *job;
                    s.spawn(move || (job, run(job.into_iter().collect(), 7)))
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("a run does not panic"))
                .collect()
        });
        results.extend(done);
    }

    println!(
        "\n{:<30} {:<10} {:<10} failed properties",
        "fault", "expected", "caught"
    );
    let mut missed = Vec::new();
    for (fault, summary) in &results {
        let failed = failed(summary);
        match fault {
            None => {
                println!(
                    "{:<30} {:<10} {:<10} {}",
                    "(none: clean server)",
                    "-",
                    "-",
                    failed.join(" ")
                );
                let not_passing: Vec<String> = summary
                    .results
                    .iter()
                    .filter(|r| {
                        !matches!(r.verdict, Verdict::Passed | Verdict::NotApplicable { .. })
                    })
                    .map(|r| format!("{} ({})", r.title(), r.verdict.label()))
                    .collect();
                assert!(
                    not_passing.is_empty(),
                    "against the clean server every property must hold: {}\n{}",
                    not_passing.join(", "),
                    conformance::report::terminal::render_summary(summary)
                );
            }
            Some(fault) => {
                let expected = EXPECTED
                    .iter()
                    .find(|(name, _)| *name == fault.name())
                    .map(|(_, p)| *p)
                    .unwrap_or("?");
                let caught = failed.iter().any(|p| p == expected);
                println!(
                    "{:<30} {:<10} {:<10} {}",
                    fault.name(),
                    expected,
                    if caught { "yes" } else { "NO" },
                    failed.join(" ")
                );
                if !caught {
                    missed.push(format!(
                        "{} (expected {expected}, failed: {failed:?})",
                        fault.name()
                    ));
                }
            }
        }
    }
    assert!(
        missed.is_empty(),
        "faults not caught: {}",
        missed.join("; ")
    );
}
