//! The HTTP client every property sends through: a request budget, pacing, a per-request timeout, and a record of
//! each exchange (request and response) that renders as a `curl` command replaying it.
//!
//! Nothing a target sends can make this panic: transport failures, timeouts and bodies that are not UTF-8 or not
//! JSON are all values ([`TransportError`], [`Response::json`]) for the properties to judge.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use serde::Serialize;

/// The most of a response body the harness reads; a larger body is a finding.
const MAX_BODY_BYTES: usize = 8 * 1024 * 1024;

/// How the client treats the target.
#[derive(Debug, Clone, Copy)]
pub struct ClientLimits {
    /// No more than this many requests in the whole run; `None`: no limit.
    pub max_requests: Option<u64>,
    /// No more than this many requests a second; `None`: as fast as the target answers.
    pub rate: Option<f64>,
    /// How long one request may take, connection and body included.
    pub timeout: Duration,
}

/// A request as sent.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Request {
    pub method: String,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<String>,
}

impl Request {
    /// A `POST` of a JSON body.
    pub fn post_json(url: &str, body: String) -> Self {
        Request {
            method: "POST".to_owned(),
            url: url.to_owned(),
            headers: vec![("Content-Type".to_owned(), "application/json".to_owned())],
            body: Some(body),
        }
    }

    /// Adds a header.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// A `curl` command line that sends the same request.
    pub fn curl(&self) -> String {
        let mut line = String::from("curl -sS");
        if self.method != "GET" || self.body.is_some() {
            line.push_str(" -X ");
            line.push_str(&self.method);
        }
        line.push(' ');
        line.push_str(&shell_quote(&self.url));
        for (name, value) in &self.headers {
            line.push_str(" -H ");
            line.push_str(&shell_quote(&format!("{name}: {value}")));
        }
        if let Some(body) = &self.body {
            line.push_str(" --data-raw ");
            line.push_str(&shell_quote(body));
        }
        line
    }
}

/// A response as received. The body is kept as text (lossily decoded when it is not UTF-8).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
    pub elapsed_ms: u64,
}

impl Response {
    /// The body as JSON, if it is JSON.
    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_str(&self.body).ok()
    }

    /// The first header of that name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Why no response was had.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TransportError {
    #[error("the request budget of {0} requests is spent")]
    BudgetSpent(u64),
    #[error("no complete response within {0} ms")]
    Timeout(u64),
    #[error("failed to connect: {0}")]
    Connect(String),
    #[error("failed to read the response body: {0}")]
    Body(String),
    #[error("the response body is larger than {0} bytes")]
    BodyTooLarge(usize),
    #[error("the request failed: {0}")]
    Other(String),
}

/// One request and what came back.
#[derive(Debug, Clone, PartialEq)]
pub struct Exchange {
    pub request: Request,
    pub response: Result<Response, TransportError>,
}

/// In reports: `{"request": ..., "response": {...}}`, or `{"request": ..., "error": "..."}` when no response came.
impl Serialize for Exchange {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(2))?;
        map.serialize_entry("request", &self.request)?;
        match &self.response {
            Ok(response) => map.serialize_entry("response", response)?,
            Err(error) => map.serialize_entry("error", &error.to_string())?,
        }
        map.end()
    }
}

impl Exchange {
    /// The response, if one came.
    pub fn ok(&self) -> Option<&Response> {
        self.response.as_ref().ok()
    }

    /// The response rendered for a person: status line and body (pretty-printed when JSON), cut at `max` chars.
    pub fn render_response(&self, max: usize) -> String {
        match &self.response {
            Err(e) => format!("(no response: {e})"),
            Ok(r) => {
                let body = match r.json() {
                    Some(json) => serde_json::to_string_pretty(&json).unwrap_or_default(),
                    None if r.body.is_empty() => "(empty body)".to_owned(),
                    None => r.body.clone(),
                };
                let mut text = format!("HTTP {}\n{}", r.status, body);
                if text.len() > max {
                    let mut cut = max;
                    while !text.is_char_boundary(cut) {
                        cut -= 1;
                    }
                    text.truncate(cut);
                    text.push_str("\n… (cut)");
                }
                text
            }
        }
    }
}

/// Sends requests, counting them against the budget and pacing them.
#[derive(Debug)]
pub struct Client {
    http: reqwest::Client,
    handle: tokio::runtime::Handle,
    limits: ClientLimits,
    sent: AtomicU64,
    next_slot: Mutex<Instant>,
    /// Requests in a row that found no server (refused or timed out), and the last such error.
    unanswered: Mutex<(u32, String)>,
    /// A slower pace than `limits.rate` set during the run (the target's quota), requests a second, and whether it
    /// applies now (not while a rate-limit property exhausts the quota on purpose).
    paced_to: Mutex<Option<f64>>,
    quota_pacing: std::sync::atomic::AtomicBool,
}

/// Requests in a row that must go unanswered (connection refused or timed out) before the target counts as down.
pub const DOWN_AFTER: u32 = 5;

/// Why the client could not be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ClientError {
    #[error("failed to build the HTTP client")]
    Build(#[source] reqwest::Error),
}

impl Client {
    /// A client whose requests run on `handle`. Its methods block: call them from a thread outside the runtime.
    pub fn new(handle: tokio::runtime::Handle, limits: ClientLimits) -> Result<Self, ClientError> {
        let http = http_client(limits.timeout).map_err(ClientError::Build)?;
        Ok(Client {
            http,
            handle,
            limits,
            sent: AtomicU64::new(0),
            next_slot: Mutex::new(Instant::now()),
            unanswered: Mutex::new((0, String::new())),
            paced_to: Mutex::new(None),
            quota_pacing: std::sync::atomic::AtomicBool::new(true),
        })
    }

    /// Applies the pace set by [`Client::slow_to`], or not (a property that must exceed the quota).
    pub fn pace_to_quota(&self, on: bool) {
        self.quota_pacing.store(on, Ordering::SeqCst);
    }

    /// Sends no faster than `rate` requests a second from now on (never faster than `limits.rate`).
    pub fn slow_to(&self, rate: f64) {
        if rate > 0.0 {
            let mut paced = self.paced_to.lock().unwrap_or_else(|e| e.into_inner());
            *paced = Some(paced.map_or(rate, |p| p.min(rate)));
        }
    }

    /// The pace requests are sent at now, requests a second (`None`: as fast as the target answers).
    pub fn rate(&self) -> Option<f64> {
        let paced = *self.paced_to.lock().unwrap_or_else(|e| e.into_inner());
        match (self.limits.rate.filter(|r| *r > 0.0), paced) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Why the target counts as down: the last of [`DOWN_AFTER`] requests in a row that got no answer at all.
    pub fn target_down(&self) -> Option<String> {
        let unanswered = self.unanswered.lock().unwrap_or_else(|e| e.into_inner());
        (unanswered.0 >= DOWN_AFTER).then(|| unanswered.1.clone())
    }

    fn note(&self, response: &Result<Response, TransportError>) {
        let mut unanswered = self.unanswered.lock().unwrap_or_else(|e| e.into_inner());
        match response {
            Err(e @ (TransportError::Connect(_) | TransportError::Timeout(_))) => {
                *unanswered = (unanswered.0 + 1, e.to_string());
            }
            Err(TransportError::BudgetSpent(_)) => {}
            _ => *unanswered = (0, String::new()),
        }
    }

    /// Requests sent so far.
    pub fn requests_sent(&self) -> u64 {
        self.sent.load(Ordering::SeqCst)
    }

    /// Whether the budget is spent.
    pub fn budget_spent(&self) -> bool {
        self.limits
            .max_requests
            .is_some_and(|max| self.requests_sent() >= max)
    }

    /// Sends one request and waits for its whole response.
    pub fn send(&self, request: Request) -> Exchange {
        if let Some(max) = self.limits.max_requests {
            let previous = self.sent.fetch_add(1, Ordering::SeqCst);
            if previous >= max {
                self.sent.fetch_sub(1, Ordering::SeqCst);
                return Exchange {
                    request,
                    response: Err(TransportError::BudgetSpent(max)),
                };
            }
        } else {
            self.sent.fetch_add(1, Ordering::SeqCst);
        }
        self.pace();
        let response = self.handle.block_on(self.perform(&request));
        self.note(&response);
        Exchange { request, response }
    }

    /// Sends requests at once, each on its own connection, and waits for every response: for properties about
    /// concurrent requests. The burst is paced as one request (its members must overlap), but each counts against
    /// the budget.
    pub fn send_concurrently(&self, requests: Vec<Request>) -> Vec<Exchange> {
        let mut admitted = Vec::new();
        let mut refused = Vec::new();
        for (i, request) in requests.into_iter().enumerate() {
            let over = self.limits.max_requests.is_some_and(|max| {
                let previous = self.sent.fetch_add(1, Ordering::SeqCst);
                if previous >= max {
                    self.sent.fetch_sub(1, Ordering::SeqCst);
                    true
                } else {
                    false
                }
            });
            if self.limits.max_requests.is_none() {
                self.sent.fetch_add(1, Ordering::SeqCst);
            }
            if over {
                refused.push((i, request));
            } else {
                admitted.push((i, request));
            }
        }
        self.pace();
        let timeout_ms = self.limits.timeout.as_millis() as u64;
        let mut done: Vec<(usize, Exchange)> = self.handle.block_on(async {
            let mut set = tokio::task::JoinSet::new();
            for (i, request) in admitted {
                // A client per request: separate connections, so that the requests really overlap.
                let http = self.build_http().unwrap_or_else(|_| self.http.clone());
                set.spawn(async move {
                    let response = perform(&http, &request, timeout_ms).await;
                    (i, Exchange { request, response })
                });
            }
            let mut done = Vec::new();
            while let Some(joined) = set.join_next().await {
                if let Ok(pair) = joined {
                    done.push(pair);
                }
            }
            done
        });
        let max = self.limits.max_requests.unwrap_or(0);
        done.extend(refused.into_iter().map(|(i, request)| {
            (
                i,
                Exchange {
                    request,
                    response: Err(TransportError::BudgetSpent(max)),
                },
            )
        }));
        done.sort_by_key(|(i, _)| *i);
        for (_, exchange) in &done {
            self.note(&exchange.response);
        }
        done.into_iter().map(|(_, e)| e).collect()
    }

    fn build_http(&self) -> Result<reqwest::Client, reqwest::Error> {
        http_client(self.limits.timeout)
    }

    fn pace(&self) {
        let rate = if self.quota_pacing.load(Ordering::SeqCst) {
            self.rate()
        } else {
            self.limits.rate.filter(|r| *r > 0.0)
        };
        let Some(rate) = rate else { return };
        let interval = Duration::from_secs_f64(1.0 / rate);
        let wait = {
            let mut slot = self.next_slot.lock().unwrap_or_else(|e| e.into_inner());
            let now = Instant::now();
            let start = (*slot).max(now);
            *slot = start + interval;
            start - now
        };
        if !wait.is_zero() {
            std::thread::sleep(wait);
        }
    }

    async fn perform(&self, request: &Request) -> Result<Response, TransportError> {
        perform(&self.http, request, self.limits.timeout.as_millis() as u64).await
    }
}

fn http_client(timeout: Duration) -> Result<reqwest::Client, reqwest::Error> {
    reqwest::Client::builder()
        .timeout(timeout)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("hr-api-conformance/", env!("CARGO_PKG_VERSION")))
        .build()
}

async fn perform(
    http: &reqwest::Client,
    request: &Request,
    timeout_ms: u64,
) -> Result<Response, TransportError> {
    let started = Instant::now();
    let method = reqwest::Method::from_bytes(request.method.as_bytes())
        .map_err(|e| TransportError::Other(e.to_string()))?;
    let mut builder = http.request(method, &request.url);
    for (name, value) in &request.headers {
        builder = builder.header(name, value);
    }
    if let Some(body) = &request.body {
        builder = builder.body(body.clone());
    }
    let mut response = builder.send().await.map_err(|e| classify(e, timeout_ms))?;
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .map(|(n, v)| {
            (
                n.as_str().to_owned(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let mut bytes = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|e| {
        if e.is_timeout() {
            TransportError::Timeout(timeout_ms)
        } else {
            TransportError::Body(error_chain(&e))
        }
    })? {
        bytes.extend_from_slice(&chunk);
        if bytes.len() > MAX_BODY_BYTES {
            return Err(TransportError::BodyTooLarge(MAX_BODY_BYTES));
        }
    }
    Ok(Response {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
        elapsed_ms: started.elapsed().as_millis() as u64,
    })
}

fn classify(error: reqwest::Error, timeout_ms: u64) -> TransportError {
    if error.is_timeout() {
        TransportError::Timeout(timeout_ms)
    } else if error.is_connect() {
        TransportError::Connect(error_chain(&error))
    } else {
        TransportError::Other(error_chain(&error))
    }
}

fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(e) = source {
        text.push_str(": ");
        text.push_str(&e.to_string());
        source = e.source();
    }
    text
}

/// Quotes a word for a POSIX shell.
pub fn shell_quote(word: &str) -> String {
    format!("'{}'", word.replace('\'', r"'\''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn curl_quotes_single_quotes_and_keeps_headers() {
        let request = Request::post_json(
            "http://127.0.0.1:1/g",
            r#"{"query":"{ a(x: \"it's\") }"}"#.into(),
        )
        .header("Authorization", "Basic abc");
        assert_eq!(
            request.curl(),
            r#"curl -sS -X POST 'http://127.0.0.1:1/g' -H 'Content-Type: application/json' -H 'Authorization: Basic abc' --data-raw '{"query":"{ a(x: \"it'\''s\") }"}'"#
        );
    }
}
