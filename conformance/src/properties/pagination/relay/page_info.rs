//! P4 and P5: one page's `pageInfo` against the reference walk: `hasNextPage` and `hasPreviousPage`, `startCursor`
//! and `endCursor`.

use proptest::prelude::*;

use super::page::{self, PageArgs};
use super::reference::{Totals, max_page, over_connections};
use crate::ensure;
use crate::property::{Check, Context};
use crate::schema::Connection;

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

pub(super) fn run_p4(cx: &Context<'_>) -> Check {
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
                let page = page::fetch_ok(case, &connection, &args)?;
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
                let page = page::fetch_ok(case, &connection, &args)?;
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

pub(super) fn run_p5(cx: &Context<'_>) -> Check {
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
            let page = page::fetch_ok(case, &connection, &args)?;
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
