//! After-sales (售后): service tickets with their SLA clocks; the settings they count by;
//! satisfaction surveys and what a low score starts.

pub mod care_plans;
pub mod installation;
pub mod lifecycle_surveys;
pub mod qr;
pub mod reports;
pub mod settings;
pub mod signals;
pub mod sla_watch;
pub mod survey_mail;
pub mod surveys;
pub mod ticket_records;
pub mod tickets;
pub mod views;
