//! Generator integration tests.
