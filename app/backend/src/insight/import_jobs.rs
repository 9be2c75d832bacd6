//! Imports started from the page, each running on the server by itself: the page gets a job
//! id at once and asks for the status until the report is there. Why: a million lines take
//! minutes to store, a proxy may cut a request that long, and a tab closed half-way would
//! otherwise stop the import with part of the file stored and no report.
//!
//! A job runs in the process that took its file and lives in that process's memory; its
//! status is also saved to the store about once a second while it runs and at once when it
//! ends (`keep_saved`), so the page's poll is answered by whichever replica it reaches
//! (`status_anywhere`), and after a restart a job whose server stopped is reported as
//! `Interrupted` (its row was no longer saved) rather than forgotten. What an interrupted
//! import stored stays: orders have stable keys (importing the file again completes it without
//! doubling), and a customer import's batches can be undone. Finished jobs are kept in memory
//! for `KEEP_FINISHED` and in the store for `KEEP_STORED`. Imports are written one at a time
//! per process, so two large files do not fight over the store.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use kehu_domain::error::{AppError, AppResult};
use kehu_domain::insight::orders::{ImportProgress, ImportStatus};

use crate::store::db::Db;
use crate::store::error::StoreResult;
use crate::store::import_jobs as store;

const KEEP_FINISHED: Duration = Duration::from_secs(60 * 60);
/// How often a running job's status is saved: how far behind another replica's poll is.
pub const SAVE_EVERY: Duration = Duration::from_secs(1);
/// A stored job not saved for this long lost its server (a save is due every `SAVE_EVERY`;
/// the margin covers a slow store).
pub const STALE_AFTER: Duration = Duration::from_secs(30);
/// Stored jobs are forgotten this long after their last save (by the hourly round).
pub const KEEP_STORED: Duration = Duration::from_secs(24 * 60 * 60);
/// Imports reading, waiting or writing at once, in all.
const UNFINISHED_AT_MOST: usize = 2;

struct Job {
    owner: String,
    status: ImportStatus,
    finished: Option<Instant>,
}

#[derive(Default)]
pub struct ImportJobs {
    jobs: Mutex<HashMap<String, Job>>,
    /// Held while an import is read and written.
    pub one_at_a_time: tokio::sync::Mutex<()>,
    /// Wakes the savers when a job ends, so its final status is saved at once.
    ended: tokio::sync::Notify,
}

fn is_final(status: &ImportStatus) -> bool {
    matches!(status, ImportStatus::Done(_) | ImportStatus::CustomersDone(_) | ImportStatus::Failed { .. } | ImportStatus::Interrupted(_))
}

impl ImportJobs {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Job>> {
        self.jobs.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Registers a job of `owner`, waiting its turn, before its file is read: one unfinished
    /// import per user and `UNFINISHED_AT_MOST` in all, since each holds its file (up to
    /// 256 MB) until it is written. `Busy` beyond that. Forgets jobs finished long ago.
    pub fn start(&self, id: &str, owner: &str) -> AppResult<()> {
        let mut jobs = self.lock();
        jobs.retain(|_, j| j.finished.is_none_or(|at| at.elapsed() < KEEP_FINISHED));
        let unfinished = jobs.values().filter(|j| j.finished.is_none());
        let (mine, all) = unfinished.fold((0, 0), |(m, a), j| (m + usize::from(j.owner == owner), a + 1));
        if mine > 0 || all >= UNFINISHED_AT_MOST {
            return Err(AppError::Busy { retry_after_secs: 60 });
        }
        jobs.insert(id.to_string(), Job { owner: owner.to_string(), status: ImportStatus::Waiting, finished: None });
        Ok(())
    }

    pub fn set(&self, id: &str, status: ImportStatus) {
        let finished = is_final(&status);
        if let Some(job) = self.lock().get_mut(id) {
            job.status = status;
            if finished {
                job.finished = Some(Instant::now());
            }
        }
        if finished {
            self.ended.notify_waiters();
        }
    }

    /// Forgets a job whose answer was given in its own request (a preview, a dry run).
    pub fn end(&self, id: &str) {
        self.lock().remove(id);
    }

    /// The job's status, for the user who started it only.
    pub fn status(&self, id: &str, user: &str) -> Option<ImportStatus> {
        self.lock().get(id).filter(|j| j.owner == user).map(|j| j.status.clone())
    }

    /// Saves the job's status to the store every `SAVE_EVERY` until it ends, and its final
    /// status at once: for a job that runs by itself (not a preview or a dry run, answered in
    /// their own request). Saved even when unchanged: the save is the sign its server lives.
    pub fn keep_saved(self: &Arc<Self>, db: Db, id: String) {
        let jobs = self.clone();
        tokio::spawn(async move {
            loop {
                let Some((owner, status)) = jobs.lock().get(&id).map(|j| (j.owner.clone(), j.status.clone())) else { return };
                let finished = is_final(&status);
                if let Err(e) = save(&db, &id, &owner, &status).await {
                    tracing::warn!("saving the status of import {id} failed (another replica's poll is behind): {e}");
                    if finished {
                        // The final save must land, or other replicas would call it interrupted.
                        tokio::time::sleep(SAVE_EVERY).await;
                        continue;
                    }
                } else if finished {
                    return;
                }
                tokio::select! {
                    _ = tokio::time::sleep(SAVE_EVERY) => {}
                    _ = jobs.ended.notified() => {}
                }
            }
        });
    }

    /// The job's status for `user`: this process's own jobs from memory, the others' from
    /// the store (another replica runs them, or this one before a restart); a stored job
    /// whose server stopped saving it is `Interrupted` where it had come to.
    pub async fn status_anywhere(&self, db: &Db, id: &str, user: &str) -> StoreResult<Option<ImportStatus>> {
        if let Some(status) = self.status(id, user) {
            return Ok(Some(status));
        }
        let Some(row) = store::get(db, id, STALE_AFTER).await? else { return Ok(None) };
        if row.owner != user {
            return Ok(None);
        }
        let Ok(status) = serde_json::from_str::<ImportStatus>(&row.status) else {
            tracing::warn!("import {id}: its stored status is unreadable");
            return Ok(None);
        };
        Ok(Some(interrupted_if_stale(status, row.finished, row.stale)))
    }
}

async fn save(db: &Db, id: &str, owner: &str, status: &ImportStatus) -> StoreResult<()> {
    let json = serde_json::to_string(status).map_err(|e| crate::store::error::StoreError::Broken(format!("an import status as JSON: {e}")))?;
    store::save(db, id, owner, json, is_final(status)).await
}

/// A stored job that is neither finished nor saved lately stopped with its server.
fn interrupted_if_stale(status: ImportStatus, finished: bool, stale: bool) -> ImportStatus {
    if finished || !stale {
        return status;
    }
    match status {
        ImportStatus::Running(progress) => ImportStatus::Interrupted(progress),
        _ => ImportStatus::Interrupted(ImportProgress::default()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kehu_domain::insight::orders::{ImportProgress, ImportReport};

    #[test]
    fn a_job_is_seen_by_its_owner_only_and_follows_its_status() {
        let jobs = ImportJobs::default();
        jobs.start("j1", "li").unwrap();
        assert_eq!(jobs.status("j1", "li"), Some(ImportStatus::Waiting));
        assert_eq!(jobs.status("j1", "wang"), None, "not another user's");
        assert_eq!(jobs.status("j2", "li"), None);
        let progress = ImportProgress { lines_read: 10, orders: 4, orders_written: 2 };
        jobs.set("j1", ImportStatus::Running(progress));
        assert_eq!(jobs.status("j1", "li"), Some(ImportStatus::Running(progress)));
        let report = ImportReport { lines: 10, imported_lines: 10, orders: 4, ..Default::default() };
        jobs.set("j1", ImportStatus::Done(report.clone()));
        jobs.start("j2", "li").unwrap();
        assert_eq!(jobs.status("j1", "li"), Some(ImportStatus::Done(report)), "a finished job is kept for a while");
        // One unfinished import per user, two in all: each holds its file until it is written.
        assert_eq!(jobs.start("j3", "li"), Err(AppError::Busy { retry_after_secs: 60 }));
        jobs.start("j4", "wang").unwrap();
        assert_eq!(jobs.start("j5", "zhao"), Err(AppError::Busy { retry_after_secs: 60 }));
        jobs.set("j2", ImportStatus::Failed { error: AppError::NotFound });
        jobs.start("j5", "zhao").unwrap();
    }

    #[test]
    fn a_stored_job_left_unsaved_is_interrupted_where_it_had_come_to() {
        let progress = ImportProgress { lines_read: 900, orders: 300, orders_written: 120 };
        let running = ImportStatus::Running(progress);
        assert_eq!(interrupted_if_stale(running.clone(), false, false), running, "still saved: still running");
        assert_eq!(interrupted_if_stale(running, false, true), ImportStatus::Interrupted(progress));
        assert_eq!(interrupted_if_stale(ImportStatus::Waiting, false, true), ImportStatus::Interrupted(ImportProgress::default()));
        let done = ImportStatus::Done(ImportReport::default());
        assert_eq!(interrupted_if_stale(done.clone(), true, true), done, "a finished job stays finished, however old");
    }
}
