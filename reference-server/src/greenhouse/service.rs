//! [`GreenhouseApi`]: the Greenhouse Onboarding API as the HTTP layer sees it (`crate::api::GraphqlApi`).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use futures::future::LocalBoxFuture;
use runtime::ErrorCode;
use runtime::engine::{Engine, Limits};
use runtime::response::Response;
use runtime::rules::ApiRules;

use super::resolvers::Resolvers;
use super::store::SharedStore;
use super::{auth, fixtures, schema};
use crate::api::{AuthFailure, ExecRequest, GraphqlApi, Principal};
use crate::faults::{Fault, Faults};

/// The Greenhouse Onboarding API over its in-memory store.
#[derive(Debug)]
pub struct GreenhouseApi {
    pub(super) store: SharedStore,
    pub(super) faults: Faults,
    engine: Engine,
    /// Requests executed so far: numbers each request (for the unstable-cursors fault).
    requests: AtomicU64,
}

impl GreenhouseApi {
    /// The API over the fixtures of `seed`, with the given faults injected and request limits.
    pub fn new(seed: u64, faults: Faults, limits: Limits) -> Self {
        GreenhouseApi {
            store: SharedStore::new(fixtures::store(seed)),
            engine: if faults.is_active(Fault::SchemaDrift) {
                drifted_engine(limits)
            } else {
                schema::engine(limits)
            },
            faults,
            requests: AtomicU64::new(0),
        }
    }

    /// The store, for tests that look behind the API.
    pub fn store(&self) -> &SharedStore {
        &self.store
    }
}

impl GraphqlApi for GreenhouseApi {
    fn rules(&self) -> &'static ApiRules {
        &schema::RULES
    }

    fn engine(&self) -> &Engine {
        &self.engine
    }

    fn authenticate(&self, authorization: Option<&str>) -> Result<Principal, AuthFailure> {
        auth::authenticate(authorization, &self.faults)
    }

    fn error_code(&self, code: ErrorCode) -> &'static str {
        match code {
            ErrorCode::ParseFailed
            | ErrorCode::ValidationFailed
            | ErrorCode::BadUserInput
            | ErrorCode::TooComplex => "Validation",
            ErrorCode::Unauthenticated | ErrorCode::Forbidden => "Authentication",
            ErrorCode::NotFound => "NotFound",
            ErrorCode::RateLimited => "RateLimit",
            ErrorCode::Conflict | ErrorCode::Internal => "Server",
            _ => "Server",
        }
    }

    fn execute(self: Arc<Self>, request: ExecRequest) -> LocalBoxFuture<'static, Response> {
        self.run(request, false)
    }
}

impl GreenhouseApi {
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
        let number = self.requests.fetch_add(1, Ordering::Relaxed);
        let ExecRequest {
            principal,
            prepared,
            operation_name,
            variables,
            meta,
        } = request;
        Box::pin(async move {
            let resolvers = Resolvers::new(Arc::clone(&self), principal, meta, number);
            let operation_name = operation_name.as_deref();
            if reference {
                schema::execute_reference(
                    &resolvers,
                    &self.engine,
                    &prepared,
                    operation_name,
                    &variables,
                )
                .await
            } else {
                schema::execute(
                    &resolvers,
                    &self.engine,
                    &prepared,
                    operation_name,
                    &variables,
                )
                .await
            }
        })
    }
}

/// FAULT(schema-drift): an engine over the public SDL with one enum value more than it declares, so that
/// introspection shows a schema the document does not.
fn drifted_engine(limits: Limits) -> Engine {
    let sdl = schema::PUBLIC_SDL.replacen(
        "enum EmploymentStatus {",
        "enum EmploymentStatus {\n  SEASONAL",
        1,
    );
    Engine::new(&sdl, "greenhouse_onboarding.graphql", limits)
}
