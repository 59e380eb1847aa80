//! The reference executor: runs an operation through apollo-compiler's resolvers (every field a future, every
//! object a map, every leaf a JSON value), keeping each resolver's structured error (code, extensions) intact. The
//! fast executor (`execute`) answers exactly as this one does; this one remains for what the fast one does not
//! cover (introspection, requests apollo-compiler rejects during execution) and for the differential tests.
//!
//! apollo-compiler's resolver error carries only a message (which it prefixes with `resolver error: `), so the glue
//! stores the [`FieldError`] in a per-request side table and hands apollo-compiler a marker naming its slot; after
//! execution the markers in the response are replaced by the stored errors.

use std::marker::PhantomData;
use std::sync::Mutex;

use apollo_compiler::executable::OperationType;
use apollo_compiler::resolvers::{
    AsyncObjectValue, AsyncResolvedValue, Execution, ExecutionError, ResolveInfo,
};
use apollo_compiler::response::{ExecutionResponse, GraphQLError, ResponseDataPathSegment};
use futures::future::{BoxFuture, LocalBoxFuture};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::fast::{Completed, Exec};
use super::plan::SelectionSet;
use crate::engine::{Engine, Prepared};
use crate::error::{ErrorCode, FieldError};
use crate::response::{Data, JsonMap, JsonValue, Location, PathSegment, Response, ResponseError};

/// What a field of the reference executor resolves to.
pub type Resolved<'a> = Result<AsyncResolvedValue<'a>, ExecutionError>;

/// An object type of the generated glue (a marker type per GraphQL object type): how the fast executor runs a
/// selection set on a value of it, and how the reference executor resolves one field of it.
pub trait Object<R>: Sized + 'static {
    /// The Rust type that backs the object (`()` for a root type).
    type Value;
    /// The GraphQL type name.
    const NAME: &'static str;
    /// The type's id in the glue's [`super::SchemaTable`].
    const ID: u16;

    /// Writes the object's value for the fields of `set`.
    fn run<'a, 'p>(
        ex: &'a mut Exec<'p>,
        resolvers: &'a R,
        value: &'a Self::Value,
        set: &'p SelectionSet,
    ) -> LocalBoxFuture<'a, Completed>;

    /// Resolves one field for apollo-compiler.
    fn resolve_field<'a>(
        object: &'a Wrapped<'_, Self, R>,
        info: &'a ResolveInfo<'a>,
    ) -> BoxFuture<'a, Resolved<'a>>;
}

/// A value of an object type as apollo-compiler sees it: the value, the resolvers and the request's error table.
pub struct Wrapped<'r, M: Object<R>, R> {
    pub resolvers: &'r R,
    pub ctx: &'r ExecContext,
    pub value: M::Value,
    marker: PhantomData<fn() -> M>,
}

impl<'r, M: Object<R>, R> Wrapped<'r, M, R> {
    pub fn new(resolvers: &'r R, ctx: &'r ExecContext, value: M::Value) -> Self {
        Wrapped {
            resolvers,
            ctx,
            value,
            marker: PhantomData,
        }
    }
}

impl<M: Object<R>, R> std::fmt::Debug for Wrapped<'_, M, R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Wrapped")
            .field("type", &M::NAME)
            .finish_non_exhaustive()
    }
}

impl<M: Object<R>, R: Sync> AsyncObjectValue for Wrapped<'_, M, R>
where
    M::Value: Send,
{
    fn type_name(&self) -> &str {
        M::NAME
    }

    fn resolve_field<'a>(&'a self, info: &'a ResolveInfo<'a>) -> BoxFuture<'a, Resolved<'a>> {
        M::resolve_field(self, info)
    }
}

/// The root marker of a schema without mutations.
#[derive(Debug)]
pub enum NoRoot {}

impl<R> Object<R> for NoRoot {
    type Value = ();
    const NAME: &'static str = "";
    const ID: u16 = u16::MAX;

    fn run<'a, 'p>(
        _: &'a mut Exec<'p>,
        _: &'a R,
        _: &'a (),
        _: &'p SelectionSet,
    ) -> LocalBoxFuture<'a, Completed> {
        // Never called: a schema without mutations runs none (the request is refused before).
        Box::pin(std::future::ready(Err(super::fast::Propagate)))
    }

    fn resolve_field<'a>(
        _: &'a Wrapped<'_, Self, R>,
        info: &'a ResolveInfo<'a>,
    ) -> BoxFuture<'a, Resolved<'a>> {
        let error = ExecutionError {
            message: format!("no field `{}` without a mutation type", info.field_name()),
        };
        Box::pin(std::future::ready(Err(error)))
    }
}

/// How a resolved value of a composite type becomes apollo-compiler's resolved value. Implemented by
/// the shape wrappers ([`super::Opt`], [`super::List`]) and by the glue's object and abstract markers.
pub trait Resolve<V, R> {
    fn resolve<'r>(resolvers: &'r R, ctx: &'r ExecContext, value: V) -> Resolved<'r>
    where
        V: 'r;
}

/// A leaf value (scalar or enum, as JSON) of a type with `lists` list wrappers, as apollo-compiler wants it: lists
/// as `List`, everything else (including null, and arrays inside a JSON scalar) as `Leaf`.
fn leaves<'a>(value: JsonValue, lists: usize) -> AsyncResolvedValue<'a> {
    match value {
        JsonValue::Array(items) if lists > 0 => {
            AsyncResolvedValue::List(Box::pin(futures::stream::iter(
                items
                    .into_iter()
                    .map(move |item| Ok(leaves(item, lists - 1))),
            )))
        }
        value => AsyncResolvedValue::Leaf(value),
    }
}

/// A leaf field's value (with `lists` list wrappers).
pub fn leaf<'a, T: Serialize + ?Sized>(ctx: &ExecContext, value: &T, lists: usize) -> Resolved<'a> {
    ctx.leaf(value).map(|json| leaves(json, lists))
}

/// Runs an operation through apollo-compiler with the glue's root markers `Q` and `M`.
pub async fn execute_with<R, Q, M>(
    resolvers: &R,
    engine: &Engine,
    prepared: &Prepared,
    operation_name: Option<&str>,
    variables: &JsonMap,
    has_mutation: bool,
) -> Response
where
    R: Sync,
    Q: Object<R, Value = ()>,
    M: Object<R, Value = ()>,
{
    let ctx = ExecContext::new();
    let query = Wrapped::<Q, R>::new(resolvers, &ctx, ());
    let mutation = Wrapped::<M, R>::new(resolvers, &ctx, ());
    let mutation: Option<&dyn AsyncObjectValue> = if has_mutation { Some(&mutation) } else { None };
    execute(
        engine,
        prepared,
        operation_name,
        variables,
        &ctx,
        &query,
        mutation,
    )
    .await
}

/// apollo-compiler writes a resolver's error as `resolver error: <message>`; ours is this marker and a slot number.
const RESOLVER_ERROR_PREFIX: &str = "resolver error: ";
const MARKER: &str = "\u{1}field-error#";

/// The per-request state of the glue: the side table of structured errors.
#[derive(Debug, Default)]
pub struct ExecContext {
    errors: Mutex<Vec<FieldError>>,
}

impl ExecContext {
    pub fn new() -> Self {
        Self::default()
    }

    /// Keeps a resolver's error and returns the execution error that stands for it.
    pub fn fail(&self, error: FieldError) -> ExecutionError {
        let mut errors = self.errors.lock().unwrap_or_else(|e| e.into_inner());
        errors.push(error);
        ExecutionError {
            message: format!("{MARKER}{}", errors.len() - 1),
        }
    }

    /// The field's arguments (already coerced by apollo-compiler) as the generated argument struct.
    pub fn arguments<T: DeserializeOwned>(
        &self,
        info: &ResolveInfo<'_>,
    ) -> Result<T, ExecutionError> {
        let arguments = JsonValue::Object(info.arguments().clone());
        apollo_compiler::response::serde_json_bytes::from_value(arguments).map_err(|e| {
            self.fail(FieldError::bad_input(format!(
                "invalid argument of `{}`: {e}",
                info.field_name()
            )))
        })
    }

    /// A leaf value (scalar or enum) as JSON.
    pub fn leaf<T: Serialize + ?Sized>(&self, value: &T) -> Result<JsonValue, ExecutionError> {
        apollo_compiler::response::serde_json_bytes::to_value(value).map_err(|_| {
            self.fail(FieldError::new(
                ErrorCode::Internal,
                "a value could not be written as JSON",
            ))
        })
    }

    fn take(&self, slot: usize) -> Option<FieldError> {
        let errors = self.errors.lock().unwrap_or_else(|e| e.into_inner());
        errors.get(slot).cloned()
    }
}

/// Runs the chosen operation of a prepared document: queries from `query`, mutations from `mutation` (serially, as
/// the spec requires). Variables are coerced here; a coercion failure is a request error (no `data`).
pub async fn execute(
    engine: &Engine,
    prepared: &Prepared,
    operation_name: Option<&str>,
    variables: &JsonMap,
    ctx: &ExecContext,
    query: &dyn AsyncObjectValue,
    mutation: Option<&dyn AsyncObjectValue>,
) -> Response {
    let document = &prepared.document;
    let operation = match document.operations.get(operation_name) {
        Ok(operation) => operation,
        Err(e) => {
            return Response::request_error(ResponseError::new(
                ErrorCode::ValidationFailed,
                e.message().to_string(),
            ));
        }
    };
    let root = match operation.operation_type {
        OperationType::Query => query,
        OperationType::Mutation => match mutation {
            Some(mutation) => mutation,
            None => {
                return Response::request_error(ResponseError::new(
                    ErrorCode::ValidationFailed,
                    "this schema has no mutations",
                ));
            }
        },
        OperationType::Subscription => {
            return Response::request_error(ResponseError::new(
                ErrorCode::ValidationFailed,
                "subscriptions are not supported",
            ));
        }
    };
    let execution = Execution::new(engine.schema(), document)
        .operation(operation)
        .raw_variable_values(variables)
        .enable_schema_introspection(true);
    match execution.execute_async(root).await {
        Ok(response) => finish(response, ctx),
        Err(e) => {
            let error = e.to_graphql_error(&document.sources);
            let location = error.locations.first().map(|l| Location {
                line: l.line,
                column: l.column,
            });
            Response::request_error(
                ResponseError::new(ErrorCode::BadUserInput, error.message).at(location),
            )
        }
    }
}

fn finish(response: ExecutionResponse, ctx: &ExecContext) -> Response {
    let errors = response
        .errors
        .into_iter()
        .map(|error| restore(error, ctx))
        .collect();
    let data = response.data.map_or(JsonValue::Null, JsonValue::Object);
    Response {
        data: Some(Data::from_value(&data)),
        errors,
    }
}

/// Replaces a marker by the stored error; any other execution error is the server's own fault.
fn restore(error: GraphQLError, ctx: &ExecContext) -> ResponseError {
    let stored = error
        .message
        .strip_prefix(RESOLVER_ERROR_PREFIX)
        .and_then(|rest| rest.strip_prefix(MARKER))
        .and_then(|slot| slot.parse().ok())
        .and_then(|slot| ctx.take(slot));
    let mut restored = match stored {
        Some(field_error) => ResponseError::from(field_error),
        None => ResponseError::new(ErrorCode::Internal, error.message),
    };
    restored.locations = error
        .locations
        .iter()
        .map(|l| Location {
            line: l.line,
            column: l.column,
        })
        .collect();
    restored.path = error
        .path
        .iter()
        .map(|segment| match segment {
            ResponseDataPathSegment::Field(name) => PathSegment::Field(name.to_string()),
            ResponseDataPathSegment::ListIndex(i) => PathSegment::Index(*i),
        })
        .collect();
    restored
}
