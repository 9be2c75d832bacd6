//! Insight (洞察): products and orders, their import, the insight batch (RFM, BG/NBD, rhythm,
//! cross-sell), the overview and forecast, the reports, competitors, and the sample orders.

pub mod batch;
pub mod competitor_mentions;
pub mod competitors;
pub mod demo;
pub mod import;
pub mod import_jobs;
pub mod leads;
pub mod orders;
pub mod overview;
pub mod reports;
