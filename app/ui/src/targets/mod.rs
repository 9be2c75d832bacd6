//! Targets and performance (目标 / 业绩): `/targets` (set and cascade, with the sums check),
//! `/performance` (progress with the pace line and chance range, the leaderboard and weighted
//! score) and `/activity` (heatmaps, the best quarter's habits, the silent). The rules are in
//! `kehu_domain::targets`; the service in `kehu_backend::targets`.

pub mod activity_page;
pub mod api;
pub mod labels;
pub mod performance_page;
pub mod targets_page;
