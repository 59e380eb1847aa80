//! The generator's quickstart, as the README walks through it: Healthmov's schema turned into Rust by `build.rs`,
//! one query (`companies`) and one mutation (`createCompany`) implemented over companies kept in memory, every other
//! field left to its default answer ("not implemented: Type.field"), and the module served over HTTP with axum.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use axum::extract::State;
use axum::routing::post;
use axum::{Json, Router};
use runtime::engine::{Engine, Limits};
use runtime::response::{JsonMap, Response, ResponseError};
use runtime::{ErrorCode, FieldError, FieldResult, Id};

runtime::include_schema!(pub mod healthmov_user_management);

use healthmov_user_management::{
    Company, CompanyConnection, CompanyEdge, CreateCompanyPayload, MutationCreateCompanyArgs,
    MutationResolvers, PageInfo, QueryCompaniesArgs, QueryResolvers, Resolvers,
};

/// The companies, in memory.
#[derive(Debug, Default)]
pub struct Companies(Mutex<Vec<Company>>);

impl Companies {
    fn list(&self) -> MutexGuard<'_, Vec<Company>> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The most companies one page holds (the schema's `maxPageSize`).
const PAGE: usize = 5;

impl QueryResolvers for Companies {
    /// A page of companies from the start, or after the cursor of `after` (a company's position).
    async fn companies(&self, args: QueryCompaniesArgs) -> FieldResult<Option<CompanyConnection>> {
        if args.last.value().is_some() || args.before.value().is_some() {
            return Err(FieldError::bad_input(
                "this server pages forward only: use first and after",
            ));
        }
        let start = match args.after.value() {
            Some(cursor) => {
                cursor
                    .parse::<usize>()
                    .map_err(|_| FieldError::bad_input(format!("`{cursor}` is not a cursor")))?
                    + 1
            }
            None => 0,
        };
        let first = args
            .first
            .value()
            .map_or(PAGE, |&n| n.clamp(0, PAGE as i32) as usize);
        let all = self.list();
        let edges: Vec<_> = (start..all.len().min(start + first))
            .map(|i| {
                Some(CompanyEdge {
                    cursor: i.to_string(),
                    node: Some(all[i].clone()),
                })
            })
            .collect();
        let cursor = |edge: Option<&Option<CompanyEdge>>| {
            edge.and_then(|e| e.as_ref()).map(|e| e.cursor.clone())
        };
        Ok(Some(CompanyConnection {
            total_count: i32::try_from(all.len()).unwrap_or(i32::MAX),
            page_info: PageInfo {
                has_next_page: start + edges.len() < all.len(),
                has_previous_page: start > 0,
                start_cursor: cursor(edges.first()),
                end_cursor: cursor(edges.last()),
            },
            edges,
        }))
    }
}

impl MutationResolvers for Companies {
    async fn create_company(
        &self,
        args: MutationCreateCompanyArgs,
    ) -> FieldResult<Option<CreateCompanyPayload>> {
        let mut all = self.list();
        let company = Company {
            id: Id::from((all.len() + 1).to_string().as_str()),
            name: args.company_name,
            logo_url: args.logo_url,
            external_id: args.external_id.into_update().flatten(),
            country_alpha3_code: args.country_alpha3_code.into_update().flatten(),
            account_manager: args.account_manager.into_update().flatten(),
            ..Company::default()
        };
        all.push(company.clone());
        Ok(Some(CreateCompanyPayload {
            company: Some(company),
        }))
    }
}

/// What `execute` calls for each type: here the query and mutation roots, both served by `Companies`.
impl Resolvers for Companies {
    fn query(&self) -> &impl QueryResolvers {
        self
    }
    fn mutation(&self) -> &impl MutationResolvers {
        self
    }
}

/// The companies and the engine that parses and validates operations against the schema.
#[derive(Debug)]
pub struct App {
    pub companies: Companies,
    pub engine: Engine,
}

impl Default for App {
    fn default() -> Self {
        App {
            companies: Companies::default(),
            engine: healthmov_user_management::engine(Limits::default()),
        }
    }
}

impl App {
    /// Runs one operation: a document that does not parse or validate is answered with its errors.
    pub async fn run(&self, query: &str, operation: Option<&str>, variables: &JsonMap) -> Response {
        match self.engine.prepare(query) {
            Ok(prepared) => {
                healthmov_user_management::execute(
                    &self.companies,
                    &self.engine,
                    &prepared,
                    operation,
                    variables,
                )
                .await
            }
            Err(errors) => Response { data: None, errors },
        }
    }
}

/// A GraphQL request over HTTP (POST, JSON).
#[derive(Debug, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Request {
    pub query: String,
    pub operation_name: Option<String>,
    pub variables: Option<JsonMap>,
}

/// The app served at `POST /graphql`.
pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/graphql", post(graphql))
        .with_state(app)
}

async fn graphql(State(app): State<Arc<App>>, Json(request): Json<Request>) -> Json<Response> {
    // Execution is not `Send` (apollo-compiler's executor answers introspection), so it runs on a thread of its own.
    let response = tokio::task::spawn_blocking(move || {
        let variables = request.variables.unwrap_or_default();
        let run = app.run(
            &request.query,
            request.operation_name.as_deref(),
            &variables,
        );
        runtime::futures::executor::block_on(run)
    })
    .await;
    Json(response.unwrap_or_else(|_| {
        Response::request_error(ResponseError::new(
            ErrorCode::Internal,
            "the execution failed",
        ))
    }))
}
