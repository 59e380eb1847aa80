//! Sessions: `login` issues a signed JWT access token and a refresh token (HS256, `jsonwebtoken`), each with its
//! expiration date; `refreshToken` spends the refresh token for a new pair of the same session; `logout` revokes the
//! session. Expiry is measured on the API's [`Clock`], not the system's, so tests can reach it without waiting.
//!
//! A token is live while its signature holds, the clock is before its `exp`, its session is not revoked, and (a
//! refresh token) it is not spent. What the server remembers (revoked sessions, spent refresh tokens) is forgotten
//! once the tokens it concerns have expired, so memory stays bounded by the tokens still live.

use std::collections::HashMap;
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use super::clock::Clock;
use crate::faults::{Fault, Faults};

/// The `[healthmov]` section of the server's `--config` file.
///
/// ```toml
/// [healthmov]
/// access_token_seconds = 10800
/// refresh_token_seconds = 604800
/// revoke_access_on_refresh = false
/// # jwt_secret = "a long random string"   # shared by instances that must accept each other's tokens
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct SessionConfig {
    /// How long an access token lives: "a few hours", says the public page (default 3 hours).
    pub access_token_seconds: u32,
    /// How long a refresh token lives (default 7 days).
    pub refresh_token_seconds: u32,
    /// Whether `refreshToken` also revokes the access tokens issued before it (default: they live until they expire).
    pub revoke_access_on_refresh: bool,
    /// The HS256 signing secret; random for each process when not set.
    pub jwt_secret: Option<String>,
}

impl Default for SessionConfig {
    fn default() -> Self {
        SessionConfig {
            access_token_seconds: 3 * 3600,
            refresh_token_seconds: 7 * 24 * 3600,
            revoke_access_on_refresh: false,
            jwt_secret: None,
        }
    }
}

/// What a token is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenKind {
    /// Sent as `Authorization: Bearer` with every request.
    Access,
    /// Sent as `Authorization: Bearer` with `refreshToken` only.
    Refresh,
}

/// The claims of both kinds of token.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Claims {
    /// The user name.
    sub: String,
    /// The client account the user belongs to.
    client: String,
    /// The session: what `logout` revokes.
    sid: String,
    /// This token.
    jti: String,
    typ: TokenKind,
    iat: i64,
    exp: i64,
}

/// A live token: who it is for and what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub username: String,
    pub client: String,
    pub sid: String,
    /// The token's own id: the rate limit counts per token.
    pub jti: String,
    pub kind: TokenKind,
    pub expires_at: DateTime<Utc>,
}

/// A new pair of tokens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issued {
    pub access_token: String,
    pub access_expires_at: DateTime<Utc>,
    pub refresh_token: String,
    pub refresh_expires_at: DateTime<Utc>,
}

/// Why a token is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TokenError {
    #[error("the token is malformed or its signature does not hold")]
    Invalid,
    #[error("the token has expired")]
    Expired,
    #[error("the token's session was logged out")]
    Revoked,
    #[error("the refresh token was already used")]
    Spent,
}

/// The sessions of one server instance.
pub struct Sessions {
    config: SessionConfig,
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    clock: Clock,
    faults: Faults,
    state: Mutex<State>,
}

impl std::fmt::Debug for Sessions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sessions")
            .field("access_token_seconds", &self.config.access_token_seconds)
            .field("refresh_token_seconds", &self.config.refresh_token_seconds)
            .finish_non_exhaustive()
    }
}

/// What the server remembers about tokens, each entry with the instant (seconds) after which it can be forgotten.
#[derive(Debug, Default)]
struct State {
    revoked_sessions: HashMap<String, i64>,
    spent_refresh_tokens: HashMap<String, i64>,
    /// Under `revoke_access_on_refresh`: the one access token each refreshed session may still use.
    current_access: HashMap<String, (String, i64)>,
}

impl State {
    fn forget_expired(&mut self, now: i64) {
        self.revoked_sessions.retain(|_, until| *until > now);
        self.spent_refresh_tokens.retain(|_, until| *until > now);
        self.current_access.retain(|_, (_, until)| *until > now);
    }
}

impl Sessions {
    pub fn new(config: SessionConfig, clock: Clock, faults: Faults) -> Self {
        let secret = match &config.jwt_secret {
            Some(secret) => secret.as_bytes().to_vec(),
            None => random_bytes::<32>().to_vec(),
        };
        let mut validation = Validation::new(Algorithm::HS256);
        // Expiry is checked on the API's clock, below.
        validation.validate_exp = false;
        validation.required_spec_claims = ["exp".to_owned()].into();
        Sessions {
            encoding: EncodingKey::from_secret(&secret),
            decoding: DecodingKey::from_secret(&secret),
            validation,
            config,
            clock,
            faults,
            state: Mutex::new(State::default()),
        }
    }

    /// A new session for a user who proved their password.
    pub fn login(&self, username: &str, client: &str) -> Issued {
        self.issue(username, client, &random_id())
    }

    /// The session a token belongs to, if the token is live.
    pub fn verify(&self, token: &str) -> Result<Session, TokenError> {
        let claims = jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .map_err(|_| TokenError::Invalid)?
            .claims;
        let now = self.clock.now().timestamp();
        // FAULT(expired-token-accepted): the expiry is not checked.
        if now >= claims.exp && !self.faults.is_active(Fault::ExpiredTokenAccepted) {
            return Err(TokenError::Expired);
        }
        let state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if state.revoked_sessions.contains_key(&claims.sid) {
            return Err(TokenError::Revoked);
        }
        match claims.typ {
            TokenKind::Refresh if state.spent_refresh_tokens.contains_key(&claims.jti) => {
                return Err(TokenError::Spent);
            }
            TokenKind::Access => {
                if let Some((current, _)) = state.current_access.get(&claims.sid)
                    && *current != claims.jti
                {
                    return Err(TokenError::Revoked);
                }
            }
            TokenKind::Refresh => {}
        }
        Ok(Session {
            username: claims.sub,
            client: claims.client,
            sid: claims.sid,
            jti: claims.jti,
            kind: claims.typ,
            expires_at: instant(claims.exp),
        })
    }

    /// Spends a live refresh token for a new pair of the same session.
    pub fn refresh(&self, session: &Session) -> Result<Issued, TokenError> {
        if session.kind != TokenKind::Refresh {
            return Err(TokenError::Invalid);
        }
        let now = self.clock.now().timestamp();
        {
            let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
            state.forget_expired(now);
            // Checked again under the lock: two refreshes with one token, only one wins.
            if state.spent_refresh_tokens.contains_key(&session.jti) {
                return Err(TokenError::Spent);
            }
            // FAULT(refresh-token-reusable): the refresh token is not spent.
            if !self.faults.is_active(Fault::RefreshTokenReusable) {
                state
                    .spent_refresh_tokens
                    .insert(session.jti.clone(), session.expires_at.timestamp());
            }
        }
        let issued = self.issue(&session.username, &session.client, &session.sid);
        if self.config.revoke_access_on_refresh {
            let jti = self
                .verify(&issued.access_token)
                .map(|s| s.jti)
                .map_err(|_| TokenError::Invalid)?;
            let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
            state.current_access.insert(
                session.sid.clone(),
                (jti, issued.refresh_expires_at.timestamp()),
            );
        }
        Ok(issued)
    }

    /// Revokes a session: every token of it is refused from now on.
    pub fn logout(&self, session: &Session) {
        // FAULT(logout-does-not-revoke): logout answers ok and revokes nothing.
        if self.faults.is_active(Fault::LogoutDoesNotRevoke) {
            return;
        }
        let now = self.clock.now().timestamp();
        // Every token of the session has expired once the longest-lived one could have.
        let until = now
            + i64::from(
                self.config
                    .access_token_seconds
                    .max(self.config.refresh_token_seconds),
            );
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.forget_expired(now);
        state.revoked_sessions.insert(session.sid.clone(), until);
    }

    fn issue(&self, username: &str, client: &str, sid: &str) -> Issued {
        let now = self.clock.now().timestamp();
        let token = |kind: TokenKind, seconds: u32| {
            let claims = Claims {
                sub: username.to_owned(),
                client: client.to_owned(),
                sid: sid.to_owned(),
                jti: random_id(),
                typ: kind,
                iat: now,
                exp: now + i64::from(seconds),
            };
            let text =
                jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
                    // Encoding plain claims with an HMAC key cannot fail.
                    .unwrap_or_default();
            (text, instant(claims.exp))
        };
        let (access_token, access_expires_at) =
            token(TokenKind::Access, self.config.access_token_seconds);
        let (refresh_token, refresh_expires_at) =
            token(TokenKind::Refresh, self.config.refresh_token_seconds);
        Issued {
            access_token,
            access_expires_at,
            refresh_token,
            refresh_expires_at,
        }
    }
}

fn instant(seconds: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(seconds, 0).unwrap_or_default()
}

fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    // Should the OS's generator fail, std's hasher keys (seeded from the OS once, then stepped) stand in.
    if getrandom::fill(&mut bytes).is_err() {
        use std::hash::{BuildHasher, RandomState};
        for chunk in bytes.chunks_mut(8) {
            let word = RandomState::new().hash_one(Utc::now().timestamp_nanos_opt());
            chunk.copy_from_slice(&word.to_le_bytes()[..chunk.len()]);
        }
    }
    bytes
}

/// A random id for a session or a token: 128 bits in hex.
fn random_id() -> String {
    random_bytes::<16>()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
