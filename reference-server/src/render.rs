//! Renders a GraphQL response in an API's own error format (`@errorFormat`): Greenhouse's top-level `errorCode`,
//! `extensions.code`, or plain messages. Rendering has no side effects and never adds internals; it writes the
//! response straight to bytes, without an intermediate JSON tree (`data` is JSON text already).

use std::sync::atomic::{AtomicU64, Ordering};

use runtime::response::{JsonMap, Response, ResponseError};
use runtime::rules::ErrorStyle;
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::json;

use crate::api::GraphqlApi;
use crate::faults::{Fault, Faults};

/// The response body, in the API's format; `faults` are the server's (only the rendering ones matter here). The
/// errors are serialized; `data`, already JSON text, is copied as it is.
pub fn to_bytes(api: &dyn GraphqlApi, response: &Response, faults: &Faults) -> Vec<u8> {
    let data = response.data.as_ref().map(|data| data.as_bytes());
    let mut out = Vec::with_capacity(data.map_or(0, <[u8]>::len) + 128);
    out.push(b'{');
    if !response.errors.is_empty() {
        let leak = leaked_frame(faults);
        let errors: Vec<RenderedError<'_>> = response
            .errors
            .iter()
            .enumerate()
            .map(|(i, error)| RenderedError {
                api,
                error,
                faults,
                leak: leak.filter(|_| i == 0),
            })
            .collect();
        out.extend_from_slice(b"\"errors\":");
        if serde_json::to_writer(&mut out, &errors).is_err() {
            return br#"{"errors":[{"message":"Internal server error."}]}"#.to_vec();
        }
        if data.is_some() || faults.is_active(Fault::RequestErrorHasData) {
            out.push(b',');
        }
    }
    if let Some(data) = data {
        out.extend_from_slice(b"\"data\":");
        out.extend_from_slice(data);
    } else if !response.errors.is_empty() && faults.is_active(Fault::RequestErrorHasData) {
        // FAULT(request-error-has-data): a request error still carries an (empty) `data`.
        out.extend_from_slice(b"\"data\":{}");
    }
    out.push(b'}');
    out
}

/// FAULT(start-date-misformatted): every `"startDate":"YYYY-MM-DD"` written as `"startDate":"DD/MM/YYYY"`.
fn misformat_start_dates(body: Vec<u8>) -> Vec<u8> {
    const KEY: &[u8] = b"\"startDate\":\"";
    let mut out = Vec::with_capacity(body.len());
    let mut rest = body.as_slice();
    while let Some(at) = rest.windows(KEY.len()).position(|w| w == KEY) {
        let (head, tail) = rest.split_at(at + KEY.len());
        out.extend_from_slice(head);
        match tail.get(..10) {
            Some(date) if date[4] == b'-' && date[7] == b'-' => {
                out.extend_from_slice(&date[8..10]);
                out.push(b'/');
                out.extend_from_slice(&date[5..7]);
                out.push(b'/');
                out.extend_from_slice(&date[..4]);
                rest = &tail[10..];
            }
            _ => rest = tail,
        }
    }
    out.extend_from_slice(rest);
    out
}

/// Stack frames in the forms other servers leak them: Python, Ruby, Node, Java, Go.
const FRAMES: [&str; 5] = [
    "\nTraceback:\n  File \"/srv/app/hr/resolvers.py\", line 88, in resolve_employee",
    " (/var/www/app/graphql/types/query_type.rb:42:in 'block in <class:QueryType>')",
    "\n    at resolveField (/app/node_modules/graphql/execution/execute.js:464:18)",
    "\n\tat com.example.hr.EmployeeResolver.get(EmployeeResolver.java:57)",
    "\ngoroutine 17 [running]:\nmain.(*Resolver).Employee(0xc000012345)\n\t/opt/hr/resolver.go:88 +0x1d",
];

/// FAULT(internals-in-messages): every third response with errors gets the next frame appended to its first message.
fn leaked_frame(faults: &Faults) -> Option<&'static str> {
    static ERROR_RESPONSES: AtomicU64 = AtomicU64::new(0);
    if !faults.is_active(Fault::InternalsInMessages) {
        return None;
    }
    let n = ERROR_RESPONSES.fetch_add(1, Ordering::Relaxed);
    (n % 3 == 2).then(|| FRAMES[(n / 3) as usize % FRAMES.len()])
}

/// The response body, in the API's format: like [`to_bytes`], but a response without errors (the common case) is
/// its data's own buffer, with no copy.
pub fn into_bytes(api: &dyn GraphqlApi, response: Response, faults: &Faults) -> Vec<u8> {
    if faults.is_active(Fault::StartDateMisformatted) {
        return misformat_start_dates(to_bytes(api, &response, faults));
    }
    match response {
        Response {
            data: Some(data),
            errors,
        } if errors.is_empty() => data.into_body(),
        response => to_bytes(api, &response, faults),
    }
}

/// The response body as a JSON value (for tests and callers that inspect it).
pub fn response(api: &dyn GraphqlApi, response: &Response, faults: &Faults) -> serde_json::Value {
    serde_json::from_slice(&to_bytes(api, response, faults)).unwrap_or(serde_json::Value::Null)
}

struct RenderedError<'a> {
    api: &'a dyn GraphqlApi,
    error: &'a ResponseError,
    faults: &'a Faults,
    /// A stack frame to append to the message (a fault).
    leak: Option<&'static str>,
}

impl Serialize for RenderedError<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let restated = self.api.restate(self.error);
        let error = restated.as_ref().unwrap_or(self.error);
        let code = self.api.error_code(error.code);
        let code_field = !self.faults.is_active(Fault::ErrorCodeMissing);
        let mut map = serializer.serialize_map(None)?;
        match self.leak {
            Some(frame) => map.serialize_entry("message", &format!("{}{frame}", error.message))?,
            None => map.serialize_entry("message", &error.message)?,
        }
        // FAULT(field-errors-without-locations): an error with a path (a field error) loses its locations.
        let located =
            !self.faults.is_active(Fault::FieldErrorsWithoutLocations) || error.path.is_empty();
        if !error.locations.is_empty() && located {
            if self.faults.is_active(Fault::ErrorLocationsZeroBased) {
                // FAULT(error-locations-zero-based): lines and columns counted from 0.
                let zero_based: Vec<_> = error
                    .locations
                    .iter()
                    .map(|l| json!({"line": l.line.saturating_sub(1), "column": l.column.saturating_sub(1)}))
                    .collect();
                map.serialize_entry("locations", &zero_based)?;
            } else {
                map.serialize_entry("locations", &error.locations)?;
            }
        }
        if !error.path.is_empty() {
            map.serialize_entry("path", &error.path)?;
        }
        match self.api.rules().error_format.as_ref().map(|f| f.style) {
            Some(ErrorStyle::ErrorCodeField) => {
                if code_field {
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
                if code_field {
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
