//! The runner: resolves the targets (the embedded server's APIs, or one external URL), plans the properties of
//! each, runs them one after the other, and emits events for the reporters.

use std::cell::RefCell;
use std::time::{Duration, Instant};

#[cfg(feature = "embedded")]
use reference_server::Fault;
use runtime::rules::ApiRules;

use crate::client::{Client, ClientError, ClientLimits};
use crate::credentials::Credential;
#[cfg(feature = "embedded")]
use crate::embedded::{Embedded, EmbeddedError};
use crate::event::{Event, Reporter};
use crate::outcome::{PropertyResult, RunSummary, Verdict};
use crate::property::{Context, Property, Settings, Target};
use crate::redact::Secrets;
use crate::report::ReportError;
use crate::schema::{SchemaError, SchemaInfo};

/// What to check.
#[derive(Debug, Clone)]
pub enum Mode {
    /// Start the reference server in-process (with these faults) and check every API it serves.
    #[cfg(feature = "embedded")]
    Embedded {
        faults: Vec<Fault>,
        /// Seed of the server's fixtures.
        server_seed: u64,
        /// Check only these APIs (by `@api(name:)`); all that the server serves when empty.
        apis: Vec<String>,
    },
    /// Check one API at a URL.
    External {
        url: String,
        api: String,
        credentials: Vec<Credential>,
    },
}

/// A whole run's configuration.
#[derive(Debug, Clone)]
pub struct RunConfig {
    pub mode: Mode,
    pub settings: Settings,
    pub limits: ClientLimits,
    /// Run only these property ids (all when empty).
    pub only: Vec<String>,
    /// Report these property ids as skipped (a target where they cannot apply).
    pub skip: Vec<String>,
    /// Not-applicable and inconclusive results fail the run (`--strict`, for CI).
    pub strict: bool,
    /// Stop at the first failing property; the rest are reported skipped (`--fail-fast`).
    pub fail_fast: bool,
    /// Keep credentials in the reports instead of masking them (`--show-secrets`).
    pub show_secrets: bool,
}

/// Why a run could not start or finish (not a property failure: those are in the summary).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RunError {
    #[error("unknown API `{name}`; known APIs: {known}")]
    UnknownApi { name: String, known: String },
    #[error("failed to start the async runtime")]
    Runtime(#[source] std::io::Error),
    #[cfg(feature = "embedded")]
    #[error("failed to start the embedded reference server")]
    Embedded(#[source] EmbeddedError),
    #[error(transparent)]
    Client(#[from] ClientError),
    #[error(transparent)]
    Schema(#[from] SchemaError),
    #[error(
        "the embedded reference server serves no API the harness knows (its `/` listed: {listed})"
    )]
    NothingServed { listed: String },
    #[error("no credentials for `{api}`; give at least one with --credentials")]
    NoCredentials { api: String },
    #[error("cannot reach `{url}` ({reason}); check --target")]
    Unreachable { url: String, reason: String },
    #[error("{reason}; the APIs served there: {served}")]
    NotServed { reason: String, served: String },
    #[error("--only or --skip names no known property: {0}")]
    UnknownProperty(String),
    #[error(transparent)]
    Report(#[from] ReportError),
    #[error(transparent)]
    Login(#[from] crate::login::LoginError),
}

/// The rules of an API by name.
pub fn rules_of(name: &str) -> Result<&'static ApiRules, RunError> {
    generated::APIS
        .iter()
        .copied()
        .find(|r| r.name == name)
        .ok_or_else(|| RunError::UnknownApi {
            name: name.to_owned(),
            known: generated::APIS
                .iter()
                .map(|r| &*r.name)
                .collect::<Vec<_>>()
                .join(", "),
        })
}

/// The public SDL of an API by name.
pub fn public_sdl(name: &str) -> Option<&'static str> {
    match name {
        "greenhouse_onboarding" => Some(generated::greenhouse_onboarding::PUBLIC_SDL),
        "healthmov_user_management" => Some(generated::healthmov_user_management::PUBLIC_SDL),
        "workable_members" => Some(generated::workable_members::PUBLIC_SDL),
        "worksome" => Some(generated::worksome::PUBLIC_SDL),
        _ => None,
    }
}

/// Runs every planned property and returns the summary; reporters see every event.
pub fn run(
    config: &RunConfig,
    reporters: &mut [Box<dyn Reporter>],
) -> Result<RunSummary, RunError> {
    let started = Instant::now();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(RunError::Runtime)?;
    let client = Client::new(runtime.handle().clone(), config.limits)?;

    // Notes under the target lines: the embedded server's APIs it does not check, what the credentials leave out.
    let mut notes = Vec::new();
    let (mut targets, embedded): (_, Option<Server>) = match &config.mode {
        #[cfg(feature = "embedded")]
        Mode::Embedded {
            faults,
            server_seed,
            apis,
        } => {
            for api in apis {
                rules_of(api)?;
            }
            let embedded = Embedded::start(runtime.handle(), *server_seed, faults)
                .map_err(RunError::Embedded)?;
            let mut targets = embedded_targets(&client, &embedded, *server_seed, &mut notes)?;
            if let Some(missing) = apis
                .iter()
                .find(|a| !targets.iter().any(|t| t.rules.name == a.as_str()))
            {
                return Err(RunError::NotServed {
                    reason: format!("the embedded reference server does not check `{missing}`"),
                    served: targets
                        .iter()
                        .map(|t| &*t.rules.name)
                        .collect::<Vec<_>>()
                        .join(", "),
                });
            }
            if !apis.is_empty() {
                targets.retain(|t| apis.iter().any(|a| *a == t.rules.name));
                notes.retain(|n| apis.iter().any(|a| n.starts_with(a.as_str())));
            }
            (targets, Some(embedded))
        }
        Mode::External {
            url,
            api,
            credentials,
        } => {
            let rules = rules_of(api)?;
            if credentials.is_empty() && rules.auth.is_some() {
                return Err(RunError::NoCredentials { api: api.clone() });
            }
            // A target that cannot be reached, or does not serve the API, is a configuration error, not 28 failures.
            crate::probe::check_served(&client, rules, url, credentials)?;
            let target = Target {
                rules,
                url: url.trim_end_matches('/').to_owned(),
                quota_url: None,
                quotas: Vec::new(),
                credentials: credentials.clone(),
                embedded: false,
            };
            (vec![target], None)
        }
    };

    for target in &targets {
        notes.extend(crate::coverage::gaps(target.rules, &target.credentials));
    }
    for target in &mut targets {
        let url = target.graphql_url();
        crate::login::log_in(&client, target.rules, &url, &mut target.credentials)?;
    }
    let mut plan = Vec::new();
    for target in &targets {
        let sdl = public_sdl(&target.rules.name).unwrap_or_default();
        let schema = SchemaInfo::new(target.rules, sdl)?;
        let properties: Vec<_> = crate::properties::for_api(target.rules)
            .into_iter()
            .filter(|p| config.only.is_empty() || config.only.iter().any(|o| o == p.id))
            .collect();
        plan.push((target, schema, properties));
    }
    if !config.only.is_empty() && plan.iter().all(|(_, _, p)| p.is_empty()) {
        return Err(RunError::UnknownProperty(config.only.join(", ")));
    }
    let unknown_skips: Vec<&str> = config
        .skip
        .iter()
        .filter(|id| {
            !plan
                .iter()
                .any(|(_, _, props)| props.iter().any(|p| p.id == id.as_str()))
        })
        .map(String::as_str)
        .collect();
    if !unknown_skips.is_empty() {
        return Err(RunError::UnknownProperty(unknown_skips.join(", ")));
    }

    let reporters = RefCell::new(reporters);
    let emit = |event: &Event<'_>| {
        for r in reporters.borrow_mut().iter_mut() {
            r.on_event(event);
        }
    };
    let target_lines: Vec<String> = targets
        .iter()
        .map(|t| {
            format!(
                "{} at {}{}",
                t.rules.name,
                t.url,
                if t.embedded { " (embedded)" } else { "" }
            )
        })
        .collect();
    // The plan fitted to the request budget: fewer cases for every property rather than the last ones unrun.
    let runs = |p: &Property| {
        !(config.skip.iter().any(|id| id == p.id) || (p.writes && config.settings.read_only))
    };
    let planned: Vec<(u32, crate::budget::Cost)> = plan
        .iter()
        .flat_map(|(target, _, props)| {
            props.iter().map(move |p| match runs(p) {
                true => (
                    p.cases(config.settings.cases),
                    crate::budget::requests(target, p, &config.settings),
                ),
                false => (
                    0,
                    crate::budget::Cost {
                        setup: 0.0,
                        per_case: 0.0,
                    },
                ),
            })
        })
        .collect();
    let fit = crate::budget::fit(&planned, config.limits.max_requests);
    let planned_cases: u64 = fit.cases.iter().map(|n| u64::from(*n)).sum();
    if fit.trimmed {
        let kept = fit.cases.iter().filter(|n| **n > 0);
        notes.push(format!(
            "the plan is trimmed to fit --max-requests {}: about {} requests, every property keeping one case and \
             the same share of the rest ({} to {} cases a property, of up to {})",
            config.limits.max_requests.unwrap_or_default(),
            fit.estimate,
            kept.clone().min().unwrap_or(&0),
            kept.max().unwrap_or(&0),
            config.settings.cases
        ));
    }
    if let Some(target) = targets.iter().find(|t| !t.embedded)
        && let Some(notice) = crate::pacing::plan(&client, target, fit.estimate)
    {
        notes.push(notice);
    }
    emit(&Event::RunStarted {
        targets: &target_lines,
        notes: &notes,
        properties: plan.iter().map(|(_, _, p)| p.len()).sum(),
        planned_cases,
    });

    let secrets = (!config.show_secrets)
        .then(|| Secrets::of(targets.iter().flat_map(|t| t.credentials.iter())));
    let mut results = Vec::new();
    let mut stopped = None;
    let mut fitted_cases = fit.cases.iter().copied();
    'plan: for (target, schema, properties) in &plan {
        for property in properties {
            let settings = Settings {
                cases: fitted_cases.next().unwrap_or(config.settings.cases).max(1),
                ..config.settings.clone()
            };
            if let Some(reason) = client.target_down() {
                stopped = Some(format!(
                    "the target stopped answering ({reason}, {} requests in a row); the run stopped before {} {}",
                    crate::client::DOWN_AFTER,
                    target.rules.name,
                    property.id
                ));
                break 'plan;
            }
            // The rate-limit properties exceed the quota on purpose: the quota's pace is not theirs.
            client.pace_to_quota(property.group != crate::property::Group::RateLimits);
            let before = client.requests_sent();
            let property_started = Instant::now();
            emit(&Event::PropertyStarted {
                api: &target.rules.name,
                id: property.id,
                name: property.name,
                planned_cases: property.cases(settings.cases),
            });
            let check = if config.fail_fast
                && results.iter().any(|r: &PropertyResult| r.verdict.failed())
            {
                crate::property::Check {
                    verdict: Verdict::Skipped {
                        reason: "--fail-fast: an earlier property failed".to_owned(),
                    },
                    cases: 0,
                }
            } else if config.skip.iter().any(|id| id == property.id) {
                crate::property::Check {
                    verdict: Verdict::Skipped {
                        reason: "--skip names it".to_owned(),
                    },
                    cases: 0,
                }
            } else if property.writes && config.settings.read_only {
                crate::property::Check {
                    verdict: Verdict::Skipped {
                        reason: "it writes, and --read-only is set".to_owned(),
                    },
                    cases: 0,
                }
            } else if client.budget_spent() {
                crate::property::Check::inconclusive(
                    "the request budget was spent before it ran (raise --max-requests)",
                    0,
                )
            } else {
                let cx = Context {
                    rules: target.rules,
                    schema,
                    target,
                    client: &client,
                    settings: &settings,
                    property,
                    emit: &emit,
                };
                (property.run)(&cx)
            };
            let mut verdict = check.verdict;
            #[cfg(feature = "embedded")]
            if let (
                Verdict::Failed(failure),
                Mode::Embedded {
                    faults,
                    server_seed,
                    ..
                },
            ) = (&mut verdict, &config.mode)
            {
                failure.replay_note = Some(replay_note(faults, *server_seed));
            }
            if let Some(secrets) = &secrets {
                secrets.mask_verdict(&mut verdict);
            }
            let result = PropertyResult {
                api: target.rules.name.to_string(),
                id: property.id.to_owned(),
                name: property.name.to_owned(),
                statement: property.statement.to_owned(),
                group: property.group.as_str().to_owned(),
                verdict,
                cases: check.cases,
                requests: client.requests_sent() - before,
                duration: property_started.elapsed(),
            };
            emit(&Event::PropertyFinished { result: &result });
            results.push(result);
        }
    }

    let summary = RunSummary {
        targets: target_lines.into_iter().chain(notes).collect(),
        seed: config.settings.seed,
        cases: config.settings.cases,
        results,
        requests: client.requests_sent(),
        duration: started.elapsed(),
        strict: config.strict,
        stopped,
    };
    emit(&Event::RunFinished { summary: &summary });
    // The embedded server stops before the runtime it runs on (no server without the `embedded` feature).
    #[cfg_attr(not(feature = "embedded"), allow(clippy::drop_non_drop))]
    drop(embedded);
    runtime.shutdown_timeout(Duration::from_secs(2));
    for r in reporters.into_inner().iter_mut() {
        r.finish()?;
    }
    Ok(summary)
}

/// The embedded server while a run lasts (there is none without the `embedded` feature).
#[cfg(feature = "embedded")]
type Server = Embedded;
#[cfg(not(feature = "embedded"))]
#[derive(Debug)]
enum Server {}

/// How to replay against the embedded server once the run has ended (its ports are gone): start the same server.
#[cfg(feature = "embedded")]
fn replay_note(faults: &[Fault], server_seed: u64) -> String {
    let faults: String = faults.iter().map(|f| format!(" --fault {f}")).collect();
    format!(
        "(the embedded server that answered is gone: `cargo run -p reference-server -- --listen 127.0.0.1:PORT \
         --seed {server_seed}{faults}` serves the same data, with the declared quotas, to replay against; or paste \
         the rerun line)"
    )
}

/// The APIs the embedded server lists at `/`, each with its fixture credentials.
#[cfg(feature = "embedded")]
fn embedded_targets(
    client: &Client,
    embedded: &Embedded,
    seed: u64,
    notes: &mut Vec<String>,
) -> Result<Vec<Target>, RunError> {
    let index = client.send(crate::client::Request {
        method: "GET".to_owned(),
        url: format!("{}/", embedded.base_url),
        headers: Vec::new(),
        body: None,
    });
    let listed: Vec<(String, String)> = index
        .ok()
        .and_then(|r| r.json())
        .and_then(|j| j.get("apis").and_then(|a| a.as_array()).cloned())
        .unwrap_or_default()
        .iter()
        .filter_map(|a| {
            let name = a.get("name")?.as_str()?.to_owned();
            // A REST API is checked at its REST prefix (its GraphQL endpoint hangs below it).
            let path = a
                .get("rest")
                .filter(|p| p.is_string())
                .or_else(|| a.get("graphql"))
                .or_else(|| a.get("path"))
                .and_then(|p| p.as_str())?
                .to_owned();
            Some((name, path))
        })
        .collect();
    let mut targets = Vec::new();
    for rules in generated::APIS.iter().copied() {
        let Some((_, path)) = listed.iter().find(|(n, _)| *n == rules.name) else {
            continue;
        };
        if !crate::properties::supported(rules) {
            notes.push(format!(
                "{} at {}{path}: not checked yet (the harness has no properties for it)",
                rules.name, embedded.base_url
            ));
            continue;
        }
        targets.push(Target {
            rules,
            url: format!("{}{path}", embedded.base_url),
            quota_url: Some(format!("{}{path}", embedded.quota_base_url)),
            quotas: crate::embedded::quota_overrides(&rules.name),
            credentials: crate::credentials::fixtures(&rules.name, seed),
            embedded: true,
        });
    }
    if targets.is_empty() {
        return Err(RunError::NothingServed {
            listed: if listed.is_empty() {
                "nothing".to_owned()
            } else {
                listed
                    .iter()
                    .map(|(n, _)| n.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            },
        });
    }
    Ok(targets)
}
