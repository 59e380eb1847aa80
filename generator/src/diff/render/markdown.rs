//! The Markdown report, for a pull request comment (askama template `templates/diff.md`): totals, a table per
//! criticality, the example operations each breaking change breaks, and the generated Rust API's semver impact.

use askama::Template;

use super::{affects, of, totals};
use crate::diff::change::{AllowList, Criticality, Report, Semver};

#[derive(Template)]
#[template(path = "diff.md", escape = "none")]
struct Page<'a> {
    title: String,
    totals: String,
    old: &'a str,
    new: &'a str,
    checked: usize,
    groups: Vec<Group>,
    rust: Option<RustView>,
}

struct Group {
    heading: String,
    rows: Vec<Row>,
}

struct Row {
    coordinate: String,
    kind: &'static str,
    message: String,
    reason: String,
    affects: String,
    operations: Vec<String>,
}

struct RustView {
    module: String,
    semver: &'static str,
    rows: Vec<[String; 4]>,
}

/// Markdown table cells: no line breaks, `|` escaped.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

pub(crate) fn semver_name(semver: Semver) -> &'static str {
    match semver {
        Semver::Major => "major",
        Semver::Minor => "minor",
        Semver::Patch => "patch",
    }
}

/// The report as Markdown; breaking changes the allow-list names are marked allowed.
pub fn markdown(report: &Report, allowed: &AllowList) -> String {
    let groups = Criticality::ALL
        .into_iter()
        .filter_map(|criticality| {
            let changes = of(report, criticality);
            (!changes.is_empty()).then(|| Group {
                heading: format!(
                    "{} ({})",
                    match criticality {
                        Criticality::Breaking => "Breaking",
                        Criticality::Dangerous => "Dangerous",
                        Criticality::Safe => "Safe",
                    },
                    changes.len()
                ),
                rows: changes
                    .into_iter()
                    .map(|c| Row {
                        coordinate: cell(&c.coordinate),
                        kind: c.kind,
                        message: cell(&c.message)
                            + if criticality == Criticality::Breaking && allowed.allows(c) {
                                " (allowed)"
                            } else {
                                ""
                            },
                        reason: cell(&c.reason),
                        affects: cell(&affects(c)),
                        operations: c
                            .operations
                            .iter()
                            .map(|o| format!("`{}`: {}", o.name, o.effect.replace('\n', " ")))
                            .collect(),
                    })
                    .collect(),
            })
        })
        .collect();
    let rust = report.rust_api.as_ref().map(|api| RustView {
        module: api.module.clone(),
        semver: semver_name(api.semver),
        rows: api
            .changes
            .iter()
            .map(|c| {
                [
                    c.change.to_owned(),
                    cell(&c.item),
                    format!("{} `{}`", c.what, cell(&c.detail)),
                    semver_name(c.semver).to_owned(),
                ]
            })
            .collect(),
    });
    let page = Page {
        title: report.api.clone().unwrap_or_else(|| report.new.clone()),
        totals: totals(report, allowed),
        old: &report.old,
        new: &report.new,
        checked: report.operations_checked,
        groups,
        rust,
    };
    // The template only interpolates strings and numbers: rendering cannot fail.
    let mut text = page.render().unwrap_or_default();
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text
}
