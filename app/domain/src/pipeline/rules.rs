//! The funnel's rules as plain functions: what a stage requires, win chances from history,
//! conversion rates and their alerts, quote sums. No database and no browser, so each is
//! tested on its own and the page runs the same code the server enforces.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};

use super::types::*;

impl Default for Pipeline {
    fn default() -> Self {
        let stage = |key: &str, zh: &str, en: &str, requires: &[Requirement], playbook: &[&str], probability: u8| StageDef {
            key: key.into(),
            name_zh: zh.into(),
            name_en: en.into(),
            requires: requires.to_vec(),
            playbook: playbook.iter().map(|s| s.to_string()).collect(),
            probability,
        };
        Pipeline {
            stages: vec![
                stage("contact", "初步接洽", "First contact", &[], &["确认决策人", "了解预算范围", "约定下次沟通"], 10),
                stage("needs", "需求分析", "Needs analysis", &[], &["调研业务流程", "记录需求分析", "识别竞品"], 25),
                stage(
                    "proposal",
                    "方案提交",
                    "Proposal",
                    &[Requirement::Amount, Requirement::NeedsAnalysis],
                    &["方案演示", "确认技术要求", "提交报价"],
                    45,
                ),
                stage("negotiation", "商务谈判", "Negotiation", &[Requirement::Quote], &["确认采购流程", "谈判折扣", "起草合同"], 65),
                stage("signing", "签约", "Signing", &[Requirement::SignedContract], &["合同盖章", "确认回款计划", "移交售后"], 90),
            ],
            win_rate_alert: 15,
            stage_rate_alert: 0,
            alert_min_deals: 5,
        }
    }
}

impl Pipeline {
    pub fn index_of(&self, key: &str) -> Option<usize> {
        self.stages.iter().position(|s| s.key == key)
    }

    pub fn stage(&self, key: &str) -> Option<&StageDef> {
        self.stages.iter().find(|s| s.key == key)
    }

    /// The first stage's key: where a new deal starts.
    pub fn first_key(&self) -> &str {
        self.stages.first().map(|s| s.key.as_str()).unwrap_or("")
    }

    /// Everything a deal needs to stand in stage `index`: the requirements of that stage and
    /// of every stage before it, so skipping a stage never skips its rule.
    pub fn requirements_up_to(&self, index: usize) -> Vec<Requirement> {
        let mut all: Vec<Requirement> =
            self.stages.iter().take(index + 1).flat_map(|s| s.requires.iter().copied()).collect();
        all.sort();
        all.dedup();
        all
    }

    /// What the deal lacks to enter stage `to`; empty when the move is allowed. Moving back
    /// (or staying) needs nothing.
    pub fn missing_for(&self, facts: &DealFacts, from: &str, to: &str) -> Result<Vec<Requirement>, UnknownStage> {
        let to_index = self.index_of(to).ok_or(UnknownStage)?;
        let from_index = self.index_of(from).unwrap_or(0);
        if to_index <= from_index {
            return Ok(Vec::new());
        }
        Ok(self.requirements_up_to(to_index).into_iter().filter(|r| !facts.meets(*r)).collect())
    }

    /// What a deal lacks to be won: everything the last stage requires (and those before
    /// it), whichever stage it stands in, so a won deal always has what signing demands.
    pub fn missing_to_win(&self, facts: &DealFacts) -> Vec<Requirement> {
        let last = self.stages.len().saturating_sub(1);
        self.requirements_up_to(last).into_iter().filter(|r| !facts.meets(*r)).collect()
    }

    /// Checks a configured funnel: at least one stage, unique well-formed keys that cannot be
    /// mistaken for an end (`won`, `lost`), sane probabilities and thresholds.
    pub fn check(&self) -> Result<(), String> {
        if self.stages.is_empty() {
            return Err("the pipeline needs at least one stage".into());
        }
        for (i, stage) in self.stages.iter().enumerate() {
            let well_formed = !stage.key.is_empty()
                && stage.key.len() <= 32
                && stage.key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            if !well_formed || stage.key == "won" || stage.key == "lost" {
                return Err(format!("stage key '{}' must be lower-case letters, digits or _ (and not won/lost)", stage.key));
            }
            if self.stages[..i].iter().any(|s| s.key == stage.key) {
                return Err(format!("stage key '{}' appears twice", stage.key));
            }
            if stage.probability > 100 {
                return Err(format!("stage '{}': probability must be 0–100", stage.key));
            }
        }
        if self.win_rate_alert > 100 || self.stage_rate_alert > 100 {
            return Err("alert thresholds are percentages, 0–100".into());
        }
        Ok(())
    }
}

/// A stage key the pipeline does not have.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UnknownStage;

impl DealFacts {
    pub fn meets(&self, requirement: Requirement) -> bool {
        match requirement {
            Requirement::Amount => self.amount_cents > 0,
            Requirement::NeedsAnalysis => self.has_needs_analysis,
            Requirement::Quote => self.quotes > 0,
            Requirement::SignedContract => self.contract_signed,
        }
    }
}

/// How many closed deals reached each stage, and how many of those were won: the history a
/// win chance is drawn from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StageHistory {
    pub reached: Vec<u32>,
    pub won: Vec<u32>,
}

impl StageHistory {
    pub fn new(stages: usize) -> Self {
        StageHistory { reached: vec![0; stages], won: vec![0; stages] }
    }

    /// Counts a closed deal that got as far as stage `furthest`.
    pub fn record(&mut self, furthest: usize, won: bool) {
        let upto = (furthest + 1).min(self.reached.len());
        for i in 0..upto {
            self.reached[i] += 1;
            if won {
                self.won[i] += 1;
            }
        }
    }
}

/// How many deals of history weigh as much as the configured probability. With few closed
/// deals the stage's default dominates; with many, the company's own record does.
const PRIOR_WEIGHT: f64 = 10.0;

/// The win chance of an open deal in stage `index`, in percent: the stage's configured
/// probability blended with the share of closed deals that reached this stage and were won
/// (a Beta prior worth [`PRIOR_WEIGHT`] deals).
pub fn win_percent(pipeline: &Pipeline, history: &StageHistory, index: usize) -> u8 {
    let Some(stage) = pipeline.stages.get(index) else { return 0 };
    let prior = stage.probability as f64 / 100.0;
    let reached = history.reached.get(index).copied().unwrap_or(0) as f64;
    let won = history.won.get(index).copied().unwrap_or(0) as f64;
    let p = (won + PRIOR_WEIGHT * prior) / (reached + PRIOR_WEIGHT);
    (p * 100.0).round().clamp(0.0, 100.0) as u8
}

/// The chance shown for a deal: the rep's own estimate when given, else from history.
pub fn shown_win_percent(deal_probability: Option<u8>, pipeline: &Pipeline, history: &StageHistory, stage: &str) -> u8 {
    deal_probability.unwrap_or_else(|| pipeline.index_of(stage).map(|i| win_percent(pipeline, history, i)).unwrap_or(0))
}

/// Conversion per stage over `[from, to)`, from every recorded move of the deals concerned
/// (moves after `to` count too: a deal that entered in the period and advanced later did
/// convert). A deal "entered" a stage when a move took it there, or it was created there.
pub fn conversion(
    pipeline: &Pipeline,
    moves: &[StageMove],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> (Vec<StageConversion>, u32, u32) {
    let n = pipeline.stages.len();
    let mut by_deal: HashMap<&str, Vec<&StageMove>> = HashMap::new();
    for m in moves {
        by_deal.entry(m.deal.as_str()).or_default().push(m);
    }
    let mut entered = vec![0u32; n];
    let mut advanced = vec![0u32; n];
    let mut days_sum = vec![0f64; n];
    let mut days_count = vec![0u32; n];
    let (mut started, mut won) = (0u32, 0u32);
    for deal_moves in by_deal.values_mut() {
        deal_moves.sort_by_key(|m| m.at);
        // Index where each move lands: a stage, or n for won, None for lost.
        let target = |m: &StageMove| -> Option<usize> {
            match m.to.as_str() {
                "won" => Some(n),
                "lost" => None,
                key => pipeline.index_of(key),
            }
        };
        let is_won = deal_moves.iter().any(|m| m.to == "won");
        if deal_moves.first().is_some_and(|m| m.from.is_empty() && m.at >= from && m.at < to) {
            started += 1;
            if is_won {
                won += 1;
            }
        }
        for (i, m) in deal_moves.iter().enumerate() {
            let Some(stage) = target(m).filter(|&s| s < n) else { continue };
            if m.at >= from && m.at < to {
                entered[stage] += 1;
                let later_best = deal_moves[i + 1..].iter().filter_map(|l| target(l)).max();
                if later_best.is_some_and(|best| best > stage) {
                    advanced[stage] += 1;
                }
            }
            if let Some(next) = deal_moves.get(i + 1).filter(|next| next.at >= from && next.at < to) {
                days_sum[stage] += (next.at - m.at).num_seconds() as f64 / 86_400.0;
                days_count[stage] += 1;
            }
        }
    }
    let stages = pipeline
        .stages
        .iter()
        .enumerate()
        .map(|(i, s)| StageConversion {
            stage: s.key.clone(),
            entered: entered[i],
            advanced: advanced[i],
            avg_days: (days_count[i] > 0).then(|| days_sum[i] / days_count[i] as f64),
        })
        .collect();
    (stages, started, won)
}

/// A rate in percent, `None` without a denominator.
pub fn rate(part: u32, whole: u32) -> Option<f64> {
    (whole > 0).then(|| part as f64 * 100.0 / whole as f64)
}

/// Alerts for rates under their thresholds, per stage and for the whole funnel, for one
/// owner's deals (`owner` empty: everyone in view). Small samples raise none.
pub fn alerts(
    pipeline: &Pipeline,
    owner: &str,
    stages: &[StageConversion],
    started: u32,
    won: u32,
) -> Vec<ConversionAlert> {
    let mut out = Vec::new();
    let min = pipeline.alert_min_deals.max(1);
    if pipeline.win_rate_alert > 0 && started >= min {
        if let Some(r) = rate(won, started).filter(|r| *r < pipeline.win_rate_alert as f64) {
            out.push(ConversionAlert {
                stage: String::new(),
                owner: owner.into(),
                owner_name: String::new(),
                rate_percent: r,
                threshold: pipeline.win_rate_alert,
                deals: started,
            });
        }
    }
    if pipeline.stage_rate_alert > 0 {
        for s in stages.iter().filter(|s| s.entered >= min) {
            if let Some(r) = rate(s.advanced, s.entered).filter(|r| *r < pipeline.stage_rate_alert as f64) {
                out.push(ConversionAlert {
                    stage: s.stage.clone(),
                    owner: owner.into(),
                    owner_name: String::new(),
                    rate_percent: r,
                    threshold: pipeline.stage_rate_alert,
                    deals: s.entered,
                });
            }
        }
    }
    out
}

/// The amount of one quote line after its discount, rounded to the cent.
pub fn line_total(line: &QuoteLine) -> i64 {
    let gross = line.unit_price_cents as i128 * line.quantity as i128;
    let net = gross * (1000 - line.discount_permille.min(1000) as i128);
    // Round half away from zero (prices are never negative, so half up).
    ((net + 500) / 1000) as i64
}

pub fn quote_total(lines: &[QuoteLine]) -> i64 {
    lines.iter().map(line_total).sum()
}

/// Received over contracted, in percent; `None` for a contract of nothing.
pub fn collection_percent(received_cents: i64, contracted_cents: i64) -> Option<f64> {
    (contracted_cents > 0).then(|| received_cents as f64 * 100.0 / contracted_cents as f64)
}

/// Sums amounts per currency, largest first (for column totals).
pub fn totals_by_currency<'a>(amounts: impl Iterator<Item = (&'a str, i64)>) -> Vec<(String, i64)> {
    let mut sums: BTreeMap<&str, i64> = BTreeMap::new();
    for (currency, cents) in amounts {
        *sums.entry(currency).or_default() += cents;
    }
    let mut out: Vec<(String, i64)> = sums.into_iter().map(|(c, s)| (c.to_string(), s)).collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn facts(amount: i64, needs: bool, quotes: u32, signed: bool) -> DealFacts {
        DealFacts { amount_cents: amount, has_needs_analysis: needs, quotes, contract_signed: signed }
    }

    #[test]
    fn entering_a_stage_needs_its_rules_and_those_before_it() {
        let p = Pipeline::default();
        let bare = facts(0, false, 0, false);
        assert_eq!(p.missing_for(&bare, "contact", "needs"), Ok(vec![]));
        assert_eq!(p.missing_for(&bare, "needs", "proposal"), Ok(vec![Requirement::Amount, Requirement::NeedsAnalysis]));
        // Jumping straight to signing cannot skip the proposal's and negotiation's rules.
        assert_eq!(
            p.missing_for(&bare, "contact", "signing"),
            Ok(vec![Requirement::Amount, Requirement::NeedsAnalysis, Requirement::Quote, Requirement::SignedContract])
        );
        let ready = facts(100, true, 1, false);
        assert_eq!(p.missing_for(&ready, "proposal", "negotiation"), Ok(vec![]));
        assert_eq!(p.missing_for(&ready, "negotiation", "signing"), Ok(vec![Requirement::SignedContract]));
    }

    #[test]
    fn moving_back_is_always_allowed_and_unknown_stages_are_refused() {
        let p = Pipeline::default();
        let bare = facts(0, false, 0, false);
        assert_eq!(p.missing_for(&bare, "signing", "contact"), Ok(vec![]));
        assert_eq!(p.missing_for(&bare, "contact", "closing"), Err(UnknownStage));
    }

    #[test]
    fn winning_needs_everything_the_last_stage_needs() {
        let p = Pipeline::default();
        assert_eq!(p.missing_to_win(&facts(1, true, 1, true)), vec![]);
        assert_eq!(p.missing_to_win(&facts(1, true, 1, false)), vec![Requirement::SignedContract]);
    }

    #[test]
    fn configured_pipelines_are_checked() {
        assert!(Pipeline::default().check().is_ok());
        let mut p = Pipeline::default();
        p.stages[1].key = "contact".into();
        assert!(p.check().unwrap_err().contains("twice"));
        p.stages[1].key = "won".into();
        assert!(p.check().is_err());
        assert!(Pipeline { stages: vec![], ..Pipeline::default() }.check().is_err());
    }

    #[test]
    fn win_chance_starts_at_the_stage_default_and_follows_history() {
        let p = Pipeline::default();
        let none = StageHistory::new(p.stages.len());
        assert_eq!(win_percent(&p, &none, 0), 10);
        assert_eq!(win_percent(&p, &none, 4), 90);
        // 30 closed deals reached negotiation, 27 were won: (27 + 10·0.65) / (30 + 10) = 83.75%.
        let mut h = StageHistory::new(p.stages.len());
        for i in 0..30 {
            h.record(3, i < 27);
        }
        assert_eq!(win_percent(&p, &h, 3), 84);
        // Earlier stages saw the same deals: (27 + 1) / (30 + 10) = 70% at first contact.
        assert_eq!(win_percent(&p, &h, 0), 70);
        assert_eq!(shown_win_percent(Some(33), &p, &h, "contact"), 33);
        assert_eq!(shown_win_percent(None, &p, &h, "nope"), 0);
    }

    fn mv(deal: &str, from: &str, to: &str, day: u32) -> StageMove {
        StageMove { deal: deal.into(), from: from.into(), to: to.into(), at: Utc.with_ymd_and_hms(2026, 3, day, 0, 0, 0).unwrap() }
    }

    #[test]
    fn conversion_counts_deals_that_went_further_and_time_in_stage() {
        let p = Pipeline::default();
        let moves = vec![
            // a: contact → needs → won path through signing.
            mv("a", "", "contact", 1),
            mv("a", "contact", "needs", 3),
            mv("a", "needs", "proposal", 7),
            mv("a", "proposal", "negotiation", 8),
            mv("a", "negotiation", "signing", 9),
            mv("a", "signing", "won", 10),
            // b: stalls in contact and is lost.
            mv("b", "", "contact", 2),
            mv("b", "contact", "lost", 6),
            // c: jumps from contact to proposal.
            mv("c", "", "contact", 2),
            mv("c", "contact", "proposal", 4),
        ];
        let from = Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap();
        let to = Utc.with_ymd_and_hms(2026, 4, 1, 0, 0, 0).unwrap();
        let (stages, started, won) = conversion(&p, &moves, from, to);
        assert_eq!((started, won), (3, 1));
        assert_eq!((stages[0].entered, stages[0].advanced), (3, 2));
        assert_eq!((stages[1].entered, stages[1].advanced), (1, 1));
        assert_eq!((stages[2].entered, stages[2].advanced), (2, 1));
        assert_eq!((stages[4].entered, stages[4].advanced), (1, 1));
        // Days in contact: a 2, b 4 (until lost), c 2 → 8/3.
        assert!((stages[0].avg_days.unwrap() - 8.0 / 3.0).abs() < 1e-9);
        // A period that starts after everything entered sees nothing enter.
        let later = Utc.with_ymd_and_hms(2026, 5, 1, 0, 0, 0).unwrap();
        let (stages, started, _) = conversion(&p, &moves, later, later + chrono::Duration::days(30));
        assert_eq!(started, 0);
        assert!(stages.iter().all(|s| s.entered == 0 && s.avg_days.is_none()));
    }

    #[test]
    fn alerts_fire_under_the_threshold_and_not_on_small_samples() {
        let p = Pipeline { stage_rate_alert: 50, ..Pipeline::default() };
        let stages = vec![
            StageConversion { stage: "contact".into(), entered: 10, advanced: 4, avg_days: None },
            StageConversion { stage: "needs".into(), entered: 3, advanced: 0, avg_days: None },
        ];
        let found = alerts(&p, "rep_a", &stages, 10, 1);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].stage, "");
        assert!((found[0].rate_percent - 10.0).abs() < 1e-9);
        assert_eq!(found[1].stage, "contact");
        assert_eq!(found[1].owner, "rep_a");
        // 2 won of 10 is 20%: above 15%, no whole-funnel alert.
        assert_eq!(alerts(&p, "", &stages, 10, 2).iter().filter(|a| a.stage.is_empty()).count(), 0);
        // 4 deals are too few to judge.
        assert!(alerts(&p, "", &[], 4, 0).is_empty());
    }

    #[test]
    fn quote_lines_sum_exactly_with_discounts() {
        let lines = vec![
            QuoteLine { product: "ERP".into(), quantity: 3, unit_price_cents: 9_999, discount_permille: 125 },
            QuoteLine { product: "OA".into(), quantity: 1, unit_price_cents: 100_000, discount_permille: 0 },
        ];
        // 3 × 99.99 = 299.97, less 12.5% = 262.47375 → 262.47.
        assert_eq!(line_total(&lines[0]), 26_247);
        assert_eq!(quote_total(&lines), 126_247);
        assert_eq!(collection_percent(50, 200), Some(25.0));
        assert_eq!(collection_percent(50, 0), None);
        assert_eq!(
            totals_by_currency([("CNY", 5), ("USD", 9), ("CNY", 10)].into_iter()),
            vec![("CNY".to_string(), 15), ("USD".to_string(), 9)]
        );
    }
}
