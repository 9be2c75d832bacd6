//! After-sales (售后): service tickets and their status flow, the working calendar and the
//! SLA clocks counted in it, and satisfaction (CSAT/NPS) — plain rules, tested without a store.

pub mod assignment;
pub mod calendar;
pub mod calendar_input;
pub mod care_plan;
pub mod care_plan_input;
pub mod care_plan_view;
pub mod complaint_origin;
pub mod installation;
pub mod reports;
pub mod settings;
pub mod signals;
pub mod sla;
pub mod survey_rules;
pub mod surveys;
pub mod tickets;
pub mod types;
