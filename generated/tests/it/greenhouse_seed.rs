//! Fidelity of schemas/greenhouse*.graphql to its source document (filled in by the schemas issue).
