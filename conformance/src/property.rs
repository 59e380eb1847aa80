//! What a property is, what it runs against, and how its cases are driven: proptest's `TestRunner` generates,
//! runs and shrinks inputs; each case sends its requests through a [`Case`], which records them so that a failure
//! shows the minimal case's requests, responses and a `curl` line for each.

use std::cell::{Cell, RefCell};
use std::fmt::Debug;
use std::path::PathBuf;
use std::time::Duration;

use proptest::strategy::Strategy;
use proptest::test_runner::{
    Config, FileFailurePersistence, RngAlgorithm, TestCaseError, TestError, TestRng, TestRunner,
};
use runtime::rules::ApiRules;

use crate::client::{Client, Exchange};
use crate::credentials::Credential;
use crate::event::Event;
use crate::outcome::{Failure, Verdict};
use crate::schema::SchemaInfo;

pub use crate::case::{Case, CaseError, CaseResult};

/// The families of properties, in the order they run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Group {
    Schema,
    Pagination,
    Errors,
    Transport,
    Complexity,
    Auth,
    Filters,
    Examples,
    Stateful,
    RateLimits,
}

impl Group {
    pub fn as_str(self) -> &'static str {
        match self {
            Group::Schema => "schema",
            Group::Pagination => "pagination",
            Group::Errors => "errors",
            Group::Transport => "transport",
            Group::Complexity => "complexity",
            Group::Auth => "auth",
            Group::Filters => "filters",
            Group::Examples => "examples",
            Group::Stateful => "stateful",
            Group::RateLimits => "rate limits",
        }
    }
}

/// One property: a stable id and name, a one-line statement, and the check.
#[derive(Debug)]
pub struct Property {
    /// Stable id, e.g. `P1`: what `--only` takes and what the proof-of-power test names.
    pub id: &'static str,
    /// Stable name, e.g. `forward-walk`.
    pub name: &'static str,
    /// What must hold, in one line.
    pub statement: &'static str,
    pub group: Group,
    /// Whether it sends mutations (skipped under `--read-only`).
    pub writes: bool,
    /// A cap on the cases of an expensive property (each case of a rate-limit property waits out a window).
    pub max_cases: Option<u32>,
    pub run: fn(&Context<'_>) -> Check,
}

impl Property {
    /// The cases it runs for a `--cases` setting.
    pub fn cases(&self, requested: u32) -> u32 {
        self.max_cases
            .map_or(requested, |cap| requested.min(cap))
            .max(1)
    }
}

/// What one property concluded.
#[derive(Debug)]
pub struct Check {
    pub verdict: Verdict,
    pub cases: u32,
}

impl Check {
    pub fn not_applicable(reason: impl Into<String>) -> Self {
        Check {
            verdict: Verdict::NotApplicable {
                reason: reason.into(),
            },
            cases: 0,
        }
    }

    pub fn inconclusive(reason: impl Into<String>, cases: u32) -> Self {
        Check {
            verdict: Verdict::Inconclusive {
                reason: reason.into(),
            },
            cases,
        }
    }
}

/// The implementation under test.
#[derive(Debug, Clone)]
pub struct Target {
    pub rules: &'static ApiRules,
    /// The GraphQL endpoint of a GraphQL API; the REST prefix of a REST API (`http://host/workable`: the routes of
    /// its `@rest` bindings hang below it, and its GraphQL endpoint, if it serves one, is `<prefix>/graphql`).
    pub url: String,
    /// Where the rate-limit properties send (same shape as `url`): the embedded run starts a second server with
    /// small quotas, so the other properties are not throttled. `None`: the rate-limit properties use `url` too.
    pub quota_url: Option<String>,
    /// The quotas `quota_url` is configured with, when they are not the declared ones.
    pub quotas: Vec<QuotaOverride>,
    pub credentials: Vec<Credential>,
    /// Whether this is the in-process reference server.
    pub embedded: bool,
}

/// A quota the target is configured with instead of the declared `@rateLimit` (the embedded quota instance).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuotaOverride {
    /// The token kind it applies to; `None`: every kind.
    pub token_kind: Option<String>,
    pub limit: u32,
    pub window_seconds: u32,
}

impl Target {
    /// The first credential: the one properties use unless they need another.
    pub fn primary(&self) -> Option<&Credential> {
        self.credentials.first()
    }

    /// Where the rate-limit properties send.
    pub fn quota_url(&self) -> &str {
        self.quota_url.as_deref().unwrap_or(&self.url)
    }

    /// The GraphQL endpoint: `url` itself, or `<prefix>/graphql` for a REST API.
    pub fn graphql_url(&self) -> String {
        graphql_endpoint(self.rules, &self.url)
    }

    /// The quota (limit, window seconds) that applies to a token kind: an override, else the declared one.
    pub fn quota_for(&self, token_kind: Option<&str>) -> Option<(u32, u32)> {
        let specific = self
            .quotas
            .iter()
            .find(|q| q.token_kind.is_some() && q.token_kind.as_deref() == token_kind);
        let general = self.quotas.iter().find(|q| q.token_kind.is_none());
        match specific.or(general) {
            Some(q) => Some((q.limit, q.window_seconds)),
            None => self
                .rules
                .rate_limit_for(token_kind)
                .map(|r| (r.limit, r.window_seconds)),
        }
    }
}

/// The GraphQL endpoint of an API whose target URL is `url`.
pub fn graphql_endpoint(rules: &ApiRules, url: &str) -> String {
    match rules.transport {
        runtime::rules::Transport::Graphql => url.to_owned(),
        runtime::rules::Transport::Rest => format!("{}/graphql", url.trim_end_matches('/')),
    }
}

/// Run-wide settings the properties read.
#[derive(Debug, Clone)]
pub struct Settings {
    pub cases: u32,
    pub seed: u64,
    pub read_only: bool,
    /// The longest the harness waits for a quota window to reset.
    pub max_wait: Duration,
    /// Where failing seeds are kept and replayed from (proptest regression files), if anywhere.
    pub regressions: Option<PathBuf>,
    pub max_shrink_iters: u32,
    /// The arguments that choose what the run checks and how (target, credentials file, faults, server seed,
    /// limits), shell-quoted: the start of every `rerun:` line.
    pub rerun: String,
}

/// Everything one property runs against.
pub struct Context<'a> {
    pub rules: &'static ApiRules,
    pub schema: &'a SchemaInfo,
    pub target: &'a Target,
    pub client: &'a Client,
    pub settings: &'a Settings,
    pub property: &'static Property,
    pub emit: &'a dyn Fn(&Event<'_>),
}

impl Debug for Context<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Context")
            .field("api", &self.rules.name)
            .field("property", &self.property.id)
            .finish_non_exhaustive()
    }
}

impl Context<'_> {
    /// The cases this property runs.
    pub fn cases(&self) -> u32 {
        self.property.cases(self.settings.cases)
    }

    /// The 32-byte ChaCha seed of this property: derived from `--seed`, the API and the property id, so adding a
    /// property does not change the inputs of the others.
    pub fn rng_seed(&self) -> [u8; 32] {
        let mut state = fnv1a(
            self.settings.seed,
            format!("{}/{}", self.rules.name, self.property.id).as_bytes(),
        );
        let mut bytes = [0u8; 32];
        for chunk in bytes.chunks_mut(8) {
            state = splitmix(state);
            chunk.copy_from_slice(&state.to_le_bytes());
        }
        bytes
    }

    /// The most simpler inputs shrinking tries. Each case of a rate-limit property waits out a window: those
    /// shrink little.
    pub fn shrink_limit(&self) -> u32 {
        if self.property.group == Group::RateLimits {
            self.settings.max_shrink_iters.min(8)
        } else {
            self.settings.max_shrink_iters
        }
    }

    /// A fresh proptest runner for this property.
    pub fn runner(&self, cases: u32) -> TestRunner {
        let persistence = self.settings.regressions.as_ref().map(|dir| {
            let path = dir
                .join(&*self.rules.name)
                .join(format!("{}-{}.txt", self.property.id, self.property.name));
            let path: &'static str = Box::leak(path.display().to_string().into_boxed_str());
            Box::new(FileFailurePersistence::Direct(path))
                as Box<dyn proptest::test_runner::FailurePersistence>
        });
        let config = Config {
            cases,
            failure_persistence: persistence,
            rng_algorithm: RngAlgorithm::ChaCha,
            // Shrinking is capped by `check` itself (proptest's own cap prints to stderr when it is reached).
            // (u32::MAX would mean "four times the cases" to proptest.)
            max_shrink_iters: u32::MAX - 1,
            max_global_rejects: cases.saturating_mul(8).max(64),
            max_local_rejects: 4096,
            verbose: 0,
            ..Config::default()
        };
        TestRunner::new_with_rng(
            config,
            TestRng::from_seed(RngAlgorithm::ChaCha, &self.rng_seed()),
        )
    }

    /// What a person types to run just this property again, exactly as it ran: the run's own arguments, its seed
    /// and case count, the API and the property.
    pub fn reproduce(&self) -> String {
        let mut line = self.settings.rerun.clone();
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&format!(
            "--seed {} --cases {} --api {} --only {}",
            self.settings.seed, self.settings.cases, self.rules.name, self.property.id
        ));
        line
    }
}

/// Runs a property's cases: generates inputs from `strategy`, runs `test` on each, and on failure shrinks to a
/// minimal input, replays it once to capture its exchanges, and builds the [`Failure`].
pub fn check<S>(
    cx: &Context<'_>,
    strategy: S,
    test: impl Fn(&Case<'_, '_>, S::Value) -> CaseResult,
) -> Check
where
    S: Strategy,
    S::Value: Clone + Debug,
{
    check_with_cases(cx, cx.cases(), strategy, test)
}

/// [`check`] with a number of cases of its own (a property that shares its cases out over several runs).
pub fn check_with_cases<S>(
    cx: &Context<'_>,
    cases: u32,
    strategy: S,
    test: impl Fn(&Case<'_, '_>, S::Value) -> CaseResult,
) -> Check
where
    S: Strategy,
    S::Value: Clone + Debug,
{
    let passed = Cell::new(0u32);
    let shrinking = Cell::new(false);
    let shrink_steps = Cell::new(0u32);
    let inconclusive: RefCell<Option<String>> = RefCell::new(None);
    let last_failure: RefCell<Option<(String, Vec<Exchange>)>> = RefCell::new(None);
    let mut runner = cx.runner(cases);
    let result = runner.run(&strategy, |value| {
        if let Some(reason) = inconclusive.borrow().as_ref() {
            // Stop spending requests once nothing more can be concluded.
            return Err(TestCaseError::fail(reason.clone()));
        }
        if shrinking.get() && shrink_steps.get() >= cx.shrink_limit() {
            // Enough shrinking: every further candidate counts as passing, so proptest settles on the last failure.
            return Ok(());
        }
        let case = Case::new(cx);
        let outcome = test(&case, value);
        (cx.emit)(&Event::CaseFinished {
            requests: cx.client.requests_sent(),
        });
        if shrinking.get() {
            shrink_steps.set(shrink_steps.get() + 1);
        }
        match outcome {
            Ok(()) => {
                if !shrinking.get() {
                    passed.set(passed.get() + 1);
                }
                Ok(())
            }
            Err(CaseError::Fail(message)) => {
                shrinking.set(true);
                *last_failure.borrow_mut() = Some((message.clone(), case.exchanges()));
                Err(TestCaseError::fail(message))
            }
            Err(CaseError::Reject(message)) => Err(TestCaseError::reject(message)),
            Err(CaseError::Inconclusive(reason)) => {
                *inconclusive.borrow_mut() = Some(reason.clone());
                Err(TestCaseError::fail(reason))
            }
        }
    });
    let ran = passed.get();
    if let Some(reason) = inconclusive.into_inner() {
        return Check::inconclusive(reason, ran);
    }
    match result {
        Ok(()) => Check {
            verdict: Verdict::Passed,
            cases: ran,
        },
        Err(TestError::Abort(reason)) => Check::inconclusive(
            format!("too many generated inputs were unusable: {reason}"),
            ran,
        ),
        Err(TestError::Fail(reason, minimal)) => {
            let replay = Case::new(cx);
            let replayed = test(&replay, minimal.clone());
            let (message, exchanges, reproduced) = match replayed {
                Err(CaseError::Fail(message)) => (message, replay.exchanges(), true),
                _ => {
                    let (message, exchanges) = last_failure
                        .into_inner()
                        .unwrap_or_else(|| (reason.message().to_owned(), Vec::new()));
                    (message, exchanges, false)
                }
            };
            Check {
                verdict: Verdict::Failed(Box::new(Failure {
                    message,
                    input: format!("{minimal:#?}"),
                    findings: Vec::new(),
                    exchanges,
                    shrink_steps: shrink_steps.get(),
                    reproduce: cx.reproduce(),
                    reproduced,
                    replay_note: None,
                })),
                cases: ran + 1,
            }
        }
    }
}

/// Runs a check that has no generated input (one deterministic case, e.g. the schema comparison).
pub fn check_once(cx: &Context<'_>, test: impl FnOnce(&Case<'_, '_>) -> CaseResult) -> Check {
    let case = Case::new(cx);
    let outcome = test(&case);
    (cx.emit)(&Event::CaseFinished {
        requests: cx.client.requests_sent(),
    });
    match outcome {
        Ok(()) => Check {
            verdict: Verdict::Passed,
            cases: 1,
        },
        Err(CaseError::Fail(message)) => Check {
            verdict: Verdict::Failed(Box::new(Failure {
                message,
                input: "(none: a single deterministic case)".to_owned(),
                findings: Vec::new(),
                exchanges: case.exchanges(),
                shrink_steps: 0,
                reproduce: cx.reproduce(),
                reproduced: true,
                replay_note: None,
            })),
            cases: 1,
        },
        Err(CaseError::Reject(reason)) | Err(CaseError::Inconclusive(reason)) => {
            Check::inconclusive(reason, 0)
        }
    }
}

/// A failure found while preparing a property's cases (a reference walk, say), before any input was generated.
pub fn setup_failure(cx: &Context<'_>, case: &Case<'_, '_>, error: CaseError) -> Check {
    match error {
        CaseError::Fail(message) => Check {
            verdict: Verdict::Failed(Box::new(Failure {
                message,
                input: "(setup: before the generated cases)".to_owned(),
                findings: Vec::new(),
                exchanges: case.exchanges(),
                shrink_steps: 0,
                reproduce: cx.reproduce(),
                reproduced: true,
                replay_note: None,
            })),
            cases: 1,
        },
        CaseError::Reject(reason) | CaseError::Inconclusive(reason) => {
            Check::inconclusive(reason, 0)
        }
    }
}

fn fnv1a(seed: u64, bytes: &[u8]) -> u64 {
    let mut hash = 0xcbf2_9ce4_8422_2325u64 ^ seed;
    for b in bytes {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

fn splitmix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}
