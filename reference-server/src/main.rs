//! The `reference-server` command: serves the four HR APIs on one address.
//!
//! Exit codes: 0 after a graceful shutdown (Ctrl-C), 2 for a usage or configuration error, 1 for anything else.

use std::io::IsTerminal as _;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use reference_server::{Fault, Options, ServerConfig, fixtures};
use tracing_subscriber::EnvFilter;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Serves the HR APIs as their documents describe: auth, errors, pagination, rate limits, complexity and role rules.
///
/// Paths: /greenhouse/graphql (Greenhouse Onboarding), /healthmov/graphql (Healthmov User Management),
/// /workable/spi/v3/... and /workable/graphql (Workable members); / lists them. Logs go to stderr (RUST_LOG=debug for more).
#[derive(Debug, Parser)]
#[command(version)]
struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Seed of the deterministic fixtures: the same seed serves the same data.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// A TOML file of settings (body size, document limits, timeouts, connections, CORS, rate-limit overrides,
    /// Healthmov token lifetimes).
    #[arg(long)]
    config: Option<PathBuf>,
    /// Print every setting with its value (the defaults, or those of --config) and a one-line comment, as a TOML
    /// file that --config loads, and exit.
    #[arg(long)]
    print_config: bool,
    /// Inject a named defect (repeatable), to check a conformance harness. See the list below.
    #[arg(long = "fault", value_name = "NAME")]
    faults: Vec<Fault>,
}

/// The help's epilogue: every fault with its one line, and the exit codes.
fn after_help() -> String {
    let mut text = String::from("Faults (--fault NAME):\n");
    for fault in Fault::ALL {
        text.push_str(&format!(
            "  {:<30} [{}] {}\n",
            fault.name(),
            fault.api(),
            fault.description()
        ));
    }
    text.push_str("\nExit codes: 0 after Ctrl-C, 1 on a runtime failure, 2 on a usage or configuration error.");
    text
}

fn main() -> ExitCode {
    use clap::{CommandFactory, FromArgMatches};
    let matches = Args::command().after_help(after_help()).try_get_matches();
    let args = match matches.and_then(|m| Args::from_arg_matches(&m)) {
        Ok(args) => args,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
    let config = match args.config.as_deref().map(ServerConfig::load).transpose() {
        Ok(config) => config.unwrap_or_default(),
        Err(e) => {
            eprintln!("error: {e:#}");
            return ExitCode::from(2);
        }
    };
    if args.print_config {
        print!("{}", config.documented());
        return ExitCode::SUCCESS;
    }
    let options = Options {
        seed: args.seed,
        faults: args.faults.into_iter().collect(),
        config,
    };
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(serve(args.listen, options)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(listen: SocketAddr, options: Options) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {listen}: {e}"))?;
    let address = listener.local_addr()?;
    println!(
        "reference-server listening on http://{address} (seed {})",
        options.seed
    );
    for fault in options.faults.iter() {
        println!("  FAULT ACTIVE: {} ({})", fault.name(), fault.description());
    }
    println!("fixture credentials:");
    for credential in fixtures::credentials(options.seed) {
        println!(
            "  {:<24} {:<16} {}",
            credential.api, credential.name, credential.description
        );
        if credential.login.is_none() {
            println!(
                "  {:<24} {:<16} Authorization: {}",
                "", "", credential.authorization
            );
        }
    }
    reference_server::serve(listener, &options, shutdown()).await?;
    tracing::info!("shut down");
    Ok(())
}

async fn shutdown() {
    if tokio::signal::ctrl_c().await.is_err() {
        std::future::pending::<()>().await;
    }
    tracing::info!("Ctrl-C received; finishing open requests");
}
