//! What every error entry of a reply must be, whichever property got it: E1's shape and E3's documented codes.

use runtime::rules::ErrorStyle;
use serde_json::Value;

use crate::ensure;
use crate::graphql::{Reply, error_code};
use crate::property::{CaseResult, Context};

/// E1 on one reply: the shape of every error entry.
pub fn check_entries(cx: &Context<'_>, reply: &Reply) -> CaseResult {
    let style = cx.rules.error_format.as_ref().map(|f| f.style);
    for (i, error) in reply.errors().iter().enumerate() {
        ensure!(error.is_object(), "errors[{i}] is not an object");
        ensure!(
            error
                .get("message")
                .and_then(Value::as_str)
                .is_some_and(|m| !m.trim().is_empty()),
            "errors[{i}] has no non-empty string `message`"
        );
        if let Some(locations) = error.get("locations") {
            let ok = locations.as_array().is_some_and(|list| {
                list.iter().all(|l| {
                    ["line", "column"]
                        .iter()
                        .all(|k| l.get(k).and_then(Value::as_u64).is_some_and(|n| n >= 1))
                })
            });
            ensure!(
                ok,
                "errors[{i}].locations is not a list of {{line, column}} positive integers: {locations}"
            );
        }
        if let Some(path) = error.get("path") {
            let ok = path
                .as_array()
                .is_some_and(|p| p.iter().all(|s| s.is_string() || s.is_u64()));
            ensure!(
                ok,
                "errors[{i}].path is not a list of field names and indices: {path}"
            );
        }
        if let Some(extensions) = error.get("extensions") {
            ensure!(
                extensions.is_object(),
                "errors[{i}].extensions is not an object"
            );
        }
        match style {
            Some(ErrorStyle::ErrorCodeField) => ensure!(
                error.get("errorCode").and_then(Value::as_str).is_some(),
                "errors[{i}] has no string `errorCode` (the API's error format puts the code there): {error}"
            ),
            Some(ErrorStyle::ExtensionsCode) => ensure!(
                error
                    .get("extensions")
                    .and_then(|x| x.get("code"))
                    .and_then(Value::as_str)
                    .is_some(),
                "errors[{i}] has no string `extensions.code`: {error}"
            ),
            _ => {}
        }
    }
    Ok(())
}

/// E3 on one reply: every code documented.
pub fn check_codes(cx: &Context<'_>, reply: &Reply) -> CaseResult {
    let Some(format) = &cx.rules.error_format else {
        return Ok(());
    };
    if format.codes.is_empty() {
        return Ok(());
    }
    for (i, error) in reply.errors().iter().enumerate() {
        if let Some(code) = error_code(error, cx.rules) {
            ensure!(
                format.codes.iter().any(|c| *c == code),
                "errors[{i}] has the code `{code}`, which the document does not name (documented: {})",
                format.codes.join(", ")
            );
        }
    }
    Ok(())
}
