//! The embedded reference server: started in-process on `127.0.0.1:0` when no `--target` is given.
//!
//! Two instances serve the same fixtures with the same faults. The main one has a quota too large to matter, so
//! that the properties are not throttled; the quota one has a small quota and a short window (the `@rateLimit`
//! override of `ServerConfig`), so that the rate-limit properties can exhaust it and watch it reset in seconds.

use std::net::SocketAddr;

use reference_server::options::RateLimitOverride;
use reference_server::{Fault, Options, ServerConfig};
use tokio::sync::oneshot;

/// The quota of the quota instance: requests per window.
pub const QUOTA_LIMIT: u32 = 8;
/// The window of the quota instance, in seconds.
pub const QUOTA_WINDOW_SECONDS: u32 = 1;
/// The quota of the main instance: large enough that no run reaches it.
const MAIN_LIMIT: u32 = 1_000_000;

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
        let apis: Vec<&str> = generated::APIS.iter().map(|r| r.name).collect();
        let quota = |limit: u32, window: u32| ServerConfig {
            rate_limits: apis
                .iter()
                .map(|api| RateLimitOverride {
                    api: (*api).to_owned(),
                    token_kind: None,
                    limit: Some(limit),
                    window_seconds: Some(window),
                })
                .collect(),
            ..ServerConfig::default()
        };
        let options = |config: ServerConfig| Options {
            seed,
            faults: faults.iter().copied().collect(),
            config,
        };
        let mut shutdown = Vec::new();
        let main = serve(runtime, options(quota(MAIN_LIMIT, 3600)), &mut shutdown)?;
        let small = serve(
            runtime,
            options(quota(QUOTA_LIMIT, QUOTA_WINDOW_SECONDS)),
            &mut shutdown,
        )?;
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
        let app = reference_server::app(&options);
        let _ = axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = rx.await;
            })
            .await;
    });
    shutdown.push(tx);
    Ok(address)
}
