//! The Healthmov API's clock: what token expiry, onboarding and offboarding are measured against. The server runs on
//! the system's; tests run on a manual one that they set and advance, so expiry and dates need no waiting.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};

/// The time as the API sees it.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    /// `None`: the system's clock.
    manual: Option<ManualClock>,
}

/// A clock that stands still until it is set or advanced; every [`Clock`] made from it follows it.
#[derive(Debug, Clone)]
pub struct ManualClock(Arc<Mutex<DateTime<Utc>>>);

impl Clock {
    /// The system's clock.
    pub fn system() -> Self {
        Clock { manual: None }
    }

    pub fn now(&self) -> DateTime<Utc> {
        match &self.manual {
            None => Utc::now(),
            Some(manual) => manual.now(),
        }
    }

    /// Today's date in UTC: the day onboarding and offboarding dates are compared with.
    pub fn today(&self) -> NaiveDate {
        self.now().date_naive()
    }
}

impl ManualClock {
    pub fn new(at: DateTime<Utc>) -> Self {
        ManualClock(Arc::new(Mutex::new(at)))
    }

    pub fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn set(&self, at: DateTime<Utc>) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = at;
    }

    pub fn advance(&self, by: TimeDelta) {
        let mut now = self.0.lock().unwrap_or_else(|e| e.into_inner());
        *now += by;
    }

    /// A [`Clock`] that reads this one.
    pub fn clock(&self) -> Clock {
        Clock {
            manual: Some(self.clone()),
        }
    }
}
