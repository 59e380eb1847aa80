//! Reading entities through the API's own declared reads: the world discovered (every entity of every
//! `@entity(list:)`, Lighthouse pages, several lists to a request under the limits servers put on documents; each
//! credential's user through the lookup without arguments, `viewer`, and its account, its `@account` type looked up
//! by id where it can be), one entity read back by its lookup (or its list), a list walked (narrowed by its
//! `listFilter`).

use apollo_compiler::schema::ExtendedType;
use runtime::rules::Entity;
use serde_json::{Value, json};

use super::world::{Actor, Record, World, entity_types, id_of, is_paginator, member_type};
use crate::credentials::Credential;
use crate::property::{Case, CaseError};
use crate::schema::{SchemaInfo, has_required_arguments};

/// The most pages of one list a read walks (at 100 a page).
const MAX_PAGES: u32 = 10;
/// The most lexical tokens a batched discovery request carries (servers commonly refuse 2000 and more).
const MAX_TOKENS: usize = 1500;
/// The most lists one request reads (each is an alias; servers commonly allow 15).
const MAX_ALIASES: usize = 12;

/// What selects the id of a value of a composite type: `id`, or `id` on each member of a union that has one.
pub fn id_selection(s: &SchemaInfo, named: &str) -> String {
    if s.field(named, "id").is_some() {
        return "id".to_owned();
    }
    match s.schema.types.get(named) {
        Some(ExtendedType::Union(u)) => {
            let members: Vec<String> = u
                .members
                .iter()
                .filter(|m| s.field(m.as_str(), "id").is_some())
                .map(|m| format!("... on {} {{ id }}", m.as_str()))
                .collect();
            format!("__typename {}", members.join(" "))
        }
        _ => "__typename".to_owned(),
    }
}

/// The selection that reads an entity of a concrete type: every leaf field without arguments, and the ids of
/// every reference (a paginated relation's first 100 members).
pub fn selection(s: &SchemaInfo, type_name: &str) -> String {
    let mut parts = Vec::new();
    for f in s.fields(type_name) {
        let named = f.ty.inner_named_type().as_str();
        if s.is_leaf(named) {
            if f.arguments.is_empty() {
                parts.push(f.name.to_string());
            }
            continue;
        }
        let member = member_type(s, named);
        if entity_types(s, &member).is_empty() {
            continue;
        }
        if f.arguments.is_empty() && !is_paginator(s, named) {
            parts.push(format!("{} {{ {} }}", f.name, id_selection(s, named)));
        } else if is_paginator(s, named)
            && !has_required_arguments(f)
            && f.arguments.iter().any(|a| a.name == "first")
        {
            parts.push(format!(
                "{}(first: 100) {{ data {{ {} }} }}",
                f.name,
                id_selection(s, &member)
            ));
        }
    }
    parts.join(" ")
}

/// An entity as read (`selection`), with each reference reduced to its id (or ids).
pub fn flatten(s: &SchemaInfo, type_name: &str, raw: &Value) -> Record {
    let mut out = Record::new();
    let Some(map) = raw.as_object() else {
        return out;
    };
    for (name, value) in map {
        if name == "__typename" {
            continue;
        }
        let leaf = s
            .field(type_name, name)
            .is_none_or(|f| s.is_leaf(f.ty.inner_named_type()));
        out.insert(
            name.clone(),
            if leaf { value.clone() } else { reduce(value) },
        );
    }
    out
}

/// A reference as read, reduced to its id: an object's `id`, a list's ids, a page's `data` ids.
fn reduce(value: &Value) -> Value {
    match value {
        Value::Array(items) => Value::Array(items.iter().map(reduce).collect()),
        Value::Object(map) => match (map.get("id"), map.get("data")) {
            (Some(id), _) => id.clone(),
            (None, Some(data)) => reduce(data),
            _ => Value::Null,
        },
        other => other.clone(),
    }
}

/// The lookup taking `id` of an entity type, if it has one.
pub fn id_lookup<'r>(s: &SchemaInfo, entity: &'r Entity) -> Option<&'r str> {
    let lookup = entity.lookup.as_deref()?;
    let def = s.field(s.query_type(), lookup)?;
    def.arguments
        .iter()
        .any(|a| a.name == "id")
        .then_some(lookup)
}

/// The lookup without arguments that reads the caller's own entity (`viewer`), and its type.
pub fn self_lookup(s: &SchemaInfo) -> Option<(&str, &str)> {
    s.rules.entities.iter().find_map(|e| {
        let lookup = e.lookup.as_deref()?;
        let def = s.field(s.query_type(), lookup)?;
        def.arguments.is_empty().then_some((lookup, &*e.type_name))
    })
}

/// A rough count of a document's lexical tokens (punctuators and names), to keep batched reads under the limits
/// servers put on documents.
fn tokens(text: &str) -> usize {
    let mut count = 0;
    let mut in_word = false;
    for c in text.chars() {
        if c.is_alphanumeric() || c == '_' || c == '"' {
            if !in_word {
                count += 1;
            }
            in_word = true;
        } else {
            in_word = false;
            if "{}()[]:!$@=|&.".contains(c) {
                count += 1;
            }
        }
    }
    count
}

/// Inline fragments reading each of `types` through a field of an abstract (or the same) type.
pub fn fragments(s: &SchemaInfo, types: &[String]) -> String {
    let parts: Vec<String> = types
        .iter()
        .map(|t| format!("... on {t} {{ {} }}", selection(s, t)))
        .collect();
    format!("__typename {}", parts.join(" "))
}

/// One list read: its field, the entity types it lists, and the page.
struct ListRead {
    field: String,
    types: Vec<String>,
    page: u32,
}

impl ListRead {
    fn text(&self, s: &SchemaInfo, alias: usize) -> String {
        format!(
            "l{alias}: {}",
            list_page(s, &self.field, "", self.page, &self.types)
        )
    }
}

// This pager and P12–P13's (`pagination/lighthouse/page.rs`) both read Lighthouse pages through `first`/`page` and
// `paginatorInfo`, and are kept apart on purpose: that one is what P12–P13 check (the items' keys and every
// `paginatorInfo` field, each parsed strictly so that a malformed page fails; `first` or `page` left out to check the
// defaults; fields of entity types reached through their lookups), this one a tool of the effect properties (whole
// entities of several types by `__typename`, only `hasMorePages`, lists batched by the size of their selections and
// narrowed by `listFilter`; a page without a readable `hasMorePages` is the last, as judging pages is P12–P13's job).

/// The request of one page of a list: `field(<narrowed>first: 100, page: n)` with whether more pages follow and its
/// items read as each of `types`; `narrowed` is empty or ends with `, `.
fn list_page(s: &SchemaInfo, field: &str, narrowed: &str, page: u32, types: &[String]) -> String {
    format!(
        "{field}({narrowed}first: 100, page: {page}) {{ paginatorInfo {{ hasMorePages }} data {{ {} }} }}",
        fragments(s, types)
    )
}

/// The items of a list page as read (`list_page`): none where the page is not one.
fn page_items(page: &Value) -> impl Iterator<Item = &Value> {
    page.get("data")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
}

/// Whether a list page says more pages follow (not where it cannot be read).
fn more_pages(page: &Value) -> bool {
    page.get("paginatorInfo")
        .and_then(|p| p.get("hasMorePages"))
        .and_then(Value::as_bool)
        .unwrap_or(false)
}

/// The `@entity(list:)` fields that can be called without arguments, with the entity types each lists.
pub fn lists(s: &SchemaInfo) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for e in s.rules.entities.iter() {
        let Some(list) = e.list.as_deref() else {
            continue;
        };
        let Some(def) = s.field(s.query_type(), list) else {
            continue;
        };
        if has_required_arguments(def) {
            continue;
        }
        match out.iter_mut().find(|(f, _)| f == list) {
            Some((_, types)) => types.push(e.type_name.to_string()),
            None => out.push((list.to_owned(), vec![e.type_name.to_string()])),
        }
    }
    out
}

/// Adds what a list page holds to the world; whether there are more pages.
fn absorb(s: &SchemaInfo, world: &mut World, read: &ListRead, page: &Value) -> bool {
    for item in page_items(page) {
        let Some(t) = item.get("__typename").and_then(Value::as_str) else {
            continue;
        };
        if read.types.iter().any(|x| x == t) {
            world.put(t, flatten(s, t, item));
        }
    }
    more_pages(page)
}

/// Sends a read and returns its `data`, failing the case on errors.
pub fn query(
    case: &Case<'_, '_>,
    credential: Option<&Credential>,
    document: &str,
    variables: Option<&Value>,
) -> Result<Value, CaseError> {
    let reply = case.graphql(credential, document, variables)?;
    if reply.has_errors() {
        return Err(CaseError::fail(format!(
            "a read of the world failed ({}): {}",
            document.chars().take(120).collect::<String>(),
            reply.error_digest(case.cx.rules)
        )));
    }
    Ok(reply.data().cloned().unwrap_or(Value::Null))
}

/// Reads the world: every list (batched), each actor's user and account.
pub fn discover(case: &Case<'_, '_>) -> Result<World, CaseError> {
    let cx = case.cx;
    let s = cx.schema;
    let reader = cx.target.primary();
    let mut world = World::default();
    let mut pending: Vec<ListRead> = lists(s)
        .into_iter()
        .map(|(field, types)| ListRead {
            field,
            types,
            page: 1,
        })
        .collect();
    while !pending.is_empty() {
        // As many lists as fit in one document.
        let mut batch = Vec::new();
        let mut size = 0;
        while let Some(next) = pending.first() {
            let cost = tokens(&next.text(s, batch.len()));
            if !batch.is_empty() && (size + cost > MAX_TOKENS || batch.len() >= MAX_ALIASES) {
                break;
            }
            size += cost;
            batch.push(pending.remove(0));
        }
        let parts: Vec<String> = batch
            .iter()
            .enumerate()
            .map(|(i, r)| r.text(s, i))
            .collect();
        let data = query(case, reader, &format!("{{ {} }}", parts.join(" ")), None)?;
        for (i, read) in batch.into_iter().enumerate() {
            let page = data.get(format!("l{i}")).cloned().unwrap_or(Value::Null);
            if absorb(s, &mut world, &read, &page) && read.page < MAX_PAGES {
                pending.push(ListRead {
                    page: read.page + 1,
                    ..read
                });
            }
        }
    }
    for credential in &cx.target.credentials {
        let mut actor = Actor {
            credential: credential.clone(),
            account: credential.account.clone(),
            user: None,
        };
        if let Some((lookup, type_name)) = self_lookup(s) {
            let document = format!("{{ {lookup} {{ {} }} }}", fragments(s, &[type_name.into()]));
            let data = query(case, Some(credential), &document, None)?;
            if let Some(raw) = data.get(lookup).filter(|v| v.is_object()) {
                let record = flatten(s, type_name, raw);
                actor.user = Some(id_of(&record));
                world.put(type_name, record);
            }
        }
        world.actors.push(actor);
    }
    // Accounts no list holds: looked up by id where their type has such a lookup, else known by id alone.
    for actor in world.actors.clone() {
        let (Some(account), Some(role)) = (&actor.account, actor.credential.roles.first()) else {
            continue;
        };
        let Some(type_name) = cx.rules.account_type(role) else {
            continue;
        };
        let types = entity_types(s, type_name);
        if world.find(&types, account).is_some() {
            continue;
        }
        let record = match s.rules.entity(type_name).and_then(|e| id_lookup(s, e)) {
            Some(lookup) => read_lookup(case, lookup, type_name, account, reader)?.map(|(_, r)| r),
            None => None,
        };
        world.put(
            type_name,
            record.unwrap_or_else(|| {
                json!({ "id": account })
                    .as_object()
                    .cloned()
                    .unwrap_or_default()
            }),
        );
    }
    Ok(world)
}

/// Reads one entity through a lookup taking `id`, as whichever entity type the lookup returns: `None` when it
/// reads null.
pub fn read_lookup(
    case: &Case<'_, '_>,
    lookup: &str,
    type_name: &str,
    id: &str,
    credential: Option<&Credential>,
) -> Result<Option<(String, Record)>, CaseError> {
    let s = case.cx.schema;
    let returned = s
        .field(s.query_type(), lookup)
        .map_or(type_name.to_owned(), |f| {
            f.ty.inner_named_type().to_string()
        });
    let mut types = entity_types(s, &returned);
    if !types.iter().any(|t| t == type_name) {
        types.push(type_name.to_owned());
    }
    let document = format!(
        "query Read($id: ID!) {{ {lookup}(id: $id) {{ {} }} }}",
        fragments(s, &types)
    );
    let data = query(case, credential, &document, Some(&json!({ "id": id })))?;
    Ok(data.get(lookup).filter(|v| v.is_object()).map(|raw| {
        let found = raw
            .get("__typename")
            .and_then(Value::as_str)
            .unwrap_or(type_name)
            .to_owned();
        let record = flatten(s, &found, raw);
        (found, record)
    }))
}

/// Reads an entity back as a client would: through its lookup by id, its lookup without arguments (as the actor
/// it is), or else its list. `Ok(None)`: it reads null, or no list holds it; `Err` for a type with no way to read.
pub fn read(
    case: &Case<'_, '_>,
    world: &World,
    type_name: &str,
    id: &str,
) -> Result<Option<(String, Record)>, CaseError> {
    let s = case.cx.schema;
    let Some(entity) = s.rules.entity(type_name) else {
        return Err(CaseError::Reject(format!("{type_name} is no @entity")));
    };
    if let Some(lookup) = id_lookup(s, entity) {
        return read_lookup(case, lookup, type_name, id, case.cx.target.primary());
    }
    if let Some((lookup, own)) = self_lookup(s).filter(|(_, t)| *t == type_name) {
        let Some(actor) = world.actor_of(id) else {
            return Err(CaseError::Reject(format!("no credential reads {own} {id}")));
        };
        let document = format!("{{ {lookup} {{ {} }} }}", fragments(s, &[own.into()]));
        let data = query(case, Some(&actor.credential), &document, None)?;
        return Ok(data
            .get(lookup)
            .filter(|v| v.is_object())
            .map(|raw| (own.to_owned(), flatten(s, own, raw)))
            .filter(|(_, r)| id_of(r) == id));
    }
    let found = listed(case, type_name, None)?
        .into_iter()
        .find(|(_, r)| id_of(r) == id);
    Ok(found)
}

/// Whether an entity type can be read back by id.
pub fn readable(s: &SchemaInfo, world: &World, type_name: &str, id: &str) -> bool {
    let Some(entity) = s.rules.entity(type_name) else {
        return false;
    };
    id_lookup(s, entity).is_some()
        || self_lookup(s).is_some_and(|(_, t)| t == type_name && world.actor_of(id).is_some())
        || entity.list.is_some()
}

/// The value an entity's list is narrowed by (`listFilter`), read on the entity.
pub fn filter_value(
    s: &SchemaInfo,
    world: &World,
    type_name: &str,
    record: &Record,
) -> Option<Value> {
    let filter = s.rules.entity(type_name)?.list_filter.as_ref()?;
    let value = world.path(s, type_name, record, &filter.field);
    // Only a value that names something narrows (a reference never written reads as a neutral one).
    let named = super::world::ids(&value);
    (!named.is_empty() && named.iter().all(|id| !id.is_empty())).then_some(value)
}

/// Every entity of a type's `@entity(list:)`, narrowed by its `listFilter` to `filter` when given: all pages.
pub fn listed(
    case: &Case<'_, '_>,
    type_name: &str,
    filter: Option<&Value>,
) -> Result<Vec<(String, Record)>, CaseError> {
    let s = case.cx.schema;
    let Some(entity) = s.rules.entity(type_name) else {
        return Ok(Vec::new());
    };
    let Some(list) = entity.list.as_deref() else {
        return Ok(Vec::new());
    };
    let types: Vec<String> = lists(s)
        .into_iter()
        .find(|(f, _)| f == list)
        .map(|(_, t)| t)
        .unwrap_or_else(|| vec![type_name.to_owned()]);
    let narrowed = match (filter, &entity.list_filter) {
        (Some(value), Some(f)) => {
            let list_arg = s
                .field(s.query_type(), list)
                .and_then(|d| d.argument_by_name(&f.argument))
                .is_some_and(|a| a.ty.is_list());
            let value = if list_arg && !value.is_array() {
                json!([value])
            } else {
                value.clone()
            };
            format!("{}: {}, ", f.argument, value)
        }
        _ => String::new(),
    };
    let mut out = Vec::new();
    for page in 1..=MAX_PAGES {
        let document = format!("{{ {} }}", list_page(s, list, &narrowed, page, &types));
        let data = query(case, case.cx.target.primary(), &document, None)?;
        let page = data.get(list).cloned().unwrap_or(Value::Null);
        for item in page_items(&page) {
            let t = item
                .get("__typename")
                .and_then(Value::as_str)
                .unwrap_or(type_name);
            out.push((t.to_owned(), flatten(s, t, item)));
        }
        if !more_pages(&page) {
            break;
        }
    }
    Ok(out)
}
