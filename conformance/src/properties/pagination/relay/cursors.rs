//! P6 and P7: cursors as arguments: the window between two cursors, the same cursor for the same node every time,
//! and malformed cursors.

use proptest::prelude::*;
use serde_json::Value;

use super::page::{self, PageArgs};
use super::reference::{Totals, max_page, over_connections};
use crate::ensure;
use crate::properties::errors::entries::check_entries;
use crate::property::{CaseError, Check, Context};
use crate::schema::Connection;

pub(super) fn run_p6(cx: &Context<'_>) -> Check {
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
            let page = page::fetch_ok(case, &connection, &args)?;
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

pub(super) fn run_p7(cx: &Context<'_>) -> Check {
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
                let one = page::fetch_ok(case, &connection, &args)?;
                let two = page::fetch_ok(case, &connection, &args)?;
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
                match page::fetch(case, &connection, &args)? {
                    Ok(_) => Ok(()),
                    Err(reply) => {
                        ensure!(
                            reply.has_errors(),
                            "`{}` with the malformed cursor {args:?} returned neither a page nor an error",
                            connection.field
                        );
                        check_entries(cx, &reply)
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
