//! Working without a connection: the outbox of follow-ups written offline, its count in the
//! header and its page.

pub mod outbox;
pub mod outbox_badge;
pub mod outbox_page;
