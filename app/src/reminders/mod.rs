//! Reminders that surface on their own (提醒): the rules that make them due (birthdays and care
//! dates, renewals, silent VIPs, planned next steps, after-sales visits) and the
//! do-not-disturb windows (免打扰) that move outreach to an allowed time. The rules and windows
//! are plain functions here; the engine that stores reminders, the live badge and the
//! calendar feed build on them.

pub mod api;
pub mod dnd;
pub mod dnd_view;
pub mod rules;
pub mod types;
