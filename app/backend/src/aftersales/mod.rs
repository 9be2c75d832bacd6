//! After-sales (售后): service tickets with their SLA clocks; the settings they count by;
//! satisfaction surveys and what a low score starts.

pub mod qr;
pub mod reports;
pub mod settings;
pub mod sla_watch;
pub mod survey_mail;
pub mod surveys;
pub mod tickets;
pub mod views;
