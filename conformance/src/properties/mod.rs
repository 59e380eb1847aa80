//! Every property, by family, and the list each API runs.
//!
//! Generic properties read the rules table and the SDL, so they apply to any API the rules describe: schema
//! conformance (S), pagination in each declared style (P1–P7 Relay, P9–P11 id windows, P12–P13 Lighthouse
//! paginators), errors (E1–E5 GraphQL, E6 REST), complexity (C), auth, roles and scopes (A1, A2, A4), rate limits by
//! quota field or headers (R), documented examples (X) and mutation semantics where the rules declare `@effect`s
//! (`effects`: O1 ownership, E7 unknown ids, O2 preconditions, O3 transition sources, M3 the model of every effect).
//! Properties that need an API's domain (what a mutation creates, what a filter selects, which role changes a
//! document forbids) live in a module per API: `greenhouse` (F1, M1, P8 and the write R4 probes with), `workable`
//! (A3, A5, M2, the `status` filter and its write probe) and `healthmov` (H1, H2, P8).
pub mod auth;
pub mod complexity;
pub mod effects;
pub mod errors;
pub mod examples;
pub mod greenhouse;
pub mod healthmov;
pub mod made_up;
pub mod pagination;
pub mod quota_felt;
pub mod rate_limit;
pub mod rest_errors;
pub mod schema_diff;
pub mod transport;
pub mod workable;

use runtime::rules::{ApiRules, PaginationStyle, Transport};

use crate::credentials::Credential;
use crate::properties::pagination::id_window::CustomFilter;
use serde_json::Value;

use crate::properties::rate_limit::Answer;
use crate::property::{Case, CaseError, Property};

/// A write an API-specific module offers to generic properties (R4, A4): a write of something named by a marker,
/// and how to look for it afterwards. `base` is the target URL the probe sends to (a GraphQL endpoint, or a REST
/// prefix).
#[derive(Debug)]
pub struct WriteProbe {
    /// The field the write goes through (`addDepartment`, `updateMember`).
    pub field: &'static str,
    /// Whether a credential may make the write (it holds the write scope, where the credentials list scopes).
    pub can_write: fn(&Credential) -> bool,
    /// What the write needs, looked up before it is sent (Workable: a member of the credential's account).
    pub prepare: fn(&Case<'_, '_>, &str, Option<&Credential>) -> Result<Value, CaseError>,
    /// Sends the write of `marker`; returns what came back.
    pub write: ProbeWrite,
    /// Whether `marker` is in the store.
    pub find: ProbeFind,
    /// The GraphQL mutation that writes `marker`, when the write goes over GraphQL (T1 sends it over GET).
    pub graphql_mutation: Option<fn(&str) -> String>,
}

/// A probe's write: (case, base URL, credential, what `prepare` found, marker) → the answer.
pub type ProbeWrite =
    fn(&Case<'_, '_>, &str, Option<&Credential>, &Value, &str) -> Result<Answer, CaseError>;

/// A probe's lookup: (case, base URL, credential, what `prepare` found, marker) → whether the marker is there.
pub type ProbeFind =
    fn(&Case<'_, '_>, &str, Option<&Credential>, &Value, &str) -> Result<bool, CaseError>;

/// The write probe of an API, if its module offers one.
pub fn write_probe(rules: &ApiRules) -> Option<&'static WriteProbe> {
    match &*rules.name {
        "greenhouse_onboarding" => Some(&greenhouse::WRITE_PROBE),
        "workable_members" => Some(&workable::WRITE_PROBE),
        _ => None,
    }
}

/// The filters of an API's id windows that an API module describes.
pub fn custom_filters(rules: &ApiRules) -> &'static [&'static CustomFilter] {
    match &*rules.name {
        "workable_members" => &workable::FILTERS,
        _ => &[],
    }
}

/// Whether the harness checks this API: GraphQL APIs, and REST APIs through their `@rest` bindings.
pub fn supported(rules: &ApiRules) -> bool {
    rules.transport == Transport::Graphql || rules.fields.iter().any(|f| f.rest.is_some())
}

/// The properties run against an API, in order: read-only families first, writes next, rate limits (which exhaust
/// the quota) last. Which generic properties apply follows from the rules: the transport, the pagination styles.
pub fn for_api(rules: &ApiRules) -> Vec<&'static Property> {
    let graphql = rules.transport == Transport::Graphql;
    let mut list: Vec<&'static Property> = vec![
        &schema_diff::S1,
        &auth::A1,
        &auth::A2,
        &auth::A4,
        &rate_limit::R1,
        &rate_limit::R2,
        &rate_limit::R3,
        &rate_limit::R4,
        &rate_limit::R5,
        &rate_limit::R6,
        &quota_felt::R7,
    ];
    if graphql {
        list.extend([
            &errors::E1,
            &errors::E2,
            &errors::E3,
            &errors::E4,
            &errors::E5,
            &transport::T1,
            &complexity::C1,
            &complexity::C2,
            &complexity::C3,
            &examples::X1,
        ]);
    } else {
        list.push(&rest_errors::E6);
    }
    // Pagination by the styles the API declares: a Relay walk means nothing to a Lighthouse paginator.
    if rules.paginated(PaginationStyle::Relay).next().is_some() {
        list.extend([
            &pagination::relay::P1,
            &pagination::relay::P2,
            &pagination::relay::P3,
            &pagination::relay::P4,
            &pagination::relay::P5,
            &pagination::relay::P6,
            &pagination::relay::P7,
        ]);
    }
    if rules.paginated(PaginationStyle::IdWindow).next().is_some() {
        list.extend([
            &pagination::id_window::P9,
            &pagination::id_window::P10,
            &pagination::id_window::P11,
        ]);
    }
    if rules
        .paginated(PaginationStyle::Lighthouse)
        .next()
        .is_some()
    {
        list.extend([&pagination::lighthouse::P12, &pagination::lighthouse::P13]);
    }
    // Mutation semantics, wherever the rules declare effects.
    if rules.effects().next().is_some() {
        list.extend([
            &effects::refusals::O1,
            &effects::refusals::E7,
            &effects::refusals::O2,
            &effects::refusals::O3,
            &effects::model::M3,
        ]);
    }
    match &*rules.name {
        "greenhouse_onboarding" => list.extend([
            &greenhouse::filters::F1,
            &greenhouse::model::M1,
            &greenhouse::model::P8,
        ]),
        "workable_members" => list.extend([
            &workable::model::A3,
            &workable::accounts::A5,
            &workable::concurrent::M2,
        ]),
        "healthmov_user_management" => list.extend([
            &healthmov::session::H1,
            &healthmov::model::H2,
            &healthmov::walk::P8,
        ]),
        _ => {}
    }
    // By family, then in a stable order within it (ids sort as written: A1 < A2 < A3 ..., P9 < P10 by number).
    list.sort_by_key(|p| (p.group, order(p.id)));
    list
}

/// The order of ids within a family: letter, then number.
fn order(id: &str) -> (String, u32) {
    let (letters, digits): (String, String) = id.chars().partition(|c| c.is_ascii_alphabetic());
    (letters, digits.parse().unwrap_or(0))
}

/// Every property the harness knows, for `--list`.
pub fn all() -> Vec<&'static Property> {
    let mut seen = std::collections::BTreeSet::new();
    let mut list: Vec<&'static Property> = generated::APIS
        .iter()
        .flat_map(|r| for_api(r))
        .filter(|p| seen.insert(p.id))
        .collect();
    list.sort_by_key(|p| (p.group, order(p.id)));
    list
}
