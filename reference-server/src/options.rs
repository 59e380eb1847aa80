//! What the server is started with: the fixture seed, the active faults, and the configuration file's settings.

use std::path::Path;

use runtime::engine::Limits;
use serde::Deserialize;

use crate::faults::Faults;

/// Everything that shapes a server instance; `Options::default()` is the documented behaviour with seed 0.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Seed of the deterministic fixtures: the same seed gives the same data.
    pub seed: u64,
    pub faults: Faults,
    pub config: ServerConfig,
}

/// The `--config` file (TOML). Every setting is optional; the defaults are the documents' values.
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
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServerConfig {
    /// Request bodies above this size are refused with 413.
    pub max_body_bytes: usize,
    /// Limits on GraphQL documents (tokens, depth, aliases).
    pub limits: LimitsConfig,
    /// Quota overrides, so tests can use a small limit and a short window.
    pub rate_limits: Vec<RateLimitOverride>,
    /// Healthmov's token lifetimes (seconds, so tests can reach expiry), refresh policy and signing secret.
    pub healthmov: crate::healthmov::SessionConfig,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            max_body_bytes: 1024 * 1024,
            limits: LimitsConfig::default(),
            rate_limits: Vec::new(),
            healthmov: crate::healthmov::SessionConfig::default(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LimitsConfig {
    pub max_tokens: usize,
    pub max_depth: usize,
    pub max_aliases: usize,
}

impl Default for LimitsConfig {
    fn default() -> Self {
        let Limits {
            max_tokens,
            max_depth,
            max_aliases,
        } = Limits::default();
        LimitsConfig {
            max_tokens,
            max_depth,
            max_aliases,
        }
    }
}

impl From<LimitsConfig> for Limits {
    fn from(c: LimitsConfig) -> Self {
        Limits {
            max_tokens: c.max_tokens,
            max_depth: c.max_depth,
            max_aliases: c.max_aliases,
        }
    }
}

/// Replaces the declared quota of an API (of one token kind, or of all).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
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
    }
}
