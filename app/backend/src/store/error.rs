//! Failures of the store as the services see them. A store function answers either with its
//! result, with a domain answer it decided inside its statement (`Refused`: a version that
//! moved on, a record gone), or with a failure nobody can fix from a form (`Db`, `Broken`),
//! which becomes an internal error with a logged reference when it reaches a service.

use kehu_domain::error::AppError;

use crate::internal::internal;

#[derive(Debug)]
pub enum StoreError {
    /// SurrealDB failed (the connection, a write conflict, a schema assertion).
    Db(surrealdb::Error),
    /// The store's answer is a domain answer: `Conflict`, `DealChanged`, `NotFound`.
    Refused(AppError),
    /// The store answered, but not as it must (a created record not returned).
    Broken(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreError::Db(e) => write!(f, "store: {e}"),
            StoreError::Refused(e) => write!(f, "{e}"),
            StoreError::Broken(what) => write!(f, "store: {what}"),
        }
    }
}

impl std::error::Error for StoreError {}

impl From<surrealdb::Error> for StoreError {
    fn from(e: surrealdb::Error) -> Self {
        StoreError::Db(e)
    }
}

impl From<AppError> for StoreError {
    fn from(e: AppError) -> Self {
        StoreError::Refused(e)
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Refused(answer) => answer,
            other => internal(other),
        }
    }
}
