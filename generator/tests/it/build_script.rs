//! What a user's `build.rs` meets: the rule vocabulary passed as a schema is named and explained, and an error shows
//! its problems with file, line and column whether printed, returned from `main` or unwrapped.

use std::path::Path;

use crate::check::crate_dir;

fn schema(name: &str) -> generator::Source {
    let path = crate_dir().join("../schemas").join(name);
    let text = std::fs::read_to_string(&path).unwrap();
    generator::Source::new(Path::new("schemas").join(name), text)
}

#[test]
fn the_rule_vocabulary_given_as_a_schema_is_named_and_explained() {
    let result = generator::Config::new().generate(&[
        schema("healthmov_user_management.graphql"),
        schema("rules.graphql"),
    ]);
    let Err(generator::Error::Schema { problems }) = result else {
        panic!("expected a schema problem, got {result:?}");
    };
    let [problem] = &problems[..] else {
        panic!("expected one problem, got {problems:?}");
    };
    assert_eq!(problem.file, Path::new("schemas/rules.graphql"));
    // At the name of `directive @api`, which makes the file the vocabulary.
    let vocabulary = std::fs::read_to_string(crate_dir().join("../schemas/rules.graphql")).unwrap();
    let api_line = vocabulary
        .lines()
        .position(|l| l.starts_with("directive @api("))
        .unwrap();
    assert_eq!((problem.line, problem.column), (api_line + 1, 12));
    assert!(
        problem
            .message
            .contains("the generator adds it to every schema automatically")
            && problem
                .message
                .contains("leave `schemas/rules.graphql` out of the files to generate"),
        "{}",
        problem.message
    );
}

#[test]
fn a_schema_that_declares_the_vocabulary_itself_is_still_a_schema() {
    let text = format!(
        "{}\nschema @api(name: \"own\", title: \"Own\", document: \"own.txt\", transport: GRAPHQL, path: \"/own\") \
         {{ query: Query }}\ntype Query {{ ok: Boolean }}\n",
        generator::RULE_VOCABULARY
    );
    let modules = generator::Config::new()
        .generate(&[generator::Source::new("own.graphql", text)])
        .unwrap();
    assert_eq!(modules.keys().next().unwrap().0, "own");
}

#[test]
fn an_error_debugs_as_its_message() {
    let error = generator::Config::new()
        .generate(&[generator::Source::new(
            "broken.graphql",
            "type Query { a: Missing }\n",
        )])
        .unwrap_err();
    let debug = format!("{error:?}");
    assert_eq!(debug, error.to_string());
    assert!(
        debug.starts_with("1 schema problem; fix them and run again:\n  broken.graphql:1:"),
        "{debug}"
    );
}
