//! The terminal report: totals, then the changes grouped by criticality (breaking first), each with its reason,
//! who it affects and the example operations it breaks, then the generated Rust API. Styled with ANSI codes; the
//! CLI writes it through `anstream`, which drops them when the output is not a terminal or `NO_COLOR` is set.

use std::fmt::Write;

use anstyle::{AnsiColor, Style};

use super::markdown::semver_name;
use super::{affects, of, totals};
use crate::diff::change::{AllowList, Criticality, Report};

fn style(criticality: Criticality) -> Style {
    let colour = match criticality {
        Criticality::Breaking => AnsiColor::Red,
        Criticality::Dangerous => AnsiColor::Yellow,
        Criticality::Safe => AnsiColor::Green,
    };
    Style::new().fg_color(Some(colour.into())).bold()
}

/// The report for a terminal, with ANSI styles.
pub fn terminal(report: &Report, allowed: &AllowList) -> String {
    let bold = Style::new().bold();
    let dim = Style::new().dimmed();
    let mut out = String::new();
    let title = report.api.as_deref().unwrap_or(&report.new);
    // Writing to a String cannot fail.
    let _ = writeln!(
        out,
        "{bold}Schema review of {title}{bold:#}: {}",
        totals(report, allowed)
    );
    let _ = writeln!(
        out,
        "{dim}{} → {}; {} example operation(s) checked{dim:#}",
        report.old, report.new, report.operations_checked
    );
    if report.changes.is_empty() {
        let _ = writeln!(out, "\nNo changes.");
    }
    for criticality in Criticality::ALL {
        let changes = of(report, criticality);
        if changes.is_empty() {
            continue;
        }
        let s = style(criticality);
        let _ = writeln!(
            out,
            "\n{s}{} ({}){s:#}",
            criticality.as_str().to_uppercase(),
            changes.len()
        );
        for change in changes {
            let allowed_note = if criticality == Criticality::Breaking && allowed.allows(change) {
                " (allowed)"
            } else {
                ""
            };
            let _ = writeln!(
                out,
                "  {s}{}{s:#} {bold}{}{bold:#}  {dim}{}{dim:#}{allowed_note}",
                match criticality {
                    Criticality::Breaking => "✗",
                    Criticality::Dangerous => "!",
                    Criticality::Safe => "✓",
                },
                change.coordinate,
                change.kind
            );
            let _ = writeln!(out, "      {}", change.message);
            if criticality != Criticality::Safe {
                let _ = writeln!(out, "      {dim}why:{dim:#} {}", change.reason);
            }
            if !change.affects.is_empty() {
                let _ = writeln!(out, "      {dim}affects:{dim:#} {}", affects(change));
            }
            for operation in &change.operations {
                let _ = writeln!(
                    out,
                    "      {dim}breaks:{dim:#} {}: {}",
                    operation.name,
                    operation.effect.replace('\n', " ")
                );
            }
        }
    }
    if let Some(api) = &report.rust_api {
        let _ = writeln!(
            out,
            "\n{bold}GENERATED RUST API{bold:#} ({}): semver {}",
            api.module,
            semver_name(api.semver)
        );
        if api.changes.is_empty() {
            let _ = writeln!(out, "  no public item changed");
        }
        for change in &api.changes {
            let _ = writeln!(
                out,
                "  {:<7} {bold}{}{bold:#} {dim}{}{dim:#}  {}  [{}]",
                change.change,
                change.item,
                change.what,
                change.detail,
                semver_name(change.semver)
            );
        }
    }
    out
}
