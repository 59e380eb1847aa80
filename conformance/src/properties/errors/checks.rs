//! The runs of E1–E5: invalid requests checked for their errors' shape, data, codes and internals; malformed HTTP
//! requests for their status and answer.

use proptest::prelude::*;
use serde_json::Value;

use super::entries::{check_codes, check_entries};
use super::invalid::{Cause, invalid_requests, send_invalid};
use crate::client::Request;
use crate::ensure;
use crate::graphql::{Reply, not_found_code, parse_code, validation_code};
use crate::property::{Check, Context, check};

pub(super) fn run_e1(cx: &Context<'_>) -> Check {
    check(cx, invalid_requests(cx), |case, invalid| {
        let reply = send_invalid(case, &invalid)?;
        check_entries(cx, &reply)
    })
}

pub(super) fn run_e2(cx: &Context<'_>) -> Check {
    check(cx, invalid_requests(cx), |case, invalid| {
        let reply = send_invalid(case, &invalid)?;
        match (invalid.cause, &invalid.field) {
            (Cause::NotFound, Some(field)) => {
                let data = reply.body.get("data");
                ensure!(
                    data.is_some_and(Value::is_object),
                    "a field error ({}) must keep `data`, with `{field}` null; got data {}",
                    invalid.what,
                    data.map_or("absent".to_owned(), Value::to_string)
                );
                ensure!(
                    reply.body["data"].get(field).is_some_and(Value::is_null),
                    "a field error ({}) must null `data.{field}`; got {}",
                    invalid.what,
                    reply.body["data"][field.as_str()]
                );
                let named = reply.errors().iter().any(|e| {
                    e.get("path")
                        .and_then(Value::as_array)
                        .and_then(|p| p.first())
                        .and_then(Value::as_str)
                        == Some(field.as_str())
                });
                ensure!(named, "no error names `{field}` in its path");
                Ok(())
            }
            (Cause::Invalid | Cause::Syntax, Some(field)) => {
                // Refused before or during execution: no data, or the field nulled.
                let data = reply.body.get("data");
                let ok = data.is_none_or(Value::is_null)
                    || data.and_then(|d| d.get(field)).is_some_and(Value::is_null);
                ensure!(
                    ok,
                    "an invalid request ({}) must have no data or a null `{field}`; got {}",
                    invalid.what,
                    data.map_or(String::new(), Value::to_string)
                );
                Ok(())
            }
            (_, None) => {
                let data = reply.body.get("data");
                ensure!(
                    data.is_none_or(Value::is_null),
                    "a request error ({}) must have no data; got {}",
                    invalid.what,
                    data.map_or(String::new(), Value::to_string)
                );
                Ok(())
            }
        }
    })
}

pub(super) fn run_e3(cx: &Context<'_>) -> Check {
    check(cx, invalid_requests(cx), |case, invalid| {
        let reply = send_invalid(case, &invalid)?;
        check_codes(cx, &reply)?;
        let parse_status = cx
            .rules
            .error_format
            .as_ref()
            .and_then(|f| f.parse_failure_status);
        if let (Cause::Syntax, Some(status)) = (invalid.cause, parse_status) {
            ensure!(
                reply.status == status,
                "a document that does not parse ({}) must be answered with HTTP {status} (@errorFormat(parseFailureStatus:)); got HTTP {}",
                invalid.what,
                reply.status
            );
        }
        let expected = match invalid.cause {
            Cause::Syntax => parse_code(cx.rules).or_else(|| validation_code(cx.rules)),
            Cause::Invalid => validation_code(cx.rules),
            Cause::NotFound => not_found_code(cx.rules),
        };
        if let Some(code) = expected {
            ensure!(
                reply.has_code(cx.rules, code),
                "an invalid request ({}) must get the code `{code}`; got {}",
                invalid.what,
                reply.error_digest(cx.rules)
            );
        }
        let again = send_invalid(case, &invalid)?;
        ensure!(
            reply.codes(cx.rules) == again.codes(cx.rules),
            "the same invalid request ({}) got different codes: {:?} then {:?}",
            invalid.what,
            reply.codes(cx.rules),
            again.codes(cx.rules)
        );
        Ok(())
    })
}

/// Every response of every property is searched for internals (`Case::send`); E4 sends the requests most likely to
/// show them: invalid ones, whose errors a careless server fills with its exceptions.
pub(super) fn run_e4(cx: &Context<'_>) -> Check {
    check(cx, invalid_requests(cx), |case, invalid| {
        send_invalid(case, &invalid).map(drop)
    })
}

/// A malformed HTTP request.
#[derive(Debug, Clone)]
enum Malformed {
    Body {
        content_type: &'static str,
        body: String,
    },
    NoBody,
}

pub(super) fn run_e5(cx: &Context<'_>) -> Check {
    let body = prop_oneof![
        "[^\\x00]{0,40}",
        Just("{".to_owned()),
        Just("[]".to_owned()),
        Just("null".to_owned()),
        Just("{\"query\": 12}".to_owned()),
        Just("{\"query\": \"{ __typename }\", \"variables\": 7}".to_owned()),
        Just("{\"query\": \"{ __typename }\", \"operationName\": 7}".to_owned()),
        Just("{\"variables\": {}}".to_owned()),
        Just("{\"query\": null}".to_owned()),
        Just(format!("{{\"query\": \"{}\"}}", "{".repeat(300))),
        Just("{\"query\": \"query A { __typename } query B { __typename }\"}".to_owned()),
        Just("{\"query\": \"{ __typename }\", \"operationName\": \"Nope\"}".to_owned()),
    ];
    let strategy = prop_oneof![
        6 => (body, proptest::sample::select(vec![
            "application/json",
            "text/plain",
            "application/graphql-response+json",
            "application/x-www-form-urlencoded",
        ])).prop_map(|(body, content_type)| Malformed::Body { content_type, body }),
        1 => Just(Malformed::NoBody),
    ];
    check(cx, strategy, |case, malformed| {
        let mut request = match &malformed {
            Malformed::Body { content_type, body } => {
                let mut r = Request::post_json(&cx.target.url, body.clone());
                r.headers[0].1 = (*content_type).to_owned();
                r
            }
            Malformed::NoBody => Request {
                method: "POST".to_owned(),
                url: cx.target.url.clone(),
                headers: Vec::new(),
                body: None,
            },
        };
        if let Some(c) = cx.target.primary() {
            request = request.header("Authorization", &c.authorization);
        }
        let response = case.send(request)?;
        ensure!(
            response.status < 500,
            "a malformed request got HTTP {} (a server error)",
            response.status
        );
        if let Some(json) = response.json()
            && json.get("errors").is_some()
        {
            let reply = Reply {
                status: response.status,
                body: json,
            };
            check_entries(cx, &reply)?;
            check_codes(cx, &reply)?;
        }
        Ok(())
    })
}
