//! The time, injectable: the server reads the system clock, tests travel in time by hand.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, NaiveDate, Utc};

/// The time, injectable so tests can travel in it.
#[derive(Clone)]
pub struct Clock(Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>);

impl Clock {
    pub fn system() -> Self {
        Clock(Arc::new(Utc::now))
    }

    pub fn fixed(at: DateTime<Utc>) -> Self {
        Clock(Arc::new(move || at))
    }

    /// A clock a test moves by hand.
    pub fn manual(start: DateTime<Utc>) -> (Self, Arc<Mutex<DateTime<Utc>>>) {
        let now = Arc::new(Mutex::new(start));
        let read = now.clone();
        (Clock(Arc::new(move || *read.lock().unwrap_or_else(|p| p.into_inner()))), now)
    }

    pub fn now(&self) -> DateTime<Utc> {
        (self.0)()
    }

    pub fn today(&self) -> NaiveDate {
        self.now().date_naive()
    }
}
