//! After-sales figures (售后报表) from plain facts about tickets and surveys: the complaint
//! Pareto (reasons from complaint tickets and low survey scores, with where they come from),
//! tickets opened and closed per week, SLA met per agent, average response and resolution in
//! working hours, the backlog by age, and satisfaction (CSAT %, NPS, response rate).

use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::complaint_origin::Origin;
use super::surveys::{csat_percent, NpsSummary, SurveyKind};

/// How many of a reason's tickets the Pareto lists (the newest); its count covers them all.
pub const PARETO_TICKETS: usize = 20;

/// What the report needs to know of one ticket, borrowed from where it is kept (the report
/// reads 100,000 of them; copying each one's text would cost more than the report).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TicketFact<'a> {
    pub id: &'a str,
    pub customer_id: &'a str,
    /// The customer's name and the title: only complaints need them (the Pareto names them).
    pub customer_name: &'a str,
    pub region: &'a str,
    pub title: &'a str,
    pub complaint: bool,
    pub category: &'a str,
    pub assignee: &'a str,
    pub created_at: DateTime<Utc>,
    /// When it was first solved (or closed), if it was.
    pub solved_at: Option<DateTime<Utc>>,
    /// Working minutes to the first reply told to the customer, if there was one.
    pub first_response_minutes: Option<i64>,
    /// Working minutes to solved, if solved.
    pub resolution_minutes: Option<i64>,
    /// Whether a clock it has was breached (stays breached once solved).
    pub breached: bool,
    /// Whether it has an SLA at all.
    pub under_sla: bool,
    /// The order a complaint is about: its products and carrier (none for other tickets).
    pub origin: Origin,
}

/// What the report needs to know of one survey.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SurveyFact {
    pub kind: SurveyKind,
    pub customer_id: String,
    pub region: String,
    pub created_at: DateTime<Utc>,
    pub score: Option<u8>,
    pub reason: String,
    /// Whether the low score opened a complaint ticket (then the ticket is counted, not both).
    pub opened_ticket: bool,
    /// Who handled the ticket a CSAT survey asks about (empty for NPS).
    pub agent: String,
    /// The order it is about (the ticket's, else the customer's latest): products, carrier.
    pub origin: Origin,
    /// The customer's value segment (RFM) when it was last scored, empty if never.
    pub segment: String,
}

/// Satisfaction within one group (a month, a region, an agent).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SatisfactionRow {
    pub key: String,
    pub csat_percent: Option<f64>,
    pub csat_answers: u32,
    pub nps: Option<i32>,
    pub nps_answers: u32,
    pub sent: u32,
}

/// Satisfaction per group, in the groups' order (`key` names a survey's group; empty keys
/// are left out).
pub fn satisfaction_by(surveys: &[SurveyFact], key: impl Fn(&SurveyFact) -> String) -> Vec<SatisfactionRow> {
    satisfaction_by_each(surveys, |s| vec![key(s)])
}

/// Satisfaction per group where a survey may belong to several (each product of its order).
pub fn satisfaction_by_each(surveys: &[SurveyFact], keys: impl Fn(&SurveyFact) -> Vec<String>) -> Vec<SatisfactionRow> {
    let mut groups: BTreeMap<String, Vec<&SurveyFact>> = BTreeMap::new();
    for s in surveys {
        for k in keys(s) {
            if !k.is_empty() {
                groups.entry(k).or_default().push(s);
            }
        }
    }
    groups
        .into_iter()
        .map(|(key, list)| {
            let scores = |kind: SurveyKind| list.iter().filter(move |s| s.kind == kind).filter_map(|s| s.score).collect::<Vec<u8>>();
            let (csat, nps) = (scores(SurveyKind::Csat), scores(SurveyKind::Nps));
            SatisfactionRow {
                key,
                csat_percent: csat_percent(csat.iter().copied()),
                csat_answers: csat.len() as u32,
                nps: NpsSummary::of(nps.iter().copied()).score(),
                nps_answers: nps.len() as u32,
                sent: list.len() as u32,
            }
        })
        .collect()
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ParetoRow {
    pub reason: String,
    pub count: u32,
    /// Share of all complaints, and the running total down the list, in percent.
    pub share: f64,
    pub cumulative: f64,
    /// Where the complaints of this reason come from, the most first.
    pub regions: Vec<(String, u32)>,
    /// The products of the orders they are about, and those orders' carriers, the most
    /// first ("—" for no order or no carrier recorded).
    #[serde(default)]
    pub products: Vec<(String, u32)>,
    #[serde(default)]
    pub carriers: Vec<(String, u32)>,
    /// The newest of the tickets behind it ([`PARETO_TICKETS`] at most): id, customer id,
    /// customer name, title.
    pub tickets: Vec<(String, String, String, String)>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeekRow {
    /// The Monday the week begins.
    pub week: NaiveDate,
    pub opened: u32,
    pub solved: u32,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AgentRow {
    pub agent: String,
    pub name: String,
    pub tickets: u32,
    pub open: u32,
    /// Of its tickets with an SLA, the share not breached; none without any.
    pub sla_met_percent: Option<f64>,
    /// Averages in working hours, one decimal.
    pub avg_first_response_hours: Option<f64>,
    pub avg_resolution_hours: Option<f64>,
}

/// Open tickets by how long they have been open.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Backlog {
    pub under_1_day: u32,
    pub days_1_to_3: u32,
    pub days_3_to_7: u32,
    pub over_7_days: u32,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ServiceReport {
    pub pareto: Vec<ParetoRow>,
    pub weeks: Vec<WeekRow>,
    pub agents: Vec<AgentRow>,
    pub backlog: Backlog,
    pub csat_percent: Option<f64>,
    pub csat_answers: u32,
    pub nps: Option<i32>,
    pub nps_summary: NpsSummary,
    pub surveys_sent: u32,
    pub surveys_answered: u32,
    /// Satisfaction per month (`2026-11`), per region, per agent (by name), per product of
    /// the order a survey is about, per value segment.
    pub by_month: Vec<SatisfactionRow>,
    pub by_region: Vec<SatisfactionRow>,
    pub by_agent: Vec<SatisfactionRow>,
    #[serde(default)]
    pub by_product: Vec<SatisfactionRow>,
    #[serde(default)]
    pub by_segment: Vec<SatisfactionRow>,
}

fn percent(part: u32, all: u32) -> f64 {
    if all == 0 {
        0.0
    } else {
        (f64::from(part) * 1000.0 / f64::from(all)).round() / 10.0
    }
}

fn average_hours(sum: i64, count: u32) -> Option<f64> {
    (count > 0).then(|| (sum as f64 / f64::from(count) / 60.0 * 10.0).round() / 10.0)
}

/// Weeks (Monday to Sunday, UTC) since the one holding 1970-01-01, a Thursday.
fn week_number(at: DateTime<Utc>) -> i64 {
    (at.timestamp().div_euclid(86_400) + 3).div_euclid(7)
}

fn monday(day: NaiveDate) -> NaiveDate {
    day - Duration::days(i64::from(day.weekday().num_days_from_monday()))
}

/// A reason (or region, product, carrier) as the Pareto groups it, "—" when none. Names are
/// stored trimmed (every form trims what it keeps), so they are not trimmed again here.
fn reason_key(reason: &str) -> &str {
    if reason.is_empty() { "—" } else { reason }
}

/// FNV-1a, for the maps the report fills with short names 100,000 times: SipHash's guard
/// against chosen keys is not needed for names the installation itself stored, and costs
/// more than the rest of the counting.
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

type NameMap<'a, V> = HashMap<&'a str, V, BuildHasherDefault<Fnv>>;

/// Counts per name, the most first (ties by name); an empty name counts as "—". Borrowed
/// names: the report counts tens of thousands and copies only the few distinct ones.
fn tally<'a>(names: impl Iterator<Item = &'a str>) -> Vec<(String, u32)> {
    let mut counts: NameMap<'_, u32> = NameMap::default();
    for name in names {
        *counts.entry(reason_key(name)).or_default() += 1;
    }
    let mut list: Vec<(String, u32)> = counts.into_iter().map(|(name, n)| (name.to_string(), n)).collect();
    list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    list
}

/// One complaint as the Pareto counts it: its reason, region and the order it is about.
struct Complaint<'a> {
    reason: &'a str,
    region: &'a str,
    origin: &'a Origin,
    ticket: Option<&'a TicketFact<'a>>,
}

/// Complaints by reason, the most first (ties by name), with their share and running total,
/// where they come from (regions) and what they are about (products, carriers).
pub fn pareto<'a>(tickets: &'a [TicketFact<'a>], surveys: &'a [SurveyFact]) -> Vec<ParetoRow> {
    let mut complaints: Vec<&TicketFact<'_>> = tickets.iter().filter(|t| t.complaint).collect();
    complaints.sort_by(|a, b| b.created_at.cmp(&a.created_at));
    // Grouped by reason in one pass, each group newest first.
    let mut by_reason: NameMap<'_, Vec<Complaint<'_>>> = NameMap::default();
    let low_scores = surveys.iter().filter(|s| !s.opened_ticket && s.score.is_some_and(|score| s.kind.is_low(score)));
    let all = complaints
        .iter()
        .map(|t| Complaint { reason: reason_key(t.category), region: t.region, origin: &t.origin, ticket: Some(*t) })
        .chain(low_scores.map(|s| Complaint { reason: reason_key(&s.reason), region: &s.region, origin: &s.origin, ticket: None }));
    let mut total = 0;
    for complaint in all {
        total += 1;
        by_reason.entry(complaint.reason).or_default().push(complaint);
    }
    let mut list: Vec<ParetoRow> = by_reason
        .into_iter()
        .map(|(reason, mine)| {
            let no_product = [String::new()];
            let products = mine.iter().flat_map(|c| if c.origin.products.is_empty() { &no_product[..] } else { &c.origin.products[..] });
            ParetoRow {
                count: mine.len() as u32,
                share: percent(mine.len() as u32, total),
                regions: tally(mine.iter().map(|c| c.region)),
                products: tally(products.map(String::as_str)),
                carriers: tally(mine.iter().map(|c| c.origin.carrier.as_str())),
                tickets: mine
                    .iter()
                    .filter_map(|c| c.ticket)
                    .take(PARETO_TICKETS)
                    .map(|t| (t.id.to_string(), t.customer_id.to_string(), t.customer_name.to_string(), t.title.to_string()))
                    .collect(),
                reason: reason.to_string(),
                cumulative: 0.0,
            }
        })
        .collect();
    list.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.reason.cmp(&b.reason)));
    let mut running = 0;
    for row in &mut list {
        running += row.count;
        row.cumulative = percent(running, total);
    }
    list
}

/// One agent's tickets, summed as they are met.
#[derive(Default)]
struct AgentSums {
    tickets: u32,
    open: u32,
    under_sla: u32,
    met: u32,
    first_sum: i64,
    first_count: u32,
    resolution_sum: i64,
    resolution_count: u32,
}

impl AgentSums {
    fn add(&mut self, t: &TicketFact<'_>) {
        self.tickets += 1;
        self.open += u32::from(t.solved_at.is_none());
        self.under_sla += u32::from(t.under_sla);
        self.met += u32::from(t.under_sla && !t.breached);
        if let Some(m) = t.first_response_minutes {
            self.first_sum += m;
            self.first_count += 1;
        }
        if let Some(m) = t.resolution_minutes {
            self.resolution_sum += m;
            self.resolution_count += 1;
        }
    }
}

/// The whole report; `weeks` weeks of opened/solved ending with the one of `now`, and
/// `name_of` naming the agents.
pub fn report(tickets: &[TicketFact], surveys: &[SurveyFact], now: DateTime<Utc>, weeks: u32, name_of: &dyn Fn(&str) -> String) -> ServiceReport {
    let mut sums = ReportSums::new(now, weeks);
    for t in tickets {
        sums.add(t.clone());
    }
    sums.finish(surveys, name_of)
}

/// The report's ticket figures summed as tickets are met, so 100,000 tickets are counted in
/// one pass without being gathered first (only complaints are kept, for the Pareto).
pub struct ReportSums<'a> {
    now: DateTime<Utc>,
    weeks: u32,
    last_week: i64,
    week_rows: Vec<WeekRow>,
    by_agent: NameMap<'a, AgentSums>,
    backlog: Backlog,
    complaints: Vec<TicketFact<'a>>,
}

impl<'a> ReportSums<'a> {
    pub fn new(now: DateTime<Utc>, weeks: u32) -> Self {
        let this_week = monday(now.date_naive());
        ReportSums {
            now,
            weeks,
            last_week: week_number(now),
            week_rows: (0..weeks).rev().map(|i| WeekRow { week: this_week - Duration::weeks(i64::from(i)), ..WeekRow::default() }).collect(),
            by_agent: NameMap::default(),
            backlog: Backlog::default(),
            complaints: Vec::new(),
        }
    }

    /// The row of a time's week by arithmetic on its timestamp.
    fn bump(&mut self, at: DateTime<Utc>, solved: bool) {
        let back = self.last_week - week_number(at);
        if (0..i64::from(self.weeks)).contains(&back) {
            let row = &mut self.week_rows[(i64::from(self.weeks) - 1 - back) as usize];
            if solved {
                row.solved += 1
            } else {
                row.opened += 1
            }
        }
    }

    pub fn add(&mut self, t: TicketFact<'a>) {
        self.bump(t.created_at, false);
        if let Some(at) = t.solved_at {
            self.bump(at, true);
        }
        self.by_agent.entry(t.assignee).or_default().add(&t);
        if t.solved_at.is_none() {
            match (self.now - t.created_at).num_hours() {
                h if h < 24 => self.backlog.under_1_day += 1,
                h if h < 72 => self.backlog.days_1_to_3 += 1,
                h if h < 168 => self.backlog.days_3_to_7 += 1,
                _ => self.backlog.over_7_days += 1,
            }
        }
        if t.complaint {
            self.complaints.push(t);
        }
    }

    /// The report, with the surveys' figures.
    pub fn finish(self, surveys: &[SurveyFact], name_of: &dyn Fn(&str) -> String) -> ServiceReport {
        let mut agents: Vec<AgentRow> = self
            .by_agent
            .into_iter()
            .map(|(agent, sums)| AgentRow {
                name: if agent.is_empty() { String::new() } else { name_of(agent) },
                agent: agent.to_string(),
                tickets: sums.tickets,
                open: sums.open,
                sla_met_percent: (sums.under_sla > 0).then(|| percent(sums.met, sums.under_sla)),
                avg_first_response_hours: average_hours(sums.first_sum, sums.first_count),
                avg_resolution_hours: average_hours(sums.resolution_sum, sums.resolution_count),
            })
            .collect();
        agents.sort_by(|a, b| b.tickets.cmp(&a.tickets).then_with(|| a.agent.cmp(&b.agent)));
        let scores = |kind: SurveyKind| surveys.iter().filter(move |s| s.kind == kind).filter_map(|s| s.score);
        let nps_summary = NpsSummary::of(scores(SurveyKind::Nps));
        ServiceReport {
            pareto: pareto(&self.complaints, surveys),
            weeks: self.week_rows,
            agents,
            backlog: self.backlog,
            csat_percent: csat_percent(scores(SurveyKind::Csat)),
            csat_answers: scores(SurveyKind::Csat).count() as u32,
            nps: nps_summary.score(),
            nps_summary,
            surveys_sent: surveys.len() as u32,
            surveys_answered: surveys.iter().filter(|s| s.score.is_some()).count() as u32,
            by_month: satisfaction_by(surveys, |s| s.created_at.format("%Y-%m").to_string()),
            by_region: satisfaction_by(surveys, |s| if s.region.is_empty() { "—".into() } else { s.region.clone() }),
            by_agent: satisfaction_by(surveys, |s| if s.agent.is_empty() { String::new() } else { name_of(&s.agent) }),
            by_product: satisfaction_by_each(surveys, |s| s.origin.products.clone()),
            by_segment: satisfaction_by(surveys, |s| s.segment.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(day: u32, hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, day, hour, 0, 0).unwrap()
    }

    /// Texts a test's tickets borrow for as long as the test runs.
    fn kept(text: String) -> &'static str {
        Box::leak(text.into_boxed_str())
    }

    fn ticket(id: &str, category: &'static str, region: &'static str, assignee: &'static str, created: DateTime<Utc>) -> TicketFact<'static> {
        TicketFact {
            id: kept(id.to_string()),
            customer_id: kept(format!("c{id}")),
            customer_name: kept(format!("客户{id}")),
            region,
            title: kept(format!("问题{id}")),
            complaint: true,
            category,
            assignee,
            created_at: created,
            solved_at: None,
            first_response_minutes: None,
            resolution_minutes: None,
            breached: false,
            under_sla: true,
            origin: Origin::default(),
        }
    }

    fn survey(kind: SurveyKind, score: Option<u8>, reason: &str, opened_ticket: bool) -> SurveyFact {
        SurveyFact {
            kind,
            customer_id: "c".into(),
            region: "华南".into(),
            created_at: at(20, 1),
            score,
            reason: reason.into(),
            opened_ticket,
            agent: String::new(),
            origin: Origin::default(),
            segment: String::new(),
        }
    }

    #[test]
    fn the_pareto_puts_the_biggest_reason_first_with_its_regions() {
        let tickets = vec![
            ticket("1", "物流", "华南", "svc", at(2, 1)),
            ticket("2", "物流", "华南", "svc", at(3, 1)),
            ticket("3", "质量", "华北", "svc", at(4, 1)),
            ticket("4", "物流", "华东", "svc", at(5, 1)),
            TicketFact { complaint: false, ..ticket("5", "", "华北", "svc", at(5, 1)) },
        ];
        // A low NPS answer without a ticket counts; one that opened a ticket is that ticket;
        // a good score and an unanswered survey are no complaint.
        let surveys = vec![
            survey(SurveyKind::Nps, Some(3), "物流", false),
            survey(SurveyKind::Csat, Some(1), "质量", true),
            survey(SurveyKind::Nps, Some(9), "", false),
            survey(SurveyKind::Nps, None, "", false),
        ];
        let rows = pareto(&tickets, &surveys);
        assert_eq!(rows.iter().map(|r| (r.reason.as_str(), r.count)).collect::<Vec<_>>(), vec![("物流", 4), ("质量", 1)]);
        assert_eq!((rows[0].share, rows[0].cumulative, rows[1].cumulative), (80.0, 80.0, 100.0));
        assert_eq!(rows[0].regions, vec![("华南".to_string(), 3), ("华东".to_string(), 1)]);
        // Its tickets, newest first.
        assert_eq!(rows[0].tickets.iter().map(|t| t.0.as_str()).collect::<Vec<_>>(), vec!["4", "2", "1"]);
        assert!(pareto(&[], &[]).is_empty());
    }

    #[test]
    fn a_week_number_agrees_with_its_monday() {
        let start = Utc.with_ymd_and_hms(1969, 12, 1, 0, 0, 0).unwrap();
        for hours in (0..24 * 800).step_by(7) {
            let (a, b) = (start + Duration::hours(hours), start + Duration::hours(hours + 1));
            let same_week = monday(a.date_naive()) == monday(b.date_naive());
            assert_eq!(week_number(a) == week_number(b), same_week, "{a} {b}");
        }
        let newyear = Utc.with_ymd_and_hms(2026, 12, 31, 23, 59, 0).unwrap();
        assert_eq!(week_number(newyear) + 1, week_number(newyear + Duration::days(4)), "Thursday to the next Monday");
    }

    #[test]
    fn weeks_agents_backlog_and_satisfaction() {
        let now = at(25, 12); // a Wednesday
        let mut solved = ticket("1", "物流", "华南", "svc", at(16, 1));
        solved.solved_at = Some(at(24, 1));
        solved.first_response_minutes = Some(30);
        solved.resolution_minutes = Some(600);
        let mut late = ticket("2", "质量", "华南", "svc", at(24, 1));
        late.breached = true;
        late.first_response_minutes = Some(90);
        let fresh = ticket("3", "质量", "华南", "mgr", at(25, 1));
        let old = TicketFact { under_sla: false, ..ticket("4", "质量", "华南", "mgr", at(10, 1)) };
        let tickets = vec![solved, late, fresh, old];
        let surveys = vec![
            survey(SurveyKind::Csat, Some(5), "", false),
            survey(SurveyKind::Csat, Some(2), "物流", true),
            survey(SurveyKind::Nps, Some(10), "", false),
            survey(SurveyKind::Nps, Some(4), "价格", false),
            survey(SurveyKind::Nps, None, "", false),
        ];
        let r = report(&tickets, &surveys, now, 3, &|u| format!("名{u}"));
        let week = |d: u32| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
        assert_eq!(r.weeks, vec![
            WeekRow { week: week(9), opened: 1, solved: 0 },
            WeekRow { week: week(16), opened: 1, solved: 0 },
            WeekRow { week: week(23), opened: 2, solved: 1 },
        ]);
        let svc = r.agents.iter().find(|a| a.agent == "svc").unwrap();
        assert_eq!((svc.name.as_str(), svc.tickets, svc.open, svc.sla_met_percent), ("名svc", 2, 1, Some(50.0)));
        assert_eq!((svc.avg_first_response_hours, svc.avg_resolution_hours), (Some(1.0), Some(10.0)));
        let mgr = r.agents.iter().find(|a| a.agent == "mgr").unwrap();
        assert_eq!((mgr.sla_met_percent, mgr.avg_first_response_hours), (Some(100.0), None));
        assert_eq!(r.backlog, Backlog { under_1_day: 1, days_1_to_3: 1, days_3_to_7: 0, over_7_days: 1 });
        assert_eq!((r.csat_percent, r.csat_answers), (Some(50.0), 2));
        assert_eq!(r.nps, Some(0));
        assert_eq!((r.surveys_sent, r.surveys_answered), (5, 4));
        assert_eq!(r.by_region.len(), 1);
        assert_eq!((r.by_region[0].key.as_str(), r.by_region[0].csat_percent, r.by_region[0].nps, r.by_region[0].sent), ("华南", Some(50.0), Some(0), 5));
        assert_eq!(r.by_month.iter().map(|m| m.key.as_str()).collect::<Vec<_>>(), vec!["2026-11"]);
        assert!(r.by_agent.is_empty(), "no CSAT answer names its agent here");
    }

    #[test]
    fn satisfaction_is_grouped_by_agent_and_region() {
        let mut by_wang = survey(SurveyKind::Csat, Some(5), "", false);
        by_wang.agent = "wang".into();
        let mut by_li = survey(SurveyKind::Csat, Some(1), "物流", true);
        by_li.agent = "li".into();
        by_li.region = "华北".into();
        let nps = survey(SurveyKind::Nps, Some(10), "", false);
        let rows = satisfaction_by(&[by_wang.clone(), by_li.clone(), nps.clone()], |s| s.agent.clone());
        assert_eq!(rows.iter().map(|r| (r.key.as_str(), r.csat_percent)).collect::<Vec<_>>(), vec![("li", Some(0.0)), ("wang", Some(100.0))]);
        let rows = satisfaction_by(&[by_wang, by_li, nps], |s| s.region.clone());
        assert_eq!(rows.iter().map(|r| (r.key.as_str(), r.nps, r.sent)).collect::<Vec<_>>(), vec![("华北", None, 1), ("华南", Some(100), 2)]);
    }

    #[test]
    fn complaints_are_joined_to_the_orders_they_are_about() {
        let about = |products: &[&str], carrier: &str| Origin { products: products.iter().map(|p| p.to_string()).collect(), carrier: carrier.into() };
        let tickets = vec![
            TicketFact { origin: about(&["净水器"], "顺丰"), ..ticket("1", "物流", "华南", "svc", at(2, 1)) },
            TicketFact { origin: about(&["净水器", "滤芯"], "顺丰"), ..ticket("2", "物流", "华南", "svc", at(3, 1)) },
            TicketFact { origin: about(&["滤芯"], ""), ..ticket("3", "物流", "华东", "svc", at(4, 1)) },
        ];
        let mut low = survey(SurveyKind::Nps, Some(2), "物流", false);
        low.origin = about(&[], "德邦");
        let rows = pareto(&tickets, &[low]);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].products, vec![("净水器".to_string(), 2), ("滤芯".to_string(), 2), ("—".to_string(), 1)]);
        assert_eq!(rows[0].carriers, vec![("顺丰".to_string(), 2), ("—".to_string(), 1), ("德邦".to_string(), 1)]);
    }

    #[test]
    fn a_reason_lists_its_newest_tickets_only_but_counts_them_all() {
        let tickets: Vec<TicketFact> = (0..(PARETO_TICKETS as u32 + 5)).map(|i| ticket(&i.to_string(), "质量", "华北", "svc", at(1, 0) + Duration::hours(i.into()))).collect();
        let rows = pareto(&tickets, &[]);
        assert_eq!(rows[0].count as usize, PARETO_TICKETS + 5);
        assert_eq!(rows[0].tickets.len(), PARETO_TICKETS);
        assert_eq!(rows[0].tickets[0].0, (PARETO_TICKETS + 4).to_string(), "the newest first");
    }

    #[test]
    fn satisfaction_per_product_counts_a_survey_under_each_of_its_products() {
        let mut both = survey(SurveyKind::Csat, Some(5), "", false);
        both.origin = Origin { products: vec!["净水器".into(), "滤芯".into()], carrier: String::new() };
        both.segment = "高价值".into();
        let mut one = survey(SurveyKind::Csat, Some(1), "质量", false);
        one.origin = Origin { products: vec!["滤芯".into()], carrier: String::new() };
        let none = survey(SurveyKind::Nps, Some(9), "", false);
        let r = report(&[], &[both, one, none], at(25, 0), 1, &|u| u.to_string());
        assert_eq!(r.by_product.iter().map(|r| (r.key.as_str(), r.csat_percent, r.sent)).collect::<Vec<_>>(), vec![("净水器", Some(100.0), 1), ("滤芯", Some(50.0), 2)]);
        assert_eq!(r.by_segment.iter().map(|r| (r.key.as_str(), r.sent)).collect::<Vec<_>>(), vec![("高价值", 1)]);
    }
}
