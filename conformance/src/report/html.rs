//! The HTML report (askama template `templates/report.html`): a self-contained page with the totals, a table of
//! every property, and each failure with its operation, response and curl line.

use std::path::PathBuf;

use askama::Template;

use crate::event::{Event, Reporter};
use crate::outcome::{RunSummary, Verdict};
use crate::report::ReportError;

/// Writes `--report html=PATH`.
#[derive(Debug)]
pub struct HtmlReporter {
    path: PathBuf,
    text: Option<Result<String, String>>,
}

impl HtmlReporter {
    pub fn new(path: PathBuf) -> Self {
        HtmlReporter { path, text: None }
    }
}

#[derive(Template)]
#[template(path = "report.html")]
struct Page<'a> {
    targets: &'a [String],
    seed: u64,
    cases: u32,
    passed: usize,
    failed: usize,
    other: usize,
    total_cases: u64,
    requests: u64,
    seconds: String,
    rows: Vec<Row>,
}

struct Row {
    anchor: String,
    api: String,
    id: String,
    name: String,
    group: String,
    statement: String,
    label: &'static str,
    class: &'static str,
    cases: u32,
    requests: u64,
    seconds: String,
    reason: String,
    failure: Option<FailureView>,
}

struct FailureView {
    message: String,
    findings: Vec<String>,
    input: String,
    shrink_steps: u32,
    reproduced: bool,
    reproduce: String,
    exchanges: Vec<ExchangeView>,
}

struct ExchangeView {
    operation: String,
    response: String,
    curl: String,
}

/// Renders the page.
pub fn render(summary: &RunSummary) -> Result<String, String> {
    let rows = summary
        .results
        .iter()
        .map(|r| {
            let (label, class) = match &r.verdict {
                Verdict::Passed => ("PASS", "pass"),
                Verdict::Failed(_) => ("FAIL", "fail"),
                Verdict::NotApplicable { .. } => ("N/A", "na"),
                Verdict::Skipped { .. } => ("SKIP", "na"),
                Verdict::Inconclusive { .. } => ("INCONCLUSIVE", "warn"),
            };
            let failure = match &r.verdict {
                Verdict::Failed(f) => {
                    let n = f.exchanges.len();
                    let exchanges = f
                        .exchanges
                        .iter()
                        .skip(n.saturating_sub(4))
                        .map(|e| ExchangeView {
                            operation: super::operation(e),
                            response: e.render_response(6_000),
                            curl: e.request.curl(),
                        })
                        .collect();
                    Some(FailureView {
                        message: f.message.clone(),
                        findings: f.findings.clone(),
                        input: f.input.clone(),
                        shrink_steps: f.shrink_steps,
                        reproduced: f.reproduced,
                        reproduce: f.reproduce.clone(),
                        exchanges,
                    })
                }
                _ => None,
            };
            Row {
                anchor: format!("{}-{}", r.api, r.id),
                api: r.api.clone(),
                id: r.id.clone(),
                name: r.name.clone(),
                group: r.group.clone(),
                statement: r.statement.clone(),
                label,
                class,
                cases: r.cases,
                requests: r.requests,
                seconds: format!("{:.2}", r.duration.as_secs_f64()),
                reason: r.verdict.reason().unwrap_or_default().to_owned(),
                failure,
            }
        })
        .collect();
    let page = Page {
        targets: &summary.targets,
        seed: summary.seed,
        cases: summary.cases,
        passed: summary.passed(),
        failed: summary.failed(),
        other: summary.results.len() - summary.passed() - summary.failed(),
        total_cases: summary.total_cases(),
        requests: summary.requests,
        seconds: format!("{:.1}", summary.duration.as_secs_f64()),
        rows,
    };
    page.render().map_err(|e| e.to_string())
}

impl Reporter for HtmlReporter {
    fn on_event(&mut self, event: &Event<'_>) {
        if let Event::RunFinished { summary } = event {
            self.text = Some(render(summary));
        }
    }

    fn finish(&mut self) -> Result<(), ReportError> {
        match self.text.take() {
            Some(Ok(text)) => super::write(&self.path, &text),
            Some(Err(message)) => Err(ReportError::Render {
                path: self.path.display().to_string(),
                message,
            }),
            None => Ok(()),
        }
    }
}
