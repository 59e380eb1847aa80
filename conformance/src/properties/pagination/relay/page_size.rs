//! P3: the number of edges a page size gives (min(n, remaining)), the sizes refused, and the maximum.

use proptest::prelude::*;
use runtime::rules::OverMaxPolicy;

use super::page::{self, PageArgs};
use super::reference::{References, checkable, max_page};
use crate::ensure;
use crate::property::{Case, CaseError, Check, Context, check};
use crate::schema::Connection;

/// How a page request names its size.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Size {
    First(i64),
    Last(i64),
    Neither,
}

pub(super) fn run_p3(cx: &Context<'_>) -> Check {
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
        let result = page::fetch(case, &connection, &args)?;
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
