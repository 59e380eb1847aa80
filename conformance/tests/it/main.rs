//! Conformance integration tests: the harness against the embedded reference server, clean and with each fault.

mod cli;
mod hostile;
mod proof_of_power;
mod reports;
mod target_plan;
mod target_quota;
