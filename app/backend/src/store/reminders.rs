//! SurrealDB queries for reminders, the engine's progress, the rule settings and calendar
//! feeds, and how they look in the store. Only this file (and the migration) knows these
//! column names.

use chrono::{DateTime, NaiveDate, NaiveTime, Timelike, Utc};
use surrealdb::types::{RecordId, SurrealValue};

use kehu_domain::insight::rhythm::ChurnSettings;
use kehu_domain::reminders::open_list::{OpenList, OpenReminder};
use kehu_domain::reminders::settings::RuleSettings;
use kehu_domain::reminders::types::{CareDate, DndWindow, Reminder, ReminderKind};

use super::transact::Transact;
use super::care_dates::CareDateRecord;
use super::db::Db;
use super::dnd::DndRecord;
use super::error::StoreResult;
use super::events::{rows as event_rows, transaction, APPEND};
use super::guard::{as_expected, NOT_AS_EXPECTED};
use super::ids::{date_to_datetime, key_of};
use crate::events::Event;

pub const REMINDER: &str = "reminder";
/// The longest reminder key a client may send back.
const MAX_REMINDER_KEY: usize = 200;

/// A reminder's record id from its rule key.
pub fn reminder_id(key: &str) -> RecordId {
    RecordId::new(REMINDER, key.to_string())
}

/// A reminder id sent by a client; `None` for one that cannot be ours.
pub fn client_reminder_id(key: &str) -> Option<RecordId> {
    (!key.is_empty() && key.len() <= MAX_REMINDER_KEY && !key.chars().any(char::is_control)).then(|| reminder_id(key))
}

#[derive(Debug, Clone, SurrealValue)]
pub struct ReminderRecord {
    pub id: RecordId,
    pub kind: String,
    pub customer: RecordId,
    pub owner: String,
    pub subject: String,
    pub rule_due: DateTime<Utc>,
    pub due: DateTime<Utc>,
    pub moved_by: Option<String>,
    pub snoozed: bool,
    pub status: String,
    pub created_at: DateTime<Utc>,
    /// When it is to be announced (`reminders::announce`); none once it was.
    pub announce_at: Option<DateTime<Utc>>,
}

/// SurrealDB's datetime index collates a whole second after the fractions of that same
/// second (surrealdb/surrealdb#7493), so `due <= $now` misses a reminder due at 10:00:00
/// while now is 10:00:00.3. Every reminder time written and every bound compared here is
/// therefore a whole second: the index then compares like with like.
fn whole_second(t: DateTime<Utc>) -> DateTime<Utc> {
    t.with_nanosecond(0).unwrap_or(t)
}

impl ReminderRecord {
    fn in_whole_seconds(self) -> Self {
        ReminderRecord {
            rule_due: whole_second(self.rule_due),
            due: whole_second(self.due),
            announce_at: self.announce_at.map(whole_second),
            ..self
        }
    }

    /// The reminder as its owner sees it; `None` for a kind this version does not know.
    pub fn into_reminder(self, customer_name: String) -> Option<Reminder> {
        Some(Reminder {
            kind: ReminderKind::parse(&self.kind)?,
            id: key_of(&self.id),
            customer_id: key_of(&self.customer),
            customer_name,
            subject: self.subject,
            due: self.due,
            rule_due: self.rule_due,
            moved_by: self.moved_by,
            snoozed: self.snoozed,
        })
    }
}

/// What the rules read, for every customer (or one).
#[derive(Debug, Default)]
pub struct Sources {
    /// (contact, customer, name, birthday)
    pub birthdays: Vec<(String, String, String, NaiveDate)>,
    /// (touchpoint, customer, what, on, logged at)
    pub next_steps: Vec<(String, String, String, NaiveDate, DateTime<Utc>)>,
    /// (contract, customer, number, end)
    pub contract_ends: Vec<(String, String, String, NaiveDate)>,
    pub dnd: Vec<DndWindow>,
    pub care_dates: Vec<CareDate>,
}

#[derive(Debug, SurrealValue)]
struct BirthdayRow {
    id: RecordId,
    customer: RecordId,
    name: String,
    birthday: DateTime<Utc>,
}

#[derive(Debug, SurrealValue)]
struct NextStepRow {
    id: RecordId,
    customer: RecordId,
    next_step: String,
    next_step_on: DateTime<Utc>,
    at: DateTime<Utc>,
}

#[derive(Debug, SurrealValue)]
struct ContractEndRow {
    id: RecordId,
    customer: RecordId,
    number: String,
    end_on: DateTime<Utc>,
}

/// Reads what the rules need in one round trip: every customer's, or only `only`'s.
/// Contracts that ended before `ends_after` cannot make a renewal reminder any more.
pub async fn sources(db: &Db, only: Option<&RecordId>, ends_after: NaiveDate) -> StoreResult<Sources> {
    let (mine, deal_mine) = if only.is_some() { (" AND customer = $only", " AND deal.customer = $only") } else { ("", "") };
    let sql = format!(
        "SELECT id, customer, name, birthday FROM contact WHERE birthday != NONE{mine};
         SELECT id, customer, next_step, next_step_on, at FROM touchpoint WHERE next_step_on != NONE{mine};
         SELECT id, deal.customer AS customer, number, end_on FROM contract WHERE end_on >= $ends_after{deal_mine};
         SELECT * FROM dnd_window WHERE true{mine};
         SELECT * FROM care_date WHERE true{mine};"
    );
    let mut response = db
        .query(sql)
        .bind(("only", only.cloned()))
        .bind(("ends_after", date_to_datetime(ends_after)))
        .await?;
    let birthdays: Vec<BirthdayRow> = response.take(0)?;
    let next_steps: Vec<NextStepRow> = response.take(1)?;
    let contracts: Vec<ContractEndRow> = response.take(2)?;
    let dnd: Vec<DndRecord> = response.take(3)?;
    let care_dates: Vec<CareDateRecord> = response.take(4)?;
    Ok(Sources {
        birthdays: birthdays
            .into_iter()
            .map(|r| (key_of(&r.id), key_of(&r.customer), r.name, r.birthday.date_naive()))
            .collect(),
        next_steps: next_steps
            .into_iter()
            .map(|r| (key_of(&r.id), key_of(&r.customer), r.next_step, r.next_step_on.date_naive(), r.at))
            .collect(),
        contract_ends: contracts
            .into_iter()
            .map(|r| (key_of(&r.id), key_of(&r.customer), r.number, r.end_on.date_naive()))
            .collect(),
        dnd: dnd.into_iter().filter_map(DndRecord::into_window).collect(),
        care_dates: care_dates.into_iter().map(CareDateRecord::into_care_date).collect(),
    })
}

#[derive(Debug, SurrealValue)]
struct PendingRow {
    id: RecordId,
    due: DateTime<Utc>,
}

/// An open reminder the rules still own, with its customer (by key).
pub struct Pending {
    pub key: String,
    pub due: DateTime<Utc>,
    pub customer: String,
}

impl Pending {
    /// What `obsolete` compares: the key and the due time.
    pub fn key_and_due(self) -> (String, DateTime<Utc>) {
        (self.key, self.due)
    }
}

#[derive(Debug, SurrealValue)]
struct PendingOfCustomerRow {
    id: RecordId,
    due: DateTime<Utc>,
    customer: RecordId,
}

/// Open reminders the rules still own: not yet due by the rule, not snoozed by a person.
/// These follow the facts (a birthday edited, a VIP followed up); everything else stays.
pub async fn pending(db: &Db, only: Option<&RecordId>, now: DateTime<Utc>) -> StoreResult<Vec<Pending>> {
    let mine = if only.is_some() { " AND customer = $only" } else { "" };
    let rows: Vec<PendingOfCustomerRow> = db
        // SLA warnings are the tickets' (`aftersales::sla_watch`), target ones the targets'
        // (`targets::watch`): not the customer rules'.
        .query(format!("SELECT id, due, customer FROM reminder WHERE status = 'open' AND snoozed = false AND rule_due > $now AND kind NOT IN ['sla', 'target']{mine}"))
        .bind(("only", only.cloned()))
        .bind(("now", whole_second(now)))
        .await?
        .take(0)?;
    Ok(rows.into_iter().map(|r| Pending { key: key_of(&r.id), due: r.due, customer: key_of(&r.customer) }).collect())
}

/// Of the pending reminders (by key and due time), those `fresh` no longer makes or makes
/// for another time: they go, and `sync` adds the new versions. Unchanged ones stay.
pub fn obsolete(pending: Vec<(String, DateTime<Utc>)>, fresh: &[ReminderRecord]) -> Vec<RecordId> {
    // Stored times are whole seconds (see `whole_second`): compare like with like.
    let wanted: std::collections::HashMap<String, DateTime<Utc>> = fresh.iter().map(|r| (key_of(&r.id), whole_second(r.due))).collect();
    pending.into_iter().filter(|(key, due)| wanted.get(key) != Some(due)).map(|(key, _)| reminder_id(&key)).collect()
}

/// Pending SLA warnings (open, not yet due, not snoozed), by key and due time; with
/// `prefix`, only those whose key starts with it (one ticket's).
pub async fn pending_sla(db: &Db, prefix: Option<&str>, now: DateTime<Utc>) -> StoreResult<Vec<(String, DateTime<Utc>)>> {
    let rows: Vec<PendingRow> = db
        .query("SELECT id, due FROM reminder WHERE kind = 'sla' AND status = 'open' AND snoozed = false AND rule_due > $now")
        .bind(("now", whole_second(now)))
        .await?
        .take(0)?;
    Ok(rows.into_iter().map(|r| (key_of(&r.id), r.due)).filter(|(key, _)| prefix.is_none_or(|p| key.starts_with(p))).collect())
}

/// Deletes obsolete pending reminders and adds new ones, in one transaction. A key already
/// stored (open, done or dismissed) is left as it is: that is what makes reruns harmless.
/// The obsolete ones are deleted by key: `WHERE id IN $list` would compare every reminder
/// with every listed id (a first run after a large import took 13 minutes that way).
pub async fn sync(db: &Db, obsolete: Vec<RecordId>, fresh: Vec<ReminderRecord>) -> StoreResult<()> {
    // Only keys not stored yet (or deleted below, to come back changed) are inserted: a run
    // makes every reminder the rules make, mostly stored long ago, and an `INSERT IGNORE` of
    // one already there costs the store far more than reading whether it is (the run after a
    // 20,000-row import into 20,000 customers: 45.0 s before, 7.5 s so, release build). The
    // `IGNORE` stays for a key stored meanwhile.
    let fresh = not_stored(db, &obsolete, fresh).await?;
    if obsolete.is_empty() && fresh.is_empty() {
        return Ok(());
    }
    let delete = if obsolete.is_empty() { "" } else { "DELETE $obsolete WHERE status = 'open';" };
    db.transact(format!(
        "BEGIN TRANSACTION;
         {delete}
         INSERT IGNORE INTO reminder $fresh RETURN NONE;
         COMMIT TRANSACTION;"
    ))
    .bind(("obsolete", obsolete))
    .bind(("fresh", fresh.into_iter().map(ReminderRecord::in_whole_seconds).collect::<Vec<_>>()))
    .await?
    .check()?;
    Ok(())
}

/// Deletes these reminders that are still open (obsolete pending ones, by key).
pub async fn delete_pending(db: &Db, obsolete: Vec<RecordId>) -> StoreResult<()> {
    db.query("DELETE $obsolete WHERE status = 'open' RETURN NONE").bind(("obsolete", obsolete)).await?.check()?;
    Ok(())
}

/// Of `fresh`, those whose key is not stored, or is among `obsolete` (deleted before the insert).
async fn not_stored(db: &Db, obsolete: &[RecordId], fresh: Vec<ReminderRecord>) -> StoreResult<Vec<ReminderRecord>> {
    if fresh.is_empty() {
        return Ok(fresh);
    }
    let ids: Vec<RecordId> = fresh.iter().map(|r| r.id.clone()).collect();
    let stored: Vec<RecordId> = db.query("SELECT VALUE id FROM $ids").bind(("ids", ids)).await?.take(0)?;
    let mut stored: std::collections::HashSet<RecordId> = stored.into_iter().collect();
    for id in obsolete {
        stored.remove(id);
    }
    Ok(fresh.into_iter().filter(|r| !stored.contains(&r.id)).collect())
}

/// A customer's reminders follow their owner after the customer changed hands (a full run
/// repairs whatever a failed refresh left behind through `open_owners` and
/// `follow_owner_of`).
pub async fn follow_owner(db: &Db, customer: &RecordId, owner: &str) -> StoreResult<()> {
    // SLA and target warnings stay with their people, whoever owns the customer.
    db.query("UPDATE reminder SET owner = $owner WHERE customer = $customer AND owner != $owner AND kind NOT IN ['sla', 'target'] RETURN NONE")
        .bind(("customer", customer.clone()))
        .bind(("owner", owner.to_string()))
        .await?
        .check()?;
    Ok(())
}

/// An open customer reminder's owner and customer.
#[derive(Debug, SurrealValue)]
pub struct OpenOwnerRow {
    pub id: RecordId,
    pub owner: String,
    pub customer: RecordId,
}

/// Every open customer reminder's owner and customer, read without following the customer:
/// the caller picks those that went astray.
pub async fn open_owners(db: &Db) -> StoreResult<Vec<OpenOwnerRow>> {
    Ok(db
        .query("SELECT id, owner, customer FROM reminder WHERE status = 'open' AND kind NOT IN ['sla', 'target']")
        .await?
        .take(0)?)
}

/// These reminders (open, by id) move to their customer's owner as stored now; each is
/// updated by key.
pub async fn follow_owner_of(db: &Db, reminders: Vec<RecordId>) -> StoreResult<()> {
    if reminders.is_empty() {
        return Ok(());
    }
    db.query("UPDATE $reminders SET owner = customer.owner WHERE status = 'open' AND owner != customer.owner RETURN NONE")
        .bind(("reminders", reminders))
        .await?
        .check()?;
    Ok(())
}

/// The user's open reminders due at `since` or later, soonest first: a calendar feed.
/// The most reminders a calendar feed carries: the soonest, which is what a calendar shows.
pub const FEED_AT_MOST: usize = 1000;

pub async fn open_since(db: &Db, owner: &str, since: DateTime<Utc>) -> StoreResult<Vec<ReminderRecord>> {
    if owner.is_empty() {
        return Ok(Vec::new());
    }
    Ok(db
        .query("SELECT * FROM reminder WHERE owner = $owner AND status = 'open' AND due >= $since ORDER BY due LIMIT $limit")
        .bind(("limit", FEED_AT_MOST as i64))
        .bind(("owner", owner.to_string()))
        .bind(("since", whole_second(since)))
        .await?
        .take(0)?)
}

#[derive(Debug, SurrealValue)]
struct OpenRow {
    id: RecordId,
    due: DateTime<Utc>,
    kind: String,
}

/// Every open reminder of the owner, reduced to when it falls due and its kind (kinds this
/// version does not know are left out, as the center leaves them out).
pub async fn open_of(db: &Db, owner: &str) -> StoreResult<OpenList> {
    if owner.is_empty() {
        return Ok(OpenList::default());
    }
    let rows: Vec<OpenRow> = db
        .query("SELECT id, due, kind FROM reminder WHERE owner = $owner AND status = 'open'")
        .bind(("owner", owner.to_string()))
        .await?
        .take(0)?;
    Ok(OpenList::new(
        rows.into_iter()
            .filter_map(|r| Some(OpenReminder { due: r.due, kind: ReminderKind::parse(&r.kind)?, key: key_of(&r.id) }))
            .collect(),
    ))
}

/// These reminders as stored, by key; those no longer open (handled since the list was
/// kept) are left out.
pub async fn open_by_keys<'a>(db: &Db, keys: impl Iterator<Item = &'a String>) -> StoreResult<std::collections::HashMap<String, ReminderRecord>> {
    let ids: Vec<RecordId> = keys.map(|k| reminder_id(k)).collect();
    if ids.is_empty() {
        return Ok(Default::default());
    }
    let rows: Vec<ReminderRecord> = db.query("SELECT * FROM $ids WHERE status = 'open'").bind(("ids", ids)).await?.take(0)?;
    Ok(rows.into_iter().map(|r| (key_of(&r.id), r)).collect())
}

/// How many of the user's open reminders are due at `now`.
pub async fn due_count(db: &Db, owner: &str, now: DateTime<Utc>) -> StoreResult<u32> {
    if owner.is_empty() {
        return Ok(0);
    }
    let count: Option<i64> = db
        .query("(SELECT count() FROM reminder WHERE owner = $owner AND status = 'open' AND due <= $now GROUP ALL)[0].count")
        .bind(("owner", owner.to_string()))
        .bind(("now", whole_second(now)))
        .await?
        .take(0)?;
    Ok(count.unwrap_or(0).max(0) as u32)
}

#[derive(Debug, SurrealValue)]
struct StatusRow {
    id: RecordId,
    status: String,
}

/// The status of each of these reminders that exists, by key.
pub async fn statuses(db: &Db, ids: Vec<RecordId>) -> StoreResult<std::collections::HashMap<String, String>> {
    let rows: Vec<StatusRow> = db.query("SELECT id, status FROM $ids").bind(("ids", ids)).await?.take(0)?;
    Ok(rows.into_iter().map(|r| (key_of(&r.id), r.status)).collect())
}

pub async fn get(db: &Db, id: &RecordId) -> StoreResult<Option<ReminderRecord>> {
    Ok(db.query("SELECT * FROM ONLY $id").bind(("id", id.clone())).await?.take(0)?)
}

/// Closes an open reminder as done or dismissed; false if it was no longer open.
pub async fn close(db: &Db, id: &RecordId, status: &str, actor: &str, at: DateTime<Utc>, events: &[Event]) -> StoreResult<bool> {
    let response = db
        .transact(if_open("UPDATE $id SET status = $status, handled_by = $actor, handled_at = $at, announce_at = NONE WHERE status = 'open' RETURN AFTER"))
        .bind(("id", id.clone()))
        .bind(("status", status.to_string()))
        .bind(("actor", actor.to_string()))
        .bind(("at", at))
        .bind(("events", event_rows(events)))
        .await;
    Ok(as_expected(response)?.is_some())
}

/// Moves an open reminder to `until`; false if it was no longer open.
pub async fn snooze(db: &Db, id: &RecordId, until: DateTime<Utc>, events: &[Event]) -> StoreResult<bool> {
    let response = db
        .transact(if_open("UPDATE $id SET due = $until, snoozed = true, announce_at = $until WHERE status = 'open' RETURN AFTER"))
        .bind(("id", id.clone()))
        .bind(("until", whole_second(until)))
        .bind(("events", event_rows(events)))
        .await;
    Ok(as_expected(response)?.is_some())
}

/// A reminder change with its events, written only if the reminder was still open.
fn if_open(update: &str) -> String {
    format!(
        "BEGIN TRANSACTION;
         LET $changed = ({update});
         IF array::len($changed) = 0 {{ THROW '{NOT_AS_EXPECTED}' }};
         {APPEND}
         COMMIT TRANSACTION;"
    )
}

/// The most reminders one announcing pass takes; the watcher comes back for the rest.
pub const ANNOUNCE_AT_MOST: usize = 500;

/// Open reminders whose moment to be announced has come, soonest first.
pub async fn to_announce(db: &Db, now: DateTime<Utc>) -> StoreResult<Vec<ReminderRecord>> {
    Ok(db
        // The lower bound keeps the index range off the reminders already announced (none
        // sorts before every datetime).
        .query("SELECT * FROM reminder WHERE announce_at >= $epoch AND announce_at <= $now AND status = 'open' ORDER BY announce_at LIMIT $limit")
        .bind(("epoch", DateTime::<Utc>::UNIX_EPOCH))
        .bind(("now", whole_second(now)))
        .bind(("limit", ANNOUNCE_AT_MOST as i64))
        .await?
        .take(0)?)
}

const SLA_BREACH: &str = "sla_breach";

/// A ticket clock's mark that its breach was announced: `sla_breach:⟨ticket⟩:⟨clock⟩`.
fn breach_mark((ticket, clock): &(String, String)) -> RecordId {
    RecordId::new(SLA_BREACH, format!("{ticket}:{clock}"))
}

/// Of these ticket clocks (ticket, clock), those whose breach was not announced yet.
pub async fn untold_breaches(db: &Db, clocks: Vec<(String, String)>) -> StoreResult<Vec<(String, String)>> {
    if clocks.is_empty() {
        return Ok(clocks);
    }
    let marks: Vec<RecordId> = clocks.iter().map(breach_mark).collect();
    let told: Vec<RecordId> = db.query("SELECT VALUE id FROM $marks").bind(("marks", marks)).await?.take(0)?;
    Ok(clocks.into_iter().filter(|c| !told.contains(&breach_mark(c))).collect())
}

/// Marks the reminders announced and the ticket clocks' breaches told, with the events that
/// tell them, in one transaction: an announcement is written once, or not at all.
pub async fn announced(db: &Db, reminders: Vec<RecordId>, breaches: &[(String, String)], at: DateTime<Utc>, events: &[Event]) -> StoreResult<()> {
    let breaches: Vec<RecordId> = breaches.iter().map(breach_mark).collect();
    db.transact(transaction(
        "UPDATE $reminders SET announce_at = NONE RETURN NONE;
         FOR $breach IN $breaches { CREATE $breach SET at = $at RETURN NONE; };",
    ))
    .bind(("reminders", reminders))
    .bind(("breaches", breaches))
    .bind(("at", at))
    .bind(("events", event_rows(events)))
    .await?
    .check()?;
    Ok(())
}

/// The next time an open reminder (of `owner`, or anybody's) falls due after `now`.
pub async fn next_due(db: &Db, owner: Option<&str>, now: DateTime<Utc>) -> StoreResult<Option<DateTime<Utc>>> {
    let whose = if owner.is_some() { " AND owner = $owner" } else { "" };
    let next: Vec<DateTime<Utc>> = db
        .query(format!("SELECT VALUE due FROM reminder WHERE status = 'open' AND due > $now{whose} ORDER BY due LIMIT 1"))
        .bind(("now", whole_second(now)))
        .bind(("owner", owner.unwrap_or_default().to_string()))
        .await?
        .take(0)?;
    Ok(next.into_iter().next())
}

pub async fn covered_to(db: &Db) -> StoreResult<Option<NaiveDate>> {
    let at: Option<DateTime<Utc>> = db.query("SELECT VALUE covered_to FROM ONLY reminder_engine:progress").await?.take(0)?;
    Ok(at.map(|d| d.date_naive()))
}

pub async fn set_covered_to(db: &Db, day: NaiveDate) -> StoreResult<()> {
    db.query("UPSERT reminder_engine:progress SET covered_to = $day")
        .bind(("day", date_to_datetime(day)))
        .await?
        .check()?;
    Ok(())
}

#[derive(Debug, SurrealValue)]
struct SettingsRecord {
    birthday: bool,
    care_dates: bool,
    renewal_days: Option<i64>,
    stale_vip_days: Option<i64>,
    vip_tag: String,
    next_step: bool,
    /// Once the visit's days; now set when the plans' visits remind (the days are the plans').
    after_sales_days: Option<i64>,
    remind_at: String,
    churn: Option<bool>,
    churn_p_alive_pct: Option<i64>,
    churn_silence_multiple: Option<i64>,
    repurchase: Option<bool>,
    updated_by: String,
    updated_at: DateTime<Utc>,
}

/// The admin's settings, or the defaults while nobody has saved any.
pub async fn settings(db: &Db) -> StoreResult<RuleSettings> {
    let row: Option<SettingsRecord> = db.query("SELECT * FROM ONLY reminder_settings:current").await?.take(0)?;
    let Some(row) = row else { return Ok(RuleSettings::default()) };
    let days = |d: Option<i64>| d.and_then(|d| u32::try_from(d).ok());
    let defaults = RuleSettings::default();
    // Settings saved before the churn rules existed: those rules take their defaults.
    let churn_defaults = defaults.churn.unwrap_or_default();
    let churn = match row.churn {
        Some(false) => None,
        _ => Some(ChurnSettings {
            p_alive_below_pct: row.churn_p_alive_pct.and_then(|p| u8::try_from(p).ok()).unwrap_or(churn_defaults.p_alive_below_pct),
            silence_multiple: days(row.churn_silence_multiple).unwrap_or(churn_defaults.silence_multiple),
        }),
    };
    Ok(RuleSettings {
        birthday: row.birthday,
        care_dates: row.care_dates,
        renewal_days: days(row.renewal_days),
        stale_vip_days: days(row.stale_vip_days),
        vip_tag: row.vip_tag,
        next_step: row.next_step,
        after_sales: row.after_sales_days.is_some(),
        remind_at: NaiveTime::parse_from_str(&row.remind_at, "%H:%M").unwrap_or(defaults.remind_at),
        churn,
        repurchase: row.repurchase.unwrap_or(defaults.repurchase),
    })
}

pub async fn save_settings(db: &Db, s: &RuleSettings, actor: &str, at: DateTime<Utc>, events: &[Event]) -> StoreResult<()> {
    let row = SettingsRecord {
        birthday: s.birthday,
        care_dates: s.care_dates,
        renewal_days: s.renewal_days.map(i64::from),
        stale_vip_days: s.stale_vip_days.map(i64::from),
        vip_tag: s.vip_tag.clone(),
        next_step: s.next_step,
        after_sales_days: s.after_sales.then_some(0),
        remind_at: s.remind_at.format("%H:%M").to_string(),
        churn: Some(s.churn.is_some()),
        churn_p_alive_pct: s.churn.map(|c| i64::from(c.p_alive_below_pct)),
        churn_silence_multiple: s.churn.map(|c| i64::from(c.silence_multiple)),
        repurchase: Some(s.repurchase),
        updated_by: actor.to_string(),
        updated_at: at,
    };
    db.transact(transaction("UPSERT reminder_settings:current CONTENT $row;"))
        .bind(("row", row))
        .bind(("events", event_rows(events)))
        .await?
        .check()?;
    Ok(())
}

#[derive(Debug, SurrealValue)]
struct FeedRecord {
    user: String,
    token_hash: String,
    created_at: DateTime<Utc>,
}

/// When the user's feed was made, if they have one.
pub async fn feed_of(db: &Db, user: &str) -> StoreResult<Option<DateTime<Utc>>> {
    let rows: Vec<FeedRecord> =
        db.query("SELECT * FROM calendar_feed WHERE user = $user").bind(("user", user.to_string())).await?.take(0)?;
    Ok(rows.into_iter().map(|r| r.created_at).max())
}

/// Replaces the user's feed secret (the old address stops working at once).
pub async fn replace_feed(db: &Db, user: &str, token_hash: String, at: DateTime<Utc>) -> StoreResult<()> {
    let row = FeedRecord { user: user.to_string(), token_hash, created_at: at };
    db.transact(
        "BEGIN TRANSACTION;
         DELETE calendar_feed WHERE user = $user;
         CREATE calendar_feed CONTENT $row;
         COMMIT TRANSACTION;",
    )
    .bind(("user", user.to_string()))
    .bind(("row", row))
    .await?
    .check()?;
    Ok(())
}

pub async fn revoke_feed(db: &Db, user: &str) -> StoreResult<()> {
    db.query("DELETE calendar_feed WHERE user = $user").bind(("user", user.to_string())).await?.check()?;
    Ok(())
}

/// Whose feed a secret opens.
pub async fn feed_user(db: &Db, token_hash: &str) -> StoreResult<Option<String>> {
    let users: Vec<String> = db
        .query("SELECT VALUE user FROM calendar_feed WHERE token_hash = $hash")
        .bind(("hash", token_hash.to_string()))
        .await?
        .take(0)?;
    Ok(users.into_iter().next())
}
