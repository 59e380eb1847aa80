//! Renders a GraphQL response in an API's own error format (`@errorFormat`): Greenhouse's top-level `errorCode`,
//! `extensions.code`, or plain messages. Rendering has no side effects and never adds internals.

use runtime::response::{PathSegment, Response, ResponseError};
use runtime::rules::ErrorStyle;
use serde_json::{Map, Value, json};

use crate::api::GraphqlApi;

/// The response body as JSON, in the API's format. `code_field` is false only under the `error-code-missing` fault.
pub fn response(api: &dyn GraphqlApi, response: &Response, code_field: bool) -> Value {
    let mut body = Map::new();
    if !response.errors.is_empty() {
        let errors = response
            .errors
            .iter()
            .map(|e| error(api, e, code_field))
            .collect();
        body.insert("errors".to_owned(), Value::Array(errors));
    }
    if let Some(data) = &response.data {
        body.insert(
            "data".to_owned(),
            serde_json::to_value(data).unwrap_or(Value::Null),
        );
    }
    Value::Object(body)
}

fn error(api: &dyn GraphqlApi, error: &ResponseError, code_field: bool) -> Value {
    let mut entry = Map::new();
    entry.insert("message".to_owned(), json!(error.message));
    if !error.locations.is_empty() {
        entry.insert("locations".to_owned(), json!(error.locations));
    }
    if !error.path.is_empty() {
        let path: Vec<Value> = error
            .path
            .iter()
            .map(|segment| match segment {
                PathSegment::Field(name) => json!(name),
                PathSegment::Index(i) => json!(i),
            })
            .collect();
        entry.insert("path".to_owned(), Value::Array(path));
    }
    let extensions: Map<String, Value> = error
        .extensions
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_owned(),
                serde_json::to_value(v).unwrap_or(Value::Null),
            )
        })
        .collect();
    let code = api.error_code(error.code);
    match api.rules().error_format.map(|f| f.style) {
        Some(ErrorStyle::ErrorCodeField) => {
            if code_field {
                entry.insert("errorCode".to_owned(), json!(code));
            }
            entry.extend(extensions);
        }
        Some(ErrorStyle::MessageOnly) => {
            if !extensions.is_empty() {
                entry.insert("extensions".to_owned(), Value::Object(extensions));
            }
        }
        Some(ErrorStyle::ExtensionsCode | ErrorStyle::HttpStatus) | None => {
            let mut extensions = extensions;
            if code_field {
                extensions.insert("code".to_owned(), json!(code));
            }
            entry.insert("extensions".to_owned(), Value::Object(extensions));
        }
    }
    Value::Object(entry)
}
