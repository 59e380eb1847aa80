//! The `generator` binary: `generate` writes only what changed, `check` exits 0 when fresh, 1 listing stale and
//! missing files, 2 on usage and schema errors.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::check::crate_dir;

fn generator(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_generator"))
        .args(args)
        .output()
        .unwrap()
}

fn text(output: &Output) -> (i32, String, String) {
    (
        output.status.code().unwrap(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// A fresh, empty directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("generator-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn schema(name: &str) -> String {
    crate_dir()
        .join(Path::new("../schemas").join(name))
        .display()
        .to_string()
}

#[test]
fn generate_then_check_then_detect_stale_and_missing() {
    let out = scratch("check");
    let out_arg = out.display().to_string();
    let (workable, healthmov) = (
        schema("workable_members.graphql"),
        schema("healthmov_user_management.graphql"),
    );
    let schemas = [workable.as_str(), healthmov.as_str()];

    let (code, stdout, _) = text(&generator(
        &[&["generate", "--out", &out_arg], &schemas[..]].concat(),
    ));
    assert_eq!(code, 0);
    assert!(
        stdout.ends_with("2 file(s) written, 0 unchanged\n"),
        "{stdout}"
    );
    let (code, stdout, _) = text(&generator(
        &[&["generate", "--out", &out_arg], &schemas[..]].concat(),
    ));
    assert_eq!(
        (code, stdout.as_str()),
        (0, "0 file(s) written, 2 unchanged\n")
    );

    let (code, stdout, _) = text(&generator(
        &[&["check", "--out", &out_arg], &schemas[..]].concat(),
    ));
    assert_eq!(code, 0, "{stdout}");

    let workable_rs = out.join("workable_members.rs");
    let edited = std::fs::read_to_string(&workable_rs)
        .unwrap()
        .replacen("pub ", "pub(crate) ", 1);
    std::fs::write(&workable_rs, edited).unwrap();
    std::fs::remove_file(out.join("healthmov_user_management.rs")).unwrap();
    let (code, stdout, _) = text(&generator(
        &[&["check", "--out", &out_arg], &schemas[..]].concat(),
    ));
    assert_eq!(code, 1, "{stdout}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(lines[0].starts_with("missing: "), "{stdout}");
    assert!(
        lines[0].contains("healthmov_user_management.rs ("),
        "{stdout}"
    );
    assert!(lines[0].ends_with(" lines would be written)"), "{stdout}");
    assert!(
        lines[1].contains("workable_members.rs (first difference at line "),
        "{stdout}"
    );
    assert!(lines[1].ends_with("; +1 -1 lines)"), "{stdout}");
    assert!(
        lines[2].starts_with("2 of 2 file(s) stale or missing"),
        "{stdout}"
    );
    std::fs::remove_dir_all(&out).unwrap();
}

#[test]
fn schema_problems_exit_2_with_every_problem_located() {
    let out = scratch("bad");
    let bad = crate_dir().join("test_data/errors/validation.graphql");
    let (code, stdout, stderr) = text(&generator(&[
        "check",
        "--out",
        &out.display().to_string(),
        &bad.display().to_string(),
    ]));
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert!(
        stderr.starts_with("error: failed to generate from `"),
        "{stderr}"
    );
    assert!(
        stderr.contains("7 schema problems; fix them and run again:"),
        "{stderr}"
    );
    assert!(
        stderr.contains("validation.graphql:3:6: cannot find type `Missing` in this document"),
        "{stderr}"
    );
    std::fs::remove_dir_all(&out).unwrap();
}

#[test]
fn usage_errors_exit_2() {
    let (code, _, stderr) = text(&generator(&["check", "--out", "x"]));
    assert_eq!(code, 2);
    assert!(stderr.contains("<SCHEMA>..."), "{stderr}");
    let (code, _, stderr) = text(&generator(&[
        "generate",
        "--out",
        "x",
        "--scalar",
        "Decimal",
        "s.graphql",
    ]));
    assert_eq!(code, 2);
    assert!(stderr.contains("`Decimal` is not NAME=RUST"), "{stderr}");
    let (code, _, stderr) = text(&generator(&[
        "generate",
        "--out",
        "x",
        "no/such/schema.graphql",
    ]));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("failed to read schema `no/such/schema.graphql`"),
        "{stderr}"
    );
}

#[test]
fn help_documents_examples_and_exit_codes() {
    let (code, stdout, _) = text(&generator(&["--help"]));
    assert_eq!(code, 0);
    for expected in [
        "Examples:",
        "generator check --out",
        "Exit codes:",
        "  1  `check`: some files are stale",
        "generator diff --git",
    ] {
        assert!(stdout.contains(expected), "{expected}\n{stdout}");
    }
    let (code, stdout, _) = text(&generator(&["help", "diff"]));
    assert_eq!(code, 0);
    for expected in [
        "Examples:",
        "Exit codes:",
        "  1  breaking changes that are not allowed",
        "NO_COLOR",
    ] {
        assert!(stdout.contains(expected), "{expected}\n{stdout}");
    }
}
