//! The competitor report added up from mentions kept between requests: each follow-up note
//! and each deal is matched against the competitors once, when it is written (or when the
//! list of competitors changes), and a report only filters and counts the mentions of the
//! customers its reader may see. The period is the last twelve months: the current one and
//! the eleven before it.

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, Datelike, Months, NaiveDate, Utc};

use super::competitors::{Competitor, CompetitorReport, CompetitorStats, Matcher};
use crate::pipeline::types::DealStatus;

/// Customers named per competitor in the report.
pub const SOME_CUSTOMERS: usize = 10;

/// One competitor named in one note or deal.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Mention {
    /// The competitor's place in the list the mention was matched against.
    pub competitor: usize,
    /// The month it counts in: a note's time, a deal's start.
    pub at: DateTime<Utc>,
    /// In the report while this is inside the period: a note's time, a deal's start or
    /// close, whichever is later.
    pub latest: DateTime<Utc>,
    /// For a deal, how it stands; `None` for a note.
    pub deal: Option<DealStatus>,
}

/// The first day of the report's period on `today`: the first of the month eleven months back.
pub fn period_start(today: NaiveDate) -> NaiveDate {
    let first = today.with_day(1).unwrap_or(today);
    first.checked_sub_months(Months::new(11)).unwrap_or(first)
}

/// The moment the period starts (midnight UTC of its first day, as the report always counted).
pub fn period_start_at(now: DateTime<Utc>) -> DateTime<Utc> {
    period_start(now.date_naive()).and_hms_opt(0, 0, 0).map(|d| d.and_utc()).unwrap_or(now)
}

/// The competitors a follow-up names in its summary or next step.
pub fn note_mentions(matcher: &Matcher, summary: &str, next_step: &str, at: DateTime<Utc>) -> Vec<Mention> {
    matcher
        .mentions(&format!("{summary}\n{next_step}"))
        .into_iter()
        .map(|competitor| Mention { competitor, at, latest: at, deal: None })
        .collect()
}

/// What of a deal the report reads.
pub struct DealText<'a> {
    pub title: &'a str,
    pub competitor: &'a str,
    pub lost_reason: &'a str,
    pub status: DealStatus,
    pub created_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
}

/// The competitors a deal names in its title, its competitor field or why it was lost.
pub fn deal_mentions(matcher: &Matcher, deal: &DealText) -> Vec<Mention> {
    let latest = deal.closed_at.map_or(deal.created_at, |closed| closed.max(deal.created_at));
    matcher
        .mentions(&format!("{}\n{}\n{}", deal.title, deal.competitor, deal.lost_reason))
        .into_iter()
        .map(|competitor| Mention { competitor, at: deal.created_at, latest, deal: Some(deal.status) })
        .collect()
}

/// The report on `today` over the customers given as (id, name, their mentions) — only
/// those the reader may see. Mentions before the period are left out.
pub fn report<'a>(
    competitors: Vec<Competitor>,
    customers: impl IntoIterator<Item = (&'a str, &'a str, &'a [Mention])>,
    today: NaiveDate,
) -> CompetitorReport {
    let first_month = period_start(today);
    let since = first_month.and_hms_opt(0, 0, 0).map(|d| d.and_utc());
    let months: Vec<String> = (0..12).filter_map(|i| first_month.checked_add_months(Months::new(i))).map(|d| d.format("%Y-%m").to_string()).collect();
    let mut by_month: BTreeMap<String, Vec<u32>> = months.iter().map(|m| (m.clone(), vec![0; competitors.len()])).collect();
    let mut stats: Vec<CompetitorStats> = competitors.iter().map(|c| CompetitorStats { name: c.name.clone(), ..Default::default() }).collect();
    let mut who: Vec<HashSet<(&str, &str)>> = vec![HashSet::new(); competitors.len()];
    for (id, name, mentions) in customers {
        for m in mentions.iter().filter(|m| since.is_none_or(|s| m.latest >= s)) {
            let Some(s) = stats.get_mut(m.competitor) else { continue };
            s.mentions += 1;
            match m.deal {
                Some(DealStatus::Won) => s.deals_won += 1,
                Some(DealStatus::Lost) => s.deals_lost += 1,
                Some(DealStatus::Open) => s.deals_open += 1,
                None => {}
            }
            who[m.competitor].insert((id, name));
            if let Some(counts) = by_month.get_mut(&m.at.format("%Y-%m").to_string()) {
                counts[m.competitor] += 1;
            }
        }
    }
    for (s, customers) in stats.iter_mut().zip(who) {
        s.customers = customers.len() as u32;
        let mut some: Vec<(String, String)> = customers.into_iter().map(|(id, name)| (id.to_string(), name.to_string())).collect();
        some.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
        some.truncate(SOME_CUSTOMERS);
        s.some_customers = some;
    }
    CompetitorReport { competitors, stats, by_month: by_month.into_iter().collect() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn competitors() -> Vec<Competitor> {
        vec![
            Competitor { id: "1".into(), name: "用友".into(), aliases: vec!["Yonyou".into()] },
            Competitor { id: "2".into(), name: "SAP".into(), aliases: vec![] },
        ]
    }

    fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, 8, 0, 0).single().expect("a valid moment")
    }

    fn deal(status: DealStatus, created: DateTime<Utc>, closed: Option<DateTime<Utc>>) -> DealText<'static> {
        DealText { title: "ERP 替换", competitor: "SAP", lost_reason: "", status, created_at: created, closed_at: closed }
    }

    #[test]
    fn the_period_is_this_month_and_the_eleven_before() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 7).expect("a day");
        assert_eq!(period_start(today), NaiveDate::from_ymd_opt(2026, 1, 1).expect("a day"));
        assert_eq!(period_start(NaiveDate::from_ymd_opt(2026, 3, 31).expect("a day")), NaiveDate::from_ymd_opt(2025, 4, 1).expect("a day"));
    }

    #[test]
    fn notes_and_deals_are_matched_once_each_with_the_times_that_place_them() {
        let m = Matcher::new(&competitors());
        let note = note_mentions(&m, "客户在比较用友和 SAP", "下周再谈 yonyou 的报价", at(2026, 5, 1));
        assert_eq!(note.iter().map(|x| x.competitor).collect::<Vec<_>>(), vec![0, 1], "用友 named twice counts once");
        assert!(note.iter().all(|x| x.deal.is_none() && x.latest == x.at));
        let closed = deal_mentions(&m, &deal(DealStatus::Lost, at(2025, 10, 3), Some(at(2026, 2, 1))));
        assert_eq!(closed, vec![Mention { competitor: 1, at: at(2025, 10, 3), latest: at(2026, 2, 1), deal: Some(DealStatus::Lost) }]);
        assert!(deal_mentions(&m, &DealText { competitor: "", ..deal(DealStatus::Open, at(2026, 1, 1), None) }).is_empty());
    }

    #[test]
    fn the_report_counts_inside_the_period_by_month_with_deal_outcomes_and_customers() {
        let m = Matcher::new(&competitors());
        let today = NaiveDate::from_ymd_opt(2026, 12, 7).expect("a day");
        let mut a: Vec<Mention> = note_mentions(&m, "用友来过", "", at(2026, 3, 2));
        a.extend(note_mentions(&m, "SAP 的销售也来了", "", at(2025, 12, 31)));
        a.extend(deal_mentions(&m, &deal(DealStatus::Won, at(2026, 4, 1), Some(at(2026, 6, 1)))));
        // Started before the period but lost inside it: counted, in no month of the chart.
        let b: Vec<Mention> = deal_mentions(&m, &deal(DealStatus::Lost, at(2025, 11, 20), Some(at(2026, 1, 5))));
        let report = report(competitors(), [("c1", "甲公司", a.as_slice()), ("c2", "乙公司", b.as_slice())], today);
        let (yonyou, sap) = (&report.stats[0], &report.stats[1]);
        assert_eq!((yonyou.mentions, yonyou.customers, yonyou.deals_won), (1, 1, 0));
        assert_eq!((sap.mentions, sap.deals_won, sap.deals_lost, sap.deals_open), (2, 1, 1, 0), "the note of 2025-12-31 is outside");
        assert_eq!(sap.some_customers, vec![("c2".to_string(), "乙公司".to_string()), ("c1".to_string(), "甲公司".to_string())], "by name");
        assert_eq!(report.by_month.len(), 12);
        assert_eq!(report.by_month[0].0, "2026-01");
        let month = |key: &str| report.by_month.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
        assert_eq!(month("2026-03"), Some(vec![1, 0]));
        assert_eq!(month("2026-04"), Some(vec![0, 1]));
        assert_eq!(report.by_month.iter().map(|(_, v)| v.iter().sum::<u32>()).sum::<u32>(), 2);
    }

    #[test]
    fn a_mention_of_a_competitor_no_longer_listed_is_left_out() {
        let stale = [Mention { competitor: 5, at: at(2026, 6, 1), latest: at(2026, 6, 1), deal: None }];
        let report = report(competitors(), [("c1", "甲", stale.as_slice())], NaiveDate::from_ymd_opt(2026, 12, 7).expect("a day"));
        assert!(report.stats.iter().all(|s| s.mentions == 0));
    }
}
