//! After-sales pages (售后): service tickets and satisfaction surveys on the customer
//! profile, the ticket queue, the settings, and the survey page a customer answers. The rules (status flow,
//! working calendar, SLA clocks) are in `kehu_domain::service`; the service in
//! `kehu_backend::aftersales`.

pub mod api;
pub mod care_plan_settings;
pub mod care_plan_view;
pub mod queue_page;
pub mod reports_page;
pub mod settings_page;
pub mod signals_view;
pub mod survey_page;
pub mod surveys_view;
pub mod tickets_view;
