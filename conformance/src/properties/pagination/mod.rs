//! Pagination properties P1–P7, over every field the rules table marks `@paginated`.
//!
//! The properties are written against the pagination style each field declares. Relay connections (Greenhouse,
//! Healthmov) are checked by P1–P7 here, with [`relay`]; Workable's id windows (`limit`, `since_id`, `max_id`,
//! `paging.next`) by P9–P11 in [`id_window`]; Worksome's Lighthouse paginators (`first`, `page`, `paginatorInfo`) by
//! P12–P13 in [`lighthouse`]. [`checkable`] names the fields each style's module checks; another style plugs in by
//! adding a module beside these and an arm there. P8 (a full walk reflects each write exactly once) needs writes, so
//! it lives with the stateful model of each API.

pub mod id_window;
pub mod lighthouse;
pub mod relay;

use std::cell::RefCell;
use std::collections::HashMap;

use proptest::prelude::*;
use runtime::rules::{OverMaxPolicy, PaginationStyle};
use serde_json::Value;

use crate::ensure;
use crate::property::{Case, CaseError, Check, Context, Group, Property, check};
use crate::schema::Connection;

use relay::{PageArgs, Walk};

pub static P1: Property = Property {
    id: "P1",
    name: "forward-walk",
    statement: "A forward walk (first + after: endCursor) over any page size returns every node exactly once, in the order of a walk with the largest page, and ends with hasNextPage false; where the connection has totalCount, every page's equals the number of nodes walked.",
    group: Group::Pagination,
    writes: false,
    max_cases: None,
    run: run_p1,
};

pub static P2: Property = Property {
    id: "P2",
    name: "backward-walk",
    statement: "A backward walk (last + before: startCursor) over any page size returns the same sequence as the forward walk, each page in forward order, and ends with hasPreviousPage false.",
    group: Group::Pagination,
    writes: false,
    max_cases: None,
    run: run_p2,
};

pub static P3: Property = Property {
    id: "P3",
    name: "page-size",
    statement: "|edges| = min(n, remaining) for first or last n; 0 gives an empty page; a negative size, or no size where one is required, is an error; a size above the maximum is clamped or refused per @paginated(overMax:).",
    group: Group::Pagination,
    writes: false,
    max_cases: None,
    run: run_p3,
};

pub static P4: Property = Property {
    id: "P4",
    name: "has-page-flags",
    statement: "hasNextPage is exact when paginating with first, hasPreviousPage exact with last; in the other direction either is true only if such nodes exist.",
    group: Group::Pagination,
    writes: false,
    max_cases: None,
    run: run_p4,
};

pub static P5: Property = Property {
    id: "P5",
    name: "page-cursors",
    statement: "startCursor and endCursor equal the first and last edge cursors, and are null on an empty page.",
    group: Group::Pagination,
    writes: false,
    max_cases: None,
    run: run_p5,
};

pub static P6: Property = Property {
    id: "P6",
    name: "cursor-window",
    statement: "after + before select exactly the nodes strictly between the two cursors; first and last together apply first, then last.",
    group: Group::Pagination,
    writes: false,
    max_cases: None,
    run: run_p6,
};

pub static P7: Property = Property {
    id: "P7",
    name: "stable-cursors",
    statement: "With no writes in between, the same node has the same cursor in every request; a malformed cursor is refused with a documented error or ignored, never a server error.",
    group: Group::Pagination,
    writes: false,
    max_cases: None,
    run: run_p7,
};

/// The paginated query fields whose style has a checker here, and a note on the others.
pub fn checkable(cx: &Context<'_>) -> (Vec<Connection>, Vec<String>) {
    let mut usable = Vec::new();
    let mut uncovered = Vec::new();
    for connection in cx.schema.connections() {
        match connection.pagination.style {
            PaginationStyle::Relay if connection.key.is_some() => usable.push(connection),
            PaginationStyle::Relay => {
                uncovered.push(format!("{} (its nodes have no `id`)", connection.field))
            }
            PaginationStyle::IdWindow => uncovered.push(format!(
                "{} (ID_WINDOW style: checked by P9-P11)",
                connection.field
            )),
            PaginationStyle::Lighthouse => uncovered.push(format!(
                "{} (LIGHTHOUSE style: checked by P12-P13)",
                connection.field
            )),
        }
    }
    (usable, uncovered)
}

/// The largest page a connection serves, used for reference walks.
fn max_page(connection: &Connection) -> i64 {
    connection
        .pagination
        .max_page_size
        .or(connection.pagination.default_page_size)
        .map_or(50, i64::from)
}

/// Reference walks (largest page size), fetched once per property run and shared by its cases.
#[derive(Default)]
struct References(RefCell<HashMap<String, Walk>>);

impl References {
    fn get(&self, case: &Case<'_, '_>, connection: &Connection) -> Result<Walk, CaseError> {
        if let Some(walk) = self.0.borrow().get(&connection.field) {
            return Ok(walk.clone());
        }
        let walk = relay::walk_forward(case, connection, max_page(connection), 2_000)?;
        self.0
            .borrow_mut()
            .insert(connection.field.clone(), walk.clone());
        Ok(walk)
    }
}

/// Runs a pagination property over the checkable connections: `strategy` gets the connections and yields inputs.
fn over_connections<S>(
    cx: &Context<'_>,
    strategy: impl FnOnce(Vec<Connection>, &Totals) -> S,
    test: impl Fn(&Case<'_, '_>, &References, S::Value) -> Result<(), CaseError>,
) -> Check
where
    S: Strategy,
    S::Value: Clone + std::fmt::Debug,
{
    let (connections, uncovered) = checkable(cx);
    if connections.is_empty() {
        return Check::not_applicable(if uncovered.is_empty() {
            "the API declares no @paginated query field".to_owned()
        } else {
            format!(
                "no paginated field in a checked style: {}",
                uncovered.join(", ")
            )
        });
    }
    // Every reference walk first: the strategies size their inputs by the node counts.
    let references = References::default();
    let setup = Case::new(cx);
    let mut totals = Totals::new();
    for c in &connections {
        match references.get(&setup, c) {
            Ok(walk) => {
                totals.insert(c.field.clone(), walk.keys.len());
            }
            Err(e) => return crate::property::setup_failure(cx, &setup, e),
        }
    }
    check(cx, strategy(connections, &totals), |case, value| {
        test(case, &references, value)
    })
}

/// Node counts of the reference walks, by field.
type Totals = HashMap<String, usize>;

/// A connection and a page size that takes more than one page to walk: from 1 to a little above the maximum on
/// connections longer than it, below the node count on the others.
fn connection_and_size(
    connections: Vec<Connection>,
    totals: &Totals,
) -> BoxedStrategy<(Connection, i64)> {
    let sized: Vec<(Connection, i64)> = connections
        .iter()
        .map(|c| {
            let total = totals.get(&c.field).copied().unwrap_or(0) as i64;
            let max = max_page(c);
            let top = if total > max { max + 3 } else { total - 1 };
            (c.clone(), top)
        })
        .collect();
    let walkable: Vec<_> = sized.iter().filter(|(_, top)| *top >= 1).cloned().collect();
    let pool = if walkable.is_empty() {
        sized.into_iter().map(|(c, _)| (c, 1)).collect()
    } else {
        walkable
    };
    proptest::sample::select(pool)
        .prop_flat_map(|(c, top)| (Just(c), 1..=top.max(1)))
        .boxed()
}

fn run_p1(cx: &Context<'_>) -> Check {
    over_connections(cx, connection_and_size, |case, refs, (connection, size)| {
        let reference = refs.get(case, &connection)?;
        if let Some(dup) = relay::first_duplicate(&reference.keys) {
            return Err(CaseError::fail(format!(
                "a forward walk of `{}` with first: {} returns node {dup} more than once",
                connection.field,
                max_page(&connection)
            )));
        }
        let bound = reference.keys.len() / size.max(1) as usize + 3;
        let walk = relay::walk_forward(case, &connection, size, bound)?;
        if let Some(dup) = relay::first_duplicate(&walk.keys) {
            return Err(CaseError::fail(format!(
                "a forward walk of `{}` with first: {size} returns node {dup} more than once",
                connection.field
            )));
        }
        if let Some(total) = walk
            .total_counts
            .iter()
            .find(|t| **t != walk.keys.len() as i64)
        {
            return Err(CaseError::fail(format!(
                "a forward walk of `{}` with first: {size} found {} nodes, but a page's totalCount is {total}",
                connection.field,
                walk.keys.len()
            )));
        }
        same_sequence(
            &connection.field,
            &format!("forward walk with first: {size}"),
            &walk.keys,
            &reference.keys,
        )
    })
}

fn run_p2(cx: &Context<'_>) -> Check {
    over_connections(cx, connection_and_size, |case, refs, (connection, size)| {
        let reference = refs.get(case, &connection)?;
        let bound = reference.keys.len() / size.max(1) as usize + 3;
        let walk = relay::walk_backward(case, &connection, size, bound)?;
        if let Some(dup) = relay::first_duplicate(&walk.keys) {
            return Err(CaseError::fail(format!(
                "a backward walk of `{}` with last: {size} returns node {dup} more than once",
                connection.field
            )));
        }
        same_sequence(
            &connection.field,
            &format!("backward walk with last: {size}"),
            &walk.keys,
            &reference.keys,
        )
    })
}

/// Fails unless a walk's keys are the reference's, naming the first position where they differ.
fn same_sequence(
    field: &str,
    what: &str,
    got: &[Value],
    expected: &[Value],
) -> Result<(), CaseError> {
    if got == expected {
        return Ok(());
    }
    let at = got
        .iter()
        .zip(expected)
        .position(|(a, b)| a != b)
        .unwrap_or(got.len().min(expected.len()));
    Err(CaseError::fail(format!(
        "a {what} of `{field}` gives {} nodes where the reference walk gives {}; they differ first at position {at}: {} instead of {}",
        got.len(),
        expected.len(),
        got.get(at).map_or("nothing".to_owned(), Value::to_string),
        expected
            .get(at)
            .map_or("nothing".to_owned(), Value::to_string),
    )))
}

/// How a page request names its size.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Size {
    First(i64),
    Last(i64),
    Neither,
}

fn run_p3(cx: &Context<'_>) -> Check {
    let (connections, uncovered) = checkable(cx);
    if connections.is_empty() {
        return Check::not_applicable(format!(
            "no paginated field in a checked style: {}",
            uncovered.join(", ")
        ));
    }
    // The sizes above the maximum matter only where more nodes than the maximum exist: walk every connection
    // first, and give those a share of the cases of their own.
    let references = References::default();
    let setup = Case::new(cx);
    let mut big = Vec::new();
    for c in &connections {
        match references.get(&setup, c) {
            Ok(walk) if walk.keys.len() as i64 > max_page(c) => big.push(c.clone()),
            Ok(_) => {}
            Err(e) => return crate::property::setup_failure(cx, &setup, e),
        }
    }
    let anchor = || proptest::option::of(any::<prop::sample::Index>());
    let any_size = proptest::sample::select(connections).prop_flat_map(move |c| {
        let max = max_page(&c);
        let size = prop_oneof![
            4 => (-2..=max + 10).prop_map(Size::First),
            4 => (-2..=max + 10).prop_map(Size::Last),
            1 => Just(Size::Neither),
        ];
        (Just(c), size, anchor())
    });
    // Every case also asks a connection longer than the maximum for a page above it.
    let over_max = if big.is_empty() {
        Just(None).boxed()
    } else {
        proptest::sample::select(big)
            .prop_flat_map(move |c| {
                let max = max_page(&c);
                let size = prop_oneof![
                    (max + 1..=max + 10).prop_map(Size::First),
                    (max + 1..=max + 10).prop_map(Size::Last),
                ];
                (Just(c), size)
            })
            .prop_map(Some)
            .boxed()
    };
    check(
        cx,
        (any_size, over_max),
        |case, ((connection, size, anchor), over)| {
            run_p3_case(cx, case, &references, connection, size, anchor)?;
            if let Some((connection, size)) = over {
                run_p3_case(cx, case, &references, connection, size, None)?;
            }
            Ok(())
        },
    )
}

fn run_p3_case(
    cx: &Context<'_>,
    case: &Case<'_, '_>,
    refs: &References,
    connection: Connection,
    size: Size,
    anchor: Option<prop::sample::Index>,
) -> Result<(), CaseError> {
    {
        let reference = refs.get(case, &connection)?;
        let total = reference.keys.len();
        let pagination = connection.pagination;
        let mut args = PageArgs::default();
        // The anchor: `after` the cursor of a node for `first`, `before` it for `last`.
        let mut window: (usize, usize) = (0, total);
        match (&size, anchor) {
            (Size::First(n), a) => {
                args.first = Some(*n);
                if let Some(i) = a.filter(|_| total > 0).map(|a| a.index(total)) {
                    args.after = Some(reference.cursors[i].clone());
                    window.0 = i + 1;
                }
            }
            (Size::Last(n), a) => {
                args.last = Some(*n);
                if let Some(j) = a.filter(|_| total > 0).map(|a| a.index(total)) {
                    args.before = Some(reference.cursors[j].clone());
                    window.1 = j;
                }
            }
            (Size::Neither, _) => {}
        }
        let requested = match size {
            Size::First(n) | Size::Last(n) => Some(n),
            Size::Neither => None,
        };
        let result = relay::fetch(case, &connection, &args)?;
        let expect_error = match requested {
            None => pagination.page_size_required,
            Some(n) if n < 0 => true,
            Some(n) => {
                pagination.over_max == OverMaxPolicy::Reject
                    && pagination.max_page_size.is_some_and(|m| n > i64::from(m))
            }
        };
        if expect_error {
            return match result {
                Err(reply) if reply.has_errors() => Ok(()),
                Err(reply) => Err(CaseError::fail(format!(
                    "`{}` with {args:?} returned no page and no error ({})",
                    connection.field,
                    reply.error_digest(cx.rules)
                ))),
                Ok(page) => Err(CaseError::fail(format!(
                    "`{}` with {args:?} must be refused with an error, but returned a page of {} edges",
                    connection.field,
                    page.keys.len()
                ))),
            };
        }
        let page = match result {
            Ok(page) => page,
            Err(reply) => {
                return Err(CaseError::fail(format!(
                    "`{}` with {args:?} returned no page: {}",
                    connection.field,
                    reply.error_digest(cx.rules)
                )));
            }
        };
        let n = requested
            .map(|n| n as u64)
            .or(pagination.default_page_size.map(u64::from))
            .unwrap_or(u64::MAX);
        let n = match pagination.max_page_size {
            Some(max) => n.min(u64::from(max)),
            None => n,
        };
        let remaining = window.1.saturating_sub(window.0);
        let expected = (n.min(remaining as u64)) as usize;
        ensure!(
            page.keys.len() == expected,
            "`{}` with {args:?} returned {} edges; expected min({}, {remaining} remaining) = {expected}{}",
            connection.field,
            page.keys.len(),
            requested.map_or("default".to_owned(), |r| r.to_string()),
            match pagination.max_page_size {
                Some(max) if requested.is_some_and(|r| r > i64::from(max)) =>
                    format!(" (the maximum page size is {max})"),
                _ => String::new(),
            }
        );
        let slice = match size {
            Size::Last(_) => &reference.keys[window.1 - expected..window.1],
            _ => &reference.keys[window.0..window.0 + expected],
        };
        ensure!(
            page.keys == slice,
            "`{}` with {args:?} returned nodes {:?}; the reference walk has {:?} there",
            connection.field,
            page.keys,
            slice
        );
        Ok(())
    }
}

fn anchored_strategy(
    connections: Vec<Connection>,
    _: &Totals,
) -> BoxedStrategy<(Connection, i64, bool, Option<prop::sample::Index>)> {
    proptest::sample::select(connections)
        .prop_flat_map(|c| {
            let max = max_page(&c);
            (
                Just(c),
                0..=max,
                any::<bool>(),
                proptest::option::of(any::<prop::sample::Index>()),
            )
        })
        .boxed()
}

fn run_p4(cx: &Context<'_>) -> Check {
    let strategy = |connections: Vec<Connection>, totals: &Totals| {
        anchored_strategy(connections, totals)
            .prop_map(|(c, size, forward, anchor)| (c, size.max(1), forward, anchor))
    };
    over_connections(
        cx,
        strategy,
        |case, refs, (connection, size, forward, anchor)| {
            let reference = refs.get(case, &connection)?;
            let total = reference.keys.len();
            let anchor = anchor.filter(|_| total > 0).map(|a| a.index(total));
            let size_u = size as usize;
            let mut args = PageArgs::default();
            if forward {
                args.first = Some(size);
                args.after = anchor.map(|i| reference.cursors[i].clone());
                let start = anchor.map_or(0, |i| i + 1);
                let page = relay::fetch_ok(case, &connection, &args)?;
                let exact = start + size_u < total;
                ensure!(
                    page.has_next == exact,
                    "`{}` with {args:?}: hasNextPage is {} but {} nodes remain after this page",
                    connection.field,
                    page.has_next,
                    total.saturating_sub(start + size_u)
                );
                ensure!(
                    !page.has_previous || start > 0,
                    "`{}` with {args:?}: hasPreviousPage is true but no node comes before this page",
                    connection.field
                );
            } else {
                args.last = Some(size);
                args.before = anchor.map(|j| reference.cursors[j].clone());
                let end = anchor.unwrap_or(total);
                let page = relay::fetch_ok(case, &connection, &args)?;
                let exact = end > size_u;
                ensure!(
                    page.has_previous == exact,
                    "`{}` with {args:?}: hasPreviousPage is {} but {} nodes come before this page",
                    connection.field,
                    page.has_previous,
                    end.saturating_sub(size_u)
                );
                ensure!(
                    !page.has_next || end < total,
                    "`{}` with {args:?}: hasNextPage is true but no node comes after this page",
                    connection.field
                );
            }
            Ok(())
        },
    )
}

fn run_p5(cx: &Context<'_>) -> Check {
    over_connections(
        cx,
        anchored_strategy,
        |case, refs, (connection, size, forward, anchor)| {
            let reference = refs.get(case, &connection)?;
            let total = reference.keys.len();
            let anchor = anchor.filter(|_| total > 0).map(|a| a.index(total));
            let mut args = PageArgs::default();
            if forward {
                args.first = Some(size);
                args.after = anchor.map(|i| reference.cursors[i].clone());
            } else {
                args.last = Some(size);
                args.before = anchor.map(|j| reference.cursors[j].clone());
            }
            let page = relay::fetch_ok(case, &connection, &args)?;
            if page.cursors.is_empty() {
                ensure!(
                    page.start_cursor.is_none() && page.end_cursor.is_none(),
                    "`{}` with {args:?}: an empty page has startCursor {:?} and endCursor {:?}; both must be null",
                    connection.field,
                    page.start_cursor,
                    page.end_cursor
                );
                return Ok(());
            }
            ensure!(
                page.start_cursor.as_ref() == page.cursors.first(),
                "`{}` with {args:?}: startCursor {:?} is not the first edge's cursor {:?}",
                connection.field,
                page.start_cursor,
                page.cursors.first()
            );
            ensure!(
                page.end_cursor.as_ref() == page.cursors.last(),
                "`{}` with {args:?}: endCursor {:?} is not the last edge's cursor {:?}",
                connection.field,
                page.end_cursor,
                page.cursors.last()
            );
            Ok(())
        },
    )
}

fn run_p6(cx: &Context<'_>) -> Check {
    let strategy = |connections: Vec<Connection>, _: &Totals| {
        proptest::sample::select(connections).prop_flat_map(|c| {
            let max = max_page(&c);
            (
                Just(c),
                any::<prop::sample::Index>(),
                any::<prop::sample::Index>(),
                proptest::option::of(0..=max),
                proptest::option::of(0..=max),
            )
        })
    };
    over_connections(
        cx,
        strategy,
        |case, refs, (connection, a, b, first, last)| {
            let reference = refs.get(case, &connection)?;
            let total = reference.keys.len();
            if total < 2 {
                return Err(CaseError::Reject(format!(
                    "`{}` has fewer than 2 nodes",
                    connection.field
                )));
            }
            let (i, j) = {
                let (x, y) = (a.index(total), b.index(total));
                (x.min(y), x.max(y))
            };
            if i == j {
                return Err(CaseError::Reject("the same cursor twice".to_owned()));
            }
            if first.is_none() && last.is_none() && connection.pagination.page_size_required {
                return Err(CaseError::Reject("a page size is required".to_owned()));
            }
            let args = PageArgs {
                first,
                last,
                after: Some(reference.cursors[i].clone()),
                before: Some(reference.cursors[j].clone()),
            };
            let mut expected: Vec<Value> = reference.keys[i + 1..j].to_vec();
            if let Some(f) = first {
                expected.truncate(f as usize);
            }
            if let Some(l) = last {
                let l = l as usize;
                if expected.len() > l {
                    expected = expected.split_off(expected.len() - l);
                }
            }
            let page = relay::fetch_ok(case, &connection, &args)?;
            ensure!(
                page.keys == expected,
                "`{}` with {args:?} (the window between positions {i} and {j}) returned {:?}; expected {:?}",
                connection.field,
                page.keys,
                expected
            );
            Ok(())
        },
    )
}

/// What P7 sends: the same page twice, or a malformed cursor.
#[derive(Debug, Clone)]
enum CursorProbe {
    Repeat {
        size: i64,
        anchor: Option<prop::sample::Index>,
    },
    Bad {
        cursor: String,
        forward: bool,
    },
}

fn run_p7(cx: &Context<'_>) -> Check {
    let strategy = |connections: Vec<Connection>, _: &Totals| {
        proptest::sample::select(connections).prop_flat_map(|c| {
            let max = max_page(&c);
            let probe = prop_oneof![
                3 => (1..=max, proptest::option::of(any::<prop::sample::Index>()))
                    .prop_map(|(size, anchor)| CursorProbe::Repeat { size, anchor }),
                1 => (bad_cursor(), any::<bool>()).prop_map(|(cursor, forward)| CursorProbe::Bad { cursor, forward }),
            ];
            (Just(c), probe)
        })
    };
    over_connections(cx, strategy, |case, refs, (connection, probe)| {
        let reference = refs.get(case, &connection)?;
        let total = reference.keys.len();
        match probe {
            CursorProbe::Repeat { size, anchor } => {
                let anchor = anchor.filter(|_| total > 0).map(|a| a.index(total));
                let args = PageArgs {
                    first: Some(size),
                    after: anchor.map(|i| reference.cursors[i].clone()),
                    ..PageArgs::default()
                };
                let one = relay::fetch_ok(case, &connection, &args)?;
                let two = relay::fetch_ok(case, &connection, &args)?;
                ensure!(
                    one.cursors == two.cursors && one.keys == two.keys,
                    "`{}` with {args:?} twice: the cursors differ ({:?} then {:?})",
                    connection.field,
                    one.cursors,
                    two.cursors
                );
                let start = anchor.map_or(0, |i| i + 1);
                for (k, (key, cursor)) in one.keys.iter().zip(&one.cursors).enumerate() {
                    let at = start + k;
                    if reference.keys.get(at) == Some(key) {
                        ensure!(
                            reference.cursors.get(at) == Some(cursor),
                            "`{}`: node {key} has cursor {cursor:?} here but {:?} in the reference walk",
                            connection.field,
                            reference.cursors.get(at)
                        );
                    }
                }
                Ok(())
            }
            CursorProbe::Bad { cursor, forward } => {
                if reference.cursors.contains(&cursor) {
                    return Err(CaseError::Reject(
                        "the malformed cursor is a real one".to_owned(),
                    ));
                }
                let args = if forward {
                    PageArgs {
                        first: Some(1),
                        after: Some(cursor),
                        ..PageArgs::default()
                    }
                } else {
                    PageArgs {
                        last: Some(1),
                        before: Some(cursor),
                        ..PageArgs::default()
                    }
                };
                // A server error fails inside `fetch` (no GraphQL response); an error reply must use documented codes.
                match relay::fetch(case, &connection, &args)? {
                    Ok(_) => Ok(()),
                    Err(reply) => {
                        ensure!(
                            reply.has_errors(),
                            "`{}` with the malformed cursor {args:?} returned neither a page nor an error",
                            connection.field
                        );
                        crate::properties::errors::check_entries(cx, &reply)
                    }
                }
            }
        }
    })
}

/// Cursors no server issued: garbage, base64 of garbage, numbers, huge strings.
fn bad_cursor() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9+/=]{1,24}",
        "[^\\x00]{0,12}",
        Just(String::new()),
        Just("LTE=".to_owned()),
        Just("OTk5OTk5OTk5OTk5OTk5OTk5OTk=".to_owned()),
        Just("x".repeat(2048)),
    ]
}
