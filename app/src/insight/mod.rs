//! Insight (洞察): products and orders, and what Kehu learns from them — RFM segments, the
//! BG/NBD model's churn and repurchase predictions, each customer's own buying rhythm,
//! cross-sell rules, the revenue forecast and the reports. Every model here is a plain
//! function over plain data, tested without a store or a browser; the background batch
//! (`backend::insight_batch`) runs them over every customer and stores the scores.

pub mod api;
pub mod assoc;
pub mod bgnbd;
pub mod chart;
pub mod competitors;
pub mod competitors_page;
pub mod csv;
pub mod forecast;
pub mod import_page;
pub mod insight_view;
pub mod orders;
pub mod orders_view;
pub mod overview_page;
pub mod products_page;
pub mod reports_page;
pub mod rfm;
pub mod rhythm;
pub mod simulate;
pub mod special;
pub mod types;
