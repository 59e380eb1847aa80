//! The command line as a user meets it: exit codes for runs with nothing to check, `--strict`, report paths checked
//! before the run, `--list --api`, and a `rerun:` line that, pasted into a shell, fails again the same way.

use std::process::{Command, Output};

/// Runs the binary; failing seeds go to a scratch directory, not to the repository's proptest-regressions/.
fn conformance(args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_conformance"));
    command.args(args).env("NO_COLOR", "1");
    if !args.iter().any(|a| *a == "--regressions" || *a == "--list") {
        let scratch = std::env::temp_dir().join(format!("conformance-cli-{}", std::process::id()));
        command.arg("--regressions").arg(scratch);
    }
    command.output().expect("the conformance binary runs")
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// (arguments, exit code, a line the output must contain)
const CASES: &[(&[&str], i32, &str)] = &[
    // An API no schema declares.
    (
        &["--api", "nonesuch", "--quiet"],
        2,
        "unknown API `nonesuch`; known APIs: greenhouse_onboarding, healthmov_user_management, workable_members, worksome",
    ),
    // Nothing applicable: A2 on an API without roles.
    (
        &["--api", "workable_members", "--only", "A2", "--quiet"],
        2,
        "nothing was checked for `workable_members`",
    ),
    // Something checked, something not applicable: green, saying so; red under --strict.
    (
        &[
            "--api",
            "greenhouse_onboarding",
            "--only",
            "S1",
            "--only",
            "A2",
            "--quiet",
        ],
        0,
        "1 of 2 properties were not checked",
    ),
    (
        &[
            "--api",
            "greenhouse_onboarding",
            "--only",
            "S1",
            "--only",
            "A2",
            "--quiet",
            "--strict",
        ],
        1,
        "--strict: not-applicable and inconclusive results fail the run",
    ),
    // --fail-fast: after the first failure the rest are skipped; the replay shows secrets only when asked.
    (
        &[
            "--fault",
            "unstable-cursors",
            "--api",
            "greenhouse_onboarding",
            "--only",
            "P7",
            "--only",
            "E1",
            "--fail-fast",
            "--cases",
            "4",
            "--seed",
            "3",
            "--quiet",
        ],
        1,
        "SKIP  greenhouse_onboarding  E1 error-shape",
    ),
    (
        &[
            "--fault",
            "unstable-cursors",
            "--api",
            "greenhouse_onboarding",
            "--only",
            "P7",
            "--cases",
            "4",
            "--seed",
            "3",
            "--quiet",
        ],
        1,
        "'Authorization: Basic ZGVt…[masked]'",
    ),
    (
        &[
            "--fault",
            "unstable-cursors",
            "--api",
            "greenhouse_onboarding",
            "--only",
            "P7",
            "--cases",
            "4",
            "--seed",
            "3",
            "--quiet",
            "--show-secrets",
        ],
        1,
        "'Authorization: Basic ZGVtby1hY2Nlc3Mta2V5OmRlbW8tc2VjcmV0LWtleQ=='",
    ),
    // A report that cannot be written is a usage error before anything runs.
    (
        &["--report", "json=/proc/conformance/report.json", "--quiet"],
        2,
        "failed to write the report `/proc/conformance/report.json`",
    ),
];

#[test]
fn exit_codes_say_what_was_checked() {
    for (args, code, expected) in CASES {
        let output = conformance(args);
        let text = text(&output);
        assert_eq!(output.status.code(), Some(*code), "{args:?}\n{text}");
        assert!(
            text.contains(expected),
            "{args:?}: no `{expected}` in\n{text}"
        );
    }
}

#[test]
fn list_honours_api() {
    let output = conformance(&["--list", "--api", "workable_members"]);
    let text = text(&output);
    assert!(output.status.success(), "{text}");
    assert!(text.lines().any(|l| l.starts_with("P9 ")), "{text}");
    assert!(!text.lines().any(|l| l.starts_with("P1 ")), "{text}");
}

#[test]
fn a_rerun_line_fails_again_the_same_way() {
    let regressions =
        std::env::temp_dir().join(format!("conformance-rerun-{}", std::process::id()));
    let regressions = regressions.display().to_string();
    let first = conformance(&[
        "--fault",
        "unstable-cursors",
        "--api",
        "greenhouse_onboarding",
        "--only",
        "P7",
        "--cases",
        "4",
        "--seed",
        "31",
        "--quiet",
        "--regressions",
        &regressions,
    ]);
    let first_text = text(&first);
    assert_eq!(first.status.code(), Some(1), "{first_text}");
    let rerun = first_text
        .lines()
        .find_map(|l| l.trim().strip_prefix("rerun:"))
        .expect("a failing run prints a rerun line")
        .trim()
        .to_owned();
    for part in [
        "--fault unstable-cursors",
        "--seed 31",
        "--cases 4",
        "--only P7",
        "--api greenhouse_onboarding",
    ] {
        assert!(
            rerun.contains(part),
            "the rerun line lacks `{part}`: {rerun}"
        );
    }
    let command = rerun.replacen("conformance", env!("CARGO_BIN_EXE_conformance"), 1);
    let again = Command::new("sh")
        .arg("-c")
        .arg(format!("{command} --quiet"))
        .env("NO_COLOR", "1")
        .output()
        .expect("the rerun line runs in a shell");
    let again_text = text(&again);
    assert_eq!(again.status.code(), Some(1), "{rerun}\n{again_text}");
    let failure = |t: &str| -> Vec<String> {
        t.lines()
            // The failure's heading and what broke (the progress lines carry timings).
            .filter(|l| {
                (l.starts_with("FAIL ") && !l.contains(" requests "))
                    || l.trim_start().starts_with("broken:")
            })
            .map(str::to_owned)
            .collect()
    };
    assert_eq!(failure(&first_text), failure(&again_text), "{rerun}");
    let _ = std::fs::remove_dir_all(&regressions);
}

#[test]
fn the_root_cause_leads_and_the_rest_say_they_are_downstream() {
    let output = conformance(&[
        "--fault",
        "error-code-missing",
        "--api",
        "greenhouse_onboarding",
        "--only",
        "E1",
        "--only",
        "E3",
        "--cases",
        "4",
        "--seed",
        "3",
        "--quiet",
    ]);
    let text = text(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    let failures = text
        .split("\nFailures\n")
        .nth(1)
        .expect("a failures section");
    let headings: Vec<&str> = failures
        .lines()
        .filter(|l| l.starts_with("FAIL "))
        .collect();
    assert_eq!(
        headings,
        [
            "FAIL greenhouse_onboarding E3 documented-codes",
            "FAIL greenhouse_onboarding E1 error-shape"
        ],
        "{text}"
    );
    assert!(failures.contains("downstream of E3"), "{text}");
}
