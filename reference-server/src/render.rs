//! Renders a GraphQL response in an API's own error format (`@errorFormat`): Greenhouse's top-level `errorCode`,
//! `extensions.code`, or plain messages. Rendering has no side effects and never adds internals; it writes the
//! response straight to bytes, without an intermediate JSON tree (`data` is JSON text already).

use runtime::response::{JsonMap, Response, ResponseError};
use runtime::rules::ErrorStyle;
use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::api::GraphqlApi;

/// The response body, in the API's format. `code_field` is false only under the `error-code-missing` fault. The
/// errors are serialized; `data`, already JSON text, is copied as it is.
pub fn to_bytes(api: &dyn GraphqlApi, response: &Response, code_field: bool) -> Vec<u8> {
    let data = response.data.as_ref().map(|data| data.as_bytes());
    let mut out = Vec::with_capacity(data.map_or(0, <[u8]>::len) + 128);
    out.push(b'{');
    if !response.errors.is_empty() {
        let errors: Vec<RenderedError<'_>> = response
            .errors
            .iter()
            .map(|error| RenderedError {
                api,
                error,
                code_field,
            })
            .collect();
        out.extend_from_slice(b"\"errors\":");
        if serde_json::to_writer(&mut out, &errors).is_err() {
            return br#"{"errors":[{"message":"Internal server error."}]}"#.to_vec();
        }
        if data.is_some() {
            out.push(b',');
        }
    }
    if let Some(data) = data {
        out.extend_from_slice(b"\"data\":");
        out.extend_from_slice(data);
    }
    out.push(b'}');
    out
}

/// The response body, in the API's format: like [`to_bytes`], but a response without errors (the common case) is
/// its data's own buffer, with no copy.
pub fn into_bytes(api: &dyn GraphqlApi, response: Response, code_field: bool) -> Vec<u8> {
    match response {
        Response {
            data: Some(data),
            errors,
        } if errors.is_empty() => data.into_body(),
        response => to_bytes(api, &response, code_field),
    }
}

/// The response body as a JSON value (for tests and callers that inspect it).
pub fn response(api: &dyn GraphqlApi, response: &Response, code_field: bool) -> serde_json::Value {
    serde_json::from_slice(&to_bytes(api, response, code_field)).unwrap_or(serde_json::Value::Null)
}

struct RenderedError<'a> {
    api: &'a dyn GraphqlApi,
    error: &'a ResponseError,
    code_field: bool,
}

impl Serialize for RenderedError<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let error = self.error;
        let code = self.api.error_code(error.code);
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("message", &error.message)?;
        if !error.locations.is_empty() {
            map.serialize_entry("locations", &error.locations)?;
        }
        if !error.path.is_empty() {
            map.serialize_entry("path", &error.path)?;
        }
        match self.api.rules().error_format.as_ref().map(|f| f.style) {
            Some(ErrorStyle::ErrorCodeField) => {
                if self.code_field {
                    map.serialize_entry("errorCode", code)?;
                }
                for (key, value) in error
                    .extensions
                    .iter()
                    .filter(|(key, _)| !is_reserved(key.as_str()))
                {
                    map.serialize_entry(key.as_str(), value)?;
                }
            }
            Some(ErrorStyle::MessageOnly) => {
                if !error.extensions.is_empty() {
                    map.serialize_entry("extensions", &error.extensions)?;
                }
            }
            Some(ErrorStyle::ExtensionsCode | ErrorStyle::HttpStatus) | None => {
                let mut extensions: JsonMap = error.extensions.clone();
                if self.code_field {
                    extensions.insert("code", code.into());
                }
                map.serialize_entry("extensions", &extensions)?;
            }
        }
        map.end()
    }
}

/// Members of an error entry that extensions may not overwrite when they are placed at the top level.
fn is_reserved(key: &str) -> bool {
    matches!(key, "message" | "locations" | "path" | "errorCode" | "data")
}
