//! Satisfaction (满意度): CSAT (1–5, after a ticket is solved) and NPS (0–10, 净推荐值), what
//! counts as a low score that asks for a reason, and the figures over many answers.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SurveyKind {
    Csat,
    Nps,
}

impl SurveyKind {
    /// How the store and the audit log name it.
    pub fn key(self) -> &'static str {
        match self {
            SurveyKind::Csat => "csat",
            SurveyKind::Nps => "nps",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        [SurveyKind::Csat, SurveyKind::Nps].into_iter().find(|k| k.key() == key)
    }

    /// The name it goes by in both languages.
    pub fn acronym(self) -> &'static str {
        match self {
            SurveyKind::Csat => "CSAT",
            SurveyKind::Nps => "NPS",
        }
    }

    pub fn scores(self) -> std::ops::RangeInclusive<u8> {
        match self {
            SurveyKind::Csat => 1..=5,
            SurveyKind::Nps => 0..=10,
        }
    }

    /// A score that asks for a reason and counts as a complaint signal: CSAT 1–2, NPS 0–6
    /// (a detractor).
    pub fn is_low(self, score: u8) -> bool {
        match self {
            SurveyKind::Csat => score <= 2,
            SurveyKind::Nps => score <= 6,
        }
    }
}

/// NPS over answers: promoters score 9–10, passives 7–8, detractors 0–6.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NpsSummary {
    pub promoters: u32,
    pub passives: u32,
    pub detractors: u32,
}

impl NpsSummary {
    pub fn of(scores: impl IntoIterator<Item = u8>) -> Self {
        scores.into_iter().fold(NpsSummary::default(), |mut s, score| {
            match score {
                9..=10 => s.promoters += 1,
                7..=8 => s.passives += 1,
                _ => s.detractors += 1,
            }
            s
        })
    }

    pub fn answers(&self) -> u32 {
        self.promoters + self.passives + self.detractors
    }

    /// %promoters − %detractors, from −100 to 100, rounded; none without answers.
    pub fn score(&self) -> Option<i32> {
        let n = f64::from(self.answers());
        (n > 0.0).then(|| ((f64::from(self.promoters) - f64::from(self.detractors)) * 100.0 / n).round() as i32)
    }
}

/// CSAT over answers: the share of satisfied answers (4 and 5), in percent, rounded to one
/// decimal; none without answers.
pub fn csat_percent(scores: impl IntoIterator<Item = u8>) -> Option<f64> {
    let (satisfied, all) = scores.into_iter().fold((0u32, 0u32), |(s, a), score| (s + u32::from(score >= 4), a + 1));
    (all > 0).then(|| (f64::from(satisfied) * 1000.0 / f64::from(all)).round() / 10.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nps_is_promoters_minus_detractors() {
        // 5 promoters, 3 passives, 2 detractors out of 10: 50 % − 20 % = 30.
        let s = NpsSummary::of([10, 9, 9, 10, 9, 8, 7, 7, 6, 0]);
        assert_eq!((s.promoters, s.passives, s.detractors), (5, 3, 2));
        assert_eq!(s.score(), Some(30));
        assert_eq!(NpsSummary::of([0, 3, 6]).score(), Some(-100));
        assert_eq!(NpsSummary::of([7, 8]).score(), Some(0));
        assert_eq!(NpsSummary::of([]).score(), None);
        // 1 of 3 promoters: 33.3 → 33.
        assert_eq!(NpsSummary::of([9, 7, 8]).score(), Some(33));
    }

    #[test]
    fn csat_is_the_share_of_fours_and_fives() {
        assert_eq!(csat_percent([5, 4, 3, 1]), Some(50.0));
        assert_eq!(csat_percent([5, 4, 2]), Some(66.7));
        assert_eq!(csat_percent([]), None);
    }

    #[test]
    fn low_scores_ask_for_a_reason() {
        assert!(SurveyKind::Csat.is_low(2) && !SurveyKind::Csat.is_low(3));
        assert!(SurveyKind::Nps.is_low(6) && !SurveyKind::Nps.is_low(7));
        assert_eq!(SurveyKind::Nps.scores().count(), 11);
    }
}
