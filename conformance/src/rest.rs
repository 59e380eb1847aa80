//! REST calls built from the rules table: a field's `@rest` binding gives the method and path, and each argument's
//! `@restParam` says whether it travels in the path, the query string or the JSON body. Responses are read without
//! trusting their shape: the status, the `X-Rate-Limit-*` headers, and the body when it is JSON.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use runtime::rules::{ApiRules, FieldRules, HttpMethod, ParamLocation, Transport};
use serde_json::{Map, Value};

use crate::client::{Request, Response};
use crate::credentials::Credential;

/// One call of a `@rest` field: its arguments by GraphQL name, placed per `@restParam`.
#[derive(Debug, Clone)]
pub struct Call {
    pub field: &'static FieldRules,
    /// Argument values by GraphQL argument name.
    pub args: Map<String, Value>,
    /// Query pairs sent as they are (after the bound ones): malformed values, or what `paging.next` carries.
    pub raw_query: Vec<(String, String)>,
    /// A body sent as it is instead of the bound body arguments (malformed bodies), with its content type.
    pub raw_body: Option<(String, String)>,
}

impl Call {
    pub fn new(field: &'static FieldRules) -> Self {
        Call {
            field,
            args: Map::new(),
            raw_query: Vec::new(),
            raw_body: None,
        }
    }

    /// Sets an argument.
    pub fn arg(mut self, name: &str, value: impl Into<Value>) -> Self {
        self.args.insert(name.to_owned(), value.into());
        self
    }

    /// The HTTP method of the binding (GET when the field has none, which callers avoid).
    pub fn method(&self) -> HttpMethod {
        self.field
            .rest
            .as_ref()
            .map_or(HttpMethod::Get, |b| b.method)
    }

    /// The request, under `base` (the REST prefix, e.g. `http://host/workable`).
    pub fn request(&self, base: &str, credential: Option<&Credential>) -> Request {
        let Some(binding) = &self.field.rest else {
            return Request {
                method: "GET".to_owned(),
                url: base.to_owned(),
                headers: Vec::new(),
                body: None,
            };
        };
        let mut path = binding.path.to_string();
        let mut query: Vec<(String, String)> = Vec::new();
        let mut body = Map::new();
        for param in binding.params.iter() {
            let Some(value) = self.args.get(&*param.argument) else {
                continue;
            };
            match param.location {
                ParamLocation::Path => {
                    path = path.replace(
                        &format!("{{{}}}", param.wire_name),
                        &encode_segment(&text(value)),
                    );
                }
                ParamLocation::Query => query.push((param.wire_name.to_string(), text(value))),
                ParamLocation::Body => {
                    body.insert(param.wire_name.to_string(), value.clone());
                }
            }
        }
        query.extend(self.raw_query.iter().cloned());
        let mut url = format!("{}{path}", base.trim_end_matches('/'));
        if !query.is_empty() {
            let encoded: Vec<String> = query
                .iter()
                .map(|(k, v)| format!("{}={}", encode_query(k), encode_query(v)))
                .collect();
            url.push('?');
            url.push_str(&encoded.join("&"));
        }
        let has_body = binding
            .params
            .iter()
            .any(|p| p.location == ParamLocation::Body);
        let mut request = Request {
            method: binding.method.as_str().to_owned(),
            url,
            headers: Vec::new(),
            body: None,
        };
        if let Some((content_type, raw)) = &self.raw_body {
            request
                .headers
                .push(("Content-Type".to_owned(), content_type.clone()));
            request.body = Some(raw.clone());
        } else if has_body {
            request
                .headers
                .push(("Content-Type".to_owned(), "application/json".to_owned()));
            request.body = Some(Value::Object(body).to_string());
        }
        if let Some(c) = credential {
            request = request.header("Authorization", &c.authorization);
        }
        request
    }
}

/// A GET of a URL the target gave (`paging.next`), resolved against `base`. A link to another origin (scheme, host
/// and port) is not followed: the credential is not sent anywhere but to the target.
pub fn follow(base: &str, link: &str, credential: Option<&Credential>) -> Result<Request, String> {
    let url = resolve(base, link).ok_or_else(|| format!("{link:?} is not a URL"))?;
    let origin = |u: &str| {
        reqwest::Url::parse(u).ok().map(|u| {
            (
                u.scheme().to_owned(),
                u.host_str().map(str::to_owned),
                u.port_or_known_default(),
            )
        })
    };
    if origin(&url) != origin(base) {
        return Err(format!(
            "{link:?} leads to another origin than the target's ({base})"
        ));
    }
    let mut request = Request {
        method: "GET".to_owned(),
        url,
        headers: Vec::new(),
        body: None,
    };
    if let Some(c) = credential {
        request = request.header("Authorization", &c.authorization);
    }
    Ok(request)
}

/// A link (absolute, path-absolute or relative) resolved against a base URL.
pub fn resolve(base: &str, link: &str) -> Option<String> {
    let base = reqwest::Url::parse(base).ok()?;
    base.join(link).ok().map(String::from)
}

/// The rules of every field with a `@rest` binding of this method.
pub fn bound(rules: &ApiRules, method: HttpMethod) -> impl Iterator<Item = &FieldRules> {
    rules
        .fields
        .iter()
        .filter(move |f| f.rest.as_ref().is_some_and(|b| b.method == method))
}

/// Whether the API's own transport is REST.
pub fn is_rest(rules: &ApiRules) -> bool {
    rules.transport == Transport::Rest
}

/// The path arguments of a field (those the credential's account fills).
pub fn path_arguments(field: &FieldRules) -> Vec<&str> {
    field
        .rest
        .as_ref()
        .map(|b| {
            b.params
                .iter()
                .filter(|p| p.location == ParamLocation::Path)
                .map(|p| &*p.argument)
                .collect()
        })
        .unwrap_or_default()
}

/// A call of `field` with every path argument set to the credential's account.
pub fn call_for(field: &'static FieldRules, account: &str) -> Call {
    let mut call = Call::new(field);
    for name in path_arguments(field) {
        call = call.arg(name, account);
    }
    call
}

/// The `error` message of an error body (`{"error": "..."}`), when it is one.
pub fn error_message(response: &Response) -> Option<String> {
    response
        .json()?
        .get("error")?
        .as_str()
        .filter(|m| !m.trim().is_empty())
        .map(str::to_owned)
}

/// A short description of a response for messages: status and body, cut.
pub fn digest(response: &Response) -> String {
    let mut body = response.body.replace('\n', " ");
    if body.len() > 300 {
        let mut cut = 300;
        while !body.is_char_boundary(cut) {
            cut -= 1;
        }
        body.truncate(cut);
        body.push('…');
    }
    format!("HTTP {} {body}", response.status)
}

/// The quota a response reports in `X-Rate-Limit-Limit`, `-Remaining` and `-Reset`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderQuota {
    pub limit: Option<i64>,
    pub remaining: Option<i64>,
    /// The raw `X-Rate-Limit-Reset` value.
    pub reset: Option<String>,
}

impl HeaderQuota {
    pub fn of(response: &Response) -> Self {
        let int = |name: &str| response.header(name)?.trim().parse::<i64>().ok();
        HeaderQuota {
            limit: int("X-Rate-Limit-Limit"),
            remaining: int("X-Rate-Limit-Remaining"),
            reset: response
                .header("X-Rate-Limit-Reset")
                .map(|v| v.trim().to_owned()),
        }
    }

    /// Whether all three headers are there.
    pub fn complete(&self) -> bool {
        self.limit.is_some() && self.remaining.is_some() && self.reset.is_some()
    }
}

/// When a reset header value means: a Unix time in seconds (Workable's "timestamp of the next interval"), or, for
/// small values, seconds from now (as `Retry-After`).
pub fn reset_instant(value: &str) -> Option<SystemTime> {
    let n = value.trim().parse::<u64>().ok()?;
    if n >= 1_000_000_000 {
        UNIX_EPOCH.checked_add(Duration::from_secs(n))
    } else {
        SystemTime::now().checked_add(Duration::from_secs(n))
    }
}

/// Time from now until an instant (zero when it has passed).
pub fn until_instant(at: SystemTime) -> Duration {
    at.duration_since(SystemTime::now())
        .unwrap_or(Duration::ZERO)
}

/// How long a throttled response asks to wait: `Retry-After` (seconds), or the time to `X-Rate-Limit-Reset`.
pub fn throttle_wait(response: &Response) -> Option<Duration> {
    if let Some(seconds) = response
        .header("Retry-After")
        .and_then(|v| v.trim().parse::<u64>().ok())
    {
        return Some(Duration::from_secs(seconds));
    }
    let reset = reset_instant(response.header("X-Rate-Limit-Reset")?)?;
    Some(until_instant(reset))
}

/// A JSON value as it appears in a path segment or query string.
pub fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn encode_segment(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn encode_query(s: &str) -> String {
    encode_segment(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_place_arguments_per_rest_param_and_links_resolve() {
        let rules = &generated::workable_members::RULES;
        let put = bound(rules, HttpMethod::Put).next().unwrap();
        let request = call_for(put, "ac me")
            .arg("id", "42")
            .arg("role", "admin")
            .request("http://h:1/workable", None);
        assert_eq!(request.method, "PUT");
        assert_eq!(
            request.url,
            "http://h:1/workable/spi/v3/accounts/ac%20me/members"
        );
        let body: Value = serde_json::from_str(request.body.as_deref().unwrap()).unwrap();
        assert_eq!(body, serde_json::json!({"id": "42", "role": "admin"}));
        let get = bound(rules, HttpMethod::Get).next().unwrap();
        let request = call_for(get, "acme")
            .arg("limit", 3)
            .arg("since_id", "a&b")
            .request("http://h:1/workable/", None);
        assert_eq!(
            request.url,
            "http://h:1/workable/spi/v3/accounts/acme/members?limit=3&since_id=a%26b"
        );
        assert_eq!(
            resolve("http://h:1/workable", "/workable/spi/v3/x?limit=2").as_deref(),
            Some("http://h:1/workable/spi/v3/x?limit=2")
        );
        assert_eq!(
            resolve("http://h:1/workable", "https://other/y").as_deref(),
            Some("https://other/y")
        );
    }
}
