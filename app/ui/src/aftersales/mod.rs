//! After-sales pages (售后): service tickets on the customer profile. The rules (status flow,
//! working calendar, SLA clocks) are in `kehu_domain::service`; the service in
//! `kehu_backend::aftersales`.

pub mod api;
pub mod queue_page;
pub mod settings_page;
pub mod tickets_view;
