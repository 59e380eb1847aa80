//! Fidelity of schemas/greenhouse_onboarding.graphql to its source document, read from the document itself: every
//! type, field, argument, input field, enum value and scalar its tables name exists in the SDL with the documented
//! type, deprecation and a description; whatever the SDL adds carries `@source`; the example files are the
//! document's example operations, in order, and the response files are its printed responses.
//!
//! `document.rs` reads the document's tables and operations, `compare.rs` compares them with the SDL, and
//! `examples.rs` its example operations and responses with the files under `schemas/examples/`.

mod compare;
mod document;
mod examples;

const API: &str = "greenhouse_onboarding";
