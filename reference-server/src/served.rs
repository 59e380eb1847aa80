//! Tests' way in: one API behind the shared pipeline (authentication, quota, roles, execution, the API's error
//! format), called with a Bearer token as a client would, without HTTP.

use std::sync::Arc;

use serde_json::Value;

use crate::api::GraphqlApi;
use crate::faults::Faults;
use crate::options::Options;
use crate::pipeline::{GraphqlRequest, Shared, run};

pub(crate) struct Served {
    api: Arc<dyn GraphqlApi>,
    shared: Shared,
}

impl Served {
    /// `api` behind a pipeline with `faults` active (those the pipeline itself injects).
    pub(crate) fn new(api: impl GraphqlApi + 'static, faults: Faults) -> Self {
        let options = Options {
            faults,
            ..Options::default()
        };
        Served {
            api: Arc::new(api),
            shared: Shared::new(&options, 1),
        }
    }

    pub(crate) fn api(&self) -> &dyn GraphqlApi {
        self.api.as_ref()
    }

    /// The rendered response to `query` with `variables`, sent with `Bearer token` (or no credentials).
    pub(crate) fn send(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        let request = GraphqlRequest {
            query: query.to_owned(),
            operation_name: None,
            variables: serde_json::from_value(variables).unwrap_or_default(),
            authorization: token.map(|t| format!("Bearer {t}")),
            read_only: false,
            origin: None,
            client: None,
        };
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a current-thread runtime builds");
        let outcome = runtime
            .block_on(run(&self.api, &self.shared, request))
            .expect("the pipeline answers");
        crate::render::response(self.api.as_ref(), &outcome.response, &Faults::none())
    }
}
