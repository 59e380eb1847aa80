//! Access by dates: an employee or dependent has access from its onboarding date until its offboarding date, both
//! days included, by the API's clock in UTC. The counts and `onboardedAt` of the `Employee` type follow from this.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};

/// The dates that decide a person's access: a dependent's own, else its parent employee's.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Window {
    pub onboarding: Option<NaiveDate>,
    pub offboarding: Option<NaiveDate>,
}

impl Window {
    /// A dependent's window: each date its own where given, else its parent's.
    pub fn inherit(own: Window, parent: Window) -> Window {
        Window {
            onboarding: own.onboarding.or(parent.onboarding),
            offboarding: own.offboarding.or(parent.offboarding),
        }
    }

    /// Whether the person has access on `today`.
    pub fn has_access(&self, today: NaiveDate) -> bool {
        self.onboarded(today) && !self.offboarded(today)
    }

    /// Whether the onboarding date has come.
    pub fn onboarded(&self, today: NaiveDate) -> bool {
        self.onboarding.is_some_and(|date| date <= today)
    }

    /// Whether the offboarding date has passed (the offboarding day itself still has access).
    pub fn offboarded(&self, today: NaiveDate) -> bool {
        self.offboarding.is_some_and(|date| date < today)
    }

    /// `onboardedAt`: the start of the onboarding day in UTC, once it has come.
    pub fn onboarded_at(&self, today: NaiveDate) -> Option<DateTime<Utc>> {
        self.onboarding
            .filter(|_| self.onboarded(today))
            .map(|date| date.and_time(NaiveTime::MIN).and_utc())
    }

    /// Whether the dates are in order: no offboarding before the onboarding.
    pub fn is_ordered(&self) -> bool {
        match (self.onboarding, self.offboarding) {
            (Some(on), Some(off)) => off >= on,
            _ => true,
        }
    }
}

/// The three counts of an employee's dependents on `today`. With `count_offboarded` (the
/// `offboarded-counted-onboarded` fault), dependents whose offboarding has passed still count as onboarded.
pub fn dependent_counts(
    dependents: &[Window],
    today: NaiveDate,
    count_offboarded: bool,
) -> (usize, usize, usize) {
    let onboarded = dependents
        .iter()
        .filter(|w| {
            if count_offboarded {
                w.onboarded(today)
            } else {
                w.has_access(today)
            }
        })
        .count();
    let offboarded = dependents.iter().filter(|w| w.offboarded(today)).count();
    (dependents.len(), onboarded, offboarded)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn window(on: Option<&str>, off: Option<&str>) -> Window {
        Window {
            onboarding: on.map(date),
            offboarding: off.map(date),
        }
    }

    /// (onboarding, offboarding, today) → (access, onboarded, offboarded, onboardedAt).
    #[test]
    fn access_runs_from_the_onboarding_day_through_the_offboarding_day() {
        let cases = [
            (
                Some("2025-01-10"),
                None,
                "2025-01-09",
                false,
                false,
                false,
                None,
            ),
            (
                Some("2025-01-10"),
                None,
                "2025-01-10",
                true,
                true,
                false,
                Some("2025-01-10T00:00:00Z"),
            ),
            (
                Some("2025-01-10"),
                Some("2025-02-01"),
                "2025-02-01",
                true,
                true,
                false,
                Some("2025-01-10T00:00:00Z"),
            ),
            (
                Some("2025-01-10"),
                Some("2025-02-01"),
                "2025-02-02",
                false,
                true,
                true,
                Some("2025-01-10T00:00:00Z"),
            ),
            (
                None,
                Some("2025-02-01"),
                "2025-03-01",
                false,
                false,
                true,
                None,
            ),
        ];
        for (on, off, today, access, onboarded, offboarded, at) in cases {
            let w = window(on, off);
            let today = date(today);
            assert_eq!(w.has_access(today), access, "{w:?} on {today}");
            assert_eq!(w.onboarded(today), onboarded, "{w:?} on {today}");
            assert_eq!(w.offboarded(today), offboarded, "{w:?} on {today}");
            assert_eq!(
                w.onboarded_at(today)
                    .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
                at.map(str::to_owned)
            );
        }
        assert!(!window(Some("2025-02-01"), Some("2025-01-31")).is_ordered());
        assert!(window(Some("2025-02-01"), Some("2025-02-01")).is_ordered());
        let parent = window(Some("2025-01-01"), Some("2025-12-31"));
        assert_eq!(
            Window::inherit(window(Some("2025-03-01"), None), parent),
            window(Some("2025-03-01"), Some("2025-12-31"))
        );
    }

    #[test]
    fn counts_split_onboarded_and_offboarded_and_the_fault_merges_them() {
        let today = date("2025-06-01");
        let dependents = [
            window(Some("2025-01-01"), None),
            window(Some("2025-01-01"), Some("2025-05-01")),
            window(Some("2025-09-01"), None),
        ];
        assert_eq!(dependent_counts(&dependents, today, false), (3, 1, 1));
        assert_eq!(dependent_counts(&dependents, today, true), (3, 2, 1));
    }
}
