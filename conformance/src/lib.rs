//! The conformance harness: property-based checks of any implementation against the schemas.
