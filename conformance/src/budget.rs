//! The plan fitted to the request budget (`--max-requests`) before the run starts, so that every property runs with
//! fewer cases instead of the last ones going inconclusive when the budget runs out midway.
//!
//! How cases are shared: each property's requests are estimated (its cases times what one case sends, below); when
//! the sum is over the budget (less a tenth kept for shrinking and throttled retries), every property keeps one case
//! and the cases above one are cut by one factor for all, so each property keeps its share of the run.

use crate::property::{Group, Property, Settings, Target};

/// The budget kept back for what no estimate foresees: shrinking a failure, retries of throttled requests.
const RESERVE: f64 = 0.1;

/// Requests per case of each property of each API, measured in a default run against the embedded server
/// (`conformance --report json=run.json`: `requests / cases` of each result, rounded up). A property not listed (a
/// new one) counts [`DEFAULT_PER_CASE`].
const MEASURED: &[(&str, &str, f64)] = &[
    ("greenhouse_onboarding", "A1", 9.0),
    ("greenhouse_onboarding", "E3", 2.0),
    ("greenhouse_onboarding", "F1", 5.0),
    ("greenhouse_onboarding", "M1", 15.0),
    ("greenhouse_onboarding", "P1", 9.0),
    ("greenhouse_onboarding", "P2", 6.0),
    ("greenhouse_onboarding", "P3", 3.0),
    ("greenhouse_onboarding", "P4", 2.0),
    ("greenhouse_onboarding", "P5", 2.0),
    ("greenhouse_onboarding", "P6", 2.0),
    ("greenhouse_onboarding", "P7", 3.0),
    ("greenhouse_onboarding", "P8", 11.0),
    ("greenhouse_onboarding", "T1", 7.0),
    ("healthmov_user_management", "A1", 9.0),
    ("healthmov_user_management", "E3", 2.0),
    ("healthmov_user_management", "H1", 11.0),
    ("healthmov_user_management", "H2", 31.0),
    ("healthmov_user_management", "P1", 3.0),
    ("healthmov_user_management", "P2", 3.0),
    ("healthmov_user_management", "P3", 3.0),
    ("healthmov_user_management", "P7", 2.0),
    ("healthmov_user_management", "P8", 20.0),
    ("healthmov_user_management", "T1", 5.0),
    ("healthmov_user_management", "X1", 2.0),
    ("workable_members", "A1", 9.0),
    ("workable_members", "A3", 28.0),
    ("workable_members", "A4", 3.0),
    ("workable_members", "A5", 2.0),
    ("workable_members", "E6", 2.0),
    ("workable_members", "M2", 11.0),
    ("workable_members", "P9", 3.0),
    ("workable_members", "P10", 3.0),
    ("workable_members", "P11", 2.0),
    ("workable_members", "S1", 2.0),
];

/// Requests a case sends when the table does not say: most properties send one.
const DEFAULT_PER_CASE: f64 = 1.0;

/// What one case of `property` sends against `target`: a rate-limit property exhausts a quota twice a case
/// (within `--max-wait`; it sends next to nothing otherwise); the others as measured.
pub fn requests_per_case(target: &Target, property: &Property, settings: &Settings) -> f64 {
    if property.group == Group::RateLimits {
        let kind = target.primary().and_then(|c| c.token_kind.as_deref());
        return match target.quota_for(kind) {
            Some((limit, window)) if u64::from(window) <= settings.max_wait.as_secs() => {
                2.0 * f64::from(limit + 1)
            }
            _ => 1.0,
        };
    }
    MEASURED
        .iter()
        .find(|(api, id, _)| *api == &*target.rules.name && *id == property.id)
        .map_or(DEFAULT_PER_CASE, |(_, _, n)| *n)
}

/// The plan fitted to a budget.
#[derive(Debug, Clone, PartialEq)]
pub struct Fit {
    /// Cases of each property, in plan order.
    pub cases: Vec<u32>,
    /// The requests the fitted plan is expected to send.
    pub estimate: u64,
    /// Whether any property lost cases.
    pub trimmed: bool,
}

/// Fits `planned` (cases and requests per case of each property, in plan order; zero cases for a property that
/// will not run) into `budget` requests.
pub fn fit(planned: &[(u32, f64)], budget: Option<u64>) -> Fit {
    let estimate = |cases: &[u32]| -> u64 {
        planned
            .iter()
            .zip(cases)
            .map(|((_, per_case), n)| f64::from(*n) * per_case)
            .sum::<f64>()
            .ceil() as u64
    };
    let wanted: Vec<u32> = planned.iter().map(|(n, _)| *n).collect();
    let full = estimate(&wanted);
    let usable = budget.map(|b| b as f64 * (1.0 - RESERVE));
    let Some(usable) = usable.filter(|u| full as f64 > *u) else {
        return Fit {
            cases: wanted,
            estimate: full,
            trimmed: false,
        };
    };
    let floor: Vec<u32> = wanted.iter().map(|n| (*n).min(1)).collect();
    let at_floor = estimate(&floor) as f64;
    let above: f64 = planned
        .iter()
        .map(|(n, per_case)| f64::from(n.saturating_sub(1)) * per_case)
        .sum();
    let factor = if above > 0.0 {
        ((usable - at_floor) / above).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let cases: Vec<u32> = wanted
        .iter()
        .map(|n| match n {
            0 => 0,
            n => 1 + (f64::from(n - 1) * factor).floor() as u32,
        })
        .collect();
    Fit {
        estimate: estimate(&cases),
        trimmed: cases != wanted,
        cases,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plan_within_the_budget_is_kept_and_one_over_it_shares_the_cut() {
        let cases = |planned: &[(u32, f64)], budget: Option<u64>| fit(planned, budget).cases;
        // (planned cases and requests per case, budget) → cases run.
        type Row = (&'static [(u32, f64)], Option<u64>, &'static [u32]);
        let table: &[Row] = &[
            (&[(24, 5.0), (24, 60.0)], None, &[24, 24]),
            (&[(24, 5.0), (24, 60.0)], Some(2000), &[24, 24]),
            // 1,560 requests planned, 900 usable: one case each (65), then 23 × 65 = 1,495 above for 835 left.
            (&[(24, 5.0), (24, 60.0)], Some(1000), &[13, 13]),
            // Not even one case each fits: one case each, the run's budget stops the rest.
            (&[(24, 5.0), (24, 60.0)], Some(10), &[1, 1]),
            // A property that does not run keeps none.
            (&[(0, 5.0), (24, 60.0)], Some(1100), &[0, 16]),
        ];
        for (planned, budget, expected) in table {
            assert_eq!(
                cases(planned, *budget),
                *expected,
                "{planned:?} within {budget:?}"
            );
        }
        let fitted = fit(&[(24, 5.0), (24, 60.0)], Some(1000));
        assert!(fitted.trimmed && fitted.estimate <= 900, "{fitted:?}");
    }
}
