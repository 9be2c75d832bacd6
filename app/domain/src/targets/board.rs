//! The leaderboard (业绩排行): each person's figures for a period, the ratios a sales director
//! reads next to them (win rate, average deal, sales cycle, collection rate), the weighted
//! score, and what the best quarter of the people do ("高绩效销售平均每周跟进客户 8 次").

use serde::{Deserialize, Serialize};

use super::score::{score, Figure, ScorePart, Weight};
use super::types::Metric;

/// What one person did in a period, as counted from the facts.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Tally {
    pub signed: i64,
    pub collected: i64,
    pub new_customers: i64,
    pub follow_ups: i64,
    pub order_revenue: i64,
    /// Follow-ups that were visits.
    pub visits: i64,
    pub won: u32,
    pub lost: u32,
    /// Days from creation to win, summed over the deals won.
    pub cycle_days: i64,
    /// Of what was signed in the period, how much has been collected by now.
    pub collected_of_signed: i64,
    /// Days from the customer's first touch to the deal's first quote, summed, and how many.
    pub quote_days: i64,
    pub quotes: u32,
}

impl Tally {
    pub fn value(&self, metric: Metric) -> i64 {
        match metric {
            Metric::Signed => self.signed,
            Metric::Collected => self.collected,
            Metric::NewCustomers => self.new_customers,
            Metric::FollowUps => self.follow_ups,
            Metric::OrderRevenue => self.order_revenue,
        }
    }

    pub fn add(&mut self, other: &Tally) {
        self.signed += other.signed;
        self.collected += other.collected;
        self.new_customers += other.new_customers;
        self.follow_ups += other.follow_ups;
        self.order_revenue += other.order_revenue;
        self.visits += other.visits;
        self.won += other.won;
        self.lost += other.lost;
        self.cycle_days += other.cycle_days;
        self.collected_of_signed += other.collected_of_signed;
        self.quote_days += other.quote_days;
        self.quotes += other.quotes;
    }
}

fn ratio(part: f64, whole: f64) -> Option<f64> {
    (whole > 0.0).then(|| (part * 1000.0 / whole).round() / 10.0)
}

fn per(part: f64, count: f64) -> Option<f64> {
    (count > 0.0).then(|| (part * 10.0 / count).round() / 10.0)
}

/// One person's line on the board.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LeaderRow {
    pub username: String,
    pub name: String,
    pub tally: Tally,
    /// Won of closed, in percent.
    pub win_rate: Option<f64>,
    /// Signed ÷ deals won, in cents.
    pub avg_deal: Option<i64>,
    /// Days from a deal's creation to its win, on average.
    pub cycle_days: Option<f64>,
    /// Collected of signed, in percent.
    pub collection_rate: Option<f64>,
    pub score: f64,
    pub parts: Vec<ScorePart>,
}

/// The board: a row per person, scored against their own targets (`target(username,
/// metric)`) or, without one, against the best of the board; highest score first.
pub fn leaderboard(people: Vec<(String, String, Tally)>, weights: &[Weight], target: impl Fn(&str, Metric) -> Option<i64>) -> Vec<LeaderRow> {
    let best = |m: Metric| people.iter().map(|(_, _, t)| t.value(m)).max().unwrap_or(0);
    let mut rows: Vec<LeaderRow> = people
        .iter()
        .map(|(username, name, t)| {
            let (total, parts) = score(weights, |m| Figure { actual: t.value(m), target: target(username, m) }, best);
            LeaderRow {
                username: username.clone(),
                name: name.clone(),
                tally: t.clone(),
                win_rate: ratio(f64::from(t.won), f64::from(t.won + t.lost)),
                avg_deal: (t.won > 0).then(|| t.signed / i64::from(t.won)),
                cycle_days: per(t.cycle_days as f64, f64::from(t.won)),
                collection_rate: ratio(t.collected_of_signed as f64, t.signed as f64),
                score: total,
                parts,
            }
        })
        .collect();
    rows.sort_by(|a, b| b.score.total_cmp(&a.score).then(b.tally.signed.cmp(&a.tally.signed)).then(a.username.cmp(&b.username)));
    rows
}

/// How one person works, per week of the period and per deal.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Habits {
    pub weekly_follow_ups: f64,
    pub visits_per_win: Option<f64>,
    pub days_to_quote: Option<f64>,
}

pub fn habits(t: &Tally, weeks: f64) -> Habits {
    Habits {
        weekly_follow_ups: per(t.follow_ups as f64, weeks.max(1.0 / 7.0)).unwrap_or(0.0),
        visits_per_win: per(t.visits as f64, f64::from(t.won)),
        days_to_quote: per(t.quote_days as f64, f64::from(t.quotes)),
    }
}

/// The best quarter of the board (by score; at least one person) and their habits together:
/// their follow-ups per week on average, visits per deal won and days to a quote over all
/// their deals.
pub fn top_quartile(rows: &[LeaderRow], weeks: f64) -> Option<Habits> {
    if rows.is_empty() {
        return None;
    }
    let n = rows.len().div_ceil(4);
    let mut together = Tally::default();
    for row in &rows[..n] {
        together.add(&row.tally);
    }
    let mut h = habits(&together, weeks);
    h.weekly_follow_ups = (h.weekly_follow_ups * 10.0 / n as f64).round() / 10.0;
    Some(h)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn weights() -> Vec<Weight> {
        vec![Weight { metric: Metric::Collected, percent: 30 }, Weight { metric: Metric::Signed, percent: 40 }, Weight { metric: Metric::NewCustomers, percent: 20 }, Weight { metric: Metric::FollowUps, percent: 10 }]
    }

    #[test]
    fn the_board_ranks_by_score_and_shows_ratios() {
        let a = Tally { signed: 100_000, collected: 50_000, new_customers: 2, follow_ups: 40, visits: 10, won: 2, lost: 2, cycle_days: 60, collected_of_signed: 50_000, ..Tally::default() };
        let b = Tally { signed: 50_000, collected: 50_000, new_customers: 1, follow_ups: 80, won: 1, ..Tally::default() };
        let rows = leaderboard(vec![("b".into(), "B".into(), b), ("a".into(), "A".into(), a)], &weights(), |_, _| None);
        assert_eq!(rows[0].username, "a");
        // a: collected 30 + signed 40 + new 20 + follow-ups 10×50% = 95.
        assert_eq!(rows[0].score, 95.0);
        assert_eq!((rows[0].win_rate, rows[0].avg_deal, rows[0].cycle_days, rows[0].collection_rate), (Some(50.0), Some(50_000), Some(30.0), Some(50.0)));
        assert_eq!((rows[1].win_rate, rows[1].cycle_days), (Some(100.0), Some(0.0)));
        // With a target, achievement is of the target (capped at 150 %).
        let rows = leaderboard(vec![("a".into(), "A".into(), rows[0].tally.clone())], &weights(), |_, m| (m == Metric::Signed).then_some(50_000));
        assert_eq!(rows[0].parts.iter().find(|p| p.metric == Metric::Signed).map(|p| p.achievement_percent), Some(150.0));
    }

    #[test]
    fn the_top_quartile_is_the_best_quarter_of_the_board_averaged() {
        let person = |n: &str, signed: i64, follow_ups: i64| (n.to_string(), n.to_uppercase(), Tally { signed, follow_ups, won: 1, visits: 3, quotes: 1, quote_days: 10, ..Tally::default() });
        let people = vec![person("a", 90, 32), person("b", 80, 24), person("c", 10, 4), person("d", 5, 4), person("e", 1, 0)];
        let rows = leaderboard(people, &[Weight { metric: Metric::Signed, percent: 100 }], |_, _| None);
        // Five people: the best two (a, b) over four weeks → (32 + 24) / 4 / 2 = 7 a week.
        let top = top_quartile(&rows, 4.0).unwrap();
        assert_eq!(top.weekly_follow_ups, 7.0);
        assert_eq!((top.visits_per_win, top.days_to_quote), (Some(3.0), Some(10.0)));
        assert_eq!(habits(&rows[4].tally, 4.0).weekly_follow_ups, 0.0);
        assert!(top_quartile(&[], 4.0).is_none());
    }
}
