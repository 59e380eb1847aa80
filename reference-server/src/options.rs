//! What the server is started with: the fixture seed, the active faults, and the configuration file's settings,
//! which `--print-config` prints with their defaults and a line of explanation each.

use std::fmt::Write as _;
use std::path::Path;
use std::time::Duration;

use runtime::engine::Limits;
use serde::{Deserialize, Serialize};

use crate::faults::Faults;

/// Everything that shapes a server instance; `Options::default()` is the documented behaviour with seed 0.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Seed of the deterministic fixtures: the same seed gives the same data.
    pub seed: u64,
    pub faults: Faults,
    pub config: ServerConfig,
}

/// The `--config` file (TOML). Every setting is optional; the defaults are the documents' values. `--print-config`
/// prints them all.
///
/// ```toml
/// max_body_bytes = 1048576
///
/// [limits]
/// max_depth = 12
///
/// [[rate_limits]]
/// api = "greenhouse_onboarding"
/// limit = 5
/// window_seconds = 2
///
/// [healthmov]
/// access_token_seconds = 10800
/// refresh_token_seconds = 604800
/// ```
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServerConfig {
    /// Request bodies above this size are refused with 413.
    pub max_body_bytes: usize,
    /// The URL clients reach the server at (`https://hr.example.com`), for absolute links such as Workable's
    /// `paging.next`; without it, links are built from the request's `Host` header.
    pub public_base_url: Option<String>,
    /// Limits on GraphQL documents, and the memory of the cache of prepared documents.
    pub limits: Limits,
    /// Connections, timeouts and cross-origin requests.
    pub http: HttpConfig,
    /// Quota overrides, so tests can use a small limit and a short window.
    pub rate_limits: Vec<RateLimitOverride>,
    /// Healthmov's token lifetimes (seconds, so tests can reach expiry), refresh policy and signing secret.
    pub healthmov: crate::healthmov::SessionConfig,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            max_body_bytes: 1024 * 1024,
            public_base_url: None,
            limits: Limits::default(),
            http: HttpConfig::default(),
            rate_limits: Vec::new(),
            healthmov: crate::healthmov::SessionConfig::default(),
        }
    }
}

/// The transport's limits: what a slow, idle or greedy client can hold.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct HttpConfig {
    /// Connections served at once; further clients wait in the listen queue until one closes.
    pub max_connections: usize,
    /// Seconds a connection may take to send a request's headers, counted from when the server starts waiting for
    /// them: an idle keep-alive connection is closed after this long too.
    pub header_read_timeout_seconds: u64,
    /// Seconds a request's body may take to arrive (408 past it).
    pub body_read_timeout_seconds: u64,
    /// Seconds a request may take from its headers to its response (408 past it).
    pub request_timeout_seconds: u64,
    /// Longest request target (path and query string) in bytes (414 past it).
    pub max_uri_bytes: usize,
    /// Origins browsers may call the APIs from (`https://app.example.com`), or `["*"]` for any; empty: only pages
    /// served from loopback (`http://localhost:*`, `http://127.0.0.1:*`, `http://[::1]:*`).
    pub cors_allowed_origins: Vec<String>,
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            max_connections: 512,
            header_read_timeout_seconds: 15,
            body_read_timeout_seconds: 30,
            request_timeout_seconds: 30,
            max_uri_bytes: 8 * 1024,
            cors_allowed_origins: Vec::new(),
        }
    }
}

impl HttpConfig {
    pub fn header_read_timeout(&self) -> Duration {
        Duration::from_secs(self.header_read_timeout_seconds)
    }

    pub fn body_read_timeout(&self) -> Duration {
        Duration::from_secs(self.body_read_timeout_seconds)
    }

    pub fn request_timeout(&self) -> Duration {
        Duration::from_secs(self.request_timeout_seconds)
    }
}

/// Replaces the declared quota of an API (of one token kind, or of all).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RateLimitOverride {
    /// `@api(name:)`, e.g. `greenhouse_onboarding`.
    pub api: String,
    pub token_kind: Option<String>,
    pub limit: Option<u32>,
    pub window_seconds: Option<u32>,
}

impl ServerConfig {
    /// Reads a `--config` file.
    pub fn load(path: &Path) -> anyhow::Result<Self> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| anyhow::anyhow!("cannot read config file `{}`: {e}", path.display()))?;
        toml::from_str(&text)
            .map_err(|e| anyhow::anyhow!("invalid config file `{}`: {e}", path.display()))
    }

    /// Every setting with its value and a one-line comment, as a TOML file that `--config` loads back.
    pub fn documented(&self) -> String {
        let mut out = String::from(
            "# reference-server configuration (--config FILE). Every setting is optional; these are the values in force.\n\n",
        );
        let l = &self.limits;
        let h = &self.http;
        let s = &self.healthmov;
        for (section, key, value, comment) in [
            (
                "",
                "max_body_bytes",
                value(&self.max_body_bytes),
                "Request bodies above this many bytes are refused with 413.",
            ),
            (
                "",
                "public_base_url",
                value(&self.public_base_url),
                "URL clients reach the server at (\"https://hr.example.com\"), for absolute links such as paging.next; unset: the request's Host header.",
            ),
            (
                "limits",
                "max_bytes",
                value(&l.max_bytes),
                "Bytes of a GraphQL document (send long values as variables).",
            ),
            (
                "limits",
                "max_tokens",
                value(&l.max_tokens),
                "Lexical tokens of a document (names, punctuators, numbers, strings; not whitespace, commas or comments).",
            ),
            (
                "limits",
                "max_depth",
                value(&l.max_depth),
                "Nesting of fields, fragments expanded; __schema and __type count as one level.",
            ),
            (
                "limits",
                "max_introspection_depth",
                value(&l.max_introspection_depth),
                "Nesting below __schema or __type (graphql-js's standard introspection query needs 15).",
            ),
            (
                "limits",
                "max_fields",
                value(&l.max_fields),
                "Fields an operation selects once its fragments are expanded.",
            ),
            (
                "limits",
                "max_aliases",
                value(&l.max_aliases),
                "Aliased fields in a document.",
            ),
            (
                "limits",
                "max_directives",
                value(&l.max_directives),
                "Directives applied in a document.",
            ),
            (
                "limits",
                "cache_bytes",
                value(&l.cache_bytes),
                "Estimated memory of the cache of prepared documents (only authenticated clients' documents are cached).",
            ),
            (
                "http",
                "max_connections",
                value(&h.max_connections),
                "Connections served at once; further clients wait until one closes.",
            ),
            (
                "http",
                "header_read_timeout_seconds",
                value(&h.header_read_timeout_seconds),
                "Time to send a request's headers, from when the server waits for them (closes idle keep-alive connections too).",
            ),
            (
                "http",
                "body_read_timeout_seconds",
                value(&h.body_read_timeout_seconds),
                "Time for a request's body to arrive (408 past it).",
            ),
            (
                "http",
                "request_timeout_seconds",
                value(&h.request_timeout_seconds),
                "Time from a request's headers to its response (408 past it).",
            ),
            (
                "http",
                "max_uri_bytes",
                value(&h.max_uri_bytes),
                "Longest request target, path and query string (414 past it).",
            ),
            (
                "http",
                "cors_allowed_origins",
                value(&h.cors_allowed_origins),
                "Origins browsers may call from, or [\"*\"]; empty: loopback pages only (http://localhost:PORT and the like).",
            ),
            (
                "healthmov",
                "access_token_seconds",
                value(&s.access_token_seconds),
                "How long a Healthmov access token lives (the public page says \"a few hours\").",
            ),
            (
                "healthmov",
                "refresh_token_seconds",
                value(&s.refresh_token_seconds),
                "How long a Healthmov refresh token lives.",
            ),
            (
                "healthmov",
                "revoke_access_on_refresh",
                value(&s.revoke_access_on_refresh),
                "Whether refreshToken also revokes the access tokens issued before it (otherwise they live until they expire).",
            ),
            (
                "healthmov",
                "jwt_secret",
                value(&s.jwt_secret),
                "The HS256 secret Healthmov tokens are signed with; unset: random for each process.",
            ),
        ] {
            if !section.is_empty() && !out.contains(&format!("[{section}]\n")) {
                let _ = write!(out, "\n[{section}]\n");
            }
            let _ = writeln!(out, "# {comment}");
            match value {
                Some(value) => {
                    let _ = writeln!(out, "{key} = {value}");
                }
                None => {
                    let _ = writeln!(out, "# {key} =");
                }
            }
        }
        out.push_str(
            "\n# Quota overrides, one table per API (and token kind), e.g. a short window for the conformance harness:\n\
             # [[rate_limits]]\n# api = \"greenhouse_onboarding\"   # or \"workable_members\"\n\
             # token_kind = \"account\"            # Workable: account or oauth; omitted: every kind\n\
             # limit = 8\n# window_seconds = 1\n",
        );
        for o in &self.rate_limits {
            let _ = write!(
                out,
                "\n[[rate_limits]]\napi = {}\n",
                value(&o.api).unwrap_or_default()
            );
            for (key, v) in [
                ("token_kind", value(&o.token_kind)),
                ("limit", value(&o.limit)),
                ("window_seconds", value(&o.window_seconds)),
            ] {
                if let Some(v) = v {
                    let _ = writeln!(out, "{key} = {v}");
                }
            }
        }
        out
    }

    /// The quota of an API for a token kind: the declared one, with any override applied.
    pub fn rate_limit(
        &self,
        rules: &runtime::rules::ApiRules,
        token_kind: Option<&str>,
    ) -> Option<(u32, u32)> {
        let declared = rules.rate_limit_for(token_kind)?;
        let applies = |o: &&RateLimitOverride| {
            o.api == rules.name && (o.token_kind.is_none() || o.token_kind.as_deref() == token_kind)
        };
        let mut quota = (declared.limit, declared.window_seconds);
        for o in self.rate_limits.iter().filter(applies) {
            quota = (
                o.limit.unwrap_or(quota.0),
                o.window_seconds.unwrap_or(quota.1),
            );
        }
        Some(quota)
    }
}

/// A setting's value in TOML, or `None` when it is unset.
fn value<T: Serialize>(setting: &T) -> Option<String> {
    toml::Value::try_from(setting).ok().map(|v| v.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_example_parses_and_unknown_keys_are_refused() {
        let config: ServerConfig = toml::from_str(
            "max_body_bytes = 1048576\n[limits]\nmax_depth = 12\n[[rate_limits]]\napi = \"greenhouse_onboarding\"\nlimit = 5\nwindow_seconds = 2\n",
        )
        .unwrap();
        assert_eq!(config.limits.max_depth, 12);
        assert_eq!(config.rate_limits[0].limit, Some(5));
        assert!(toml::from_str::<ServerConfig>("max_body = 1").is_err());
        assert!(toml::from_str::<ServerConfig>("[http]\nmax_connection = 1").is_err());
    }

    #[test]
    fn the_printed_configuration_loads_back_and_names_every_setting() {
        let mut config = ServerConfig {
            public_base_url: Some("https://hr.example.com".into()),
            ..ServerConfig::default()
        };
        config.http.cors_allowed_origins = vec!["https://app.example.com".into()];
        config.rate_limits.push(RateLimitOverride {
            api: "workable_members".into(),
            token_kind: Some("oauth".into()),
            limit: Some(20),
            window_seconds: None,
        });
        for config in [ServerConfig::default(), config] {
            let printed = config.documented();
            let loaded: ServerConfig =
                toml::from_str(&printed).unwrap_or_else(|e| panic!("{e}\n{printed}"));
            assert_eq!(loaded, config, "{printed}");
        }
        // Every field of every section appears, so a new setting cannot be forgotten here.
        let printed = ServerConfig::default().documented();
        let all = toml::Value::try_from(ServerConfig {
            public_base_url: Some(String::new()),
            ..ServerConfig::default()
        })
        .unwrap();
        for (key, value) in all.as_table().unwrap() {
            match value.as_table() {
                Some(section) => {
                    for inner in section.keys() {
                        assert!(
                            printed.contains(&format!("\n{inner} =")),
                            "{key}.{inner} missing"
                        );
                    }
                }
                None if value.is_array() => {
                    assert!(printed.contains(&format!("[[{key}]]")), "{key} missing")
                }
                None => assert!(printed.contains(&format!("{key} =")), "{key} missing"),
            }
        }
    }
}
