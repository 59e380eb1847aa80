//! What the runner tells reporters as a run goes (the nextest shape: the runner emits events, reporters consume them).

use crate::outcome::{PropertyResult, RunSummary};

/// One thing that happened.
#[derive(Debug)]
#[non_exhaustive]
pub enum Event<'a> {
    /// The run begins: the targets, what the user should know about the plan (APIs left out, credentials missing, the
    /// pace), and how many properties and cases are planned.
    RunStarted {
        targets: &'a [String],
        notes: &'a [String],
        properties: usize,
        planned_cases: u64,
    },
    /// A property begins.
    PropertyStarted {
        api: &'a str,
        id: &'a str,
        name: &'a str,
        planned_cases: u32,
    },
    /// One case of the current property ran (shrinking steps included).
    CaseFinished { requests: u64 },
    /// A property has its verdict.
    PropertyFinished { result: &'a PropertyResult },
    /// The run is over.
    RunFinished { summary: &'a RunSummary },
}

/// Consumes events. Reporters that write files do it on [`Event::RunFinished`] and report failure from
/// [`Reporter::finish`].
pub trait Reporter {
    fn on_event(&mut self, event: &Event<'_>);

    /// Called once after the run; a reporter that could not write its output says so here.
    fn finish(&mut self) -> Result<(), crate::report::ReportError> {
        Ok(())
    }
}
