//! Rust types, resolver traits and rules tables for the four HR APIs, generated from `schemas/` at build time.
