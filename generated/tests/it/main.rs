//! One integration-test binary for the schemas and the code generated from them.

mod schemas;
mod support;
