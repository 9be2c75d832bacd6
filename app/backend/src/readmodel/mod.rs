//! Read models: what the store holds, kept in memory in the shape pages read it, so a list,
//! a search or a board answers in milliseconds at 100,000 customers and a million orders.
//! Each is built from the store at start-up and then kept in step by `events::follow` after
//! every committed change; the store stays the source of truth.

pub mod deal_book;
pub mod directory;
pub mod due_cache;
pub mod insight_book;
pub mod kept_per_user;
pub mod mention_book;
pub mod order_book;
pub mod performance_book;
pub mod search_index;
pub mod ticket_book;
pub mod warmup;
