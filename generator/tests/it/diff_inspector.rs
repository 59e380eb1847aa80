//! The differential test of `generator diff`'s type changes against graphql-inspector (npm
//! `@graphql-inspector/core`, pinned in `tests/inspector/package-lock.json`): on a seeded corpus of schema mutations
//! both tools classify every pair, and every change graphql-inspector reports must be ours too, with the same kind,
//! path and level, unless it is one of the disagreements listed below with the reason ours is right.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use generator::Source;
use generator::diff::{Change, Examples, Options};
use serde_json::{Value, json};

use crate::diff_corpus::{Pair, corpus, mutate_types};

/// Where graphql-inspector differs from us on purpose: (change type, inspector's level, ours (`None`: not reported),
/// why ours is right). Each is a class of change, not one case; the test counts how often each occurs.
const DISAGREEMENTS: &[(&str, &str, Option<&str>, &str)] = &[(
    "INPUT_FIELD_DEFAULT_VALUE_CHANGED",
    "DANGEROUS",
    None,
    "Reported only when the type of the same input field changes too (`on: Boolean = true` becoming \
     `on: [Boolean] = true`): graphql-inspector compares the default after coercing it to each type (`true` vs \
     `[true]`), but the default as written did not change, and the type change, which we report as breaking, is \
     what breaks clients. A second, dangerous change would count the same edit twice.",
)];

/// Whether a graphql-inspector change that we classify differently (or do not report, `ours` = `None`) is a
/// listed disagreement. A missing change is excused only beside a type change at the same path.
fn excused(
    kind: &str,
    path: &str,
    their_level: &str,
    ours: Option<&str>,
    mine: &[Classified],
) -> bool {
    DISAGREEMENTS.iter().any(|d| {
        d.0 == kind
            && d.1 == their_level
            && d.2 == ours
            && (ours.is_some()
                || mine
                    .iter()
                    .any(|(k, p, _)| p == path && k.ends_with("_TYPE_CHANGED")))
    })
}

/// Changes graphql-inspector reports that we report differently or not at all, by design. `added` holds the
/// (type, path) of each addition it reports.
fn out_of_scope(change: &Value, added: &[(String, String)]) -> bool {
    let kind = change["type"].as_str().unwrap_or_default();
    let path = change["path"].as_str().unwrap_or_default();
    // Applied directives: `@deprecated` is reported once, as a deprecation; the rule vocabulary's directives as
    // rule changes, which graphql-inspector cannot classify.
    kind.starts_with("DIRECTIVE_USAGE_")
        // What an added type, field, value, argument or directive contains (its description, locations, members):
        // its addition says it, once.
        || added.iter().any(|(k, p)| path.starts_with(&format!("{p}.")) || (p == path && k != kind))
}

fn inspector_dir() -> PathBuf {
    crate::check::crate_dir().join("tests/inspector")
}

/// Installs the pinned graphql-inspector on first use (`npm ci`); fails, with how to install, without npm.
fn ensure_inspector() {
    let dir = inspector_dir();
    if dir
        .join("node_modules/@graphql-inspector/core/package.json")
        .exists()
    {
        return;
    }
    let status = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(&dir)
        .status();
    match status {
        Ok(s) if s.success() => {}
        other => panic!(
            "graphql-inspector is not installed and `npm ci` failed ({other:?}): install Node 20 and npm, then run \
             `npm ci` in {}",
            dir.display()
        ),
    }
}

fn inspector(pairs: &[Pair]) -> Vec<Value> {
    ensure_inspector();
    let input: Vec<Value> = pairs
        .iter()
        .map(|p| json!({"old": p.old, "new": p.new}))
        .collect();
    let mut child = Command::new("node")
        .arg("classify.mjs")
        .current_dir(inspector_dir())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("failed to run node ({e}): install Node 20 to run the differential test")
        });
    let mut stdin = child.stdin.take().unwrap();
    let body = serde_json::to_vec(&input).unwrap();
    let writer = std::thread::spawn(move || std::io::Write::write_all(&mut stdin, &body));
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(output.status.success(), "classify.mjs failed");
    serde_json::from_slice(&output.stdout).unwrap()
}

/// Our coordinate in graphql-inspector's path notation.
fn inspector_path(change: &Change) -> String {
    let path = change.coordinate.replace("(", ".").replace(":)", "");
    match change.kind {
        "FIELD_DEPRECATION_ADDED"
        | "FIELD_DEPRECATION_REMOVED"
        | "FIELD_DEPRECATION_REASON_CHANGED"
        | "FIELD_DEPRECATION_REASON_ADDED"
        | "ENUM_VALUE_DEPRECATION_REASON_CHANGED"
        | "ENUM_VALUE_DEPRECATION_REASON_ADDED" => format!("{path}.@deprecated"),
        // graphql-inspector names the directive, not the argument.
        "DIRECTIVE_ARGUMENT_ADDED" => path.split('.').next().unwrap_or_default().to_owned(),
        _ => path,
    }
}

fn level(ours: generator::diff::Criticality) -> &'static str {
    match ours {
        generator::diff::Criticality::Breaking => "BREAKING",
        generator::diff::Criticality::Dangerous => "DANGEROUS",
        generator::diff::Criticality::Safe => "NON_BREAKING",
    }
}

/// A change as both tools can say it: kind, graphql-inspector path, level.
type Classified = (String, String, &'static str);

/// Our changes for each pair, as (kind, graphql-inspector path, level); `None` when the generator refuses the
/// mutant (rules that no longer read, such as a paginated field without its page arguments). Two threads.
fn ours(pairs: &[Pair]) -> Vec<Option<Vec<Classified>>> {
    let options = Options {
        examples: Examples::None,
        rust_api: false,
    };
    let one = |pair: &Pair| {
        let old = Source::new(format!("{}.graphql", pair.base), pair.old.as_str());
        let new = Source::new(format!("{}.graphql", pair.base), pair.new.as_str());
        let report = generator::diff::diff(&old, &new, &options).ok()?;
        Some(
            report
                .changes
                .iter()
                .map(|c| (c.kind.to_owned(), inspector_path(c), level(c.criticality)))
                .collect(),
        )
    };
    let half = pairs.len().div_ceil(2);
    std::thread::scope(|scope| {
        let second = scope.spawn(|| pairs[half..].iter().map(one).collect::<Vec<_>>());
        let mut out: Vec<_> = pairs[..half].iter().map(one).collect();
        out.extend(second.join().unwrap());
        out
    })
}

#[test]
fn agrees_with_graphql_inspector() {
    let started = std::time::Instant::now();
    let pairs = corpus(0x5eed_0015, 60, mutate_types);
    assert!(
        pairs.len() >= 300,
        "the corpus is too small: {}",
        pairs.len()
    );
    // graphql-inspector runs in its own process while we classify.
    let (theirs, ours) = std::thread::scope(|scope| {
        let theirs = scope.spawn(|| inspector(&pairs));
        let ours = ours(&pairs);
        (theirs.join().unwrap(), ours)
    });
    assert_eq!(theirs.len(), pairs.len());
    let (mut classified, mut agreed, mut excused_count, mut refused) = (0, 0, 0, 0);
    let mut failures = Vec::new();
    let mut by_kind: BTreeMap<String, usize> = BTreeMap::new();
    for ((pair, their), mine) in pairs.iter().zip(&theirs).zip(ours) {
        let Some(mut mine) = mine else {
            refused += 1;
            continue;
        };
        let their = their
            .as_array()
            .unwrap_or_else(|| panic!("{} ({}): graphql-inspector: {their}", pair.base, pair.edit));
        let added: Vec<(String, String)> = their
            .iter()
            .filter_map(|c| {
                Some((
                    c["type"].as_str()?.to_owned(),
                    c["path"].as_str()?.to_owned(),
                ))
            })
            .filter(|(kind, _)| {
                matches!(
                    kind.as_str(),
                    "TYPE_ADDED"
                        | "FIELD_ADDED"
                        | "INPUT_FIELD_ADDED"
                        | "ENUM_VALUE_ADDED"
                        | "FIELD_ARGUMENT_ADDED"
                        | "DIRECTIVE_ADDED"
                )
            })
            .collect();
        for change in their.iter().filter(|c| !out_of_scope(c, &added)) {
            classified += 1;
            let kind = change["type"].as_str().unwrap_or_default().to_owned();
            *by_kind.entry(kind.clone()).or_default() += 1;
            let path = change["path"].as_str().unwrap_or_default().to_owned();
            let their_level = change["level"].as_str().unwrap_or_default();
            let found = mine.iter().position(|(k, p, _)| *k == kind && *p == path);
            let ours = found.map(|i| mine[i].2);
            let listed = excused(&kind, &path, their_level, ours, &mine);
            if let Some(i) = found {
                mine.remove(i);
            }
            if ours == Some(their_level) {
                agreed += 1;
            } else if listed {
                excused_count += 1;
            } else {
                failures.push(format!(
                    "{} ({}): graphql-inspector {kind} {path} {their_level}, ours {ours:?}",
                    pair.base, pair.edit
                ));
            }
        }
        // What we report and graphql-inspector does not (the corpus edits types only, so nothing may be left).
        for (kind, path, l) in mine {
            failures.push(format!(
                "{} ({}): ours only: {kind} {path} {l}",
                pair.base, pair.edit
            ));
        }
    }
    eprintln!(
        "graphql-inspector differential ({:?}): {} pairs ({refused} refused by the generator), {classified} changes \
         classified by graphql-inspector, {agreed} agreed, {excused_count} listed disagreements ({:.1}% agreement); \
         by kind: {by_kind:?}",
        started.elapsed(),
        pairs.len(),
        100.0 * agreed as f64 / classified.max(1) as f64
    );
    assert!(
        failures.is_empty(),
        "{} disagreement(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}
