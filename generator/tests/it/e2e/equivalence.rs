//! Differential tests: random operations, valid by construction (random fields, arguments from fixtures or
//! literals, aliases, fragments, `@skip`/`@include`, variables), executed by the fast executor (`execute`) and by the
//! reference executor (`execute_reference`, apollo-compiler's resolvers) must give the same response, byte for byte:
//! data, errors (code, message, extensions, locations, path) and null propagation.

use std::collections::HashMap;

use runtime::engine::{Engine, Limits, Prepared};
use runtime::response::{JsonMap, Response};
use runtime::testing::{Options, compare, random_operation};
use serde_json::{Value, json};

/// Operations per schema.
const CASES: u64 = 400;

fn limits() -> Limits {
    Limits {
        max_bytes: 1 << 20,
        max_tokens: 100_000,
        max_depth: 64,
        max_fields: 1_000_000,
        max_aliases: 10_000,
        max_directives: 10_000,
        ..Limits::default()
    }
}

/// Runs `CASES` random operations of `engine`'s schema through both executors (`run(prepared, variables, fast)`)
/// and fails on the first difference, showing the operation.
fn check(
    name: &str,
    engine: &Engine,
    options: &Options,
    run: impl Fn(&Prepared, &JsonMap, bool) -> Response,
) {
    let before = runtime::exec::executions();
    let (mut with_errors, mut null_data) = (0, 0);
    for seed in 0..CASES {
        let operation = random_operation(engine.schema(), seed, options);
        let prepared = engine.prepare(&operation.text).unwrap_or_else(|errors| {
            panic!(
                "{name} #{seed}: the random operation is invalid: {errors:?}\n{}",
                operation.text
            )
        });
        let variables: JsonMap =
            serde_json::from_value(Value::Object(operation.variables.clone())).unwrap();
        let fast = run(&prepared, &variables, true);
        let reference = run(&prepared, &variables, false);
        with_errors += usize::from(!fast.errors.is_empty());
        null_data += usize::from(fast.data.as_ref().is_some_and(|d| d.as_str() == "null"));
        if std::env::var_os("SHOW_OPERATIONS").is_some() && seed < 5 {
            println!(
                "{}\n{}\n",
                operation.text,
                serde_json::to_string(&fast).unwrap()
            );
        }
        if let Err(difference) = compare(&fast, &reference) {
            panic!(
                "{name} #{seed}: the executors differ\n{}\nvariables: {}\n{difference}",
                operation.text,
                Value::Object(operation.variables)
            );
        }
    }
    let after = runtime::exec::executions();
    let fast = after.fast - before.fast;
    let fallback = after.reference - before.reference;
    println!(
        "{name}: {CASES} operations ({with_errors} with errors, {null_data} with null data), {fast} by the fast \
         executor, {fallback} fell back to the reference one"
    );
    assert!(
        fast >= CASES * 6 / 10,
        "{name}: only {fast} of {CASES} operations ran through the fast executor"
    );
}

fn fixtures(entries: &[(&str, Value)]) -> HashMap<String, Vec<Value>> {
    entries
        .iter()
        .map(|(path, values)| {
            let values = values.as_array().cloned().unwrap_or_default();
            (path.to_string(), values)
        })
        .collect()
}

#[test]
fn blog() {
    use super::blog::generated::{engine, execute, execute_reference};
    let engine = engine(limits());
    let options = Options {
        mutations: true,
        arguments: fixtures(&[
            ("Query.post.id", json!(["p1", "p2", "p3", "nope"])),
            ("Query.node.id", json!(["a1", "a2", "p1", "p3", "zz"])),
            ("Query.search.text", json!(["r", "e", "", "Help"])),
            (
                "Query.publishedOn.date",
                json!(["2024-01-02", "2024-03-04", "2024-13-45"]),
            ),
            ("Query.posts.limit", json!([1, 2, 10])),
            ("Mutation.updatePost.id", json!(["p1", "p2", "x"])),
            ("Author.posts.titlePrefix", json!(["H", "O", null])),
            ("Post.comments.first", json!([1, 2, 3])),
            ("Post.comments.after", json!([0, 1, 5])),
        ]),
        scalars: fixtures(&[
            ("Date", json!(["2024-01-02", "2025-05-06", "no date"])),
            ("JSON", json!([1, {"a": [1, null]}, "s", [1, 2], null])),
        ]),
        ..Options::default()
    };
    check("blog", &engine, &options, |prepared, variables, fast| {
        let blog = super::blog::blog();
        let future = async {
            if fast {
                execute(&blog, &engine, prepared, None, variables).await
            } else {
                execute_reference(&blog, &engine, prepared, None, variables).await
            }
        };
        futures::executor::block_on(future)
    });
}

#[test]
fn lists() {
    use super::compiled::lists::{engine, execute, execute_reference};
    let engine = engine(limits());
    let options = Options {
        max_depth: 2,
        ..Options::default()
    };
    check("lists", &engine, &options, |prepared, variables, fast| {
        let lists = super::lists::Lists;
        let future = async {
            if fast {
                execute(&lists, &engine, prepared, None, variables).await
            } else {
                execute_reference(&lists, &engine, prepared, None, variables).await
            }
        };
        futures::executor::block_on(future)
    });
}

#[test]
fn checks() {
    use super::checks::{Checks, engine, execute, execute_reference};
    let engine = engine(limits());
    let options = Options {
        max_depth: 5,
        arguments: fixtures(&[
            ("Query.box.depth", json!([0, 1, 2, 3])),
            ("Query.boxes.depth", json!([0, 1, 2])),
            (
                "Query.things.numbers",
                json!([[1, 2, -1, 3], [0, 5, 7], [4]]),
            ),
            ("Query.grid.rows", json!([[[1, 3], null, [2]], [[4]], []])),
            ("Box.items.fail", json!([-1, 0, 2])),
            ("Box.nullableItems.fail", json!([-1, 0])),
            ("Box.nullableItems.missing", json!([0, 1, 5])),
        ]),
        scalars: fixtures(&[("JSON", json!([1, {"a": [1, null]}, null]))]),
        ..Options::default()
    };
    check("checks", &engine, &options, |prepared, variables, fast| {
        let future = async {
            if fast {
                execute(&Checks, &engine, prepared, None, variables).await
            } else {
                execute_reference(&Checks, &engine, prepared, None, variables).await
            }
        };
        futures::executor::block_on(future)
    });
}
