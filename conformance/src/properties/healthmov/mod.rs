//! Healthmov's own properties: sessions (H1) and the keyed writes of companies, departments, employees and
//! dependents (H2), and how its documented examples are filled for X1.

pub mod examples;
pub mod model;
pub mod session;
