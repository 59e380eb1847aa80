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

/// The `data` of a response as JSON text, written once by the executor: a renderer copies it as it is, or, for a
/// response without errors, takes its buffer as the whole body ([`Data::into_body`]).
#[derive(Clone)]
pub struct Data {
    /// `{"data":` then the JSON text: the prefix is reserved so that the body of a response without errors needs no
    /// copy. Always UTF-8 (serde_json's output and ASCII punctuation).
    buffer: Vec<u8>,
}

/// What [`Data`]'s buffer starts with.
const BODY_PREFIX: &[u8] = b"{\"data\":";

impl Data {
    /// `null`.
    pub fn null() -> Self {
        let mut buffer = Data::buffer(4);
        buffer.extend_from_slice(b"null");
        Data { buffer }
    }

    /// The text of a JSON value.
    pub fn from_value(value: &JsonValue) -> Self {
        let mut buffer = Data::buffer(256);
        match serde_json::to_writer(&mut buffer, value) {
            Ok(()) => Data { buffer },
            Err(_) => Data::null(),
        }
    }

    /// A buffer for the executor to write the JSON text into, after the reserved prefix.
    pub(crate) fn buffer(capacity: usize) -> Vec<u8> {
        let mut buffer = Vec::with_capacity(BODY_PREFIX.len() + capacity + 1);
        buffer.extend_from_slice(BODY_PREFIX);
        buffer
    }

    /// The data from a buffer of [`Data::buffer`] that the executor filled with JSON written by serde_json.
    pub(crate) fn from_buffer(buffer: Vec<u8>) -> Self {
        if buffer.starts_with(BODY_PREFIX) {
            Data { buffer }
        } else {
            Data::null()
        }
    }

    /// The JSON text, as bytes (what a renderer copies).
    pub fn as_bytes(&self) -> &[u8] {
        &self.buffer[BODY_PREFIX.len()..]
    }

    /// The JSON text.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(self.as_bytes()).unwrap_or("null")
    }

    /// The data as a JSON value (parsed: for tests and for callers that inspect it, not for rendering).
    pub fn to_value(&self) -> JsonValue {
        serde_json::from_slice(self.as_bytes()).unwrap_or(JsonValue::Null)
    }

    /// The JSON text of the value of `key` when the data is an object of that one key (a REST transport answers
    /// with a root field's value without parsing the data); `None` for any other shape.
    pub fn only_field(&self, key: &str) -> Option<&[u8]> {
        let value = self
            .as_bytes()
            .strip_prefix(b"{\"")?
            .strip_prefix(key.as_bytes())?
            .strip_prefix(b"\":")?
            .strip_suffix(b"}")?;
        // `{"a":1,"b":2}` would leave `1,"b":2`: only one whole JSON value will do.
        serde_json::from_slice::<serde::de::IgnoredAny>(value).ok()?;
        Some(value)
    }

    /// The body of a response with this data and no errors, `{"data":...}`, in the data's own buffer.
    pub fn into_body(self) -> Vec<u8> {
        let mut body = self.buffer;
        body.push(b'}');
        body
    }
}

impl PartialEq for Data {
    fn eq(&self, other: &Self) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl Eq for Data {}

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
        f.write_str(self.as_str())
    }
}

/// Written as the JSON it holds (verbatim by serde_json's serializer).
impl Serialize for Data {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let raw: &serde_json::value::RawValue =
            serde_json::from_str(self.as_str()).map_err(serde::ser::Error::custom)?;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn data(text: &str) -> Data {
        Data::from_value(&serde_json::from_str(text).unwrap())
    }

    #[test]
    fn only_field_is_the_value_of_the_one_key() {
        let members = data(r#"{"members":{"members":[{"id":"a"}],"paging":{"next":null}}}"#);
        assert_eq!(
            members.only_field("members"),
            Some(&br#"{"members":[{"id":"a"}],"paging":{"next":null}}"#[..])
        );
        assert_eq!(data(r#"{"m":null}"#).only_field("m"), Some(&b"null"[..]));
    }

    #[test]
    fn only_field_refuses_other_shapes() {
        assert_eq!(data(r#"{"a":1,"b":2}"#).only_field("a"), None);
        assert_eq!(data(r#"{"ab":1}"#).only_field("a"), None);
        assert_eq!(data(r#"{"b":1}"#).only_field("a"), None);
        assert_eq!(Data::null().only_field("a"), None);
    }
}
