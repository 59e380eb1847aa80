//! One Lighthouse page: the request, the answer read strictly, and the `paginatorInfo` it must carry.
//!
//! The effect properties read Lighthouse lists with a pager of their own (`effects/read.rs` says why).

use serde_json::Value;

use super::{DATA, FIRST, INFO, INFO_FIELDS, KEY, PAGE, Paginator};
use crate::credentials::Credential;
use crate::ensure;
use crate::graphql::Reply;
use crate::property::{Case, CaseError};

/// `paginatorInfo` as returned, or as it must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Info {
    pub count: i64,
    pub current_page: i64,
    pub first_item: Option<i64>,
    pub last_item: Option<i64>,
    pub has_more_pages: bool,
    pub last_page: i64,
    pub per_page: i64,
    pub total: i64,
}

impl Info {
    /// The fields where `self` differs from `expected`, as `name: got (expected)`.
    pub fn differences(&self, expected: &Info) -> Vec<String> {
        let show = |v: Option<i64>| v.map_or("null".to_owned(), |v| v.to_string());
        let mut out = Vec::new();
        let mut int = |name: &str, got: Option<i64>, want: Option<i64>| {
            if got != want {
                out.push(format!("{name} {} (expected {})", show(got), show(want)));
            }
        };
        int("count", Some(self.count), Some(expected.count));
        int(
            "currentPage",
            Some(self.current_page),
            Some(expected.current_page),
        );
        int("firstItem", self.first_item, expected.first_item);
        int("lastItem", self.last_item, expected.last_item);
        int("lastPage", Some(self.last_page), Some(expected.last_page));
        int("perPage", Some(self.per_page), Some(expected.per_page));
        int("total", Some(self.total), Some(expected.total));
        if self.has_more_pages != expected.has_more_pages {
            out.push(format!(
                "hasMorePages {} (expected {})",
                self.has_more_pages, expected.has_more_pages
            ));
        }
        out
    }
}

/// The `paginatorInfo` of page `page` (from 1) of `total` items by pages of `per_page` (at least 1).
pub fn expected_info(total: u64, per_page: u64, page: u64) -> Info {
    let per_page = per_page.max(1);
    let start = page.saturating_sub(1).saturating_mul(per_page);
    let count = total.saturating_sub(start).min(per_page);
    let last_page = total.div_ceil(per_page).max(1);
    let int = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
    Info {
        count: int(count),
        current_page: int(page),
        first_item: (count > 0).then(|| int(start + 1)),
        last_item: (count > 0).then(|| int(start + count)),
        has_more_pages: page < last_page,
        last_page: int(last_page),
        per_page: int(per_page),
        total: int(total),
    }
}

/// One page as returned: the items' keys and `paginatorInfo`.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub items: Vec<Value>,
    pub info: Info,
}

/// The arguments of a page request; `None` leaves one out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PageArgs {
    pub first: Option<i64>,
    pub page: Option<i64>,
}

impl std::fmt::Display for PageArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut list = Vec::new();
        if let Some(n) = self.first {
            list.push(format!("{FIRST}: {n}"));
        }
        if let Some(p) = self.page {
            list.push(format!("{PAGE}: {p}"));
        }
        if list.is_empty() {
            Ok(())
        } else {
            write!(f, "({})", list.join(", "))
        }
    }
}

/// `field(args)`, or `lookup(id: "holder").field(args)` for a field of another type: how messages name a page.
pub fn describe(paginator: &Paginator, holder: Option<&str>, args: PageArgs) -> String {
    match (&paginator.holder, holder) {
        (Some(h), Some(id)) => format!("`{}(id: {id:?}).{}{args}`", h.lookup, paginator.name()),
        (Some(h), None) => format!("`{}.{}{args}`", h.lookup, paginator.name()),
        (None, _) => format!("`{}{args}`", paginator.name()),
    }
}

/// The selection of one page, aliased: the items' keys and every `paginatorInfo` field, inside the holder's lookup
/// for a field of another type (one alias either way: servers bound them).
pub(super) fn selection(
    paginator: &Paginator,
    holder: Option<&str>,
    args: PageArgs,
    alias: &str,
) -> String {
    let page = format!(
        "{}{args} {{ {DATA} {{ {} }} {INFO} {{ {} }} }}",
        paginator.name(),
        paginator.key,
        INFO_FIELDS.join(" ")
    );
    match &paginator.holder {
        None => format!("{alias}: {page}"),
        Some(h) => {
            let id = match holder {
                Some(id) if h.by_id => format!("({KEY}: {})", Value::String(id.to_owned())),
                _ => String::new(),
            };
            format!(
                "{alias}: {}{id} {{ ... on {} {{ {page} }} }}",
                h.lookup, h.type_name
            )
        }
    }
}

/// The page an answer holds under `alias`, if any.
pub(super) fn page_in<'r>(
    paginator: &Paginator,
    reply: &'r Reply,
    alias: &str,
) -> Option<&'r Value> {
    let value = reply.field(alias)?;
    match paginator.holder {
        None => Some(value),
        Some(_) => value.get(paginator.name()).filter(|v| !v.is_null()),
    }
}

/// Requests one page as `reader`. `Ok(Err(reply))` when the target answered with no page.
pub fn fetch(
    case: &Case<'_, '_>,
    paginator: &Paginator,
    holder: Option<&str>,
    reader: Option<&Credential>,
    args: PageArgs,
) -> Result<Result<Page, Reply>, CaseError> {
    let query = format!("{{ {} }}", selection(paginator, holder, args, "read"));
    let reply = case.graphql(reader, &query, None)?;
    let Some(page) = page_in(paginator, &reply, "read") else {
        return Ok(Err(reply));
    };
    parse_page(paginator, page, args).map(Ok)
}

/// Requests one page that must come back.
pub fn fetch_ok(
    case: &Case<'_, '_>,
    paginator: &Paginator,
    holder: Option<&str>,
    reader: Option<&Credential>,
    args: PageArgs,
) -> Result<Page, CaseError> {
    match fetch(case, paginator, holder, reader, args)? {
        Ok(page) => Ok(page),
        Err(reply) => Err(CaseError::fail(format!(
            "{} returned no page: {}",
            describe(paginator, holder, args),
            reply.error_digest(case.cx.rules)
        ))),
    }
}

pub(super) fn parse_page(
    paginator: &Paginator,
    page: &Value,
    args: PageArgs,
) -> Result<Page, CaseError> {
    let malformed = |what: String| {
        CaseError::fail(format!(
            "malformed page of `{}{args}`: {what}",
            paginator.name()
        ))
    };
    let Some(data) = page.get(DATA).and_then(Value::as_array) else {
        return Err(malformed(format!("`{DATA}` is not a list")));
    };
    let mut items = Vec::with_capacity(data.len());
    for item in data {
        ensure!(
            item.get(KEY).is_some_and(|k| !k.is_null()),
            "malformed page of `{}{args}`: an item without `{KEY}`: {item}",
            paginator.name()
        );
        items.push(item.clone());
    }
    let info = page
        .get(INFO)
        .filter(|i| i.is_object())
        .ok_or_else(|| malformed(format!("no `{INFO}`")))?;
    let int = |name: &str| {
        info.get(name)
            .and_then(Value::as_i64)
            .ok_or_else(|| malformed(format!("`{INFO}.{name}` is not an Int")))
    };
    let nullable = |name: &str| match info.get(name) {
        Some(Value::Null) => Ok(None),
        Some(v) => v
            .as_i64()
            .map(Some)
            .ok_or_else(|| malformed(format!("`{INFO}.{name}` is neither an Int nor null"))),
        None => Err(malformed(format!("no `{INFO}.{name}`"))),
    };
    Ok(Page {
        items,
        info: Info {
            count: int("count")?,
            current_page: int("currentPage")?,
            first_item: nullable("firstItem")?,
            last_item: nullable("lastItem")?,
            has_more_pages: info
                .get("hasMorePages")
                .and_then(Value::as_bool)
                .ok_or_else(|| malformed(format!("`{INFO}.hasMorePages` is not a Boolean")))?,
            last_page: int("lastPage")?,
            per_page: int("perPage")?,
            total: int("total")?,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expected_info_by_hand() {
        // 7 items by pages of 3: pages [1 2 3] [4 5 6] [7], then nothing.
        let page = |n| expected_info(7, 3, n);
        assert_eq!(
            page(1),
            Info {
                count: 3,
                current_page: 1,
                first_item: Some(1),
                last_item: Some(3),
                has_more_pages: true,
                last_page: 3,
                per_page: 3,
                total: 7
            }
        );
        assert_eq!(
            (
                page(2).first_item,
                page(2).last_item,
                page(2).has_more_pages
            ),
            (Some(4), Some(6), true)
        );
        assert_eq!(
            page(3),
            Info {
                count: 1,
                current_page: 3,
                first_item: Some(7),
                last_item: Some(7),
                has_more_pages: false,
                last_page: 3,
                per_page: 3,
                total: 7
            }
        );
        assert_eq!(
            page(4),
            Info {
                count: 0,
                current_page: 4,
                first_item: None,
                last_item: None,
                has_more_pages: false,
                last_page: 3,
                per_page: 3,
                total: 7
            }
        );
    }

    #[test]
    fn expected_info_of_an_empty_list_and_exact_pages() {
        // No items: one (empty) page.
        let empty = expected_info(0, 10, 1);
        assert_eq!(
            (empty.count, empty.first_item, empty.last_item),
            (0, None, None)
        );
        assert_eq!((empty.last_page, empty.has_more_pages), (1, false));
        // 6 items by pages of 2: the third page is the last and full.
        let last = expected_info(6, 2, 3);
        assert_eq!(
            (last.count, last.first_item, last.last_item, last.last_page),
            (2, Some(5), Some(6), 3)
        );
        assert!(!last.has_more_pages);
        assert!(expected_info(6, 2, 2).has_more_pages);
    }
}
