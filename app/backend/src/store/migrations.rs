//! The schema, defined in code and applied at start-up as numbered migrations. Each runs in
//! one transaction together with the record saying it ran, so a crash leaves either all of
//! it or none; and each is written to be idempotent, so running it twice does no harm.

use super::db::{Db, StartError};

pub struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sql: &'static str,
}

pub const MIGRATIONS: &[Migration] = &[
    Migration { version: 1, name: "customer 360", sql: include_str!("migrations/0001_customer_360.surql") },
    Migration { version: 2, name: "accounts and audit", sql: include_str!("migrations/0002_accounts.surql") },
    Migration { version: 3, name: "pipeline", sql: include_str!("migrations/0003_pipeline.surql") },
    Migration { version: 4, name: "do-not-disturb", sql: include_str!("migrations/0004_dnd.surql") },
    Migration { version: 5, name: "reminders", sql: include_str!("migrations/0005_reminders.surql") },
    Migration { version: 6, name: "insight", sql: include_str!("migrations/0006_insight.surql") },
    Migration { version: 7, name: "event log", sql: include_str!("migrations/0007_events.surql") },
    Migration { version: 8, name: "hardening", sql: include_str!("migrations/0008_hardening.surql") },
    Migration { version: 9, name: "credit code", sql: include_str!("migrations/0009_credit_code.surql") },
    Migration { version: 10, name: "customer import", sql: include_str!("migrations/0010_customer_import.surql") },
    Migration { version: 11, name: "exports and import batches", sql: include_str!("migrations/0011_exports_and_import_batches.surql") },
    Migration { version: 12, name: "tickets", sql: include_str!("migrations/0012_tickets.surql") },
    Migration { version: 13, name: "surveys, merged tickets, installation categories", sql: include_str!("migrations/0013_surveys.surql") },
    Migration { version: 14, name: "order carriers, the order of a ticket", sql: include_str!("migrations/0014_carriers.surql") },
    Migration { version: 15, name: "after-sales plans", sql: include_str!("migrations/0015_care_plans.surql") },
    Migration { version: 16, name: "targets and performance", sql: include_str!("migrations/0016_targets.surql") },
    Migration { version: 17, name: "API tokens, idempotency keys, changes via the API", sql: include_str!("migrations/0017_api.surql") },
    Migration { version: 18, name: "webhooks: subscriptions, deliveries, the feed cursor", sql: include_str!("migrations/0018_webhooks.surql") },
    Migration { version: 19, name: "reminders and SLA breaches announced once", sql: include_str!("migrations/0019_reminder_news.surql") },
    Migration { version: 20, name: "visit check-in positions", sql: include_str!("migrations/0020_visit_check_in.surql") },
    Migration { version: 21, name: "leases for background work", sql: include_str!("migrations/0021_leases.surql") },
    Migration { version: 22, name: "import jobs and their status", sql: include_str!("migrations/0022_import_jobs.surql") },
    Migration { version: 23, name: "customer address", sql: include_str!("migrations/0023_customer_address.surql") },
];

const LEDGER: &str = "
    DEFINE TABLE IF NOT EXISTS kehu_migration SCHEMAFULL;
    DEFINE FIELD IF NOT EXISTS version ON kehu_migration TYPE int;
    DEFINE FIELD IF NOT EXISTS name ON kehu_migration TYPE string;
    DEFINE FIELD IF NOT EXISTS applied_at ON kehu_migration TYPE datetime;
";

/// Applies every migration the store has not seen yet, in order. Returns how many ran.
pub async fn migrate(db: &Db) -> Result<usize, StartError> {
    migrate_up_to(db, i64::MAX).await
}

/// Applies the migrations the store has not seen yet up to version `last`: what an earlier
/// release of Kehu left behind (tests make such stores to open with this one).
pub async fn migrate_up_to(db: &Db, last: i64) -> Result<usize, StartError> {
    db.query(LEDGER).await?.check()?;
    let applied: Vec<i64> =
        db.query("SELECT VALUE version FROM kehu_migration").await?.take(0)?;
    let mut ran = 0;
    for migration in MIGRATIONS.iter().filter(|m| m.version <= last && !applied.contains(&m.version)) {
        let sql = format!(
            "BEGIN TRANSACTION;\n{}\nCREATE type::record('kehu_migration', $version) \
             SET version = $version, name = $name, applied_at = time::now();\nCOMMIT TRANSACTION;",
            migration.sql
        );
        db.query(sql)
            .bind(("version", migration.version))
            .bind(("name", migration.name))
            .await?
            .check()
            .map_err(|e| StartError::Migration { version: migration.version, name: migration.name, detail: e.to_string() })?;
        tracing::info!("applied migration {} ({})", migration.version, migration.name);
        ran += 1;
    }
    Ok(ran)
}
