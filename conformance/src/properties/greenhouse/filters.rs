//! F1: the date filters of `employees` (`startDateFilter`, `dateOfBirthFilter` and their deprecated `startDate`,
//! `dateOfBirth`) select exactly the employees a model computed from one full walk predicts: `after` and `before`
//! exclusive, `on` exact, `anyValue`/`noValue` by presence, an employee without the date matching no bound.

use std::cell::RefCell;

use proptest::prelude::*;
use serde_json::Value;

use crate::ensure;
use crate::property::{Case, CaseError, Check, Context, Group, Property, check};

pub static F1: Property = Property {
    id: "F1",
    name: "date-filter-bounds",
    statement: "employees filtered by a DateFilter (after and before exclusive, on exact) or anyValue/noValue returns exactly the employees whose date satisfies it, in walk order.",
    group: Group::Filters,
    writes: false,
    max_cases: None,
    run,
};

/// Which dates a filter keeps.
type Keep = Box<dyn Fn(Option<&str>) -> bool>;

/// One employee as the model knows it.
#[derive(Debug, Clone)]
struct Row {
    id: Value,
    start_date: Option<String>,
    date_of_birth: Option<String>,
}

/// Which date, through which argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Arg {
    StartDateFilter,
    DateOfBirthFilter,
    StartDate,
    DateOfBirth,
}

impl Arg {
    fn name(self) -> &'static str {
        match self {
            Arg::StartDateFilter => "startDateFilter",
            Arg::DateOfBirthFilter => "dateOfBirthFilter",
            Arg::StartDate => "startDate",
            Arg::DateOfBirth => "dateOfBirth",
        }
    }

    fn wrapped(self) -> bool {
        matches!(self, Arg::StartDateFilter | Arg::DateOfBirthFilter)
    }

    fn date(self, row: &Row) -> Option<&str> {
        match self {
            Arg::StartDateFilter | Arg::StartDate => row.start_date.as_deref(),
            Arg::DateOfBirthFilter | Arg::DateOfBirth => row.date_of_birth.as_deref(),
        }
    }
}

/// A date: one of the data's own (the boundaries that matter) or any other.
#[derive(Debug, Clone)]
enum Pick {
    Existing(prop::sample::Index),
    Any(u16, u8, u8),
}

#[derive(Debug, Clone)]
enum Op {
    After(Pick),
    Before(Pick),
    On(Pick),
    Between(Pick, Pick),
    AnyValue,
    NoValue,
}

fn pick() -> impl Strategy<Value = Pick> {
    prop_oneof![
        3 => any::<prop::sample::Index>().prop_map(Pick::Existing),
        1 => (1950u16..2030, 1u8..=12, 1u8..=28).prop_map(|(y, m, d)| Pick::Any(y, m, d)),
    ]
}

fn run(cx: &Context<'_>) -> Check {
    let query = cx.schema.query_type().to_owned();
    let Some(employees) = cx.schema.field(&query, "employees") else {
        return Check::not_applicable("no `employees` field");
    };
    let args: Vec<Arg> = [
        Arg::StartDateFilter,
        Arg::DateOfBirthFilter,
        Arg::StartDate,
        Arg::DateOfBirth,
    ]
    .into_iter()
    .filter(|a| employees.arguments.iter().any(|x| x.name == a.name()))
    .collect();
    if args.is_empty() {
        return Check::not_applicable("`employees` has no date filter");
    }
    let op = prop_oneof![
        pick().prop_map(Op::After),
        pick().prop_map(Op::Before),
        pick().prop_map(Op::On),
        (pick(), pick()).prop_map(|(a, b)| Op::Between(a, b)),
        Just(Op::AnyValue),
        Just(Op::NoValue),
    ];
    let reference: RefCell<Option<Vec<Row>>> = RefCell::new(None);
    check(
        cx,
        (proptest::sample::select(args), op),
        |case, (arg, op)| {
            if reference.borrow().is_none() {
                *reference.borrow_mut() = Some(walk(case, None)?);
            }
            let rows = reference.borrow().clone().unwrap_or_default();
            let dates: Vec<String> = rows
                .iter()
                .filter_map(|r| arg.date(r).map(str::to_owned))
                .collect();
            let resolve = |p: &Pick| -> String {
                match p {
                    Pick::Existing(i) if !dates.is_empty() => dates[i.index(dates.len())].clone(),
                    Pick::Existing(_) => "2020-01-01".to_owned(),
                    Pick::Any(y, m, d) => format!("{y:04}-{m:02}-{d:02}"),
                }
            };
            let (filter, keep): (String, Keep) = match &op {
                Op::After(p) => {
                    let d = resolve(p);
                    (
                        format!("{{after: \"{d}\"}}"),
                        Box::new(move |x| x.is_some_and(|x| x > d.as_str())),
                    )
                }
                Op::Before(p) => {
                    let d = resolve(p);
                    (
                        format!("{{before: \"{d}\"}}"),
                        Box::new(move |x| x.is_some_and(|x| x < d.as_str())),
                    )
                }
                Op::On(p) => {
                    let d = resolve(p);
                    (
                        format!("{{on: \"{d}\"}}"),
                        Box::new(move |x| x == Some(d.as_str())),
                    )
                }
                Op::Between(a, b) => {
                    let (a, b) = (resolve(a), resolve(b));
                    (
                        format!("{{after: \"{a}\", before: \"{b}\"}}"),
                        Box::new(move |x| x.is_some_and(|x| x > a.as_str() && x < b.as_str())),
                    )
                }
                Op::AnyValue | Op::NoValue if !arg.wrapped() => {
                    return Err(CaseError::Reject(
                        "anyValue/noValue need a *Filter argument".to_owned(),
                    ));
                }
                Op::AnyValue => (
                    "{anyValue: true}".to_owned(),
                    Box::new(|x: Option<&str>| x.is_some()),
                ),
                Op::NoValue => (
                    "{noValue: true}".to_owned(),
                    Box::new(|x: Option<&str>| x.is_none()),
                ),
            };
            let argument = match (&op, arg.wrapped()) {
                (Op::AnyValue | Op::NoValue, _) => format!("{}: {filter}", arg.name()),
                (_, true) => format!("{}: {{dateFilter: {filter}}}", arg.name()),
                (_, false) => format!("{}: {filter}", arg.name()),
            };
            let expected: Vec<Value> = rows
                .iter()
                .filter(|r| keep(arg.date(r)))
                .map(|r| r.id.clone())
                .collect();
            let got: Vec<Value> = walk(case, Some(&argument))?
                .into_iter()
                .map(|r| r.id)
                .collect();
            if got != expected {
                let extra: Vec<_> = got
                    .iter()
                    .filter(|g| !expected.contains(g))
                    .take(5)
                    .collect();
                let missing: Vec<_> = expected
                    .iter()
                    .filter(|e| !got.contains(e))
                    .take(5)
                    .collect();
                let show = |ids: &[&Value]| {
                    ids.iter()
                        .map(|id| {
                            let date = rows
                                .iter()
                                .find(|r| &&r.id == id)
                                .and_then(|r| arg.date(r))
                                .unwrap_or("none");
                            format!("{id} ({date})")
                        })
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                ensure!(
                    false,
                    "employees({argument}) returned {} employees; the model predicts {}. Returned but excluded: [{}]; predicted but missing: [{}]",
                    got.len(),
                    expected.len(),
                    show(&extra),
                    show(&missing)
                );
            }
            Ok(())
        },
    )
}

/// Every employee (through `filter`, if given) in walk order.
fn walk(case: &Case<'_, '_>, filter: Option<&str>) -> Result<Vec<Row>, CaseError> {
    let mut rows = Vec::new();
    let mut after: Option<String> = None;
    for _ in 0..1_000 {
        let mut args = vec!["first: 25".to_owned()];
        if let Some(a) = &after {
            args.push(format!("after: {}", Value::String(a.clone())));
        }
        if let Some(f) = filter {
            args.push(f.to_owned());
        }
        let query = format!(
            "{{ employees({}) {{ edges {{ node {{ id startDate dateOfBirth }} }} pageInfo {{ hasNextPage endCursor }} }} }}",
            args.join(", ")
        );
        let reply = case.graphql(case.cx.target.primary(), &query, None)?;
        let Some(page) = reply.field("employees") else {
            return Err(CaseError::fail(format!(
                "employees({}) returned no page: {}",
                args.join(", "),
                reply.error_digest(case.cx.rules)
            )));
        };
        for edge in page
            .get("edges")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let node = &edge["node"];
            let text = |k: &str| node.get(k).and_then(Value::as_str).map(str::to_owned);
            rows.push(Row {
                id: node.get("id").cloned().unwrap_or(Value::Null),
                start_date: text("startDate"),
                date_of_birth: text("dateOfBirth"),
            });
        }
        let info = &page["pageInfo"];
        if info.get("hasNextPage").and_then(Value::as_bool) != Some(true) {
            return Ok(rows);
        }
        let next = info
            .get("endCursor")
            .and_then(Value::as_str)
            .map(str::to_owned);
        ensure!(
            next.is_some() && next != after,
            "the walk of employees does not advance"
        );
        after = next;
    }
    Err(CaseError::fail(
        "the walk of employees does not end after 1000 pages",
    ))
}
