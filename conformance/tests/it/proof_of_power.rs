//! Proof of power: the harness against the embedded reference server with each `--fault` (every API's) fails, naming
//! the property that the fault breaks; against the clean server every property holds. Prints the table
//! fault → failed properties.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use conformance::client::ClientLimits;
use conformance::property::Settings;
use conformance::runner::{Mode, RunConfig};
use conformance::{RunSummary, Verdict};
use reference_server::Fault;
use runtime::rules::{ApiRules, RateLimitReport};

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
    ("last-admin-demotable", "A3"),
    ("missing-scope-accepted", "A4"),
    ("paging-next-skips-member", "P9"),
    ("rate-limit-headers-lie", "R2"),
    ("concurrent-updates-accepted", "M2"),
    ("schema-drift", "S1"),
    ("backward-page-reversed", "P2"),
    ("start-cursor-is-end-cursor", "P5"),
    ("before-cursor-included", "P6"),
    ("walk-omits-newest", "P8"),
    ("error-locations-zero-based", "E1"),
    ("request-error-has-data", "E2"),
    ("internals-in-messages", "E4"),
    ("malformed-body-server-error", "E5"),
    ("introspection-costs", "C3"),
    ("field-errors-without-locations", "X1"),
    ("quota-limit-misreported", "R1"),
    ("throttled-write-applied", "R4"),
    ("quota-refused-write-applied", "R7"),
    ("quota-never-resets", "R5"),
    ("quota-shared-between-keys", "R6"),
    ("max-id-exclusive", "P10"),
    ("paging-next-on-last-page", "P11"),
    ("unserved-method-not-found", "E6"),
    ("token-crosses-accounts", "A5"),
    ("mutation-over-get-executed", "T1"),
    // Caught by the check of every response's data against the SDL, here in the documented example that reads it.
    ("start-date-misformatted", "X1"),
    ("allowed-role-refused", "A2"),
    ("role-refused-write-applied", "O1"),
    ("undeclared-refusal-messages", "A1"),
    ("parse-failure-as-200", "E3"),
    ("logout-does-not-revoke", "H1"),
    ("expired-token-accepted", "H1"),
    ("refresh-token-reusable", "H1"),
    ("employee-number-duplicates", "H2"),
    ("total-count-counts-page", "P1"),
    ("other-clients-visible", "H2"),
    ("offboarded-counted-onboarded", "H2"),
    ("foreign-department-accepted", "H2"),
    ("unreported-quota-not-enforced", "R7"),
    ("quota-refusal-unmarked", "R7"),
    ("companies-walk-omits-newest", "P8"),
    // Caught by the search of every response for internals (E4), here in the refused tokens the auth check sends.
    ("internals-in-auth-refusals", "A1"),
    ("worker-allowed-company-only", "A2"),
    ("last-item-off-by-one", "P12"),
    ("more-pages-on-last-page", "P12"),
    ("page-below-one-served", "P13"),
    // Also caught by P13: the refusal of a `first` or `page` below 1 names the argument in `extensions.validation`.
    ("validation-without-paths", "E7"),
    ("foreign-entity-accepted", "O1"),
    ("precondition-ignored", "O2"),
    ("transition-from-any-status", "O3"),
    ("update-clears-unmentioned", "M3"),
    ("deleted-still-listed", "M3"),
    ("detach-leaves-members", "M3"),
];

/// Whether the rules table declares what a property checks, read here independently of the property: a property
/// may be not applicable against the clean server only where this says so.
fn declared(rules: &ApiRules, id: &str) -> bool {
    match id {
        "A2" => rules.fields.iter().any(|f| !f.roles.is_empty()),
        "A4" => rules.fields.iter().any(|f| !f.scopes.is_empty()),
        "C1" | "C2" | "C3" => rules.complexity.is_some(),
        "R1" | "R2" | "R3" | "R4" | "R5" | "R6" => rules
            .rate_limits
            .iter()
            .any(|r| r.reported_by != RateLimitReport::None),
        "X1" => generated::examples::EXAMPLES
            .iter()
            .any(|e| e.api == rules.name),
        "R7" => rules
            .rate_limits
            .iter()
            .any(|r| r.reported_by == RateLimitReport::None),
        _ => true,
    }
}

/// Cases per property in the proof runs: enough for every fault above, small enough for CI.
const CASES: u32 = 6;

fn config(faults: Vec<Fault>, apis: Vec<String>, seed: u64) -> RunConfig {
    RunConfig {
        mode: Mode::Embedded {
            faults,
            server_seed: 0,
            apis,
        },
        settings: Settings {
            cases: CASES,
            seed,
            read_only: false,
            max_wait: Duration::from_secs(10),
            regressions: None,
            max_shrink_iters: 64,
            rerun: String::new(),
        },
        limits: ClientLimits {
            max_requests: Some(200_000),
            rate: None,
            timeout: Duration::from_secs(30),
        },
        only: Vec::new(),
        skip: Vec::new(),
        strict: false,
        fail_fast: false,
        show_secrets: false,
    }
}

fn run(faults: Vec<Fault>, apis: Vec<String>, seed: u64) -> RunSummary {
    conformance::run(&config(faults, apis, seed), &mut []).expect("the run completes")
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
fn every_fault_is_caught_and_the_clean_server_passes() {
    let faults: Vec<Fault> = Fault::ALL.to_vec();
    for fault in &faults {
        assert!(
            EXPECTED.iter().any(|(name, _)| *name == fault.name()),
            "the fault `{}` has no expected property: add one to EXPECTED",
            fault.name()
        );
    }
    for (name, _) in EXPECTED {
        assert!(
            faults.iter().any(|f| f.name() == *name),
            "EXPECTED names `{name}`, which is no fault of the server"
        );
    }
    // The clean server with every API; each fault with its own API only. The runs mostly wait out quota windows:
    // seven at a time, each worker taking the next run.
    let mut jobs: Vec<Option<Fault>> = vec![None];
    jobs.extend(faults.iter().copied().map(Some));
    let next = AtomicUsize::new(0);
    let done: Mutex<Vec<(usize, Option<Fault>, RunSummary)>> = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..7 {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(job) = jobs.get(i).copied() else {
                        return;
                    };
                    let apis = job.map(|f| vec![f.api().to_owned()]).unwrap_or_default();
                    let summary = run(job.into_iter().collect(), apis, 7);
                    done.lock()
                        .expect("no worker panicked")
                        .push((i, job, summary));
                }
            });
        }
    });
    let mut results = done.into_inner().expect("no worker panicked");
    results.sort_by_key(|(i, _, _)| *i);

    println!(
        "\n{:<30} {:<22} {:<10} {:<10} failed properties",
        "fault", "API", "expected", "caught"
    );
    let mut missed = Vec::new();
    for (_, fault, summary) in &results {
        let failed = failed(summary);
        match fault {
            None => {
                println!(
                    "{:<30} {:<22} {:<10} {:<10} {}",
                    "(none: clean server)",
                    "(every API)",
                    "-",
                    "-",
                    failed.join(" ")
                );
                // Passed, or not applicable where the rules table says so; never skipped or inconclusive.
                let not_passing: Vec<String> = summary
                    .results
                    .iter()
                    .filter(|r| match &r.verdict {
                        Verdict::Passed => false,
                        Verdict::NotApplicable { .. } => conformance::runner::rules_of(&r.api)
                            .map_or(true, |rules| declared(rules, &r.id)),
                        _ => true,
                    })
                    .map(|r| format!("{} of {} ({})", r.title(), r.api, r.verdict.label()))
                    .collect();
                assert!(
                    not_passing.is_empty(),
                    "against the clean server every property that applies must hold: {}\n{}",
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
                    "{:<30} {:<22} {:<10} {:<10} {}",
                    fault.name(),
                    fault.api(),
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
    let clean = &results
        .iter()
        .find(|(_, fault, _)| fault.is_none())
        .expect("the clean run ran")
        .2;
    // Every property id has a fault written for it, unless the rules of every API the server serves say that the
    // property does not apply there (A2 until an API with roles is served).
    let served: Vec<&'static ApiRules> = generated::APIS
        .iter()
        .copied()
        .filter(|r| clean.results.iter().any(|p| p.api == r.name))
        .collect();
    let mut unproven = Vec::new();
    println!("\n{:<9} proven able to fail by", "property");
    for property in conformance::properties::all() {
        let proving: Vec<&str> = faults
            .iter()
            .filter(|f| {
                EXPECTED.contains(&(f.name(), property.id))
                    && served.iter().any(|r| r.name == f.api())
            })
            .map(|f| f.name())
            .collect();
        let proven = !proving.is_empty();
        if proven {
            println!("{:<9} {}", property.id, proving.join(", "));
        }
        let applies = served.iter().any(|r| {
            declared(r, property.id)
                && conformance::properties::for_api(r)
                    .iter()
                    .any(|p| p.id == property.id)
        });
        if !proven && applies {
            unproven.push(property.id);
        } else if !proven {
            println!(
                "{:<9} (no fault yet: the rules of every served API, {}, say that it does not apply)",
                property.id,
                served
                    .iter()
                    .map(|r| &*r.name)
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
    }
    assert!(
        unproven.is_empty(),
        "properties that no fault proves able to fail: {}",
        unproven.join(", ")
    );
    assert!(
        missed.is_empty(),
        "faults not caught: {}",
        missed.join("; ")
    );
}
