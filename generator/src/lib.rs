//! Code generation from GraphQL SDL to Rust: types, resolver traits, execution glue and rules tables.
