//! The generated code under `generated/` is committed, so that it can be read and compiled here; this test
//! regenerates it and fails when the committed text was stale, after rewriting it (rust-analyzer's
//! `ensure_file_contents`): run the tests again and commit the result.

use std::path::Path;

use generator::Source;

use crate::check::{config, crate_dir};

/// Inputs whose generated code the tests compile: every schema of `test_data/e2e/`, and the construct cases that
/// need no type from outside.
const INPUTS: &[&str] = &[
    "test_data/e2e/blog.graphql",
    "test_data/e2e/checks.graphql",
    "test_data/abstract_types.graphql",
    "test_data/collisions.graphql",
    "test_data/data_first.graphql",
    "test_data/deprecations.graphql",
    "test_data/descriptions.graphql",
    "test_data/dynamic_backend.graphql",
    "test_data/enums.graphql",
    "test_data/inputs.graphql",
    "test_data/keywords.graphql",
    "test_data/lists.graphql",
    "test_data/no_mutation.graphql",
    "test_data/required_resolvers.graphql",
];

#[test]
fn generated_code_is_fresh() {
    let mut stale = Vec::new();
    for input in INPUTS {
        let text = std::fs::read_to_string(crate_dir().join(input)).unwrap();
        let modules = config(&text)
            .generate(&[Source::new(input, text.as_str())])
            .unwrap_or_else(|e| panic!("{e}"));
        let code = modules.into_values().next().unwrap();
        let stem = Path::new(input).file_stem().unwrap().to_str().unwrap();
        let output = crate_dir().join(format!("tests/it/e2e/generated/{stem}.rs"));
        if !ensure_file_contents(&output, &code) {
            stale.push(output.display().to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "generated code was stale and has been rewritten; run the tests again and commit:\n  {}",
        stale.join("\n  ")
    );
}

/// Whether `path` already held `contents`; if not, writes them.
fn ensure_file_contents(path: &Path, contents: &str) -> bool {
    if std::fs::read_to_string(path).is_ok_and(|old| old == contents) {
        return true;
    }
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, contents).unwrap();
    false
}
