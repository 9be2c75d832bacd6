//! Lead pool rules (线索池 / 公海): who may claim, and when an untended customer goes back.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::types::LifecycleStage;

/// The `owner` filter value that means "nobody's": the lead pool.
pub const POOL: &str = "~pool";

/// After how many days without a follow-up a customer returns to the pool, per stage;
/// `None` keeps it with its owner however long.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecycleRules {
    pub lead: Option<u32>,
    pub opportunity: Option<u32>,
    pub customer: Option<u32>,
}

impl Default for RecycleRules {
    fn default() -> Self {
        // A lead nobody calls in a month is better off with someone who will; a signed
        // customer is never taken away automatically.
        RecycleRules { lead: Some(30), opportunity: Some(60), customer: None }
    }
}

impl RecycleRules {
    pub fn days_for(&self, stage: LifecycleStage) -> Option<u32> {
        match stage {
            LifecycleStage::Lead => self.lead,
            LifecycleStage::Opportunity => self.opportunity,
            LifecycleStage::Customer => self.customer,
            LifecycleStage::Churned => None,
        }
    }

    /// Whether an owned customer last touched at `last_activity` is due to go back.
    pub fn is_due(&self, stage: LifecycleStage, last_activity: DateTime<Utc>, now: DateTime<Utc>) -> bool {
        self.days_for(stage).is_some_and(|days| now - last_activity >= Duration::days(days as i64))
    }
}

/// Whether a rep who owns `owned` customers may take one more.
pub fn may_claim(owned: usize, max: u32) -> bool {
    owned < max as usize
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn stale_customers_are_due_by_stage() {
        let rules = RecycleRules::default();
        let now = Utc.with_ymd_and_hms(2026, 3, 31, 0, 0, 0).unwrap();
        let touched = |days: i64| now - Duration::days(days);
        assert!(rules.is_due(LifecycleStage::Lead, touched(30), now));
        assert!(!rules.is_due(LifecycleStage::Lead, touched(29), now));
        assert!(!rules.is_due(LifecycleStage::Opportunity, touched(59), now));
        assert!(rules.is_due(LifecycleStage::Opportunity, touched(60), now));
        assert!(!rules.is_due(LifecycleStage::Customer, touched(3650), now));
        assert!(!rules.is_due(LifecycleStage::Churned, touched(3650), now));
    }

    #[test]
    fn claiming_stops_at_the_limit() {
        assert!(may_claim(0, 1));
        assert!(!may_claim(1, 1));
        assert!(!may_claim(0, 0));
    }
}
