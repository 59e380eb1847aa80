//! T1: the promises of GraphQL over HTTP (graphql.github.io/graphql-over-http) that no other property exercises: a
//! query over GET is served, a mutation over GET is refused with 405 and `Allow` and writes nothing (read back),
//! `application/graphql-response+json` is negotiated with its statuses, and a body of another media type is refused.

use serde_json::Value;

use crate::client::{Request, Response};
use crate::ensure;
use crate::graphql::Reply;
use crate::property::{Case, CaseResult, Check, Context, Group, Property, check_once};

pub static T1: Property = Property {
    id: "T1",
    name: "graphql-over-http",
    statement: "A query over GET is served as over POST; a mutation over GET gets 405 with an Allow header naming POST and writes nothing; Accept: application/graphql-response+json gets that media type, with a 4xx for a request error; an Accept the server cannot satisfy gets 406 or application/json; a body of another media type gets a 4xx.",
    group: Group::Transport,
    writes: true,
    max_cases: Some(1),
    run,
};

const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json";

fn run(cx: &Context<'_>) -> Check {
    check_once(cx, |case| {
        let query = "{ __typename }";
        get_query_served(case, query)?;
        negotiation(case, query)?;
        other_media_type_refused(case, query)?;
        if !cx.settings.read_only
            && let Some(probe) = crate::properties::write_probe(cx.rules)
            && let Some(mutation) = probe.graphql_mutation
        {
            mutation_over_get_refused(case, probe, mutation)?;
        }
        Ok(())
    })
}

/// A GET of `url` with the GraphQL request in its query string.
fn get(case: &Case<'_, '_>, query: &str) -> Request {
    let mut url = reqwest::Url::parse(&case.cx.target.graphql_url())
        .unwrap_or_else(|_| reqwest::Url::parse("http://invalid.invalid/").expect("a valid URL"));
    url.query_pairs_mut().append_pair("query", query);
    let mut request = Request {
        method: "GET".to_owned(),
        url: url.to_string(),
        headers: vec![("Accept".to_owned(), "application/json".to_owned())],
        body: None,
    };
    if let Some(c) = case.cx.target.primary() {
        request = request.header("Authorization", &c.authorization);
    }
    request
}

fn post(case: &Case<'_, '_>, query: &str, accept: &str) -> Request {
    let mut request = Request::post_json(
        &case.cx.target.graphql_url(),
        serde_json::json!({ "query": query }).to_string(),
    )
    .header("Accept", accept);
    if let Some(c) = case.cx.target.primary() {
        request = request.header("Authorization", &c.authorization);
    }
    request
}

fn media_type(response: &Response) -> String {
    response
        .header("Content-Type")
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

fn get_query_served(case: &Case<'_, '_>, query: &str) -> CaseResult {
    let response = case.send_retrying(|| get(case, query))?;
    let reply = Reply::parse(&response, case.cx.rules)?;
    ensure!(
        response.status == 200
            && !reply.has_errors()
            && reply.body.get("data").is_some_and(Value::is_object),
        "the query `{query}` over GET was not served: HTTP {} {}",
        response.status,
        reply.body
    );
    Ok(())
}

fn negotiation(case: &Case<'_, '_>, query: &str) -> CaseResult {
    let served = case.send_retrying(|| post(case, query, GRAPHQL_RESPONSE_JSON))?;
    ensure!(
        served.status == 200 && media_type(&served) == GRAPHQL_RESPONSE_JSON,
        "a query with Accept: {GRAPHQL_RESPONSE_JSON} got HTTP {} with Content-Type `{}`; the spec wants 200 with \
         that media type",
        served.status,
        served.header("Content-Type").unwrap_or("")
    );
    let broken = case.send_retrying(|| post(case, "{ __typename", GRAPHQL_RESPONSE_JSON))?;
    ensure!(
        (400..500).contains(&broken.status),
        "a request error (a syntax error) under Accept: {GRAPHQL_RESPONSE_JSON} got HTTP {}; a response without \
         data must have a 4xx status",
        broken.status
    );
    let unacceptable = case.send_retrying(|| post(case, query, "application/xml"))?;
    ensure!(
        unacceptable.status == 406
            || (unacceptable.status == 200 && media_type(&unacceptable) == "application/json"),
        "Accept: application/xml got HTTP {} with Content-Type `{}`; the spec wants 406, or application/json",
        unacceptable.status,
        unacceptable.header("Content-Type").unwrap_or("")
    );
    Ok(())
}

fn other_media_type_refused(case: &Case<'_, '_>, query: &str) -> CaseResult {
    let response = case.send_retrying(|| {
        let mut request = post(case, query, "application/json");
        request.headers[0].1 = "text/plain".to_owned();
        request
    })?;
    ensure!(
        (400..500).contains(&response.status),
        "a body sent as text/plain got HTTP {}; a body of a media type the server does not take gets a 4xx (415)",
        response.status
    );
    Ok(())
}

fn mutation_over_get_refused(
    case: &Case<'_, '_>,
    probe: &crate::properties::WriteProbe,
    mutation: fn(&str) -> String,
) -> CaseResult {
    let url = case.cx.target.graphql_url();
    let credential = case.cx.target.primary();
    let marker = format!("conformance-t1-{}", case.cx.settings.seed);
    let prepared = (probe.prepare)(case, &url, credential)?;
    let response = case.send_retrying(|| get(case, &mutation(&marker)))?;
    ensure!(
        response.status == 405,
        "a mutation over GET got HTTP {}; the spec wants 405 (mutations only over POST)",
        response.status
    );
    ensure!(
        response
            .header("Allow")
            .is_some_and(|a| a.to_ascii_uppercase().contains("POST")),
        "a mutation over GET got 405 without an Allow header naming POST"
    );
    ensure!(
        !(probe.find)(case, &url, credential, &prepared, &marker)?,
        "a mutation over GET was refused with 405, yet what it writes ({marker}) is there"
    );
    Ok(())
}
