//! Transactions that meet another write on the same record at the same moment. SurrealDB
//! commits optimistically: when two transactions change one record (two follow-ups on one
//! customer move its last-contact time), the second commit fails with a *transaction
//! conflict* and nothing of it is written. That is not the person's mistake, so such a
//! transaction is run again, a few times with a growing, jittered pause, before anyone sees
//! an error. Only conflicts are retried: SurrealDB marks them as safe to run again (a commit
//! whose outcome is unknown is not marked, and is never repeated).
//!
//! `db.transact(sql).bind(..).await` reads like `db.query(..)`; its answer has the same
//! `take` and `check` (and `threw`, for a transaction's own `THROW`), and `check` reports the
//! statement that failed, not the "not executed" of the statements beside it.

use std::collections::HashMap;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::time::Duration;

use surrealdb::method::IntoVariables;
use surrealdb::opt::QueryResult;
use surrealdb::types::{QueryError, SurrealValue, Variables};
use surrealdb::{Error, IndexedResults};

use super::db::Db;

/// Runs in all, the first included. With pauses of 4, 8, 16, 32 and 64 ms (plus up to as
/// much again at random), a write waits at most about a quarter of a second for its turn.
const ATTEMPTS: u32 = 6;
const FIRST_PAUSE_MS: u64 = 4;

pub trait Transact {
    /// A transaction (`BEGIN … COMMIT`) to run, again if it meets a conflicting write.
    fn transact(&self, sql: impl Into<String>) -> Transaction<'_>;
}

impl Transact for Db {
    fn transact(&self, sql: impl Into<String>) -> Transaction<'_> {
        Transaction { db: self, sql: sql.into(), vars: Ok(Variables::new()) }
    }
}

pub struct Transaction<'a> {
    db: &'a Db,
    sql: String,
    vars: Result<Variables, Error>,
}

impl Transaction<'_> {
    /// Binds parameters, as `Query::bind` does (`("name", value)` or a struct).
    pub fn bind(mut self, vars: impl IntoVariables) -> Self {
        self.vars = match (self.vars, vars.into_variables()) {
            (Ok(mut all), Ok(more)) => {
                all.extend(more);
                Ok(all)
            }
            (Err(e), _) | (_, Err(e)) => Err(e),
        };
        self
    }

    async fn run(self) -> Result<Answer, Error> {
        let vars = self.vars?;
        let mut attempt = 1;
        loop {
            let outcome = match self.db.query(self.sql.as_str()).bind(vars.clone()).await {
                Ok(mut results) => {
                    let errors = results.take_errors();
                    Ok(Answer { results, errors })
                }
                Err(e) => Err(e),
            };
            let conflicted = match &outcome {
                Ok(answer) => answer.errors.values().any(is_conflict),
                Err(e) => is_conflict(e),
            };
            if !conflicted || attempt >= ATTEMPTS {
                return outcome;
            }
            tokio::time::sleep(pause(attempt)).await;
            attempt += 1;
        }
    }
}

impl<'a> IntoFuture for Transaction<'a> {
    type Output = Result<Answer, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send + 'a>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.run())
    }
}

/// Whether SurrealDB says the transaction lost a race and can be run again.
fn is_conflict(e: &Error) -> bool {
    e.query_details() == Some(&QueryError::TransactionConflict)
}

/// The pause before run `attempt + 1`: doubling, with jitter so that two writers that
/// collided do not collide again on the same beat.
fn pause(attempt: u32) -> Duration {
    let base = FIRST_PAUSE_MS << (attempt - 1).min(10);
    let mut byte = [0u8; 1];
    let jitter = match getrandom::fill(&mut byte) {
        Ok(()) => base * u64::from(byte[0]) / 255,
        Err(_) => base / 2,
    };
    Duration::from_millis(base + jitter)
}

/// A transaction's answer: the statements' results, and the errors apart (a failed
/// transaction fails every statement).
#[derive(Debug)]
pub struct Answer {
    results: IndexedResults,
    errors: HashMap<usize, Error>,
}

impl Answer {
    /// The rows of statement `index` (BEGIN counts as 0), or the transaction's failure.
    pub fn take<R: SurrealValue>(&mut self, index: impl QueryResult<R>) -> Result<R, Error> {
        match self.failure() {
            Some(e) => Err(e.clone()),
            None => self.results.take(index),
        }
    }

    /// How many statements answered, failed ones included.
    pub fn num_statements(&self) -> usize {
        self.results.num_statements() + self.errors.len()
    }

    /// Whether a statement threw `marker` (a `THROW` the transaction uses to say "not as
    /// expected, write nothing").
    pub fn threw(&self, marker: &str) -> bool {
        self.errors.values().any(|e| e.to_string().contains(marker))
    }

    /// The answer, or why the transaction failed.
    pub fn check(self) -> Result<Self, Error> {
        match self.failure() {
            Some(e) => Err(e.clone()),
            None => Ok(self),
        }
    }

    /// The error that says why: the statement that failed (or the commit's conflict) rather
    /// than the "not executed" every other statement of a failed transaction carries.
    fn failure(&self) -> Option<&Error> {
        let mut errors: Vec<(&usize, &Error)> = self.errors.iter().collect();
        errors.sort_by_key(|(i, e)| (e.query_details() == Some(&QueryError::NotExecuted), **i));
        errors.first().map(|(_, e)| *e)
    }
}
