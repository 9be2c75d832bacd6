//! Transactions of a bulk write (an import, its undo) run a few at once, each on a task of its
//! own: SurrealDB works a transaction's records on one core, so two at a time use both cores
//! of a small server (`kehu bench-import`: the same rows in 0.60 of the time on 2 cores).
//! Only for transactions that never touch the same records, so they cannot conflict.

use std::collections::VecDeque;
use std::future::Future;

use kehu_domain::error::AppResult;

/// Transactions written at once.
pub const WRITERS: usize = 2;

/// Runs `job` over `pieces`, `WRITERS` at a time, and hands each answer to `done` in the
/// pieces' order. At the first error the jobs already under way finish (each is whole or
/// nothing) and the error is returned; no further piece is started.
pub async fn in_parallel<P, T, Job, Fut>(pieces: Vec<P>, job: Job, mut done: impl FnMut(T)) -> AppResult<()>
where
    Job: Fn(P) -> Fut,
    Fut: Future<Output = AppResult<T>> + Send + 'static,
    T: Send + 'static,
{
    let mut pieces = pieces.into_iter();
    let mut in_flight: VecDeque<tokio::task::JoinHandle<AppResult<T>>> = VecDeque::new();
    loop {
        while in_flight.len() < WRITERS {
            let Some(piece) = pieces.next() else { break };
            in_flight.push_back(tokio::spawn(job(piece)));
        }
        let Some(next) = in_flight.pop_front() else { return Ok(()) };
        match next.await.map_err(crate::internal::internal).and_then(|answer| answer) {
            Ok(answer) => done(answer),
            Err(e) => {
                for rest in in_flight {
                    let _ = rest.await;
                }
                return Err(e);
            }
        }
    }
}
