//! Reminders (提醒): the engine that works them out from every customer's facts, the
//! reminder center and badge count, the rule settings, the calendar feed, the due watcher,
//! and the do-not-disturb windows and care dates the rules read.

pub mod announcer;
pub mod care_dates;
pub mod center;
pub mod dnd;
pub mod due_watch;
pub mod engine;
pub mod feed;
pub mod settings;
