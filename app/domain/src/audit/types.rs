//! What the audit log shows: who changed what, when, from which value to which. Every entry is
//! one event of the event log (see the backend's `events`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    pub field: String,
    pub before: String,
    pub after: String,
}

impl FieldChange {
    pub fn new(field: &str, before: impl Into<String>, after: impl Into<String>) -> Self {
        FieldChange { field: field.to_string(), before: before.into(), after: after.into() }
    }
}

/// What was done: the kind of an event. Stored by name (`as_str`), so names never change;
/// the audit log written before events existed used the same names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    CustomerCreated,
    CustomerUpdated,
    TagAdded,
    TagRemoved,
    ContactAdded,
    ContactUpdated,
    ContactRemoved,
    TouchpointAdded,
    Claimed,
    Assigned,
    ReturnedToPool,
    Recycled,
    Merged,
    DealCreated,
    DealUpdated,
    DealMoved,
    DealWon,
    DealLost,
    PlaybookTicked,
    QuoteAdded,
    ContractSaved,
    InstalmentAdded,
    PaymentAdded,
    OrderAdded,
    OrderRemoved,
    OrdersImported,
    ProductSaved,
    DndAdded,
    DndRemoved,
    CareDateAdded,
    CareDateRemoved,
    ReminderDone,
    ReminderDismissed,
    ReminderSnoozed,
    ReminderRulesSaved,
    CompetitorAdded,
    CompetitorRemoved,
    DemoLoaded,
    ImportUndone,
    Exported,
    PersonalDataErased,
    TicketOpened,
    TicketUpdated,
    TicketNoteAdded,
    SurveySent,
    SurveyAnswered,
    ServiceSettingsSaved,
    UserCreated,
    UserUpdated,
    UserDeactivated,
    TeamCreated,
    TargetSet,
    PerformanceSettingsSaved,
    ApiTokenCreated,
    ApiTokenRevoked,
    WebhookCreated,
    WebhookChanged,
    WebhookRemoved,
    /// A reminder fell due (written by the due watcher, actor `system`).
    ReminderDue,
    /// A ticket's first-response or resolution clock ran out (once per ticket and clock).
    SlaBreached,
}

impl EventKind {
    pub const ALL: [EventKind; 60] = [
        EventKind::CustomerCreated,
        EventKind::CustomerUpdated,
        EventKind::TagAdded,
        EventKind::TagRemoved,
        EventKind::ContactAdded,
        EventKind::ContactUpdated,
        EventKind::ContactRemoved,
        EventKind::TouchpointAdded,
        EventKind::Claimed,
        EventKind::Assigned,
        EventKind::ReturnedToPool,
        EventKind::Recycled,
        EventKind::Merged,
        EventKind::DealCreated,
        EventKind::DealUpdated,
        EventKind::DealMoved,
        EventKind::DealWon,
        EventKind::DealLost,
        EventKind::PlaybookTicked,
        EventKind::QuoteAdded,
        EventKind::ContractSaved,
        EventKind::InstalmentAdded,
        EventKind::PaymentAdded,
        EventKind::OrderAdded,
        EventKind::OrderRemoved,
        EventKind::OrdersImported,
        EventKind::ProductSaved,
        EventKind::DndAdded,
        EventKind::DndRemoved,
        EventKind::CareDateAdded,
        EventKind::CareDateRemoved,
        EventKind::ReminderDone,
        EventKind::ReminderDismissed,
        EventKind::ReminderSnoozed,
        EventKind::ReminderRulesSaved,
        EventKind::CompetitorAdded,
        EventKind::CompetitorRemoved,
        EventKind::DemoLoaded,
        EventKind::ImportUndone,
        EventKind::Exported,
        EventKind::PersonalDataErased,
        EventKind::TicketOpened,
        EventKind::TicketUpdated,
        EventKind::TicketNoteAdded,
        EventKind::SurveySent,
        EventKind::SurveyAnswered,
        EventKind::ServiceSettingsSaved,
        EventKind::UserCreated,
        EventKind::UserUpdated,
        EventKind::UserDeactivated,
        EventKind::TeamCreated,
        EventKind::TargetSet,
        EventKind::PerformanceSettingsSaved,
        EventKind::ApiTokenCreated,
        EventKind::ApiTokenRevoked,
        EventKind::WebhookCreated,
        EventKind::WebhookChanged,
        EventKind::WebhookRemoved,
        EventKind::ReminderDue,
        EventKind::SlaBreached,
    ];

    /// What Kehu announces rather than a change someone made (a reminder fell due, an SLA
    /// ran out): kept in the event log for webhooks and the customer's history, left out of
    /// the audit page, which would otherwise fill with them every morning.
    pub fn is_notice(self) -> bool {
        matches!(self, EventKind::ReminderDue | EventKind::SlaBreached)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::CustomerCreated => "customer_created",
            EventKind::CustomerUpdated => "customer_updated",
            EventKind::TagAdded => "tag_added",
            EventKind::TagRemoved => "tag_removed",
            EventKind::ContactAdded => "contact_added",
            EventKind::ContactUpdated => "contact_updated",
            EventKind::ContactRemoved => "contact_removed",
            EventKind::TouchpointAdded => "touchpoint_added",
            EventKind::Claimed => "claimed",
            EventKind::Assigned => "assigned",
            EventKind::ReturnedToPool => "returned_to_pool",
            EventKind::Recycled => "recycled",
            EventKind::Merged => "merged",
            EventKind::DealCreated => "deal_created",
            EventKind::DealUpdated => "deal_updated",
            EventKind::DealMoved => "deal_moved",
            EventKind::DealWon => "deal_won",
            EventKind::DealLost => "deal_lost",
            EventKind::PlaybookTicked => "playbook_ticked",
            EventKind::QuoteAdded => "quote_added",
            EventKind::ContractSaved => "contract_saved",
            EventKind::InstalmentAdded => "instalment_added",
            EventKind::PaymentAdded => "payment_added",
            EventKind::OrderAdded => "order_added",
            EventKind::OrderRemoved => "order_removed",
            EventKind::OrdersImported => "orders_imported",
            EventKind::ProductSaved => "product_saved",
            EventKind::DndAdded => "dnd_added",
            EventKind::DndRemoved => "dnd_removed",
            EventKind::CareDateAdded => "care_date_added",
            EventKind::CareDateRemoved => "care_date_removed",
            EventKind::ReminderDone => "reminder_done",
            EventKind::ReminderDismissed => "reminder_dismissed",
            EventKind::ReminderSnoozed => "reminder_snoozed",
            EventKind::ReminderRulesSaved => "reminder_rules_saved",
            EventKind::CompetitorAdded => "competitor_added",
            EventKind::CompetitorRemoved => "competitor_removed",
            EventKind::DemoLoaded => "demo_loaded",
            EventKind::ImportUndone => "import_undone",
            EventKind::Exported => "exported",
            EventKind::PersonalDataErased => "personal_data_erased",
            EventKind::TicketOpened => "ticket_opened",
            EventKind::TicketUpdated => "ticket_updated",
            EventKind::TicketNoteAdded => "ticket_note_added",
            EventKind::SurveySent => "survey_sent",
            EventKind::SurveyAnswered => "survey_answered",
            EventKind::ServiceSettingsSaved => "service_settings_saved",
            EventKind::UserCreated => "user_created",
            EventKind::UserUpdated => "user_updated",
            EventKind::UserDeactivated => "user_deactivated",
            EventKind::TeamCreated => "team_created",
            EventKind::TargetSet => "target_set",
            EventKind::PerformanceSettingsSaved => "performance_settings_saved",
            EventKind::ApiTokenCreated => "api_token_created",
            EventKind::ApiTokenRevoked => "api_token_revoked",
            EventKind::WebhookCreated => "webhook_created",
            EventKind::WebhookChanged => "webhook_changed",
            EventKind::WebhookRemoved => "webhook_removed",
            EventKind::ReminderDue => "reminder_due",
            EventKind::SlaBreached => "sla_breached",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }

    /// How the audit log names it.
    pub fn label(self, lang: crate::i18n::Lang) -> &'static str {
        use crate::i18n::Lang::{En, Zh};
        match (self, lang) {
            (EventKind::CustomerCreated, Zh) => "新建客户",
            (EventKind::CustomerCreated, En) => "Customer created",
            (EventKind::CustomerUpdated, Zh) => "修改客户",
            (EventKind::CustomerUpdated, En) => "Customer edited",
            (EventKind::TagAdded, Zh) => "添加标签",
            (EventKind::TagAdded, En) => "Tag added",
            (EventKind::TagRemoved, Zh) => "删除标签",
            (EventKind::TagRemoved, En) => "Tag removed",
            (EventKind::ContactAdded, Zh) => "添加联系人",
            (EventKind::ContactAdded, En) => "Contact added",
            (EventKind::ContactUpdated, Zh) => "修改联系人",
            (EventKind::ContactUpdated, En) => "Contact edited",
            (EventKind::ContactRemoved, Zh) => "删除联系人",
            (EventKind::ContactRemoved, En) => "Contact removed",
            (EventKind::TouchpointAdded, Zh) => "记录跟进",
            (EventKind::TouchpointAdded, En) => "Follow-up logged",
            (EventKind::Claimed, Zh) => "领取",
            (EventKind::Claimed, En) => "Claimed",
            (EventKind::Assigned, Zh) => "分配",
            (EventKind::Assigned, En) => "Assigned",
            (EventKind::ReturnedToPool, Zh) => "退回线索池",
            (EventKind::ReturnedToPool, En) => "Returned to pool",
            (EventKind::Recycled, Zh) => "超期自动回收",
            (EventKind::Recycled, En) => "Recycled (no follow-up)",
            (EventKind::Merged, Zh) => "合并",
            (EventKind::Merged, En) => "Merged",
            (EventKind::DealCreated, Zh) => "新建商机",
            (EventKind::DealCreated, En) => "Deal created",
            (EventKind::DealUpdated, Zh) => "修改商机",
            (EventKind::DealUpdated, En) => "Deal edited",
            (EventKind::DealMoved, Zh) => "商机换阶段",
            (EventKind::DealMoved, En) => "Deal moved",
            (EventKind::DealWon, Zh) => "赢单",
            (EventKind::DealWon, En) => "Deal won",
            (EventKind::DealLost, Zh) => "输单",
            (EventKind::DealLost, En) => "Deal lost",
            (EventKind::PlaybookTicked, Zh) => "勾选推进事项",
            (EventKind::PlaybookTicked, En) => "Playbook item ticked",
            (EventKind::QuoteAdded, Zh) => "新建报价",
            (EventKind::QuoteAdded, En) => "Quote added",
            (EventKind::ContractSaved, Zh) => "保存合同",
            (EventKind::ContractSaved, En) => "Contract saved",
            (EventKind::InstalmentAdded, Zh) => "添加回款计划",
            (EventKind::InstalmentAdded, En) => "Instalment planned",
            (EventKind::PaymentAdded, Zh) => "登记回款",
            (EventKind::PaymentAdded, En) => "Payment recorded",
            (EventKind::OrderAdded, Zh) => "新增订单",
            (EventKind::OrderAdded, En) => "Order added",
            (EventKind::OrderRemoved, Zh) => "删除订单",
            (EventKind::OrderRemoved, En) => "Order removed",
            (EventKind::OrdersImported, Zh) => "导入订单",
            (EventKind::OrdersImported, En) => "Orders imported",
            (EventKind::ProductSaved, Zh) => "保存产品",
            (EventKind::ProductSaved, En) => "Product saved",
            (EventKind::DndAdded, Zh) => "添加免打扰",
            (EventKind::DndAdded, En) => "Do-not-disturb added",
            (EventKind::DndRemoved, Zh) => "删除免打扰",
            (EventKind::DndRemoved, En) => "Do-not-disturb removed",
            (EventKind::CareDateAdded, Zh) => "添加关怀日",
            (EventKind::CareDateAdded, En) => "Care date added",
            (EventKind::CareDateRemoved, Zh) => "删除关怀日",
            (EventKind::CareDateRemoved, En) => "Care date removed",
            (EventKind::ReminderDone, Zh) => "提醒已完成",
            (EventKind::ReminderDone, En) => "Reminder done",
            (EventKind::ReminderDismissed, Zh) => "提醒已忽略",
            (EventKind::ReminderDismissed, En) => "Reminder dismissed",
            (EventKind::ReminderSnoozed, Zh) => "提醒已推迟",
            (EventKind::ReminderSnoozed, En) => "Reminder snoozed",
            (EventKind::ReminderRulesSaved, Zh) => "修改提醒规则",
            (EventKind::ReminderRulesSaved, En) => "Reminder rules changed",
            (EventKind::CompetitorAdded, Zh) => "添加竞品",
            (EventKind::CompetitorAdded, En) => "Competitor added",
            (EventKind::CompetitorRemoved, Zh) => "删除竞品",
            (EventKind::CompetitorRemoved, En) => "Competitor removed",
            (EventKind::DemoLoaded, Zh) => "载入演示数据",
            (EventKind::DemoLoaded, En) => "Demo data loaded",
            (EventKind::ImportUndone, Zh) => "撤销导入",
            (EventKind::ImportUndone, En) => "Import undone",
            (EventKind::Exported, Zh) => "导出数据",
            (EventKind::Exported, En) => "Data exported",
            (EventKind::PersonalDataErased, Zh) => "删除个人信息",
            (EventKind::PersonalDataErased, En) => "Personal data erased",
            (EventKind::TicketOpened, Zh) => "新建工单",
            (EventKind::TicketOpened, En) => "Ticket opened",
            (EventKind::TicketUpdated, Zh) => "更新工单",
            (EventKind::TicketUpdated, En) => "Ticket updated",
            (EventKind::TicketNoteAdded, Zh) => "工单备注",
            (EventKind::TicketNoteAdded, En) => "Ticket note added",
            (EventKind::SurveySent, Zh) => "发出满意度调查",
            (EventKind::SurveySent, En) => "Survey sent",
            (EventKind::SurveyAnswered, Zh) => "客户回答了调查",
            (EventKind::SurveyAnswered, En) => "Survey answered",
            (EventKind::ServiceSettingsSaved, Zh) => "修改售后设置",
            (EventKind::ServiceSettingsSaved, En) => "After-sales settings changed",
            (EventKind::UserCreated, Zh) => "新建用户",
            (EventKind::UserCreated, En) => "User created",
            (EventKind::UserUpdated, Zh) => "修改用户",
            (EventKind::UserUpdated, En) => "User edited",
            (EventKind::UserDeactivated, Zh) => "停用用户",
            (EventKind::UserDeactivated, En) => "User deactivated",
            (EventKind::TeamCreated, Zh) => "新建团队",
            (EventKind::TeamCreated, En) => "Team created",
            (EventKind::TargetSet, Zh) => "设定目标",
            (EventKind::TargetSet, En) => "Target set",
            (EventKind::PerformanceSettingsSaved, Zh) => "修改业绩设置",
            (EventKind::PerformanceSettingsSaved, En) => "Performance settings saved",
            (EventKind::ApiTokenCreated, Zh) => "新建 API 令牌",
            (EventKind::ApiTokenCreated, En) => "API token created",
            (EventKind::ApiTokenRevoked, Zh) => "吊销 API 令牌",
            (EventKind::ApiTokenRevoked, En) => "API token revoked",
            (EventKind::WebhookCreated, Zh) => "新建 Webhook",
            (EventKind::WebhookCreated, En) => "Webhook created",
            (EventKind::WebhookChanged, Zh) => "修改 Webhook",
            (EventKind::WebhookChanged, En) => "Webhook changed",
            (EventKind::WebhookRemoved, Zh) => "删除 Webhook",
            (EventKind::WebhookRemoved, En) => "Webhook removed",
            (EventKind::ReminderDue, Zh) => "提醒到期",
            (EventKind::ReminderDue, En) => "Reminder due",
            (EventKind::SlaBreached, Zh) => "工单超时",
            (EventKind::SlaBreached, En) => "SLA breached",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub at: DateTime<Utc>,
    /// Username of whoever did it, or "system" for background jobs.
    pub actor: String,
    pub actor_name: String,
    pub kind: EventKind,
    /// The customer concerned, if any.
    pub customer: String,
    /// What it was about, readable: the customer's or user's name, a tag, a contact.
    pub subject: String,
    pub changes: Vec<FieldChange>,
    /// Made through the REST API with one of the actor's tokens.
    #[serde(default)]
    pub via_api: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_named_once_and_read_back() {
        let mut names: Vec<&str> = EventKind::ALL.iter().map(|k| k.as_str()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), EventKind::ALL.len(), "a name used twice");
        for kind in EventKind::ALL {
            assert_eq!(EventKind::parse(kind.as_str()), Some(kind));
            assert!(!kind.label(crate::i18n::Lang::Zh).is_empty() && !kind.label(crate::i18n::Lang::En).is_empty());
        }
        // The names the audit log used before the event log keep their meaning.
        assert_eq!(EventKind::parse("returned_to_pool"), Some(EventKind::ReturnedToPool));
    }
}
