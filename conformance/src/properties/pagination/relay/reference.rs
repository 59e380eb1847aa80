//! The connections P1–P7 check, the reference walks their cases compare with (fetched once per property run), and
//! running a property over them.

use std::cell::RefCell;
use std::collections::HashMap;

use proptest::prelude::*;
use runtime::rules::PaginationStyle;

use super::page::{self, Walk};
use crate::property::{Case, CaseError, Check, Context, check};
use crate::schema::Connection;

/// The paginated query fields whose style has a checker here, and a note on the others.
pub(super) fn checkable(cx: &Context<'_>) -> (Vec<Connection>, Vec<String>) {
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
pub(super) fn max_page(connection: &Connection) -> i64 {
    connection
        .pagination
        .max_page_size
        .or(connection.pagination.default_page_size)
        .map_or(50, i64::from)
}

/// Reference walks (largest page size), fetched once per property run and shared by its cases.
#[derive(Default)]
pub(super) struct References(RefCell<HashMap<String, Walk>>);

impl References {
    pub(super) fn get(
        &self,
        case: &Case<'_, '_>,
        connection: &Connection,
    ) -> Result<Walk, CaseError> {
        if let Some(walk) = self.0.borrow().get(&connection.field) {
            return Ok(walk.clone());
        }
        let walk = page::walk_forward(case, connection, max_page(connection), 2_000)?;
        self.0
            .borrow_mut()
            .insert(connection.field.clone(), walk.clone());
        Ok(walk)
    }
}

/// Runs a pagination property over the checkable connections: `strategy` gets the connections and yields inputs.
pub(super) fn over_connections<S>(
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
pub(super) type Totals = HashMap<String, usize>;

/// A connection and a page size that takes more than one page to walk: from 1 to a little above the maximum on
/// connections longer than it, below the node count on the others.
pub(super) fn connection_and_size(
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
