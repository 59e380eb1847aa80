//! The store as the backend of a module generated with `Config::dynamic_backend`: the generated code coerces each
//! operation's arguments into its typed structs (inputs three-state: absent, null, value) and hands every field it
//! resolves here, as JSON; what this answers is read into the generated types before it is served. The Query root
//! reads entities by their `@entity` lookups and Lighthouse lists, the Mutation root applies each field's `@effect`,
//! an object's resolved fields follow its references and relations, and every object answered carries each field of
//! its generated struct (a non-null field never written gets a neutral value). Refusals are field errors in the
//! EXTENSIONS_CODE shape (`extensions.validation` keyed by the input path).

use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};

use runtime::apollo_compiler::ast::Type;
use runtime::dynamic::{Backend, FieldCall};
use runtime::response::{JsonMap, JsonValue};
use runtime::rules::ApiRules;
use runtime::{ErrorCode, FieldError, FieldResult};

use super::effects::{self, Caller, Defects, Refusal};
use super::model::Model;
use super::paging::{self, BadArgument};
use super::paths;
use super::store::{Data, Record, Store};
use crate::pipeline::unauthorized_message;

/// One request against a store: answers the fields the generated module hands to its backend
/// (`runtime::dynamic::Dynamic<StoreBackend>`).
#[derive(Debug)]
pub struct StoreBackend<'a> {
    model: &'a Model,
    store: &'a Store,
    caller: &'a Caller,
    /// The time of the request, `YYYY-MM-DDTHH:MM:SS.ffffffZ` (a Date reads its first ten characters).
    now: &'a str,
    defects: Defects,
    /// The snapshot reads see: the store as the request found it, then as each mutation field leaves it.
    data: Mutex<Arc<Data>>,
    /// The entities answered so far, as they were read (a deleted one included): an entity's JSON is a handle that
    /// names its slot here, and its fields, all resolved, are read from the record in the slot.
    answered: Mutex<Vec<Record>>,
}

/// The key of an entity handle's slot in [`StoreBackend::answered`].
const SLOT: &str = "\u{1}slot";

impl<'a> StoreBackend<'a> {
    pub fn new(
        model: &'a Model,
        store: &'a Store,
        caller: &'a Caller,
        now: &'a str,
        defects: Defects,
    ) -> Self {
        StoreBackend {
            model,
            store,
            caller,
            now,
            defects,
            data: Mutex::new(store.snapshot()),
            answered: Mutex::new(Vec::new()),
        }
    }

    /// An entity as JSON: a handle naming its type, id and slot.
    fn handle(&self, type_name: &str, record: &Record) -> JsonValue {
        let mut answered = self.answered.lock().unwrap_or_else(PoisonError::into_inner);
        let mut map = JsonMap::new();
        map.insert("__typename", JsonValue::from(type_name));
        map.insert("id", record.get("id").cloned().unwrap_or(JsonValue::Null));
        map.insert(SLOT, JsonValue::from(answered.len()));
        answered.push(Arc::clone(record));
        JsonValue::Object(map)
    }

    /// The entity a handle names.
    fn answered(&self, handle: &JsonMap) -> Option<Record> {
        let slot = usize::try_from(handle.get(SLOT)?.as_u64()?).ok()?;
        let answered = self.answered.lock().unwrap_or_else(PoisonError::into_inner);
        answered.get(slot).cloned()
    }

    fn snapshot(&self) -> Arc<Data> {
        Arc::clone(&self.data.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

impl Backend for StoreBackend<'_> {
    fn resolve(&self, call: FieldCall<'_>) -> impl Future<Output = FieldResult<JsonValue>> + Send {
        std::future::ready(self.field(call))
    }
}

impl StoreBackend<'_> {
    fn field(&self, call: FieldCall<'_>) -> FieldResult<JsonValue> {
        let model = self.model;
        let Some(definition) = model.field(call.type_name, call.field) else {
            return Ok(JsonValue::Null);
        };
        let ty = &definition.ty;
        let args = &call.arguments;
        let mutation = model.schema.schema_definition.mutation.as_deref();
        match call.parent {
            None if mutation.is_some_and(|m| m.as_str() == call.type_name) => {
                self.mutation(call.type_name, call.field, ty, args)
            }
            None => self.query(&self.snapshot(), call.type_name, call.field, ty, args),
            Some(parent) => {
                let has_arguments = !definition.arguments.is_empty();
                let field = Field {
                    parent_type: call.type_name,
                    name: call.field,
                    ty,
                    args,
                    has_arguments,
                };
                self.object_field(&self.snapshot(), &field, parent)
            }
        }
    }

    fn query(
        &self,
        data: &Data,
        root: &str,
        name: &str,
        ty: &Type,
        args: &JsonMap,
    ) -> FieldResult<JsonValue> {
        let model = self.model;
        let named = ty.inner_named_type().as_str();
        if let Some(types) = model.listed(name) {
            let items = paging::select(model, data, name, types, args);
            return self.page(data, root, name, ty, items, args);
        }
        // A paginator that lists no entity type (no `@entity(list:)` names it) is empty, its `paginatorInfo` as
        // exact as any other's (as in `object_field`).
        if model.is_paginator(named) {
            return self.page(data, root, name, ty, Vec::new(), args);
        }
        let is_lookup = model
            .rules
            .entities
            .iter()
            .any(|e| e.lookup.as_deref() == Some(name));
        if !is_lookup {
            return Ok(self.complete(data, ty, None));
        }
        let id = match args.get("id") {
            Some(id) => paths::ids(id).into_iter().next(),
            None => self.caller.user.clone(),
        };
        let types = model.entity_types(named);
        let found = id.and_then(|id| data.find(&types, &id));
        let value = found.map(|(found, record)| self.handle(found, record));
        Ok(self.complete(data, ty, value))
    }

    /// A Lighthouse page of `items` for a field of `parent_type`, as `args` asks for it.
    fn page(
        &self,
        data: &Data,
        parent_type: &str,
        field: &str,
        ty: &Type,
        items: Vec<(String, Record)>,
        args: &JsonMap,
    ) -> FieldResult<JsonValue> {
        let pagination = self
            .model
            .rules
            .field(parent_type, field)
            .and_then(|f| f.pagination.as_ref());
        match paging::page(items, args, pagination, self.defects.paging) {
            Ok(page) => {
                let items = page.items.iter().map(|(t, r)| self.handle(t, r)).collect();
                let mut map = JsonMap::new();
                map.insert("data", JsonValue::Array(items));
                map.insert("paginatorInfo", JsonValue::Object(page.info));
                Ok(self.complete(data, ty, Some(JsonValue::Object(map))))
            }
            Err(BadArgument { argument, message }) => Err(validation(field, argument, &message)),
        }
    }

    fn mutation(
        &self,
        root: &str,
        name: &str,
        ty: &Type,
        args: &JsonMap,
    ) -> FieldResult<JsonValue> {
        let model = self.model;
        let Some(rules) = model.rules.field(root, name) else {
            return Ok(self.complete(&self.snapshot(), ty, None));
        };
        let outcome = self.store.write(|data| {
            effects::apply(
                model,
                data,
                rules,
                args,
                self.caller,
                self.now,
                self.defects,
            )
        });
        let (applied, data) = outcome.map_err(|refusal| refused(model.rules, name, refusal))?;
        *self.data.lock().unwrap_or_else(PoisonError::into_inner) = Arc::clone(&data);
        let effect = rules.effect.as_ref();
        if applied.records.is_empty() {
            return Ok(self.complete(&data, ty, None));
        }
        if let Some(field) = effect.and_then(|e| e.result_field.as_deref()) {
            let value = applied.records.first().and_then(|r| r.get(field).cloned());
            return Ok(self.complete(&data, ty, value));
        }
        let Some(path) = effect.and_then(|e| e.result.as_deref()) else {
            let type_name = applied.type_name.unwrap_or_default();
            let mut entities = applied.records.iter().map(|r| self.handle(&type_name, r));
            let value = if ty.is_list() {
                JsonValue::Array(entities.collect())
            } else {
                entities.next().unwrap_or(JsonValue::Null)
            };
            return Ok(self.complete(&data, ty, Some(value)));
        };
        // The result holds the entity (or its id) at `path`: one result per element when it is a list. When the
        // result is itself an entity that the written one refers to (a request holding its new state), it is that
        // entity as it is now.
        let first = path.split('.').next().unwrap_or_default();
        let named = ty.inner_named_type().as_str();
        let concrete = model.concrete(named);
        let type_name = applied.type_name.as_deref().unwrap_or_default();
        let holders: Option<Vec<JsonValue>> = applied
            .records
            .iter()
            .map(|r| holder(model, &data, type_name, r, concrete).map(|(t, h)| self.handle(t, h)))
            .collect();
        if let Some(mut holders) = holders {
            let value = if ty.is_list() {
                JsonValue::Array(holders)
            } else {
                holders.swap_remove(0)
            };
            return Ok(self.complete(&data, ty, Some(value)));
        }
        let holds_list = model.field(concrete, first).is_some_and(|f| f.ty.is_list());
        let ids: Vec<JsonValue> = applied
            .records
            .iter()
            .filter_map(|r| r.get("id").cloned())
            .collect();
        let result = |held: JsonValue| {
            let mut map = JsonMap::new();
            map.insert(first.to_owned(), held);
            JsonValue::Object(map)
        };
        let value = if ty.is_list() {
            JsonValue::Array(ids.into_iter().map(result).collect())
        } else if holds_list {
            result(JsonValue::Array(ids))
        } else {
            result(ids.into_iter().next().unwrap_or(JsonValue::Null))
        };
        Ok(self.complete(&data, ty, Some(value)))
    }

    /// A resolved field of an object the store answered: a relation listed (a page when the field is a paginator),
    /// another field with arguments neutral, anything else read from the object (a reference followed).
    fn object_field(
        &self,
        data: &Data,
        field: &Field<'_>,
        parent: &JsonMap,
    ) -> FieldResult<JsonValue> {
        let model = self.model;
        let (parent_type, name, ty) = (field.parent_type, field.name, field.ty);
        let named = ty.inner_named_type().as_str();
        // An entity's fields are read from its record; another object's from the JSON answered for it.
        let record = self.answered(parent);
        let parent = record.as_deref().unwrap_or(parent);
        if model.rules.relation(parent_type, name).is_some() {
            let ids = paths::field(model, data, parent_type, parent, name);
            let member = paths::member_type(model, named);
            let types = model.entity_types(&member);
            let items: Vec<(String, Record)> = paths::ids(&ids)
                .iter()
                .filter_map(|id| data.find(&types, id))
                .map(|(t, r)| (t.to_owned(), r.clone()))
                .collect();
            if model.is_paginator(named) {
                return self.page(data, parent_type, name, ty, items, field.args);
            }
            let listed = items.iter().map(|(t, r)| self.handle(t, r)).collect();
            return Ok(self.complete(data, ty, Some(JsonValue::Array(listed))));
        }
        if model.is_paginator(named) {
            return self.page(data, parent_type, name, ty, Vec::new(), field.args);
        }
        let value = if field.has_arguments {
            None
        } else {
            parent.get(name).cloned()
        };
        Ok(self.complete(data, ty, value))
    }

    /// A value of a field's type as the generated types read it: leaves as they are (neutral when a non-null one is
    /// missing), references followed, objects with every field of their struct, lists item by item.
    fn complete(&self, data: &Data, ty: &Type, value: Option<JsonValue>) -> JsonValue {
        let model = self.model;
        let value = value.filter(|v| !v.is_null());
        if let Type::List(item) | Type::NonNullList(item) = ty {
            return match value {
                Some(JsonValue::Array(items)) => JsonValue::Array(
                    items
                        .into_iter()
                        .map(|v| self.complete(data, item, Some(v)))
                        .collect(),
                ),
                Some(other) => JsonValue::Array(vec![self.complete(data, item, Some(other))]),
                None if ty.is_non_null() => JsonValue::Array(Vec::new()),
                None => JsonValue::Null,
            };
        }
        let named = ty.inner_named_type().as_str();
        if model.is_leaf(named) {
            return match value {
                Some(v) => v,
                None if ty.is_non_null() => model.neutral_leaf(named),
                None => JsonValue::Null,
            };
        }
        match value {
            // An entity's handle: its struct is empty, its fields are resolved.
            Some(JsonValue::Object(map)) if map.contains_key(SLOT) => JsonValue::Object(map),
            Some(JsonValue::Object(map)) => {
                let concrete = map
                    .get("__typename")
                    .and_then(JsonValue::as_str)
                    .map(str::to_owned)
                    .unwrap_or_else(|| model.concrete(named).to_owned());
                self.complete_object(data, named, &concrete, map)
            }
            Some(reference) if model.is_reference(named) => {
                let types = model.entity_types(named);
                let id = paths::ids(&reference).into_iter().next();
                match id.and_then(|id| data.find(&types, &id)) {
                    Some((found, record)) => self.handle(found, record),
                    None => self.complete(data, ty, None),
                }
            }
            _ if ty.is_non_null() => {
                let concrete = model.concrete(named).to_owned();
                self.complete_object(data, named, &concrete, JsonMap::new())
            }
            _ => JsonValue::Null,
        }
    }

    /// An object of type `concrete` at a position of type `named`: each field of its struct completed, the rest
    /// (references, relations) kept for its resolved fields, and its `__typename` when `named` is abstract.
    fn complete_object(
        &self,
        data: &Data,
        named: &str,
        concrete: &str,
        mut map: JsonMap,
    ) -> JsonValue {
        for field in self.model.data_fields(concrete) {
            match map.get_mut(field.name.as_str()) {
                Some(value) => {
                    let written = std::mem::replace(value, JsonValue::Null);
                    *value = self.complete(data, &field.ty, Some(written));
                }
                None => {
                    let neutral = self.complete(data, &field.ty, None);
                    map.insert(field.name.as_str().to_owned(), neutral);
                }
            }
        }
        if named != concrete {
            map.insert("__typename", JsonValue::from(concrete));
        }
        JsonValue::Object(map)
    }
}

/// A resolved field of an object, as the backend was asked for it.
struct Field<'a> {
    parent_type: &'a str,
    name: &'a str,
    ty: &'a Type,
    args: &'a JsonMap,
    has_arguments: bool,
}

/// The entity of type `holder_type` that `record` (an entity of `type_name`) refers to.
fn holder<'a>(
    model: &Model,
    data: &'a Data,
    type_name: &str,
    record: &Record,
    holder_type: &'a str,
) -> Option<(&'a str, &'a Record)> {
    model.entity(holder_type)?;
    record.iter().find_map(|(name, value)| {
        let field = model.field(type_name, name.as_str())?;
        let types = model.entity_types(field.ty.inner_named_type().as_str());
        if !types.contains(&holder_type) {
            return None;
        }
        let id = paths::ids(value).into_iter().next()?;
        data.find(&[holder_type], &id)
    })
}

/// A validation error of the EXTENSIONS_CODE format: `extensions.validation` maps the input path to messages.
fn validation(field: &str, path: &str, message: &str) -> FieldError {
    let mut messages = JsonMap::new();
    messages.insert(
        path.to_owned(),
        JsonValue::Array(vec![JsonValue::from(message)]),
    );
    FieldError::new(
        ErrorCode::BadUserInput,
        format!("Validation failed for the field [{field}]."),
    )
    .with_extension("validation", JsonValue::Object(messages))
}

/// A refused effect as the field's error.
fn refused(rules: &ApiRules, field: &str, refusal: Refusal) -> FieldError {
    match refusal {
        Refusal::Validation { path, message } => validation(field, &path, &message),
        Refusal::Unauthorized => FieldError::new(ErrorCode::Forbidden, unauthorized_message(rules)),
        Refusal::Invariant {
            statement,
            path: Some(path),
            ..
        } => validation(field, &path, &statement),
        Refusal::Invariant { statement, .. } => FieldError::bad_input(statement),
    }
}
