//! The funnel pages (销售漏斗): the drag-and-drop board, a deal with its quotes, contract and
//! payments, conversion and its alerts. The stages and their rules are in
//! `kehu_domain::pipeline`.

pub mod api;
pub mod board_page;
pub mod deal_form;
pub mod deal_money_view;
pub mod deal_page;
pub mod deals_view;
pub mod funnel_page;
pub mod quote_page;
