//! The structured error a resolver returns: a code from a fixed vocabulary, a message, and extensions.
//!
//! Each API's error format (Greenhouse's `errorCode`, Worksome's `extensions.code`, Workable's HTTP statuses) is a
//! rendering of these codes, done by the server, so resolvers never spell an API's wire format.

use std::fmt;

use crate::response::JsonMap;

/// What went wrong, independent of any API's spelling of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorCode {
    /// The document is not syntactically valid GraphQL.
    ParseFailed,
    /// The document does not validate against the schema (or breaks a request limit such as depth or aliases).
    ValidationFailed,
    /// An argument or variable value is unacceptable: wrong type, out of range, breaks a documented rule.
    BadUserInput,
    /// No credentials, or credentials that do not identify anyone.
    Unauthenticated,
    /// Valid credentials that may not do this (a role or scope requirement).
    Forbidden,
    /// The object named does not exist (or is not visible to this caller).
    NotFound,
    /// The request conflicts with the current state (e.g. the object is already being updated).
    Conflict,
    /// The caller's quota is spent until the window resets.
    RateLimited,
    /// The operation scores above the complexity limit.
    TooComplex,
    /// A fault of the server's own; the message never carries internals.
    Internal,
    /// A resolver the implementation has not written yet (the generated default body).
    NotImplemented,
}

impl ErrorCode {
    /// Every code, for exhaustive tables in tests and renderers.
    pub const ALL: [ErrorCode; 11] = [
        ErrorCode::ParseFailed,
        ErrorCode::ValidationFailed,
        ErrorCode::BadUserInput,
        ErrorCode::Unauthenticated,
        ErrorCode::Forbidden,
        ErrorCode::NotFound,
        ErrorCode::Conflict,
        ErrorCode::RateLimited,
        ErrorCode::TooComplex,
        ErrorCode::Internal,
        ErrorCode::NotImplemented,
    ];

    /// A stable `SCREAMING_SNAKE` name, for logs and generic renderings.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::ParseFailed => "PARSE_FAILED",
            ErrorCode::ValidationFailed => "VALIDATION_FAILED",
            ErrorCode::BadUserInput => "BAD_USER_INPUT",
            ErrorCode::Unauthenticated => "UNAUTHENTICATED",
            ErrorCode::Forbidden => "FORBIDDEN",
            ErrorCode::NotFound => "NOT_FOUND",
            ErrorCode::Conflict => "CONFLICT",
            ErrorCode::RateLimited => "RATE_LIMITED",
            ErrorCode::TooComplex => "TOO_COMPLEX",
            ErrorCode::Internal => "INTERNAL",
            ErrorCode::NotImplemented => "NOT_IMPLEMENTED",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error of one field: becomes an entry of the response's `errors`, with the field's path and location.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldError {
    pub code: ErrorCode,
    pub message: String,
    /// Extra members the API's error format places on the error (e.g. Greenhouse's `limit`, `remaining`).
    pub extensions: JsonMap,
}

/// What resolvers return.
pub type FieldResult<T> = Result<T, FieldError>;

impl FieldError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        FieldError {
            code,
            message: message.into(),
            extensions: JsonMap::new(),
        }
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::NotFound, message)
    }

    pub fn bad_input(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::BadUserInput, message)
    }

    /// What a generated resolver method answers until it is implemented: `not implemented: Type.field`, with the
    /// field's schema coordinate in the `coordinate` extension.
    pub fn not_implemented(coordinate: &str) -> Self {
        Self::new(
            ErrorCode::NotImplemented,
            format!("not implemented: {coordinate}"),
        )
        .with_extension("coordinate", coordinate)
    }

    /// Adds one extension member.
    pub fn with_extension(
        mut self,
        key: &str,
        value: impl Into<crate::response::JsonValue>,
    ) -> Self {
        self.extensions.insert(key, value.into());
        self
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for FieldError {}
