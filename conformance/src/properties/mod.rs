//! Every property, by family, and the list each API runs.
//!
//! Generic properties read the rules table and the SDL, so they apply to any GraphQL API: schema conformance (S),
//! pagination (P), errors (E), complexity (C), auth and roles (A), rate limits (R) and documented examples (X).
//! Properties that need to know an API's domain (what a mutation creates, which filter selects what) live in a
//! module per API: `greenhouse` (filters F, the stateful model M and P8).

pub mod errors;
pub mod pagination;
pub mod schema_diff;

use runtime::rules::{ApiRules, Transport};

use crate::property::Property;

/// The properties run against an API, in order.
pub fn for_api(rules: &ApiRules) -> Vec<&'static Property> {
    let mut list: Vec<&'static Property> = Vec::new();
    if rules.transport == Transport::Graphql {
        list.extend([
            &schema_diff::S1,
            &pagination::P1,
            &pagination::P2,
            &pagination::P3,
            &pagination::P4,
            &pagination::P5,
            &pagination::P6,
            &pagination::P7,
            &errors::E1,
            &errors::E2,
            &errors::E3,
            &errors::E4,
            &errors::E5,
        ]);
    }
    list.sort_by_key(|p| p.group);
    list
}

/// Whether the harness checks this API yet. Workable (REST, issue 6) plugs in with its own module.
pub fn supported(rules: &ApiRules) -> bool {
    rules.transport == Transport::Graphql
}

/// Every property the harness knows, for `--list`.
pub fn all() -> Vec<&'static Property> {
    let mut seen = std::collections::BTreeSet::new();
    generated::APIS
        .iter()
        .flat_map(|r| for_api(r))
        .filter(|p| seen.insert(p.id))
        .collect()
}
