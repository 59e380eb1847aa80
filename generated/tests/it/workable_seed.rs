//! Fidelity of schemas/workable*.graphql to its source document (filled in by the schemas issue).
