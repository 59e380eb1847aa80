//! The `conformance` command line: checks the embedded reference server (no arguments) or any implementation at a
//! URL, prints a summary table, writes the requested reports, and exits 0 (all hold), 1 (some failed) or 2 (usage or
//! configuration error).

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context as _, bail};
use clap::Parser;
use conformance::client::ClientLimits;
use conformance::event::Reporter;
use conformance::property::Settings;
use conformance::report::{ReportSpec, file_reporter, terminal::TerminalReporter};
use conformance::runner::{Mode, RunConfig};
#[cfg(feature = "embedded")]
use reference_server::Fault;

/// The request budget of a run against the embedded server: generous, as the local server has no quota.
#[cfg(feature = "embedded")]
const EMBEDDED_BUDGET: u64 = 50_000;

const AFTER_HELP: &str = "\
MODES:
  conformance [--api NAME]
      Starts the reference server in-process on 127.0.0.1:0 with its fixture credentials and checks every API it
      serves (or only NAME). Built with the default feature `embedded`; a build without it needs --target.
  conformance --target URL --api NAME --credentials FILE
      Checks one API of any implementation. URL is its GraphQL endpoint (e.g. https://host/graphql); for a REST API
      (workable_members) it is the prefix its routes hang below: with https://host/workable the harness calls
      https://host/workable/spi/v3/accounts/{subdomain}/members (and introspects https://host/workable/graphql, if
      the target serves GraphQL there).

CREDENTIALS FILE (TOML; JSON when the name ends in .json), one entry per credential, role, token kind or account:
  [[credential]]
  name = \"api_key\"                 # how reports name it
  authorization = \"Basic ZGVt...\"  # the whole Authorization header value (\"Bearer ...\" for a token)
  roles = []                       # roles it carries (@auth(roles:)), e.g. [\"company\"]
  scopes = []                      # scopes it carries (@requiresScope), e.g. [\"r_jobs\", \"w_members\"]
  token_kind = \"account\"           # optional: its kind (@rateLimit(tokenKinds:)), which picks its quota
  account = \"acme\"                 # optional: the account it is bound to (Workable: the subdomain in the path)
  # username = \"acme-hr\"           # instead of authorization, where tokens come from a login (Healthmov): the
  # password = \"acme-password\"     #   harness logs in and sends the access token it gets
  Give a second credential to check that quotas are kept per credential, and one per role for the role checks.
  Workable: one token with r_jobs and w_members per account to write to (an account with HRIS on, one with HRIS
  off, one with a single admin), a token with r_jobs only (scopes), tokens of two accounts (403 across accounts),
  and an OAuth token (its own quota). List each token's scopes: a credential without `scopes` is not used to find
  missing ones. Healthmov: a username and password per client account, each with its `account`, two accounts at
  least (what one client writes, the other must not see).

  [run]                            # optional: settings of the runs that use this file
  strict = true                    # as --strict

EXIT CODES:
  0  every property that ran holds (not applicable, skipped and inconclusive ones do not fail a run, unless
     --strict; the summary's last line says how many were not checked and why)
  1  at least one property failed (with --strict: or was not applicable or inconclusive)
  2  usage or configuration error; nothing to check (an API with no applicable property, an API the target does
     not serve); or the target stopped answering mid-run

Reports mask the Authorization header and every credential of the run (--show-secrets keeps them). Colour is used
on a terminal, unless NO_COLOR is set.

Against anything but the embedded server, use --read-only for production APIs and keep --rate and --max-requests
within what the target tolerates.";

/// Checks an implementation of the HR APIs against the schemas, with property-based tests.
#[derive(Debug, Parser)]
#[command(name = "conformance", version, after_help = AFTER_HELP)]
struct Args {
    /// The implementation to check: its GraphQL endpoint, or a REST API's prefix; without it, the embedded reference
    /// server is checked.
    #[arg(long, value_name = "URL", requires_all = ["api", "credentials"])]
    target: Option<String>,
    /// Which API the target implements (e.g. greenhouse_onboarding); without --target, the one embedded API to
    /// check.
    #[arg(long, value_name = "NAME")]
    api: Option<String>,
    /// The credentials file for --target (format below).
    #[arg(long, value_name = "FILE", requires = "target")]
    credentials: Option<PathBuf>,
    /// Cases per property (expensive properties run fewer).
    #[arg(long, value_name = "N", default_value_t = 24)]
    cases: u32,
    /// Seed of the generated inputs: the same seed, target and data give the same run. Random when not given.
    #[arg(long, value_name = "S")]
    seed: Option<u64>,
    /// Skip every property that writes (safe against a production API).
    #[arg(long)]
    read_only: bool,
    /// At most this many requests in the run. The plan is fitted to it before the run starts: when the properties'
    /// cases would need more, every property keeps one case and the same share of the rest. Default: 50000 against
    /// the embedded server; against a target 5000, or what its quota serves in 10 minutes where the quota is
    /// reported nowhere and sets the pace (Healthmov: 900).
    #[arg(long, value_name = "N")]
    max_requests: Option<u64>,
    /// At most this many requests a second. Default: unlimited against the embedded server; against a target 10,
    /// and slower where its quota needs it: a quota reported nowhere (Healthmov) is paced to nine tenths of its
    /// declared limit per window (100 a minute: 1.5 a second), one the target reports (Greenhouse, Workable) to what
    /// it reports, when the run needs more than remains. A quota is never paced faster than it allows.
    #[arg(long, value_name = "PER_SECOND")]
    rate: Option<f64>,
    /// Seconds one request may take before it counts as a timeout (a finding).
    #[arg(long, value_name = "SECONDS", default_value_t = 10)]
    timeout: u64,
    /// The longest wait, in seconds, for a quota window to reset (rate-limit properties and throttled requests).
    #[arg(long, value_name = "SECONDS", default_value_t = 10)]
    max_wait: u64,
    /// Start the embedded server with this named defect (repeatable; embedded mode only). See --list-faults.
    #[cfg(feature = "embedded")]
    #[arg(long = "fault", value_name = "NAME", conflicts_with = "target")]
    faults: Vec<Fault>,
    /// Write a report: junit=PATH, json=PATH or html=PATH (repeatable).
    #[arg(long = "report", value_name = "FORMAT=PATH")]
    reports: Vec<ReportSpec>,
    /// Fail the run when a property is not applicable or inconclusive, not only when one fails (for CI; also
    /// `[run] strict = true` in the credentials file).
    #[arg(long)]
    strict: bool,
    /// Stop at the first failing property (the rest are reported skipped).
    #[arg(long)]
    fail_fast: bool,
    /// Keep credentials in the terminal output and the reports (masked by default).
    #[arg(long)]
    show_secrets: bool,
    /// Run only these properties (ids such as P1, repeatable).
    #[arg(long = "only", value_name = "ID")]
    only: Vec<String>,
    /// Report these properties as skipped instead of running them (repeatable), e.g. M2 against a target that
    /// serves one request at a time.
    #[arg(long = "skip", value_name = "ID")]
    skip: Vec<String>,
    /// Keep failing seeds in DIR/<api>/<property>.txt (proptest regression files) and replay them first. Default
    /// against the embedded server: the crate's proptest-regressions/ (seeds that once caught a fault), if present.
    #[arg(long, value_name = "DIR")]
    regressions: Option<PathBuf>,
    /// Seed of the embedded server's fixtures.
    #[cfg(feature = "embedded")]
    #[arg(long, value_name = "N", default_value_t = 0, conflicts_with = "target")]
    server_seed: u64,
    /// No progress bar.
    #[arg(long)]
    quiet: bool,
    /// List the properties (of --api NAME only, when given) and exit.
    #[arg(long)]
    list: bool,
    /// List the embedded server's faults and exit.
    #[cfg(feature = "embedded")]
    #[arg(long)]
    list_faults: bool,
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(args) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(args: Args) -> anyhow::Result<u8> {
    // Lists go through `writeln!`, so that a closed pipe (`conformance --list | head`) ends quietly.
    if args.list {
        let properties = match &args.api {
            Some(api) => conformance::properties::for_api(conformance::runner::rules_of(api)?),
            None => conformance::properties::all(),
        };
        let mut out = std::io::stdout().lock();
        for p in properties {
            if writeln!(out, "{:<4} {:<24} {}", p.id, p.name, p.statement).is_err() {
                break;
            }
        }
        return Ok(0);
    }
    #[cfg(feature = "embedded")]
    if args.list_faults {
        let mut out = std::io::stdout().lock();
        for f in Fault::ALL {
            if writeln!(out, "{:<28} {:<22} {}", f.name(), f.api(), f.description()).is_err() {
                break;
            }
        }
        return Ok(0);
    }
    if args.cases == 0 {
        bail!("--cases must be at least 1");
    }
    if args.rate.is_some_and(|r| r.is_nan() || r <= 0.0) {
        bail!("--rate must be a positive number of requests per second");
    }
    // An unwritable report path is a usage error now, not after the run.
    for spec in &args.reports {
        conformance::report::check_writable(&spec.path)?;
    }
    let embedded = args.target.is_none();
    let mut strict = args.strict;
    // The request budget of a run when `--max-requests` is not given: the embedded server's is fixed, a live
    // target's follows from its quota.
    let (mode, budget) = match (&args.target, &args.api, &args.credentials) {
        #[cfg(feature = "embedded")]
        (None, api, _) => (
            Mode::Embedded {
                faults: args.faults.clone(),
                server_seed: args.server_seed,
                apis: api.iter().cloned().collect(),
            },
            EMBEDDED_BUDGET,
        ),
        #[cfg(not(feature = "embedded"))]
        (None, ..) => bail!(
            "--target is required: this build has no embedded reference server (built without the `embedded` feature)"
        ),
        (Some(url), Some(api), Some(path)) => {
            let loaded = conformance::credentials::load(path)?;
            strict |= loaded.run.strict;
            let credentials = loaded.credentials;
            let rules = conformance::runner::rules_of(api)?;
            let budget = conformance::pacing::default_budget(rules, &credentials);
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                bail!("--target must be an http:// or https:// URL, got `{url}`");
            }
            let mode = Mode::External {
                url: url.clone(),
                api: api.clone(),
                credentials,
            };
            (mode, budget)
        }
        _ => bail!("--target needs --api and --credentials"),
    };
    let seed = args.seed.unwrap_or_else(random_seed);
    let config = RunConfig {
        mode,
        settings: Settings {
            cases: args.cases,
            seed,
            read_only: args.read_only,
            max_wait: Duration::from_secs(args.max_wait),
            regressions: args.regressions.clone().or_else(|| {
                // The seeds kept in the repository, replayed first against the embedded server.
                let dir =
                    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/proptest-regressions"));
                (embedded && dir.is_dir()).then_some(dir)
            }),
            max_shrink_iters: 256,
            rerun: rerun_arguments(&args),
        },
        limits: ClientLimits {
            max_requests: Some(args.max_requests.unwrap_or(budget)),
            rate: args.rate.or(if embedded {
                None
            } else {
                Some(conformance::pacing::TARGET_RATE)
            }),
            timeout: Duration::from_secs(args.timeout.max(1)),
        },
        only: args.only.clone(),
        skip: args.skip.clone(),
        strict,
        fail_fast: args.fail_fast,
        show_secrets: args.show_secrets,
    };
    let mut reporters: Vec<Box<dyn Reporter>> =
        vec![Box::new(TerminalReporter::stdout(!args.quiet))];
    reporters.extend(args.reports.iter().map(file_reporter));
    let summary = conformance::run(&config, &mut reporters).context("the run did not complete")?;
    for spec in &args.reports {
        println!("report written: {}", spec.path.display());
    }
    if let Some(reason) = &summary.stopped {
        eprintln!("error: {reason}");
    } else if summary.failed() == 0 {
        for api in summary.unchecked_apis() {
            eprintln!(
                "error: nothing was checked for `{api}`: every property was not applicable or skipped"
            );
        }
    }
    Ok(summary.exit_code())
}

/// The arguments that decide what this run checks and how, shell-quoted, for the `rerun:` lines (seed, cases, API
/// and property are added per property).
fn rerun_arguments(args: &Args) -> String {
    use conformance::client::shell_quote;
    let mut words: Vec<String> = Vec::new();
    if let (Some(url), Some(path)) = (&args.target, &args.credentials) {
        words.push(format!("--target {}", shell_quote(url)));
        words.push(format!(
            "--credentials {}",
            shell_quote(&path.display().to_string())
        ));
    }
    #[cfg(feature = "embedded")]
    if args.target.is_none() {
        if args.server_seed != 0 {
            words.push(format!("--server-seed {}", args.server_seed));
        }
        words.extend(args.faults.iter().map(|f| format!("--fault {f}")));
    }
    if args.read_only {
        words.push("--read-only".to_owned());
    }
    if let Some(max) = args.max_requests {
        words.push(format!("--max-requests {max}"));
    }
    if let Some(rate) = args.rate {
        words.push(format!("--rate {rate}"));
    }
    if args.timeout != 10 {
        words.push(format!("--timeout {}", args.timeout));
    }
    if args.max_wait != 10 {
        words.push(format!("--max-wait {}", args.max_wait));
    }
    if let Some(dir) = &args.regressions {
        words.push(format!(
            "--regressions {}",
            shell_quote(&dir.display().to_string())
        ));
    }
    words.join(" ")
}

fn random_seed() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    h.finish() % 1_000_000
}
