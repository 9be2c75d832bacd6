//! The places a signed-in user can go, by role: one list for the header's navigation on a
//! wide screen and the 我的 page on a phone, so the two never disagree about who sees what.

use kehu_domain::accounts::types::{Me, Role};

use crate::i18n::Msg;

pub struct Place {
    pub href: &'static str,
    pub label: Msg,
    pub testid: &'static str,
}

const fn place(href: &'static str, label: Msg, testid: &'static str) -> Place {
    Place { href, label, testid }
}

/// Every place this user may open from the navigation, in the header's order.
pub fn places(me: &Me) -> Vec<Place> {
    let sells = me.user.role != Role::Service;
    let leads = matches!(me.user.role, Role::Admin | Role::Manager);
    let mut list = vec![
        place("/today", Msg::NavToday, "nav-today"),
        place("/customers", Msg::NavCustomers, "nav-customers"),
        place("/customers?owner=~pool", Msg::NavPool, "nav-pool"),
    ];
    if sells {
        list.push(place("/pipeline", Msg::NavPipeline, "nav-pipeline"));
    }
    list.push(place("/reminders", Msg::NavReminders, "nav-reminders"));
    list.push(place("/tickets", Msg::NavTickets, "nav-tickets"));
    if leads {
        list.push(place("/service/reports", Msg::NavServiceReport, "nav-service-report"));
    }
    if sells {
        list.push(place("/performance", Msg::NavPerformance, "nav-performance"));
        list.push(place("/visits", Msg::NavVisits, "nav-visits"));
    }
    list.push(place("/insight", Msg::NavInsight, "nav-insight"));
    if me.can_audit {
        list.push(place("/audit", Msg::NavAudit, "nav-audit"));
    }
    if me.is_admin {
        list.push(place("/admin/users", Msg::NavUsers, "nav-users"));
        list.push(place("/admin/reminders", Msg::NavReminderRules, "nav-reminder-rules"));
        list.push(place("/admin/service", Msg::NavServiceSettings, "nav-service-settings"));
    }
    list
}

/// The phone's bottom bar: the rep's day, then the four daily places (客户, 漏斗, 提醒, 我的).
/// A service agent's second place is the ticket queue instead of the funnel board.
pub fn daily(me: &Me) -> [Place; 5] {
    let second = if me.user.role == Role::Service {
        place("/tickets", Msg::NavTickets, "tab-tickets")
    } else {
        place("/pipeline", Msg::TabPipeline, "tab-pipeline")
    };
    [
        place("/today", Msg::NavToday, "tab-today"),
        place("/customers", Msg::NavCustomers, "tab-customers"),
        second,
        place("/reminders", Msg::NavReminders, "tab-reminders"),
        place("/me", Msg::TabMe, "tab-me"),
    ]
}
