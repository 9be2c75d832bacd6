//! Reminders that surface on their own (提醒): the rules that make them due (birthdays and care
//! dates, renewals, silent VIPs, planned next steps, after-sales visits), the do-not-disturb
//! windows (免打扰) that move outreach to an allowed time, the reminder center, the admin's
//! rule settings and the calendar feed. Rules, windows, grouping and the feed format are
//! plain functions here; the engine that stores reminders and the live badge are in
//! `backend::reminder_engine` and `backend::live`.

pub mod api;
pub mod calendar_view;
pub mod care_dates_view;
pub mod center_page;
pub mod dnd_view;
pub mod settings_page;
