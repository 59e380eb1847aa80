//! The Healthmov API behind the shared GraphQL layer: bearer tokens authenticated through the sessions, errors in
//! the message-only format, execution over the store on the API's clock.

use std::sync::Arc;

use futures::FutureExt;
use futures::future::LocalBoxFuture;
use runtime::ErrorCode;
use runtime::engine::{Engine, Limits};
use runtime::response::Response;
use runtime::rules::ApiRules;

use super::clock::Clock;
use super::resolvers::Resolvers;
use super::sessions::{SessionConfig, Sessions};
use super::store::Store;
use super::{fixtures, schema};
use crate::api::{AuthFailure, ExecRequest, GraphqlApi, Principal};
use crate::faults::Faults;

/// The depth of the deepest documented operation: the document limit never refuses the document's own examples.
const DOCUMENTED_DEPTH: usize = 13;

/// The Healthmov User Management API over its store and sessions.
#[derive(Debug)]
pub struct HealthmovApi {
    store: Arc<Store>,
    sessions: Arc<Sessions>,
    clock: Clock,
    engine: Engine,
}

impl HealthmovApi {
    /// The API on the system's clock.
    pub fn new(seed: u64, faults: Faults, limits: Limits, sessions: SessionConfig) -> Self {
        Self::with_clock(seed, faults, limits, sessions, Clock::system())
    }

    /// The API on a given clock (tests set and advance a manual one).
    pub fn with_clock(
        seed: u64,
        faults: Faults,
        limits: Limits,
        sessions: SessionConfig,
        clock: Clock,
    ) -> Self {
        // The document's own "fetch all employees by company and department" query is 13 levels deep.
        let limits = Limits {
            max_depth: limits.max_depth.max(DOCUMENTED_DEPTH),
            ..limits
        };
        HealthmovApi {
            store: Arc::new(Store::new(fixtures::data(seed), faults.clone())),
            sessions: Arc::new(Sessions::new(sessions, clock.clone(), faults)),
            clock,
            engine: schema::engine(limits),
        }
    }
}

impl GraphqlApi for HealthmovApi {
    fn rules(&self) -> &'static ApiRules {
        &schema::RULES
    }

    fn engine(&self) -> &Engine {
        &self.engine
    }

    /// A live access or refresh token. The principal's id is the token itself: the quota is kept per token, and
    /// the resolvers read the session from it.
    fn authenticate(&self, authorization: Option<&str>) -> Result<Principal, AuthFailure> {
        let authorization = authorization.ok_or(AuthFailure::Missing)?;
        let token = authorization
            .strip_prefix("Bearer ")
            .ok_or(AuthFailure::Invalid)?
            .trim();
        self.sessions
            .verify(token)
            .map_err(|_| AuthFailure::Invalid)?;
        Ok(Principal {
            id: token.to_owned(),
            roles: Vec::new(),
            scopes: Vec::new(),
            token_kind: None,
        })
    }

    /// Graphene's errors have no code: this spelling is never rendered (`MESSAGE_ONLY`), only logged.
    fn error_code(&self, code: ErrorCode) -> &'static str {
        code.as_str()
    }

    fn execute(self: Arc<Self>, request: ExecRequest) -> LocalBoxFuture<'static, Response> {
        async move {
            let session = if request.principal.is_anonymous() {
                None
            } else {
                self.sessions.verify(&request.principal.id).ok()
            };
            let resolvers = Resolvers {
                store: Arc::clone(&self.store),
                sessions: Arc::clone(&self.sessions),
                session,
                today: self.clock.today(),
            };
            schema::execute(
                &resolvers,
                &self.engine,
                &request.prepared,
                request.operation_name.as_deref(),
                &request.variables,
            )
            .await
        }
        .boxed_local()
    }
}
