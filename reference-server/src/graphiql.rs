//! GraphiQL for browsers, offline: the page of each GraphQL endpoint, with the fixture credentials' headers filled
//! in, and its pinned scripts and styles built into the binary (`assets/graphiql/`, whose README names versions and
//! licences).

use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

use crate::fixtures;

/// The page of the endpoint at `path`: its first fixture credential in the Headers tab, and every other one named
/// in a comment of the default query.
pub fn page(path: &str, title: &str, api: &str, seed: u64) -> Html<String> {
    let credentials: Vec<_> = fixtures::credentials(seed)
        .into_iter()
        .filter(|c| c.api == api)
        .collect();
    let headers = credentials.first().map_or_else(
        || "{}".to_owned(),
        |c| serde_json::json!({ "Authorization": c.authorization }).to_string(),
    );
    let mut query =
        format!("# {title}: the Headers tab holds the fixtures' first credential. Others:\n");
    for credential in credentials.iter().skip(1) {
        query.push_str(&format!(
            "#   {}: {{\"Authorization\": \"{}\"}}\n",
            credential.name, credential.authorization
        ));
    }
    query.push_str("{\n  __typename\n}\n");
    Html(
        include_str!("../assets/graphiql/page.html")
            .replace("{{title}}", &html_text(title))
            .replace("{{path}}", &script_string(path))
            .replace("{{headers}}", &script_string(&headers))
            .replace("{{query}}", &script_string(&query)),
    )
}

/// `GET /graphiql/{file}`: one of the pinned assets, cached by browsers for a day.
pub async fn asset(Path(file): Path<String>) -> Response {
    let (body, content_type): (&'static [u8], &str) = match file.as_str() {
        "react.production.min.js" => (
            include_bytes!("../assets/graphiql/react.production.min.js"),
            "text/javascript; charset=utf-8",
        ),
        "react-dom.production.min.js" => (
            include_bytes!("../assets/graphiql/react-dom.production.min.js"),
            "text/javascript; charset=utf-8",
        ),
        "graphiql.min.js" => (
            include_bytes!("../assets/graphiql/graphiql.min.js"),
            "text/javascript; charset=utf-8",
        ),
        "graphiql.min.css" => (
            include_bytes!("../assets/graphiql/graphiql.min.css"),
            "text/css; charset=utf-8",
        ),
        _ => return crate::rest::error_body(StatusCode::NOT_FOUND, "Not found"),
    };
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        body,
    )
        .into_response()
}

/// A JavaScript string literal that cannot end the script element it is in.
fn script_string(text: &str) -> String {
    serde_json::Value::from(text)
        .to_string()
        .replace("</", "<\\/")
}

fn html_text(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
