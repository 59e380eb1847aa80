//! The report's three renderings: a terminal (`terminal`), a pull request comment (`markdown`), a machine (`json`).

mod json;
mod markdown;
mod terminal;

pub use json::json;
pub use markdown::markdown;
pub use terminal::terminal;

use super::change::{AllowList, Change, Criticality, Report};

/// The one-line totals all renderings open with: `2 breaking (1 allowed), 1 dangerous, 3 safe`.
fn totals(report: &Report, allowed: &AllowList) -> String {
    let breaking = report.count(Criticality::Breaking);
    let unallowed = report.unallowed_breaking(allowed).count();
    let allowed_note = if breaking > unallowed {
        format!(" ({} allowed)", breaking - unallowed)
    } else {
        String::new()
    };
    format!(
        "{breaking} breaking{allowed_note}, {} dangerous, {} safe",
        report.count(Criticality::Dangerous),
        report.count(Criticality::Safe)
    )
}

/// The changes of one criticality, in report order.
fn of(report: &Report, criticality: Criticality) -> Vec<&Change> {
    report
        .changes
        .iter()
        .filter(|c| c.criticality == criticality)
        .collect()
}

/// `everyone`, `role:worker, role:recruiter`, or empty.
fn affects(change: &Change) -> String {
    change.affects.join(", ")
}
