//! Fidelity of schemas/worksome*.graphql to its source document (filled in by the schemas issue).
