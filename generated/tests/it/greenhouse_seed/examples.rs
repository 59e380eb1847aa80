//! The document's example operations and printed responses against the files under `schemas/examples/`.

use std::collections::BTreeSet;
use std::path::Path;

use apollo_compiler::ast::{self};

use crate::support::{examples, read, schemas_dir};

use super::API;
use super::document::document;

/// An example operation the document prints, with the `#` comment lines right above it.
#[derive(Debug)]
struct DocumentedOperation {
    line: usize,
    printed: String,
    comments: Vec<String>,
}

/// The operation in `text` printed in a canonical form (no comments, standard layout), or `None` when `text` is not
/// a GraphQL operation.
fn canonical_operation(text: &str) -> Option<String> {
    let parsed = ast::Document::parse(text, "example.graphql").ok()?;
    let operations = parsed
        .definitions
        .iter()
        .filter(|d| d.as_operation_definition().is_some())
        .count();
    (operations == 1 && parsed.definitions.len() == 1).then(|| parsed.to_string())
}

/// The index of the line that closes the `{` block opening at `start`, ignoring braces in strings and comments.
fn block_end(lines: &[&str], start: usize) -> usize {
    let mut depth = 0i32;
    let mut in_string = false;
    for (i, line) in lines.iter().enumerate().skip(start) {
        let mut escaped = false;
        for c in line.chars() {
            if in_string {
                match c {
                    _ if escaped => escaped = false,
                    '\\' => escaped = true,
                    '"' => in_string = false,
                    _ => {}
                }
                continue;
            }
            match c {
                '"' => in_string = true,
                '#' => break,
                '{' => depth += 1,
                '}' => depth -= 1,
                _ => {}
            }
        }
        if depth == 0 && i >= start && lines[start..=i].iter().any(|l| l.contains('{')) {
            return i;
        }
    }
    panic!("the block at line {} never closes", start + 1);
}

/// The `#` lines right above line `start` (blank lines between them and the code allowed).
fn comments_above(lines: &[&str], start: usize) -> Vec<String> {
    let mut i = start;
    while i > 0 && lines[i - 1].trim().is_empty() {
        i -= 1;
    }
    let end = i;
    while i > 0 && lines[i - 1].starts_with('#') {
        i -= 1;
    }
    lines[i..end]
        .iter()
        .map(|l| l.trim_end().to_string())
        .collect()
}

/// The document's example operations in order, and its printed JSON responses.
///
/// Operations are the blocks that parse as GraphQL (`{`, `mutation {`, `query`), plus the queries of request
/// payloads (`{"query": ...}` and curl's `-d '...'`) unless the payload repeats the operation just before it (the
/// basic request is printed raw, packed as JSON and in a curl line). Responses are the JSON blocks with `data` or
/// `errors`.
fn documented_examples(text: &str) -> (Vec<DocumentedOperation>, Vec<serde_json::Value>) {
    let lines: Vec<&str> = text.lines().collect();
    let mut operations: Vec<DocumentedOperation> = Vec::new();
    let mut responses = Vec::new();
    let payload =
        |operations: &mut Vec<DocumentedOperation>, line: usize, json: &serde_json::Value| {
            let query = json["query"]
                .as_str()
                .expect("a request payload has a query string");
            let printed = canonical_operation(query)
                .unwrap_or_else(|| panic!("line {}: bad query in payload", line + 1));
            if operations
                .last()
                .is_none_or(|previous| previous.printed != printed)
            {
                operations.push(DocumentedOperation {
                    line: line + 1,
                    printed,
                    comments: Vec::new(),
                });
            }
        };
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let opens_block = line.trim_end() == "{"
            || line.starts_with("{\"")
            || line.starts_with("mutation {")
            || line.starts_with("query ")
            || line.starts_with("query{");
        if opens_block {
            let end = block_end(&lines, i);
            let block = lines[i..=end].join("\n");
            if let Some(printed) = canonical_operation(&block) {
                operations.push(DocumentedOperation {
                    line: i + 1,
                    printed,
                    comments: comments_above(&lines, i),
                });
            } else if let Ok(json) = serde_json::from_str::<serde_json::Value>(&block) {
                if json.get("query").is_some() {
                    payload(&mut operations, i, &json);
                } else if json.get("data").is_some() || json.get("errors").is_some() {
                    responses.push(json);
                }
            }
            i = end + 1;
            continue;
        }
        if let Some(start) = line.find("-d '") {
            let body = &line[start + 4..];
            let body = &body[..body.rfind('\'').expect("a curl -d body ends with a quote")];
            let json: serde_json::Value =
                serde_json::from_str(body).expect("a curl -d body is JSON");
            payload(&mut operations, i, &json);
        }
        i += 1;
    }
    (operations, responses)
}

#[test]
fn the_example_files_are_the_documents_examples_in_order() {
    let (documented, _) = documented_examples(&document());
    let files = examples(API);
    assert!(
        documented.len() >= 30,
        "only {} example operations found in the document",
        documented.len()
    );
    assert_eq!(
        files.len(),
        documented.len(),
        "{} example files for {} documented operations (at lines {:?})",
        files.len(),
        documented.len(),
        documented.iter().map(|d| d.line).collect::<Vec<_>>()
    );
    let mut problems = Vec::new();
    for (k, (file, doc)) in files.iter().zip(&documented).enumerate() {
        let name = file
            .path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        if !name.starts_with(&format!("{:03}_", k + 1)) {
            problems.push(format!("{name}: should be numbered {:03}", k + 1));
        }
        match canonical_operation(&file.operation) {
            Some(printed) if printed == doc.printed => {}
            Some(printed) => problems.push(format!(
                "{name} differs from line {}:\n{printed}\n---\n{}",
                doc.line, doc.printed
            )),
            None => problems.push(format!("{name}: not one operation")),
        }
        let header: Vec<String> = file
            .operation
            .lines()
            .take_while(|l| l.starts_with('#'))
            .map(|l| l.trim_end().to_string())
            .collect();
        if !doc.comments.is_empty() && header != doc.comments {
            problems.push(format!(
                "{name}: comment header {header:?}, the document has {:?}",
                doc.comments
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_response_files_are_the_documents_responses() {
    let (_, documented) = documented_examples(&document());
    assert!(
        documented.len() >= 6,
        "only {} responses found in the document",
        documented.len()
    );
    let dir = schemas_dir().join("examples").join(API);
    let stems: BTreeSet<String> = examples(API)
        .iter()
        .map(|e| e.path.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    let mut saved = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !name.ends_with(".response.json") {
            continue;
        }
        let example = name.split('.').next().unwrap();
        assert!(
            stems.contains(example),
            "{name} belongs to no example ({example}.graphql)"
        );
        let json: serde_json::Value = serde_json::from_str(&read(Path::new(&path)))
            .unwrap_or_else(|e| panic!("{name} is not valid JSON: {e}"));
        assert!(
            documented.contains(&json),
            "{name} is not a response the document prints"
        );
        saved.push(json);
    }
    for response in &documented {
        assert!(
            saved.contains(response),
            "the document's response {response} is saved in no .response.json file"
        );
    }
}
