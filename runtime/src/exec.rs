//! Support for the generated execution glue: runs an operation through apollo-compiler's resolvers and keeps each
//! resolver's structured error (code, extensions) intact.
//!
//! apollo-compiler's resolver error carries only a message (which it prefixes with `resolver error: `), so the glue
//! stores the [`FieldError`] in a per-request side table and hands apollo-compiler a marker naming its slot; after
//! execution the markers in the response are replaced by the stored errors.

use std::sync::Mutex;

use apollo_compiler::executable::OperationType;
use apollo_compiler::resolvers::{AsyncObjectValue, Execution, ExecutionError, ResolveInfo};
use apollo_compiler::response::{ExecutionResponse, GraphQLError, ResponseDataPathSegment};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::engine::{Engine, Prepared};
use crate::error::{ErrorCode, FieldError};
use crate::response::{JsonMap, JsonValue, Location, PathSegment, Response, ResponseError};

/// apollo-compiler writes a resolver's error as `resolver error: <message>`; ours is this marker and a slot number.
const RESOLVER_ERROR_PREFIX: &str = "resolver error: ";
const MARKER: &str = "\u{1}field-error#";

/// How the glue reads the plain (leaf) fields of an object from the value that backs it. Every generated struct
/// backs itself; a type bound with `Config::bind` implements this for the struct of the GraphQL type it backs.
pub trait ObjectData<T> {
    fn data(&self) -> &T;
}

impl<T> ObjectData<T> for T {
    fn data(&self) -> &T {
        self
    }
}

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
    Response {
        data: Some(response.data.map_or(JsonValue::Null, JsonValue::Object)),
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
