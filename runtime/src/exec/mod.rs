//! Execution of prepared operations with the generated glue: the fast executor ([`execute`]), which walks a plan
//! cached per prepared operation and writes the response's JSON directly, and the reference executor
//! ([`execute_reference`], apollo-compiler's resolvers) for what the fast one does not cover and for the differential
//! tests.

mod arguments;
mod fast;
mod glue;
mod plan;
mod reference;
mod shape;

pub use fast::{
    At, Complete, Completed, Exec, Executions, LeafShape, Propagate, execute, executions,
};
pub use glue::{ObjectData, leaf_shaped};
pub(crate) use plan::PlanCache;
pub use plan::{ObjectTable, PlannedField, SchemaTable, SelectionSet, TYPENAME};
pub use reference::{
    ExecContext, NoRoot, Object, Resolve, Resolved, Wrapped, execute as execute_apollo,
    execute_with as execute_reference, leaf,
};
pub use shape::{Boxed, Leaf, List, Opt, Plain};
