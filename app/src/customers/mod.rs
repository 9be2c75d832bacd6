//! Customer 360: customers, contacts, tags and the timeline of touchpoints.

pub mod api;
pub mod contacts_view;
pub mod form_page;
pub mod list_page;
pub mod normalize;
pub mod ownership_view;
pub mod pool;
pub mod profile_page;
pub mod tags_view;
pub mod timeline_view;
pub mod types;
pub mod validate;
