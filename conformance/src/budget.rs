//! The plan fitted to the request budget (`--max-requests`) before the run starts, so that every property runs with
//! fewer cases instead of the last ones going inconclusive when the budget runs out midway.
//!
//! How cases are shared: each property's requests are estimated (what it sends before its cases, plus its cases times
//! what one case sends, below); when the sum is over the budget (less a fifth kept for heavy cases, shrinking and
//! throttled retries), every property keeps one case and the cases above one are cut by one factor for all, so each property
//! keeps its share of the run.

use crate::property::{Group, Property, Settings, Target};

/// The budget kept back for what no estimate foresees: a case heavier than the average (a walk one item a page),
/// shrinking a failure, retries of throttled requests.
const RESERVE: f64 = 0.2;

/// What each property of each API sends before its cases (a reference walk, say) and per case, measured against the
/// embedded server: `requests` of the JSON report of a default run (`--cases 24`) and of a run with `--cases 1`,
/// solved for the two (rounded up). A property not listed (a new one) counts [`DEFAULT_PER_CASE`] a case. X1 runs
/// every documented example whatever `--cases` says: its examples are its setup.
const MEASURED: &[(&str, &str, f64, f64)] = &[
    ("greenhouse_onboarding", "A1", 0.0, 9.0),
    ("greenhouse_onboarding", "E3", 0.0, 2.0),
    ("greenhouse_onboarding", "F1", 23.0, 4.0),
    ("greenhouse_onboarding", "M1", 7.0, 15.0),
    ("greenhouse_onboarding", "P1", 20.0, 8.0),
    ("greenhouse_onboarding", "P2", 35.0, 5.0),
    ("greenhouse_onboarding", "P3", 19.0, 2.0),
    ("greenhouse_onboarding", "P4", 19.0, 1.0),
    ("greenhouse_onboarding", "P5", 19.0, 1.0),
    ("greenhouse_onboarding", "P6", 19.0, 1.0),
    ("greenhouse_onboarding", "P7", 19.0, 2.0),
    ("greenhouse_onboarding", "P8", 0.0, 12.0),
    ("greenhouse_onboarding", "T1", 7.0, 0.0),
    ("greenhouse_onboarding", "X1", 32.0, 0.0),
    ("healthmov_user_management", "A1", 0.0, 9.0),
    ("healthmov_user_management", "E3", 0.0, 2.0),
    ("healthmov_user_management", "H1", 8.0, 10.0),
    ("healthmov_user_management", "H2", 0.0, 31.0),
    ("healthmov_user_management", "P1", 6.0, 3.0),
    ("healthmov_user_management", "P2", 2.0, 3.0),
    ("healthmov_user_management", "P3", 2.0, 2.0),
    ("healthmov_user_management", "P4", 2.0, 1.0),
    ("healthmov_user_management", "P5", 2.0, 1.0),
    ("healthmov_user_management", "P6", 2.0, 1.0),
    ("healthmov_user_management", "P7", 3.0, 2.0),
    ("healthmov_user_management", "P8", 0.0, 20.0),
    ("healthmov_user_management", "T1", 5.0, 0.0),
    ("healthmov_user_management", "X1", 23.0, 0.0),
    ("workable_members", "A1", 0.0, 9.0),
    ("workable_members", "A3", 70.0, 26.0),
    ("workable_members", "A4", 0.0, 3.0),
    ("workable_members", "A5", 0.0, 2.0),
    ("workable_members", "E6", 6.0, 1.0),
    ("workable_members", "M2", 0.0, 11.0),
    ("workable_members", "P9", 11.0, 3.0),
    ("workable_members", "P10", 7.0, 2.0),
    ("workable_members", "P11", 8.0, 2.0),
    ("workable_members", "S1", 2.0, 0.0),
    ("worksome", "A1", 0.0, 9.0),
    ("worksome", "A2", 0.0, 90.0),
    ("worksome", "E3", 0.0, 2.0),
    ("worksome", "E7", 11.0, 125.0),
    ("worksome", "M3", 0.0, 27.0),
    ("worksome", "O1", 12.0, 166.0),
    ("worksome", "O2", 10.0, 17.0),
    ("worksome", "O3", 7.0, 20.0),
    ("worksome", "P12", 66.0, 3.0),
    ("worksome", "P13", 66.0, 2.0),
    ("worksome", "T1", 5.0, 0.0),
];

/// Requests a case sends when the table does not say: most properties send one.
const DEFAULT_PER_CASE: f64 = 1.0;

/// What `property` sends against `target` before its cases, and per case: a rate-limit property exhausts a quota
/// twice a case (within `--max-wait`; it sends next to nothing otherwise); the others as measured.
pub fn requests(target: &Target, property: &Property, settings: &Settings) -> Cost {
    if property.group == Group::RateLimits {
        let kind = target.primary().and_then(|c| c.token_kind.as_deref());
        let per_case = match target.quota_for(kind) {
            Some((limit, window)) if u64::from(window) <= settings.max_wait.as_secs() => {
                2.0 * f64::from(limit + 1)
            }
            _ => 1.0,
        };
        return Cost {
            setup: 0.0,
            per_case,
        };
    }
    MEASURED
        .iter()
        .find(|(api, id, _, _)| *api == &*target.rules.name && *id == property.id)
        .map_or(
            Cost {
                setup: 0.0,
                per_case: DEFAULT_PER_CASE,
            },
            |(_, _, setup, per_case)| Cost {
                setup: *setup,
                per_case: *per_case,
            },
        )
}

/// What a property is expected to send: before its cases, and per case.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cost {
    pub setup: f64,
    pub per_case: f64,
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

/// Fits `planned` (each property's cases and cost, in plan order; zero cases for a property that will not run) into
/// `budget` requests.
pub fn fit(planned: &[(u32, Cost)], budget: Option<u64>) -> Fit {
    let estimate = |cases: &[u32]| -> u64 {
        planned
            .iter()
            .zip(cases)
            .filter(|(_, n)| **n > 0)
            .map(|((_, cost), n)| cost.setup + f64::from(*n) * cost.per_case)
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
        .map(|(n, cost)| f64::from(n.saturating_sub(1)) * cost.per_case)
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
        let cost = |setup: f64, per_case: f64| Cost { setup, per_case };
        let (cheap, costly, walked) = (cost(0.0, 5.0), cost(0.0, 60.0), cost(40.0, 5.0));
        // (planned cases and cost, budget) → cases run.
        type Row = (Vec<(u32, Cost)>, Option<u64>, Vec<u32>);
        let table: Vec<Row> = vec![
            (vec![(24, cheap), (24, costly)], None, vec![24, 24]),
            (vec![(24, cheap), (24, costly)], Some(2000), vec![24, 24]),
            // 1,560 requests planned, 800 usable: one case each (65), then 23 × 65 = 1,495 above for 735 left.
            (vec![(24, cheap), (24, costly)], Some(1000), vec![12, 12]),
            // Not even one case each fits: one case each, the run's budget stops the rest.
            (vec![(24, cheap), (24, costly)], Some(10), vec![1, 1]),
            // A property that does not run keeps none, and costs nothing.
            (vec![(0, cheap), (24, costly)], Some(1100), vec![0, 14]),
            // What a property sends before its cases is paid once: 96 usable, 45 at one case, 51 for 23 × 5.
            (vec![(24, walked)], Some(120), vec![11]),
        ];
        for (planned, budget, expected) in table {
            assert_eq!(
                fit(&planned, budget).cases,
                expected,
                "{planned:?} within {budget:?}"
            );
        }
        let fitted = fit(&[(24, cheap), (24, costly)], Some(1000));
        assert!(fitted.trimmed && fitted.estimate <= 800, "{fitted:?}");
    }
}
