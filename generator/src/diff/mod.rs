//! Schema review: a classified diff of two versions of an API's schema, types and rules alike, with what each
//! change breaks (documented example operations, the generated Rust API), rendered for a terminal, a pull request
//! (Markdown) or a machine (JSON).

mod change;
mod compare;
mod operations;
mod render;
mod rules;
mod rust_api;
mod types;

pub use change::{
    AllowList, Change, Criticality, OperationImpact, Report, RustApi, RustChange, Semver,
};
pub use compare::{Examples, Options, diff};
pub use render::{json, markdown, terminal};
