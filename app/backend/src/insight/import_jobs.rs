//! Imports started from the page, each running on the server by itself: the page gets a job
//! id at once and asks for the status until the report is there. Why: a million lines take
//! minutes to store, a proxy may cut a request that long, and a tab closed half-way would
//! otherwise stop the import with part of the file stored and no report.
//!
//! Jobs live in memory (a restart forgets them; what was stored stays, and importing the file
//! again completes it without doubling). Finished ones are kept for `KEEP_FINISHED`. Imports
//! are written one at a time, so two large files do not fight over the store.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use kehu_domain::error::{AppError, AppResult};
use kehu_domain::insight::orders::ImportStatus;

const KEEP_FINISHED: Duration = Duration::from_secs(60 * 60);
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
        let finished = matches!(status, ImportStatus::Done(_) | ImportStatus::CustomersDone(_) | ImportStatus::Failed { .. });
        if let Some(job) = self.lock().get_mut(id) {
            job.status = status;
            if finished {
                job.finished = Some(Instant::now());
            }
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
}
