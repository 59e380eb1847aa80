//! Relay cursor connections (`first`/`after`, `last`/`before`, `pageInfo`): P1–P7 over every query field paginated
//! in that style whose nodes have an `id`.
//!
//! Every case compares what the target returns with a reference walk of its connection (the largest page size),
//! fetched once per property run and shared by the cases (`reference`). [`page`] fetches and parses one page and walks
//! a connection. The properties are grouped by what they look at: whole walks (P1, P2: `walks`), the page size (P3:
//! `page_size`), the page flags and cursors of `pageInfo` (P4, P5: `page_info`), and cursors as arguments (P6, P7:
//! `cursors`).

mod cursors;
pub mod page;
mod page_info;
mod page_size;
mod reference;
mod walks;

use crate::property::{Group, Property};
use cursors::{run_p6, run_p7};
use page_info::{run_p4, run_p5};
use page_size::run_p3;
use walks::{run_p1, run_p2};

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
