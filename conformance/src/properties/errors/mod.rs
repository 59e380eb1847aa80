//! Error properties E1–E5: random invalid requests (unknown ids, wrong argument types, unknown fields, missing
//! required arguments, syntax errors, bad variables, malformed HTTP bodies) get errors in the API's declared format
//! with documented codes, no internals, and never a server error.

mod checks;
pub mod entries;
pub mod invalid;

use crate::property::{Group, Property};
use checks::{run_e1, run_e2, run_e3, run_e4, run_e5};

pub static E1: Property = Property {
    id: "E1",
    name: "error-shape",
    statement: "Every errors entry has a non-empty string message, well-formed locations, path and extensions, and carries its code where the API's error format puts it.",
    group: Group::Errors,
    writes: false,
    max_cases: None,
    run: run_e1,
};

pub static E2: Property = Property {
    id: "E2",
    name: "error-data",
    statement: "A request error (syntax, validation) has no data; a field error nulls the field and names it in path.",
    group: Group::Errors,
    writes: false,
    max_cases: None,
    run: run_e2,
};

pub static E3: Property = Property {
    id: "E3",
    name: "documented-codes",
    statement: "Every error code is one the document names, the one for its cause (NotFound for an unknown id, Validation for an invalid request), and the same each time; a document that does not parse gets the HTTP status the API declares for it (@errorFormat(parseFailureStatus:)).",
    group: Group::Errors,
    writes: false,
    max_cases: None,
    run: run_e3,
};

pub static E4: Property = Property {
    id: "E4",
    name: "no-internals",
    statement: "No response leaks internals, in any language's form: no stack frames (Rust, Python, Ruby, Node, Java, Go), source files with line numbers, absolute server paths, panics or exception objects.",
    group: Group::Errors,
    writes: false,
    max_cases: None,
    run: run_e4,
};

pub static E5: Property = Property {
    id: "E5",
    name: "no-server-errors",
    statement: "Malformed HTTP requests (bodies that are not JSON, wrong shapes, wrong media types) never get a 5xx, and any JSON answer is a well-formed GraphQL error.",
    group: Group::Errors,
    writes: false,
    max_cases: None,
    run: run_e5,
};
