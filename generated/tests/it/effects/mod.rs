//! The mutation-semantics declarations (`@effect`, `@entity`, `@relation`, `@account`) read from a schema and
//! checked against its types: every path resolves, every write fits its field, every read-back field returns the
//! entity. Generic: no API's names appear here.

mod check;
mod declarations;
mod mutations;
#[cfg(test)]
mod tests;
mod types;

pub use declarations::{Effect, effects, invariants};
