//! The fast executor: walks an operation's [`Plan`] through the generated glue, writing the response's `data`
//! straight into one buffer as JSON. Leaf values are serialized from their Rust values; a composite field's value
//! goes through the resolver traits, with one boxed future per object (not per field). An error nulls the nearest
//! nullable position: the buffer is cut back to where that position's value began and `null` written instead.
//!
//! It answers exactly as the reference executor (`execute_reference`, apollo-compiler's resolvers) does, values,
//! errors (code, message, extensions, locations, path) and null propagation alike; what it does not reproduce
//! (introspection, conditions or arguments that apollo-compiler rejects during execution, variables that do not
//! coerce) runs through the reference executor instead, decided before anything executes.

use std::cell::Cell;
use std::future::Future;
use std::sync::atomic::Ordering;

use apollo_compiler::ast::Type;
use apollo_compiler::executable::OperationType;
use apollo_compiler::request::coerce_variable_values;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::plan::{Arguments, Plan, PlannedField, SchemaTable, SelectionSet};
use super::reference::{self, Object};
use crate::engine::{Engine, Prepared};
use crate::error::{ErrorCode, FieldError, FieldResult};
use crate::response::{Data, JsonMap, JsonValue, PathSegment, Response, ResponseError};

/// The outcome of completing a value: `Err` when an error must null an enclosing position (the error is recorded).
pub type Completed = Result<(), Propagate>;

/// An error is on its way up to the nearest nullable position; it has been recorded already.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Propagate;

/// A step of the path of the position being completed.
#[derive(Debug, Clone, Copy)]
enum Step<'p> {
    Field(&'p PlannedField),
    Index(usize),
}

/// The state of one execution: the output, the path, the errors, the request's coerced arguments.
#[derive(Debug)]
pub struct Exec<'p> {
    out: Vec<u8>,
    /// Where the data's JSON starts in `out` (after the prefix `Data` reserves).
    root: usize,
    path: Vec<Step<'p>>,
    errors: Vec<ResponseError>,
    dynamic: &'p [JsonMap],
}

/// Where a value is being completed: the field it belongs to, and its type at this position (list items have their
/// item type).
#[derive(Debug, Clone, Copy)]
pub struct At<'p> {
    field: &'p PlannedField,
    ty: &'p Type,
}

/// How a resolved value of a composite type (object, interface, union, or lists and nullables of them) is
/// completed. Implemented by the shape wrappers ([`super::Opt`], [`super::List`]) and by the glue's object and
/// abstract markers.
pub trait Complete<V, R> {
    fn complete<'a, 'p>(
        ex: &'a mut Exec<'p>,
        resolvers: &'a R,
        value: &'a V,
        at: At<'p>,
    ) -> impl Future<Output = Completed> + 'a;
}

/// How a leaf value (scalar or enum, or lists and nullables of them) is written.
pub trait LeafShape<V: ?Sized> {
    /// How many lists wrap the leaf (for the reference executor).
    const LISTS: usize;
    /// Whether a non-null position may hold a value that serializes as null (a NaN float, a JSON null), which is an
    /// error the Rust type does not rule out.
    const CHECKED: bool;
    /// Writes the value position by position, checking each non-null one.
    fn walk(ex: &mut Exec<'_>, value: &V, ty: &Type) -> Completed;
}

thread_local! {
    static EXECUTIONS: Cell<Executions> = const { Cell::new(Executions { fast: 0, reference: 0 }) };
}

/// How many operations this thread executed through each executor (for tests that must know which one ran).
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Executions {
    pub fast: u64,
    pub reference: u64,
}

/// This thread's [`Executions`] so far.
#[doc(hidden)]
pub fn executions() -> Executions {
    EXECUTIONS.with(Cell::get)
}

fn count(fast: bool) {
    EXECUTIONS.with(|cell| {
        let mut counts = cell.get();
        if fast {
            counts.fast += 1;
        } else {
            counts.reference += 1;
        }
        cell.set(counts);
    });
}

/// Runs the chosen operation of a prepared document with the glue's root markers `Q` and `M`: through the fast
/// executor when it supports the operation, else through the reference executor.
pub async fn execute<R, Q, M>(
    resolvers: &R,
    engine: &Engine,
    prepared: &Prepared,
    operation_name: Option<&str>,
    variables: &JsonMap,
    table: &'static SchemaTable,
) -> Response
where
    R: Sync,
    Q: Object<R, Value = ()>,
    M: Object<R, Value = ()>,
{
    let reference = || {
        count(false);
        reference::execute_with::<R, Q, M>(
            resolvers,
            engine,
            prepared,
            operation_name,
            variables,
            table.has_mutation,
        )
    };
    let document = &prepared.document;
    let Ok(operation) = document.operations.get(operation_name) else {
        return reference().await;
    };
    let supported = match operation.operation_type {
        OperationType::Query => true,
        OperationType::Mutation => table.has_mutation,
        OperationType::Subscription => false,
    };
    if !supported {
        return reference().await;
    }
    let Ok(coerced) = coerce_variable_values(engine.schema(), operation, variables) else {
        return reference().await;
    };
    let Some(plan) = prepared
        .plans
        .get(engine.schema(), document, operation, table, &coerced)
    else {
        return reference().await;
    };
    let Ok(dynamic) = plan.coerce_dynamic(engine.schema(), &coerced) else {
        return reference().await;
    };
    count(true);
    let mut ex = Exec::new(&plan, &dynamic);
    let done = match operation.operation_type {
        OperationType::Mutation => M::run(&mut ex, resolvers, &(), &plan.root).await,
        _ => Q::run(&mut ex, resolvers, &(), &plan.root).await,
    };
    ex.finish(&plan, done)
}

impl<'p> Exec<'p> {
    fn new(plan: &Plan, dynamic: &'p [JsonMap]) -> Self {
        let out = Data::buffer(plan.size_hint.load(Ordering::Relaxed));
        Exec {
            root: out.len(),
            out,
            path: Vec::with_capacity(16),
            errors: Vec::new(),
            dynamic,
        }
    }

    fn finish(mut self, plan: &Plan, done: Completed) -> Response {
        if done.is_err() {
            self.out.truncate(self.root);
            self.out.extend_from_slice(b"null");
        }
        plan.size_hint.store(self.out.len() + 64, Ordering::Relaxed);
        Response {
            data: Some(Data::from_buffer(self.out)),
            errors: self.errors,
        }
    }

    /// Starts an object's value.
    #[doc(hidden)]
    pub fn open(&mut self) {
        self.out.push(b'{');
    }

    /// Ends an object's value.
    #[doc(hidden)]
    pub fn close(&mut self) {
        self.out.push(b'}');
    }

    /// Starts a field of an object: writes its key and steps into it.
    #[doc(hidden)]
    pub fn enter(&mut self, field: &'p PlannedField) {
        self.out.extend_from_slice(field.key_json.as_bytes());
        self.path.push(Step::Field(field));
    }

    /// Ends a field of an object: steps out of it and passes on how it went.
    #[doc(hidden)]
    pub fn leave(&mut self, done: Completed) -> Completed {
        self.path.pop();
        done
    }

    /// `__typename`.
    #[doc(hidden)]
    pub fn typename(&mut self, name: &str) -> Completed {
        self.string(name);
        Ok(())
    }

    fn string(&mut self, text: &str) {
        // Writing a string into a vector cannot fail.
        let _ = serde_json::to_writer(&mut self.out, text);
    }

    fn null(&mut self) {
        self.out.extend_from_slice(b"null");
    }

    /// The field's arguments as the generated argument struct.
    #[doc(hidden)]
    pub fn arguments<T: DeserializeOwned>(&self, field: &PlannedField) -> FieldResult<T> {
        let map = match &field.arguments {
            Arguments::Const(map) => map.clone(),
            Arguments::Dynamic(i) => self.dynamic.get(*i).cloned().unwrap_or_default(),
            Arguments::None => JsonMap::new(),
        };
        apollo_compiler::response::serde_json_bytes::from_value(JsonValue::Object(map)).map_err(
            |e| FieldError::bad_input(format!("invalid argument of `{}`: {e}", field.name)),
        )
    }

    /// A field whose resolver (or argument decoding) failed: the error is recorded at the field, which becomes null
    /// if it may.
    #[doc(hidden)]
    pub fn fail(&mut self, field: &PlannedField, error: FieldError) -> Completed {
        self.record(ResponseError::from(error));
        self.settle(field, None, Err(Propagate))
    }

    /// A leaf field's value.
    #[doc(hidden)]
    pub fn leaf<S: LeafShape<V>, V: Serialize + ?Sized>(
        &mut self,
        field: &'p PlannedField,
        value: &V,
    ) -> Completed {
        let start = self.out.len();
        let done = if serde_json::to_writer(&mut self.out, value).is_err() {
            self.out.truncate(start);
            self.record(ResponseError::new(
                ErrorCode::Internal,
                "a value could not be written as JSON",
            ));
            Err(Propagate)
        } else if S::CHECKED && S::LISTS == 0 {
            // A leaf at a non-null position: null there is an error.
            if field.ty.is_non_null() && &self.out[start..] == b"null" {
                self.out.truncate(start);
                self.null_at(&field.ty)
            } else {
                Ok(())
            }
        } else if S::CHECKED {
            // Written again position by position, to find the non-null positions that hold null.
            self.out.truncate(start);
            S::walk(self, value, &field.ty)
        } else {
            Ok(())
        };
        self.settle(field, Some(start), done)
    }

    /// A leaf field's value as its resolver returned it.
    #[doc(hidden)]
    pub fn leaf_result<S: LeafShape<V>, V: Serialize>(
        &mut self,
        field: &'p PlannedField,
        result: FieldResult<V>,
    ) -> Completed {
        match result {
            Ok(value) => self.leaf::<S, V>(field, &value),
            Err(error) => self.fail(field, error),
        }
    }

    /// A composite field's value as its resolver returned it.
    #[doc(hidden)]
    pub async fn complete<S: Complete<V, R>, V, R>(
        &mut self,
        field: &'p PlannedField,
        resolvers: &R,
        result: FieldResult<V>,
    ) -> Completed {
        match result {
            Ok(value) => {
                self.complete_value::<S, V, R>(field, resolvers, &value)
                    .await
            }
            Err(error) => self.fail(field, error),
        }
    }

    /// Completes a composite value the parent object holds (a plain field of object type).
    pub async fn complete_value<S: Complete<V, R>, V, R>(
        &mut self,
        field: &'p PlannedField,
        resolvers: &R,
        value: &V,
    ) -> Completed {
        let start = self.out.len();
        let at = At {
            field,
            ty: &field.ty,
        };
        let done = S::complete(self, resolvers, value, at).await;
        self.settle(field, Some(start), done)
    }

    /// An error in a field stops at the field when the concrete object's field is nullable: its value becomes null.
    fn settle(&mut self, field: &PlannedField, start: Option<usize>, done: Completed) -> Completed {
        match done {
            Err(Propagate) if field.nullable => {
                if let Some(start) = start {
                    self.out.truncate(start);
                }
                self.null();
                Ok(())
            }
            done => done,
        }
    }

    /// Records an error at the current path, located at the current field.
    fn record(&mut self, mut error: ResponseError) {
        let field = self.path.iter().rev().find_map(|step| match step {
            Step::Field(field) => Some(*field),
            Step::Index(_) => None,
        });
        error.locations = field.and_then(|f| f.location).into_iter().collect();
        error.path = self
            .path
            .iter()
            .map(|step| match step {
                Step::Field(field) => PathSegment::Field(field.key.to_string()),
                Step::Index(i) => PathSegment::Index(*i),
            })
            .collect();
        self.errors.push(error);
    }

    /// Null at a position of type `ty`: an error when the position is non-null.
    pub(crate) fn null_at(&mut self, ty: &Type) -> Completed {
        if ty.is_non_null() {
            self.record(ResponseError::new(
                ErrorCode::Internal,
                format!("non-null type {ty} resolved to null"),
            ));
            Err(Propagate)
        } else {
            self.null();
            Ok(())
        }
    }

    /// Writes a leaf at a position of type `ty`; a value that serializes as null is [`Exec::null_at`].
    pub(crate) fn leaf_at<V: Serialize + ?Sized>(&mut self, value: &V, ty: &Type) -> Completed {
        let start = self.out.len();
        if serde_json::to_writer(&mut self.out, value).is_err() {
            self.out.truncate(start);
            self.record(ResponseError::new(
                ErrorCode::Internal,
                "a value could not be written as JSON",
            ));
            return Err(Propagate);
        }
        if ty.is_non_null() && &self.out[start..] == b"null" {
            self.out.truncate(start);
            return self.null_at(ty);
        }
        Ok(())
    }

    /// Starts a list's value; returns where it starts.
    pub(crate) fn begin_list(&mut self) -> usize {
        self.out.push(b'[');
        self.out.len() - 1
    }

    /// Ends a list's value.
    pub(crate) fn end_list(&mut self) {
        self.out.push(b']');
    }

    /// Starts the item `index` of a list: steps into it; returns where its value starts.
    pub(crate) fn begin_item(&mut self, index: usize) -> usize {
        if index > 0 {
            self.out.push(b',');
        }
        self.path.push(Step::Index(index));
        self.out.len()
    }

    /// Ends an item of a list that started at `list_start`: an item's error nulls the item if its type is nullable,
    /// else the list if the list's type is, else goes on up. `Some` when the list is over.
    pub(crate) fn end_item(
        &mut self,
        done: Completed,
        start: usize,
        item_ty: &Type,
        list_start: usize,
        list_ty: &Type,
    ) -> Option<Completed> {
        self.path.pop();
        if done.is_ok() {
            return None;
        }
        if item_ty.is_non_null() {
            return Some(self.nullify_list(list_start, list_ty));
        }
        self.out.truncate(start);
        self.null();
        None
    }

    fn nullify_list(&mut self, list_start: usize, ty: &Type) -> Completed {
        if ty.is_non_null() {
            Err(Propagate)
        } else {
            self.out.truncate(list_start);
            self.null();
            Ok(())
        }
    }
}

impl<'p> At<'p> {
    /// The same field at another type (a list's item).
    pub(crate) fn with_type(self, ty: &'p Type) -> Self {
        At { ty, ..self }
    }

    pub(crate) fn ty(&self) -> &'p Type {
        self.ty
    }

    /// The selection set below the field for the concrete object type `id`.
    #[doc(hidden)]
    pub fn selection_set(&self, id: u16) -> &'p SelectionSet {
        self.field.selection_set(id)
    }
}
