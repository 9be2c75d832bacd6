//! Customer 360 pages: the list, the form, the profile with contacts, tags, the timeline
//! and ownership. Types and validation are in `kehu_domain::customers`.

pub mod api;
pub mod check_in;
pub mod contacts_view;
pub mod form_page;
pub mod import_page;
pub mod list_page;
pub mod ownership_view;
pub mod personal_data_view;
pub mod profile_page;
pub mod tags_view;
pub mod timeline_view;
pub mod visits_page;
