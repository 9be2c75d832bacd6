//! After-sales churn signals (流失信号) for the insight panel: a complaint still open, and a
//! recent low satisfaction score — each with its reason, so the rep knows what to repair.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::surveys::SurveyKind;

/// A low score counts as a signal for this long after it was given.
pub const LOW_SCORE_DAYS: i64 = 180;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "signal")]
pub enum ServiceSignal {
    /// A complaint ticket not yet solved: its title and category, since when.
    OpenComplaint { title: String, category: String, since: DateTime<Utc> },
    /// The latest answer of a kind was low (CSAT ≤ 2, NPS ≤ 6): the score and reason given.
    LowScore { kind: SurveyKind, score: u8, reason: String, at: DateTime<Utc> },
}

/// An answered survey as the signals read it.
pub struct Answered<'a> {
    pub kind: SurveyKind,
    pub score: u8,
    pub reason: &'a str,
    pub at: DateTime<Utc>,
}

/// The signals: every open complaint, oldest first; and for each survey kind its latest
/// answer if that was low and recent (a later good answer means it was repaired).
pub fn service_signals(open_complaints: &[(String, String, DateTime<Utc>)], answers: &[Answered<'_>], now: DateTime<Utc>) -> Vec<ServiceSignal> {
    let mut complaints = open_complaints.to_vec();
    complaints.sort_by_key(|c| c.2);
    let mut signals: Vec<ServiceSignal> =
        complaints.into_iter().map(|(title, category, since)| ServiceSignal::OpenComplaint { title, category, since }).collect();
    for kind in [SurveyKind::Nps, SurveyKind::Csat] {
        let latest = answers.iter().filter(|a| a.kind == kind).max_by_key(|a| a.at);
        if let Some(a) = latest.filter(|a| kind.is_low(a.score) && now - a.at <= Duration::days(LOW_SCORE_DAYS)) {
            signals.push(ServiceSignal::LowScore { kind, score: a.score, reason: a.reason.to_string(), at: a.at });
        }
    }
    signals
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(month: u32, day: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, month, day, 2, 0, 0).unwrap()
    }

    #[test]
    fn open_complaints_and_a_recent_low_score_are_signals() {
        let now = at(12, 1);
        let complaints = vec![("又丢件".to_string(), "物流".to_string(), at(11, 20)), ("发错货".to_string(), "物流".to_string(), at(11, 2))];
        let answers = [
            Answered { kind: SurveyKind::Nps, score: 9, reason: "", at: at(3, 1) },
            Answered { kind: SurveyKind::Nps, score: 4, reason: "价格", at: at(11, 1) },
            Answered { kind: SurveyKind::Csat, score: 2, reason: "服务态度", at: at(10, 1) },
            Answered { kind: SurveyKind::Csat, score: 5, reason: "", at: at(11, 25) },
        ];
        let signals = service_signals(&complaints, &answers, now);
        assert_eq!(signals.len(), 3, "{signals:?}");
        assert!(matches!(&signals[0], ServiceSignal::OpenComplaint { title, .. } if title == "发错货"), "oldest first");
        // The NPS detractor counts; the low CSAT was followed by a good one.
        assert_eq!(signals[2], ServiceSignal::LowScore { kind: SurveyKind::Nps, score: 4, reason: "价格".into(), at: at(11, 1) });
    }

    #[test]
    fn an_old_low_score_is_no_longer_a_signal() {
        let answers = [Answered { kind: SurveyKind::Nps, score: 3, reason: "功能", at: at(1, 1) }];
        assert!(service_signals(&[], &answers, at(12, 1)).is_empty());
        assert_eq!(service_signals(&[], &answers, at(6, 1)).len(), 1);
    }
}
