//! Complexity properties C1–C3, for APIs that declare `@complexity`: random queries score exactly per the documented
//! formula (computed here, independently of any server), queries over the maximum are refused before anything
//! executes, and introspection costs nothing.

use proptest::prelude::*;
use serde_json::Value;

use crate::ensure;
use crate::graphql::Reply;
use crate::properties::errors::entries::{check_codes, check_entries};
use crate::property::{Case, CaseError, Check, Context, Group, Property, check};
use crate::querygen::{self, Sel};

pub static C1: Property = Property {
    id: "C1",
    name: "score-per-formula",
    statement: "The reported complexity score of any query equals the documented formula (leaves 1, objects the sum, connections the sum times first or last, @cost weights), and the maximum is the declared one.",
    group: Group::Complexity,
    writes: false,
    max_cases: None,
    run: run_c1,
};

pub static C2: Property = Property {
    id: "C2",
    name: "over-limit-refused",
    statement: "A query scoring above the maximum is refused whole before execution: errors with a documented code, no data.",
    group: Group::Complexity,
    writes: false,
    max_cases: None,
    run: run_c2,
};

pub static C3: Property = Property {
    id: "C3",
    name: "introspection-free",
    statement: "Introspection and __typename add nothing to the score.",
    group: Group::Complexity,
    writes: false,
    max_cases: None,
    run: run_c3,
};

/// The field reporting the score (`complexityInfo`), if the API declares one.
fn complexity_field(cx: &Context<'_>) -> Option<String> {
    let query = cx.schema.query_type();
    cx.rules
        .fields
        .iter()
        .find(|f| f.type_name == query && f.complexity_field)
        .map(|f| f.field_name.to_string())
}

fn applicable(cx: &Context<'_>) -> Result<(u32, String), Check> {
    let Some(complexity) = cx.rules.complexity else {
        return Err(Check::not_applicable("the API declares no @complexity"));
    };
    let Some(field) = complexity_field(cx) else {
        return Err(Check::not_applicable(
            "the API declares @complexity but no @complexityField to read the score from",
        ));
    };
    Ok((complexity.maximum, field))
}

/// Sends `sels` plus the complexity field; returns the reply.
fn send_scored(
    case: &Case<'_, '_>,
    sels: &[Sel],
    field: &str,
) -> Result<(String, Reply), CaseError> {
    let query = format!(
        "{{ {} __complexity: {field} {{ score maximum }} }}",
        querygen::render(sels)
    );
    let reply = case.graphql(case.cx.target.primary(), &query, None)?;
    Ok((query, reply))
}

/// Checks a refusal: errors with documented codes, no data.
fn refused(cx: &Context<'_>, reply: &Reply, score: u64, maximum: u32) -> Result<(), CaseError> {
    ensure!(
        reply.has_errors(),
        "a query scoring {score} (maximum {maximum}) was not refused"
    );
    let data = reply.body.get("data");
    ensure!(
        data.is_none_or(Value::is_null),
        "a query scoring {score} (maximum {maximum}) was executed: the response has data ({})",
        reply.error_digest(cx.rules)
    );
    check_entries(cx, reply)?;
    check_codes(cx, reply)
}

fn run_c1(cx: &Context<'_>) -> Check {
    let (maximum, field) = match applicable(cx) {
        Ok(x) => x,
        Err(check) => return check,
    };
    let query_type = cx.schema.query_type().to_owned();
    let strategy = querygen::selections(cx.schema, &query_type, 3, 4);
    check(cx, strategy, |case, sels| {
        let expected = querygen::score(cx.schema, cx.rules, &query_type, &sels);
        let (_, reply) = send_scored(case, &sels, &field)?;
        if expected > u64::from(maximum) {
            return refused(cx, &reply, expected, maximum);
        }
        let info = reply.field("__complexity").ok_or_else(|| {
            CaseError::fail(format!(
                "no `{field}` in the response ({})",
                reply.error_digest(cx.rules)
            ))
        })?;
        let score = info.get("score").and_then(Value::as_u64);
        let max = info.get("maximum").and_then(Value::as_u64);
        ensure!(
            score == Some(expected),
            "`{field}.score` is {}; the documented formula gives {expected}",
            info.get("score")
                .map_or("absent".to_owned(), Value::to_string)
        );
        ensure!(
            max == Some(u64::from(maximum)),
            "`{field}.maximum` is {}; the schema declares {maximum}",
            info.get("maximum")
                .map_or("absent".to_owned(), Value::to_string)
        );
        Ok(())
    })
}

fn run_c2(cx: &Context<'_>) -> Check {
    let (maximum, field) = match applicable(cx) {
        Ok(x) => x,
        Err(check) => return check,
    };
    let query_type = cx.schema.query_type().to_owned();
    // Connections with all their node's leaves, repeated under aliases (at most 14) until the score passes the
    // maximum: only connections that can get there count.
    let connections: Vec<(String, Vec<String>, u32)> = cx
        .schema
        .connections()
        .into_iter()
        .filter_map(|c| {
            let leaves = cx.schema.leaf_fields(&c.node_type);
            let max_page = c.pagination.max_page_size.unwrap_or(25);
            let reachable =
                leaves.len() as u64 * u64::from(max_page / 2).max(1) * 14 > u64::from(maximum);
            reachable.then_some((c.field, leaves, max_page))
        })
        .collect();
    if connections.is_empty() {
        return Check::not_applicable(
            "no paginated field can build a query over the maximum within 14 aliases",
        );
    }
    let strategy =
        proptest::sample::select(connections).prop_flat_map(move |(name, leaves, max_page)| {
            (
                Just(name),
                Just(leaves),
                (max_page / 2).max(1)..=max_page + 10,
                0..3u32,
            )
        });
    check(cx, strategy, |case, (name, leaves, first, extra)| {
        let node = Sel {
            alias: None,
            name: "node".to_owned(),
            args: Vec::new(),
            children: leaves.iter().map(|l| Sel::leaf(l)).collect(),
        };
        let per_alias = u64::from(first) * leaves.len() as u64;
        let aliases = (u64::from(maximum) / per_alias.max(1) + 1 + u64::from(extra)).min(14);
        let sels: Vec<Sel> = (0..aliases)
            .map(|i| Sel {
                alias: Some(format!("a{i}")),
                name: name.clone(),
                args: vec![("first".to_owned(), first.to_string())],
                children: vec![Sel {
                    alias: None,
                    name: "edges".to_owned(),
                    args: Vec::new(),
                    children: vec![node.clone()],
                }],
            })
            .collect();
        let expected = querygen::score(cx.schema, cx.rules, &query_type, &sels);
        if expected <= u64::from(maximum) {
            return Err(CaseError::Reject("not over the maximum".to_owned()));
        }
        let (_, reply) = send_scored(case, &sels, &field)?;
        refused(cx, &reply, expected, maximum)
    })
}

fn run_c3(cx: &Context<'_>) -> Check {
    let (_, field) = match applicable(cx) {
        Ok(x) => x,
        Err(check) => return check,
    };
    let query_type = cx.schema.query_type().to_owned();
    let meta = prop_oneof![
        Just(vec![Sel::leaf("__typename")]),
        Just(vec![Sel {
            alias: None,
            name: "__schema".to_owned(),
            args: Vec::new(),
            children: vec![Sel {
                alias: None,
                name: "types".to_owned(),
                args: Vec::new(),
                children: vec![Sel::leaf("name"), Sel::leaf("kind")],
            }],
        }]),
        Just(vec![Sel {
            alias: None,
            name: "__type".to_owned(),
            args: vec![("name".to_owned(), format!("{:?}", query_type))],
            children: vec![Sel {
                alias: None,
                name: "fields".to_owned(),
                args: Vec::new(),
                children: vec![Sel::leaf("name")],
            }],
        }]),
    ];
    let strategy = (querygen::selections(cx.schema, &query_type, 1, 3), meta);
    check(cx, strategy, |case, (plain, meta)| {
        let expected = querygen::score(cx.schema, cx.rules, &query_type, &plain);
        let mut sels = plain.clone();
        sels.extend(meta);
        let (_, reply) = send_scored(case, &sels, &field)?;
        let score = reply
            .field("__complexity")
            .and_then(|i| i.get("score"))
            .and_then(Value::as_u64);
        ensure!(
            score == Some(expected),
            "with introspection added, `{field}.score` is {score:?}; without it the formula gives {expected}"
        );
        Ok(())
    })
}
