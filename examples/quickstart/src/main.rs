//! `cargo run -p quickstart`: creates a company, reads the companies back, and prints both responses.
//! `cargo run -p quickstart -- --serve 127.0.0.1:8080`: serves GraphQL at `POST /graphql` instead.

use std::sync::Arc;

use anyhow::Context as _;
use quickstart::App;
use runtime::response::JsonMap;

const CREATE: &str = r#"mutation {
  createCompany(companyName: "Acme", logoUrl: "https://acme.example/logo.png", countryAlpha3Code: "PRT") {
    company { id name }
  }
}"#;

const LIST: &str =
    "{ companies(first: 5) { totalCount edges { cursor node { id name countryAlpha3Code } } } }";

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let app = Arc::new(App::default());
    let mut args = std::env::args().skip(1);
    match (args.next().as_deref(), args.next()) {
        (None, _) => {
            for operation in [CREATE, LIST] {
                let response = app.run(operation, None, &JsonMap::new()).await;
                println!(
                    "{}",
                    serde_json::to_string_pretty(&serde_json::to_value(&response)?)?
                );
            }
        }
        (Some("--serve"), Some(address)) => {
            let listener = tokio::net::TcpListener::bind(&address)
                .await
                .with_context(|| format!("cannot listen on {address}"))?;
            println!("POST GraphQL to http://{address}/graphql");
            axum::serve(listener, quickstart::router(app)).await?;
        }
        _ => anyhow::bail!("usage: quickstart [--serve ADDRESS]"),
    }
    Ok(())
}
