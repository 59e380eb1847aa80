//! The checks run on every schema, and shown able to fail on a small schema of our own.

use apollo_compiler::Schema;

use super::check::check;
use crate::support::{APIS, read, schema, schemas_dir};

#[test]
fn mutation_semantics_fit_the_types() {
    let mut failures = Vec::new();
    let mut declared = Vec::new();
    for api in APIS {
        let (problems, count) = check(&schema(api));
        failures.extend(problems.into_iter().map(|p| format!("{api}: {p}")));
        declared.push((api, count));
    }
    assert!(
        failures.is_empty(),
        "{} problems:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        declared.contains(&("worksome", 101)),
        "effects checked: {declared:?}"
    );
}

/// A small schema of our own: `createTask` is sound, every other declaration breaks one rule.
const BROKEN: &str = r#"
schema @auth(scheme: BEARER_TOKEN, roles: ["member"]) @account(role: "member", type: "Team") {
  query: Query
  mutation: Mutation
}
type Query {
  viewer: Person!
  team(id: ID!): Team
  task(id: ID!): Task
  tasks(team: ID, first: Int! = 10, page: Int): TaskPaginator! @paginated(style: LIGHTHOUSE)
}
type PaginatorInfo { count: Int! }
type TaskPaginator { paginatorInfo: PaginatorInfo! data: [Task!]! }
type Person @entity(lookup: "viewer") { id: ID! name: String! }
type Team @entity(lookup: "team") { id: ID! name: String! members: [Person!]! @relation }
enum TaskStatus { OPEN DONE }
type Task @entity(lookup: "task", list: "tasks", listFilter: {argument: "teams", field: "team"}) {
  id: ID!
  title: String!
  status: TaskStatus!
  team: Team!
  done: Boolean!
}
input TaskInput { id: ID, title: String, team: ID, ids: [ID!] }
type Mutation {
  createTask(input: TaskInput!): Task!
    @effect(kind: CREATE, entity: "Task", fields: [{field: "status", value: "OPEN"}], owners: [{field: "team", role: "member"}])
  finishTask(input: TaskInput!): Task!
    @effect(kind: TRANSITION, entity: "Task", id: "input.id", statusField: "status", from: ["OPEN"], to: "CLOSED")
  renameTask(input: TaskInput!): Task!
    @effect(kind: UPDATE, entity: "Task", id: "input.id", fields: [{field: "name", input: "input.title"}], beyondFields: ["colour"])
  moveTasks(input: TaskInput!): Task! @effect(kind: UPDATE, entity: "Task", id: "input.ids")
  resetTask(input: TaskInput!): Task!
    @effect(kind: UPDATE, entity: "Task", id: "input.id", fields: [{field: "done", value: "null"}])
  retitleTask(input: TaskInput!): Task!
    @effect(kind: UPDATE, entity: "Task", id: "input.id", fields: [{field: "done", input: "input.title"}])
  deleteTask(input: TaskInput!): Team! @effect(kind: DELETE, entity: "Task", id: "input.id")
  joinTeam(input: TaskInput!): Team!
    @effect(kind: ATTACH, entity: "Team", id: "input.team", relation: "name", members: "input.ids")
  guardTask(input: TaskInput!): Task!
    @effect(
      kind: DELETE
      entity: "Task"
      id: "input.id"
      owners: [{field: "title", role: "boss"}]
      requires: [{invariant: "open", field: "status", oneOf: ["SHUT"]}]
    )
    @invariant(name: "unused", statement: "Never checked.")
}
"#;

#[test]
fn broken_declarations_are_reported() {
    let rules = schemas_dir().join("rules.graphql");
    let schema = Schema::builder()
        .parse(read(&rules), &rules)
        .parse(BROKEN, "broken.graphql")
        .build()
        .unwrap_or_else(|e| panic!("broken.graphql does not build:\n{}", e.errors))
        .validate()
        .unwrap_or_else(|e| panic!("broken.graphql is no valid schema:\n{}", e.errors));
    let (mut problems, declared) = check(&schema);
    problems.sort();
    assert_eq!(declared, 9);
    let expected = [
        "@entity on Task: list `tasks` has no argument `teams`",
        "deleteTask: the result shows Team, not the entity Task",
        "finishTask: [\"CLOSED\"] are not values of TaskStatus",
        "guardTask: @invariant `unused` is checked by no `requires` condition",
        "guardTask: owner role `boss` has no @account",
        "guardTask: requires `open`: no @invariant of that name on the field",
        "joinTeam: `Team.name` is no @relation",
        "moveTasks: `input.ids` names several ids where one is expected",
        "renameTask: `beyondFields` without `beyond`",
        "renameTask: beyondFields: `Task` has no field `colour`",
        "renameTask: write `name`: `Task` has no field `name`",
        "resetTask: write `done`: null is no value of Boolean",
        "retitleTask: write `done`: `input.title` (String) does not fit Boolean",
    ];
    assert_eq!(problems, expected);
}
