//! The installation / acceptance ticket (安装验收) a won deal opens when it sold a product of a
//! category that needs one (set per category by the admin), prefilled from the contract.

use chrono::NaiveDate;

use super::tickets::{Priority, TicketKind};
use super::types::NewTicket;
use crate::pipeline::types::QuoteLine;

/// What the ticket is made from: the deal, the lines of its latest quote with each product's
/// category, and the contract if there is one.
pub struct WonDeal<'a> {
    pub title: &'a str,
    pub lines: &'a [(QuoteLine, String)],
    pub contract: Option<(&'a str, NaiveDate, NaiveDate)>,
}

/// The ticket to open, if any line's product is of a category in `categories`; the lines
/// that need installing are listed in it, with the contract's number and term.
pub fn installation_ticket(deal: &WonDeal<'_>, categories: &[String]) -> Option<NewTicket> {
    let needing: Vec<&QuoteLine> = deal.lines.iter().filter(|(_, category)| categories.contains(category)).map(|(line, _)| line).collect();
    if needing.is_empty() {
        return None;
    }
    let mut description = needing.iter().map(|l| format!("{} × {}", l.product, l.quantity)).collect::<Vec<_>>().join("\n");
    if let Some((number, start, end)) = deal.contract {
        description = format!("合同 {number}（{start} – {end}）\n{description}");
    }
    Some(NewTicket {
        title: format!("安装验收：{}", deal.title).chars().take(120).collect(),
        description,
        kind: TicketKind::Installation,
        priority: Priority::Normal,
        category: String::new(),
        assignee: String::new(),
        order_id: String::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(product: &str, quantity: u32) -> QuoteLine {
        QuoteLine { product: product.into(), quantity, unit_price_cents: 100, discount_permille: 0 }
    }

    #[test]
    fn only_a_category_that_needs_installing_opens_a_ticket() {
        let lines = vec![(line("ERP", 1), "软件".to_string()), (line("服务器", 2), "硬件".to_string()), (line("培训", 1), "服务".to_string())];
        let start = NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
        let end = NaiveDate::from_ymd_opt(2027, 12, 31).unwrap();
        let deal = WonDeal { title: "ERP 一期", lines: &lines, contract: Some(("HT-1", start, end)) };
        assert_eq!(installation_ticket(&deal, &[]), None);
        assert_eq!(installation_ticket(&deal, &["家具".to_string()]), None);
        let ticket = installation_ticket(&deal, &["硬件".to_string(), "软件".to_string()]).unwrap();
        assert_eq!((ticket.title.as_str(), ticket.kind, ticket.assignee.as_str()), ("安装验收：ERP 一期", TicketKind::Installation, ""));
        assert_eq!(ticket.description, "合同 HT-1（2027-01-01 – 2027-12-31）\nERP × 1\n服务器 × 2");
        let no_contract = WonDeal { contract: None, ..deal };
        assert_eq!(installation_ticket(&no_contract, &["硬件".to_string()]).unwrap().description, "服务器 × 2");
    }
}
