//! Targets and performance (目标 / 业绩): what a target is (a metric, a holder, a period), how
//! a year is split into quarters and months and a team's among its people, the pace line and
//! the chance of making it, the weighted score, and the activity heatmap — plain rules, tested
//! without a store.

pub mod board;
pub mod cascade;
pub mod chance;
pub mod heatmap;
pub mod org;
pub mod pace;
pub mod period;
pub mod score;
pub mod types;
pub mod view;
