//! Conformance integration tests: the harness against the embedded reference server, clean and with each fault.

mod hostile;
mod proof_of_power;
mod reports;
