//! Customer 360: customers, contacts, tags and the timeline of touchpoints.

pub mod api;
pub mod contacts_view;
pub mod form_page;
pub mod list_page;
pub mod ownership_view;
pub mod profile_page;
pub mod tags_view;
pub mod timeline_view;
