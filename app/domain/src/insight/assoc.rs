//! Cross-sell from association rules between products, mined over customers: a customer's
//! "basket" is every product they ever bought. For each pair A → B:
//! support = customers with both / all customers, confidence = both / customers with A,
//! lift = confidence / (customers with B / all customers) — above 1 means buying A makes
//! buying B likelier than it is anyway.

use std::collections::HashMap;

use super::types::AssociationRule;

/// Rules need this many customers with both products, so one odd customer proves nothing.
pub const MIN_BOTH: u32 = 5;
/// And this much confidence to be worth suggesting.
pub const MIN_CONFIDENCE: f64 = 0.1;

/// Every rule A → B (single products) with at least `min_both` customers having both and
/// `MIN_CONFIDENCE`, best first (confidence, then lift). Baskets are product indexes, each
/// product at most once per basket.
pub fn mine(baskets: &[Vec<u32>], min_both: u32) -> Vec<AssociationRule> {
    let n = baskets.len();
    if n == 0 {
        return Vec::new();
    }
    let mut single: HashMap<u32, u32> = HashMap::new();
    let mut pair: HashMap<(u32, u32), u32> = HashMap::new();
    for basket in baskets {
        for (i, a) in basket.iter().enumerate() {
            *single.entry(*a).or_default() += 1;
            for b in &basket[i + 1..] {
                let key = if a < b { (*a, *b) } else { (*b, *a) };
                *pair.entry(key).or_default() += 1;
            }
        }
    }
    let mut rules = Vec::new();
    for ((x, y), both) in pair {
        if both < min_both {
            continue;
        }
        for (a, b) in [(x, y), (y, x)] {
            let (with_a, with_b) = (single[&a] as f64, single[&b] as f64);
            let confidence = both as f64 / with_a;
            if confidence < MIN_CONFIDENCE {
                continue;
            }
            rules.push(AssociationRule {
                if_bought: a,
                then_bought: b,
                both,
                support: both as f64 / n as f64,
                confidence,
                lift: confidence / (with_b / n as f64),
            });
        }
    }
    rules.sort_by(|p, q| q.confidence.total_cmp(&p.confidence).then(q.lift.total_cmp(&p.lift)).then(p.if_bought.cmp(&q.if_bought)).then(p.then_bought.cmp(&q.then_bought)));
    rules
}

/// What to suggest to a customer who bought `bought`: each product they lack once, by the
/// best rule that leads to it (rules are already best first), only rules with lift above 1.
pub fn suggest<'a>(rules: &'a [AssociationRule], bought: &[u32], limit: usize) -> Vec<&'a AssociationRule> {
    let mut out: Vec<&AssociationRule> = Vec::new();
    for rule in rules {
        if out.len() == limit {
            break;
        }
        if rule.lift > 1.0
            && bought.contains(&rule.if_bought)
            && !bought.contains(&rule.then_bought)
            && !out.iter().any(|r| r.then_bought == rule.then_bought)
        {
            out.push(rule);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const ERP: u32 = 0;
    const OA: u32 = 1;
    const CRM: u32 = 2;

    /// 100 customers: 50 bought ERP, 39 of them also OA; 10 only OA; 40 only CRM.
    fn baskets() -> Vec<Vec<u32>> {
        let mut b = Vec::new();
        b.extend((0..39).map(|_| vec![ERP, OA]));
        b.extend((0..11).map(|_| vec![ERP]));
        b.extend((0..10).map(|_| vec![OA]));
        b.extend((0..40).map(|_| vec![CRM]));
        b
    }

    #[test]
    fn exact_support_confidence_and_lift() {
        let rules = mine(&baskets(), MIN_BOTH);
        let erp_oa = rules.iter().find(|r| r.if_bought == ERP && r.then_bought == OA).unwrap();
        assert_eq!(erp_oa.both, 39);
        assert!((erp_oa.support - 0.39).abs() < 1e-12);
        assert!((erp_oa.confidence - 0.78).abs() < 1e-12); // "78% of ERP buyers also bought OA"
        assert!((erp_oa.lift - 0.78 / 0.49).abs() < 1e-12);
        let oa_erp = rules.iter().find(|r| r.if_bought == OA && r.then_bought == ERP).unwrap();
        assert!((oa_erp.confidence - 39.0 / 49.0).abs() < 1e-12);
        // CRM never goes with anything: no rule mentions it.
        assert!(rules.iter().all(|r| r.if_bought != CRM && r.then_bought != CRM));
        // Best first.
        assert!(rules.windows(2).all(|w| w[0].confidence >= w[1].confidence));
    }

    #[test]
    fn rare_pairs_are_not_rules() {
        let few = vec![vec![ERP, CRM]; 4];
        assert!(mine(&few, MIN_BOTH).is_empty());
        assert!(mine(&[], MIN_BOTH).is_empty());
    }

    #[test]
    fn suggestions_skip_what_was_bought_and_name_each_product_once() {
        let rules = mine(&baskets(), MIN_BOTH);
        let got = suggest(&rules, &[ERP], 5);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].then_bought, OA);
        assert!(suggest(&rules, &[ERP, OA], 5).is_empty());
        assert!(suggest(&rules, &[CRM], 5).is_empty());
    }
}
