//! Lighthouse paginators (`@paginated(style: LIGHTHOUSE)`, Worksome): P12–P13 over the query fields paginated in
//! that style.
//!
//! The style's vocabulary (`PaginationStyle.LIGHTHOUSE` in `rules.graphql`; Laravel's `LengthAwarePaginator`): a
//! `first` argument (the page size: `defaultPageSize` when absent, `maxPageSize` at most, per `overMax`) and a `page`
//! argument (1-based, 1 when absent) give `{ data paginatorInfo }`. `paginatorInfo` is exact: `count` (items on this
//! page), `currentPage` (the page asked for, past the last one too), `firstItem` and `lastItem` (the 1-based positions
//! of the page's first and last items, null on an empty page), `hasMorePages` (currentPage < lastPage), `lastPage`
//! (max(1, ⌈total / perPage⌉)), `perPage` and `total` (the items of every page). [`page::expected_info`] computes it.
//!
//! Every case compares what the target returns with a reference listing per field and credential that may call it
//! (`@requiresRole`): pages of the largest size, fetched once per property run (ten fields a request, aliased) and
//! shared by the cases. A field whose other arguments include a required one is not checked (Worksome's query fields have
//! none: its 28 query paginators are all checked; the 48 paginated fields of other types are reached through an
//! object and are not).

use std::cell::RefCell;
use std::collections::HashMap;

use apollo_compiler::schema::ExtendedType;
use runtime::rules::{FieldRules, Pagination, PaginationStyle};
use serde_json::Value;

use crate::credentials::Credential;
use crate::property::{Case, CaseError, Context, Group, Property};
use crate::schema::SchemaInfo;

mod checks;
pub mod page;

use checks::{run_p12, run_p13};
use page::{Page, PageArgs, fetch_ok, page_selection, parse_page};

pub static P12: Property = Property {
    id: "P12",
    name: "lighthouse-walk",
    statement: "Pages 1 to lastPage + 1 of a Lighthouse paginator, for any `first` (or none: defaultPageSize), hold every item exactly once, in the order of one page holding them all, and each page's paginatorInfo is exact: count, currentPage, firstItem and lastItem (1-based, null on an empty page), hasMorePages = currentPage < lastPage, lastPage = max(1, ceil(total / perPage)), perPage, total; the page past the last is empty.",
    group: Group::Pagination,
    writes: false,
    max_cases: None,
    run: run_p12,
};

pub static P13: Property = Property {
    id: "P13",
    name: "lighthouse-page-size",
    statement: "Without `first` a Lighthouse page holds @paginated(defaultPageSize:) items (perPage says so), and without `page` it is page 1; `first` below 1, `page` below 1 and `first` above a REJECT maxPageSize are refused with the API's validation error naming the argument, and no data for the field; above a CLAMP maxPageSize, perPage is the maximum.",
    group: Group::Pagination,
    writes: false,
    max_cases: None,
    run: run_p13,
};

/// The names the style gives its arguments and its page object.
pub const FIRST: &str = "first";
pub const PAGE: &str = "page";
const DATA: &str = "data";
const INFO: &str = "paginatorInfo";
const KEY: &str = "id";
/// The fields of `paginatorInfo`, as selected.
const INFO_FIELDS: [&str; 8] = [
    "count",
    "currentPage",
    "firstItem",
    "hasMorePages",
    "lastItem",
    "lastPage",
    "perPage",
    "total",
];

/// A query field paginated in the Lighthouse style, with what a request needs.
#[derive(Debug, Clone)]
pub struct Paginator {
    pub field: &'static FieldRules,
    pub pagination: Pagination,
    /// The selection under `data` that identifies an item (`id`, with `__typename` for an abstract type).
    pub(super) key: String,
}

impl Paginator {
    pub fn name(&self) -> &str {
        &self.field.field_name
    }

    /// The page size a request for `first` gets (`None`: refused, or no default where `first` is absent).
    pub fn size(&self, first: Option<i64>) -> Option<u64> {
        match first {
            Some(n) if n < 1 => None,
            Some(n) => self
                .pagination
                .effective_size(Some(u32::try_from(n).unwrap_or(u32::MAX)))
                .map(u64::from),
            None => self.pagination.effective_size(None).map(u64::from),
        }
    }

    /// The largest page: the reference listings' size.
    fn largest(&self) -> i64 {
        i64::from(self.pagination.max_page_size.unwrap_or(100))
    }
}

/// The Lighthouse query fields that can be checked, and how many cannot (a required argument besides the page's,
/// no `data`/`paginatorInfo`, items without `id`).
pub fn paginators(schema: &SchemaInfo) -> (Vec<Paginator>, usize) {
    let query = schema.query_type().to_owned();
    let mut usable = Vec::new();
    let mut skipped = 0;
    for field in schema.rules.fields.iter() {
        let Some(pagination) = field
            .pagination
            .filter(|p| p.style == PaginationStyle::Lighthouse)
        else {
            continue;
        };
        if *field.type_name != *query {
            continue;
        }
        match paginator(schema, field, pagination) {
            Some(p) => usable.push(p),
            None => skipped += 1,
        }
    }
    (usable, skipped)
}

fn paginator(
    schema: &SchemaInfo,
    field: &'static FieldRules,
    pagination: Pagination,
) -> Option<Paginator> {
    let definition = schema.field(&field.type_name, &field.field_name)?;
    let names = |n: &str| definition.arguments.iter().any(|a| a.name == n);
    let other_required = definition.arguments.iter().any(|a| {
        a.ty.is_non_null() && a.default_value.is_none() && a.name != FIRST && a.name != PAGE
    });
    if !names(FIRST) || !names(PAGE) || other_required {
        return None;
    }
    let page_type = definition.ty.inner_named_type().as_str();
    let data = schema.field(page_type, DATA).filter(|d| d.ty.is_list())?;
    let info = schema.field(page_type, INFO)?;
    let info_type = info.ty.inner_named_type().as_str();
    if INFO_FIELDS
        .iter()
        .any(|f| schema.field(info_type, f).is_none())
    {
        return None;
    }
    let key = key_selection(schema, data.ty.inner_named_type().as_str())?;
    Some(Paginator {
        field,
        pagination,
        key,
    })
}

/// What identifies an item of `item_type`: its `id`, and for an interface or union its `__typename` too (ids of
/// different types may coincide). `None` when some possible type has no `id`.
fn key_selection(schema: &SchemaInfo, item_type: &str) -> Option<String> {
    let has_key = |t: &str| schema.leaf_fields(t).iter().any(|f| f == KEY);
    match schema.schema.types.get(item_type)? {
        ExtendedType::Object(_) if has_key(item_type) => Some(KEY.to_owned()),
        ExtendedType::Interface(_) if has_key(item_type) => Some(format!("__typename {KEY}")),
        ExtendedType::Union(union) => {
            let mut selection = "__typename".to_owned();
            for member in &union.members {
                if !has_key(member.as_str()) {
                    return None;
                }
                selection.push_str(&format!(" ... on {} {{ {KEY} }}", member.as_str()));
            }
            Some(selection)
        }
        _ => None,
    }
}

/// Whether a credential may call a field: it holds one of the field's `@requiresRole` roles, if it has any.
pub fn may_call(credential: Option<&Credential>, field: &FieldRules) -> bool {
    field.roles.is_empty()
        || credential.is_some_and(|c| c.roles.iter().any(|r| field.roles.iter().any(|f| f == r)))
}

/// The readers a run has: every credential, or no credential when it has none.
pub fn readers(cx: &Context<'_>) -> Vec<Option<Credential>> {
    if cx.target.credentials.is_empty() {
        vec![None]
    } else {
        cx.target.credentials.iter().cloned().map(Some).collect()
    }
}

/// The reference listings: the items of each (paginator, reader) pair, in the order of pages of the largest size.
#[derive(Debug, Default)]
pub struct References(RefCell<HashMap<(usize, usize), Vec<Value>>>);

impl References {
    /// Every pair's listing, from aliased requests per reader holding the fields it may call (a few a request:
    /// servers bound the aliases of a document, the reference server by 15), each field then walked on where its
    /// first page is not its last; a field missing from an answer is walked alone.
    pub fn fetch_all(
        case: &Case<'_, '_>,
        paginators: &[Paginator],
        readers: &[Option<Credential>],
    ) -> Result<References, CaseError> {
        const ALIASES: usize = 10;
        let references = References::default();
        let largest = |p: &Paginator| PageArgs {
            first: Some(p.largest()),
            page: Some(1),
        };
        for (r, reader) in readers.iter().enumerate() {
            let callable: Vec<usize> = (0..paginators.len())
                .filter(|&p| may_call(reader.as_ref(), paginators[p].field))
                .collect();
            for chunk in callable.chunks(ALIASES) {
                let query = chunk
                    .iter()
                    .map(|&p| {
                        let selection = page_selection(&paginators[p], largest(&paginators[p]));
                        format!("p{p}: {selection}")
                    })
                    .collect::<Vec<_>>()
                    .join(" ");
                let reply = case.graphql(reader.as_ref(), &format!("{{ {query} }}"), None)?;
                for &p in chunk {
                    let first = match reply.field(&format!("p{p}")) {
                        Some(page) => {
                            Some(parse_page(&paginators[p], page, largest(&paginators[p]))?)
                        }
                        None => None,
                    };
                    let items = walk(case, &paginators[p], reader.as_ref(), first)?;
                    references.0.borrow_mut().insert((p, r), items);
                }
            }
        }
        Ok(references)
    }

    /// The listing of a pair (empty for a pair whose reader may not call the field).
    pub fn get(&self, paginator: usize, reader: usize) -> Vec<Value> {
        self.0
            .borrow()
            .get(&(paginator, reader))
            .cloned()
            .unwrap_or_default()
    }

    /// The pairs listed, with their item counts, in a stable order.
    pub fn pairs(&self) -> Vec<(usize, usize, usize)> {
        let mut out: Vec<_> = self
            .0
            .borrow()
            .iter()
            .map(|(&(p, r), items)| (p, r, items.len()))
            .collect();
        out.sort_unstable();
        out
    }
}

/// Every item of a paginator by pages of the largest size, until a page says it is the last (or is empty); `first`
/// is page 1 when it has been fetched already.
fn walk(
    case: &Case<'_, '_>,
    paginator: &Paginator,
    reader: Option<&Credential>,
    first: Option<Page>,
) -> Result<Vec<Value>, CaseError> {
    let mut items = Vec::new();
    let mut next = first;
    for page in 1..=1_000 {
        let args = PageArgs {
            first: Some(paginator.largest()),
            page: Some(page),
        };
        let current = match next.take() {
            Some(p) => p,
            None => fetch_ok(case, paginator, reader, args)?,
        };
        let done = !current.info.has_more_pages || current.items.is_empty();
        items.extend(current.items);
        if done {
            return Ok(items);
        }
    }
    Err(CaseError::fail(format!(
        "the listing of `{}` by pages of {} does not end after 1000 pages",
        paginator.name(),
        paginator.largest()
    )))
}
