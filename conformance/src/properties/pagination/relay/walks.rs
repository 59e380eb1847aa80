//! P1 and P2: forward and backward walks against the reference walk.

use super::page;
use super::reference::{connection_and_size, max_page, over_connections};
use crate::properties::pagination::sequence::{first_duplicate, same_sequence};
use crate::property::{CaseError, Check, Context};

pub(super) fn run_p1(cx: &Context<'_>) -> Check {
    over_connections(cx, connection_and_size, |case, refs, (connection, size)| {
        let reference = refs.get(case, &connection)?;
        if let Some(dup) = first_duplicate(&reference.keys) {
            return Err(CaseError::fail(format!(
                "a forward walk of `{}` with first: {} returns node {dup} more than once",
                connection.field,
                max_page(&connection)
            )));
        }
        let bound = reference.keys.len() / size.max(1) as usize + 3;
        let walk = page::walk_forward(case, &connection, size, bound)?;
        if let Some(dup) = first_duplicate(&walk.keys) {
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

pub(super) fn run_p2(cx: &Context<'_>) -> Check {
    over_connections(cx, connection_and_size, |case, refs, (connection, size)| {
        let reference = refs.get(case, &connection)?;
        let bound = reference.keys.len() / size.max(1) as usize + 3;
        let walk = page::walk_backward(case, &connection, size, bound)?;
        if let Some(dup) = first_duplicate(&walk.keys) {
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
