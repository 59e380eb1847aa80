//! The Worksome API behind the shared GraphQL layer: fixture Bearer tokens, execution by the generic entity store,
//! and errors as Lighthouse answers them behind Worksome's gateway (`extensions.code` from the declared set;
//! the declared refusal messages, with `extensions.guards`; "Too Many Requests" as DOWNSTREAM_SERVICE_ERROR; a parse error
//! with HTTP 400).

use std::sync::Arc;

use futures::FutureExt;
use futures::future::LocalBoxFuture;
use runtime::ErrorCode;
use runtime::dynamic::Dynamic;
use runtime::engine::{Engine, Limits};
use runtime::response::{JsonValue, Response, ResponseError};
use runtime::rules::ApiRules;

use super::schema::{RULES, engine, execute};
use super::tokens;
use crate::api::{AuthFailure, ExecRequest, GraphqlApi, Principal};
use crate::entities::{Caller, Data, Defects, Model, PagingDefects, Store, StoreBackend};
use crate::faults::{Fault, Faults};

/// The fixtures: accounts, users and every kind of entity the mutations act on.
const FIXTURES: &str = include_str!("fixtures.json");

/// The Worksome API over the entity store.
#[derive(Debug)]
pub struct WorksomeApi {
    model: Model,
    store: Store,
    engine: Engine,
    faults: Faults,
}

impl WorksomeApi {
    pub fn new(_seed: u64, faults: Faults, limits: Limits) -> Self {
        let engine = engine(limits);
        let model = Model::new(engine.schema().clone(), &RULES);
        // The fixtures are part of the binary and checked by the tests: they always load.
        let data = Data::from_json(FIXTURES, |t| RULES.entity(t).is_some()).unwrap_or_default();
        WorksomeApi {
            model,
            store: Store::new(data),
            engine,
            faults,
        }
    }

    fn defects(&self) -> Defects {
        let on = |fault| self.faults.is_active(fault);
        Defects {
            paging: PagingDefects {
                last_item_off_by_one: on(Fault::LastItemOffByOne),
                more_pages_on_last: on(Fault::MorePagesOnLastPage),
                page_below_one_served: on(Fault::PageBelowOneServed),
            },
            ownership_ignored: on(Fault::ForeignEntityAccepted),
            absent_clears: on(Fault::UpdateClearsUnmentioned),
            deleted_listed: on(Fault::DeletedStillListed),
            detach_kept: on(Fault::DetachLeavesMembers),
            any_source_status: on(Fault::TransitionFromAnyStatus),
            preconditions_ignored: on(Fault::PreconditionIgnored),
        }
    }
}

impl GraphqlApi for WorksomeApi {
    fn rules(&self) -> &'static ApiRules {
        &RULES
    }

    fn engine(&self) -> &Engine {
        &self.engine
    }

    /// A fixture token; the principal's id is the token (the quota is per token).
    fn authenticate(&self, authorization: Option<&str>) -> Result<Principal, AuthFailure> {
        let token = crate::api::credentials(authorization, "Bearer")?;
        let token = tokens::find(token).ok_or(AuthFailure::Invalid)?;
        let mut roles = vec![token.role.to_owned()];
        // FAULT(allowed-role-refused): a recruiter carries no role, so every role rule refuses it.
        if token.role == "recruiter" && self.faults.is_active(Fault::AllowedRoleRefused) {
            roles.clear();
        }
        // FAULT(worker-allowed-company-only): a worker passes the rules that only companies may.
        if token.role == "worker" && self.faults.is_active(Fault::WorkerAllowedCompanyOnly) {
            roles.push("company".to_owned());
        }
        Ok(Principal {
            id: token.token.to_owned(),
            roles,
            scopes: Vec::new(),
            token_kind: None,
        })
    }

    /// Codes from the declared set: the gateway's own for parse and validation failures, Lighthouse's input
    /// errors as BAD_USER_INPUT, everything the platform refuses as DOWNSTREAM_SERVICE_ERROR.
    fn error_code(&self, code: ErrorCode) -> &'static str {
        match code {
            ErrorCode::ParseFailed => "GRAPHQL_PARSE_FAILED",
            ErrorCode::ValidationFailed | ErrorCode::TooComplex => "GRAPHQL_VALIDATION_FAILED",
            ErrorCode::BadUserInput | ErrorCode::NotFound | ErrorCode::Conflict => "BAD_USER_INPUT",
            _ => "DOWNSTREAM_SERVICE_ERROR",
        }
    }

    fn restate(&self, error: &ResponseError) -> Option<ResponseError> {
        let mut restated = error.clone();
        match error.code {
            // The declared message is the shared layer's; Lighthouse names the guard that refused.
            ErrorCode::Unauthenticated => {
                // FAULT(undeclared-refusal-messages): Laravel's default wording.
                if self.faults.is_active(Fault::UndeclaredRefusalMessages) {
                    restated.message = "Unauthenticated".to_owned();
                }
                restated
                    .extensions
                    .insert("guards", JsonValue::Array(vec![JsonValue::from("api")]));
            }
            ErrorCode::Forbidden if self.faults.is_active(Fault::UndeclaredRefusalMessages) => {
                restated.message = "This action is unauthorized.".to_owned();
            }
            ErrorCode::RateLimited => restated.message = "Too Many Requests".to_owned(),
            // FAULT(validation-without-paths): validation errors lose `extensions.validation`.
            ErrorCode::BadUserInput if self.faults.is_active(Fault::ValidationWithoutPaths) => {
                restated.extensions.remove("validation");
            }
            _ => return None,
        }
        if matches!(
            error.code,
            ErrorCode::Unauthenticated | ErrorCode::RateLimited
        ) {
            restated
                .extensions
                .insert("serviceName", JsonValue::from("platform"));
        }
        Some(restated)
    }

    fn execute(self: Arc<Self>, request: ExecRequest) -> LocalBoxFuture<'static, Response> {
        async move {
            let token = tokens::find(&request.principal.id);
            let caller = Caller {
                role: token.map(|t| t.role.to_owned()),
                account: token.map(|t| t.account.to_owned()),
                user: token.map(|t| t.user.to_owned()),
            };
            let now = chrono::Utc::now()
                .format("%Y-%m-%dT%H:%M:%S%.6fZ")
                .to_string();
            let backend =
                StoreBackend::new(&self.model, &self.store, &caller, &now, self.defects());
            execute(
                &Dynamic(backend),
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
