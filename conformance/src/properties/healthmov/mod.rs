//! Healthmov's own properties: sessions (H1), the keyed writes of companies, departments, employees and dependents
//! (H2), walks that reflect each write once (P8), and how its documented examples are filled for X1.

pub mod examples;
pub mod invariants;
pub mod model;
pub mod session;
pub mod walk;
