//! The JSON report: the [`Report`] as serde writes it, documented by `generator/diff-report.schema.json`.

use crate::diff::change::Report;

/// The report as pretty-printed JSON, ending in a newline.
pub fn json(report: &Report) -> String {
    // Every field is a string, number, list or plain struct: serialization cannot fail.
    let mut text = serde_json::to_string_pretty(report).unwrap_or_default();
    text.push('\n');
    text
}
