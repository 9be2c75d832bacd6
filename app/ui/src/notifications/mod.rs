//! Things Kehu tells a user by itself: so far, that a customer of theirs went back to the
//! lead pool for want of follow-up.

pub mod api;
pub mod page;
