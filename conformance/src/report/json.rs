//! The JSON report: the run summary with every property's verdict and, for failures, the minimal case's requests
//! and responses.

use std::path::PathBuf;

use crate::event::{Event, Reporter};
use crate::report::ReportError;

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
            self.text = Some(serde_json::to_string_pretty(summary).map_err(|e| e.to_string()));
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
