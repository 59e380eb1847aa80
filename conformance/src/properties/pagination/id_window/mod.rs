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

use runtime::rules::{FieldRules, HttpMethod, Pagination, PaginationStyle, ParamLocation};
use serde_json::Value;

use crate::client::Response;
use crate::credentials::Credential;
use crate::ensure;
use crate::properties::rate_limit::can_call;
use crate::property::{Case, CaseError, Context, Group, Property};
use crate::rest::{self};

mod checks;
mod query;

use checks::{run_p9, run_p10, run_p11};

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
