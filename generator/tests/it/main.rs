//! Generator integration tests: one binary, one module per concern.
//!
//! - `snapshots`: the whole output for every schema in `schemas/`, and the data-driven cases of `test_data/`, each
//!   through the one helper in `check`.
//! - `build_script`: what a user's `build.rs` meets: the rule vocabulary given as a schema, readable errors.
//! - `cli`: the `generator` binary's commands and exit codes.
//! - `no_panic`: random and mutated SDL never makes the generator panic.
//! - `diff`, `diff_json`, `diff_inspector` (with `diff_corpus`, `diff_rule_edits`): `generator diff` on the cases
//!   of `test_data/diff/`, its properties, its JSON report's schema, and its agreement with graphql-inspector.
//! - `e2e`: small schemas' generated code, committed and kept fresh, implemented and executed through the glue.

mod build_script;
mod check;
mod cli;
mod diff;
mod diff_corpus;
mod diff_inspector;
mod diff_json;
mod diff_rule_edits;
mod e2e;
mod no_panic;
mod snapshots;
