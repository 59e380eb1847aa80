//! X1: every documented example operation (`schemas/examples/<api>/`) runs against the target, and where the
//! document shows a response (`NAME.response.json`), the response has its shape: the same keys, the same JSON types,
//! the same error codes. Values are not compared (they depend on the data); a documented `null` matches anything.

use generated::examples::{EXAMPLES, Example};
use serde_json::Value;

use crate::graphql::error_code;
use crate::outcome::{Failure, Verdict};
use crate::property::{Case, CaseError, Check, Context, Group, Property};
use crate::shape::kind;

pub static X1: Property = Property {
    id: "X1",
    name: "documented-examples",
    statement: "Every documented example operation runs, and its response has the documented shape (keys, JSON types, error codes); against a target, an example whose ids the target does not have is inconclusive, and documented mutations are sent only when writing is allowed.",
    group: Group::Examples,
    writes: false,
    max_cases: None,
    run,
};

fn run(cx: &Context<'_>) -> Check {
    let examples: Vec<_> = EXAMPLES.iter().filter(|e| e.api == cx.rules.name).collect();
    if examples.is_empty() {
        return Check::not_applicable("the API has no documented examples");
    }
    let mut findings = Vec::new();
    let mut first_failure: Option<(String, Vec<crate::client::Exchange>)> = None;
    let mut unknown_ids = Vec::new();
    let mut cases = 0;
    for Example {
        name,
        operation,
        variables,
        response,
        ..
    } in examples
    {
        let is_mutation = operation
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty() && !l.starts_with('#'))
            .is_some_and(|l| l.starts_with("mutation"));
        if is_mutation && cx.settings.read_only {
            continue;
        }
        cases += 1;
        let case = Case::new(cx);
        let result = run_one(&case, name, operation, *variables, *response);
        // Against a target, the example's ids are the document's, not the target's data: an unknown id says nothing
        // about the target (the embedded server holds the documented ids, so there it stays a failure).
        if result.is_err() && !cx.target.embedded && ids_unknown(&case, *response) {
            unknown_ids.push(*name);
            continue;
        }
        (cx.emit)(&crate::event::Event::CaseFinished {
            requests: cx.client.requests_sent(),
        });
        match result {
            Ok(()) => {}
            Err(CaseError::Fail(message)) => {
                findings.push(format!("{name}: {message}"));
                if first_failure.is_none() {
                    first_failure = Some((format!("{name}: {message}"), case.exchanges()));
                }
            }
            Err(CaseError::Reject(reason)) | Err(CaseError::Inconclusive(reason)) => {
                return Check::inconclusive(reason, cases);
            }
        }
    }
    match first_failure {
        None if !unknown_ids.is_empty() => Check::inconclusive(
            format!(
                "{} example(s) name ids that the target does not have: {}",
                unknown_ids.len(),
                unknown_ids.join(", ")
            ),
            cases,
        ),
        None => Check {
            verdict: Verdict::Passed,
            cases,
        },
        Some((message, exchanges)) => Check {
            verdict: Verdict::Failed(Box::new(Failure {
                message: format!(
                    "{} example(s) differ from the document; first: {message}",
                    findings.len()
                ),
                input: "(the documented examples, each once)".to_owned(),
                findings,
                exchanges,
                shrink_steps: 0,
                reproduce: cx.reproduce(),
                reproduced: true,
                replay_note: None,
            })),
            cases,
        },
    }
}

/// Whether the example's last answer was only the API's not-found error, where the document shows none.
fn ids_unknown(case: &Case<'_, '_>, documented: Option<&str>) -> bool {
    let rules = case.cx.rules;
    let Some(not_found) = crate::graphql::not_found_code(rules) else {
        return false;
    };
    if documented.is_some_and(|d| d.contains(not_found)) {
        return false;
    }
    let Some(body) = case
        .exchanges()
        .last()
        .and_then(|e| e.ok().and_then(|r| r.json()))
    else {
        return false;
    };
    let errors = body
        .get("errors")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    !errors.is_empty()
        && errors
            .iter()
            .all(|e| error_code(e, rules).as_deref() == Some(not_found))
}

fn run_one(
    case: &Case<'_, '_>,
    name: &str,
    operation: &str,
    variables: Option<&str>,
    documented: Option<&str>,
) -> Result<(), CaseError> {
    let variables =
        match variables {
            Some(text) => Some(serde_json::from_str::<Value>(text).map_err(|e| {
                CaseError::fail(format!("the example's variables are not JSON: {e}"))
            })?),
            None => None,
        };
    // An API module fills the placeholders its document leaves in the variables.
    let (credential, variables) = match &*case.cx.rules.name {
        "healthmov_user_management" => {
            let input = super::healthmov::examples::prepare(case, name, variables)?;
            (input.credential, input.variables)
        }
        _ => (case.cx.target.primary().cloned(), variables),
    };
    let reply = case.graphql(credential.as_ref(), operation, variables.as_ref())?;
    let Some(documented) = documented else {
        // No documented response: the operation must run without errors.
        if reply.has_errors() {
            return Err(CaseError::fail(format!(
                "the documented operation fails: {}",
                reply.error_digest(case.cx.rules)
            )));
        }
        return Ok(());
    };
    let documented: Value = serde_json::from_str(documented)
        .map_err(|e| CaseError::fail(format!("the documented response is not JSON: {e}")))?;
    if let Some(data) = documented.get("data") {
        let got = reply.body.get("data").unwrap_or(&Value::Null);
        let mut differences = Vec::new();
        same_shape(data, got, "data", &mut differences);
        if let Some(first) = differences.first() {
            return Err(CaseError::fail(format!(
                "the response's shape differs from the document: {first}{}",
                if differences.len() > 1 {
                    format!(" (and {} more)", differences.len() - 1)
                } else {
                    String::new()
                }
            )));
        }
    }
    match documented.get("errors").and_then(Value::as_array) {
        Some(errors) => {
            for e in errors {
                if let Some(code) = error_code(e, case.cx.rules) {
                    crate::ensure!(
                        reply.has_code(case.cx.rules, &code),
                        "the document shows the error code `{code}`; got {}",
                        reply.error_digest(case.cx.rules)
                    );
                }
                for key in ["locations", "path"] {
                    if e.get(key).is_some() {
                        crate::ensure!(
                            reply.errors().iter().any(|g| g.get(key).is_some()),
                            "the documented error has `{key}`; no error here has it"
                        );
                    }
                }
            }
        }
        None => crate::ensure!(
            !reply.has_errors(),
            "the document shows no errors; got {}",
            reply.error_digest(case.cx.rules)
        ),
    }
    Ok(())
}

/// Compares the shape of `got` with the documented `expected`, collecting differences.
fn same_shape(expected: &Value, got: &Value, at: &str, out: &mut Vec<String>) {
    match (expected, got) {
        (Value::Null, _) => {}
        (_, Value::Null) => out.push(format!(
            "`{at}` is null; the document shows {}",
            kind(expected)
        )),
        (Value::Object(e), Value::Object(g)) => {
            for (k, v) in e {
                match g.get(k) {
                    Some(gv) => same_shape(v, gv, &format!("{at}.{k}"), out),
                    None => out.push(format!("`{at}.{k}` is missing")),
                }
            }
            for k in g.keys().filter(|k| !e.contains_key(*k)) {
                out.push(format!("`{at}.{k}` is not in the document"));
            }
        }
        (Value::Array(e), Value::Array(g)) => {
            if let Some(first) = e.first() {
                for (i, item) in g.iter().enumerate() {
                    same_shape(e.get(i).unwrap_or(first), item, &format!("{at}[{i}]"), out);
                }
            }
        }
        (Value::Number(_), Value::Number(_))
        | (Value::String(_), Value::String(_))
        | (Value::Bool(_), Value::Bool(_)) => {}
        _ => out.push(format!(
            "`{at}` is {}; the document shows {}",
            kind(got),
            kind(expected)
        )),
    }
}
