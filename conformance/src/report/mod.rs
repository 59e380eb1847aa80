//! Reporters: the terminal (progress bar, failures, summary table) always; JUnit XML, JSON and HTML files on request
//! (`--report junit=PATH`, `--report json=PATH`, `--report html=PATH`). Each consumes the runner's events.

pub mod html;
pub mod json;
pub mod junit;
pub mod terminal;

use std::path::{Path, PathBuf};
use std::str::FromStr;

use serde_json::Value;

use crate::client::Exchange;
use crate::event::Reporter;
use crate::outcome::Failure;

/// A report file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Junit,
    Json,
    Html,
}

/// `FORMAT=PATH` as given to `--report`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportSpec {
    pub format: Format,
    pub path: PathBuf,
}

impl FromStr for ReportSpec {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (format, path) = s
            .split_once('=')
            .ok_or_else(|| format!("expected FORMAT=PATH (junit, json or html), got `{s}`"))?;
        let format = match format {
            "junit" => Format::Junit,
            "json" => Format::Json,
            "html" => Format::Html,
            other => {
                return Err(format!(
                    "unknown report format `{other}`; use junit, json or html"
                ));
            }
        };
        if path.is_empty() {
            return Err(format!("`{s}` names no file"));
        }
        Ok(ReportSpec {
            format,
            path: PathBuf::from(path),
        })
    }
}

/// A report that could not be written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReportError {
    #[error("failed to write the report `{path}`")]
    Write {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("failed to render the report `{path}`: {message}")]
    Render { path: String, message: String },
}

/// The file reporter for a spec.
pub fn file_reporter(spec: &ReportSpec) -> Box<dyn Reporter> {
    match spec.format {
        Format::Junit => Box::new(junit::JunitReporter::new(spec.path.clone())),
        Format::Json => Box::new(json::JsonReporter::new(spec.path.clone())),
        Format::Html => Box::new(html::HtmlReporter::new(spec.path.clone())),
    }
}

/// Checks before a run that a report can be written at `path` (its directory made, the file opened for writing),
/// leaving no file behind that was not there.
pub fn check_writable(path: &Path) -> Result<(), ReportError> {
    let failed = |source| ReportError::Write {
        path: path.display().to_string(),
        source,
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(failed)?;
    }
    let existed = path.exists();
    std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(path)
        .map_err(failed)?;
    if !existed {
        let _ = std::fs::remove_file(path);
    }
    Ok(())
}

pub(crate) fn write(path: &Path, text: &str) -> Result<(), ReportError> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|source| ReportError::Write {
            path: path.display().to_string(),
            source,
        })?;
    }
    std::fs::write(path, text).map_err(|source| ReportError::Write {
        path: path.display().to_string(),
        source,
    })
}

/// The operation of a request: for a GraphQL request, the query, then the variables; otherwise the method and URL,
/// then the body (a REST call).
pub fn operation(exchange: &Exchange) -> String {
    let Some(body) = exchange.request.body.as_deref() else {
        return format!("{} {}", exchange.request.method, exchange.request.url);
    };
    match serde_json::from_str::<Value>(body) {
        Ok(json) if json.get("query").and_then(Value::as_str).is_some() => {
            let mut text = json["query"].as_str().unwrap_or_default().to_owned();
            if let Some(vars) = json.get("variables").filter(|v| !v.is_null()) {
                text.push_str("\nvariables: ");
                text.push_str(&vars.to_string());
            }
            text
        }
        _ => format!(
            "{} {}\n{body}",
            exchange.request.method, exchange.request.url
        ),
    }
}

/// A failure as plain text, indented by `indent`: what broke, the minimal input, the culprit request and response,
/// and a curl line per request of the minimal case.
pub fn failure_text(failure: &Failure, statement: &str, indent: &str) -> String {
    let mut out = String::new();
    let mut line = |label: &str, text: &str| {
        let mut lines = text.lines();
        out.push_str(&format!(
            "{indent}{label:<10} {}\n",
            lines.next().unwrap_or("")
        ));
        for l in lines {
            out.push_str(&format!("{indent}{:<10} {l}\n", ""));
        }
    };
    line("property:", statement);
    line("broken:", &failure.message);
    for f in &failure.findings {
        line("finding:", f);
    }
    line(
        "input:",
        &format!(
            "{} (minimal after {} shrink steps{})",
            failure.input,
            failure.shrink_steps,
            if failure.reproduced {
                ""
            } else {
                "; did NOT reproduce on replay"
            }
        ),
    );
    if let Some(culprit) = failure.culprit() {
        line("operation:", &operation(culprit));
        line("response:", &culprit.render_response(2_000));
        line("replay:", &culprit.request.curl());
        if let Some(note) = &failure.replay_note {
            line("", note);
        }
    }
    let earlier = failure.exchanges.len().saturating_sub(1);
    if earlier > 0 {
        line(
            "before it:",
            &format!("{earlier} earlier request(s) of the same case, in order:"),
        );
        for e in failure.exchanges.iter().take(earlier).rev().take(5).rev() {
            line("", &e.request.curl());
        }
        if earlier > 5 {
            line("", &format!("(and {} more before those)", earlier - 5));
        }
    }
    line("rerun:", &format!("conformance {}", failure.reproduce));
    out
}
