//! Relay connections as Graphene serves them (graphql-relay's `connection_from_array`): a cursor is the base64 of
//! `arrayconnection:<offset>` (the document's `YXJyYXljb25uZWN0aW9uOjE=` is the second item), a cursor that is not
//! one is ignored, `first` defaults to and is clamped at the field's `@paginated` sizes, `hasNextPage` is answered
//! only for `first` and `hasPreviousPage` only for `last`, and `totalCount` counts the whole list.

use std::ops::Range;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use runtime::rules::Pagination;
use runtime::{FieldError, FieldResult, MaybeAbsent};

use super::schema::{self, PageInfo};
use crate::faults::{Fault, Faults};

const PREFIX: &str = "arrayconnection:";

/// A generated connection type (`XConnection { totalCount, pageInfo, edges }`), built from its page.
pub trait Connection {
    type Node;
    fn new(edges: Vec<(String, Self::Node)>, page_info: PageInfo, total_count: i32) -> Self;
}

macro_rules! connections {
    ($($connection:ident, $edge:ident, $node:ident;)*) => {
        $(impl Connection for schema::$connection {
            type Node = schema::$node;

            fn new(edges: Vec<(String, schema::$node)>, page_info: PageInfo, total_count: i32) -> Self {
                let edges = edges
                    .into_iter()
                    .map(|(cursor, node)| Some(schema::$edge { cursor, node: Some(node) }))
                    .collect();
                schema::$connection { total_count, page_info, edges }
            }
        })*
    };
}

connections! {
    CompanyConnection, CompanyEdge, Company;
    DepartmentConnection, DepartmentEdge, Department;
    DependentInfoConnection, DependentInfoEdge, DependentInfo;
    EmployeeConnection, EmployeeEdge, Employee;
}

/// The arguments of a connection field, as the generated argument structs carry them.
#[derive(Debug, Clone, Copy)]
pub struct PageArgs<'a> {
    pub first: &'a MaybeAbsent<i32>,
    pub after: &'a MaybeAbsent<String>,
    pub last: &'a MaybeAbsent<i32>,
    pub before: &'a MaybeAbsent<String>,
}

/// The cursor of the item at `offset`.
pub fn cursor(offset: usize) -> String {
    STANDARD.encode(format!("{PREFIX}{offset}"))
}

/// The offset a cursor names; `None` for anything that is not one of ours.
fn offset(cursor: &str) -> Option<usize> {
    let text = String::from_utf8(STANDARD.decode(cursor).ok()?).ok()?;
    let digits = text.strip_prefix(PREFIX)?;
    digits
        .parse()
        .ok()
        .filter(|n: &usize| n.to_string() == digits)
}

/// Where the page falls in a list of `len` items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slice {
    pub range: Range<usize>,
    pub has_previous_page: bool,
    pub has_next_page: bool,
}

/// The slice of a list of `len` items that `args` ask for, under the field's `@paginated` rule.
pub fn slice(len: usize, args: PageArgs<'_>, rule: Option<&Pagination>) -> FieldResult<Slice> {
    let size = |name: &str, value: &MaybeAbsent<i32>| -> FieldResult<Option<u32>> {
        match value.value() {
            None => Ok(None),
            Some(n) => u32::try_from(*n).map(Some).map_err(|_| {
                FieldError::bad_input(format!("Argument '{name}' must be a non-negative integer."))
            }),
        }
    };
    let mut first = size("first", args.first)?;
    let mut last = size("last", args.last)?;
    if let Some(rule) = rule {
        let too_big = |n: u32| rule.max_page_size.is_some_and(|max| n > max);
        let refuse = |name: &str, n: u32| {
            FieldError::bad_input(format!(
                "Requesting {n} records on the connection exceeds the `{name}` limit of {} records.",
                rule.max_page_size.unwrap_or(n)
            ))
        };
        first = match first {
            Some(n) if too_big(n) => Some(
                rule.effective_size(Some(n))
                    .ok_or_else(|| refuse("first", n))?,
            ),
            None if last.is_none() => rule.default_page_size,
            other => other,
        };
        last = match last {
            Some(n) if too_big(n) => Some(
                rule.effective_size(Some(n))
                    .ok_or_else(|| refuse("last", n))?,
            ),
            other => other,
        };
    }
    let after = args.after.value().and_then(|c| offset(c));
    let before = args.before.value().and_then(|c| offset(c));
    let lower = after.map_or(0, |a| a.saturating_add(1));
    let upper = before.map_or(len, |b| b.min(len));
    let mut start = lower.min(len);
    let mut end = upper.max(start);
    if let Some(first) = first {
        end = end.min(start.saturating_add(first as usize));
    }
    if let Some(last) = last {
        start = start.max(end.saturating_sub(last as usize));
    }
    Ok(Slice {
        range: start..end,
        has_previous_page: last.is_some() && start > lower,
        has_next_page: first.is_some() && end < upper,
    })
}

/// The connection page of `items` that `args` ask for: `data` makes the connection's plain fields from the total
/// count, `edge` an edge's from its cursor. With [`Fault::TotalCountCountsPage`], `totalCount` counts the page.
pub fn connection<C: Connection>(
    items: &[C::Node],
    args: PageArgs<'_>,
    rule: Option<&Pagination>,
    faults: &Faults,
) -> FieldResult<C>
where
    C::Node: Clone,
{
    let slice = slice(items.len(), args, rule)?;
    let edges: Vec<(String, C::Node)> = slice
        .range
        .clone()
        .map(|i| (cursor(i), items[i].clone()))
        .collect();
    // FAULT(total-count-counts-page): the page's size instead of the list's.
    let total = if faults.is_active(Fault::TotalCountCountsPage) {
        edges.len()
    } else {
        items.len()
    };
    let page_info = PageInfo {
        start_cursor: (!slice.range.is_empty()).then(|| cursor(slice.range.start)),
        end_cursor: (!slice.range.is_empty()).then(|| cursor(slice.range.end - 1)),
        has_previous_page: slice.has_previous_page,
        has_next_page: slice.has_next_page,
    };
    Ok(C::new(
        edges,
        page_info,
        i32::try_from(total).unwrap_or(i32::MAX),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args<'a>(
        first: &'a MaybeAbsent<i32>,
        after: &'a MaybeAbsent<String>,
        last: &'a MaybeAbsent<i32>,
        before: &'a MaybeAbsent<String>,
    ) -> PageArgs<'a> {
        PageArgs {
            first,
            after,
            last,
            before,
        }
    }

    #[test]
    fn cursors_are_graphql_relay_offsets_as_in_the_document() {
        assert_eq!(cursor(1), "YXJyYXljb25uZWN0aW9uOjE=");
        assert_eq!(offset("YXJyYXljb25uZWN0aW9uOjE="), Some(1));
        assert_eq!(offset("not a cursor"), None);
        assert_eq!(offset(&STANDARD.encode("arrayconnection:01")), None);
    }

    /// (len, first, after, last, before) → (range, previous, next).
    type SliceCase = (
        usize,
        Option<i32>,
        Option<usize>,
        Option<i32>,
        Option<usize>,
        Range<usize>,
        bool,
        bool,
    );

    /// (len, first, after, last, before) → (range, previous, next), as graphql-relay answers.
    #[test]
    fn slices_follow_graphql_relay() {
        let rule = Pagination {
            style: runtime::rules::PaginationStyle::Relay,
            max_page_size: Some(5),
            default_page_size: Some(5),
            page_size_required: false,
            over_max: runtime::rules::OverMaxPolicy::Clamp,
        };
        let cases: &[SliceCase] = &[
            (7, None, None, None, None, 0..5, false, true),
            (7, Some(2), None, None, None, 0..2, false, true),
            (7, Some(2), Some(1), None, None, 2..4, false, true),
            (7, Some(9), Some(4), None, None, 5..7, false, false),
            (7, None, None, Some(2), None, 5..7, true, false),
            (7, None, None, Some(2), Some(3), 1..3, true, false),
            (7, Some(1), Some(1), Some(1), Some(5), 2..3, false, true),
            (3, Some(0), None, None, None, 0..0, false, true),
        ];
        for (len, first, after, last, before, range, previous, next) in cases.iter().cloned() {
            let to = |v: Option<i32>| v.map_or(MaybeAbsent::Absent, MaybeAbsent::Value);
            let at =
                |v: Option<usize>| v.map_or(MaybeAbsent::Absent, |o| MaybeAbsent::Value(cursor(o)));
            let (first, last, after, before) = (to(first), to(last), at(after), at(before));
            let got = slice(len, args(&first, &after, &last, &before), Some(&rule)).unwrap();
            assert_eq!(
                got,
                Slice {
                    range,
                    has_previous_page: previous,
                    has_next_page: next
                },
                "len {len}, first {first:?}, after {after:?}, last {last:?}, before {before:?}"
            );
        }
        let negative = MaybeAbsent::Value(-1);
        assert!(
            slice(
                3,
                args(
                    &negative,
                    &MaybeAbsent::Absent,
                    &MaybeAbsent::Absent,
                    &MaybeAbsent::Absent
                ),
                None
            )
            .is_err()
        );
    }
}
