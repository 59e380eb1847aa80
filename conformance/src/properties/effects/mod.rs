//! Mutation semantics checked from the declarations (`@effect`, `@entity`, `@account`, `@invariant`; the
//! "Mutation semantics" section of `schemas/rules.graphql`), for any API that declares them, with no API's names:
//! the world is discovered through the declared lists and lookups ([`read`], [`world`]), calls are built from each effect
//! and the SDL ([`call`], [`conditions`]), refusals are checked to change nothing ([`refusals`]: O1 ownership, E7
//! unknown ids, O2 preconditions, O3 transitions) and random sequences of effects are predicted by a model ([`model`],
//! M3; [`relations`] for ATTACH and DETACH). [`marker`] derives a write of a marker from them, for properties that
//! show a refused write changed nothing.
pub mod call;
pub mod conditions;
pub mod marker;
pub mod model;
pub mod predict;
pub mod read;
pub mod refusals;
pub mod relations;
pub mod scenarios;
pub mod world;
