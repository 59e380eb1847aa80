//! Every example operation of the Greenhouse document runs against the server and returns the documented shape:
//! one snapshot per example, with volatile values (timestamps) redacted.

use std::path::Path;

use serde_json::Value;

use crate::support::*;

#[tokio::test]
async fn every_greenhouse_example_runs() {
    let dir =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas/examples/greenhouse_onboarding");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "graphql"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 30, "{} examples", paths.len());
    for path in paths {
        // Each example on a fresh server, so that mutations of one do not change the next.
        let app = app();
        let query = std::fs::read_to_string(&path).unwrap();
        let variables_path = path.with_extension("json");
        let variables: Value = if variables_path.exists() {
            serde_json::from_str(&std::fs::read_to_string(variables_path).unwrap()).unwrap()
        } else {
            Value::Null
        };
        let reply = graphql(&app, Some(&greenhouse_auth()), &query, variables).await;
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let documented_error = reply.body["errors"]
            .as_array()
            .is_some_and(|errors| errors.iter().all(|e| e["errorCode"] == "NotFound"));
        assert!(
            reply.body.get("errors").is_none() || documented_error,
            "{name}: {}",
            reply.body
        );
        let documented = path.with_extension("response.json");
        if documented.exists() {
            let documented: Value =
                serde_json::from_str(&std::fs::read_to_string(&documented).unwrap()).unwrap();
            if let Err(difference) = same_shape(&documented, &reply.body, "") {
                panic!(
                    "{name}: the shape differs from the document's at {difference}\n{}",
                    reply.body
                );
            }
        }
        insta::assert_json_snapshot!(name, reply.body, {
            ".**.createdAt" => "[datetime]",
            ".**.updatedAt" => "[datetime]",
            ".**.valueUpdatedAt" => "[datetime]",
            ".**.resetAt" => "[datetime]",
            ".**.expiresAt" => "[datetime]",
            ".**.fileUrl" => "[url]",
        });
    }
}

/// Whether `actual` has the documented shape: the same keys, and values of the same JSON kinds (arrays compared by
/// their first item; a documented null accepts anything, since a null documents only the key).
fn same_shape(documented: &Value, actual: &Value, at: &str) -> Result<(), String> {
    match (documented, actual) {
        (Value::Null, _) => Ok(()),
        (Value::Object(d), Value::Object(a)) => {
            for (key, value) in d {
                let here = format!("{at}.{key}");
                same_shape(value, a.get(key).ok_or(format!("{here} (missing)"))?, &here)?;
            }
            match a.keys().find(|k| !d.contains_key(*k)) {
                Some(extra) => Err(format!("{at}.{extra} (not documented)")),
                None => Ok(()),
            }
        }
        (Value::Array(d), Value::Array(a)) => match (d.first(), a.first()) {
            (Some(d), Some(a)) => same_shape(d, a, &format!("{at}[0]")),
            _ => Ok(()),
        },
        (d, a) if std::mem::discriminant(d) == std::mem::discriminant(a) => Ok(()),
        _ => Err(format!("{at} ({documented} vs {actual})")),
    }
}
