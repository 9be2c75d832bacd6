//! A lease row: who holds some background work, and until when (the store's clock).

use std::time::Duration;

use surrealdb::types::RecordId;

use super::db::Db;
use super::error::StoreResult;
use super::transact::Transact;

/// Takes the lease `name` for `holder` for `period`, or renews it if `holder` has it; gives
/// who holds it afterwards. Taken only when nobody holds it or the holder's time ran out.
/// Two processes taking it at once meet as a write conflict, and the one run again finds it
/// held.
pub async fn take(db: &Db, name: &str, holder: &str, period: Duration) -> StoreResult<String> {
    // A duration literal written here (a number of milliseconds): durations bind awkwardly.
    let period = format!("{}ms", period.as_millis().max(1));
    let mut answer = db
        .transact(format!(
            "BEGIN TRANSACTION;
             LET $lease = SELECT holder, until FROM ONLY $id;
             IF $lease = NONE OR $lease.holder = $holder OR $lease.until < time::now() {{
                 UPSERT $id SET holder = $holder, until = time::now() + {period} RETURN NONE;
             }};
             SELECT VALUE holder FROM ONLY $id;
             COMMIT TRANSACTION;"
        ))
        .bind(("id", RecordId::new("lease", name)))
        .bind(("holder", holder.to_string()))
        .await?
        .check()?;
    let last = answer.num_statements().saturating_sub(2);
    Ok(answer.take::<Option<String>>(last)?.unwrap_or_default())
}

/// Lets the lease go at once (a process stopping cleanly), if `holder` has it.
pub async fn give_up(db: &Db, name: &str, holder: &str) -> StoreResult<()> {
    db.query("DELETE $id WHERE holder = $holder")
        .bind(("id", RecordId::new("lease", name)))
        .bind(("holder", holder.to_string()))
        .await?
        .check()?;
    Ok(())
}
