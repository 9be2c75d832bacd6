//! Accounts pages: signing in, the first admin, managing users and teams. The roles and
//! the rule of who sees what are in `kehu_domain::accounts`.

pub mod api;
pub mod login_page;
pub mod me_page;
pub mod password_page;
pub mod users_page;
