//! The result of running an operation, before an API renders it in its own error format.

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use crate::error::{ErrorCode, FieldError};

pub use apollo_compiler::response::{JsonMap, JsonValue};

/// A GraphQL response: `data` (absent for a request error, possibly null) and `errors`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Response {
    /// `None` when the request failed before execution (the spec's "request error": no `data` key).
    pub data: Option<Data>,
    pub errors: Vec<ResponseError>,
}

/// The `data` of a response as JSON text, written once by the executor: a renderer copies it as it is.
#[derive(Clone, PartialEq, Eq)]
pub struct Data(String);

impl Data {
    /// `null`.
    pub fn null() -> Self {
        Data("null".to_owned())
    }

    /// The text of a JSON value.
    pub fn from_value(value: &JsonValue) -> Self {
        Data(serde_json::to_string(value).unwrap_or_else(|_| "null".to_owned()))
    }

    /// Text that the executor wrote as JSON (serde_json and ASCII punctuation only, so it is UTF-8).
    pub(crate) fn from_json_bytes(bytes: Vec<u8>) -> Self {
        Data(String::from_utf8(bytes).unwrap_or_else(|_| "null".to_owned()))
    }

    /// The JSON text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The data as a JSON value (parsed: for tests and for callers that inspect it, not for rendering).
    pub fn to_value(&self) -> JsonValue {
        serde_json::from_str(&self.0).unwrap_or(JsonValue::Null)
    }
}

impl Default for Data {
    fn default() -> Self {
        Data::null()
    }
}

impl From<JsonValue> for Data {
    fn from(value: JsonValue) -> Self {
        Data::from_value(&value)
    }
}

impl std::fmt::Debug for Data {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Written as the JSON it holds (verbatim by serde_json's serializer).
impl Serialize for Data {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let raw: &serde_json::value::RawValue =
            serde_json::from_str(&self.0).map_err(serde::ser::Error::custom)?;
        raw.serialize(serializer)
    }
}

impl Response {
    /// A response for a request that failed before execution.
    pub fn request_error(error: ResponseError) -> Self {
        Response {
            data: None,
            errors: vec![error],
        }
    }

    /// Whether execution started (the response has a `data` key).
    pub fn executed(&self) -> bool {
        self.data.is_some()
    }
}

/// One entry of `errors`, with its code kept apart from the API's rendering of it.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseError {
    pub message: String,
    pub locations: Vec<Location>,
    pub path: Vec<PathSegment>,
    pub code: ErrorCode,
    pub extensions: JsonMap,
}

impl ResponseError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ResponseError {
            message: message.into(),
            locations: Vec::new(),
            path: Vec::new(),
            code,
            extensions: JsonMap::new(),
        }
    }

    pub fn at(mut self, location: Option<Location>) -> Self {
        self.locations.extend(location);
        self
    }
}

impl From<FieldError> for ResponseError {
    fn from(e: FieldError) -> Self {
        ResponseError {
            extensions: e.extensions,
            ..ResponseError::new(e.code, e.message)
        }
    }
}

/// A line and column in the request document, both 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Location {
    pub line: usize,
    pub column: usize,
}

/// A step of an error's `path` into `data`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum PathSegment {
    Field(String),
    Index(usize),
}

/// The generic rendering: `extensions.code` holds [`ErrorCode::as_str`]. APIs with their own format render
/// [`ResponseError`] themselves.
impl Serialize for ResponseError {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("message", &self.message)?;
        if !self.locations.is_empty() {
            map.serialize_entry("locations", &self.locations)?;
        }
        if !self.path.is_empty() {
            map.serialize_entry("path", &self.path)?;
        }
        let mut extensions = self.extensions.clone();
        extensions.insert("code", JsonValue::from(self.code.as_str()));
        map.serialize_entry("extensions", &extensions)?;
        map.end()
    }
}

impl Serialize for Response {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        if !self.errors.is_empty() {
            map.serialize_entry("errors", &self.errors)?;
        }
        if let Some(data) = &self.data {
            map.serialize_entry("data", data)?;
        }
        map.end()
    }
}
