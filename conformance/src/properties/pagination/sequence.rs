//! A walk's keys against a reference walk's, for every pagination style: the first key walked twice, and the first
//! position where two walks differ.

use serde_json::Value;

use crate::property::CaseError;

/// The first key that occurs twice, if any.
pub fn first_duplicate(keys: &[Value]) -> Option<&Value> {
    let mut seen = std::collections::HashSet::new();
    keys.iter().find(|k| !seen.insert(k.to_string()))
}

/// Fails unless a walk's keys are the reference's, naming the first position where they differ.
pub fn same_sequence(
    field: &str,
    what: &str,
    got: &[Value],
    expected: &[Value],
) -> Result<(), CaseError> {
    if got == expected {
        return Ok(());
    }
    let at = got
        .iter()
        .zip(expected)
        .position(|(a, b)| a != b)
        .unwrap_or(got.len().min(expected.len()));
    Err(CaseError::fail(format!(
        "a {what} of `{field}` gives {} nodes where the reference walk gives {}; they differ first at position {at}: {} instead of {}",
        got.len(),
        expected.len(),
        got.get(at).map_or("nothing".to_owned(), Value::to_string),
        expected
            .get(at)
            .map_or("nothing".to_owned(), Value::to_string),
    )))
}
