//! Pagination properties, over every field the rules table marks `@paginated`, by the style each field declares.
//!
//! Relay connections (Greenhouse, Healthmov) are checked by P1–P7 in [`relay`]; Workable's id windows (`limit`,
//! `since_id`, `max_id`, `paging.next`) by P9–P11 in [`id_window`]; Worksome's Lighthouse paginators (`first`, `page`,
//! `paginatorInfo`) by P12–P13 in [`lighthouse`]. `relay`'s `checkable` names the fields each style's module checks;
//! another style plugs in by adding a module beside these and an arm there. [`sequence`] compares walks, whatever the
//! style. P8 (a full walk reflects each write exactly once) needs writes, so it lives with the stateful model of each
//! API.

pub mod id_window;
pub mod lighthouse;
pub mod relay;
pub mod sequence;
