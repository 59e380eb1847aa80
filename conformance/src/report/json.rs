//! The JSON report: the run summary with every property's verdict and, for failures, the minimal case's requests
//! and responses.

use std::path::PathBuf;

use serde::Serialize;

use crate::event::{Event, Reporter};
use crate::outcome::RunSummary;
use crate::report::ReportError;

/// The version of the report's shape (the README documents it); raised when a field changes meaning or goes away.
pub const SCHEMA_VERSION: u32 = 1;

/// The report: the summary's fields next to `schema_version`.
#[derive(Serialize)]
struct Report<'a> {
    schema_version: u32,
    #[serde(flatten)]
    summary: &'a RunSummary,
}

/// Writes `--report json=PATH`.
#[derive(Debug)]
pub struct JsonReporter {
    path: PathBuf,
    text: Option<Result<String, String>>,
}

impl JsonReporter {
    pub fn new(path: PathBuf) -> Self {
        JsonReporter { path, text: None }
    }
}

impl Reporter for JsonReporter {
    fn on_event(&mut self, event: &Event<'_>) {
        if let Event::RunFinished { summary } = event {
            let report = Report {
                schema_version: SCHEMA_VERSION,
                summary,
            };
            self.text = Some(serde_json::to_string_pretty(&report).map_err(|e| e.to_string()));
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
