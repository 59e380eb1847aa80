//! Executes operations over the entity store through apollo-compiler's executor: the Query root reads entities by
//! their `@entity` lookups and Lighthouse lists, the Mutation root applies each field's `@effect`, and every object
//! is resolved from its JSON (references followed by id, relations listed, a non-null field never written given a
//! neutral value). Refusals become field errors in the EXTENSIONS_CODE shape (`extensions.validation` keyed by the
//! input path).

use std::sync::Arc;

use futures::future::BoxFuture;
use runtime::apollo_compiler::ast::Type;
use runtime::apollo_compiler::resolvers::{
    AsyncObjectValue, AsyncResolvedValue, ExecutionError, ResolveInfo,
};
use runtime::engine::{Engine, Prepared};
use runtime::exec::{ExecContext, execute_apollo};
use runtime::response::{JsonMap, JsonValue, Response};
use runtime::rules::ApiRules;
use runtime::{ErrorCode, FieldError};

use super::effects::{self, Caller, Defects, Refusal};
use super::model::Model;
use super::paging::{self, BadArgument};
use super::paths;
use super::store::{Data, Record, Store};
use crate::pipeline::unauthorized_message;

/// One operation against a store.
#[derive(Debug)]
pub struct Operation<'a> {
    pub prepared: &'a Prepared,
    pub operation_name: Option<&'a str>,
    pub variables: &'a JsonMap,
    pub caller: &'a Caller,
    /// The time of the request, `YYYY-MM-DDTHH:MM:SS.ffffffZ` (a Date reads its first ten characters).
    pub now: &'a str,
}

/// Runs an operation: queries on the current snapshot, each mutation field on the snapshot it leaves.
pub async fn execute(
    model: &Model,
    store: &Store,
    engine: &Engine,
    operation: Operation<'_>,
    defects: Defects,
) -> Response {
    let exec = ExecContext::new();
    let ctx = Ctx {
        model,
        store,
        caller: operation.caller,
        now: operation.now,
        exec: &exec,
        defects,
    };
    let data = store.snapshot();
    let root = |kind, type_name: Option<&runtime::apollo_compiler::Name>| Object {
        ctx: &ctx,
        data: Arc::clone(&data),
        type_name: type_name.map(|n| n.to_string()).unwrap_or_default(),
        kind,
    };
    let definition = &model.schema.schema_definition;
    let query = root(Kind::Query, definition.query.as_deref());
    let mutation = root(Kind::Mutation, definition.mutation.as_deref());
    let mutation: Option<&dyn AsyncObjectValue> =
        definition.mutation.as_ref().map(|_| &mutation as _);
    execute_apollo(
        engine,
        operation.prepared,
        operation.operation_name,
        operation.variables,
        &exec,
        &query,
        mutation,
    )
    .await
}

struct Ctx<'a> {
    model: &'a Model,
    store: &'a Store,
    caller: &'a Caller,
    now: &'a str,
    exec: &'a ExecContext,
    defects: Defects,
}

/// A value of an object type.
struct Object<'a> {
    ctx: &'a Ctx<'a>,
    data: Arc<Data>,
    type_name: String,
    kind: Kind,
}

enum Kind {
    Query,
    Mutation,
    /// A stored entity (or one as it was when deleted).
    Entity(Record),
    /// An object held by value; `None`: nothing was written, every field is neutral.
    Plain(Option<JsonMap>),
    /// A Lighthouse page.
    Page(paging::Page),
}

type Resolved<'a> = Result<AsyncResolvedValue<'a>, ExecutionError>;

impl AsyncObjectValue for Object<'_> {
    fn type_name(&self) -> &str {
        &self.type_name
    }

    fn resolve_field<'a>(&'a self, info: &'a ResolveInfo<'a>) -> BoxFuture<'a, Resolved<'a>> {
        Box::pin(async move { self.resolve(info) })
    }
}

impl<'a> Object<'a> {
    fn resolve(&self, info: &ResolveInfo<'_>) -> Resolved<'a> {
        let name = info.field_name();
        let ty = &info.field_definition().ty;
        let args = info.arguments();
        match &self.kind {
            Kind::Query => self.query(name, ty, args),
            Kind::Mutation => self.mutation(name, ty, args),
            Kind::Page(page) => match name {
                "data" => Ok(AsyncResolvedValue::List(Box::pin(futures::stream::iter(
                    page.items
                        .iter()
                        .map(|(t, r)| Ok(self.object(t.clone(), Kind::Entity(r.clone()))))
                        .collect::<Vec<_>>(),
                )))),
                "paginatorInfo" => {
                    let named = ty.inner_named_type().to_string();
                    Ok(self.object(named, Kind::Plain(Some(page.info.clone()))))
                }
                _ => self.value(ty, None),
            },
            Kind::Entity(record) => {
                let has_arguments = !info.field_definition().arguments.is_empty();
                self.entity_field(name, ty, args, has_arguments, record)
            }
            Kind::Plain(map) => {
                let value = map.as_ref().and_then(|m| m.get(name).cloned());
                self.value(ty, value)
            }
        }
    }

    fn object(&self, type_name: String, kind: Kind) -> AsyncResolvedValue<'a> {
        AsyncResolvedValue::Object(Box::new(Object {
            ctx: self.ctx,
            data: Arc::clone(&self.data),
            type_name,
            kind,
        }))
    }

    fn fail(&self, error: FieldError) -> ExecutionError {
        self.ctx.exec.fail(error)
    }

    fn query(&self, name: &str, ty: &Type, args: &JsonMap) -> Resolved<'a> {
        let model = self.ctx.model;
        let named = ty.inner_named_type().as_str();
        if let Some(types) = model.listed(name) {
            let items = paging::select(model, &self.data, name, types, args);
            return self.page(name, named, items, args);
        }
        // A paginator that lists no entity type (no `@entity(list:)` names it) is empty, its `paginatorInfo` as
        // exact as any other's (as in `entity_field`).
        if model.is_paginator(named) {
            return self.page(name, named, Vec::new(), args);
        }
        let is_lookup = model
            .rules
            .entities
            .iter()
            .any(|e| e.lookup.as_deref() == Some(name));
        if !is_lookup {
            return self.value(ty, None);
        }
        let id = match args.get("id") {
            Some(id) => paths::ids(id).into_iter().next(),
            None => self.ctx.caller.user.clone(),
        };
        let types = model.entity_types(named);
        match id.and_then(|id| self.data.find(&types, &id)) {
            Some((found, record)) => {
                Ok(self.object(found.to_owned(), Kind::Entity(record.clone())))
            }
            None => self.value(ty, None),
        }
    }

    fn page(
        &self,
        field: &str,
        paginator: &str,
        items: Vec<(String, Record)>,
        args: &JsonMap,
    ) -> Resolved<'a> {
        let query = self.type_name.as_str();
        let pagination = self
            .ctx
            .model
            .rules
            .field(query, field)
            .and_then(|f| f.pagination.as_ref());
        match paging::page(items, args, pagination, self.ctx.defects.paging) {
            Ok(page) => Ok(self.object(paginator.to_owned(), Kind::Page(page))),
            Err(BadArgument { argument, message }) => {
                Err(self.fail(validation(field, argument, &message)))
            }
        }
    }

    fn mutation(&self, name: &str, ty: &Type, args: &JsonMap) -> Resolved<'a> {
        let ctx = self.ctx;
        let Some(rules) = ctx.model.rules.field(&self.type_name, name) else {
            return self.value(ty, None);
        };
        let outcome = ctx.store.write(|data| {
            effects::apply(
                ctx.model,
                data,
                rules,
                args,
                ctx.caller,
                ctx.now,
                ctx.defects,
            )
        });
        let (applied, data) = match outcome {
            Ok(done) => done,
            Err(refusal) => return Err(self.fail(refused(ctx.model.rules, name, refusal))),
        };
        let here = Object {
            ctx,
            data,
            type_name: self.type_name.clone(),
            kind: Kind::Plain(None),
        };
        let effect = rules.effect.as_ref();
        let named = ty.inner_named_type().to_string();
        let records: Vec<JsonValue> = applied
            .records
            .iter()
            .map(|r| JsonValue::Object(JsonMap::clone(r)))
            .collect();
        if let Some(field) = effect.and_then(|e| e.result_field.as_deref()) {
            let value = applied.records.first().and_then(|r| r.get(field).cloned());
            return here.value(ty, value);
        }
        match (effect.and_then(|e| e.result.as_deref()), applied.type_name) {
            (None, Some(type_name)) if !records.is_empty() => {
                let entities = applied.records.into_iter().map(|r| (type_name.clone(), r));
                if ty.is_list() {
                    let items: Vec<_> = entities
                        .map(|(t, r)| Ok(here.object(t, Kind::Entity(r))))
                        .collect();
                    Ok(AsyncResolvedValue::List(Box::pin(futures::stream::iter(
                        items,
                    ))))
                } else {
                    let (t, r) = entities.into_iter().next().unwrap_or_default();
                    Ok(here.object(t, Kind::Entity(r)))
                }
            }
            (Some(path), _) if !records.is_empty() => {
                // The result holds the entity (or its id) at `path`: one result per element when it is a list.
                let first = path.split('.').next().unwrap_or_default();
                let concrete = ctx.model.concrete(&named).to_owned();
                let holds_list = ctx
                    .model
                    .field(&concrete, first)
                    .is_some_and(|f| f.ty.is_list());
                let ids: Vec<JsonValue> = records
                    .iter()
                    .filter_map(|r| r.as_object().and_then(|m| m.get("id")).cloned())
                    .collect();
                let result = |held: JsonValue| {
                    let mut map = JsonMap::new();
                    map.insert(first.to_owned(), held);
                    here.object(concrete.clone(), Kind::Plain(Some(map)))
                };
                if ty.is_list() {
                    let items: Vec<Resolved<'a>> =
                        ids.into_iter().map(|id| Ok(result(id))).collect();
                    return Ok(AsyncResolvedValue::List(Box::pin(futures::stream::iter(
                        items,
                    ))));
                }
                let held = if holds_list {
                    JsonValue::Array(ids)
                } else {
                    ids.into_iter().next().unwrap_or(JsonValue::Null)
                };
                Ok(result(held))
            }
            _ => here.value(ty, None),
        }
    }

    /// A field of a stored entity: relations listed (a page when the field is a paginator), other fields with
    /// arguments neutral, the rest read from the record.
    fn entity_field(
        &self,
        name: &str,
        ty: &Type,
        args: &JsonMap,
        has_arguments: bool,
        record: &Record,
    ) -> Resolved<'a> {
        let model = self.ctx.model;
        let named = ty.inner_named_type().as_str();
        if model.rules.relation(&self.type_name, name).is_some() {
            let ids = paths::field(model, &self.data, &self.type_name, record, name);
            let member = paths::member_type(model, named);
            let types = model.entity_types(&member);
            let items: Vec<(String, Record)> = paths::ids(&ids)
                .iter()
                .filter_map(|id| self.data.find(&types, id))
                .map(|(t, r)| (t.to_owned(), r.clone()))
                .collect();
            if model.is_paginator(named) {
                return self.page(name, named, items, args);
            }
            let listed = JsonValue::Array(
                items
                    .iter()
                    .filter_map(|(_, r)| r.get("id").cloned())
                    .collect(),
            );
            return self.value(ty, Some(listed));
        }
        if model.is_paginator(named) {
            return self.page(name, named, Vec::new(), args);
        }
        let value = if has_arguments {
            None
        } else {
            record.get(name).cloned()
        };
        self.value(ty, value)
    }

    /// Completes a value of a field's type: leaves as they are (neutral when a non-null one is missing), references
    /// followed, objects held by value wrapped, lists item by item.
    fn value(&self, ty: &Type, value: Option<JsonValue>) -> Resolved<'a> {
        let model = self.ctx.model;
        let value = value.filter(|v| !v.is_null());
        if let Type::List(item) | Type::NonNullList(item) = ty {
            return match value {
                Some(JsonValue::Array(items)) => {
                    let resolved: Vec<Resolved<'a>> = items
                        .into_iter()
                        .map(|v| self.value(item, Some(v)))
                        .collect();
                    Ok(AsyncResolvedValue::List(Box::pin(futures::stream::iter(
                        resolved,
                    ))))
                }
                Some(other) => self.value(item, Some(other)).map(|one| {
                    AsyncResolvedValue::List(Box::pin(futures::stream::iter(vec![Ok(one)])))
                }),
                None if ty.is_non_null() => Ok(AsyncResolvedValue::List(Box::pin(
                    futures::stream::iter(Vec::<Resolved<'a>>::new()),
                ))),
                None => Ok(AsyncResolvedValue::Leaf(JsonValue::Null)),
            };
        }
        let named = ty.inner_named_type().as_str();
        if model.is_leaf(named) {
            return Ok(AsyncResolvedValue::Leaf(match value {
                Some(v) => v,
                None if ty.is_non_null() => model.neutral_leaf(named),
                None => JsonValue::Null,
            }));
        }
        match value {
            Some(JsonValue::Object(map)) => {
                let concrete = map
                    .get("__typename")
                    .and_then(JsonValue::as_str)
                    .map(str::to_owned)
                    .unwrap_or_else(|| model.concrete(named).to_owned());
                Ok(self.object(concrete, Kind::Plain(Some(map))))
            }
            Some(reference) if model.is_reference(named) => {
                let types = model.entity_types(named);
                let id = paths::ids(&reference)
                    .into_iter()
                    .next()
                    .unwrap_or_default();
                match self.data.find(&types, &id) {
                    Some((found, record)) => {
                        Ok(self.object(found.to_owned(), Kind::Entity(record.clone())))
                    }
                    None => self.value(ty, None),
                }
            }
            _ if ty.is_non_null() => {
                Ok(self.object(model.concrete(named).to_owned(), Kind::Plain(None)))
            }
            _ => Ok(AsyncResolvedValue::Leaf(JsonValue::Null)),
        }
    }
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
