//! Differential tests of the two executors over the served APIs: random operations of the Greenhouse and Workable
//! schemas, valid by construction (random fields, arguments from the fixtures' real ids or literals, aliases,
//! fragments, `@skip`/`@include`, variables), executed through the fast executor (`GraphqlApi::execute`) and the
//! reference executor (`execute_reference`, apollo-compiler's resolvers) must give the same response, byte for byte.
//! Mutations run on two stores built from the same seed, one per executor.

use std::collections::HashMap;
use std::sync::Arc;

use reference_server::api::{
    ComplexityInfo, ExecRequest, GraphqlApi, Principal, RateLimitInfo, RequestMeta,
};
use reference_server::greenhouse::GreenhouseApi;
use reference_server::workable::WorkableApi;
use reference_server::{Faults, fixtures};
use runtime::engine::Limits;
use runtime::response::{JsonMap, Response};
use runtime::testing::{Operation, Options, compare, random_operation};
use serde_json::{Value, json};

/// Random operations per API.
const CASES: u64 = 300;

fn limits() -> Limits {
    Limits {
        max_bytes: 1 << 20,
        max_tokens: 100_000,
        max_depth: 64,
        max_fields: 1_000_000,
        max_aliases: 10_000,
        max_directives: 10_000,
        ..Limits::default()
    }
}

fn meta() -> RequestMeta {
    RequestMeta {
        complexity: Some(ComplexityInfo {
            score: 42,
            maximum: 2500,
        }),
        rate_limit: Some(RateLimitInfo {
            limit: 100,
            remaining: 97,
            reset_at: "2026-01-02T03:04:05Z".parse().unwrap(),
            cost: 1,
        }),
        origin: None,
    }
}

/// Runs an execution to its end (on a Tokio runtime: Workable's resolvers sleep).
fn block_on(future: futures::future::LocalBoxFuture<'static, Response>) -> Response {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(future)
}

/// Both executors of one API, over stores of the same seed.
trait Executors {
    fn api(&self) -> Arc<dyn GraphqlApi>;
    fn run(&self, request: ExecRequest, fast: bool) -> Response;
    /// A second instance over a fresh store of the same seed (for mutations, which must see the same state).
    fn fresh(&self) -> Self;
}

struct Greenhouse(Arc<GreenhouseApi>);

impl Executors for Greenhouse {
    fn api(&self) -> Arc<dyn GraphqlApi> {
        self.0.clone()
    }

    fn run(&self, request: ExecRequest, fast: bool) -> Response {
        let api = Arc::clone(&self.0);
        block_on(if fast {
            api.execute(request)
        } else {
            api.execute_reference(request)
        })
    }

    fn fresh(&self) -> Self {
        Greenhouse(Arc::new(GreenhouseApi::new(0, Faults::default(), limits())))
    }
}

struct Workable(Arc<WorkableApi>);

impl Executors for Workable {
    fn api(&self) -> Arc<dyn GraphqlApi> {
        self.0.clone()
    }

    fn run(&self, request: ExecRequest, fast: bool) -> Response {
        let api = Arc::clone(&self.0);
        block_on(if fast {
            api.execute(request)
        } else {
            api.execute_reference(request)
        })
    }

    fn fresh(&self) -> Self {
        Workable(Arc::new(WorkableApi::new(0, Faults::default(), limits())))
    }
}

fn request(
    api: &dyn GraphqlApi,
    principal: &Principal,
    text: &str,
    variables: &serde_json::Map<String, Value>,
) -> ExecRequest {
    let prepared = api.engine().prepare(text).unwrap_or_else(|errors| {
        panic!("the operation is invalid: {errors:?}\n{text}");
    });
    let variables: JsonMap = serde_json::from_value(Value::Object(variables.clone())).unwrap();
    ExecRequest {
        principal: principal.clone(),
        prepared,
        operation_name: None,
        variables,
        meta: meta(),
    }
}

/// Data of a query run through the fast executor, as JSON (to read fixture ids from).
fn data<E: Executors>(executors: &E, principal: &Principal, query: &str) -> Value {
    let api = executors.api();
    let response = executors.run(request(&*api, principal, query, &Default::default()), true);
    assert!(response.errors.is_empty(), "{query}: {:?}", response.errors);
    serde_json::to_value(response.data.unwrap_or_default()).unwrap()
}

/// Every string or number found under `key` anywhere in `value`.
fn collect(value: &Value, key: &str, out: &mut Vec<Value>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                if k == key && !v.is_object() && !v.is_array() && !v.is_null() {
                    out.push(v.clone());
                } else {
                    collect(v, key, out);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect(v, key, out)),
        _ => {}
    }
}

/// Runs `CASES` random operations through both executors and fails on the first difference.
fn check<E: Executors>(name: &str, executors: &E, principal: &Principal, options: &Options) {
    let api = executors.api();
    let before = runtime::exec::executions();
    let (mut mutations, mut with_errors) = (0, 0);
    for seed in 0..CASES {
        let Operation {
            text,
            variables,
            is_mutation,
        } = random_operation(api.engine().schema(), seed, options);
        let (fast, reference) = if is_mutation {
            mutations += 1;
            let (a, b) = (executors.fresh(), executors.fresh());
            let fast = a.run(request(&*a.api(), principal, &text, &variables), true);
            let reference = b.run(request(&*b.api(), principal, &text, &variables), false);
            (fast, reference)
        } else {
            let fast = executors.run(request(&*api, principal, &text, &variables), true);
            let reference = executors.run(request(&*api, principal, &text, &variables), false);
            (fast, reference)
        };
        with_errors += usize::from(!fast.errors.is_empty());
        if let Err(difference) = compare(&fast, &reference) {
            panic!(
                "{name} #{seed}: the executors differ\n{text}\nvariables: {}\n{difference}",
                Value::Object(variables)
            );
        }
    }
    let after = runtime::exec::executions();
    let fast = after.fast - before.fast;
    let fallback = after.reference - before.reference;
    println!(
        "{name}: {CASES} operations ({mutations} mutations, {with_errors} with errors), {fast} by the fast \
         executor, {fallback} fell back to the reference one"
    );
    assert!(
        fast >= CASES * 6 / 10,
        "{name}: only {fast} of {CASES} operations ran through the fast executor"
    );
}

fn candidates(values: Vec<Value>) -> Vec<Value> {
    let mut values = values;
    values.sort_by_key(|v| v.to_string());
    values.dedup();
    values.truncate(12);
    values
}

#[test]
fn greenhouse_executors_agree() {
    let executors = Greenhouse(Arc::new(GreenhouseApi::new(0, Faults::default(), limits())));
    let api = executors.api();
    let authorization = fixtures::credentials(0)
        .into_iter()
        .find(|c| c.api == "greenhouse_onboarding")
        .unwrap()
        .authorization;
    let principal = api.authenticate(Some(&authorization)).unwrap();
    let ids = data(
        &executors,
        &principal,
        "{ employees(first: 25) { edges { node { id } } } departments(first: 25) { edges { node { id } } } \
         locations(first: 25) { edges { node { id } } } customFields(first: 25) { edges { node { id } } } \
         teams(first: 25) { edges { node { id } } } otherCriteria(first: 25) { edges { node { id } } } \
         teamCategories(first: 25) { edges { node { id } } } }",
    );
    let ids_of = |field: &str| {
        let mut out = Vec::new();
        collect(&ids[field], "id", &mut out);
        let mut out = candidates(out);
        out.push(json!(99_999));
        out
    };
    let as_int = |values: Vec<Value>| -> Vec<Value> {
        values
            .into_iter()
            .filter_map(|v| match v {
                Value::String(s) => s.parse::<i64>().ok().map(Value::from),
                other => Some(other),
            })
            .collect()
    };
    let as_string = |values: Vec<Value>| -> Vec<Value> {
        values
            .into_iter()
            .map(|v| match v {
                Value::Number(n) => Value::String(n.to_string()),
                other => other,
            })
            .collect()
    };
    let employees = ids_of("employees");
    let departments = ids_of("departments");
    let locations = ids_of("locations");
    let custom_fields = ids_of("customFields");
    let mut arguments: HashMap<String, Vec<Value>> = HashMap::new();
    let mut set = |path: &str, values: Vec<Value>| {
        arguments.insert(path.to_owned(), values);
    };
    set("Query.employee.id", as_int(employees.clone()));
    set("Query.department.id", as_int(departments.clone()));
    set("Query.location.id", as_int(locations.clone()));
    set("Query.customField.id", as_string(custom_fields.clone()));
    set("Query.team.id", as_int(ids_of("teams")));
    set("Query.otherCriterion.id", as_int(ids_of("otherCriteria")));
    set("Query.teamCategory.id", as_int(ids_of("teamCategories")));
    set(
        "Query.countries.countryCodes",
        vec![json!(["US", "CA"]), json!(["FR"]), json!([])],
    );
    set("Mutation.updateEmployeeProfile.id", as_string(employees));
    set(
        "Mutation.updateEmployeeProfile.employeeUpdates",
        vec![
            json!({"firstName": "Ada", "lastName": "Lovelace", "title": "Engineer"}),
            json!({"firstName": "B", "lastName": "C", "email": null, "department": as_string(departments.clone())[0]}),
        ],
    );
    set(
        "Mutation.updateDepartment.updateDepartmentInput",
        vec![json!({"id": as_string(departments.clone())[0], "name": "Research"})],
    );
    set(
        "Mutation.deleteDepartment.deleteDepartmentInput",
        vec![json!({"id": as_string(departments)[1]})],
    );
    set(
        "Mutation.updateLocation.updateLocationInput",
        vec![json!({"id": as_string(locations.clone())[0], "address": "1 Main St"})],
    );
    set(
        "Mutation.deleteLocation.deleteLocationInput",
        vec![json!({"id": as_string(locations)[1]})],
    );
    let page_sizes = vec![json!(1), json!(3), json!(25), json!(30), json!(0)];
    let by_name = HashMap::from([
        ("first".to_owned(), page_sizes.clone()),
        ("last".to_owned(), page_sizes),
        ("customFieldIds".to_owned(), vec![json!(custom_fields)]),
    ]);
    let options = Options {
        mutations: true,
        arguments,
        by_name,
        scalars: HashMap::from([
            (
                "Date".to_owned(),
                vec![
                    json!("2020-01-01"),
                    json!("1990-05-17"),
                    json!("not a date"),
                ],
            ),
            (
                "DateTime".to_owned(),
                vec![
                    json!("2021-06-01T00:00:00Z"),
                    json!("2030-01-01T12:00:00.000Z"),
                ],
            ),
            (
                "Value".to_owned(),
                vec![json!("pizza"), json!(3), json!(["a"])],
            ),
        ]),
        // What a mutation stamps with the clock, and file URLs signed from it: they differ between two runs.
        excluded: [
            "Employee.updatedAt",
            "Employee.createdAt",
            "Department.updatedAt",
            "Department.createdAt",
            "Location.updatedAt",
            "Location.createdAt",
            "PendingHire.updatedAt",
            "PendingHire.createdAt",
            "CustomFieldValue.updatedAt",
            "CustomFieldValue.createdAt",
            "CustomFieldValue.valueUpdatedAt",
            "File.fileUrl",
            "File.expiresAt",
        ]
        .map(str::to_owned)
        .to_vec(),
        ..Options::default()
    };
    check("greenhouse", &executors, &principal, &options);
}

#[test]
fn workable_executors_agree() {
    let executors = Workable(Arc::new(WorkableApi::new(0, Faults::default(), limits())));
    let api = executors.api();
    let credential = fixtures::credentials(0)
        .into_iter()
        .find(|c| {
            c.api == "workable_members"
                && c.scopes.iter().any(|s| s == "r_jobs")
                && c.scopes.iter().any(|s| s == "w_members")
        })
        .unwrap();
    let principal = api.authenticate(Some(&credential.authorization)).unwrap();
    let subdomain = credential.account.clone().unwrap();
    let members = data(
        &executors,
        &principal,
        &format!(
            "{{ members(subdomain: \"{subdomain}\", limit: 100) {{ members {{ id email name }} }} }}"
        ),
    );
    let mut ids = Vec::new();
    collect(&members, "id", &mut ids);
    let mut emails = Vec::new();
    collect(&members, "email", &mut emails);
    let ids = candidates(ids);
    let arguments = HashMap::from([
        (
            "Query.members.subdomain".to_owned(),
            vec![json!(subdomain), json!("nobody")],
        ),
        (
            "Mutation.updateMember.subdomain".to_owned(),
            vec![json!(subdomain)],
        ),
        ("Query.members.since_id".to_owned(), ids.clone()),
        ("Query.members.max_id".to_owned(), ids.clone()),
        ("Query.members.email".to_owned(), candidates(emails)),
        (
            "Query.members.limit".to_owned(),
            vec![json!(1), json!(3), json!(200), json!(-1)],
        ),
        ("Mutation.updateMember.id".to_owned(), ids),
    ]);
    let options = Options {
        mutations: true,
        arguments,
        ..Options::default()
    };
    check("workable", &executors, &principal, &options);
}
