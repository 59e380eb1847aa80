//! A generic entity store that executes the mutation semantics of a rules table (`@effect`, `@entity`,
//! `@relation`, `@account`; see the last section of `schemas/rules.graphql`) and serves reads and writes of any
//! schema declaring them, with no API's names: entities are JSON objects kept by type and id, and the store is the
//! backend of the API's module generated with `Config::dynamic_backend` (`graph`): the generated code executes each
//! operation, coerces arguments into its typed inputs and reads every answer into its typed outputs, so an API
//! needs no resolver per field.

mod effects;
mod graph;
mod model;
mod paging;
mod paths;
mod store;
mod writes;

#[cfg(test)]
mod tests;

pub use effects::{Caller, Defects, Refusal};
pub use graph::StoreBackend;
pub use model::Model;
pub use paging::PagingDefects;
pub use store::{Data, Store, StoreError};
