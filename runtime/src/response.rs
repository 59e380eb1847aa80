//! The result of running an operation, before an API renders it in its own error format.

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use crate::error::{ErrorCode, FieldError};

pub use apollo_compiler::response::{JsonMap, JsonValue};

/// A GraphQL response: `data` (absent for a request error, possibly null) and `errors`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Response {
    /// `None` when the request failed before execution (the spec's "request error": no `data` key).
    pub data: Option<JsonValue>,
    pub errors: Vec<ResponseError>,
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
