//! End-to-end tests of Worksome through the shared pipeline (authentication, quota, roles, execution by the entity
//! store): every mutation callable by its role, each of the role, ownership, invariant, update, delete and paging
//! rules, the error format, and each Worksome fault against the clean server.

use serde_json::{Value, json};

use super::{TOKENS, WorksomeApi};
use crate::faults::{Fault, Faults};
use crate::served::Served;

mod every_mutation;
mod fixtures_fit;

const ACME: &str = "ws_company_acme_3f9d2a";
const GLOBEX: &str = "ws_company_globex_8b41c7";
const ADA: &str = "ws_worker_ada_51e0f4";
const FORBIDDEN: &str = "You are not authorized to perform this action.";

/// Worksome behind the pipeline, with the paginator reads the tests share.
pub(super) struct Harness(Served);

impl std::ops::Deref for Harness {
    type Target = Served;
    fn deref(&self) -> &Served {
        &self.0
    }
}

pub(super) fn harness(faults: &[Fault]) -> Harness {
    let faults: Faults = faults.iter().copied().collect();
    let api = WorksomeApi::new(0, faults.clone(), runtime::engine::Limits::default());
    Harness(Served::new(api, faults))
}

impl Harness {
    fn jobs(&self, token: &str, args: &str) -> Value {
        let args = if args.is_empty() {
            String::new()
        } else {
            format!("({args})")
        };
        let query = format!(
            "{{ jobs{args} {{ paginatorInfo {{ count currentPage firstItem lastItem hasMorePages lastPage perPage total }} data {{ id name status }} }} }}"
        );
        self.send(Some(token), &query, json!({}))["data"]["jobs"].clone()
    }
}

fn message(answer: &Value) -> &str {
    answer["errors"][0]["message"].as_str().unwrap_or_default()
}

fn ids(page: &Value) -> Vec<String> {
    page["data"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|j| j["id"].as_str().unwrap_or_default().to_owned())
        .collect()
}

const CREATE_JOB: &str = r#"mutation { createJob(input: {company: "1", name: "Tester", skills: ["QA"]}) { id name status company { id name } } }"#;

#[test]
fn a_company_creates_a_job_and_reads_it_back_through_the_paginator() {
    let h = harness(&[]);
    let created = h.send(Some(ACME), CREATE_JOB, json!({}));
    let job = &created["data"]["createJob"];
    assert_eq!(job["status"], "DRAFT", "{created}");
    assert_eq!(job["company"], json!({"id": "1", "name": "Acme Ltd"}));
    let id = job["id"].as_str().unwrap().to_owned();
    let page = h.jobs(ACME, r#"accounts: ["1"], first: 50"#);
    assert!(ids(&page).contains(&id), "{page}");
    let looked_up = h.send(
        Some(ACME),
        &format!(r#"{{ job(id: "{id}") {{ name }} }}"#),
        json!({}),
    );
    assert_eq!(looked_up["data"]["job"]["name"], "Tester");
}

#[test]
fn a_worker_is_refused_a_company_rule_and_nothing_changes() {
    let h = harness(&[]);
    let before = h.jobs(ACME, "first: 50");
    let refused = h.send(Some(ADA), CREATE_JOB, json!({}));
    assert_eq!(message(&refused), FORBIDDEN, "{refused}");
    assert_eq!(
        refused["errors"][0]["extensions"]["code"],
        "DOWNSTREAM_SERVICE_ERROR"
    );
    assert_eq!(h.jobs(ACME, "first: 50"), before);
}

#[test]
fn a_company_cannot_cancel_another_companys_hire() {
    let h = harness(&[]);
    let query = r#"mutation { cancelHire(input: {hire: "125", message: "Sorry"}) { id status } }"#;
    let refused = h.send(Some(ACME), query, json!({}));
    assert_eq!(message(&refused), FORBIDDEN, "{refused}");
    let hire = h.send(Some(GLOBEX), r#"{ hire(id: "125") { status } }"#, json!({}));
    assert_eq!(hire["data"]["hire"]["status"], "OFFERED");
    let cancelled = h.send(Some(GLOBEX), query, json!({}));
    assert_eq!(
        cancelled["data"]["cancelHire"]["status"], "CANCELLED",
        "{cancelled}"
    );
}

#[test]
fn accepting_a_bid_needs_a_submitted_bid() {
    let h = harness(&[]);
    let refused = h.send(
        Some(ACME),
        r#"mutation { acceptBid(input: {bid: "113"}) { id } }"#,
        json!({}),
    );
    assert_eq!(
        refused["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "{refused}"
    );
    assert_eq!(
        refused["errors"][0]["extensions"]["validation"]["input.bid"][0],
        "The worker must have submitted a bid on the job before this mutation can be used."
    );
    let hired = h.send(
        Some(ACME),
        r#"mutation { acceptBid(input: {bid: "110"}) { status job { id } worker { id } company { id } } }"#,
        json!({}),
    );
    assert_eq!(
        hired["data"]["acceptBid"],
        json!({"status": "OFFERED", "job": {"id": "100"}, "worker": {"id": "3"}, "company": {"id": "1"}}),
        "{hired}"
    );
}

#[test]
fn a_precondition_through_a_list_reads_each_element_and_skips_those_without_the_id() {
    let h = harness(&[]);
    let query = r#"mutation($values: [CustomFieldTypeValueInput!]!) {
        updateWorkerCustomFieldValues(input: {appliesTo: "130", values: $values}) { __typename } }"#;
    // Only `singleSelect` is given: the conditions on `freeText`, `multiSelect` and `fileUpload` hold vacuously.
    let allowed = h.send(
        Some(ADA),
        query,
        json!({"values": [{"singleSelect": {"id": "250", "value": "1"}}]}),
    );
    assert!(allowed.get("errors").is_none(), "{allowed}");
    // Field 251 does not allow worker input: one element naming it refuses the whole request.
    let refused = h.send(
        Some(ADA),
        query,
        json!({"values": [{"singleSelect": {"id": "250"}}, {"freeText": {"id": "251", "value": "x"}}]}),
    );
    assert_eq!(
        refused["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "{refused}"
    );
    assert!(
        refused["errors"][0]["extensions"]["validation"]["input.values.freeText.id"].is_array(),
        "{refused}"
    );
}

#[test]
fn an_update_leaves_what_it_does_not_mention() {
    let project = r#"{ project(id: "300") { name description } }"#;
    let describe = r#"mutation { updateProject(input: {id: "300", name: "Site", description: "Q1", owners: ["11"]}) { id } }"#;
    let rename = r#"mutation { updateProject(input: {id: "300", name: "Relaunch", owners: ["11"]}) { id } }"#;
    let clean = harness(&[]);
    let faulty = harness(&[Fault::UpdateClearsUnmentioned]);
    for (server, description) in [(&clean, json!("Q1")), (&faulty, Value::Null)] {
        for query in [describe, rename] {
            let answer = server.send(Some(ACME), query, json!({}));
            assert!(answer.get("errors").is_none(), "{answer}");
        }
        let read = server.send(Some(ACME), project, json!({}));
        assert_eq!(
            read["data"]["project"],
            json!({"name": "Relaunch", "description": description})
        );
    }
}

#[test]
fn a_deleted_project_vanishes_from_its_paginator() {
    for (faults, listed) in [(vec![], false), (vec![Fault::DeletedStillListed], true)] {
        let h = harness(&faults);
        let list = r#"{ projects(accounts: ["1"]) { data { id } } }"#;
        let before = h.send(Some(ACME), list, json!({}));
        assert!(ids(&before["data"]["projects"]).contains(&"300".to_owned()));
        h.send(
            Some(ACME),
            r#"mutation { deleteProject(input: {id: "300"}) { id } }"#,
            json!({}),
        );
        let lookup = h.send(Some(ACME), r#"{ project(id: "300") { id } }"#, json!({}));
        assert_eq!(lookup["data"]["project"], Value::Null);
        let after = h.send(Some(ACME), list, json!({}));
        assert_eq!(
            ids(&after["data"]["projects"]).contains(&"300".to_owned()),
            listed,
            "{faults:?}"
        );
    }
}

#[test]
fn paginator_info_on_the_last_page_and_past_it() {
    let h = harness(&[]);
    // Four jobs: pages of three.
    let last = h.jobs(ACME, "first: 3, page: 2")["paginatorInfo"].clone();
    assert_eq!(
        last,
        json!({"count": 1, "currentPage": 2, "firstItem": 4, "lastItem": 4, "hasMorePages": false, "lastPage": 2, "perPage": 3, "total": 4})
    );
    let past = h.jobs(ACME, "first: 3, page: 3")["paginatorInfo"].clone();
    assert_eq!(
        past,
        json!({"count": 0, "currentPage": 3, "firstItem": null, "lastItem": null, "hasMorePages": false, "lastPage": 2, "perPage": 3, "total": 4})
    );
    assert_eq!(
        h.jobs(ACME, "")["paginatorInfo"]["perPage"],
        10,
        "first defaults to 10"
    );
    let faulty = harness(&[Fault::LastItemOffByOne, Fault::MorePagesOnLastPage]);
    let info = faulty.jobs(ACME, "first: 3, page: 2")["paginatorInfo"].clone();
    assert_eq!(
        (&info["lastItem"], &info["hasMorePages"]),
        (&json!(5), &json!(true))
    );
}

#[test]
fn a_paginator_no_entity_lists_is_empty_with_exact_info() {
    // No `@entity(list:)` names `approvalStates`: an empty page, not a neutral one of zeros.
    let h = harness(&[]);
    let answer = h.send(
        Some(ACME),
        "{ approvalStates(page: 2) { data { id } paginatorInfo { count currentPage firstItem lastItem hasMorePages lastPage perPage total } } }",
        json!({}),
    );
    assert_eq!(
        answer["data"]["approvalStates"],
        json!({"data": [], "paginatorInfo": {"count": 0, "currentPage": 2, "firstItem": null, "lastItem": null, "hasMorePages": false, "lastPage": 1, "perPage": 10, "total": 0}}),
        "{answer}"
    );
}

#[test]
fn errors_in_worksomes_format() {
    let h = harness(&[]);
    let anonymous = h.send(None, "{ viewer { id } }", json!({}));
    assert_eq!(message(&anonymous), "Unauthenticated.");
    assert_eq!(
        anonymous["errors"][0]["extensions"]["guards"],
        json!(["api"])
    );
    let wrong = h.send(Some("nope"), "{ viewer { id } }", json!({}));
    assert_eq!(message(&wrong), "Unauthenticated.");
    let parse = h.send(Some(ACME), "{ viewer { id }", json!({}));
    assert_eq!(
        parse["errors"][0]["extensions"]["code"],
        "GRAPHQL_PARSE_FAILED"
    );
    let invalid = h.send(
        Some(ACME),
        r#"mutation { updateProject(input: {id: "999"}) { id } }"#,
        json!({}),
    );
    assert_eq!(
        invalid["errors"][0]["extensions"]["validation"],
        json!({"input.id": ["The selected input.id is invalid."]})
    );
    let codes: Vec<&str> = generated::worksome::RULES
        .error_format
        .as_ref()
        .map(|f| f.codes.iter().map(|c| &**c).collect())
        .unwrap_or_default();
    for answer in [&anonymous, &parse, &invalid] {
        let code = answer["errors"][0]["extensions"]["code"]
            .as_str()
            .unwrap_or_default();
        assert!(codes.contains(&code), "{code} is not declared");
    }
    let viewer = h.send(Some(ADA), "{ viewer { id name } }", json!({}));
    assert_eq!(
        viewer["data"]["viewer"],
        json!({"id": "13", "name": "Ada Lovelace"})
    );
}

#[test]
fn the_quota_is_sixty_a_minute_per_token_and_a_refused_write_changes_nothing() {
    let h = harness(&[]);
    for _ in 0..60 {
        assert!(
            h.send(Some(GLOBEX), "{ viewer { id } }", json!({}))
                .get("errors")
                .is_none()
        );
    }
    let refused = h.send(
        Some(GLOBEX),
        r#"mutation { deleteProject(input: {id: "301"}) { id } }"#,
        json!({}),
    );
    assert_eq!(message(&refused), "Too Many Requests", "{refused}");
    assert_eq!(
        refused["errors"][0]["extensions"]["code"],
        "DOWNSTREAM_SERVICE_ERROR"
    );
    let other = h.send(Some(ACME), r#"{ project(id: "301") { id } }"#, json!({}));
    assert_eq!(
        other["data"]["project"]["id"], "301",
        "another token's quota is its own; the project is still there"
    );
}

#[test]
fn role_and_ownership_faults_let_through_what_the_clean_server_refuses() {
    let workflow = "mutation { createWorkflow(input: {root: {data: {name: \"W\", status: ACTIVE, trigger: HIRE_CREATED, company: \"1\"}}}) { id } }";
    let clean = harness(&[]);
    assert_eq!(
        message(&clean.send(Some(ADA), workflow, json!({}))),
        FORBIDDEN
    );
    let faulty = harness(&[Fault::WorkerAllowedCompanyOnly]);
    let answer = faulty.send(Some(ADA), workflow, json!({}));
    assert_ne!(message(&answer), FORBIDDEN, "{answer}");

    let cancel = r#"mutation { cancelHire(input: {hire: "125", message: "Sorry"}) { status } }"#;
    let faulty = harness(&[Fault::ForeignEntityAccepted]);
    assert_eq!(
        faulty.send(Some(ACME), cancel, json!({}))["data"]["cancelHire"]["status"],
        "CANCELLED"
    );
}

#[test]
fn transition_precondition_and_format_faults_differ_from_the_clean_server() {
    let end = r#"mutation { terminateHire(input: {hire: "122", reason: OTHER, date: "2026-12-01"}) { status } }"#;
    let bid = r#"mutation { acceptBid(input: {bid: "113"}) { id } }"#;
    let clean = harness(&[]);
    assert_eq!(
        clean.send(Some(ACME), end, json!({}))["errors"][0]["extensions"]["code"],
        "BAD_USER_INPUT"
    );
    assert!(
        clean.send(Some(ACME), bid, json!({}))["errors"][0]["extensions"]["validation"].is_object()
    );

    let faulty = harness(&[Fault::TransitionFromAnyStatus]);
    assert_eq!(
        faulty.send(Some(ACME), end, json!({}))["data"]["terminateHire"]["status"],
        "TERMINATED"
    );
    let faulty = harness(&[Fault::PreconditionIgnored]);
    assert!(
        faulty
            .send(Some(ACME), bid, json!({}))
            .get("errors")
            .is_none()
    );
    let faulty = harness(&[Fault::ValidationWithoutPaths]);
    let answer = faulty.send(Some(ACME), bid, json!({}));
    assert_eq!(answer["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
    assert!(
        answer["errors"][0]["extensions"]
            .get("validation")
            .is_none(),
        "{answer}"
    );
}

#[test]
fn every_token_is_printed_with_its_role_and_account() {
    let credentials = super::credentials(0);
    assert_eq!(credentials.len(), TOKENS.len());
    for role in ["company", "worker", "recruiter"] {
        assert!(credentials.iter().any(|c| c.roles == [role]), "{role}");
    }
    assert!(
        credentials
            .iter()
            .filter(|c| c.roles == ["company"])
            .count()
            >= 2
    );
    assert!(credentials.iter().filter(|c| c.roles == ["worker"]).count() >= 2);
}

#[test]
fn only_a_member_of_the_approvers_group_may_act_on_an_approval_request() {
    let h = harness(&[]);
    let act = |token: &str, status: &str| {
        h.send(
            Some(token),
            &format!(
                r#"mutation {{ actionApprovalApprovable(input: {{id: "174", status: {status}, reason: "Fine"}}) {{ approvalStates {{ state message actionedBy {{ id }} }} }} }}"#
            ),
            json!({}),
        )
    };
    let outsider = act(GLOBEX, "APPROVED");
    assert_eq!(
        outsider["errors"][0]["extensions"]["validation"]["input.id"][0],
        "The authenticated user must be a member of the approver’s user group and the approval request must be awaiting their action (viewerCanAction must be true).",
        "{outsider}"
    );
    let not_a_decision = act(ACME, "REQUESTED");
    assert!(not_a_decision["errors"][0]["extensions"]["validation"]["input.status"].is_array());
    // The result is the request as it is now: the state it was created with, then the new one.
    let approved = act(ACME, "APPROVED");
    assert_eq!(
        approved["data"]["actionApprovalApprovable"]["approvalStates"],
        json!([
            {"state": "REQUESTED", "message": null, "actionedBy": {"id": "11"}},
            {"state": "APPROVED", "message": "Fine", "actionedBy": {"id": "11"}},
        ]),
        "{approved}"
    );
}
