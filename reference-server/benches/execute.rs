//! Per-request cost of the load benchmark's query (`employees(first: 25)` with department and custom field values,
//! ~1000 fields, 18 KB) without HTTP: executed by the fast executor and by the reference one (apollo-compiler's
//! resolvers), rendered to bytes, and through the whole pipeline (prepare from the cache, auth, quota, complexity,
//! execution on the local pool, rendering); and the load benchmark's Worksome query (`jobs(first: 10)`), executed
//! by the entity store through Worksome's generated module.
//!
//! `cargo bench -p reference-server --bench execute` (optional: `EXECUTE_ITERATIONS`, and `EXECUTE_ONLY` to run only
//! the measurements whose name contains it, for profiling).

use std::sync::Arc;
use std::time::Instant;

use reference_server::api::{ComplexityInfo, ExecRequest, GraphqlApi, RequestMeta};
use reference_server::greenhouse::GreenhouseApi;
use reference_server::options::RateLimitOverride;
use reference_server::pipeline::{self, GraphqlRequest, Shared};
use reference_server::worksome::WorksomeApi;
use reference_server::{Faults, Options, ServerConfig, render};
use runtime::engine::Limits;
use runtime::response::Response;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const WORKSOME_QUERY: &str = "{ jobs(first: 10) { paginatorInfo { count currentPage firstItem lastItem \
                              hasMorePages lastPage perPage total } data { id name status company { id name } } } }";

const QUERY: &str = "{ employees(first: 25) { pageInfo { hasNextPage endCursor } edges { node { id email firstName lastName \
                     department { id name } customFieldValues { customField { id fieldType } value } } } } }";

fn main() {
    let iterations: u32 = std::env::var("EXECUTE_ITERATIONS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3000);
    let api = Arc::new(GreenhouseApi::new(0, Faults::default(), Limits::default()));
    let authorization = reference_server::fixtures::credentials(0)
        .into_iter()
        .find(|c| c.api == "greenhouse_onboarding")
        .unwrap()
        .authorization;
    let principal = api.authenticate(Some(&authorization)).unwrap();
    let request = || ExecRequest {
        principal: principal.clone(),
        prepared: api.engine().prepare(QUERY).unwrap(),
        operation_name: None,
        variables: Default::default(),
        meta: RequestMeta {
            complexity: Some(ComplexityInfo {
                score: 1,
                maximum: 2500,
            }),
            rate_limit: None,
            origin: None,
        },
    };
    let fast = |_: u32| futures::executor::block_on(Arc::clone(&api).execute(request()));
    let reference =
        |_: u32| futures::executor::block_on(Arc::clone(&api).execute_reference(request()));
    let sample: Response = fast(0);
    assert!(sample.errors.is_empty(), "{:?}", sample.errors);
    assert_eq!(sample, reference(0), "the executors differ");
    println!(
        "response: {} bytes of data; {iterations} iterations each",
        sample.data.as_ref().map_or(0, |d| d.as_str().len())
    );
    measure("execute (fast executor)", iterations, fast);
    measure("execute (reference executor)", iterations / 10, reference);
    measure("render to bytes", iterations, |_| {
        render::to_bytes(&*api, &sample, &Faults::none())
    });

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let options = Options {
        config: ServerConfig {
            rate_limits: vec![RateLimitOverride {
                api: "greenhouse_onboarding".into(),
                token_kind: None,
                limit: Some(u32::MAX),
                window_seconds: None,
            }],
            ..ServerConfig::default()
        },
        ..Options::default()
    };
    let shared = Shared::new(&options, 1);
    let dyn_api: Arc<dyn GraphqlApi> = api.clone();
    worksome(iterations);
    measure("pipeline (prepare to rendered bytes)", iterations, |_| {
        runtime.block_on(async {
            let request = GraphqlRequest {
                query: QUERY.to_owned(),
                operation_name: None,
                variables: Default::default(),
                authorization: Some(authorization.clone()),
                read_only: false,
                origin: None,
                client: None,
            };
            let outcome = pipeline::run(&dyn_api, &shared, request).await.unwrap();
            render::to_bytes(&*dyn_api, &outcome.response, &Faults::none())
        })
    });
}

/// Worksome's `jobs(first: 10)` (four fixture jobs), executed by the entity store as the backend of the generated
/// module: every job and its company completed and read into their generated structs.
fn worksome(iterations: u32) {
    let api = Arc::new(WorksomeApi::new(0, Faults::default(), Limits::default()));
    let principal = api
        .authenticate(Some("Bearer ws_company_acme_3f9d2a"))
        .unwrap();
    let request = || ExecRequest {
        principal: principal.clone(),
        prepared: api.engine().prepare(WORKSOME_QUERY).unwrap(),
        operation_name: None,
        variables: Default::default(),
        meta: RequestMeta {
            complexity: None,
            rate_limit: None,
            origin: None,
        },
    };
    let sample: Response = futures::executor::block_on(Arc::clone(&api).execute(request()));
    assert!(sample.errors.is_empty(), "{:?}", sample.errors);
    measure(
        "worksome jobs(first: 10) (entity store)",
        iterations,
        |_| futures::executor::block_on(Arc::clone(&api).execute(request())),
    );
}

fn measure<T>(name: &str, iterations: u32, mut f: impl FnMut(u32) -> T) {
    if std::env::var("EXECUTE_ONLY").is_ok_and(|only| !name.contains(&only)) {
        return;
    }
    for i in 0..iterations.div_ceil(10) {
        std::hint::black_box(f(i));
    }
    let started = Instant::now();
    for i in 0..iterations {
        std::hint::black_box(f(i));
    }
    let each = started.elapsed().as_secs_f64() * 1e6 / f64::from(iterations.max(1));
    println!("{name:<40} {each:>9.1} µs/request");
}
