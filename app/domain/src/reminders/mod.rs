//! Reminders: their kinds and rules, do-not-disturb windows, care dates, the rule settings,
//! the reminder center's counts (over an owner's open list) and the iCalendar feed.

pub mod announce;
pub mod care_dates;
pub mod center;
pub mod dnd;
pub mod ical;
pub mod open_list;
pub mod rules;
pub mod settings;
pub mod types;
