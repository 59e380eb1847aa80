//! Request quotas per API and principal, in fixed windows aligned to multiples of the window length since the
//! epoch (a one-hour window resets at the top of the hour, as the Greenhouse examples show). Counters of windows
//! that have ended are pruned, so memory follows the principals active in the current windows, not every token or
//! address a client ever sent.

use std::collections::HashMap;
use std::sync::Mutex;

use chrono::{DateTime, TimeZone, Utc};

use crate::api::RateLimitInfo;
use crate::faults::{Fault, Faults};

/// Counts requests per (API, principal) in the current window.
#[derive(Debug, Default)]
pub struct RateLimiter {
    counters: Mutex<Counters>,
    /// FAULT(quota-shared-between-keys): every principal of an API counts against one quota.
    shared_quota: bool,
    /// FAULT(quota-never-resets): an exhausted quota does not come back in a later window.
    never_resets: bool,
}

/// The counters, and the size at which the next prune runs: pruning when the map has doubled since the last one
/// keeps its cost constant per request, amortised.
#[derive(Debug, Default)]
struct Counters {
    map: HashMap<(String, String), Counter>,
    prune_at: usize,
}

/// The fewest counters a prune is worth running for.
const PRUNE_FLOOR: usize = 1024;

#[derive(Debug, Clone, Copy)]
struct Counter {
    /// The window's index since the epoch, and its length in seconds.
    window: i64,
    window_seconds: i64,
    used: u32,
    limit: u32,
}

impl Counter {
    /// Whether the counter still decides something at `now`: its window has not ended, or (the quota-never-resets
    /// fault) it is spent for good.
    fn live(&self, now: i64, never_resets: bool) -> bool {
        now.div_euclid(self.window_seconds) == self.window
            || (never_resets && self.used >= self.limit)
    }
}

/// The outcome of counting one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Counted; the quota after it.
    Allowed(RateLimitInfo),
    /// The quota is spent: not counted, nothing may happen.
    Refused(RateLimitInfo),
}

/// What one request costs: the quota counts requests.
pub const REQUEST_COST: u32 = 1;

impl RateLimiter {
    /// A limiter with the quota faults among `faults` (none: [`RateLimiter::default`]).
    pub fn new(faults: &Faults) -> Self {
        RateLimiter {
            counters: Mutex::default(),
            shared_quota: faults.is_active(Fault::QuotaSharedBetweenKeys),
            never_resets: faults.is_active(Fault::QuotaNeverResets),
        }
    }

    /// Counts a request of `principal` against `limit` requests per `window_seconds`.
    pub fn check(
        &self,
        api: &str,
        principal: &str,
        limit: u32,
        window_seconds: u32,
        now: DateTime<Utc>,
    ) -> Decision {
        let window_seconds = i64::from(window_seconds.max(1));
        let window = now.timestamp().div_euclid(window_seconds);
        let reset_at = Utc
            .timestamp_opt((window + 1) * window_seconds, 0)
            .single()
            .unwrap_or(now);
        let mut counters = self.counters.lock().unwrap_or_else(|e| e.into_inner());
        if counters.map.len() >= counters.prune_at.max(PRUNE_FLOOR) {
            let (at, never_resets) = (now.timestamp(), self.never_resets);
            counters.map.retain(|_, c| c.live(at, never_resets));
            counters.prune_at = counters.map.len() * 2;
        }
        let principal = if self.shared_quota { "" } else { principal };
        let fresh = Counter {
            window,
            window_seconds,
            used: 0,
            limit,
        };
        let counter = counters
            .map
            .entry((api.to_owned(), principal.to_owned()))
            .or_insert(fresh);
        if counter.window != window && !(self.never_resets && counter.used >= limit) {
            *counter = fresh;
        }
        if counter.used + REQUEST_COST > limit {
            return Decision::Refused(RateLimitInfo {
                limit,
                remaining: limit - counter.used.min(limit),
                reset_at,
                cost: 0,
            });
        }
        counter.used += REQUEST_COST;
        Decision::Allowed(RateLimitInfo {
            limit,
            remaining: limit - counter.used,
            reset_at,
            cost: REQUEST_COST,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(seconds, 0).unwrap()
    }

    #[test]
    fn counts_down_refuses_then_resets_at_the_window_boundary() {
        let limiter = RateLimiter::default();
        let first = limiter.check("api", "key", 2, 3600, at(7200 + 10));
        assert_eq!(
            first,
            Decision::Allowed(RateLimitInfo {
                limit: 2,
                remaining: 1,
                reset_at: at(10800),
                cost: 1
            })
        );
        assert!(
            matches!(limiter.check("api", "key", 2, 3600, at(7300)), Decision::Allowed(i) if i.remaining == 0)
        );
        assert!(
            matches!(limiter.check("api", "key", 2, 3600, at(7400)), Decision::Refused(i) if i.remaining == 0)
        );
        assert!(
            matches!(limiter.check("api", "key", 2, 3600, at(10800)), Decision::Allowed(i) if i.remaining == 1)
        );
    }

    #[test]
    fn counters_of_ended_windows_are_pruned() {
        let limiter = RateLimiter::default();
        let mut most = 0;
        // 100 windows of a minute, each with 100 tokens never seen before: 10,000 principals in all.
        for window in 0..100 {
            for token in 0..100 {
                let principal = format!("token-{window}-{token}");
                let decision = limiter.check("api", &principal, 5, 60, at(window * 60 + 1));
                assert!(matches!(decision, Decision::Allowed(_)));
                let tracked = limiter.counters.lock().unwrap().map.len();
                most = most.max(tracked);
            }
        }
        assert!(
            most <= PRUNE_FLOOR,
            "{most} counters held for 100 live principals at a time"
        );
        // A principal still within its window keeps its count through a prune.
        let limiter = RateLimiter::default();
        for _ in 0..5 {
            limiter.check("api", "steady", 5, 3600, at(10));
        }
        for token in 0..2 * PRUNE_FLOOR {
            limiter.check("api", &format!("t{token}"), 5, 1, at(20 + token as i64));
        }
        assert!(matches!(
            limiter.check("api", "steady", 5, 3600, at(3000)),
            Decision::Refused(_)
        ));
    }

    #[test]
    fn principals_and_apis_are_isolated() {
        let limiter = RateLimiter::default();
        assert!(matches!(
            limiter.check("a", "k1", 1, 60, at(0)),
            Decision::Allowed(_)
        ));
        assert!(matches!(
            limiter.check("a", "k1", 1, 60, at(1)),
            Decision::Refused(_)
        ));
        assert!(matches!(
            limiter.check("a", "k2", 1, 60, at(1)),
            Decision::Allowed(_)
        ));
        assert!(matches!(
            limiter.check("b", "k1", 1, 60, at(1)),
            Decision::Allowed(_)
        ));
    }
}
