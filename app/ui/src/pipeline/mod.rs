//! The funnel (销售漏斗): opportunities, stages the system enforces, the drag-and-drop board,
//! conversion and its alerts, and quotes, contracts and payment collection.

pub mod api;
pub mod board_page;
pub mod deal_form;
pub mod deal_money_view;
pub mod deal_page;
pub mod deals_view;
pub mod funnel_page;
pub mod quote_page;
