//! 今天: the rep's day on one screen (the PWA's start page).

pub mod api;
pub mod today_page;
