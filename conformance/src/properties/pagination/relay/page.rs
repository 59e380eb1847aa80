//! Relay cursor connections: one page fetch, parsed strictly, and the full walks the properties compare.

use serde_json::Value;

use crate::graphql::Reply;
use crate::property::{Case, CaseError};
use crate::schema::Connection;

/// The arguments of one page request. `None` leaves an argument out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageArgs {
    pub first: Option<i64>,
    pub last: Option<i64>,
    pub after: Option<String>,
    pub before: Option<String>,
}

/// One page as returned.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub keys: Vec<Value>,
    pub cursors: Vec<String>,
    pub has_next: bool,
    pub has_previous: bool,
    pub start_cursor: Option<String>,
    pub end_cursor: Option<String>,
    /// `totalCount`, where the connection type has it.
    pub total_count: Option<i64>,
}

/// Every node of a connection in order, with its cursor, as a forward walk found them.
#[derive(Debug, Clone, PartialEq)]
pub struct Walk {
    pub keys: Vec<Value>,
    pub cursors: Vec<String>,
    pub pages: usize,
    /// The `totalCount` of each page, where the connection type has it.
    pub total_counts: Vec<i64>,
}

/// The query text of one page request.
pub fn page_query(connection: &Connection, args: &PageArgs) -> String {
    let mut list = Vec::new();
    if let Some(n) = args.first {
        list.push(format!("first: {n}"));
    }
    if let Some(n) = args.last {
        list.push(format!("last: {n}"));
    }
    if let Some(c) = &args.after {
        list.push(format!("after: {}", Value::String(c.clone())));
    }
    if let Some(c) = &args.before {
        list.push(format!("before: {}", Value::String(c.clone())));
    }
    let args = if list.is_empty() {
        String::new()
    } else {
        format!("({})", list.join(", "))
    };
    let key = connection.key.as_deref().unwrap_or("__typename");
    let total = if connection.total_count {
        " totalCount"
    } else {
        ""
    };
    format!(
        "{{ page: {}{args} {{ edges {{ cursor node {{ {key} }} }} pageInfo {{ hasNextPage hasPreviousPage startCursor endCursor }}{total} }} }}",
        connection.field
    )
}

/// Requests one page. `Ok(Err(reply))` when the target answered with errors and no page.
pub fn fetch(
    case: &Case<'_, '_>,
    connection: &Connection,
    args: &PageArgs,
) -> Result<Result<Page, Reply>, CaseError> {
    let reply = case.graphql(
        case.cx.target.primary(),
        &page_query(connection, args),
        None,
    )?;
    let Some(page) = reply.field("page") else {
        return Ok(Err(reply));
    };
    parse_page(connection, page).map(Ok)
}

/// Requests one page that must come back.
pub fn fetch_ok(
    case: &Case<'_, '_>,
    connection: &Connection,
    args: &PageArgs,
) -> Result<Page, CaseError> {
    match fetch(case, connection, args)? {
        Ok(page) => Ok(page),
        Err(reply) => Err(CaseError::fail(format!(
            "`{}` with {args:?} returned no page: {}",
            connection.field,
            reply.error_digest(case.cx.rules)
        ))),
    }
}

fn parse_page(connection: &Connection, page: &Value) -> Result<Page, CaseError> {
    let malformed = |what: &str| {
        CaseError::fail(format!(
            "malformed `{}` connection: {what}",
            connection.field
        ))
    };
    let key = connection.key.as_deref().unwrap_or("__typename");
    let edges = match page.get("edges") {
        Some(Value::Array(edges)) => edges.as_slice(),
        Some(Value::Null) | None => &[],
        Some(_) => return Err(malformed("`edges` is not a list")),
    };
    let mut keys = Vec::with_capacity(edges.len());
    let mut cursors = Vec::with_capacity(edges.len());
    for edge in edges {
        let cursor = edge
            .get("cursor")
            .and_then(Value::as_str)
            .ok_or_else(|| malformed("an edge without a string `cursor`"))?;
        let node_key = edge
            .get("node")
            .and_then(|n| n.get(key))
            .filter(|k| !k.is_null())
            .ok_or_else(|| malformed(&format!("an edge without `node.{key}`")))?;
        keys.push(node_key.clone());
        cursors.push(cursor.to_owned());
    }
    let info = page
        .get("pageInfo")
        .filter(|i| i.is_object())
        .ok_or_else(|| malformed("no `pageInfo`"))?;
    let flag = |name: &str| {
        info.get(name)
            .and_then(Value::as_bool)
            .ok_or_else(|| malformed(&format!("`pageInfo.{name}` is not a Boolean")))
    };
    let cursor = |name: &str| match info.get(name) {
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(Value::Null) | None => Ok(None),
        Some(_) => Err(malformed(&format!("`pageInfo.{name}` is not a String"))),
    };
    Ok(Page {
        keys,
        cursors,
        has_next: flag("hasNextPage")?,
        has_previous: flag("hasPreviousPage")?,
        start_cursor: cursor("startCursor")?,
        end_cursor: cursor("endCursor")?,
        total_count: match page.get("totalCount") {
            _ if !connection.total_count => None,
            Some(Value::Number(n)) => n.as_i64(),
            _ => return Err(malformed("`totalCount` is not an Int")),
        },
    })
}

/// Walks forward with `first: size` from the start until `hasNextPage` is false. `max_pages` bounds a walk that
/// does not end.
pub fn walk_forward(
    case: &Case<'_, '_>,
    connection: &Connection,
    size: i64,
    max_pages: usize,
) -> Result<Walk, CaseError> {
    let mut walk = Walk {
        keys: Vec::new(),
        cursors: Vec::new(),
        pages: 0,
        total_counts: Vec::new(),
    };
    let mut after: Option<String> = None;
    loop {
        let args = PageArgs {
            first: Some(size),
            after: after.clone(),
            ..PageArgs::default()
        };
        let page = fetch_ok(case, connection, &args)?;
        walk.pages += 1;
        walk.keys.extend(page.keys.iter().cloned());
        walk.cursors.extend(page.cursors.iter().cloned());
        walk.total_counts.extend(page.total_count);
        if !page.has_next {
            return Ok(walk);
        }
        crate::ensure!(
            !page.keys.is_empty(),
            "`{}` with first: {size} returned an empty page with hasNextPage true",
            connection.field
        );
        let end = page.end_cursor.or_else(|| page.cursors.last().cloned());
        crate::ensure!(
            end.is_some() && end != after,
            "`{}`: a forward walk with first: {size} does not advance (endCursor {:?} after {:?})",
            connection.field,
            end,
            after
        );
        crate::ensure!(
            walk.pages < max_pages,
            "`{}`: a forward walk with first: {size} has not ended after {max_pages} pages ({} nodes so far)",
            connection.field,
            walk.keys.len()
        );
        after = end;
    }
}

/// Walks backward with `last: size` from the end until `hasPreviousPage` is false; pages are prepended, so the
/// result is in forward order.
pub fn walk_backward(
    case: &Case<'_, '_>,
    connection: &Connection,
    size: i64,
    max_pages: usize,
) -> Result<Walk, CaseError> {
    let mut pages: Vec<Page> = Vec::new();
    let mut before: Option<String> = None;
    loop {
        let args = PageArgs {
            last: Some(size),
            before: before.clone(),
            ..PageArgs::default()
        };
        let page = fetch_ok(case, connection, &args)?;
        let has_previous = page.has_previous;
        let empty = page.keys.is_empty();
        let start = page
            .start_cursor
            .clone()
            .or_else(|| page.cursors.first().cloned());
        pages.push(page);
        if !has_previous {
            break;
        }
        crate::ensure!(
            !empty,
            "`{}` with last: {size} returned an empty page with hasPreviousPage true",
            connection.field
        );
        crate::ensure!(
            start.is_some() && start != before,
            "`{}`: a backward walk with last: {size} does not advance",
            connection.field
        );
        crate::ensure!(
            pages.len() < max_pages,
            "`{}`: a backward walk with last: {size} has not ended after {max_pages} pages",
            connection.field
        );
        before = start;
    }
    let mut walk = Walk {
        keys: Vec::new(),
        cursors: Vec::new(),
        pages: pages.len(),
        total_counts: Vec::new(),
    };
    for page in pages.into_iter().rev() {
        walk.keys.extend(page.keys);
        walk.cursors.extend(page.cursors);
    }
    Ok(walk)
}
