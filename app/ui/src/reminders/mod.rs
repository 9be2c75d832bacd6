//! Reminder pages (提醒): the reminder center, the admin's rule settings, the calendar feed,
//! and a customer's do-not-disturb windows (免打扰) and care dates. The rules are in
//! `kehu_domain::reminders`; the engine and the live badge in `kehu_backend::reminders` and
//! the server's `http::live`.

pub mod api;
pub mod calendar_view;
pub mod care_dates_view;
pub mod center_page;
pub mod dnd_view;
pub mod settings_page;
