//! The terminal reporter: a progress bar on stderr while the run goes, one line per property as it finishes, then
//! every failure in full and the summary table on stdout.

use std::io::{IsTerminal, Write};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::event::{Event, Reporter};
use crate::outcome::{Failure, RunSummary, Verdict};

/// Prints progress and the summary.
#[derive(Debug)]
pub struct TerminalReporter {
    bar: Option<ProgressBar>,
    /// Cases of the properties finished so far, to keep the bar exact whatever shrinking adds.
    done_cases: u64,
    current_planned: u64,
    current_ran: u64,
    /// Show a progress bar (off for `--quiet` and in tests).
    progress: bool,
    /// Colour the verdicts: on a terminal, unless `NO_COLOR` is set.
    colour: bool,
    out: Box<dyn WriteSend>,
}

/// Where the reporter prints its lines.
pub trait WriteSend: Write + std::fmt::Debug {}
impl<T: Write + std::fmt::Debug> WriteSend for T {}

impl TerminalReporter {
    /// Prints to stdout, with a progress bar on stderr when it is a terminal.
    pub fn stdout(progress: bool) -> Self {
        TerminalReporter {
            bar: None,
            done_cases: 0,
            current_planned: 0,
            current_ran: 0,
            progress,
            colour: std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
            out: Box::new(std::io::stdout()),
        }
    }

    /// A verdict's label, coloured when the reporter colours.
    fn label(&self, verdict: &Verdict) -> String {
        let label = verdict.label();
        if !self.colour {
            return label.to_owned();
        }
        let code = match verdict {
            Verdict::Passed => "32",
            Verdict::Failed(_) => "1;31",
            _ => "33",
        };
        format!("\x1b[{code}m{label}\x1b[0m")
    }

    fn print(&mut self, text: &str) {
        let out = &mut self.out;
        let mut emit = || {
            let _ = out.write_all(text.as_bytes());
            let _ = out.flush();
        };
        match &self.bar {
            Some(bar) => bar.suspend(emit),
            None => emit(),
        }
    }
}

impl Reporter for TerminalReporter {
    fn on_event(&mut self, event: &Event<'_>) {
        match event {
            Event::RunStarted {
                targets,
                notes,
                properties,
                planned_cases,
            } => {
                let mut text = String::new();
                for t in targets.iter() {
                    text.push_str(&format!("Checking {t}\n"));
                }
                for note in notes.iter() {
                    text.push_str(&format!("  note: {note}\n"));
                }
                text.push_str(&format!(
                    "{properties} properties, {planned_cases} cases planned\n\n"
                ));
                self.print(&text);
                if self.progress {
                    let bar = ProgressBar::with_draw_target(
                        Some(*planned_cases),
                        ProgressDrawTarget::stderr(),
                    );
                    bar.set_style(
                        ProgressStyle::with_template(
                            "{spinner} [{elapsed_precise}] {bar:32} {pos}/{len} cases  {msg}",
                        )
                        .unwrap_or_else(|_| ProgressStyle::default_bar()),
                    );
                    bar.enable_steady_tick(Duration::from_millis(120));
                    self.bar = Some(bar);
                }
            }
            Event::PropertyStarted {
                api,
                id,
                name,
                planned_cases,
            } => {
                self.current_planned = u64::from(*planned_cases);
                self.current_ran = 0;
                if let Some(bar) = &self.bar {
                    bar.set_message(format!("{api} {id} {name}"));
                }
            }
            Event::CaseFinished { requests } => {
                if self.current_ran < self.current_planned {
                    self.current_ran += 1;
                    if let Some(bar) = &self.bar {
                        bar.set_position(self.done_cases + self.current_ran);
                    }
                }
                let _ = requests;
            }
            Event::PropertyFinished { result } => {
                self.done_cases += self.current_planned;
                if let Some(bar) = &self.bar {
                    bar.set_position(self.done_cases);
                }
                let label = self.label(&result.verdict);
                let pad = 5usize.saturating_sub(result.verdict.label().len());
                let mut line = format!(
                    "{label}{:pad$} {:<22} {:<28} {:>4} cases {:>6} requests {:>7.2} s",
                    "",
                    short_api(&result.api),
                    result.title(),
                    result.cases,
                    result.requests,
                    result.duration.as_secs_f64()
                );
                if let Some(reason) = result.verdict.reason() {
                    line.push_str(&format!("  ({reason})"));
                }
                if let Verdict::Failed(f) = &result.verdict {
                    line.push_str(&format!("\n      {}", first_line(&f.message)));
                }
                line.push('\n');
                self.print(&line);
            }
            Event::RunFinished { summary } => {
                if let Some(bar) = self.bar.take() {
                    bar.finish_and_clear();
                }
                let text = render_summary(summary);
                self.print(&text);
            }
        }
    }
}

fn short_api(api: &str) -> &str {
    api
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or("")
}

/// The failures in full, then the summary table and the totals.
pub fn render_summary(summary: &RunSummary) -> String {
    let mut out = String::new();
    let failures: Vec<_> = summary
        .results
        .iter()
        .filter_map(|r| match &r.verdict {
            Verdict::Failed(f) => Some((r, f)),
            _ => None,
        })
        .collect();
    if !failures.is_empty() {
        out.push_str("\nFailures\n========\n");
        // Root causes first: where E3 (documented codes) failed, an error code the API does not declare (or no code
        // at all) breaks many properties; E3 names the cause, the others say they failed downstream of it.
        let root = |api: &str| {
            failures
                .iter()
                .any(|(r, _)| r.api == api && r.id == ROOT_CAUSE)
        };
        let mut ordered = failures.clone();
        ordered.sort_by_key(|(r, _)| r.id != ROOT_CAUSE);
        for (r, f) in ordered {
            out.push_str(&format!("\nFAIL {} {}\n", r.api, r.title()));
            if r.id != ROOT_CAUSE
                && root(&r.api)
                && let Some(code) = undocumented_code(&r.api, f)
            {
                out.push_str(&format!(
                    "  downstream of {ROOT_CAUSE}: its response carries {code}, which {ROOT_CAUSE} reports above\n"
                ));
            }
            out.push_str(&super::failure_text(f, &r.statement, "  "));
        }
    }
    out.push_str("\nSummary\n=======\n");
    out.push_str(&render_table(summary));
    out
}

/// The property that names an error-code cause (codes the document does not name, or none).
const ROOT_CAUSE: &str = "E3";

/// An error code of the failure's last response that the API does not document (or an error without a code).
fn undocumented_code(api: &str, failure: &Failure) -> Option<String> {
    let rules = crate::runner::rules_of(api).ok()?;
    let codes: &[runtime::rules::Text] = rules.error_format.as_ref().map_or(&[], |f| &f.codes);
    let body = failure.culprit()?.ok()?.json()?;
    body.get("errors")?.as_array()?.iter().find_map(|e| {
        match crate::graphql::error_code(e, rules) {
            None if !codes.is_empty() => Some("an error without a code".to_owned()),
            Some(code) if !codes.is_empty() && !codes.iter().any(|c| *c == code.as_str()) => Some(
                format!("the code `{code}`, which the document does not name"),
            ),
            _ => None,
        }
    })
}

/// The summary table: one row per property.
pub fn render_table(summary: &RunSummary) -> String {
    let header = ["API", "Property", "Cases", "Requests", "Result"];
    // With failures, the passing rows fold into one line: what needs attention comes first.
    let fold = summary.failed() > 0;
    let rows: Vec<[String; 5]> = summary
        .results
        .iter()
        .filter(|r| !(fold && matches!(r.verdict, Verdict::Passed)))
        .map(|r| {
            let mut result = r.verdict.label().to_owned();
            if let Some(reason) = r.verdict.reason() {
                result.push_str(&format!(": {reason}"));
            }
            [
                r.api.clone(),
                r.title(),
                r.cases.to_string(),
                r.requests.to_string(),
                result,
            ]
        })
        .collect();
    let mut widths = header.map(str::len);
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    widths[4] = widths[4].min(60);
    let fmt_row = |cells: [&str; 5]| {
        format!(
            "{:<w0$}  {:<w1$}  {:>w2$}  {:>w3$}  {}\n",
            cells[0],
            cells[1],
            cells[2],
            cells[3],
            cells[4],
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2],
            w3 = widths[3]
        )
    };
    let mut out = fmt_row(header);
    out.push_str(&fmt_row([
        &"-".repeat(widths[0]),
        &"-".repeat(widths[1]),
        &"-".repeat(widths[2]),
        &"-".repeat(widths[3]),
        &"-".repeat(widths[4]),
    ]));
    for row in &rows {
        out.push_str(&fmt_row([&row[0], &row[1], &row[2], &row[3], &row[4]]));
    }
    if fold && summary.passed() > 0 {
        out.push_str(&format!("({} passing rows folded)\n", summary.passed()));
    }
    let na = summary.count(|v| matches!(v, Verdict::NotApplicable { .. }));
    let skipped = summary.count(|v| matches!(v, Verdict::Skipped { .. }));
    let inconclusive = summary.count(|v| matches!(v, Verdict::Inconclusive { .. }));
    out.push_str(&format!(
        "\n{} properties: {} passed, {} failed, {} not applicable, {} skipped, {} inconclusive\n",
        summary.results.len(),
        summary.passed(),
        summary.failed(),
        na,
        skipped,
        inconclusive
    ));
    out.push_str(&format!(
        "{} cases, {} requests in {:.1} s (seed {}, --cases {})\n",
        summary.total_cases(),
        summary.requests,
        summary.duration.as_secs_f64(),
        summary.seed,
        summary.cases
    ));
    if let Some(reason) = &summary.stopped {
        out.push_str(&format!("The run stopped early: {reason}.\n"));
    }
    out.push_str(&not_checked_line(summary));
    out
}

/// The last line: how many properties checked nothing, and why; or that every one was checked.
fn not_checked_line(summary: &RunSummary) -> String {
    let unchecked: Vec<String> = summary
        .not_checked()
        .map(|r| {
            format!(
                "{} of {} {} ({})",
                r.id,
                r.api,
                r.verdict.label(),
                r.verdict.reason().unwrap_or_default()
            )
        })
        .collect();
    if unchecked.is_empty() {
        return "Every planned property was checked.\n".to_owned();
    }
    let consequence = if summary.strict {
        "--strict: not-applicable and inconclusive results fail the run"
    } else {
        "they do not fail the run; --strict makes not-applicable and inconclusive ones fail it"
    };
    format!(
        "{} of {} properties were not checked ({consequence}): {}\n",
        unchecked.len(),
        summary.results.len(),
        unchecked.join("; ")
    )
}
