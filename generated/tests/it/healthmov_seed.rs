//! Fidelity of schemas/healthmov*.graphql to its source document (filled in by the schemas issue).
