//! What a run finds: the verdict of each property, with a shrunk counterexample for each failure, and the run's
//! totals. Reporters render these; nothing here does I/O.

use std::time::Duration;

use serde::Serialize;

use crate::client::Exchange;

/// The verdict on one property.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Verdict {
    /// Every case held.
    Passed,
    /// A case broke the property.
    Failed(Box<Failure>),
    /// The API declares nothing this property checks (e.g. no roles).
    NotApplicable { reason: String },
    /// Not run by choice (`--read-only`, `--only`).
    Skipped { reason: String },
    /// Could not conclude: the budget ran out, the target throttled beyond `--max-wait`, too many unusable cases.
    Inconclusive { reason: String },
}

impl Verdict {
    /// One word for tables.
    pub fn label(&self) -> &'static str {
        match self {
            Verdict::Passed => "PASS",
            Verdict::Failed(_) => "FAIL",
            Verdict::NotApplicable { .. } => "N/A",
            Verdict::Skipped { .. } => "SKIP",
            Verdict::Inconclusive { .. } => "INCONCLUSIVE",
        }
    }

    /// The reason given for a verdict that is neither a pass nor a failure.
    pub fn reason(&self) -> Option<&str> {
        match self {
            Verdict::NotApplicable { reason }
            | Verdict::Skipped { reason }
            | Verdict::Inconclusive { reason } => Some(reason),
            Verdict::Passed | Verdict::Failed(_) => None,
        }
    }

    pub fn failed(&self) -> bool {
        matches!(self, Verdict::Failed(_))
    }
}

/// A broken property, with its minimal counterexample.
#[derive(Debug, Clone, Serialize)]
pub struct Failure {
    /// What was expected and what came instead.
    pub message: String,
    /// The shrunk input, as generated (`Debug`).
    pub input: String,
    /// Named findings, when the property reports several at once (schema differences).
    pub findings: Vec<String>,
    /// The requests of the minimal case, the one that broke the property last.
    pub exchanges: Vec<Exchange>,
    /// How many simpler inputs shrinking tried.
    pub shrink_steps: u32,
    /// How to run just this again.
    pub reproduce: String,
    /// False when replaying the minimal case passed (the failure depends on timing or state).
    pub reproduced: bool,
    /// How to get a server that answers the `replay:` lines, when the one that answered is gone (embedded).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replay_note: Option<String>,
}

impl Failure {
    /// The exchange that showed the failure: the last one of the case.
    pub fn culprit(&self) -> Option<&Exchange> {
        self.exchanges.last()
    }
}

/// One property's line in the summary.
#[derive(Debug, Clone, Serialize)]
pub struct PropertyResult {
    /// The API checked.
    pub api: String,
    /// Stable id, e.g. `P1`.
    pub id: String,
    /// Stable name, e.g. `forward-walk`.
    pub name: String,
    /// One line: what must hold.
    pub statement: String,
    /// Pagination, errors, ...
    pub group: String,
    pub verdict: Verdict,
    /// Cases run (passed ones plus the failing one), shrinking not included.
    pub cases: u32,
    pub requests: u64,
    #[serde(serialize_with = "as_millis", rename = "duration_ms")]
    pub duration: Duration,
}

impl PropertyResult {
    /// `P1 forward-walk`.
    pub fn title(&self) -> String {
        format!("{} {}", self.id, self.name)
    }
}

/// The whole run.
#[derive(Debug, Clone, Serialize)]
pub struct RunSummary {
    /// What was checked: one line per API and URL, then the notes on the plan (credentials missing, the pace).
    pub targets: Vec<String>,
    pub seed: u64,
    pub cases: u32,
    pub results: Vec<PropertyResult>,
    pub requests: u64,
    #[serde(serialize_with = "as_millis", rename = "duration_ms")]
    pub duration: Duration,
    /// Whether not-applicable and inconclusive results fail the run (`--strict`).
    pub strict: bool,
    /// Why the run stopped before its end (the target stopped answering), if it did.
    pub stopped: Option<String>,
}

impl RunSummary {
    pub fn failed(&self) -> usize {
        self.results.iter().filter(|r| r.verdict.failed()).count()
    }

    pub fn passed(&self) -> usize {
        self.count(|v| matches!(v, Verdict::Passed))
    }

    pub fn count(&self, f: impl Fn(&Verdict) -> bool) -> usize {
        self.results.iter().filter(|r| f(&r.verdict)).count()
    }

    /// Cases run over all properties.
    pub fn total_cases(&self) -> u64 {
        self.results.iter().map(|r| u64::from(r.cases)).sum()
    }

    /// The APIs for which nothing was checked: every property not applicable or skipped (or none planned).
    pub fn unchecked_apis(&self) -> Vec<&str> {
        let mut apis: Vec<&str> = self.results.iter().map(|r| r.api.as_str()).collect();
        apis.dedup();
        apis.retain(|api| {
            !self
                .results
                .iter()
                .any(|r| r.api == *api && matches!(r.verdict, Verdict::Passed | Verdict::Failed(_)))
        });
        apis
    }

    /// Results that checked nothing: not applicable, skipped or inconclusive.
    pub fn not_checked(&self) -> impl Iterator<Item = &PropertyResult> {
        self.results.iter().filter(|r| r.verdict.reason().is_some())
    }

    /// The process exit code: 2 when the run stopped early or an API had nothing checked, 1 when a property failed
    /// (or, under `--strict`, was not applicable or inconclusive), 0 otherwise.
    pub fn exit_code(&self) -> u8 {
        let strict_failure = self.strict
            && self.not_checked().any(|r| {
                matches!(
                    r.verdict,
                    Verdict::NotApplicable { .. } | Verdict::Inconclusive { .. }
                )
            });
        if self.stopped.is_some() || (self.failed() == 0 && !self.unchecked_apis().is_empty()) {
            2
        } else if self.failed() > 0 || strict_failure {
            1
        } else {
            0
        }
    }
}

fn as_millis<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u64(d.as_millis() as u64)
}
