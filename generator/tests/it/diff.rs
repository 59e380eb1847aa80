//! `generator diff`: the data-driven cases of `test_data/diff/<case>/{old,new}.graphql` (the report beside them as
//! an insta snapshot, every kind covered), its properties (a schema against itself reports nothing; A→B mirrors
//! B→A), the README's Worksome run, and the command's outputs and exit codes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use generator::Source;
use generator::diff::{AllowList, Examples, Options, Report};

use crate::check::crate_dir;

pub(crate) fn cases_dir() -> PathBuf {
    crate_dir().join("test_data/diff")
}

/// Reviews `old` → `new` of a case, with its `examples/` when it has them.
pub(crate) fn review(dir: &Path, old: &str, new: &str, rust_api: bool) -> Report {
    let relative = dir.strip_prefix(crate_dir()).unwrap();
    let read = |name: &str| {
        Source::new(
            relative.join(name),
            std::fs::read_to_string(dir.join(name)).unwrap(),
        )
    };
    let examples = dir.join("examples");
    let options = Options {
        examples: if examples.is_dir() {
            Examples::Dir(examples)
        } else {
            Examples::None
        },
        rust_api,
    };
    generator::diff::diff(&read(old), &read(new), &options)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
}

fn plain(text: &str) -> String {
    anstream::adapter::strip_str(text).to_string()
}

fn snapshot(dir: &Path, name: &str, text: &str) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(dir);
    settings.set_prepend_module_to_snapshot(false);
    settings.remove_snapshot_suffix();
    settings.set_omit_expression(true);
    settings.set_input_file(dir.join("new.graphql"));
    settings.bind(|| insta::assert_snapshot!(name.to_owned(), text));
}

/// One case a directory: the terminal report (without colour) as `report.snap` beside the schemas.
#[test]
fn cases() {
    insta::glob!("../../test_data/diff", "*/new.graphql", |path| {
        let dir = path.parent().unwrap();
        let report = review(dir, "old.graphql", "new.graphql", true);
        snapshot(
            dir,
            "report",
            &plain(&generator::diff::terminal(&report, &AllowList::default())),
        );
    });
}

/// The Markdown and JSON renderings of one case, and the allow-list marking a breaking change allowed.
#[test]
fn renderings() {
    let dir = cases_dir().join("roles");
    let report = review(&dir, "old.graphql", "new.graphql", true);
    let allowed = AllowList::parse(
        "# accepted on purpose\nQuery.jobs ROLE_REQUIREMENT_ADDED\nJobState.DRAFT\n",
    )
    .unwrap();
    snapshot(
        &dir,
        "markdown",
        &generator::diff::markdown(&report, &allowed),
    );
    snapshot(&dir, "json", &generator::diff::json(&report));
    assert_eq!(
        report.unallowed_breaking(&allowed).count(),
        report.count(generator::diff::Criticality::Breaking) - 2
    );
}

/// The README's run: Worksome's `Query.bids` now requires role company, and `BidStatus.CANCELLED` is gone.
#[test]
fn readme_worksome() {
    let (old, new) = readme_worksome_pair();
    let dir = cases_dir().join("readme_worksome");
    let options = Options {
        examples: Examples::Dir(dir.join("examples")),
        rust_api: true,
    };
    let report = generator::diff::diff(&old, &new, &options).unwrap();
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(&dir);
    settings.set_prepend_module_to_snapshot(false);
    settings.remove_snapshot_suffix();
    settings.set_omit_expression(true);
    settings.bind(|| {
        insta::assert_snapshot!(
            "terminal",
            plain(&generator::diff::terminal(&report, &AllowList::default()))
        );
        insta::assert_snapshot!(
            "markdown",
            generator::diff::markdown(&report, &AllowList::default())
        );
    });
}

/// The Worksome schema and the README's change to it.
pub(crate) fn readme_worksome_pair() -> (Source, Source) {
    let text = std::fs::read_to_string(crate_dir().join("../schemas/worksome.graphql")).unwrap();
    let changed = text
        .replacen(
            "): BidPaginator!\n    @paginated(style: LIGHTHOUSE, defaultPageSize: 10)",
            "): BidPaginator!\n    @paginated(style: LIGHTHOUSE, defaultPageSize: 10)\n    @requiresRole(roles: [\"company\"])",
            1,
        )
        .replacen("  REJECTED\n  CANCELLED\n}", "  REJECTED\n}", 1);
    assert_ne!(
        text, changed,
        "the README's edit no longer applies to schemas/worksome.graphql"
    );
    (
        Source::new("schemas/worksome.graphql", text),
        Source::new("worksome-changed.graphql", changed),
    )
}

/// The kind that undoes a kind: diff(B, A) reports, at the same coordinate, the mirror of each change of diff(A, B).
fn mirror(kind: &str) -> String {
    const PAIRS: &[(&str, &str)] = &[
        ("_ADDED", "_REMOVED"),
        ("_LOWERED", "_RAISED"),
        ("_LENGTHENED", "_SHORTENED"),
        ("_NARROWED", "_WIDENED"),
    ];
    for (a, b) in PAIRS {
        if let Some(stem) = kind.strip_suffix(a) {
            return format!("{stem}{b}");
        }
        if let Some(stem) = kind.strip_suffix(b) {
            return format!("{stem}{a}");
        }
    }
    kind.to_owned()
}

fn kinds(report: &Report, mirrored: bool) -> BTreeMap<(String, String), usize> {
    let mut out = BTreeMap::new();
    for change in &report.changes {
        let kind = if mirrored {
            mirror(change.kind)
        } else {
            change.kind.to_owned()
        };
        *out.entry((change.coordinate.clone(), kind)).or_default() += 1;
    }
    out
}

fn quick() -> Options {
    Options {
        examples: Examples::None,
        rust_api: false,
    }
}

/// diff(A, A) is empty and diff(A, B) mirrors diff(B, A), over every case and seeded corpora of type and rule
/// edits of the API schemas.
#[test]
fn properties() {
    let mut pairs: Vec<(Source, Source)> = Vec::new();
    for entry in std::fs::read_dir(cases_dir()).unwrap() {
        let dir = entry.unwrap().path();
        if dir.join("old.graphql").exists() {
            let read = |name: &str| {
                Source::new(
                    dir.join(name),
                    std::fs::read_to_string(dir.join(name)).unwrap(),
                )
            };
            pairs.push((read("old.graphql"), read("new.graphql")));
        }
    }
    let types = crate::diff_corpus::corpus(0x0015_a11a, 4, crate::diff_corpus::mutate_types);
    let rules = crate::diff_corpus::corpus(0x0015_b22b, 8, crate::diff_rule_edits::mutate_rules);
    let rule_pairs = rules.len();
    for pair in types.into_iter().chain(rules) {
        let name = format!("{}.graphql", pair.base);
        pairs.push((Source::new(&name, pair.old), Source::new(&name, pair.new)));
    }
    let (mut checked, mut found) = (0, 0);
    for (a, b) in &pairs {
        let Ok(forward) = generator::diff::diff(a, b, &quick()) else {
            continue; // a mutant the generator refuses
        };
        let backward = generator::diff::diff(b, a, &quick()).unwrap();
        assert_eq!(
            kinds(&forward, true),
            kinds(&backward, false),
            "{} → {} does not mirror",
            a.path.display(),
            b.path.display()
        );
        for schema in [a, b] {
            let same = generator::diff::diff(schema, schema, &quick()).unwrap();
            assert!(
                same.changes.is_empty(),
                "{} against itself: {:?}",
                schema.path.display(),
                same.changes
            );
        }
        checked += 1;
        found += forward.changes.len();
    }
    eprintln!(
        "properties: {checked} of {} pairs checked ({rule_pairs} rule edits), {found} changes",
        pairs.len()
    );
    assert!(
        checked >= 30 + rule_pairs / 2,
        "only {checked} pairs checked"
    );
    assert!(
        found >= checked,
        "the edits should change something: {found} changes in {checked} pairs"
    );
}

fn generator_cmd(args: &[&str], dir: &Path) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_generator"))
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Exit codes: 1 with breaking changes, 0 when allowed (flag or file) or only safe ones, 2 on usage and schema
/// errors; no colour when piped; JSON that parses.
#[test]
fn command_exit_codes_and_outputs() {
    let dir = cases_dir().join("roles");
    let (code, stdout, stderr) = generator_cmd(&["diff", "old.graphql", "new.graphql"], &dir);
    assert_eq!(code, 1, "{stderr}");
    assert!(!stdout.contains('\u{1b}'), "colour when piped:\n{stdout}");
    assert!(stdout.contains("BREAKING ("), "{stdout}");
    assert!(
        stderr.contains("breaking change(s) not allowed"),
        "{stderr}"
    );

    let (code, ..) = generator_cmd(
        &["diff", "--allow-breaking", "old.graphql", "new.graphql"],
        &dir,
    );
    assert_eq!(code, 0);

    let scratch = std::env::temp_dir().join(format!("generator-diff-allow-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).unwrap();
    let report = review(&dir, "old.graphql", "new.graphql", false);
    let every: String = report
        .changes
        .iter()
        .filter(|c| c.criticality == generator::diff::Criticality::Breaking)
        .map(|c| format!("{} {}\n", c.coordinate, c.kind))
        .collect();
    let allow = scratch.join("allow.txt");
    std::fs::write(&allow, every).unwrap();
    let allow_arg = allow.display().to_string();
    let (code, stdout, _) = generator_cmd(
        &[
            "diff",
            "--allow",
            &allow_arg,
            "--format",
            "markdown",
            "old.graphql",
            "new.graphql",
        ],
        &dir,
    );
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("(allowed)"), "{stdout}");
    std::fs::write(&allow, "Query.jobs ROLE_REQUIREMENT_ADDED extra\n").unwrap();
    let (code, _, stderr) = generator_cmd(
        &["diff", "--allow", &allow_arg, "old.graphql", "new.graphql"],
        &dir,
    );
    assert_eq!(code, 2);
    assert!(stderr.contains("line 1"), "{stderr}");

    let (code, stdout, _) = generator_cmd(
        &["diff", "--format", "json", "new.graphql", "new.graphql"],
        &dir,
    );
    assert_eq!(code, 0);
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["changes"], serde_json::json!([]));

    let (code, _, stderr) = generator_cmd(&["diff", "old.graphql"], &dir);
    assert_eq!(code, 2, "{stderr}");
    let broken = scratch.join("broken.graphql");
    std::fs::write(&broken, "type Query { a: Nope }").unwrap();
    let (code, _, stderr) = generator_cmd(
        &["diff", "old.graphql", &broken.display().to_string()],
        &dir,
    );
    assert_eq!(code, 2);
    assert!(stderr.contains("Nope"), "{stderr}");
    let _ = std::fs::remove_dir_all(&scratch);
}

/// `--git REV FILE...` against a scratch repository: a changed file is reviewed, a file new since REV is noted, a
/// revision that is not there is a usage error naming how to fetch it.
#[test]
fn command_against_git_revision() {
    let repo = std::env::temp_dir().join(format!("generator-diff-git-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&repo);
    std::fs::create_dir_all(repo.join("schemas")).unwrap();
    let git = |args: &[&str]| {
        let status = Command::new("git")
            .args([
                "-c",
                "user.name=test",
                "-c",
                "user.email=test@example.com",
                "-c",
                "commit.gpgsign=false",
            ])
            .args(args)
            .current_dir(&repo)
            .output()
            .unwrap();
        assert!(
            status.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&status.stderr)
        );
    };
    git(&["init", "-q"]);
    let cases = cases_dir();
    std::fs::copy(
        cases.join("enums/old.graphql"),
        repo.join("schemas/shop.graphql"),
    )
    .unwrap();
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "old"]);
    std::fs::copy(
        cases.join("enums/new.graphql"),
        repo.join("schemas/shop.graphql"),
    )
    .unwrap();
    std::fs::copy(
        cases.join("fields/new.graphql"),
        repo.join("schemas/added.graphql"),
    )
    .unwrap();

    let (code, stdout, stderr) = generator_cmd(
        &[
            "diff",
            "--git",
            "HEAD",
            "schemas/shop.graphql",
            "schemas/added.graphql",
        ],
        &repo,
    );
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(
        stdout.contains("HEAD:schemas/shop.graphql → schemas/shop.graphql"),
        "{stdout}"
    );
    assert!(stdout.contains("Status.CANCELLED"), "{stdout}");
    assert!(
        stderr.contains("`schemas/added.graphql` is not in HEAD"),
        "{stderr}"
    );

    let (code, stdout, _) = generator_cmd(
        &[
            "diff",
            "--git",
            "HEAD",
            "--format",
            "json",
            "--allow-breaking",
            "schemas/shop.graphql",
        ],
        &repo,
    );
    assert_eq!(code, 0);
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert!(
        json.as_array().is_some_and(|reports| reports.len() == 1),
        "{stdout}"
    );

    let (code, _, stderr) =
        generator_cmd(&["diff", "--git", "HEAD~5", "schemas/shop.graphql"], &repo);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("is not in this repository") && stderr.contains("git fetch"),
        "{stderr}"
    );
    let _ = std::fs::remove_dir_all(&repo);
}

/// Every kind the review can report (each `"KIND_NAME"` literal of `src/diff/types*` and `src/diff/rules*`) occurs in
/// some case of `test_data/diff/`, in one direction or the other. `RULE_CHANGED` is for vocabulary directives not
/// classified yet, and the vocabulary has none today.
#[test]
fn every_kind_has_a_case() {
    let src = crate_dir().join("src/diff");
    let mut files = Vec::new();
    for name in ["types.rs", "rules.rs"] {
        files.push(src.join(name));
    }
    for dir in ["types", "rules"] {
        for entry in std::fs::read_dir(src.join(dir)).unwrap() {
            files.push(entry.unwrap().path());
        }
    }
    let mut kinds = std::collections::BTreeSet::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for (i, literal) in text.split('"').enumerate() {
            let is_kind = i % 2 == 1
                && literal.contains('_')
                && !literal.starts_with("REASON_")
                && literal.chars().all(|c| c.is_ascii_uppercase() || c == '_');
            if is_kind {
                kinds.insert(literal.to_owned());
            }
        }
    }
    assert!(kinds.len() > 80, "the scan found only {kinds:?}");
    let mut seen = std::collections::BTreeSet::new();
    for entry in std::fs::read_dir(cases_dir()).unwrap() {
        let dir = entry.unwrap().path();
        if dir.join("old.graphql").exists() {
            for (a, b) in [
                ("old.graphql", "new.graphql"),
                ("new.graphql", "old.graphql"),
            ] {
                seen.extend(
                    review(&dir, a, b, false)
                        .changes
                        .iter()
                        .map(|c| c.kind.to_owned()),
                );
            }
        }
    }
    let missing: Vec<&String> = kinds
        .iter()
        .filter(|k| !seen.contains(*k) && *k != "RULE_CHANGED")
        .collect();
    assert!(missing.is_empty(), "kinds without a case: {missing:?}");
}
