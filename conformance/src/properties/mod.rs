//! Every property, by family, and the list each API runs.
//!
//! Generic properties read the rules table and the SDL, so they apply to any GraphQL API: schema conformance (S),
//! pagination (P), errors (E), complexity (C), auth and roles (A), rate limits (R) and documented examples (X).
//! Properties that need an API's domain (what a mutation creates, what a filter selects) live in a module per API:
//! `greenhouse` (filters F1, the stateful model M1, P8 and the write R4 probes with). Workable (REST, issue 6) plugs
//! in the same way: a `workable` module with its state machine, its id-window pagination beside
//! `pagination::relay`, and the header-reported quota beside `rate_limit`.

pub mod auth;
pub mod complexity;
pub mod errors;
pub mod examples;
pub mod greenhouse;
pub mod pagination;
pub mod rate_limit;
pub mod schema_diff;

use runtime::rules::{ApiRules, Transport};

use crate::credentials::Credential;
use crate::property::{Case, CaseError, Property};

/// A write an API-specific module offers to generic properties (R4): the operation that writes something named
/// by a marker, and how to look for it afterwards.
#[derive(Debug)]
pub struct WriteProbe {
    pub write: fn(&str) -> String,
    pub find: fn(&Case<'_, '_>, &str, Option<&Credential>, &str) -> Result<bool, CaseError>,
}

/// The write probe of an API, if its module offers one.
pub fn write_probe(rules: &ApiRules) -> Option<&'static WriteProbe> {
    match rules.name {
        "greenhouse_onboarding" => Some(&greenhouse::WRITE_PROBE),
        _ => None,
    }
}

/// Whether the harness checks this API yet. Workable (REST, issue 6) plugs in with its own module.
pub fn supported(rules: &ApiRules) -> bool {
    rules.transport == Transport::Graphql
}

/// The properties run against an API, in order: read-only families first, writes next, rate limits (which exhaust
/// the quota) last.
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
            &complexity::C1,
            &complexity::C2,
            &complexity::C3,
            &auth::A1,
            &auth::A2,
            &examples::X1,
            &rate_limit::R1,
            &rate_limit::R2,
            &rate_limit::R3,
            &rate_limit::R4,
            &rate_limit::R5,
            &rate_limit::R6,
        ]);
    }
    if rules.name == "greenhouse_onboarding" {
        list.extend([
            &greenhouse::filters::F1,
            &greenhouse::model::M1,
            &greenhouse::model::P8,
        ]);
    }
    list.sort_by_key(|p| p.group);
    list
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
