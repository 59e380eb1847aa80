//! One integration-test binary for the schemas and the code generated from them.

mod greenhouse_seed;
mod healthmov_seed;
mod schemas;
mod support;
mod workable_seed;
mod worksome_seed;
