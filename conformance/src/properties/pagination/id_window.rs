//! Id-window pagination (`@paginated(style: ID_WINDOW)`, Workable's `GET /members`): P9–P11 over the `@rest` GET
//! fields paginated in that style.
//!
//! The style's vocabulary: a `limit` argument (the page size: `defaultPageSize` when absent, `maxPageSize` at most,
//! per `overMax`), `since_id` and `max_id` (the inclusive bounds of the id window), and a page object holding the
//! list of nodes (each with an `id`) and `paging { next }`, the URL of the next page while more nodes remain. Nodes
//! come in ascending id order (numeric when both ids are numbers, otherwise by text).
//!
//! The other query arguments filter. One whose name is a leaf field of the node (`role`, `email`, `name`) selects
//! the nodes whose field equals it; one an API module describes (Workable's `status`: active, inactive or all, by
//! the `active` field) selects per that description, with its SDL default when absent; the others (`shortcode`,
//! whose data the list does not show) are not generated.
//!
//! Every case compares what the target returns with a reference listing of the account: pages of the largest size
//! fetched with `since_id` (not `paging.next`, which is under test), with every filter at its select-everything
//! value, walked once per account and shared by the cases.

use std::cell::RefCell;
use std::cmp::Ordering;
use std::collections::HashMap;

use proptest::prelude::*;
use proptest::sample::Index;
use runtime::rules::{FieldRules, HttpMethod, Pagination, PaginationStyle, ParamLocation};
use serde_json::Value;

use crate::client::Response;
use crate::credentials::Credential;
use crate::ensure;
use crate::properties::rate_limit::can_call;
use crate::property::{Case, CaseError, Check, Context, Group, Property, check, setup_failure};
use crate::rest::{self, Call};

pub static P9: Property = Property {
    id: "P9",
    name: "id-window-walk",
    statement: "Following paging.next from a first page of any limit, since_id, max_id and filters returns every matching node exactly once, in ascending id order, and each page holds at most the page size.",
    group: Group::Pagination,
    writes: false,
    max_cases: None,
    run: run_p9,
};

pub static P10: Property = Property {
    id: "P10",
    name: "id-window-page",
    statement: "A page is the head of its window: min(limit, matching nodes) of them, limit defaulting to @paginated(defaultPageSize:) and clamped or refused above maxPageSize; since_id and max_id bound the window inclusively; a limit below 1 is never a server error.",
    group: Group::Pagination,
    writes: false,
    max_cases: None,
    run: run_p10,
};

pub static P11: Property = Property {
    id: "P11",
    name: "paging-next",
    statement: "paging.next is present exactly while more matching nodes remain after the page, and leads to the page that starts right after its last node, with the same size and filters.",
    group: Group::Pagination,
    writes: false,
    max_cases: None,
    run: run_p11,
};

/// The names the style gives its arguments and its page object.
pub const LIMIT: &str = "limit";
pub const SINCE: &str = "since_id";
pub const MAX: &str = "max_id";
const PAGING: &str = "paging";
const NEXT: &str = "next";
const KEY: &str = "id";

/// A filter an API module describes, for an argument whose meaning is not "equals the node's field of that name".
#[derive(Debug)]
pub struct CustomFilter {
    pub argument: &'static str,
    /// The value that selects every node (used by the reference listing).
    pub everything: &'static str,
    /// Whether a node is selected by a value.
    pub selects: fn(&Value, &str) -> bool,
}

/// How a filter argument selects.
#[derive(Debug, Clone)]
enum Select {
    /// The node's leaf field of the same name equals the value.
    Equal,
    Custom(&'static CustomFilter),
}

/// One filter argument.
#[derive(Debug, Clone)]
struct Filter {
    argument: String,
    select: Select,
    /// The values to try: the enum's values, or none (then drawn from the nodes' field).
    values: Vec<String>,
    /// The SDL default, applied when the argument is absent.
    default: Option<String>,
}

/// A field paginated by id windows, with what the cases need to know of it.
#[derive(Debug, Clone)]
pub struct Window {
    pub field: &'static FieldRules,
    pub pagination: Pagination,
    /// The list of nodes in the page object (`members`).
    pub list: String,
    filters: Vec<Filter>,
}

impl Window {
    /// The page size a request for `limit` gets (`None`: refused per policy, or not a positive size).
    fn size(&self, limit: Option<i64>) -> Option<usize> {
        match limit {
            Some(n) if n < 1 => None,
            Some(n) => self
                .pagination
                .effective_size(Some(u32::try_from(n).unwrap_or(u32::MAX)))
                .map(|s| s as usize),
            None => self.pagination.effective_size(None).map(|s| s as usize),
        }
    }

    fn max(&self) -> i64 {
        i64::from(
            self.pagination
                .max_page_size
                .or(self.pagination.default_page_size)
                .unwrap_or(50),
        )
    }
}

/// The id-window fields of the API that can be checked: `@rest` GET, a page object with a list of nodes with ids.
pub fn windows(cx: &Context<'_>) -> Vec<Window> {
    let customs = crate::properties::custom_filters(cx.rules);
    rest::bound(cx.rules, HttpMethod::Get)
        .filter_map(|field| {
            let pagination = field
                .pagination
                .filter(|p| p.style == PaginationStyle::IdWindow)?;
            let binding = field.rest.as_ref()?;
            let definition = cx.schema.field(&field.type_name, &field.field_name)?;
            let page_type = definition.ty.inner_named_type().as_str();
            let (list, node_type) = cx.schema.fields(page_type).into_iter().find_map(|f| {
                let inner = f.ty.inner_named_type();
                (f.ty.is_list() && !cx.schema.is_leaf(inner))
                    .then(|| (f.name.to_string(), inner.to_string()))
            })?;
            let leaves = cx.schema.leaf_fields(&node_type);
            if !leaves.iter().any(|l| l == KEY) {
                return None;
            }
            let mut filters = Vec::new();
            for param in binding.params.iter() {
                if param.location != ParamLocation::Query
                    || [LIMIT, SINCE, MAX].contains(&&*param.wire_name)
                {
                    continue;
                }
                let Some(argument) = definition
                    .arguments
                    .iter()
                    .find(|a| a.name == *param.argument)
                else {
                    continue;
                };
                let ty = argument.ty.inner_named_type();
                let values: Vec<String> = cx
                    .schema
                    .schema
                    .get_enum(ty.as_str())
                    .map(|e| e.values.keys().map(|v| v.to_string()).collect())
                    .unwrap_or_default();
                let default = argument.default_value.as_ref().map(|v| {
                    let text = v.to_string();
                    text.trim_matches('"').to_owned()
                });
                let select =
                    if let Some(custom) = customs.iter().find(|c| c.argument == param.wire_name) {
                        Select::Custom(custom)
                    } else if leaves.iter().any(|l| *l == param.argument) {
                        Select::Equal
                    } else {
                        continue;
                    };
                filters.push(Filter {
                    argument: param.argument.to_string(),
                    select,
                    values,
                    default,
                });
            }
            Some(Window {
                field,
                pagination,
                list,
                filters,
            })
        })
        .collect()
}

/// Orders ids: numerically when both are numbers, otherwise as text.
pub fn id_cmp(a: &str, b: &str) -> Ordering {
    match (a.parse::<u128>(), b.parse::<u128>()) {
        (Ok(x), Ok(y)) => x.cmp(&y),
        _ => a.cmp(b),
    }
}

fn id_of(node: &Value) -> Option<String> {
    match node.get(KEY)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// One page as the target returned it.
#[derive(Debug, Clone)]
pub struct Page {
    pub nodes: Vec<Value>,
    pub ids: Vec<String>,
    pub next: Option<String>,
}

/// Reads a page response, which must be a success of the documented shape.
pub fn parse_page(window: &Window, response: &Response, what: &str) -> Result<Page, CaseError> {
    ensure!(
        response.status == 200,
        "{what} got {}",
        rest::digest(response)
    );
    let Some(body) = response.json() else {
        return Err(CaseError::fail(format!(
            "{what} answered HTTP 200 with a body that is not JSON"
        )));
    };
    let Some(list) = body.get(&window.list).and_then(Value::as_array) else {
        return Err(CaseError::fail(format!(
            "{what} answered without a `{}` list: {}",
            window.list,
            rest::digest(response)
        )));
    };
    let mut ids = Vec::new();
    for node in list {
        let Some(id) = id_of(node) else {
            return Err(CaseError::fail(format!(
                "{what}: a node of `{}` has no `{KEY}`: {node}",
                window.list
            )));
        };
        ids.push(id);
    }
    let next = match body.get(PAGING) {
        None | Some(Value::Null) => None,
        Some(paging) => match paging.get(NEXT) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(other) => {
                return Err(CaseError::fail(format!(
                    "{what}: `{PAGING}.{NEXT}` is neither a URL nor null: {other}"
                )));
            }
        },
    };
    Ok(Page {
        nodes: list.clone(),
        ids,
        next,
    })
}

/// A reader of an account: the credential and the account its path names.
#[derive(Debug, Clone)]
pub struct Reader {
    pub credential: Credential,
    pub account: String,
}

/// One credential per account that can call the field (the first of each account).
pub fn readers(cx: &Context<'_>, field: &FieldRules) -> Vec<Reader> {
    let mut out: Vec<Reader> = Vec::new();
    for c in &cx.target.credentials {
        if !can_call(c, field) {
            continue;
        }
        let account = c.account.clone().unwrap_or_default();
        if !out.iter().any(|r| r.account == account) {
            out.push(Reader {
                credential: c.clone(),
                account,
            });
        }
    }
    out
}

/// Every node of an account, in the order the target lists them, by pages of the largest size, each continued
/// with `since_id` = the last id seen (inclusive, so that node is dropped); `extra` narrows it (a filter).
pub fn reference_listing(
    case: &Case<'_, '_>,
    window: &Window,
    base: &str,
    reader: &Reader,
) -> Result<Vec<Value>, CaseError> {
    let max = window.max();
    let mut nodes: Vec<Value> = Vec::new();
    let mut last: Option<String> = None;
    for _ in 0..1_000 {
        let mut call = rest::call_for(window.field, &reader.account).arg(LIMIT, max);
        for f in &window.filters {
            if let Select::Custom(c) = f.select {
                call = call.arg(&f.argument, c.everything);
            }
        }
        if let Some(since) = &last {
            call = call.arg(SINCE, since.as_str());
        }
        let response = case.rest_at(base, &call, Some(&reader.credential))?;
        let page = parse_page(
            window,
            &response,
            &format!("the reference listing of `{}`", reader.account),
        )?;
        let mut added = 0;
        for (node, id) in page.nodes.into_iter().zip(page.ids) {
            if last
                .as_ref()
                .is_some_and(|l| id_cmp(&id, l) != Ordering::Greater)
            {
                ensure!(
                    last.as_deref() == Some(id.as_str()) && added == 0,
                    "the listing of `{}` with {SINCE}={} returns {id}, which is not after it, or not in ascending order",
                    reader.account,
                    last.as_deref().unwrap_or("")
                );
                continue;
            }
            last = Some(id);
            nodes.push(node);
            added += 1;
        }
        if added == 0 {
            return Ok(nodes);
        }
    }
    Err(CaseError::fail(format!(
        "the listing of `{}` does not end",
        reader.account
    )))
}

/// Reference listings by account, fetched once per property run.
#[derive(Default)]
struct References(RefCell<HashMap<String, Vec<Value>>>);

impl References {
    fn get(
        &self,
        case: &Case<'_, '_>,
        window: &Window,
        reader: &Reader,
    ) -> Result<Vec<Value>, CaseError> {
        let key = format!("{}/{}", window.field.field_name, reader.account);
        if let Some(nodes) = self.0.borrow().get(&key) {
            return Ok(nodes.clone());
        }
        let nodes = reference_listing(case, window, &case.cx.target.url, reader)?;
        self.0.borrow_mut().insert(key, nodes.clone());
        Ok(nodes)
    }
}

/// An id bound: a node's id, or a made-up id.
#[derive(Debug, Clone)]
enum Bound {
    Node(Index),
    Made(String),
}

/// A filter value: an enum value, a node's value of the field, or a value no node has.
#[derive(Debug, Clone)]
enum Pick {
    Value(Index),
    Node(Index),
    Nothing(String),
}

/// The request part of a case: which window, how big, which filters.
#[derive(Debug, Clone)]
struct Query {
    window: usize,
    reader: Index,
    limit: Option<i64>,
    since: Option<Bound>,
    max: Option<Bound>,
    filters: Vec<(Index, Pick)>,
}

/// A request resolved against the reference: the call and the nodes it must select, in order.
struct Resolved {
    call: Call,
    expected: Vec<String>,
    described: String,
}

fn bound_strategy() -> impl Strategy<Value = Bound> {
    prop_oneof![
        4 => any::<Index>().prop_map(Bound::Node),
        1 => "[0-9a-f]{8}".prop_map(Bound::Made),
    ]
}

fn pick_strategy() -> impl Strategy<Value = Pick> {
    prop_oneof![
        4 => any::<Index>().prop_map(Pick::Value),
        4 => any::<Index>().prop_map(Pick::Node),
        1 => "[a-z]{6}".prop_map(|w| Pick::Nothing(format!("zz-conformance-{w}"))),
    ]
}

fn query_strategy(
    windows: usize,
    limits: BoxedStrategy<Option<i64>>,
    max_filters: usize,
) -> impl Strategy<Value = Query> {
    (
        0..windows.max(1),
        any::<Index>(),
        limits,
        proptest::option::weighted(0.4, bound_strategy()),
        proptest::option::weighted(0.3, bound_strategy()),
        proptest::collection::vec((any::<Index>(), pick_strategy()), 0..=max_filters),
    )
        .prop_map(|(window, reader, limit, since, max, filters)| Query {
            window,
            reader,
            limit,
            since,
            max,
            filters,
        })
}

fn resolve(window: &Window, reader: &Reader, nodes: &[Value], query: &Query) -> Resolved {
    let ids: Vec<String> = nodes.iter().filter_map(id_of).collect();
    let bound = |b: &Bound| match b {
        Bound::Node(i) if !ids.is_empty() => ids[i.index(ids.len())].clone(),
        Bound::Node(_) => "0".to_owned(),
        Bound::Made(s) => s.clone(),
    };
    let mut call = rest::call_for(window.field, &reader.account);
    let mut described = Vec::new();
    if let Some(limit) = query.limit {
        call = call.arg(LIMIT, limit);
        described.push(format!("{LIMIT}={limit}"));
    }
    let since = query.since.as_ref().map(bound);
    let max = query.max.as_ref().map(bound);
    if let Some(s) = &since {
        call = call.arg(SINCE, s.as_str());
        described.push(format!("{SINCE}={s}"));
    }
    if let Some(m) = &max {
        call = call.arg(MAX, m.as_str());
        described.push(format!("{MAX}={m}"));
    }
    // Filters: at most one value per argument; absent custom filters take their default.
    let mut chosen: Vec<(Filter, String)> = Vec::new();
    for (which, pick) in &query.filters {
        if window.filters.is_empty() {
            break;
        }
        let filter = &window.filters[which.index(window.filters.len())];
        if chosen.iter().any(|(f, _)| f.argument == filter.argument) {
            continue;
        }
        let from_nodes = |i: &Index| {
            nodes
                .get(i.index(nodes.len().max(1)))
                .and_then(|n| n.get(&filter.argument))
                .map(rest::text)
        };
        let value = match pick {
            Pick::Value(i) if !filter.values.is_empty() => {
                Some(filter.values[i.index(filter.values.len())].clone())
            }
            Pick::Value(i) | Pick::Node(i) => match filter.select {
                Select::Equal => from_nodes(i),
                Select::Custom(_) if !filter.values.is_empty() => {
                    Some(filter.values[i.index(filter.values.len())].clone())
                }
                Select::Custom(_) => None,
            },
            Pick::Nothing(s) if filter.values.is_empty() => Some(s.clone()),
            Pick::Nothing(_) => None,
        };
        let Some(value) = value.filter(|v| v != "null") else {
            continue;
        };
        call = call.arg(&filter.argument, value.as_str());
        described.push(format!("{}={value}", filter.argument));
        chosen.push((filter.clone(), value));
    }
    for filter in &window.filters {
        if let (Select::Custom(_), Some(default)) = (&filter.select, &filter.default)
            && !chosen.iter().any(|(f, _)| f.argument == filter.argument)
        {
            chosen.push((filter.clone(), default.clone()));
        }
    }
    let expected = nodes
        .iter()
        .filter(|node| {
            let Some(id) = id_of(node) else { return false };
            since
                .as_ref()
                .is_none_or(|s| id_cmp(&id, s) != Ordering::Less)
                && max
                    .as_ref()
                    .is_none_or(|m| id_cmp(&id, m) != Ordering::Greater)
                && chosen.iter().all(|(f, value)| match f.select {
                    Select::Equal => {
                        node.get(&f.argument).map(rest::text).as_deref() == Some(value)
                    }
                    Select::Custom(c) => (c.selects)(node, value),
                })
        })
        .filter_map(id_of)
        .collect();
    Resolved {
        call,
        expected,
        described: if described.is_empty() {
            "no parameters".to_owned()
        } else {
            described.join("&")
        },
    }
}

/// Runs an id-window property: `limits` sizes the `limit` argument.
fn over_windows(
    cx: &Context<'_>,
    limits: BoxedStrategy<Option<i64>>,
    max_filters: usize,
    test: impl Fn(&Case<'_, '_>, &Window, &Reader, &Resolved, &Query) -> Result<(), CaseError>,
) -> Check {
    let windows = windows(cx);
    let Some(first) = windows.first() else {
        return Check::not_applicable(
            "the API declares no @paginated(style: ID_WINDOW) field bound to a @rest GET",
        );
    };
    let readers: Vec<Vec<Reader>> = windows.iter().map(|w| readers(cx, w.field)).collect();
    if readers.iter().all(Vec::is_empty) {
        return Check::not_applicable(format!(
            "no credential can call `{}` (it needs the scopes {:?} and an `account` for its path)",
            first.field.field_name, first.field.scopes
        ));
    }
    let references = References::default();
    let setup = Case::new(cx);
    for (w, rs) in windows.iter().zip(&readers) {
        for r in rs {
            if let Err(e) = references.get(&setup, w, r) {
                return setup_failure(cx, &setup, e);
            }
        }
    }
    let count = windows.len();
    check(
        cx,
        query_strategy(count, limits, max_filters),
        |case, query| {
            let window = &windows[query.window % count];
            let rs = &readers[query.window % count];
            if rs.is_empty() {
                return Err(CaseError::Reject("no reader for this field".to_owned()));
            }
            let reader = &rs[query.reader.index(rs.len())];
            let nodes = references.get(case, window, reader)?;
            let resolved = resolve(window, reader, &nodes, &query);
            test(case, window, reader, &resolved, &query)
        },
    )
}

fn page_limits(max: i64) -> BoxedStrategy<Option<i64>> {
    prop_oneof![
        1 => Just(None),
        6 => (1..=max + 10).prop_map(Some),
        3 => (1..=12i64).prop_map(Some),
    ]
    .boxed()
}

fn max_page(cx: &Context<'_>) -> i64 {
    windows(cx).first().map_or(50, Window::max)
}

fn run_p9(cx: &Context<'_>) -> Check {
    over_windows(
        cx,
        page_limits(max_page(cx)),
        2,
        |case, window, reader, resolved, query| {
            let size = window.size(query.limit).unwrap_or(1);
            let what = |n: usize| {
                format!(
                    "page {n} of a walk of `{}` ({} on `{}`)",
                    window.field.field_name, resolved.described, reader.account
                )
            };
            let first = case.rest(&resolved.call, Some(&reader.credential))?;
            let mut page = parse_page(window, &first, &what(1))?;
            let mut walked: Vec<String> = Vec::new();
            let bound = resolved.expected.len() / size.max(1) + 3;
            let mut n = 1;
            loop {
                ensure!(
                    page.ids.len() <= size,
                    "{} holds {} nodes; the page size is {size}",
                    what(n),
                    page.ids.len()
                );
                ensure!(
                    !page.ids.is_empty() || (n == 1 && resolved.expected.is_empty()),
                    "{} is empty{}",
                    what(n),
                    if n > 1 {
                        ": the previous page's paging.next promised more"
                    } else {
                        ""
                    }
                );
                walked.extend(page.ids.iter().cloned());
                let Some(next) = page.next.clone() else { break };
                n += 1;
                ensure!(
                    n <= bound,
                    "a walk of `{}` ({}) goes on past {bound} pages for {} nodes",
                    window.field.field_name,
                    resolved.described,
                    resolved.expected.len()
                );
                let request = rest::follow(&case.cx.target.url, &next, Some(&reader.credential))
                    .map_err(|e| CaseError::fail(format!("{}: paging.next {e}", what(n - 1))))?;
                let response = case.send_retrying(|| request.clone())?;
                page = parse_page(window, &response, &what(n))?;
            }
            compare_walk(window, reader, resolved, &walked)
        },
    )
}

fn compare_walk(
    window: &Window,
    reader: &Reader,
    resolved: &Resolved,
    walked: &[String],
) -> Result<(), CaseError> {
    let mut seen = std::collections::HashSet::new();
    for id in walked {
        ensure!(
            seen.insert(id.as_str()),
            "a walk of `{}` ({} on `{}`) returns {id} twice",
            window.field.field_name,
            resolved.described,
            reader.account
        );
    }
    if let Some(w) = walked
        .windows(2)
        .find(|w| id_cmp(&w[0], &w[1]) != Ordering::Less)
    {
        return Err(CaseError::fail(format!(
            "a walk of `{}` ({} on `{}`) is not in ascending id order: {} comes before {}",
            window.field.field_name, resolved.described, reader.account, w[0], w[1]
        )));
    }
    if walked == resolved.expected.as_slice() {
        return Ok(());
    }
    let missing: Vec<&String> = resolved
        .expected
        .iter()
        .filter(|id| !seen.contains(id.as_str()))
        .take(5)
        .collect();
    let extra: Vec<&String> = walked
        .iter()
        .filter(|id| !resolved.expected.contains(id))
        .take(5)
        .collect();
    Err(CaseError::fail(format!(
        "a walk of `{}` ({} on `{}`) returns {} nodes where {} match; missing {missing:?}, not matching {extra:?}",
        window.field.field_name,
        resolved.described,
        reader.account,
        walked.len(),
        resolved.expected.len()
    )))
}

fn run_p10(cx: &Context<'_>) -> Check {
    let max = max_page(cx);
    let limits = prop_oneof![
        2 => Just(None),
        6 => (1..=max + 30).prop_map(Some),
        1 => (-2..=0i64).prop_map(Some),
        1 => (max + 1..=max * 5).prop_map(Some),
    ]
    .boxed();
    over_windows(cx, limits, 1, |case, window, reader, resolved, query| {
        let response = case.rest(&resolved.call, Some(&reader.credential))?;
        let what = format!(
            "`{}` with {} on `{}`",
            window.field.field_name, resolved.described, reader.account
        );
        let Some(size) = window.size(query.limit) else {
            // Below 1, or above the maximum where the policy refuses: an error of the API's format, or (below 1)
            // any page no larger than the maximum; never a server error.
            ensure!(
                response.status < 500,
                "{what} got a server error: {}",
                rest::digest(&response)
            );
            if (200..300).contains(&response.status) {
                let refused_by_policy = query.limit.is_some_and(|l| l > window.max());
                ensure!(
                    !refused_by_policy,
                    "{what} must be refused (the maximum page size is {} and @paginated(overMax: REJECT)); got HTTP {}",
                    window.max(),
                    response.status
                );
                let page = parse_page(window, &response, &what)?;
                ensure!(
                    page.ids.len() as i64 <= window.max(),
                    "{what} returned {} nodes, more than the maximum page size {}",
                    page.ids.len(),
                    window.max()
                );
            } else {
                ensure!(
                    rest::error_message(&response).is_some(),
                    "{what} was refused without a JSON error body: {}",
                    rest::digest(&response)
                );
            }
            return Ok(());
        };
        let page = parse_page(window, &response, &what)?;
        let expected: Vec<String> = resolved.expected.iter().take(size).cloned().collect();
        ensure!(
            page.ids.len() == expected.len(),
            "{what} returned {} nodes; expected min({}, {} matching) = {}{}",
            page.ids.len(),
            query
                .limit
                .map_or(format!("the default {size}"), |l| if l as usize == size {
                    l.to_string()
                } else {
                    format!("{l} clamped to {size}")
                }),
            resolved.expected.len(),
            expected.len(),
            if query.limit.is_none() {
                " (no limit: the default page size)"
            } else {
                ""
            }
        );
        ensure!(
            page.ids == expected,
            "{what} returned {:?}; the window's first nodes are {:?}",
            page.ids,
            expected
        );
        // Both bounds are inclusive: the window from the last matching node to itself holds exactly that node.
        if let Some(edge) = resolved.expected.last() {
            let call = resolved
                .call
                .clone()
                .arg(SINCE, edge.as_str())
                .arg(MAX, edge.as_str());
            let response = case.rest(&call, Some(&reader.credential))?;
            let one = parse_page(window, &response, &what)?;
            ensure!(
                one.ids == std::slice::from_ref(edge),
                "{what}, narrowed to {SINCE}={edge} and {MAX}={edge}, returned {:?}; both bounds are inclusive, so \
                 it must hold exactly {edge}",
                one.ids
            );
        }
        Ok(())
    })
}

fn run_p11(cx: &Context<'_>) -> Check {
    let max = max_page(cx);
    let limits = prop_oneof![
        3 => (1..=8i64).prop_map(Some),
        2 => (1..=max).prop_map(Some),
        1 => Just(None),
    ]
    .boxed();
    over_windows(cx, limits, 1, |case, window, reader, resolved, query| {
        let size = window.size(query.limit).unwrap_or(1);
        let what = format!(
            "`{}` with {} on `{}`",
            window.field.field_name, resolved.described, reader.account
        );
        let response = case.rest(&resolved.call, Some(&reader.credential))?;
        let page = parse_page(window, &response, &what)?;
        let more = resolved.expected.len() > page.ids.len();
        ensure!(
            page.next.is_some() == more,
            "{what}: paging.next is {} but {} of {} matching nodes remain after this page of {}",
            page.next
                .as_deref()
                .map_or("absent".to_owned(), |n| format!("{n:?}")),
            resolved.expected.len().saturating_sub(page.ids.len()),
            resolved.expected.len(),
            page.ids.len()
        );
        let Some(next) = page.next else {
            return Ok(());
        };
        let request = rest::follow(&case.cx.target.url, &next, Some(&reader.credential))
            .map_err(|e| CaseError::fail(format!("{what}: paging.next {e}")))?;
        let response = case.send_retrying(|| request.clone())?;
        let second = parse_page(window, &response, &format!("paging.next of {what}"))?;
        let start = page.ids.len();
        let expected: Vec<String> = resolved
            .expected
            .iter()
            .skip(start)
            .take(size)
            .cloned()
            .collect();
        ensure!(
            second.ids == expected,
            "{what}: paging.next ({next}) returned {:?}; the nodes right after this page are {:?}",
            second.ids,
            expected
        );
        Ok(())
    })
}
