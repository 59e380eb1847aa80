//! The JUnit XML report (the format CI systems read): one test suite per API, one test case per property; a failed
//! property carries its message and the full failure text, a skipped or not-applicable one its reason.

use std::path::PathBuf;

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

use crate::event::{Event, Reporter};
use crate::outcome::Verdict;
use crate::report::ReportError;

/// Writes `--report junit=PATH`.
#[derive(Debug)]
pub struct JunitReporter {
    path: PathBuf,
    text: Option<Result<String, String>>,
}

impl JunitReporter {
    pub fn new(path: PathBuf) -> Self {
        JunitReporter { path, text: None }
    }
}

impl Reporter for JunitReporter {
    fn on_event(&mut self, event: &Event<'_>) {
        let Event::RunFinished { summary } = event else {
            return;
        };
        let mut report = Report::new("conformance");
        report.set_time(summary.duration);
        let mut apis: Vec<&str> = summary.results.iter().map(|r| r.api.as_str()).collect();
        apis.dedup();
        for api in apis {
            let mut suite = TestSuite::new(api);
            for r in summary.results.iter().filter(|r| r.api == api) {
                let status = match &r.verdict {
                    Verdict::Passed => TestCaseStatus::success(),
                    Verdict::Failed(f) => {
                        let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
                        s.set_message(f.message.lines().next().unwrap_or_default().to_owned());
                        s.set_type(r.group.clone());
                        s.set_description(super::failure_text(f, &r.statement, ""));
                        s
                    }
                    Verdict::Inconclusive { reason } => {
                        let mut s = TestCaseStatus::non_success(NonSuccessKind::Error);
                        s.set_message(reason.clone());
                        s
                    }
                    Verdict::NotApplicable { reason } | Verdict::Skipped { reason } => {
                        let mut s = TestCaseStatus::skipped();
                        s.set_message(reason.clone());
                        s
                    }
                };
                let mut case = TestCase::new(r.title(), status);
                case.set_classname(format!("{api}.{}", r.group.replace(' ', "_")));
                case.set_time(r.duration);
                case.set_system_out(format!(
                    "{}\ncases: {}, requests: {}",
                    r.statement, r.cases, r.requests
                ));
                suite.add_test_case(case);
            }
            report.add_test_suite(suite);
        }
        self.text = Some(report.to_string().map_err(|e| e.to_string()));
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
