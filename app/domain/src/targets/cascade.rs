//! Cascading a target (拆解): a year into its months (evenly, or in the shape of last year's
//! months), a team's among its people, and how far children are from adding up to their parent.
//! Amounts are whole units (cents or counts); splits always add up exactly.

/// Splits `amount` in proportion to `weights` so that the parts add up to `amount` exactly:
/// each part rounded down, the units left over going to the largest remainders (the earlier
/// part on a tie). No weight (or all zero): equal parts.
pub fn split(amount: i64, weights: &[i64]) -> Vec<i64> {
    if weights.is_empty() {
        return Vec::new();
    }
    let positive: Vec<i128> = weights.iter().map(|w| i128::from((*w).max(0))).collect();
    let total: i128 = positive.iter().sum();
    let weights: Vec<i128> = if total == 0 { vec![1; positive.len()] } else { positive };
    let total: i128 = weights.iter().sum();
    let amount = i128::from(amount);
    let mut parts: Vec<i128> = weights.iter().map(|w| (amount * w).div_euclid(total)).collect();
    let mut left = amount - parts.iter().sum::<i128>();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse((amount * weights[i]).rem_euclid(total)));
    for &i in order.iter().cycle() {
        if left <= 0 {
            break;
        }
        parts[i] += 1;
        left -= 1;
    }
    parts.into_iter().map(|p| p as i64).collect()
}

/// How a year target becomes months.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Shape {
    /// The same every month.
    Even,
    /// As last year's months went (their actual amounts, January first); a year without
    /// any falls back to even.
    Seasonal([i64; 12]),
}

/// A year's amount as twelve months.
pub fn year_into_months(amount: i64, shape: &Shape) -> Vec<i64> {
    match shape {
        Shape::Even => split(amount, &[1; 12]),
        Shape::Seasonal(last_year) => split(amount, last_year),
    }
}

/// Twelve months summed into four quarters.
pub fn months_into_quarters(months: &[i64]) -> Vec<i64> {
    months.chunks(3).map(|q| q.iter().sum()).collect()
}

/// How far the children are from their parent: positive when they add up to more, negative
/// when to less, 0 when they add up ("分解合计比目标少 ¥12,000").
pub fn gap(parent: i64, children: &[i64]) -> i64 {
    children.iter().sum::<i64>() - parent
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_even_split_adds_up_to_the_cent() {
        let months = year_into_months(1_000_000_00 + 5, &Shape::Even);
        assert_eq!(months.len(), 12);
        assert_eq!(months.iter().sum::<i64>(), 1_000_000_05);
        assert!(months.iter().all(|m| (8_333_333..=8_333_334).contains(m)), "{months:?}");
        assert_eq!(split(10, &[1, 1, 1]), vec![4, 3, 3], "the leftover unit goes to the first on a tie");
        assert_eq!(split(7, &[0, 0]), vec![4, 3], "no weights: even");
        assert_eq!(split(0, &[3, 1]), vec![0, 0]);
        assert!(split(5, &[]).is_empty());
    }

    #[test]
    fn a_seasonal_split_follows_last_years_months() {
        // Last year sold twice as much in December as in any other month.
        let mut last = [100; 12];
        last[11] = 200;
        let months = year_into_months(1300, &Shape::Seasonal(last));
        assert_eq!(months[0], 100);
        assert_eq!(months[11], 200);
        assert_eq!(months.iter().sum::<i64>(), 1300);
        assert_eq!(year_into_months(120, &Shape::Seasonal([0; 12])), vec![10; 12], "no history: even");
        assert_eq!(months_into_quarters(&months), vec![300, 300, 300, 400]);
    }

    #[test]
    fn a_teams_target_among_its_people_and_the_gap_of_what_was_typed() {
        let people = split(100_000, &[3, 2, 0]);
        assert_eq!(people, vec![60_000, 40_000, 0]);
        assert_eq!(gap(100_000, &people), 0);
        assert_eq!(gap(100_000, &[50_000, 38_000]), -12_000);
        assert_eq!(gap(100_000, &[60_000, 50_000]), 10_000);
    }

    #[test]
    fn negative_amounts_are_split_too() {
        let parts = split(-10, &[1, 1, 1]);
        assert_eq!(parts.iter().sum::<i64>(), -10);
    }
}
