//! H1: sessions in random orders (proptest-state-machine): log in, use a token, refresh, spend a refresh token
//! twice, log out, let tokens expire, tamper with one. A model holds every token with its expiration date (as the
//! login and refresh answered it) and whether its session was logged out or it was spent; each request must be
//! accepted exactly when the model says its token is live.
//!
//! The model follows the schema's `@source` on `refreshToken`: the refresh token renews the session and is spent;
//! access tokens issued before stay live until they expire; `logout` ends the whole session. Requests within
//! [`MARGIN`] of a token's expiry are sent but not judged (the two clocks may differ by that much). Cases run against
//! the quota URL, where the embedded run's tokens live seconds, and are paced to stay within the quota.

use std::collections::HashMap;
use std::time::Duration;

use chrono::{DateTime, Utc};
use proptest::prelude::*;
use proptest_state_machine::ReferenceStateMachine;
use serde_json::Value;

use crate::credentials::Credential;
use crate::ensure;
use crate::login::{login_field, login_operation};
use crate::property::{Case, CaseError, Check, Context, Group, Property, check, graphql_endpoint};

pub static H1: Property = Property {
    id: "H1",
    name: "session-lifecycle",
    statement: "Random sequences of login, use, refreshToken, logout, expiry and tampering: every request is accepted exactly when its token is live (signed, unexpired, its session not logged out, a refresh token not yet spent), a refresh spends its refresh token, and logout ends the session.",
    group: Group::Auth,
    writes: false,
    max_cases: Some(12),
    run,
};

/// How close to a token's expiry a request is not judged.
const MARGIN: Duration = Duration::from_millis(900);
/// At most this many sessions in one case.
const MAX_SESSIONS: usize = 3;
/// The longest wait for a token to expire; a longer lifetime leaves the expiry steps out.
const MAX_EXPIRY_WAIT: Duration = Duration::from_secs(6);

/// A token and its expiration date.
#[derive(Debug, Clone)]
struct Token {
    text: String,
    expires: DateTime<Utc>,
}

/// The access and refresh tokens a login or refresh answered.
#[derive(Debug, Clone)]
pub struct Tokens {
    pub access: String,
    pub refresh: String,
    access_expires: DateTime<Utc>,
    refresh_expires: DateTime<Utc>,
}

/// One session as the model knows it.
#[derive(Debug, Clone)]
struct SessionModel {
    /// Every access token issued, oldest first.
    access: Vec<Token>,
    /// The refresh token that renews the session now.
    refresh: Token,
    /// Refresh tokens already spent.
    spent: Vec<Token>,
    logged_out: bool,
}

/// A step of a case. Sessions are numbered in login order (modulo how many there are).
#[derive(Debug, Clone)]
pub enum Step {
    Login {
        user: usize,
    },
    /// A request with the session's latest access token (or an older one).
    Use {
        session: usize,
        older: bool,
    },
    Refresh {
        session: usize,
    },
    /// `refreshToken` with an already spent refresh token, or with the access token.
    RefreshWithWrongToken {
        session: usize,
        access: bool,
    },
    /// `logout`, then a request with each of the session's tokens.
    Logout {
        session: usize,
    },
    /// Waits until the session's latest access token has expired, then uses it and tries its refresh token.
    Expire {
        session: usize,
    },
    Wait {
        millis: u64,
    },
    /// A request with the latest access token altered.
    Tamper {
        session: usize,
        at: usize,
    },
}

/// The abstract state the steps are drawn from: how many sessions exist.
#[derive(Debug)]
pub struct Sessions;

impl ReferenceStateMachine for Sessions {
    type State = usize;
    type Transition = Step;

    fn init_state() -> BoxedStrategy<usize> {
        Just(0).boxed()
    }

    fn transitions(state: &usize) -> BoxedStrategy<Step> {
        let login = (0..4usize).prop_map(|user| Step::Login { user });
        if *state == 0 {
            return login.boxed();
        }
        let session = 0..*state;
        prop_oneof![
            1 => login,
            3 => (session.clone(), proptest::bool::weighted(0.3)).prop_map(|(session, older)| Step::Use { session, older }),
            2 => session.clone().prop_map(|session| Step::Refresh { session }),
            2 => (session.clone(), any::<bool>()).prop_map(|(session, access)| Step::RefreshWithWrongToken { session, access }),
            2 => session.clone().prop_map(|session| Step::Logout { session }),
            2 => session.clone().prop_map(|session| Step::Expire { session }),
            1 => (200u64..1500).prop_map(|millis| Step::Wait { millis }),
            1 => (session, 0usize..64).prop_map(|(session, at)| Step::Tamper { session, at }),
        ]
        .boxed()
    }

    fn apply(state: usize, step: &Step) -> usize {
        match step {
            Step::Login { .. } => (state + 1).min(MAX_SESSIONS),
            _ => state,
        }
    }
}

fn run(cx: &Context<'_>) -> Check {
    if login_field(cx.rules).is_none() {
        return Check::not_applicable(
            "the API has no login (@auth(scheme: BEARER_SESSION) with a @public mutation)",
        );
    }
    let users: Vec<Credential> = cx
        .target
        .credentials
        .iter()
        .filter(|c| c.username.is_some() && c.password.is_some())
        .cloned()
        .collect();
    if users.is_empty() {
        return Check::not_applicable(
            "no credential is a user name and password: the harness cannot log in",
        );
    }
    let url = graphql_endpoint(cx.rules, cx.target.quota_url());
    check(
        cx,
        Sessions::sequential_strategy(3..=10usize),
        |case, (_, steps, _)| {
            let mut machine = Machine {
                case,
                url: &url,
                users: &users,
                sessions: Vec::new(),
                sent: HashMap::new(),
            };
            for (n, step) in steps.iter().enumerate() {
                machine.step(step).map_err(|e| match e {
                    CaseError::Fail(message) => {
                        CaseError::Fail(format!("step {} ({step:?}): {message}", n + 1))
                    }
                    other => other,
                })?;
            }
            Ok(())
        },
    )
}

/// A case's sessions and the requests sent with each token in the current quota window.
struct Machine<'m, 'c, 'a> {
    case: &'m Case<'c, 'a>,
    url: &'m str,
    users: &'m [Credential],
    sessions: Vec<SessionModel>,
    sent: HashMap<String, (u64, u32)>,
}

/// What the model says of a token now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Live {
    Yes,
    No,
    /// Too close to its expiry to tell.
    Unsure,
}

fn liveness(token: &Token, revoked: bool) -> Live {
    if revoked {
        return Live::No;
    }
    let left = token.expires - Utc::now();
    let margin = chrono::TimeDelta::from_std(MARGIN).unwrap_or_default();
    if left > margin {
        Live::Yes
    } else if left < -margin {
        Live::No
    } else {
        Live::Unsure
    }
}

impl Machine<'_, '_, '_> {
    fn step(&mut self, step: &Step) -> Result<(), CaseError> {
        let count = self.sessions.len().max(1);
        match *step {
            Step::Login { user } => {
                if self.sessions.len() >= MAX_SESSIONS {
                    return Ok(());
                }
                let credential = &self.users[user % self.users.len()];
                let tokens = log_in(self.case, self.url, credential)?
                    .ok_or_else(|| CaseError::fail("the fixture user could not log in"))?;
                ensure!(
                    tokens.access_expires > Utc::now() && tokens.refresh_expires > Utc::now(),
                    "login answered tokens that have already expired: {tokens:?}"
                );
                self.sessions.push(SessionModel {
                    access: vec![Token {
                        text: tokens.access,
                        expires: tokens.access_expires,
                    }],
                    refresh: Token {
                        text: tokens.refresh,
                        expires: tokens.refresh_expires,
                    },
                    spent: Vec::new(),
                    logged_out: false,
                });
            }
            Step::Use { session, older } => {
                let s = &self.sessions[session % count];
                let token = if older {
                    s.access[0].clone()
                } else {
                    latest(s).clone()
                };
                let live = liveness(&token, s.logged_out);
                self.expect_use(&token.text, live, "the access token")?;
            }
            Step::Refresh { session } => self.refresh(session % count)?,
            Step::RefreshWithWrongToken { session, access } => {
                let s = &self.sessions[session % count];
                let token = if access {
                    Some(latest(s).text.clone())
                } else {
                    s.spent.last().map(|t| t.text.clone())
                };
                if let Some(token) = token {
                    let what = if access {
                        "an access token"
                    } else {
                        "a spent refresh token"
                    };
                    ensure!(
                        self.send_refresh(&token)?.is_none(),
                        "refreshToken with {what} issued new tokens"
                    );
                }
            }
            Step::Logout { session } => {
                let index = session % count;
                let s = self.sessions[index].clone();
                let token = latest(&s).clone();
                let live = liveness(&token, s.logged_out);
                let reply = self.send(&token.text, "mutation { logout { ok } }")?;
                let ok = reply.pointer("/data/logout/ok") == Some(&Value::Bool(true));
                match live {
                    Live::Yes => ensure!(ok, "logout with a live access token was not ok: {reply}"),
                    Live::No => {
                        ensure!(!ok, "logout with a dead access token answered ok: {reply}")
                    }
                    Live::Unsure => {}
                }
                if ok {
                    self.sessions[index].logged_out = true;
                    for t in &s.access {
                        self.expect_use(
                            &t.text,
                            Live::No,
                            "an access token of a logged-out session",
                        )?;
                    }
                    ensure!(
                        self.send_refresh(&s.refresh.text)?.is_none(),
                        "the refresh token of a logged-out session issued new tokens"
                    );
                }
            }
            Step::Expire { session } => {
                let index = session % count;
                let token = latest(&self.sessions[index]).clone();
                let wait = (token.expires - Utc::now()).to_std().unwrap_or_default()
                    + MARGIN
                    + Duration::from_millis(100);
                if wait > MAX_EXPIRY_WAIT {
                    return Ok(());
                }
                std::thread::sleep(wait);
                self.expect_use(&token.text, Live::No, "an expired access token")?;
                self.refresh(index)?;
            }
            Step::Wait { millis } => std::thread::sleep(Duration::from_millis(millis)),
            Step::Tamper { session, at } => {
                let token = latest(&self.sessions[session % count]).text.clone();
                self.expect_use(&tamper(&token, at), Live::No, "a tampered access token")?;
            }
        }
        Ok(())
    }

    /// `refreshToken` with the session's current refresh token, judged by the model; the model follows the answer.
    fn refresh(&mut self, index: usize) -> Result<(), CaseError> {
        let s = &self.sessions[index];
        let live = liveness(&s.refresh, s.logged_out);
        let refresh = s.refresh.clone();
        let issued = self.send_refresh(&refresh.text)?;
        match (live, &issued) {
            (Live::Yes, None) => {
                return Err(CaseError::fail(
                    "refreshToken with a live refresh token issued nothing",
                ));
            }
            (Live::No, Some(_)) => {
                return Err(CaseError::fail(
                    "refreshToken with a dead refresh token (expired, spent or logged out) issued new tokens",
                ));
            }
            _ => {}
        }
        if let Some(tokens) = issued {
            // Spent at once: a second refresh with it must issue nothing.
            ensure!(
                self.send_refresh(&refresh.text)?.is_none(),
                "a refresh token renewed the session a second time"
            );
            let s = &mut self.sessions[index];
            s.spent.push(refresh);
            s.access.push(Token {
                text: tokens.access,
                expires: tokens.access_expires,
            });
            s.refresh = Token {
                text: tokens.refresh,
                expires: tokens.refresh_expires,
            };
        }
        Ok(())
    }

    /// A request with `token` must be served exactly when `live` says so.
    fn expect_use(&mut self, token: &str, live: Live, what: &str) -> Result<(), CaseError> {
        let reply = self.send(token, "{ companies(first: 1) { totalCount } }")?;
        let served = reply
            .pointer("/data/companies")
            .is_some_and(Value::is_object);
        let refused = !served
            && reply
                .get("errors")
                .is_some_and(|e| e.as_array().is_some_and(|a| !a.is_empty()));
        match live {
            Live::Yes => ensure!(
                served,
                "a request with {what}, live by the model, was refused: {reply}"
            ),
            Live::No => ensure!(
                refused,
                "a request with {what}, dead by the model, was served: {reply}"
            ),
            Live::Unsure => {}
        }
        Ok(())
    }

    /// `refreshToken` with `token` as the Bearer: the tokens it issued, if it did.
    fn send_refresh(&mut self, token: &str) -> Result<Option<Tokens>, CaseError> {
        let reply = self.send(
            token,
            "mutation { refreshToken { ok accessToken accessTokenExpirationDate refreshToken refreshTokenExpirationDate } }",
        )?;
        Ok(tokens(reply.pointer("/data/refreshToken")))
    }

    /// Sends an operation with a Bearer token, pacing the token's requests to stay within its quota.
    fn send(&mut self, token: &str, query: &str) -> Result<Value, CaseError> {
        let (limit, window) = self.case.cx.target.quota_for(None).unwrap_or((u32::MAX, 1));
        let window = u64::from(window.max(1));
        let now = || {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap_or_default()
        };
        let entry = self.sent.entry(token.to_owned()).or_insert((0, 0));
        if entry.0 == now().as_secs() / window && entry.1 >= limit {
            let next = Duration::from_secs((entry.0 + 1) * window);
            std::thread::sleep(next.saturating_sub(now()) + Duration::from_millis(20));
        }
        let current = now().as_secs() / window;
        if entry.0 != current {
            *entry = (current, 0);
        }
        entry.1 += 1;
        let credential = Credential::header("session", format!("Bearer {token}"));
        let reply = self
            .case
            .graphql_at(self.url, Some(&credential), query, None)?;
        Ok(reply.body)
    }
}

fn latest(session: &SessionModel) -> &Token {
    session.access.last().unwrap_or(&session.refresh)
}

/// The token with one character of its signature changed.
fn tamper(token: &str, at: usize) -> String {
    let mut chars: Vec<char> = token.chars().collect();
    let signature = token.rfind('.').map_or(0, |i| i + 1);
    let span = chars.len().saturating_sub(signature).max(1);
    if let Some(c) = chars.get_mut(signature + at % span) {
        *c = if *c == 'A' { 'B' } else { 'A' };
    }
    chars.into_iter().collect()
}

/// The tokens of a login or refresh payload, when it is `ok` with both tokens and their dates.
fn tokens(payload: Option<&Value>) -> Option<Tokens> {
    let payload = payload?;
    if payload.get("ok") != Some(&Value::Bool(true)) {
        return None;
    }
    let text = |key: &str| payload.get(key).and_then(Value::as_str);
    let date = |key: &str| {
        text(key)
            .and_then(|d| DateTime::parse_from_rfc3339(d).ok())
            .map(|d| d.with_timezone(&Utc))
    };
    Some(Tokens {
        access: text("accessToken")?.to_owned(),
        refresh: text("refreshToken")?.to_owned(),
        access_expires: date("accessTokenExpirationDate")?,
        refresh_expires: date("refreshTokenExpirationDate")?,
    })
}

/// Logs a credential in at `url`: its tokens, or `None` when it is not a user name and password.
pub fn log_in(
    case: &Case<'_, '_>,
    url: &str,
    credential: &Credential,
) -> Result<Option<Tokens>, CaseError> {
    let (Some(field), Some(username), Some(password)) = (
        login_field(case.cx.rules),
        &credential.username,
        &credential.password,
    ) else {
        return Ok(None);
    };
    let (query, variables) = login_operation(field, username, password);
    let reply = case.graphql_at(url, None, &query, Some(&variables))?;
    match tokens(reply.body.pointer(&format!("/data/{field}"))) {
        Some(tokens) => Ok(Some(tokens)),
        None => Err(CaseError::fail(format!(
            "login of `{}` did not answer tokens: {}",
            credential.name, reply.body
        ))),
    }
}

/// The sub-second part of the clock: a suffix that keeps the keys one run writes apart from another run's.
pub fn nanos() -> u32 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos())
}
