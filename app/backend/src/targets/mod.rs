//! Targets and performance (目标 / 业绩): setting and cascading targets (`service`), progress
//! with the pace line, the chance of making it and the leaderboard (`progress`), the activity
//! heatmap, the best quarter's habits and the silent (`activity`), and the warnings and
//! milestones through the reminder engine (`watch`). Counted from the performance book.

pub mod activity;
pub mod org;
pub mod progress;
pub mod service;
pub mod watch;
