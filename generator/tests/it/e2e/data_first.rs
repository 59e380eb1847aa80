//! Data first, as a new user meets it (`test_data/data_first.graphql`): one query implemented, returning ordinary
//! nested data (a page of employees with their managers, boxed where a type holds itself); every other field
//! answers "not implemented: Type.field" until written; an interface built `From` a member and read through its
//! accessors.

use runtime::engine::Limits;
use runtime::response::JsonMap;
use runtime::{FieldResult, Id};
use serde_json::{Value, json};

use super::compiled::data_first::*;

struct OnePage;

impl QueryResolvers for OnePage {
    async fn page(&self) -> FieldResult<EmployeePage> {
        let ada = employee("1", "Ada", None);
        let grace = employee("2", "Grace", Some(ada.clone()));
        Ok(EmployeePage {
            nodes: vec![ada, grace],
            info: PageInfo {
                total: 2,
                has_more: false,
            },
        })
    }
}

impl Resolvers for OnePage {
    fn query(&self) -> &impl QueryResolvers {
        self
    }
}

fn employee(id: &str, name: &str, manager: Option<Employee>) -> Employee {
    Employee {
        id: Id::from(id),
        name: name.to_owned(),
        manager: manager.map(Box::new),
        unit: None,
        team: Vec::new(),
    }
}

fn run(query: &str) -> Value {
    let engine = engine(Limits::default());
    let prepared = engine.prepare(query).unwrap();
    let response =
        futures::executor::block_on(execute(&OnePage, &engine, &prepared, None, &JsonMap::new()));
    serde_json::to_value(&response).unwrap()
}

#[test]
fn one_query_implemented_returns_nested_data() {
    let response =
        run("{ page { nodes { name manager { name unit { name } } } info { total hasMore } } }");
    assert_eq!(
        response,
        json!({"data": {"page": {
            "nodes": [
                {"name": "Ada", "manager": null},
                {"name": "Grace", "manager": {"name": "Ada", "unit": null}}
            ],
            "info": {"total": 2, "hasMore": false}
        }}})
    );
}

#[test]
fn fields_not_written_answer_not_implemented() {
    let response = run(r#"{ employee(id: "1") { name } page { nodes { reports { name } } } }"#);
    let errors = response["errors"].as_array().unwrap();
    let messages: Vec<&str> = errors
        .iter()
        .map(|e| e["message"].as_str().unwrap())
        .collect();
    assert_eq!(
        messages,
        [
            "not implemented: Query.employee",
            "not implemented: Employee.reports"
        ]
    );
    assert_eq!(errors[0]["extensions"]["code"], "NOT_IMPLEMENTED");
    assert_eq!(errors[0]["extensions"]["coordinate"], "Query.employee");
    // `reports` and `page` are non-null: the error nulls everything up to `data`.
    assert_eq!(response["data"], Value::Null);
}

#[test]
fn an_interface_is_built_from_a_member_and_read_through_accessors() {
    let person: Person = Contractor {
        id: Id::from("c1"),
        name: "Lin".to_owned(),
        agency: None,
    }
    .into();
    assert_eq!(
        (person.id().as_str(), person.name().as_str()),
        ("c1", "Lin")
    );
    let json = serde_json::to_value(&person).unwrap();
    assert_eq!(json["__typename"], "Contractor");
    assert_eq!(serde_json::from_value::<Person>(json).unwrap(), person);
}
