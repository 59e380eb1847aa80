//! Lighthouse paginators over entities: `first` (the page size) and `page` (from 1) give `data` and an exact
//! `paginatorInfo`; a list's arguments that name an entity field of the same type (or its `@entity(listFilter:)`)
//! narrow it.

use runtime::response::{JsonMap, JsonValue};
use runtime::rules::{OverMaxPolicy, Pagination};

use super::model::Model;
use super::paths;
use super::store::{Data, Record};

/// Defects a server can be started with to prove a harness catches them (see `faults.rs`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PagingDefects {
    /// `lastItem` one past the last item of the page.
    pub last_item_off_by_one: bool,
    /// `hasMorePages` true on the last page.
    pub more_pages_on_last: bool,
    /// A `page` below 1 is served as page 1 instead of refused.
    pub page_below_one_served: bool,
}

/// A page: its items and its `paginatorInfo`.
#[derive(Debug, Clone)]
pub struct Page {
    pub items: Vec<(String, Record)>,
    pub info: JsonMap,
}

/// An argument that is out of range: its name and the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadArgument {
    pub argument: &'static str,
    pub message: String,
}

/// The page `args` asks for of `items`.
pub fn page(
    items: Vec<(String, Record)>,
    args: &JsonMap,
    pagination: Option<&Pagination>,
    defects: PagingDefects,
) -> Result<Page, BadArgument> {
    let int = |name: &str| args.get(name).and_then(JsonValue::as_i64);
    let default = pagination.and_then(|p| p.default_page_size).unwrap_or(10);
    let mut first = int("first").unwrap_or(i64::from(default));
    if first < 1 {
        return Err(BadArgument {
            argument: "first",
            message: "The first must be at least 1.".into(),
        });
    }
    if let Some(max) = pagination.and_then(|p| p.max_page_size).map(i64::from)
        && first > max
    {
        match pagination.map(|p| p.over_max) {
            Some(OverMaxPolicy::Reject) => {
                return Err(BadArgument {
                    argument: "first",
                    message: format!("The first may not be greater than {max}."),
                });
            }
            _ => first = max,
        }
    }
    let mut current = int("page").unwrap_or(1);
    // FAULT(page-below-one-served): `page: 0` (or less) is page 1.
    if current < 1 && defects.page_below_one_served {
        current = 1;
    }
    if current < 1 {
        return Err(BadArgument {
            argument: "page",
            message: "The page must be at least 1.".into(),
        });
    }
    let total = items.len() as i64;
    let start = (current - 1).saturating_mul(first);
    let on_page: Vec<(String, Record)> = items
        .into_iter()
        .skip(usize::try_from(start).unwrap_or(usize::MAX))
        .take(usize::try_from(first).unwrap_or(usize::MAX))
        .collect();
    let count = on_page.len() as i64;
    let last_page = ((total + first - 1) / first).max(1);
    let (first_item, last_item) = if count > 0 {
        let off = i64::from(defects.last_item_off_by_one);
        (
            JsonValue::from(start + 1),
            JsonValue::from(start + count + off),
        )
    } else {
        (JsonValue::Null, JsonValue::Null)
    };
    let more = current * first < total || (defects.more_pages_on_last && current == last_page);
    let mut info = JsonMap::new();
    info.insert("count", JsonValue::from(count));
    info.insert("currentPage", JsonValue::from(current));
    info.insert("firstItem", first_item);
    info.insert("hasMorePages", JsonValue::from(more));
    info.insert("lastItem", last_item);
    info.insert("lastPage", JsonValue::from(last_page));
    info.insert("perPage", JsonValue::from(first));
    info.insert("total", JsonValue::from(total));
    Ok(Page {
        items: on_page,
        info,
    })
}

/// The entities of `types` that the list field's arguments select: an argument narrows when it is the entity's
/// `listFilter` argument or names a field of the entity with the same type (an `ID` for a reference), and holds a
/// value; an entity stays when one of its values there is one of the argument's.
pub fn select(
    model: &Model,
    data: &Data,
    list_field: &str,
    types: &[String],
    args: &JsonMap,
) -> Vec<(String, Record)> {
    let query = model
        .schema
        .schema_definition
        .query
        .as_ref()
        .map(|q| q.to_string())
        .unwrap_or_default();
    let Some(definition) = model.field(&query, list_field) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for type_name in types {
        let declared = model.entity(type_name).and_then(|e| e.list_filter.as_ref());
        let filters: Vec<(String, Vec<JsonValue>)> = definition
            .arguments
            .iter()
            .filter(|a| !matches!(a.name.as_str(), "first" | "page"))
            .filter_map(|argument| {
                let value = args.get(argument.name.as_str()).filter(|v| !v.is_null())?;
                let path = match declared {
                    Some(filter) if filter.argument == argument.name.as_str() => {
                        filter.field.to_string()
                    }
                    _ => {
                        let name = singular(argument.name.as_str());
                        let field = model
                            .field(type_name, argument.name.as_str())
                            .or_else(|| model.field(type_name, &name))?;
                        let (a, b) = (
                            argument.ty.inner_named_type().as_str(),
                            field.ty.inner_named_type().as_str(),
                        );
                        let fits =
                            (a == b && model.is_leaf(a)) || (a == "ID" && model.is_reference(b));
                        if !fits || !field.arguments.is_empty() {
                            return None;
                        }
                        field.name.to_string()
                    }
                };
                let wanted = match value {
                    JsonValue::Array(items) => items.clone(),
                    one => vec![one.clone()],
                };
                Some((path, wanted))
            })
            .collect();
        for record in data.all(type_name) {
            let keep = filters.iter().all(|(path, wanted)| {
                let value = paths::entity_path(model, data, type_name, record, path);
                let held = match value {
                    JsonValue::Array(items) => items,
                    one => vec![one],
                };
                held.iter().any(|h| wanted.iter().any(|w| same(h, w)))
            });
            if keep {
                out.push((type_name.clone(), record.clone()));
            }
        }
    }
    out
}

/// Equal as JSON, or as text (an id given as a number).
fn same(a: &JsonValue, b: &JsonValue) -> bool {
    a == b || paths::ids(a) == paths::ids(b) && !paths::ids(a).is_empty()
}

/// A plural argument name's singular (`statuses` → `status`, `companies` → `company`, `jobs` → `job`).
fn singular(name: &str) -> String {
    if let Some(stem) = name.strip_suffix("ies") {
        format!("{stem}y")
    } else if let Some(stem) = name.strip_suffix("ses") {
        format!("{stem}s")
    } else {
        name.strip_suffix('s').unwrap_or(name).to_owned()
    }
}
