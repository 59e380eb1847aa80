//! Load benchmark on loopback, three scenarios: Greenhouse's documented `employees(first: 25)` query (with department
//! and custom field values) over GraphQL, Workable's `GET /members` page of 50 over REST, and Worksome's Lighthouse
//! paginator `jobs` read back (with each job's company) through the generic entity store. Each runs against the
//! reference server, then the same response bytes are served by axum as static JSON (the ceiling of this machine and
//! this client). Prints requests per second and latency percentiles for both, and their ratio.
//!
//! `cargo bench -p reference-server --bench load` (optional: `LOAD_SECONDS`, `LOAD_CONNECTIONS`).
//! Client and server share the machine: on 2 cores, the client's own cost is part of both figures.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::routing::any;
use bytes::Bytes;
use hdrhistogram::Histogram;
use http_body_util::{BodyExt, Full};
use hyper::Request;
use hyper_util::rt::TokioIo;
use reference_server::options::RateLimitOverride;
use reference_server::{Options, ServerConfig};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const QUERY: &str = "{ employees(first: 25) { pageInfo { hasNextPage endCursor } edges { node { id email firstName lastName \
                     department { id name } customFieldValues { customField { id fieldType } value } } } } }";

const WORKSOME_QUERY: &str = "{ jobs(first: 10) { paginatorInfo { count currentPage firstItem lastItem \
                              hasMorePages lastPage perPage total } data { id name status company { id name } } } }";

const CREATE_JOB: &str = "mutation { createJob(input: {company: \"1\", name: \"Load tester\", skills: [\"QA\"]}) \
                          { id } }";

/// One request, sent again and again.
#[derive(Clone)]
struct Scenario {
    name: &'static str,
    method: &'static str,
    path: &'static str,
    authorization: Arc<str>,
    body: Bytes,
}

struct Run {
    requests: u64,
    seconds: f64,
    latency: Histogram<u64>,
}

fn main() {
    let seconds: u64 = std::env::var("LOAD_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10);
    let connections: usize = std::env::var("LOAD_CONNECTIONS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(32);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let unlimited = |api: &str| RateLimitOverride {
            api: api.into(),
            token_kind: None,
            limit: Some(u32::MAX),
            window_seconds: None,
        };
        let config = ServerConfig {
            rate_limits: vec![
                unlimited("greenhouse_onboarding"),
                unlimited("workable_members"),
                unlimited("worksome"),
            ],
            ..ServerConfig::default()
        };
        let server = serve(reference_server::app(&Options {
            config,
            ..Options::default()
        }))
        .await;
        let credentials = reference_server::fixtures::credentials(0);
        let authorization = |name: &str| -> Arc<str> {
            credentials
                .iter()
                .find(|c| c.name == name)
                .unwrap()
                .authorization
                .as_str()
                .into()
        };
        let scenarios = [
            Scenario {
                name: "greenhouse employees(first: 25), GraphQL",
                method: "POST",
                path: "/greenhouse/graphql",
                authorization: authorization("api_key"),
                body: serde_json::json!({ "query": QUERY }).to_string().into(),
            },
            Scenario {
                name: "workable GET /members?limit=50, REST",
                method: "GET",
                path: "/workable/spi/v3/accounts/acme/members?limit=50",
                authorization: authorization("acme/oauth"),
                body: Bytes::new(),
            },
            Scenario {
                name: "worksome jobs(first: 10), Lighthouse paginator",
                method: "POST",
                path: "/worksome/graphql",
                authorization: authorization("company-acme"),
                body: serde_json::json!({ "query": WORKSOME_QUERY })
                    .to_string()
                    .into(),
            },
        ];
        // Enough Worksome jobs for a full page of 10 (the fixtures hold four).
        let create_job = Scenario {
            name: "worksome createJob",
            method: "POST",
            path: "/worksome/graphql",
            authorization: authorization("company-acme"),
            body: serde_json::json!({ "query": CREATE_JOB })
                .to_string()
                .into(),
        };
        for _ in 0..16 {
            let created = one(server, &create_job).await;
            assert!(
                created.starts_with(b"{\"data\""),
                "{}",
                String::from_utf8_lossy(&created)
            );
        }
        println!("{connections} connections, {seconds} s each run");
        for scenario in scenarios {
            let sample = one(server, &scenario).await;
            assert!(
                sample.starts_with(b"{\"data\"") || sample.starts_with(b"{\"members\""),
                "{}",
                String::from_utf8_lossy(&sample)
            );
            let real = load(server, &scenario, connections, seconds).await;
            let ceiling_bytes = sample.clone();
            let ceiling = serve(Router::new().fallback(any(move || {
                let bytes = ceiling_bytes.clone();
                async move { ([("content-type", "application/json")], bytes) }
            })))
            .await;
            let ceiling = load(ceiling, &scenario, connections, seconds).await;
            println!("\n{} (response: {} bytes)", scenario.name, sample.len());
            report("reference server", &real);
            report("static JSON (ceiling)", &ceiling);
            let ratio =
                (real.requests as f64 / real.seconds) / (ceiling.requests as f64 / ceiling.seconds);
            println!("ratio to the ceiling: {:.1}%", ratio * 100.0);
        }
    });
}

async fn serve(app: Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(axum::serve(listener, app).into_future());
    address
}

async fn connect(address: SocketAddr) -> hyper::client::conn::http1::SendRequest<Full<Bytes>> {
    let stream = tokio::net::TcpStream::connect(address).await.unwrap();
    stream.set_nodelay(true).unwrap();
    let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .unwrap();
    tokio::spawn(connection);
    sender
}

fn request(address: SocketAddr, scenario: &Scenario) -> Request<Full<Bytes>> {
    Request::builder()
        .method(scenario.method)
        .uri(scenario.path)
        .header("host", address.to_string())
        .header("content-type", "application/json")
        .header("authorization", &*scenario.authorization)
        .body(Full::new(scenario.body.clone()))
        .unwrap()
}

async fn one(address: SocketAddr, scenario: &Scenario) -> Bytes {
    let mut sender = connect(address).await;
    let response = sender
        .send_request(request(address, scenario))
        .await
        .unwrap();
    response.into_body().collect().await.unwrap().to_bytes()
}

/// `connections` keep-alive connections, each sending the request again as soon as the answer is read.
async fn load(address: SocketAddr, scenario: &Scenario, connections: usize, seconds: u64) -> Run {
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let tasks: Vec<_> = (0..connections)
        .map(|_| {
            let scenario = scenario.clone();
            tokio::spawn(async move {
                let mut sender = connect(address).await;
                let mut latency = Histogram::<u64>::new(3).unwrap();
                while Instant::now() < deadline {
                    let sent = Instant::now();
                    let response = sender
                        .send_request(request(address, &scenario))
                        .await
                        .unwrap();
                    assert!(response.status().is_success());
                    response.into_body().collect().await.unwrap();
                    latency.record(sent.elapsed().as_micros() as u64).unwrap();
                }
                latency
            })
        })
        .collect();
    let mut latency = Histogram::<u64>::new(3).unwrap();
    for task in tasks {
        latency.add(task.await.unwrap()).unwrap();
    }
    Run {
        requests: latency.len(),
        seconds: started.elapsed().as_secs_f64(),
        latency,
    }
}

fn report(name: &str, run: &Run) {
    let ms = |q: f64| run.latency.value_at_quantile(q) as f64 / 1000.0;
    println!(
        "{name:<24} {:>8.0} req/s   p50 {:.2} ms   p99 {:.2} ms   p99.9 {:.2} ms   ({} requests)",
        run.requests as f64 / run.seconds,
        ms(0.5),
        ms(0.99),
        ms(0.999),
        run.requests
    );
}
