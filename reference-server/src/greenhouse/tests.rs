//! End-to-end tests of the API through `GreenhouseApi::execute`: the document's examples, pagination walks,
//! three-state inputs through variables, and concurrent updates.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use runtime::engine::Limits;
use runtime::response::{JsonMap, PathSegment, Response};
use runtime::{ErrorCode, MaybeAbsent};
use serde_json::{Value, json};

use super::GreenhouseApi;
use crate::api::{ComplexityInfo, ExecRequest, GraphqlApi, Principal, RateLimitInfo, RequestMeta};
use crate::faults::{Fault, Faults};

fn api_with(faults: Faults) -> Arc<GreenhouseApi> {
    Arc::new(GreenhouseApi::new(1, faults, Limits::default()))
}

fn api() -> Arc<GreenhouseApi> {
    api_with(Faults::none())
}

fn principal() -> Principal {
    Principal {
        id: "demo-access-key".to_owned(),
        roles: Vec::new(),
        scopes: Vec::new(),
        token_kind: None,
    }
}

fn meta() -> RequestMeta {
    RequestMeta {
        complexity: Some(ComplexityInfo {
            score: 1,
            maximum: 2500,
        }),
        rate_limit: Some(RateLimitInfo {
            limit: 100,
            remaining: 99,
            reset_at: "2018-09-12T18:00:00Z".parse().unwrap(),
            cost: 1,
        }),
        origin: None,
    }
}

/// Runs `query` with `variables` and returns the response as JSON plus its error codes.
fn run_raw(api: &Arc<GreenhouseApi>, query: &str, variables: Value) -> Response {
    let prepared = api
        .engine()
        .prepare(query)
        .unwrap_or_else(|e| panic!("{query}\n{e:?}"));
    let variables: JsonMap = match variables {
        Value::Object(map) => serde_json::from_value(Value::Object(map)).unwrap(),
        _ => JsonMap::new(),
    };
    let request = ExecRequest {
        principal: principal(),
        prepared,
        operation_name: None,
        variables,
        meta: meta(),
    };
    futures::executor::block_on(Arc::clone(api).execute(request))
}

fn data(response: &Response) -> Value {
    serde_json::to_value(response.data.clone().unwrap_or_default()).unwrap()
}

/// Runs an operation that must succeed and returns its data.
fn run(api: &Arc<GreenhouseApi>, query: &str, variables: Value) -> Value {
    let response = run_raw(api, query, variables);
    assert!(response.errors.is_empty(), "{query}\n{:?}", response.errors);
    data(&response)
}

/// Runs an operation that must fail with one error and returns (code, message).
fn fail(api: &Arc<GreenhouseApi>, query: &str, variables: Value) -> (ErrorCode, String) {
    let response = run_raw(api, query, variables);
    assert_eq!(response.errors.len(), 1, "{query}\n{:?}", response.errors);
    let error = &response.errors[0];
    (error.code, error.message.clone())
}

fn examples() -> Vec<PathBuf> {
    let dir =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas/examples/greenhouse_onboarding");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "graphql"))
        .collect();
    files.sort();
    files
}

/// Whether `actual` has the shape of `documented`: the same keys, values of the same JSON types, lists with items of
/// the documented shape (their lengths may differ).
fn same_shape(documented: &Value, actual: &Value) -> bool {
    match (documented, actual) {
        (Value::Object(d), Value::Object(a)) => {
            d.len() == a.len()
                && d.iter()
                    .all(|(k, v)| a.get(k).is_some_and(|w| same_shape(v, w)))
        }
        (Value::Array(d), Value::Array(a)) => d
            .first()
            .is_none_or(|first| a.iter().all(|item| same_shape(first, item))),
        (Value::Null, _) | (_, Value::Null) => true,
        (d, a) => std::mem::discriminant(d) == std::mem::discriminant(a),
    }
}

#[test]
fn every_documented_example_runs() {
    let files = examples();
    assert_eq!(files.len(), 32);
    for file in files {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let query = std::fs::read_to_string(&file).unwrap();
        let api = api();
        let response = run_raw(&api, &query, json!({}));
        let actual = data(&response);
        if name.starts_with("007_") {
            continue;
        }
        assert!(response.errors.is_empty(), "{name}: {:?}", response.errors);
        let expected = file.with_extension("response.json");
        if let Ok(text) = std::fs::read_to_string(&expected) {
            let documented: Value = serde_json::from_str(&text).unwrap();
            assert!(
                same_shape(&documented["data"], &actual),
                "{name}\ndocumented: {documented}\nactual: {actual}"
            );
        }
        // Every example that selects a list returns some of it: the fixtures are made for the examples.
        let text = actual.to_string();
        assert!(!text.contains("\"edges\":[]"), "{name}: {text}");
        assert!(!text.contains("\"customFieldValues\":[]"), "{name}: {text}");
        assert!(!text.contains("\"signatureRequests\":[]"), "{name}: {text}");
    }
}

#[test]
fn the_documented_responses_hold_where_the_fixtures_fix_them() {
    let api = api();
    let read = |name: &str| {
        std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../schemas/examples/greenhouse_onboarding")
                .join(name),
        )
        .unwrap()
    };
    assert_eq!(
        run(&api, &read("005_basic_request.graphql"), json!({})),
        json!({"employee": {"email": "employee_25_email@example.com"}})
    );
    assert_eq!(
        run(&api, &read("004_complexity_info.graphql"), json!({})),
        json!({"employee": {"email": "employee_25_email@example.com"}, "complexityInfo": {"score": 1, "maximum": 2500}})
    );
    assert_eq!(
        run(&api, &read("002_rate_limit.graphql"), json!({})),
        json!({"rateLimit": {"resetAt": "2018-09-12T18:00:00Z", "limit": 100, "remaining": 99}})
    );
    // The pagination example: its emails, and the end cursor seed-errata item 7 corrects ("Nw==", 7).
    assert_eq!(
        run(&api, &read("006_pagination.graphql"), json!({})),
        json!({"employees": {"pageInfo": {"endCursor": "Nw==", "hasNextPage": true}, "edges": [
            {"node": {"email": "kima@example.com"}}, {"node": {"email": "omar@example.com"}}
        ]}})
    );
    let response = run_raw(&api, &read("007_error_not_found.graphql"), json!({}));
    assert_eq!(data(&response), json!({"employee": null}));
    let error = &response.errors[0];
    assert_eq!(error.message, "Unable to find Employee with id 100000000");
    assert_eq!(error.code, ErrorCode::NotFound);
    assert_eq!(api.error_code(error.code), "NotFound");
    assert_eq!(error.path, [PathSegment::Field("employee".to_owned())]);
    assert_eq!((error.locations[0].line, error.locations[0].column), (2, 3));
}

#[test]
fn error_codes_are_spelled_as_the_document_lists_them() {
    let api = api();
    let spelled: Vec<&str> = ErrorCode::ALL.iter().map(|c| api.error_code(*c)).collect();
    assert_eq!(
        spelled,
        [
            "Validation",
            "Validation",
            "Validation",
            "Authentication",
            "Authentication",
            "NotFound",
            "Server",
            "RateLimit",
            "Validation",
            "Server",
            "Server"
        ]
    );
}

const WALK: &str = r#"query($first: Int, $last: Int, $after: String, $before: String) {
  employees(first: $first, last: $last, after: $after, before: $before) {
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id } }
  }
}"#;

fn ids(page: &Value) -> Vec<String> {
    page["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["id"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn walks_forward_and_backward_see_every_employee_once() {
    let api = api();
    let total = api.store().read().employees.len();
    let mut forward = Vec::new();
    let mut after = Value::Null;
    loop {
        let page = &run(&api, WALK, json!({"first": 25, "after": after}))["employees"];
        let edges = page["edges"].as_array().unwrap();
        assert_eq!(page["pageInfo"]["startCursor"], edges[0]["cursor"]);
        assert_eq!(
            page["pageInfo"]["endCursor"],
            edges[edges.len() - 1]["cursor"]
        );
        forward.extend(ids(page));
        if page["pageInfo"]["hasNextPage"] == json!(false) {
            break;
        }
        after = page["pageInfo"]["endCursor"].clone();
    }
    assert_eq!(forward.len(), total);
    let mut backward = Vec::new();
    let mut before = Value::Null;
    loop {
        let page = &run(&api, WALK, json!({"last": 25, "before": before}))["employees"];
        let mut page_ids = ids(page);
        page_ids.extend(backward);
        backward = page_ids;
        if page["pageInfo"]["hasPreviousPage"] == json!(false) {
            break;
        }
        before = page["pageInfo"]["startCursor"].clone();
    }
    assert_eq!(backward, forward);
    // Cursors are stable between requests.
    let a = run(&api, WALK, json!({"first": 3}));
    let b = run(&api, WALK, json!({"first": 3}));
    assert_eq!(a, b);
}

#[test]
fn page_sizes_and_cursors_are_checked() {
    let api = api();
    let page = run(&api, WALK, json!({"first": 100}));
    assert_eq!(page["employees"]["edges"].as_array().unwrap().len(), 25);
    let empty = run(&api, WALK, json!({"first": 0}));
    assert_eq!(empty["employees"]["edges"], json!([]));
    assert_eq!(empty["employees"]["pageInfo"]["startCursor"], Value::Null);
    assert_eq!(empty["employees"]["pageInfo"]["hasNextPage"], json!(true));
    let (code, message) = fail(&api, WALK, json!({}));
    assert_eq!(code, ErrorCode::BadUserInput);
    assert!(message.contains("`first` or `last`"), "{message}");
    let (code, message) = fail(&api, WALK, json!({"last": -3}));
    assert_eq!(code, ErrorCode::BadUserInput);
    assert!(message.contains("negative"), "{message}");
    let (code, message) = fail(&api, WALK, json!({"first": 2, "after": "not a cursor"}));
    assert_eq!(code, ErrorCode::BadUserInput);
    assert!(message.contains("not a valid cursor"), "{message}");
    for field in [
        "departments",
        "locations",
        "teams",
        "teamCategories",
        "otherCriteria",
        "customFields",
    ] {
        let query = format!(
            "{{ {field}(first: 100) {{ edges {{ cursor }} pageInfo {{ hasNextPage }} }} }}"
        );
        let page = run(&api, &query, json!({}));
        assert!(
            !page[field]["edges"].as_array().unwrap().is_empty(),
            "{field}"
        );
        let (code, _) = fail(
            &api,
            &format!("{{ {field} {{ edges {{ cursor }} }} }}"),
            json!({}),
        );
        assert_eq!(code, ErrorCode::BadUserInput, "{field}");
    }
}

#[test]
fn faults_show_through_the_api() {
    let api = api_with(
        [Fault::UnstableCursors, Fault::PageOffByOne]
            .into_iter()
            .collect(),
    );
    let a = run(&api, WALK, json!({"first": 2}));
    let b = run(&api, WALK, json!({"first": 2}));
    assert_eq!(ids(&a["employees"]), ids(&b["employees"]));
    assert_ne!(
        a["employees"]["pageInfo"]["endCursor"],
        b["employees"]["pageInfo"]["endCursor"]
    );
    let next = run(
        &api,
        WALK,
        json!({"first": 2, "after": a["employees"]["pageInfo"]["endCursor"]}),
    );
    assert_eq!(
        ids(&next["employees"]),
        ["2", "3"],
        "the page repeats the `after` record"
    );
}

#[test]
fn relations_resolve() {
    let api = api();
    let query = r#"{
      employee(id: 20) {
        manager { id } hrManager { id } department { id name departmentLead { id } }
        location { id locationLead { id } } otherCriteria { id name } profileImage { fileName fileUrl expiresAt }
        documents { id file { fileName fileSize fileUrl } }
        signatureRequests { status file { fileName } counterSigner { id } signatureRequestTemplate { name publicName counterSigner { id } } }
        customFieldValues { customField { id name fieldType multipleChoiceOptions customFieldGroup { name } teamCategory { name } } value createdAt updatedAt valueUpdatedAt }
      }
      countries(countryCodes: ["USA"]) { countryCode name states { stateCode name country { countryCode } } }
      contactRelationships
      team(id: 14) { name teamCategory { id name } }
      teamCategory(id: 2) { name }
      otherCriterion(id: 1) { name }
      location(id: 1) { name }
      department(id: 1) { name }
      customField(id: "primary_social_club") { fieldType teamCategory { id } }
      customFields(first: 25, fieldTypes: [TEAM]) { edges { node { id } } }
    }"#;
    let data = run(&api, query, json!({}));
    let employee = &data["employee"];
    assert_eq!(employee["location"]["id"], json!("1"));
    assert_eq!(employee["signatureRequests"].as_array().unwrap().len(), 3);
    let usa = &data["countries"][0];
    assert_eq!(usa["countryCode"], json!("USA"));
    assert!(
        usa["states"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["stateCode"] == json!("IN") && s["country"]["countryCode"] == json!("USA"))
    );
    assert_eq!(data["contactRelationships"].as_array().unwrap().len(), 9);
    assert_eq!(
        data["team"]["teamCategory"]["id"],
        data["customField"]["teamCategory"]["id"]
    );
    assert_eq!(data["customFields"]["edges"].as_array().unwrap().len(), 2);
    let (code, message) = fail(&api, r#"{ customField(id: "nope") { id } }"#, json!({}));
    assert_eq!(
        (code, message.as_str()),
        (
            ErrorCode::NotFound,
            "Unable to find CustomField with id nope"
        )
    );
    let (code, message) = fail(&api, "{ department(id: 999) { id } }", json!({}));
    assert_eq!(
        (code, message.as_str()),
        (ErrorCode::NotFound, "Unable to find Department with id 999")
    );
}

const UPDATE: &str = r#"mutation($id: ID!, $u: UpdateEmployee!) {
  updateEmployeeProfile(id: $id, employeeUpdates: $u) { title about phoneNumber updatedAt }
}"#;

#[test]
fn absent_null_and_values_keep_clear_and_set_through_variables() {
    let api = api();
    let before = api.store().read().employees[&30].clone();
    assert!(before.data.about.is_some() || before.data.phone_number.is_some());
    let set = run(&api, UPDATE, json!({"id": 30, "u": {"title": "Navigator"}}));
    assert_eq!(set["updateEmployeeProfile"]["title"], json!("Navigator"));
    assert_eq!(
        set["updateEmployeeProfile"]["about"],
        json!(before.data.about)
    );
    assert_eq!(
        set["updateEmployeeProfile"]["phoneNumber"],
        json!(before.data.phone_number)
    );
    let cleared = run(&api, UPDATE, json!({"id": "30", "u": {"about": null}}));
    assert_eq!(cleared["updateEmployeeProfile"]["about"], Value::Null);
    assert_eq!(
        cleared["updateEmployeeProfile"]["title"],
        json!("Navigator")
    );
    assert_eq!(
        cleared["updateEmployeeProfile"]["phoneNumber"],
        json!(before.data.phone_number)
    );
    let (code, message) = fail(&api, UPDATE, json!({"id": 100000000, "u": {}}));
    assert_eq!(
        (code, message.as_str()),
        (
            ErrorCode::NotFound,
            "Unable to find Employee with id 100000000"
        )
    );
    // updatedAt moved, so an updatedAt filter finds the employee.
    let recent = run(
        &api,
        "{ employees(first: 25, updatedAt: {after: \"2019-02-02T00:00:00Z\"}) { edges { node { id } } } }",
        json!({}),
    );
    assert_eq!(
        recent["employees"]["edges"],
        json!([{"node": {"id": "30"}}])
    );
}

#[test]
fn mutations_round_trip_through_the_api() {
    let api = api();
    let added = run(
        &api,
        r#"mutation { addDepartment(addDepartmentInput: {name: "Research", departmentLead: 3}) { department { id name departmentLead { id } } } }"#,
        json!({}),
    );
    let id = added["addDepartment"]["department"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        added["addDepartment"]["department"]["departmentLead"]["id"],
        json!("3")
    );
    let updated = run(
        &api,
        "mutation($id: ID!) { updateDepartment(updateDepartmentInput: {id: $id, description: \"R&D\"}) { department { name description } } }",
        json!({"id": id}),
    );
    assert_eq!(
        updated["updateDepartment"]["department"],
        json!({"name": "Research", "description": "R&D"})
    );
    let deleted = run(
        &api,
        "mutation($id: ID!) { deleteDepartment(deleteDepartmentInput: {id: $id}) { deletedDepartmentId } }",
        json!({"id": id}),
    );
    assert_eq!(
        deleted["deleteDepartment"]["deletedDepartmentId"],
        json!(id)
    );
    let (code, _) = fail(
        &api,
        "mutation($id: ID!) { deleteDepartment(deleteDepartmentInput: {id: $id}) { deletedDepartmentId } }",
        json!({"id": id}),
    );
    assert_eq!(code, ErrorCode::NotFound);
    let location = run(
        &api,
        r#"mutation { addLocation(addLocationInput: {name: "Lisbon", locationLead: 12}) { location { id locationLead { id } } } }"#,
        json!({}),
    );
    let id = location["addLocation"]["location"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let renamed = run(
        &api,
        "mutation($id: ID!) { updateLocation(updateLocationInput: {id: $id, name: \"Porto\"}) { location { name locationLead { id } } } }",
        json!({"id": id}),
    );
    assert_eq!(
        renamed["updateLocation"]["location"],
        json!({"name": "Porto", "locationLead": {"id": "12"}})
    );
    run(
        &api,
        "mutation($id: ID!) { deleteLocation(deleteLocationInput: {id: $id}) { deletedLocationId } }",
        json!({"id": id}),
    );
    let hire = run(
        &api,
        r#"mutation { addPendingHire(pendingHireInfo: {firstName: "Ada", lastName: "Lovelace", workCountryCode: "GBR", manager: 9, department: 1, location: 5,
        customFieldValues: [{customFieldId: "mentor", value: "35"}, {customFieldId: "t_shirt_size", value: "M"}]}) {
        id firstName workCountryCode manager { id } department { id } location { id } hrManager { id }
        customFieldValues { customField { id } value } } }"#,
        json!({}),
    );
    assert_eq!(
        hire["addPendingHire"]["customFieldValues"],
        json!([
            {"customField": {"id": "mentor"}, "value": 35},
            {"customField": {"id": "t_shirt_size"}, "value": "M"}
        ])
    );
    let (code, message) = fail(
        &api,
        r#"mutation { addPendingHire(pendingHireInfo: {firstName: "A", lastName: "B", workCountryCode: "USA", customFieldValues: [{customFieldId: "primary_social_club", value: 1}]}) { id } }"#,
        json!({}),
    );
    assert_eq!(code, ErrorCode::BadUserInput);
    assert!(message.contains("team category"), "{message}");
}

#[test]
fn concurrent_updates_lose_nothing() {
    let api = api();
    const FIELDS: [&str; 8] = [
        "about",
        "title",
        "phoneNumber",
        "middleName",
        "suffix",
        "preferredFirstName",
        "preferredLastName",
        "personalEmail",
    ];
    const ROUNDS: usize = 25;
    let threads: Vec<_> = FIELDS
        .iter()
        .enumerate()
        .map(|(t, field)| {
            let api = Arc::clone(&api);
            std::thread::spawn(move || {
                for round in 0..ROUNDS {
                    let value = if *field == "personalEmail" {
                        format!("thread{t}.round{round}@example.com")
                    } else {
                        format!("thread {t} round {round}")
                    };
                    // Each thread writes its own field of employee 20, and its own employees' titles.
                    let query = format!("mutation {{ a: updateEmployeeProfile(id: 20, employeeUpdates: {{{field}: \"{value}\"}}) {{ id }} b: updateEmployeeProfile(id: {}, employeeUpdates: {{title: \"thread {t} round {round}\"}}) {{ id }} }}", 100 + t * ROUNDS + round);
                    run(&api, &query, json!({}));
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().unwrap();
    }
    let store = api.store().read();
    let e = &store.employees[&20].data;
    let last = ROUNDS - 1;
    let written = [
        &e.about,
        &e.title,
        &e.phone_number,
        &e.middle_name,
        &e.suffix,
        &e.preferred_first_name,
        &e.preferred_last_name,
    ];
    for (t, value) in written.into_iter().enumerate() {
        assert_eq!(
            value.as_deref(),
            Some(format!("thread {t} round {last}").as_str()),
            "{}",
            FIELDS[t]
        );
    }
    assert_eq!(
        e.personal_email.as_deref(),
        Some(format!("thread7.round{last}@example.com").as_str())
    );
    for t in 0..FIELDS.len() {
        for round in 0..ROUNDS {
            let id = (100 + t * ROUNDS + round) as u32;
            assert_eq!(
                store.employees[&id].data.title.as_deref(),
                Some(format!("thread {t} round {round}").as_str())
            );
        }
    }
}

#[test]
fn the_three_states_reach_the_resolvers() {
    // The generated input keeps absent and null apart: the foundation of partial updates.
    let absent: super::schema::UpdateEmployee = serde_json::from_value(json!({})).unwrap();
    let null: super::schema::UpdateEmployee =
        serde_json::from_value(json!({"title": null})).unwrap();
    assert_eq!(absent.title, MaybeAbsent::Absent);
    assert_eq!(null.title, MaybeAbsent::Null);
}
