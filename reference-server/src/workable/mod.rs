//! Workable SPI v3 members over REST (`GET` and `PUT /spi/v3/accounts/{subdomain}/members`, routed from the schema's
//! `@rest` bindings) and over GraphQL (`/workable/graphql`), through the traits generated from
//! `schemas/workable_members.graphql`.

pub mod fixtures;
pub mod resolvers;
pub mod store;

use std::sync::Arc;

use futures::FutureExt;
use futures::future::LocalBoxFuture;
use runtime::ErrorCode;
use runtime::engine::{Engine, Limits};
use runtime::response::Response;
use runtime::rules::ApiRules;

use crate::api::{AuthFailure, ExecRequest, GraphqlApi, Principal};
use crate::faults::Faults;
use crate::fixtures::FixtureCredential;

pub mod schema {
    //! The code generated from `schemas/workable_members.graphql`, with the server's bindings.
    runtime::include_schema!("workable_members");
}

/// The Workable members API over its store.
#[derive(Debug)]
pub struct WorkableApi {
    store: Arc<store::Store>,
    engine: Engine,
    faults: Faults,
}

impl WorkableApi {
    pub fn new(seed: u64, faults: Faults, limits: Limits) -> Self {
        WorkableApi {
            store: Arc::new(fixtures::store(seed)),
            engine: schema::engine(limits),
            faults,
        }
    }
}

impl GraphqlApi for WorkableApi {
    fn rules(&self) -> &'static ApiRules {
        &schema::RULES
    }

    fn engine(&self) -> &Engine {
        &self.engine
    }

    fn authenticate(&self, authorization: Option<&str>) -> Result<Principal, AuthFailure> {
        let token = crate::api::credentials(authorization, "Bearer")?;
        let token = self.store.token(token).ok_or(AuthFailure::Invalid)?;
        Ok(Principal {
            id: token.token.clone(),
            roles: Vec::new(),
            scopes: token.scopes.clone(),
            token_kind: Some(token.kind.clone()),
        })
    }

    fn error_code(&self, code: ErrorCode) -> &'static str {
        match code {
            ErrorCode::Unauthenticated => "401",
            ErrorCode::Forbidden => "403",
            ErrorCode::NotFound => "404",
            ErrorCode::BadUserInput | ErrorCode::Conflict => "422",
            ErrorCode::RateLimited => "429",
            ErrorCode::ParseFailed | ErrorCode::ValidationFailed | ErrorCode::TooComplex => "400",
            _ => "500",
        }
    }

    fn execute(self: Arc<Self>, request: ExecRequest) -> LocalBoxFuture<'static, Response> {
        self.run(request, false)
    }
}

impl WorkableApi {
    /// Executes like [`GraphqlApi::execute`], through the reference executor only (apollo-compiler's resolvers):
    /// for the differential tests, which check that both executors answer alike. Not for serving.
    #[doc(hidden)]
    pub fn execute_reference(
        self: Arc<Self>,
        request: ExecRequest,
    ) -> LocalBoxFuture<'static, Response> {
        self.run(request, true)
    }

    fn run(
        self: Arc<Self>,
        request: ExecRequest,
        reference: bool,
    ) -> LocalBoxFuture<'static, Response> {
        async move {
            let resolvers = resolvers::Resolvers {
                store: Arc::clone(&self.store),
                principal: request.principal,
                faults: self.faults.clone(),
                path: &schema::RULES.path,
                origin: request.meta.origin.clone(),
            };
            let operation_name = request.operation_name.as_deref();
            let (prepared, variables) = (&request.prepared, &request.variables);
            if reference {
                schema::execute_reference(
                    &resolvers,
                    &self.engine,
                    prepared,
                    operation_name,
                    variables,
                )
                .await
            } else {
                schema::execute(
                    &resolvers,
                    &self.engine,
                    prepared,
                    operation_name,
                    variables,
                )
                .await
            }
        }
        .boxed_local()
    }
}

/// One credential per token of the fixtures.
pub fn credentials(_seed: u64) -> Vec<FixtureCredential> {
    fixtures::tokens()
        .into_iter()
        .map(|token| FixtureCredential {
            api: &schema::RULES.name,
            description: format!(
                "Bearer, {} token of `{}`, scopes {}",
                token.kind,
                token.account,
                token.scopes.join(" ")
            ),
            authorization: format!("Bearer {}", token.token),
            name: token.name,
            roles: Vec::new(),
            scopes: token.scopes,
            token_kind: Some(token.kind),
            account: Some(token.account),
            login: None,
        })
        .collect()
}
