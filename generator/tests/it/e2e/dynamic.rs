//! `Config::dynamic_backend` (`test_data/dynamic_backend.graphql`): the generated module served from a backend that
//! answers each field as JSON. Arguments reach it as the generated types write them (an absent argument left out, a
//! null kept), an entity's fields are asked for one by one with the parent's JSON, a union member names itself, and
//! an answer the field's type cannot hold is an internal error at that field, never data.

use std::sync::Mutex;

use runtime::dynamic::{Backend, Dynamic, FieldCall};
use runtime::engine::Limits;
use runtime::response::{JsonMap, JsonValue};
use runtime::{FieldError, FieldResult};
use serde_json::{Value, json};

use super::compiled::dynamic_backend::{engine, execute};

/// Tasks and teams as JSON, by id; every call it receives is recorded.
struct Store {
    entities: Value,
    calls: Mutex<Vec<String>>,
}

impl Store {
    fn new(entities: Value) -> Self {
        Store {
            entities,
            calls: Mutex::new(Vec::new()),
        }
    }

    fn entity(&self, id: &str) -> JsonValue {
        let value = &self.entities[id];
        serde_json::from_value(value.clone()).unwrap()
    }

    fn answer(&self, call: &FieldCall<'_>) -> FieldResult<JsonValue> {
        let arguments: Value = serde_json::to_value(&call.arguments).unwrap();
        let parent_id = call
            .parent
            .and_then(|p| p.get("id"))
            .and_then(JsonValue::as_str)
            .unwrap_or_default()
            .to_owned();
        self.calls.lock().unwrap().push(format!(
            "{}.{}({arguments}) of {parent_id:?}",
            call.type_name, call.field
        ));
        let entity = |id: &str| Ok(self.entity(id));
        match (call.type_name, call.field) {
            ("Query", "task") => entity(arguments["id"].as_str().unwrap_or_default()),
            ("Query", "board") => Ok(serde_json::from_value(
                json!({"name": "Roadmap", "items": ["t1", "team1"]}),
            )
            .unwrap()),
            ("Mutation", "renameTask") => entity(arguments["id"].as_str().unwrap_or_default()),
            ("Board", "items") => {
                Ok(
                    serde_json::from_value(json!([self.entities["t1"], self.entities["team1"]]))
                        .unwrap(),
                )
            }
            (_, field) => {
                let record = &self.entities[parent_id.as_str()];
                match (field, &record[field]) {
                    ("team" | "lead", Value::String(id)) => entity(id),
                    (_, value) => Ok(serde_json::from_value(value.clone()).unwrap()),
                }
            }
        }
    }
}

impl Backend for Store {
    async fn resolve(&self, call: FieldCall<'_>) -> FieldResult<JsonValue> {
        if call.field == "renameTask" && call.arguments.get("title") == Some(&JsonValue::Null) {
            return Err(FieldError::bad_input("a task keeps a title"));
        }
        self.answer(&call)
    }
}

fn store() -> Store {
    Store::new(json!({
        "t1": {"__typename": "Task", "id": "t1", "title": "Ship", "labels": [{"text": "urgent"}], "team": "team1"},
        "t2": {"__typename": "Task", "id": "t2", "title": 5, "labels": [], "team": "team1"},
        "team1": {"__typename": "Team", "id": "team1", "name": "Core", "lead": "t1"},
    }))
}

fn run(store: Store, query: &str) -> (Value, Vec<String>) {
    let engine = engine(Limits::default());
    let prepared = engine.prepare(query).expect("a valid operation");
    let backend = Dynamic(store);
    let response =
        futures::executor::block_on(execute(&backend, &engine, &prepared, None, &JsonMap::new()));
    let data: Value = response
        .data
        .as_ref()
        .map_or(Value::Null, |d| serde_json::from_str(d.as_str()).unwrap());
    let errors: Vec<Value> = response
        .errors
        .iter()
        .map(|e| json!({"code": e.code.as_str(), "message": e.message, "path": format!("{:?}", e.path)}))
        .collect();
    let calls = backend.0.calls.into_inner().unwrap();
    (json!({"data": data, "errors": errors}), calls)
}

#[test]
fn an_entitys_fields_are_asked_for_with_its_json_and_read_into_their_types() {
    let (answer, calls) = run(
        store(),
        r#"{ task(id: "t1") { title labels { text } team { name lead { title } } } }"#,
    );
    assert_eq!(
        answer,
        json!({"data": {"task": {"title": "Ship", "labels": [{"text": "urgent"}],
            "team": {"name": "Core", "lead": {"title": "Ship"}}}}, "errors": []})
    );
    assert_eq!(
        calls,
        [
            r#"Query.task({"id":"t1"}) of """#,
            r#"Task.title({}) of "t1""#,
            r#"Task.labels({}) of "t1""#,
            r#"Task.team({}) of "t1""#,
            r#"Team.name({}) of "team1""#,
            r#"Team.lead({}) of "team1""#,
            r#"Task.title({}) of "t1""#,
        ]
    );
}

#[test]
fn arguments_reach_the_backend_three_state() {
    let (absent, calls) = run(store(), r#"mutation { renameTask(id: "t1") { title } }"#);
    assert_eq!(absent["data"]["renameTask"]["title"], "Ship", "{absent}");
    assert_eq!(calls[0], r#"Mutation.renameTask({"id":"t1"}) of """#);
    let (null, _) = run(
        store(),
        r#"mutation { renameTask(id: "t1", title: null) { title } }"#,
    );
    assert_eq!(null["data"]["renameTask"], Value::Null, "{null}");
    assert_eq!(null["errors"][0]["code"], "BAD_USER_INPUT", "{null}");
    let (value, calls) = run(
        store(),
        r#"mutation { renameTask(id: "t1", title: "Sail") { id } }"#,
    );
    assert_eq!(value["errors"], json!([]), "{value}");
    assert_eq!(
        calls[0],
        r#"Mutation.renameTask({"id":"t1","title":"Sail"}) of """#
    );
}

#[test]
fn union_members_name_themselves() {
    let (answer, _) = run(
        store(),
        "{ board { name items { __typename ... on Task { title } ... on Team { name } } } }",
    );
    assert_eq!(
        answer["data"]["board"],
        json!({"name": "Roadmap", "items": [
            {"__typename": "Task", "title": "Ship"},
            {"__typename": "Team", "name": "Core"},
        ]}),
        "{answer}"
    );
}

#[test]
fn an_answer_its_type_cannot_hold_is_an_internal_error_at_its_field() {
    let (answer, _) = run(store(), r#"{ task(id: "t2") { id title } }"#);
    assert_eq!(answer["data"]["task"], Value::Null, "{answer}");
    let error = &answer["errors"][0];
    assert_eq!(error["code"], "INTERNAL", "{answer}");
    let message = error["message"].as_str().unwrap();
    assert!(message.contains("Task.title"), "{message}");
    assert!(
        error["path"].as_str().unwrap().contains("title"),
        "{answer}"
    );
}
