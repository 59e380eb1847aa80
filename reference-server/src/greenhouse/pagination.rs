//! Relay cursor connections (relay.dev/graphql/connections.htm) over lists sorted by a stable key.
//!
//! A cursor is the base64 of the record's key (its id: employee 5 is `NQ==`, as in the document's example), so it
//! stays valid while the data changes: `after` a deleted record still means "after where it was". The window is the
//! spec's: `after` and `before` cut the list, then `first` takes the head, then `last` the tail. `hasNextPage` and
//! `hasPreviousPage` follow the spec's algorithm: exact where it says must (`first` / `last`), and in its "may" cases
//! (`before` without `first`, `after` without `last`) true exactly when such records exist.

use std::ops::Range;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use runtime::{FieldError, FieldResult, MaybeAbsent};

use super::schema;
use crate::faults::{Fault, Faults};

/// A generated connection type (`XConnection { edges, pageInfo }`), built from its page.
pub trait Connection {
    type Node;
    fn new(edges: Vec<(String, Self::Node)>, page_info: schema::PageInfo) -> Self;
}

macro_rules! connections {
    ($($connection:ident, $edge:ident, $node:ty;)*) => {
        $(impl Connection for schema::$connection {
            type Node = $node;

            fn new(edges: Vec<(String, $node)>, page_info: schema::PageInfo) -> Self {
                let edges = edges
                    .into_iter()
                    .map(|(cursor, node)| Some(schema::$edge { cursor, node: Some(node) }))
                    .collect();
                schema::$connection { edges: Some(edges), page_info }
            }
        })*
    };
}

connections! {
    CustomFieldConnection, CustomFieldEdge, super::bindings::CustomField;
    DepartmentConnection, DepartmentEdge, super::bindings::Department;
    EmployeeConnection, EmployeeEdge, super::bindings::Employee;
    LocationConnection, LocationEdge, super::bindings::Location;
    OtherCriterionConnection, OtherCriterionEdge, schema::OtherCriterion;
    TeamCategoryConnection, TeamCategoryEdge, schema::TeamCategory;
    TeamConnection, TeamEdge, super::bindings::Team;
}

/// A sort key that cursors encode.
pub trait CursorKey: Ord + Clone + std::fmt::Display {
    fn parse(text: &str) -> Option<Self>;
}

impl CursorKey for u32 {
    fn parse(text: &str) -> Option<Self> {
        // Only the canonical spelling, so that each record has exactly one cursor.
        text.parse().ok().filter(|n: &u32| n.to_string() == text)
    }
}

impl CursorKey for String {
    fn parse(text: &str) -> Option<Self> {
        (!text.is_empty()).then(|| text.to_owned())
    }
}

/// Writes and reads cursors. With [`Fault::UnstableCursors`] each request writes a different cursor for the same
/// record (and still reads its own).
#[derive(Debug, Clone, Copy, Default)]
pub struct Cursors {
    nonce: Option<u64>,
}

impl Cursors {
    pub fn new(faults: &Faults, request_number: u64) -> Self {
        Cursors {
            // FAULT(unstable-cursors): the cursor carries the request's number.
            nonce: faults
                .is_active(Fault::UnstableCursors)
                .then_some(request_number),
        }
    }

    pub fn encode<K: CursorKey>(&self, key: &K) -> String {
        match self.nonce {
            None => STANDARD.encode(key.to_string()),
            Some(nonce) => STANDARD.encode(format!("{key}:{nonce}")),
        }
    }

    pub fn decode<K: CursorKey>(&self, cursor: &str) -> Option<K> {
        let bytes = STANDARD.decode(cursor.trim()).ok()?;
        let text = String::from_utf8(bytes).ok()?;
        let key = match self.nonce {
            Some(_) => text.split_once(':').map_or(text.as_str(), |(k, _)| k),
            None => text.as_str(),
        };
        K::parse(key)
    }
}

/// The pagination arguments of a connection field, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRequest<K> {
    pub first: Option<usize>,
    pub last: Option<usize>,
    pub after: Option<K>,
    pub before: Option<K>,
}

/// The raw pagination arguments, as the generated argument structs carry them.
#[derive(Debug, Clone, Copy)]
pub struct PageArgs<'a> {
    pub first: &'a MaybeAbsent<i32>,
    pub last: &'a MaybeAbsent<i32>,
    pub after: &'a MaybeAbsent<String>,
    pub before: &'a MaybeAbsent<String>,
}

impl<K: CursorKey> PageRequest<K> {
    /// Validates the arguments of the `Query` field `field`: `first` or `last` is required, neither may be
    /// negative, and a size above the field's maximum (from the rules table) gets the maximum. A cursor that is not
    /// one of ours is refused.
    pub fn new(
        field: &str,
        args: PageArgs<'_>,
        cursors: &Cursors,
        faults: &Faults,
    ) -> FieldResult<Self> {
        let first = args.first.value().copied();
        let last = args.last.value().copied();
        if first.is_none() && last.is_none() {
            return Err(FieldError::bad_input(format!(
                "You must provide a `first` or `last` value to properly paginate the `{field}` connection."
            )));
        }
        let pagination = schema::RULES
            .field("Query", field)
            .and_then(|rules| rules.pagination);
        let size = |name: &str, value: Option<i32>| -> FieldResult<Option<usize>> {
            let Some(value) = value else { return Ok(None) };
            let requested = u32::try_from(value).map_err(|_| {
                FieldError::bad_input(format!(
                    "`{name}` on the `{field}` connection cannot be negative; got {value}."
                ))
            })?;
            // FAULT(page-size-not-clamped): the requested size is served as is.
            let effective = match pagination {
                Some(p) if !faults.is_active(Fault::PageSizeNotClamped) => {
                    p.effective_size(Some(requested)).ok_or_else(|| {
                        FieldError::bad_input(format!(
                            "`{name}` on the `{field}` connection is above the maximum page size."
                        ))
                    })?
                }
                _ => requested,
            };
            Ok(Some(effective as usize))
        };
        let cursor = |name: &str, value: &MaybeAbsent<String>| -> FieldResult<Option<K>> {
            match value.value() {
                None => Ok(None),
                Some(text) => cursors.decode(text).map(Some).ok_or_else(|| {
                    FieldError::bad_input(format!(
                        "`{name}` is not a valid cursor for the `{field}` connection: {text:?}. Use a `cursor`, `startCursor` or `endCursor` from a previous page."
                    ))
                }),
            }
        };
        Ok(PageRequest {
            first: size("first", first)?,
            last: size("last", last)?,
            after: cursor("after", args.after)?,
            before: cursor("before", args.before)?,
        })
    }
}

/// Where a page falls in a sorted list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slice {
    pub range: Range<usize>,
    pub has_previous_page: bool,
    pub has_next_page: bool,
}

/// The page of `keys` (sorted ascending, unique) that `request` asks for.
pub fn slice<K: Ord>(keys: &[K], request: &PageRequest<K>, faults: &Faults) -> Slice {
    let len = keys.len();
    let mut lo = request
        .after
        .as_ref()
        .map_or(0, |after| keys.partition_point(|k| k <= after));
    let before_position = request
        .before
        .as_ref()
        .map_or(len, |before| keys.partition_point(|k| k < before));
    // FAULT(before-cursor-included): with `after` too, the window keeps the `before` record.
    let before_position = if request.after.is_some()
        && request.before.is_some()
        && before_position < len
        && faults.is_active(Fault::BeforeCursorIncluded)
    {
        before_position + 1
    } else {
        before_position
    };
    let hi = before_position.max(lo);
    // FAULT(page-off-by-one): the page starts one record early, repeating the `after` record.
    if request.after.is_some() && faults.is_active(Fault::PageOffByOne) {
        lo = lo.saturating_sub(1);
    }
    let window = hi - lo;
    let (mut start, mut end) = (lo, hi);
    if let Some(first) = request.first {
        end = end.min(start.saturating_add(first));
    }
    if let Some(last) = request.last {
        start = start.max(end.saturating_sub(last));
    }
    let mut has_next_page = match (request.first, &request.before) {
        (Some(first), _) => window > first,
        // May: records at or after `before` exist.
        (None, Some(_)) => before_position < len,
        (None, None) => false,
    };
    let has_previous_page = match (request.last, &request.after) {
        (Some(last), _) => window > last,
        // May: records at or before `after` exist.
        (None, Some(_)) => lo > 0,
        (None, None) => false,
    };
    // FAULT(has-next-page-on-last-page): a forward walk never ends.
    if request.first.is_some() && faults.is_active(Fault::HasNextPageOnLastPage) {
        has_next_page = true;
    }
    Slice {
        range: start..end,
        has_previous_page,
        has_next_page,
    }
}

/// The connection page of `entries` (sorted by key) that `request` asks for.
pub fn connection<K: CursorKey, C: Connection>(
    entries: &[(K, &C::Node)],
    request: &PageRequest<K>,
    cursors: &Cursors,
    faults: &Faults,
) -> C
where
    C::Node: Clone,
{
    let keys: Vec<&K> = entries.iter().map(|(k, _)| k).collect();
    let by_ref = PageRequest {
        first: request.first,
        last: request.last,
        after: request.after.as_ref(),
        before: request.before.as_ref(),
    };
    let slice = slice(&keys, &by_ref, faults);
    let page = &entries[slice.range.clone()];
    let mut edges: Vec<_> = page
        .iter()
        .map(|(key, node)| (cursors.encode(key), (*node).clone()))
        .collect();
    // FAULT(backward-page-reversed): a page taken from the end lists its edges from the end.
    if request.last.is_some() && faults.is_active(Fault::BackwardPageReversed) {
        edges.reverse();
    }
    // FAULT(start-cursor-is-end-cursor): `startCursor` names the last edge.
    let start_cursor = if faults.is_active(Fault::StartCursorIsEndCursor) {
        page.last()
    } else {
        page.first()
    }
    .map(|(key, _)| cursors.encode(key));
    let end_cursor = page.last().map(|(key, _)| cursors.encode(key));
    C::new(
        edges,
        schema::PageInfo {
            start_cursor,
            end_cursor,
            has_next_page: slice.has_next_page,
            has_previous_page: slice.has_previous_page,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The Relay spec's algorithm, written out literally over a list.
    fn model(
        all: &[u32],
        request: &PageRequest<u32>,
    ) -> (Vec<u32>, bool /* previous */, bool /* next */) {
        let mut edges: Vec<u32> = all.to_vec();
        if let Some(after) = request.after {
            edges.retain(|k| *k > after);
        }
        if let Some(before) = request.before {
            edges.retain(|k| *k < before);
        }
        let window = edges.len();
        if let Some(first) = request.first {
            edges.truncate(first);
        }
        if let Some(last) = request.last {
            let drop = edges.len().saturating_sub(last);
            edges.drain(..drop);
        }
        let previous = match request.last {
            Some(last) => window > last,
            None => request
                .after
                .is_some_and(|after| all.iter().any(|k| *k <= after)),
        };
        let next = match request.first {
            Some(first) => window > first,
            None => request
                .before
                .is_some_and(|before| all.iter().any(|k| *k >= before)),
        };
        (edges, previous, next)
    }

    #[test]
    fn every_window_on_small_lists_matches_the_spec() {
        let none = Faults::none();
        let sizes = [None, Some(0), Some(1), Some(2), Some(3), Some(7)];
        // Lists with gaps, so that cursors of missing keys (deleted records) are covered too.
        for all in [vec![], vec![2], vec![2, 4], vec![2, 4, 6, 8, 10]] {
            let cursors: Vec<Option<u32>> =
                std::iter::once(None).chain((0..=11).map(Some)).collect();
            for &first in &sizes {
                for &last in &sizes {
                    for &after in &cursors {
                        for &before in &cursors {
                            let request = PageRequest {
                                first,
                                last,
                                after,
                                before,
                            };
                            let got = slice(&all, &request, &none);
                            let (edges, previous, next) = model(&all, &request);
                            assert_eq!(all[got.range.clone()], edges[..], "{all:?} {request:?}");
                            assert_eq!(got.has_previous_page, previous, "{all:?} {request:?}");
                            assert_eq!(got.has_next_page, next, "{all:?} {request:?}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn forward_and_backward_walks_visit_every_record_once_in_order() {
        let none = Faults::none();
        let all: Vec<u32> = (1..=23).map(|n| n * 3).collect();
        for size in 1..=25 {
            let mut seen = Vec::new();
            let mut after = None;
            loop {
                let request = PageRequest {
                    first: Some(size),
                    last: None,
                    after,
                    before: None,
                };
                let page = slice(&all, &request, &none);
                seen.extend_from_slice(&all[page.range.clone()]);
                if !page.has_next_page {
                    break;
                }
                after = Some(all[page.range.end - 1]);
            }
            assert_eq!(seen, all, "forward, size {size}");
            let mut pages = Vec::new();
            let mut before = None;
            loop {
                let request = PageRequest {
                    first: None,
                    last: Some(size),
                    after: None,
                    before,
                };
                let page = slice(&all, &request, &none);
                pages.push(all[page.range.clone()].to_vec());
                if !page.has_previous_page {
                    break;
                }
                before = Some(all[page.range.start]);
            }
            pages.reverse();
            assert_eq!(pages.concat(), all, "backward, size {size}");
        }
    }

    fn request(
        field: &str,
        first: MaybeAbsent<i32>,
        last: MaybeAbsent<i32>,
    ) -> FieldResult<PageRequest<u32>> {
        PageRequest::new(
            field,
            PageArgs {
                first: &first,
                last: &last,
                after: &MaybeAbsent::Absent,
                before: &MaybeAbsent::Absent,
            },
            &Cursors::default(),
            &Faults::none(),
        )
    }

    #[test]
    fn page_sizes_are_required_non_negative_and_clamped_to_25() {
        use MaybeAbsent::{Absent, Null, Value};
        let missing = request("employees", Absent, Null).unwrap_err();
        assert_eq!(missing.code, runtime::ErrorCode::BadUserInput);
        assert!(
            missing.message.contains("`first` or `last`"),
            "{}",
            missing.message
        );
        let negative = request("employees", Value(-1), Absent).unwrap_err();
        assert!(
            negative.message.contains("negative"),
            "{}",
            negative.message
        );
        assert_eq!(
            request("employees", Value(100), Absent).unwrap().first,
            Some(25)
        );
        assert_eq!(
            request("departments", Absent, Value(26)).unwrap().last,
            Some(25)
        );
        assert_eq!(request("teams", Value(0), Absent).unwrap().first, Some(0));
        let unclamped = PageRequest::<u32>::new(
            "employees",
            PageArgs {
                first: &Value(100),
                last: &Absent,
                after: &Absent,
                before: &Absent,
            },
            &Cursors::default(),
            &[Fault::PageSizeNotClamped].into_iter().collect(),
        );
        assert_eq!(unclamped.unwrap().first, Some(100));
    }

    #[test]
    fn cursors_are_base64_of_the_key_and_bad_ones_are_refused() {
        let cursors = Cursors::default();
        assert_eq!(cursors.encode(&5u32), "NQ==");
        assert_eq!(cursors.encode(&10u32), "MTA=");
        assert_eq!(cursors.decode::<u32>("NQ=="), Some(5));
        assert_eq!(
            cursors
                .decode::<String>(&cursors.encode(&"favorite_food".to_owned()))
                .as_deref(),
            Some("favorite_food")
        );
        for bad in ["", "!!!", "Zm9v", "MDU=", "LTE="] {
            assert_eq!(cursors.decode::<u32>(bad), None, "{bad}");
        }
        let error = PageRequest::<u32>::new(
            "employees",
            PageArgs {
                first: &MaybeAbsent::Value(2),
                last: &MaybeAbsent::Absent,
                after: &MaybeAbsent::Value("nope".to_owned()),
                before: &MaybeAbsent::Absent,
            },
            &cursors,
            &Faults::none(),
        )
        .unwrap_err();
        assert_eq!(error.code, runtime::ErrorCode::BadUserInput);
        assert!(
            error.message.contains("not a valid cursor"),
            "{}",
            error.message
        );
    }

    #[test]
    fn faults_change_the_page() {
        let all: Vec<u32> = (1..=10).collect();
        let forward = PageRequest {
            first: Some(3),
            last: None,
            after: Some(5),
            before: None,
        };
        let off = slice(&all, &forward, &[Fault::PageOffByOne].into_iter().collect());
        assert_eq!(all[off.range], [5, 6, 7]);
        let last_page = PageRequest {
            after: Some(8),
            ..forward.clone()
        };
        assert!(!slice(&all, &last_page, &Faults::none()).has_next_page);
        assert!(
            slice(
                &all,
                &last_page,
                &[Fault::HasNextPageOnLastPage].into_iter().collect()
            )
            .has_next_page
        );
        let unstable: Faults = [Fault::UnstableCursors].into_iter().collect();
        let (a, b) = (Cursors::new(&unstable, 1), Cursors::new(&unstable, 2));
        assert_ne!(a.encode(&5u32), b.encode(&5u32));
        assert_eq!(b.decode::<u32>(&a.encode(&5u32)), Some(5));
        assert_eq!(
            Cursors::new(&Faults::none(), 1).encode(&5u32),
            Cursors::new(&Faults::none(), 2).encode(&5u32)
        );
    }
}
