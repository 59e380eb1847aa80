//! The random queries of a walk (bounds, limits, filters) and the page the reference listing says they select.

use std::cmp::Ordering;

use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::Value;

use super::{
    Filter, LIMIT, MAX, Reader, References, SINCE, Select, Window, id_cmp, id_of, readers, windows,
};
use crate::property::{Case, CaseError, Check, Context, check, setup_failure};
use crate::rest::{self, Call};

/// An id bound: a node's id, or a made-up id.
#[derive(Debug, Clone)]
enum Bound {
    Node(Index),
    Made(String),
}

/// A filter value: an enum value, a node's value of the field, or a value no node has.
#[derive(Debug, Clone)]
enum Pick {
    Value(Index),
    Node(Index),
    Nothing(String),
}

/// The request part of a case: which window, how big, which filters.
#[derive(Debug, Clone)]
pub(super) struct Query {
    pub(super) window: usize,
    pub(super) reader: Index,
    pub(super) limit: Option<i64>,
    since: Option<Bound>,
    max: Option<Bound>,
    filters: Vec<(Index, Pick)>,
}

/// A request resolved against the reference: the call and the nodes it must select, in order.
pub(super) struct Resolved {
    pub(super) call: Call,
    pub(super) expected: Vec<String>,
    pub(super) described: String,
}

fn bound_strategy() -> impl Strategy<Value = Bound> {
    prop_oneof![
        4 => any::<Index>().prop_map(Bound::Node),
        1 => "[0-9a-f]{8}".prop_map(Bound::Made),
    ]
}

fn pick_strategy() -> impl Strategy<Value = Pick> {
    prop_oneof![
        4 => any::<Index>().prop_map(Pick::Value),
        4 => any::<Index>().prop_map(Pick::Node),
        1 => "[a-z]{6}".prop_map(|w| Pick::Nothing(format!("zz-conformance-{w}"))),
    ]
}

fn query_strategy(
    windows: usize,
    limits: BoxedStrategy<Option<i64>>,
    max_filters: usize,
) -> impl Strategy<Value = Query> {
    (
        0..windows.max(1),
        any::<Index>(),
        limits,
        proptest::option::weighted(0.4, bound_strategy()),
        proptest::option::weighted(0.3, bound_strategy()),
        proptest::collection::vec((any::<Index>(), pick_strategy()), 0..=max_filters),
    )
        .prop_map(|(window, reader, limit, since, max, filters)| Query {
            window,
            reader,
            limit,
            since,
            max,
            filters,
        })
}

fn resolve(window: &Window, reader: &Reader, nodes: &[Value], query: &Query) -> Resolved {
    let ids: Vec<String> = nodes.iter().filter_map(id_of).collect();
    let bound = |b: &Bound| match b {
        Bound::Node(i) if !ids.is_empty() => ids[i.index(ids.len())].clone(),
        Bound::Node(_) => "0".to_owned(),
        Bound::Made(s) => s.clone(),
    };
    let mut call = rest::call_for(window.field, &reader.account);
    let mut described = Vec::new();
    if let Some(limit) = query.limit {
        call = call.arg(LIMIT, limit);
        described.push(format!("{LIMIT}={limit}"));
    }
    let since = query.since.as_ref().map(bound);
    let max = query.max.as_ref().map(bound);
    if let Some(s) = &since {
        call = call.arg(SINCE, s.as_str());
        described.push(format!("{SINCE}={s}"));
    }
    if let Some(m) = &max {
        call = call.arg(MAX, m.as_str());
        described.push(format!("{MAX}={m}"));
    }
    // Filters: at most one value per argument; absent custom filters take their default.
    let mut chosen: Vec<(Filter, String)> = Vec::new();
    for (which, pick) in &query.filters {
        if window.filters.is_empty() {
            break;
        }
        let filter = &window.filters[which.index(window.filters.len())];
        if chosen.iter().any(|(f, _)| f.argument == filter.argument) {
            continue;
        }
        let from_nodes = |i: &Index| {
            nodes
                .get(i.index(nodes.len().max(1)))
                .and_then(|n| n.get(&filter.argument))
                .map(rest::text)
        };
        let value = match pick {
            Pick::Value(i) if !filter.values.is_empty() => {
                Some(filter.values[i.index(filter.values.len())].clone())
            }
            Pick::Value(i) | Pick::Node(i) => match filter.select {
                Select::Equal => from_nodes(i),
                Select::Custom(_) if !filter.values.is_empty() => {
                    Some(filter.values[i.index(filter.values.len())].clone())
                }
                Select::Custom(_) => None,
            },
            Pick::Nothing(s) if filter.values.is_empty() => Some(s.clone()),
            Pick::Nothing(_) => None,
        };
        let Some(value) = value.filter(|v| v != "null") else {
            continue;
        };
        call = call.arg(&filter.argument, value.as_str());
        described.push(format!("{}={value}", filter.argument));
        chosen.push((filter.clone(), value));
    }
    for filter in &window.filters {
        if let (Select::Custom(_), Some(default)) = (&filter.select, &filter.default)
            && !chosen.iter().any(|(f, _)| f.argument == filter.argument)
        {
            chosen.push((filter.clone(), default.clone()));
        }
    }
    let expected = nodes
        .iter()
        .filter(|node| {
            let Some(id) = id_of(node) else { return false };
            since
                .as_ref()
                .is_none_or(|s| id_cmp(&id, s) != Ordering::Less)
                && max
                    .as_ref()
                    .is_none_or(|m| id_cmp(&id, m) != Ordering::Greater)
                && chosen.iter().all(|(f, value)| match f.select {
                    Select::Equal => {
                        node.get(&f.argument).map(rest::text).as_deref() == Some(value)
                    }
                    Select::Custom(c) => (c.selects)(node, value),
                })
        })
        .filter_map(id_of)
        .collect();
    Resolved {
        call,
        expected,
        described: if described.is_empty() {
            "no parameters".to_owned()
        } else {
            described.join("&")
        },
    }
}

/// Runs an id-window property: `limits` sizes the `limit` argument.
pub(super) fn over_windows(
    cx: &Context<'_>,
    limits: BoxedStrategy<Option<i64>>,
    max_filters: usize,
    test: impl Fn(&Case<'_, '_>, &Window, &Reader, &Resolved, &Query) -> Result<(), CaseError>,
) -> Check {
    let windows = windows(cx);
    let Some(first) = windows.first() else {
        return Check::not_applicable(
            "the API declares no @paginated(style: ID_WINDOW) field bound to a @rest GET",
        );
    };
    let readers: Vec<Vec<Reader>> = windows.iter().map(|w| readers(cx, w.field)).collect();
    if readers.iter().all(Vec::is_empty) {
        return Check::not_applicable(format!(
            "no credential can call `{}` (it needs the scopes {:?} and an `account` for its path)",
            first.field.field_name, first.field.scopes
        ));
    }
    let references = References::default();
    let setup = Case::new(cx);
    for (w, rs) in windows.iter().zip(&readers) {
        for r in rs {
            if let Err(e) = references.get(&setup, w, r) {
                return setup_failure(cx, &setup, e);
            }
        }
    }
    let count = windows.len();
    check(
        cx,
        query_strategy(count, limits, max_filters),
        |case, query| {
            let window = &windows[query.window % count];
            let rs = &readers[query.window % count];
            if rs.is_empty() {
                return Err(CaseError::Reject("no reader for this field".to_owned()));
            }
            let reader = &rs[query.reader.index(rs.len())];
            let nodes = references.get(case, window, reader)?;
            let resolved = resolve(window, reader, &nodes, &query);
            test(case, window, reader, &resolved, &query)
        },
    )
}

pub(super) fn page_limits(max: i64) -> BoxedStrategy<Option<i64>> {
    prop_oneof![
        1 => Just(None),
        6 => (1..=max + 10).prop_map(Some),
        3 => (1..=12i64).prop_map(Some),
    ]
    .boxed()
}
