//! Conformance integration tests.
