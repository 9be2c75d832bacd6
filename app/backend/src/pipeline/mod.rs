//! The sales funnel (销售漏斗): deals and their enforced stages, their money (quotes,
//! contracts, payments), the board and the funnel report, and the demo deals.

pub mod board;
pub mod deals;
pub mod demo;
pub mod money;
