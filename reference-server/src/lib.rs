//! The reference server: all four HR APIs served from the traits generated from `schemas/`.
