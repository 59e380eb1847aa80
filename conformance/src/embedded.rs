//! The embedded reference server: started in-process on `127.0.0.1:0` when no `--target` is given.
//!
//! Two instances serve the same fixtures with the same faults. The main one has a quota too large to matter, so
//! that the properties are not throttled; the quota one has small quotas and short windows (the `@rateLimit`
//! overrides of `ServerConfig`), so that the rate-limit properties can exhaust them and watch them reset in seconds.
//! Where an API's quotas differ by token kind (Workable: 10 requests per 10 s for account tokens, 50 for OAuth), the
//! small quotas keep the declared ratio (two fifths of each), so that the harness can tell the kinds apart.

use std::net::SocketAddr;

use reference_server::healthmov::SessionConfig;
use reference_server::options::RateLimitOverride;
use reference_server::{Fault, Options, ServerConfig};
use tokio::sync::oneshot;

use crate::property::QuotaOverride;

/// The quota of the quota instance: requests per window (token kinds without a quota of their own).
pub const QUOTA_LIMIT: u32 = 8;
/// The window of the quota instance, in seconds.
pub const QUOTA_WINDOW_SECONDS: u32 = 1;
/// The quota of the main instance: large enough that no run reaches it.
const MAIN_LIMIT: u32 = 1_000_000;
/// The lifetimes of Healthmov's access and refresh tokens on the quota instance, where the session property (H1)
/// logs in: short enough that expiry is reached within a case. The main instance keeps the default hours, so that
/// the credentials the runner logs in with outlive the run.
pub const SESSION_SECONDS: (u32, u32) = (2, 4);

/// The quotas of the quota instance for an API: two fifths of the declared limit of each token kind (at least 4) in
/// a one-second window where the API declares quotas per kind; [`QUOTA_LIMIT`] in [`QUOTA_WINDOW_SECONDS`] otherwise.
pub fn quota_overrides(api: &str) -> Vec<QuotaOverride> {
    let mut overrides = vec![QuotaOverride {
        token_kind: None,
        limit: QUOTA_LIMIT,
        window_seconds: QUOTA_WINDOW_SECONDS,
    }];
    if let Some(rules) = generated::APIS.iter().find(|r| r.name == api) {
        for quota in rules.rate_limits.iter() {
            for kind in quota.token_kinds.iter() {
                overrides.push(QuotaOverride {
                    token_kind: Some(kind.to_string()),
                    limit: (quota.limit * 2 / 5).max(4),
                    window_seconds: QUOTA_WINDOW_SECONDS,
                });
            }
        }
    }
    overrides
}

/// The running instances; dropping this shuts them down.
#[derive(Debug)]
pub struct Embedded {
    /// `http://127.0.0.1:PORT` of the main instance.
    pub base_url: String,
    /// `http://127.0.0.1:PORT` of the quota instance.
    pub quota_base_url: String,
    shutdown: Vec<oneshot::Sender<()>>,
}

/// Why the embedded server did not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EmbeddedError {
    #[error("cannot listen on 127.0.0.1:0")]
    Bind(#[source] std::io::Error),
}

impl Embedded {
    /// Starts both instances on `runtime` with the fixtures of `seed` and the given faults.
    pub fn start(
        runtime: &tokio::runtime::Handle,
        seed: u64,
        faults: &[Fault],
    ) -> Result<Self, EmbeddedError> {
        let apis: Vec<&str> = generated::APIS.iter().map(|r| &*r.name).collect();
        let main = ServerConfig {
            rate_limits: apis
                .iter()
                .map(|api| RateLimitOverride {
                    api: (*api).to_owned(),
                    token_kind: None,
                    limit: Some(MAIN_LIMIT),
                    window_seconds: Some(3600),
                })
                .collect(),
            ..ServerConfig::default()
        };
        // The general override first, then the kind-specific ones (the server applies them in order).
        let small = ServerConfig {
            rate_limits: apis
                .iter()
                .flat_map(|api| {
                    quota_overrides(api)
                        .into_iter()
                        .map(|q| RateLimitOverride {
                            api: (*api).to_owned(),
                            token_kind: q.token_kind,
                            limit: Some(q.limit),
                            window_seconds: Some(q.window_seconds),
                        })
                        .collect::<Vec<_>>()
                })
                .collect(),
            ..ServerConfig::default()
        };
        // One signing secret for both instances: a token the runner got from the main one works on the quota one.
        let secret = format!(
            "conformance-{:x}",
            std::process::id() as u64 ^ seed.rotate_left(17) ^ nanos()
        );
        let main = ServerConfig {
            healthmov: SessionConfig {
                jwt_secret: Some(secret.clone()),
                ..SessionConfig::default()
            },
            ..main
        };
        let small = ServerConfig {
            healthmov: SessionConfig {
                access_token_seconds: SESSION_SECONDS.0,
                refresh_token_seconds: SESSION_SECONDS.1,
                jwt_secret: Some(secret),
                ..SessionConfig::default()
            },
            ..small
        };
        let options = |config: ServerConfig| Options {
            seed,
            faults: faults.iter().copied().collect(),
            config,
        };
        let mut shutdown = Vec::new();
        let main = serve(runtime, options(main), &mut shutdown)?;
        let small = serve(runtime, options(small), &mut shutdown)?;
        Ok(Embedded {
            base_url: format!("http://{main}"),
            quota_base_url: format!("http://{small}"),
            shutdown,
        })
    }
}

impl Drop for Embedded {
    fn drop(&mut self) {
        for tx in self.shutdown.drain(..) {
            let _ = tx.send(());
        }
    }
}

fn serve(
    runtime: &tokio::runtime::Handle,
    options: Options,
    shutdown: &mut Vec<oneshot::Sender<()>>,
) -> Result<SocketAddr, EmbeddedError> {
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .map_err(EmbeddedError::Bind)?;
    let address = listener.local_addr().map_err(EmbeddedError::Bind)?;
    let (tx, rx) = oneshot::channel::<()>();
    // The router is built inside the runtime: the server's execution pool spawns its threads there.
    runtime.spawn(async move {
        let _ = reference_server::serve(listener, &options, async {
            let _ = rx.await;
        })
        .await;
    });
    shutdown.push(tx);
    Ok(address)
}

/// The sub-second part of the clock, to vary the secret between runs.
fn nanos() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::from(d.subsec_nanos()))
}
