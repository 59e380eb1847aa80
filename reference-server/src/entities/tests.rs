//! The store is generic: it serves a small schema of its own (`test_data/entities/tasks.graphql`, with the same
//! directives as Worksome and none of its names) through the same executor, each effect kind checked by reading
//! back through the declared lookups and list.

use runtime::engine::{Engine, Limits};
use runtime::response::Response;
use serde_json::{Value, json};

use runtime::dynamic::Dynamic;

use super::{Caller, Data, Defects, Model, PagingDefects, Store, StoreBackend};

mod tasks {
    runtime::include_schema!(pub mod tasks);
}
use tasks::tasks::{RULES, engine, execute};

const FIXTURES: &str = include_str!("../../test_data/entities/tasks.json");

struct Server {
    model: Model,
    store: Store,
    engine: Engine,
    defects: Defects,
}

fn server(defects: Defects) -> Server {
    server_of(FIXTURES, defects)
}

fn server_of(fixtures: &str, defects: Defects) -> Server {
    let engine = engine(Limits::default());
    let model = Model::new(engine.schema().clone(), &RULES);
    let data = Data::from_json(fixtures, |t| RULES.entity(t).is_some()).expect("fixtures load");
    Server {
        model,
        store: Store::new(data),
        engine,
        defects,
    }
}

/// Team 10's lead (user 1); `other` is team 11's (user 2).
fn lead() -> Caller {
    Caller {
        role: Some("lead".into()),
        account: Some("10".into()),
        user: Some("1".into()),
    }
}

fn other() -> Caller {
    Caller {
        role: Some("lead".into()),
        account: Some("11".into()),
        user: Some("2".into()),
    }
}

impl Server {
    fn run(&self, caller: &Caller, query: &str) -> Value {
        let prepared = self.engine.prepare(query).expect("a valid operation");
        let variables = Default::default();
        let backend = StoreBackend::new(
            &self.model,
            &self.store,
            caller,
            "2026-12-03T10:00:00.000000Z",
            self.defects,
        );
        let response: Response = futures::executor::block_on(execute(
            &Dynamic(backend),
            &self.engine,
            &prepared,
            None,
            &variables,
        ));
        let data: Value = response.data.as_ref().map_or(Value::Null, |d| {
            serde_json::from_slice(d.as_bytes()).expect("JSON data")
        });
        let errors: Vec<Value> = response
            .errors
            .iter()
            .map(|e| {
                json!({
                    "message": e.message,
                    "code": e.code.as_str(),
                    "validation": e.extensions.get("validation").map(|v| v.to_string()),
                })
            })
            .collect();
        if errors.is_empty() {
            json!({"data": data})
        } else {
            json!({"data": data, "errors": errors})
        }
    }

    fn task(&self, id: &str) -> Value {
        self.run(
            &lead(),
            &format!("{{ task(id: \"{id}\") {{ id title notes estimate status closedAt team {{ id }} }} }}"),
        )["data"]["task"]
            .clone()
    }

    fn listed(&self, query: &str) -> Value {
        self.run(&lead(), query)["data"]["tasks"].clone()
    }
}

fn ids(page: &Value) -> Vec<String> {
    page["data"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|t| t["id"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[test]
fn create_writes_the_input_and_declared_values_and_reads_back() {
    let s = server(Defects::default());
    let created = s.run(
        &lead(),
        r#"mutation { createTask(input: {team: "10", title: "Ship", estimate: 5}) { id title status estimate notes } }"#,
    );
    let task = &created["data"]["createTask"];
    assert_eq!(task["title"], "Ship");
    assert_eq!(task["status"], "OPEN");
    assert_eq!(task["notes"], Value::Null);
    let id = task["id"].as_str().expect("an id");
    assert_eq!(s.task(id)["estimate"], 5);
    let listed = s.listed(r#"{ tasks(teams: ["10"], first: 50) { data { id } } }"#);
    assert!(ids(&listed).contains(&id.to_owned()), "{listed}");
}

#[test]
fn refusals_change_nothing() {
    let s = server(Defects::default());
    let before =
        s.listed("{ tasks(first: 50) { paginatorInfo { total } data { id title status } } }");
    let refused = [
        // Another team's lead creating on team 10: ownership.
        (
            other(),
            r#"mutation { createTask(input: {team: "10", title: "X"}) { id } }"#,
            "FORBIDDEN",
        ),
        // An id naming nothing: validation keyed by the path.
        (
            lead(),
            r#"mutation { updateTask(input: {id: "999", title: "X"}) { id } }"#,
            "BAD_USER_INPUT",
        ),
        // A reference to nothing.
        (
            lead(),
            r#"mutation { createTask(input: {team: "77", title: "X"}) { id } }"#,
            "BAD_USER_INPUT",
        ),
        // A precondition.
        (
            lead(),
            r#"mutation { createTask(input: {team: "10", title: "X", estimate: 4}) { id } }"#,
            "BAD_USER_INPUT",
        ),
        // A transition from a status outside `from`.
        (
            lead(),
            r#"mutation { closeTask(input: {id: "31"}) { id } }"#,
            "BAD_USER_INPUT",
        ),
        // Null into a non-null field.
        (
            lead(),
            r#"mutation { updateTask(input: {id: "30", title: null}) { id } }"#,
            "BAD_USER_INPUT",
        ),
        // One bad element of `each` refuses them all.
        (
            lead(),
            r#"mutation { createTasks(input: [{team: "10", title: "A"}, {team: "11", title: "B"}]) { id } }"#,
            "FORBIDDEN",
        ),
    ];
    for (caller, query, code) in refused {
        let answer = s.run(&caller, query);
        assert_eq!(answer["errors"][0]["code"], code, "{query}: {answer}");
    }
    let after =
        s.listed("{ tasks(first: 50) { paginatorInfo { total } data { id title status } } }");
    assert_eq!(before, after);
}

#[test]
fn errors_are_keyed_by_the_input_path() {
    let s = server(Defects::default());
    let answer = s.run(
        &lead(),
        r#"mutation { updateTask(input: {id: "999"}) { id } }"#,
    );
    assert_eq!(
        answer["errors"][0]["validation"],
        json!({"input.id": ["The selected input.id is invalid."]}).to_string()
    );
    let answer = s.run(
        &lead(),
        r#"mutation { createTask(input: {team: "10", title: "X", estimate: 4}) { id } }"#,
    );
    assert_eq!(
        answer["errors"][0]["validation"],
        json!({"input.estimate": ["The estimate must be one of 1, 2, 3, 5 and 8."]}).to_string()
    );
}

#[test]
fn update_is_three_state_and_replace_clears_what_is_absent() {
    let s = server(Defects::default());
    s.run(
        &lead(),
        r#"mutation { updateTask(input: {id: "30", title: "Plan again", notes: null}) { id } }"#,
    );
    let task = s.task("30");
    assert_eq!(
        (&task["title"], &task["notes"], &task["estimate"]),
        (&json!("Plan again"), &Value::Null, &json!(3)),
        "absent leaves, null clears, a value replaces"
    );
    s.run(
        &lead(),
        r#"mutation { replaceTask(input: {id: "30", title: "Only"}) { id } }"#,
    );
    assert_eq!(
        s.task("30")["estimate"],
        Value::Null,
        "a REPLACE clears what is absent"
    );

    let faulty = server(Defects {
        absent_clears: true,
        ..Defects::default()
    });
    faulty.run(
        &lead(),
        r#"mutation { updateTask(input: {id: "30", title: "T"}) { id } }"#,
    );
    assert_eq!(
        faulty.task("30")["estimate"],
        Value::Null,
        "the fault clears unmentioned fields"
    );
}

#[test]
fn delete_reads_null_leaves_lists_and_is_no_longer_a_target() {
    let s = server(Defects::default());
    let deleted = s.run(
        &lead(),
        r#"mutation { deleteTask(input: {id: "30"}) { id title } }"#,
    );
    assert_eq!(
        deleted["data"]["deleteTask"]["title"], "Plan",
        "the result is the entity as it was"
    );
    assert_eq!(s.task("30"), Value::Null);
    assert!(!ids(&s.listed("{ tasks { data { id } } }")).contains(&"30".to_owned()));
    let again = s.run(
        &lead(),
        r#"mutation { updateTask(input: {id: "30", title: "X"}) { id } }"#,
    );
    assert_eq!(again["errors"][0]["code"], "BAD_USER_INPUT");

    let faulty = server(Defects {
        deleted_listed: true,
        ..Defects::default()
    });
    faulty.run(
        &lead(),
        r#"mutation { deleteTask(input: {id: "30"}) { id } }"#,
    );
    assert_eq!(faulty.task("30"), Value::Null);
    assert!(ids(&faulty.listed("{ tasks { data { id } } }")).contains(&"30".to_owned()));
}

#[test]
fn transition_copy_each_relations_and_actions() {
    let s = server(Defects::default());
    let closed = s.run(
        &lead(),
        r#"mutation { closeTask(input: {id: "30"}) { status closedAt } }"#,
    );
    assert_eq!(
        closed["data"]["closeTask"],
        json!({"status": "DONE", "closedAt": "2026-12-03T10:00:00.000000Z"})
    );

    let copy = s.run(&lead(), r#"mutation { copyTask(input: {from: "30", title: "Plan B"}) { id title notes estimate } }"#);
    assert_eq!(copy["data"]["copyTask"]["notes"], "first", "{copy}");
    assert_eq!(copy["data"]["copyTask"]["title"], "Plan B");
    let copy_id = copy["data"]["copyTask"]["id"].clone();

    let many = s.run(
        &lead(),
        r#"mutation { createTasks(input: [{team: "10", title: "A"}, {team: "10", title: "B"}]) { title } }"#,
    );
    assert_eq!(
        many["data"]["createTasks"],
        json!([{"title": "A"}, {"title": "B"}])
    );

    let members = |answer: &Value, field: &str| answer["data"][field]["members"].clone();
    let added = s.run(
        &lead(),
        r#"mutation { addMembers(input: {team: "10", people: ["3", "1"]}) { members { id } } }"#,
    );
    assert_eq!(
        members(&added, "addMembers"),
        json!([{"id": "1"}, {"id": "3"}]),
        "attaching a member twice changes nothing"
    );
    let removed = s.run(
        &lead(),
        r#"mutation { removeMembers(input: {team: "10", people: ["1"]}) { members { id } } }"#,
    );
    assert_eq!(members(&removed, "removeMembers"), json!([{"id": "3"}]));

    let faulty = server(Defects {
        detach_kept: true,
        ..Defects::default()
    });
    let kept = faulty.run(
        &lead(),
        r#"mutation { removeMembers(input: {team: "10", people: ["1"]}) { members { id } } }"#,
    );
    assert_eq!(
        members(&kept, "removeMembers"),
        json!([{"id": "1"}]),
        "the fault answers a DETACH and leaves the members"
    );

    let project = s.run(
        &lead(),
        r#"{ project(id: "20") { tasks { data { id } } } }"#,
    );
    assert_eq!(
        project["data"]["project"]["tasks"]["data"],
        json!([{"id": "30"}, {"id": copy_id}]),
        "an inverse relation (the copy kept the project)"
    );
    s.run(
        &lead(),
        r#"mutation { moveTask(input: {id: "31", project: "20"}) { id } }"#,
    );
    let project = s.run(
        &lead(),
        r#"{ project(id: "20") { tasks { data { id } } } }"#,
    );
    assert_eq!(
        project["data"]["project"]["tasks"]["data"],
        json!([{"id": "30"}, {"id": "31"}, {"id": copy_id}])
    );

    assert_eq!(
        s.run(&lead(), "mutation { ping }")["data"]["ping"],
        Value::Null
    );
    assert_eq!(
        s.run(&lead(), "{ viewer { name } }")["data"]["viewer"]["name"],
        "Ada"
    );
}

#[test]
fn lighthouse_pages_are_exact() {
    let s = server(Defects::default());
    let info = |query: &str| s.listed(query)["paginatorInfo"].clone();
    assert_eq!(
        info(
            "{ tasks(first: 2, page: 2) { paginatorInfo { count currentPage firstItem lastItem hasMorePages lastPage perPage total } } }"
        ),
        json!({"count": 1, "currentPage": 2, "firstItem": 3, "lastItem": 3, "hasMorePages": false, "lastPage": 2, "perPage": 2, "total": 3})
    );
    assert_eq!(
        info(
            "{ tasks(first: 2, page: 5) { paginatorInfo { count firstItem lastItem hasMorePages lastPage } } }"
        ),
        json!({"count": 0, "firstItem": null, "lastItem": null, "hasMorePages": false, "lastPage": 2}),
        "past the last page"
    );
    assert_eq!(
        info("{ tasks { paginatorInfo { perPage } } }"),
        json!({"perPage": 10}),
        "the default size"
    );
    assert_eq!(
        ids(&s.listed(r#"{ tasks(status: [DONE]) { data { id } } }"#)),
        ["31"],
        "a filter by status"
    );
    let refused = s.run(&lead(), "{ tasks(first: 0) { data { id } } }");
    assert_eq!(
        refused["errors"][0]["validation"],
        json!({"first": ["The first must be at least 1."]}).to_string()
    );

    let faulty = server(Defects {
        paging: PagingDefects {
            last_item_off_by_one: true,
            more_pages_on_last: true,
            page_below_one_served: false,
        },
        ..Defects::default()
    });
    let info =
        faulty.listed("{ tasks(first: 2, page: 2) { paginatorInfo { lastItem hasMorePages } } }");
    assert_eq!(
        info["paginatorInfo"],
        json!({"lastItem": 4, "hasMorePages": true})
    );
}

#[test]
fn ownership_and_preconditions_can_be_switched_off_by_faults() {
    let faulty = server(Defects {
        ownership_ignored: true,
        preconditions_ignored: true,
        any_source_status: true,
        ..Defects::default()
    });
    for query in [
        r#"mutation { updateTask(input: {id: "30", title: "Mine now"}) { id } }"#,
        r#"mutation { createTask(input: {team: "10", title: "X", estimate: 4}) { id } }"#,
        r#"mutation { closeTask(input: {id: "31"}) { id } }"#,
    ] {
        let answer = faulty.run(&other(), query);
        assert!(answer.get("errors").is_none(), "{query}: {answer}");
    }
}

#[test]
fn a_stored_value_outside_its_type_is_an_internal_error_not_data() {
    // Task 30's status is no value of TaskStatus: the answer is read into the generated types before it is served.
    let fixtures = FIXTURES.replacen(r#""status": "OPEN""#, r#""status": "LOST""#, 1);
    let s = server_of(&fixtures, Defects::default());
    let answer = s.run(&lead(), r#"{ task(id: "30") { title status } }"#);
    assert_eq!(answer["data"]["task"], Value::Null, "{answer}");
    assert_eq!(answer["errors"][0]["code"], "INTERNAL", "{answer}");
    let message = answer["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("Task.status") && message.contains("LOST"),
        "{answer}"
    );
    // Its other fields read: each is read into its type when it is asked for.
    let title = s.run(&lead(), r#"{ task(id: "30") { title } }"#);
    assert_eq!(title["data"]["task"]["title"], "Plan", "{title}");
    // Another task still reads.
    assert_eq!(s.task("32")["status"], "OPEN");
}
