//! Insight (洞察) pages: products and orders, what Kehu learns from them — RFM segments, the
//! BG/NBD model's churn and repurchase predictions, each customer's rhythm, cross-sell rules,
//! the forecast — the reports, competitors and the order import. The models are in
//! `kehu_domain::insight`; the batch that runs them in `kehu_backend::insight::batch`.

pub mod api;
pub mod chart;
pub mod competitors_page;
pub mod import_page;
pub mod insight_view;
pub mod orders_view;
pub mod overview_page;
pub mod products_page;
pub mod reports_page;
