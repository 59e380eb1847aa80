//! One case of a property: the requests it sends (through the run's client, throttled ones waited out within
//! `--max-wait`), kept for the failure report, and the ways a case can end (hold, fail, reject its input, or
//! conclude nothing). Every response is searched for leaked internals (E4), in whichever property received it.

use std::cell::RefCell;
use std::time::Duration;

use serde_json::Value;

use crate::client::{Exchange, Request, Response, TransportError};
use crate::credentials::Credential;
use crate::graphql::Reply;
use crate::property::{Context, Group};

/// Why a case did not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaseError {
    /// The target broke the property.
    Fail(String),
    /// The generated input cannot be used (proptest's `Reject`): another is drawn.
    Reject(String),
    /// Nothing can be concluded (budget spent, throttled too long): the property stops.
    Inconclusive(String),
}

impl CaseError {
    pub fn fail(message: impl Into<String>) -> Self {
        CaseError::Fail(message.into())
    }
}

/// The result of one case.
pub type CaseResult = Result<(), CaseError>;

/// Fails the case with a formatted message unless the condition holds.
#[macro_export]
macro_rules! ensure {
    ($cond:expr, $($fmt:tt)+) => {
        if !$cond {
            return Err($crate::property::CaseError::Fail(format!($($fmt)+)));
        }
    };
}

/// One case: sends requests and keeps them for the failure report.
#[derive(Debug)]
pub struct Case<'c, 'a> {
    pub cx: &'c Context<'a>,
    log: RefCell<Vec<Exchange>>,
    /// Whether a throttled request is waited out and sent again (every property but the rate-limit ones).
    pub retry_throttled: bool,
    /// Where [`Case::graphql`] posts: the target's GraphQL endpoint, or its quota instance's for a rate-limit
    /// property (so that what the effects driver sends for one counts against the quota it checks).
    pub graphql_url: String,
}

impl<'c, 'a> Case<'c, 'a> {
    pub fn new(cx: &'c Context<'a>) -> Self {
        let quota = cx.property.group == Group::RateLimits;
        Case {
            cx,
            log: RefCell::new(Vec::new()),
            retry_throttled: !quota,
            graphql_url: if quota {
                crate::property::graphql_endpoint(cx.rules, cx.target.quota_url())
            } else {
                cx.target.graphql_url()
            },
        }
    }

    /// The requests sent so far.
    pub fn exchanges(&self) -> Vec<Exchange> {
        self.log.borrow().clone()
    }

    /// Sends a request and returns the response; no response at all fails the case.
    pub fn send(&self, request: Request) -> Result<Response, CaseError> {
        let exchange = self.cx.client.send(request);
        let response = exchange.response.clone();
        let leak = response
            .as_ref()
            .map_or(Ok(()), |r| no_internals(&exchange.request, r));
        self.log.borrow_mut().push(exchange);
        leak?;
        match response {
            Ok(r) => Ok(r),
            Err(TransportError::BudgetSpent(max)) => Err(CaseError::Inconclusive(format!(
                "the request budget of {max} requests is spent (raise --max-requests)"
            ))),
            Err(e) => match self.cx.client.target_down() {
                // Not a finding about this property: the run stops.
                Some(reason) => Err(CaseError::Inconclusive(format!(
                    "the target stopped answering ({reason})"
                ))),
                None => Err(CaseError::Fail(format!("no response: {e}"))),
            },
        }
    }

    /// Posts a GraphQL operation to the case's endpoint ([`Case::graphql_url`]).
    pub fn graphql(
        &self,
        credential: Option<&Credential>,
        query: &str,
        variables: Option<&Value>,
    ) -> Result<Reply, CaseError> {
        self.graphql_at(&self.graphql_url, credential, query, variables)
    }

    /// Posts a GraphQL operation to `url`. A throttled request is waited out and sent again, unless this is a
    /// rate-limit property.
    pub fn graphql_at(
        &self,
        url: &str,
        credential: Option<&Credential>,
        query: &str,
        variables: Option<&Value>,
    ) -> Result<Reply, CaseError> {
        let mut body = serde_json::json!({ "query": query });
        if let Some(v) = variables {
            body["variables"] = v.clone();
        }
        let body = body.to_string();
        let mut attempts = 0;
        loop {
            let mut request = Request::post_json(url, body.clone());
            if let Some(c) = credential {
                request = request.header("Authorization", &c.authorization);
            }
            let response = self.send(request)?;
            let reply = Reply::parse(&response, self.cx.rules)?;
            // Every data response is checked against the SDL, whatever the property (crate::shape).
            if let Some(data) = reply.body.get("data")
                && let Some(misfit) = crate::shape::misfit(&self.cx.schema.schema, query, data)
            {
                return Err(CaseError::Fail(format!(
                    "the response's data does not fit the SDL: {misfit}"
                )));
            }
            if !self.retry_throttled || attempts >= 3 {
                return Ok(reply);
            }
            let Some(wait) = reply.throttled_for(self.cx.rules, &response) else {
                return Ok(reply);
            };
            if wait > self.cx.settings.max_wait {
                return Err(CaseError::Inconclusive(format!(
                    "the target throttles for {} s, longer than --max-wait {} s",
                    wait.as_secs(),
                    self.cx.settings.max_wait.as_secs()
                )));
            }
            std::thread::sleep(wait);
            attempts += 1;
        }
    }
}

impl Case<'_, '_> {
    /// Sends a REST call to the target (`base` = its REST prefix, or the quota instance's). A throttled request
    /// (429) is waited out and sent again, unless this is a rate-limit property.
    pub fn rest_at(
        &self,
        base: &str,
        call: &crate::rest::Call,
        credential: Option<&Credential>,
    ) -> Result<Response, CaseError> {
        self.send_retrying(|| call.request(base, credential))
    }

    /// Sends a REST call to the target's REST prefix.
    pub fn rest(
        &self,
        call: &crate::rest::Call,
        credential: Option<&Credential>,
    ) -> Result<Response, CaseError> {
        self.rest_at(&self.cx.target.url, call, credential)
    }

    /// Sends a request again while it is throttled (HTTP 429), up to three times, within `--max-wait`.
    pub fn send_retrying(&self, make: impl Fn() -> Request) -> Result<Response, CaseError> {
        let mut attempts = 0;
        loop {
            let response = self.send(make())?;
            if !self.retry_throttled || attempts >= 3 || response.status != 429 {
                return Ok(response);
            }
            self.wait_throttled(&response)?;
            attempts += 1;
        }
    }

    /// Sleeps until a throttled response's quota resets (bounded by `--max-wait`).
    pub fn wait_throttled(&self, response: &Response) -> Result<(), CaseError> {
        let wait = crate::rest::throttle_wait(response).unwrap_or(Duration::from_secs(1))
            + Duration::from_millis(50);
        if wait > self.cx.settings.max_wait + Duration::from_secs(1) {
            return Err(CaseError::Inconclusive(format!(
                "the target throttles for {} s, longer than --max-wait {} s",
                wait.as_secs(),
                self.cx.settings.max_wait.as_secs()
            )));
        }
        std::thread::sleep(wait);
        Ok(())
    }

    /// Sends requests all at once (each on its own connection) and returns their responses in order; no response
    /// at all fails the case.
    pub fn send_concurrently(&self, requests: Vec<Request>) -> Result<Vec<Response>, CaseError> {
        let exchanges = self.cx.client.send_concurrently(requests);
        let mut responses = Vec::new();
        let mut error = None;
        for exchange in exchanges {
            match &exchange.response {
                Ok(r) => {
                    if let Err(leak) = no_internals(&exchange.request, r) {
                        error.get_or_insert(leak);
                    }
                    responses.push(r.clone());
                }
                Err(TransportError::BudgetSpent(max)) => {
                    error.get_or_insert(CaseError::Inconclusive(format!(
                        "the request budget of {max} requests is spent (raise --max-requests)"
                    )));
                }
                Err(e) => {
                    error.get_or_insert(CaseError::Fail(format!("no response: {e}")));
                }
            }
            self.log.borrow_mut().push(exchange);
        }
        match error {
            Some(e) => Err(e),
            None => Ok(responses),
        }
    }
}

/// E4 on every response a case receives, whichever property sent it: no internals in any language's form
/// ([`crate::leaks`]). What the request itself sent (raw or JSON-escaped) is the client's own text quoted back.
fn no_internals(request: &Request, response: &Response) -> Result<(), CaseError> {
    let echoed = |shown: &str| {
        let escaped = shown.replace('\\', "\\\\").replace('"', "\\\"");
        request.url.contains(shown)
            || request
                .body
                .as_deref()
                .is_some_and(|b| b.contains(shown) || b.contains(&escaped))
    };
    match crate::leaks::find(&response.body, response.json().as_ref(), &echoed) {
        Some(leak) => Err(CaseError::fail(format!(
            "the response leaks internals (E4): {leak}"
        ))),
        None => Ok(()),
    }
}
