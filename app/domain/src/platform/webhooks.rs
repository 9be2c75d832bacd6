//! Webhooks: an admin subscribes a URL to kinds of events, and Kehu posts each such event
//! there after it is committed — signed, retried, logged. Here: what a subscription is, the
//! form that makes one, which events it wants, and how long to wait before trying again.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::audit::types::{EventKind, FieldChange};
use crate::check::Check;
use crate::problem::{FieldError, Problem};

/// Where deliveries go and in what shape.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WebhookTarget {
    /// Any HTTP receiver: the event as JSON, signed with the subscription's secret.
    #[default]
    Http,
    /// A 企业微信 group robot (markdown message).
    Wecom,
    /// A 钉钉 group robot (markdown message; the URL signed when a 加签 secret is given).
    Dingtalk,
    /// A 飞书 group robot (message card; signed when a secret is given).
    Feishu,
}

impl WebhookTarget {
    pub const ALL: [WebhookTarget; 4] = [WebhookTarget::Http, WebhookTarget::Wecom, WebhookTarget::Dingtalk, WebhookTarget::Feishu];

    pub fn as_str(self) -> &'static str {
        match self {
            WebhookTarget::Http => "http",
            WebhookTarget::Wecom => "wecom",
            WebhookTarget::Dingtalk => "dingtalk",
            WebhookTarget::Feishu => "feishu",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// A group robot (posts a readable message), rather than a program's receiver.
    pub fn is_robot(self) -> bool {
        self != WebhookTarget::Http
    }

    /// Whether the person may give a signing secret (a robot's 加签 secret); an HTTP
    /// receiver's secret is made by Kehu and shown once.
    pub fn takes_secret(self) -> bool {
        matches!(self, WebhookTarget::Dingtalk | WebhookTarget::Feishu)
    }
}

/// The events one may subscribe to: what another system or a team group cares about.
/// (Settings, exports and demo data stay inside Kehu.)
pub const TOPICS: [EventKind; 23] = [
    EventKind::CustomerCreated,
    EventKind::CustomerUpdated,
    EventKind::Assigned,
    EventKind::Claimed,
    EventKind::ReturnedToPool,
    EventKind::Recycled,
    EventKind::Merged,
    EventKind::ContactAdded,
    EventKind::TouchpointAdded,
    EventKind::DealCreated,
    EventKind::DealMoved,
    EventKind::DealWon,
    EventKind::DealLost,
    EventKind::ContractSaved,
    EventKind::PaymentAdded,
    EventKind::OrderAdded,
    EventKind::OrdersImported,
    EventKind::TicketOpened,
    EventKind::TicketUpdated,
    EventKind::SurveyAnswered,
    EventKind::ReminderDue,
    EventKind::ReminderDone,
    EventKind::SlaBreached,
];

pub const NAME_MAX: usize = 100;
pub const URL_MAX: usize = 500;
pub const SECRET_MAX: usize = 200;
/// At most this many fields in the "only when these fields changed" filter.
pub const FIELDS_MAX: usize = 20;
/// Subscriptions a company keeps at most (each is a delivery stream to keep going).
pub const MAX_WEBHOOKS: usize = 50;
/// The secret of an HTTP receiver starts so (Standard Webhooks' convention).
pub const SECRET_PREFIX: &str = "whsec_";

/// The form that makes or changes a subscription.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookInput {
    pub name: String,
    pub target: WebhookTarget,
    pub url: String,
    /// A robot's 加签 secret (钉钉 `SEC…`, 飞书); empty for none. Ignored for HTTP.
    pub secret: String,
    /// Event kinds, as `EventKind::as_str` (`deal_won`).
    pub topics: Vec<String>,
    /// Only events that change one of these fields (comma separated, e.g. `owner, stage`);
    /// empty for every event of the chosen kinds.
    pub fields: String,
    /// Only events about customers whose owner is in this team; empty for all.
    pub team: String,
}

/// A checked form: the kinds parsed, the field filter split.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CleanWebhook {
    pub name: String,
    pub target: WebhookTarget,
    pub url: String,
    pub secret: String,
    pub topics: Vec<EventKind>,
    pub fields: Vec<String>,
    pub team: String,
}

/// Whether `url` is an absolute http(s) URL with a host, and nothing that makes it ambiguous
/// (spaces, controls, credentials in it).
pub fn is_webhook_url(url: &str) -> bool {
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
    let Some(rest) = rest else { return false };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit_once(':').map_or(authority, |(h, port)| if port.bytes().all(|b| b.is_ascii_digit()) { h } else { authority });
    !host.is_empty()
        && !authority.contains('@')
        && url.chars().all(|c| c.is_ascii_graphic())
        && host.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'[' | b']' | b':'))
}

/// Checks the form; `teams` are the teams that exist.
pub fn validate_webhook(input: &WebhookInput, teams: &[String]) -> Result<CleanWebhook, Vec<FieldError>> {
    let mut check = Check::default();
    let name = check.line("name", &input.name, NAME_MAX, true);
    let url = check.line("url", &input.url, URL_MAX, true);
    if !url.is_empty() && !is_webhook_url(&url) {
        check.fail("url", Problem::InvalidUrl);
    }
    let secret = if input.target.takes_secret() { check.line("secret", &input.secret, SECRET_MAX, false) } else { String::new() };
    let mut topics = Vec::new();
    for topic in &input.topics {
        match EventKind::parse(topic).filter(|k| TOPICS.contains(k)) {
            Some(kind) if !topics.contains(&kind) => topics.push(kind),
            Some(_) => {}
            None => check.fail("topics", Problem::UnknownChoice),
        }
    }
    if input.topics.is_empty() {
        check.fail("topics", Problem::Required);
    }
    let fields: Vec<String> = input.fields.split([',', '，', ' ']).map(str::trim).filter(|f| !f.is_empty()).map(str::to_string).collect();
    if fields.len() > FIELDS_MAX {
        check.fail("fields", Problem::TooMany { max: FIELDS_MAX });
    } else if fields.iter().any(|f| f.len() > 40 || !f.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')) {
        check.fail("fields", Problem::UnknownChoice);
    }
    let team = input.team.trim().to_string();
    if !team.is_empty() && !teams.contains(&team) {
        check.fail("team", Problem::UnknownChoice);
    }
    check.finish(CleanWebhook { name, target: input.target, url, secret, topics, fields, team })
}

/// What a subscription asks for, enough to decide whether an event goes to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Interest {
    pub topics: Vec<EventKind>,
    pub fields: Vec<String>,
    pub team: String,
    /// Events from before the subscription are not sent to it.
    pub since: DateTime<Utc>,
}

impl Interest {
    /// Whether an event of `kind` at `at` with `changes`, about a customer whose owner is in
    /// `owner_team`, goes to this subscription.
    pub fn wants(&self, kind: EventKind, at: DateTime<Utc>, changes: &[FieldChange], owner_team: Option<&str>) -> bool {
        at >= self.since
            && self.topics.contains(&kind)
            && (self.fields.is_empty() || changes.iter().any(|c| self.fields.contains(&c.field)))
            && (self.team.is_empty() || owner_team == Some(self.team.as_str()))
    }
}

/// How long to wait after the `attempts`-th failed try before the next; `None` after the
/// last. Roughly doubling at first, then hours apart: 8 tries over about 24 hours, so a
/// receiver down for a night still gets everything.
pub fn retry_delay(attempts: u32) -> Option<Duration> {
    const MINUTES: [i64; 7] = [1, 5, 30, 120, 300, 480, 480];
    let i = usize::try_from(attempts).ok()?.checked_sub(1)?;
    MINUTES.get(i).map(|m| Duration::minutes(*m))
}

/// A subscription's state.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WebhookState {
    #[default]
    Active,
    /// Paused by an admin: events are still queued, and sent when it is resumed.
    Paused,
    /// The receiver answered 410 Gone: unsubscribed, nothing more is queued.
    Gone,
}

impl WebhookState {
    pub fn as_str(self) -> &'static str {
        match self {
            WebhookState::Active => "active",
            WebhookState::Paused => "paused",
            WebhookState::Gone => "gone",
        }
    }

    pub fn parse(s: &str) -> Self {
        match s {
            "paused" => WebhookState::Paused,
            "gone" => WebhookState::Gone,
            _ => WebhookState::Active,
        }
    }
}

/// A subscription as the admin's list shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Webhook {
    pub id: String,
    pub name: String,
    pub target: WebhookTarget,
    pub url: String,
    pub topics: Vec<EventKind>,
    pub fields: Vec<String>,
    pub team: String,
    pub state: WebhookState,
    pub created_at: DateTime<Utc>,
    /// The secret's first characters (HTTP), or whether a robot secret is set.
    pub secret_hint: String,
    pub pending: u32,
    pub failed: u32,
}

/// What became of one event sent to one subscription.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    /// Waiting for its first or next try.
    Pending,
    Delivered,
    /// Every try failed; "send again" puts it back.
    Failed,
    /// Not sent: the subscription was removed or unsubscribed (410).
    Cancelled,
}

impl DeliveryStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryStatus::Pending => "pending",
            DeliveryStatus::Delivered => "delivered",
            DeliveryStatus::Failed => "failed",
            DeliveryStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Self {
        match s {
            "delivered" => DeliveryStatus::Delivered,
            "failed" => DeliveryStatus::Failed,
            "cancelled" => DeliveryStatus::Cancelled,
            _ => DeliveryStatus::Pending,
        }
    }
}

/// One line of a subscription's delivery log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivery {
    pub id: String,
    pub event_id: String,
    pub kind: EventKind,
    pub subject: String,
    pub at: DateTime<Utc>,
    pub status: DeliveryStatus,
    pub attempts: u32,
    /// The HTTP status of the last try, if one came back.
    pub last_code: Option<u16>,
    pub last_latency_ms: Option<u32>,
    /// Why the last try failed, readable (a timeout, a refused connection, a robot's errmsg).
    pub last_error: String,
    pub next_at: Option<DateTime<Utc>>,
}

/// A subscription just made: for an HTTP receiver, its signing secret, shown this once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewWebhook {
    pub webhook: Webhook,
    pub secret: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn form(target: WebhookTarget, url: &str, topics: &[&str]) -> WebhookInput {
        WebhookInput { name: "ERP".into(), target, url: url.into(), topics: topics.iter().map(|t| t.to_string()).collect(), ..Default::default() }
    }

    #[test]
    fn urls_must_be_plain_http_or_https_with_a_host() {
        for good in ["https://erp.example.com/hooks/kehu", "http://127.0.0.1:8081/in", "https://oapi.dingtalk.com/robot/send?access_token=abc", "http://[::1]:9000/x"] {
            assert!(is_webhook_url(good), "{good}");
        }
        for bad in ["ftp://x/y", "https://", "https:///path", "https://user:pw@host/x", "https://host/a b", "javascript:alert(1)", "//host/x", "https://ho\u{202e}st/"] {
            assert!(!is_webhook_url(bad), "{bad}");
        }
    }

    #[test]
    fn the_form_is_checked_and_cleaned() {
        let teams = vec!["east".to_string()];
        let mut ok = form(WebhookTarget::Http, " https://erp.example.com/in ", &["deal_won", "deal_won", "customer_created"]);
        ok.fields = "owner，stage, ".into();
        ok.team = "east".into();
        ok.secret = "ignored for http".into();
        let clean = validate_webhook(&ok, &teams).unwrap();
        assert_eq!(clean.url, "https://erp.example.com/in");
        assert_eq!(clean.topics, vec![EventKind::DealWon, EventKind::CustomerCreated]);
        assert_eq!(clean.fields, vec!["owner", "stage"]);
        assert_eq!(clean.secret, "");

        let bad = validate_webhook(&WebhookInput { team: "west".into(), fields: "Owner!".into(), ..form(WebhookTarget::Dingtalk, "oapi.dingtalk.com", &[]) }, &teams).unwrap_err();
        let fields: Vec<&str> = bad.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["url", "topics", "fields", "team"]);
        // Internal kinds are not offered.
        let internal = validate_webhook(&form(WebhookTarget::Http, "https://x.example/in", &["api_token_created"]), &teams).unwrap_err();
        assert_eq!(internal, vec![FieldError::new("topics", Problem::UnknownChoice)]);
        let robot = validate_webhook(&WebhookInput { secret: " SECabc ".into(), ..form(WebhookTarget::Dingtalk, "https://oapi.dingtalk.com/robot/send?access_token=t", &["deal_won"]) }, &teams).unwrap();
        assert_eq!(robot.secret, "SECabc");
    }

    #[test]
    fn an_interest_wants_its_kinds_fields_and_team_from_its_start_on() {
        let since = Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap();
        let interest = Interest { topics: vec![EventKind::CustomerUpdated], fields: vec!["owner".into()], team: "east".into(), since };
        let owner = [FieldChange::new("owner", "a", "b")];
        let name = [FieldChange::new("name", "a", "b")];
        let later = since + Duration::minutes(1);
        assert!(interest.wants(EventKind::CustomerUpdated, later, &owner, Some("east")));
        assert!(!interest.wants(EventKind::CustomerUpdated, later, &name, Some("east")), "another field");
        assert!(!interest.wants(EventKind::CustomerUpdated, later, &owner, Some("south")), "another team");
        assert!(!interest.wants(EventKind::CustomerUpdated, later, &owner, None), "a pool customer has no team");
        assert!(!interest.wants(EventKind::DealWon, later, &owner, Some("east")), "another kind");
        assert!(!interest.wants(EventKind::CustomerUpdated, since - Duration::seconds(1), &owner, Some("east")), "before it existed");
        let all = Interest { topics: vec![EventKind::DealWon], fields: vec![], team: String::new(), since };
        assert!(all.wants(EventKind::DealWon, since, &[], None));
    }

    #[test]
    fn retries_spread_over_about_a_day_then_stop() {
        assert_eq!(retry_delay(0), None);
        assert_eq!(retry_delay(1), Some(Duration::minutes(1)));
        assert_eq!(retry_delay(2), Some(Duration::minutes(5)));
        let total: i64 = (1..=7).map(|a| retry_delay(a).unwrap().num_minutes()).sum();
        assert!((22 * 60..=25 * 60).contains(&total), "{total} minutes");
        assert_eq!(retry_delay(8), None, "eight tries, then it has failed");
        assert!((1..7).all(|a| retry_delay(a) <= retry_delay(a + 1)), "never sooner than the last wait");
    }
}
