//! Every password hash and check passes through here. Argon2 takes 19 MiB and tens of
//! milliseconds per check, on purpose; unbounded, a flood of sign-ins is a flood of 19 MiB
//! allocations (200 wrong passwords at once took the server from 113 MB to 1.75 GB). The gate
//! lets a few run at a time — so the memory they take is bounded — keeps a bounded queue
//! behind them, and tells anyone beyond it to try again in a moment.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use kehu_domain::error::{AppError, AppResult};
use tokio::sync::Semaphore;

use crate::internal::internal;

/// How long a check may wait for its turn before it is told to retry.
const WAIT_AT_MOST: Duration = Duration::from_secs(10);

pub struct PasswordGate {
    permits: Semaphore,
    waiting: AtomicUsize,
    max_waiting: usize,
}

impl Default for PasswordGate {
    /// As many checks at once as the machine has cores (at most four: 76 MiB), and a queue
    /// of 32 behind them (a second or two of work).
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
        PasswordGate::new(cores.clamp(1, 4), 32)
    }
}

impl PasswordGate {
    pub fn new(at_once: usize, max_waiting: usize) -> Self {
        PasswordGate { permits: Semaphore::new(at_once), waiting: AtomicUsize::new(0), max_waiting }
    }

    /// Runs `work` (a hash or a check) on a blocking thread when its turn comes; `Busy` when
    /// the queue is full or the turn does not come in time.
    pub async fn run<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> AppResult<T> {
        if self.waiting.fetch_add(1, Ordering::SeqCst) >= self.max_waiting {
            self.waiting.fetch_sub(1, Ordering::SeqCst);
            return Err(AppError::Busy { retry_after_secs: 2 });
        }
        let permit = tokio::time::timeout(WAIT_AT_MOST, self.permits.acquire()).await;
        self.waiting.fetch_sub(1, Ordering::SeqCst);
        let _permit = match permit {
            Ok(Ok(permit)) => permit,
            Ok(Err(_)) => return Err(internal("the password gate is closed")),
            Err(_) => return Err(AppError::Busy { retry_after_secs: 2 }),
        };
        tokio::task::spawn_blocking(work).await.map_err(|e| internal(format!("a password check stopped: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[tokio::test]
    async fn only_a_few_run_at_once_and_the_queue_is_bounded() {
        let gate = Arc::new(PasswordGate::new(2, 3));
        let running = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for _ in 0..10 {
            let (gate, running, most) = (gate.clone(), running.clone(), most.clone());
            tasks.push(tokio::spawn(async move {
                gate.run(move || {
                    let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    std::thread::sleep(Duration::from_millis(50));
                    running.fetch_sub(1, Ordering::SeqCst);
                })
                .await
            }));
        }
        let mut done = 0;
        let mut refused = 0;
        for t in tasks {
            match t.await.unwrap() {
                Ok(()) => done += 1,
                Err(AppError::Busy { .. }) => refused += 1,
                Err(e) => panic!("{e}"),
            }
        }
        assert!(most.load(Ordering::SeqCst) <= 2, "never more than two at once");
        assert_eq!(done + refused, 10);
        assert!(refused >= 5 && done >= 2, "two running, three waiting, the rest told to retry: {done} done, {refused} refused");
    }
}
