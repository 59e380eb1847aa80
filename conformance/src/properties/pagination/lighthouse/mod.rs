//! Lighthouse paginators (`@paginated(style: LIGHTHOUSE)`, Worksome): P12–P13 over the fields paginated in that
//! style, of the query root and of entity types.
//!
//! The style's vocabulary (`PaginationStyle.LIGHTHOUSE` in `rules.graphql`; Laravel's `LengthAwarePaginator`): a
//! `first` argument (the page size: `defaultPageSize` when absent, `maxPageSize` at most, per `overMax`) and a `page`
//! argument (1-based, 1 when absent) give `{ data paginatorInfo }`. `paginatorInfo` is exact: `count` (items on this
//! page), `currentPage` (the page asked for, past the last one too), `firstItem` and `lastItem` (the 1-based positions
//! of the page's first and last items, null on an empty page), `hasMorePages` (currentPage < lastPage), `lastPage`
//! (max(1, ⌈total / perPage⌉)), `perPage` and `total` (the items of every page). [`page::expected_info`] computes it.
//!
//! Every case compares what the target returns with a reference listing per field, holder and credential that may
//! call it (`@requiresRole`): pages of the largest size, fetched once per property run (ten listings a request,
//! aliased) and shared by the cases. A paginated field of an entity type is read through the entity's
//! `@entity(lookup:)`, for the first two ids of the entity's `@entity(list:)` (or the caller's own entity, for a lookup
//! without `id`). A field with a required argument besides the page's, or of a type without such a lookup, is not
//! checked (on Worksome: 66 of its 75 paginated fields are checked; those of `Conversation`, `Expense`,
//! `ExpenseReport`, `Invoice`, `MilestoneDetail`, `Organisation` and `Worker` are not).

use apollo_compiler::schema::ExtendedType;
use runtime::rules::{FieldRules, Pagination, PaginationStyle};
use serde_json::Value;

use crate::credentials::Credential;
use crate::property::{Case, CaseError, Context, Group, Property};
use crate::schema::SchemaInfo;

mod checks;
pub mod page;

use checks::{run_p12, run_p13};
use page::{Page, PageArgs, describe, fetch_ok, page_in, parse_page, selection};

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

/// A field paginated in the Lighthouse style, with what a request needs.
#[derive(Debug, Clone)]
pub struct Paginator {
    pub field: &'static FieldRules,
    pub pagination: Pagination,
    /// The selection under `data` that identifies an item (`id`, with `__typename` for an abstract type).
    pub(super) key: String,
    /// How the object holding the field is reached, for a field of another type than the query root.
    pub holder: Option<Holder>,
}

/// How a paginated field of an entity type is reached: through the entity's `@entity(lookup:)` Query field.
#[derive(Debug, Clone)]
pub struct Holder {
    /// The entity type that declares the field.
    pub type_name: String,
    /// The lookup field.
    pub lookup: String,
    /// Whether the lookup takes `id` (else it returns the caller's own entity).
    pub by_id: bool,
    /// The entity's `@entity(list:)` Query paginator, where the ids to look up are read.
    pub list: Option<String>,
    /// The lookup's rules, where it has any (its `@requiresRole`).
    lookup_rules: Option<&'static FieldRules>,
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

    /// Page 1 of the largest size.
    fn largest_page(&self) -> PageArgs {
        PageArgs {
            first: Some(self.largest()),
            page: Some(1),
        }
    }

    /// Whether a credential may read the field: the field's roles, and its holder's lookup's.
    fn readable_by(&self, credential: Option<&Credential>) -> bool {
        let lookup = self.holder.as_ref().and_then(|h| h.lookup_rules);
        may_call(credential, self.field) && lookup.is_none_or(|l| may_call(credential, l))
    }
}

/// The Lighthouse fields that can be checked, query fields first, and how many cannot (a required argument besides
/// the page's, no `data`/`paginatorInfo`, items without `id`; for a field of another type, a holder that is no
/// entity with a lookup, or whose lookup by id has no list to read ids from).
pub fn paginators(schema: &SchemaInfo) -> (Vec<Paginator>, usize) {
    let query = schema.query_type().to_owned();
    let lighthouse = schema.rules.fields.iter().filter_map(|f| {
        f.pagination
            .filter(|p| p.style == PaginationStyle::Lighthouse)
            .map(|p| (f, p))
    });
    let (roots, others): (Vec<_>, Vec<_>) = lighthouse.partition(|(f, _)| *f.type_name == *query);
    let mut usable: Vec<Paginator> = Vec::new();
    let mut skipped = 0;
    for (field, pagination) in roots {
        match paginator(schema, field, pagination) {
            Some(p) => usable.push(p),
            None => skipped += 1,
        }
    }
    let listed: Vec<String> = usable.iter().map(|p| p.name().to_owned()).collect();
    for (field, pagination) in others {
        let holder = holder(schema, &query, &field.type_name)
            .filter(|h| !h.by_id || h.list.as_ref().is_some_and(|l| listed.contains(l)));
        match holder.zip(paginator(schema, field, pagination)) {
            Some((holder, p)) => usable.push(Paginator {
                holder: Some(holder),
                ..p
            }),
            None => skipped += 1,
        }
    }
    (usable, skipped)
}

/// The lookup of an entity type: a Query field taking `id` (and nothing else required), or none (the caller's own).
fn holder(schema: &SchemaInfo, query: &str, type_name: &str) -> Option<Holder> {
    let entity = schema.rules.entity(type_name)?;
    let lookup = entity.lookup.as_deref()?;
    let definition = schema.field(query, lookup)?;
    let required: Vec<_> = definition
        .arguments
        .iter()
        .filter(|a| a.ty.is_non_null() && a.default_value.is_none())
        .collect();
    let by_id = match required[..] {
        [] => false,
        [id] if id.name == KEY => true,
        _ => return None,
    };
    Some(Holder {
        type_name: type_name.to_owned(),
        lookup: lookup.to_owned(),
        by_id,
        list: entity.list.as_deref().map(str::to_owned),
        lookup_rules: schema.rules.field(query, lookup),
    })
}

/// A paginator of a field, if its arguments and page type are the style's.
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
        holder: None,
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

/// One reference listing: every item of a paginator (of one holder) as one reader sees them, in the order of pages
/// of the largest size.
#[derive(Debug, Clone)]
pub struct Listing {
    pub paginator: usize,
    /// The id of the holder looked up, for a field of another type reached by id.
    pub holder: Option<String>,
    pub reader: usize,
    pub items: Vec<Value>,
}

/// How many holders of each paginated field of another type are listed per reader.
const HOLDERS: usize = 2;
/// Listings fetched in one request, aliased: servers bound the aliases of a document (the reference server by 15).
const ALIASES: usize = 10;

/// Every listing of the run: each query paginator for every reader that may call it, then each other paginator for
/// up to [`HOLDERS`] holders (the first ids of its entity's list as that reader sees it, or the reader's own).
pub fn listings(
    case: &Case<'_, '_>,
    paginators: &[Paginator],
    readers: &[Option<Credential>],
) -> Result<Vec<Listing>, CaseError> {
    let mut out: Vec<Listing> = Vec::new();
    for (r, reader) in readers.iter().enumerate() {
        let readable = |p: &usize| paginators[*p].readable_by(reader.as_ref());
        let roots: Vec<(usize, Option<String>)> = (0..paginators.len())
            .filter(readable)
            .filter(|&p| paginators[p].holder.is_none())
            .map(|p| (p, None))
            .collect();
        out.extend(fetch_listings(case, paginators, r, reader, roots)?);
        let mut held = Vec::new();
        for p in (0..paginators.len()).filter(readable) {
            let Some(holder) = &paginators[p].holder else {
                continue;
            };
            if !holder.by_id {
                held.push((p, None));
                continue;
            }
            let ids = out
                .iter()
                .filter(|l| {
                    l.reader == r && Some(paginators[l.paginator].name()) == holder.list.as_deref()
                })
                .flat_map(|l| &l.items)
                .filter(|item| {
                    item.get("__typename")
                        .is_none_or(|t| *t == *holder.type_name)
                })
                .filter_map(|item| match item.get(KEY)? {
                    Value::String(s) => Some(s.clone()),
                    Value::Number(n) => Some(n.to_string()),
                    _ => None,
                })
                .take(HOLDERS);
            held.extend(ids.map(|id| (p, Some(id))));
        }
        out.extend(fetch_listings(case, paginators, r, reader, held)?);
    }
    Ok(out)
}

/// The listings of `wanted` (paginator, holder) for one reader: their first pages [`ALIASES`] a request, each then
/// walked on where its first page is not its last; one missing from an answer is walked alone.
fn fetch_listings(
    case: &Case<'_, '_>,
    paginators: &[Paginator],
    r: usize,
    reader: &Option<Credential>,
    wanted: Vec<(usize, Option<String>)>,
) -> Result<Vec<Listing>, CaseError> {
    let mut out = Vec::new();
    for chunk in wanted.chunks(ALIASES) {
        let query = chunk
            .iter()
            .enumerate()
            .map(|(i, (p, holder))| {
                let p = &paginators[*p];
                selection(p, holder.as_deref(), p.largest_page(), &format!("l{i}"))
            })
            .collect::<Vec<_>>()
            .join(" ");
        let reply = case.graphql(reader.as_ref(), &format!("{{ {query} }}"), None)?;
        for (i, (p, holder)) in chunk.iter().enumerate() {
            let paginator = &paginators[*p];
            let alias = format!("l{i}");
            // A holder its lookup does not show this reader (null without an error) has nothing to list.
            let hidden = paginator.holder.is_some()
                && !reply.has_errors()
                && reply
                    .data()
                    .is_some_and(|d| d.get(&alias) == Some(&Value::Null));
            if hidden {
                continue;
            }
            let first = match page_in(paginator, &reply, &alias) {
                Some(page) => Some(parse_page(paginator, page, paginator.largest_page())?),
                None => None,
            };
            let items = walk(case, paginator, holder.as_deref(), reader.as_ref(), first)?;
            out.push(Listing {
                paginator: *p,
                holder: holder.clone(),
                reader: r,
                items,
            });
        }
    }
    Ok(out)
}

/// Every item of a paginator by pages of the largest size, until a page says it is the last (or is empty); `first`
/// is page 1 when it has been fetched already.
fn walk(
    case: &Case<'_, '_>,
    paginator: &Paginator,
    holder: Option<&str>,
    reader: Option<&Credential>,
    first: Option<Page>,
) -> Result<Vec<Value>, CaseError> {
    let mut items = Vec::new();
    let mut next = first;
    for page in 1..=1_000 {
        let args = PageArgs {
            page: Some(page),
            ..paginator.largest_page()
        };
        let current = match next.take() {
            Some(p) => p,
            None => fetch_ok(case, paginator, holder, reader, args)?,
        };
        let done = !current.info.has_more_pages || current.items.is_empty();
        items.extend(current.items);
        if done {
            return Ok(items);
        }
    }
    Err(CaseError::fail(format!(
        "the listing of {} by pages of {} does not end after 1000 pages",
        describe(paginator, holder, paginator.largest_page()),
        paginator.largest()
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Worksome's paginated fields as P12–P13 find them, counted by hand in `schemas/worksome.graphql`: 28 on the
    /// query root, 38 of entity types with a lookup, 9 not reachable.
    #[test]
    fn worksome_paginators_are_found_with_their_holders() {
        let schema = SchemaInfo::new(&generated::worksome::RULES, generated::worksome::PUBLIC_SDL)
            .expect("the contract validates");
        let (found, skipped) = paginators(&schema);
        let roots = found.iter().filter(|p| p.holder.is_none()).count();
        assert_eq!((roots, found.len() - roots, skipped), (28, 38, 9));
        let find = |type_name: &str, field: &str| {
            found
                .iter()
                .find(|p| *p.field.type_name == *type_name && p.name() == field)
        };
        // A union's items are keyed by type and id.
        let multi = find("Query", "multiFactors").expect("a query paginator");
        assert_eq!(
            multi.key,
            "__typename ... on SmsMultiFactor { id } ... on TotpMultiFactor { id }"
        );
        // `Project.jobs` is read through `project(id:)`, the ids from `projects`.
        let holder = find("Project", "jobs")
            .and_then(|p| p.holder.as_ref())
            .expect("held by a project");
        assert_eq!(
            (&*holder.lookup, holder.by_id, holder.list.as_deref()),
            ("project", true, Some("projects"))
        );
        // `Worker` has a lookup but no list to read ids from.
        assert!(find("Worker", "hires").is_none());
    }
}
