//! GraphQL responses as the properties read them, in the API's declared error format, without trusting their
//! shape: every accessor tolerates whatever the target sent.

use std::time::Duration;

use runtime::rules::{ApiRules, ErrorStyle, RateLimitExceeded};
use serde_json::Value;

use crate::client::Response;
use crate::property::CaseError;

/// A GraphQL response body.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub body: Value,
}

impl Reply {
    /// Reads a response as a GraphQL response: a JSON object with `data` or `errors`. Anything else fails the case.
    pub fn parse(response: &Response, rules: &ApiRules) -> Result<Reply, CaseError> {
        if response.status >= 500 {
            return Err(CaseError::fail(format!(
                "expected a GraphQL response, got HTTP {} (a server error)",
                response.status
            )));
        }
        let Some(body) = response.json() else {
            return Err(CaseError::fail(format!(
                "expected a JSON GraphQL response, got HTTP {} with a body that is not JSON",
                response.status
            )));
        };
        if !body.is_object() || (body.get("data").is_none() && body.get("errors").is_none()) {
            return Err(CaseError::fail(format!(
                "expected a GraphQL response (an object with `data` or `errors`), got HTTP {}",
                response.status
            )));
        }
        let reply = Reply {
            status: response.status,
            body,
        };
        if let Some(status) = rules.error_format.as_ref().and_then(|f| f.http_status)
            && reply.status != status
            && !reply.is_rate_limited(rules)
        {
            return Err(CaseError::fail(format!(
                "the API's error format fixes HTTP {status} for every GraphQL response, got HTTP {}",
                reply.status
            )));
        }
        Ok(reply)
    }

    /// `data`, when present and not null.
    pub fn data(&self) -> Option<&Value> {
        self.body.get("data").filter(|d| !d.is_null())
    }

    /// `data.<field>`, when present and not null.
    pub fn field(&self, name: &str) -> Option<&Value> {
        self.data()?.get(name).filter(|v| !v.is_null())
    }

    /// The `message` of each error.
    pub fn messages(&self) -> Vec<&str> {
        self.errors()
            .iter()
            .filter_map(|e| e.get("message").and_then(Value::as_str))
            .collect()
    }

    /// Whether an error carries exactly this message.
    pub fn has_message(&self, message: &str) -> bool {
        self.messages().contains(&message)
    }

    /// The `errors` entries (empty when absent or malformed).
    pub fn errors(&self) -> &[Value] {
        self.body
            .get("errors")
            .and_then(Value::as_array)
            .map_or(&[], Vec::as_slice)
    }

    pub fn has_errors(&self) -> bool {
        !self.errors().is_empty()
    }

    /// The code of each error, where the API's format puts it.
    pub fn codes(&self, rules: &ApiRules) -> Vec<Option<String>> {
        self.errors().iter().map(|e| error_code(e, rules)).collect()
    }

    /// Whether some error carries `code`.
    pub fn has_code(&self, rules: &ApiRules, code: &str) -> bool {
        self.codes(rules).iter().any(|c| c.as_deref() == Some(code))
    }

    /// A one-line digest of the errors, for messages.
    pub fn error_digest(&self, rules: &ApiRules) -> String {
        if self.errors().is_empty() {
            return "no errors".to_owned();
        }
        self.errors()
            .iter()
            .map(|e| {
                let message = e.get("message").and_then(Value::as_str).unwrap_or("?");
                match error_code(e, rules) {
                    Some(code) => format!("{code}: {message}"),
                    None => format!("(no code): {message}"),
                }
            })
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// Whether this is the API's rate-limit refusal.
    pub fn is_rate_limited(&self, rules: &ApiRules) -> bool {
        if self.status == 429 {
            return true;
        }
        match rate_limit_code(rules) {
            Some(code) => self.has_code(rules, code),
            None => false,
        }
    }

    /// How long to wait before a throttled request may succeed, when this reply is a rate-limit refusal.
    pub fn throttled_for(&self, rules: &ApiRules, response: &Response) -> Option<Duration> {
        if !self.is_rate_limited(rules) {
            return None;
        }
        let from_error = self.errors().iter().find_map(|e| {
            let reset = e
                .get("resetAt")
                .or_else(|| e.get("extensions").and_then(|x| x.get("resetAt")))?
                .as_str()?;
            until(reset)
        });
        let from_header = crate::rest::throttle_wait(response);
        Some(
            from_error.or(from_header).unwrap_or(Duration::from_secs(1))
                + Duration::from_millis(50),
        )
    }
}

/// The code of one error entry, where the API's format puts it.
pub fn error_code(error: &Value, rules: &ApiRules) -> Option<String> {
    let style = rules.error_format.as_ref().map(|f| f.style);
    let code = match style {
        Some(ErrorStyle::ErrorCodeField) => error.get("errorCode"),
        _ => error.get("extensions").and_then(|x| x.get("code")),
    };
    code.and_then(Value::as_str).map(str::to_owned)
}

/// The documented code of a rate-limit refusal, when it is a GraphQL error.
pub fn rate_limit_code(rules: &ApiRules) -> Option<&str> {
    if !rules
        .rate_limits
        .iter()
        .any(|r| r.exceeded == RateLimitExceeded::GraphqlError)
    {
        return None;
    }
    rules.error_format.as_ref().and_then(|f| {
        f.codes.iter().map(|c| &**c).find(|c: &&str| {
            c.to_ascii_lowercase()
                .replace(['_', '-'], "")
                .contains("ratelimit")
        })
    })
}

/// The documented code of a credential refusal.
pub fn authentication_code(rules: &ApiRules) -> Option<&str> {
    find_code(
        rules,
        &["authentication", "unauthenticated", "unauthorized"],
    )
}

/// The documented code of a malformed or invalid request.
pub fn validation_code(rules: &ApiRules) -> Option<&str> {
    find_code(
        rules,
        &["validation", "graphql_validation_failed", "bad_user_input"],
    )
}

/// The documented code of an argument value refused (out of range, against a declared rule), where the API tells it
/// from a document that does not validate (Worksome: BAD_USER_INPUT, not GRAPHQL_VALIDATION_FAILED); else its
/// validation code.
pub fn input_code(rules: &ApiRules) -> Option<&str> {
    find_code(rules, &["bad_user_input", "validation"]).or_else(|| validation_code(rules))
}

/// The documented code of a document that does not parse, where the API tells it from other invalid requests.
pub fn parse_code(rules: &ApiRules) -> Option<&str> {
    find_code(rules, &["graphql_parse_failed", "parse_failed"])
}

/// The documented code of an unknown object.
pub fn not_found_code(rules: &ApiRules) -> Option<&str> {
    find_code(rules, &["notfound", "not_found"])
}

fn find_code<'r>(rules: &'r ApiRules, names: &[&str]) -> Option<&'r str> {
    rules.error_format.as_ref().and_then(|f| {
        f.codes.iter().map(|c| &**c).find(|c: &&str| {
            let c = c.to_ascii_lowercase();
            names.iter().any(|n| c == *n)
        })
    })
}

/// Time from now until an RFC 3339 instant (zero if it has passed).
pub fn until(instant: &str) -> Option<Duration> {
    let at = chrono::DateTime::parse_from_rfc3339(instant).ok()?;
    let delta = at.with_timezone(&chrono::Utc) - chrono::Utc::now();
    Some(delta.to_std().unwrap_or(Duration::ZERO))
}

/// Renders a JSON value as a GraphQL literal (object keys unquoted), for inline arguments.
pub fn literal(value: &Value) -> String {
    match value {
        Value::Object(map) => {
            let fields: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{k}: {}", literal(v)))
                .collect();
            format!("{{{}}}", fields.join(", "))
        }
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(literal).collect();
            format!("[{}]", items.join(", "))
        }
        other => other.to_string(),
    }
}
