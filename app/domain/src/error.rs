//! The one error type every server function returns. It travels to the browser as data, so
//! the page can put a field's problem next to that field, in the reader's language.

use serde::{Deserialize, Serialize};

use crate::customers::types::{Customer, DuplicateHit};
use crate::pipeline::types::Requirement;
pub use crate::problem::{FieldError, Problem};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum AppError {
    /// The input breaks a rule; nothing was written.
    Invalid(Vec<FieldError>),
    /// No such record (or not one the caller may see).
    NotFound,
    /// Customers that look like the one being saved. Saving again with the duplicate
    /// confirmed goes ahead; nothing was written this time.
    PossibleDuplicates(Vec<DuplicateHit>),
    /// Someone else saved this record after it was opened; nothing was written. Carries the
    /// record as it is now, so both versions can be shown side by side.
    Conflict(Box<Customer>),
    /// The same customer (by name, phone or email) is already owned by another rep, named
    /// here; nothing else about it is told. Nothing was written.
    OwnedElsewhere { owner: String },
    /// The deal lacks what the stage (or winning) requires; nothing was changed.
    StageBlocked { missing: Vec<Requirement> },
    /// The deal was changed elsewhere since it was loaded; nothing was changed.
    DealChanged,
    /// The ticket was changed elsewhere since it was loaded; nothing was changed.
    TicketChanged,
    /// Not signed in, or the session has expired.
    Unauthorized,
    /// Signed in, but this is not theirs to do.
    Forbidden,
    /// Wrong username or password (which one is not told).
    LoginFailed,
    /// The account has been deactivated by an admin.
    AccountDisabled,
    /// Too many failed sign-ins; try again after this many seconds.
    RateLimited { retry_after_secs: u64 },
    /// The rep already owns as many customers as they may.
    LimitReached { max: u32 },
    /// The one-time setup link is wrong or already used.
    SetupClosed,
    /// The request was larger than the server accepts.
    TooLarge,
    /// The server is doing as much of this as it will at once (imports, password checks);
    /// try again after this many seconds. Nothing was done.
    Busy { retry_after_secs: u64 },
    /// The user must choose a new password before anything else (an admin set theirs).
    PasswordChangeRequired,
    /// The server has just started and is still loading its customers, deals and orders
    /// into memory; try again after this many seconds. Nothing was done.
    Warming { retry_after_secs: u64 },
    /// Something failed on the server that the person cannot fix (the store, the disk, a
    /// bug). The detail is in the server's log under `reference`; only the reference travels,
    /// so the person can quote it to whoever runs the server.
    Internal { reference: String },
    /// The request never reached the server or its answer was unreadable.
    Transport(String),
}

impl std::fmt::Display for AppError {
    // The English text is for logs; pages show `i18n::error_text` in the reader's language.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AppError::Invalid(errors) => {
                write!(f, "invalid input:")?;
                for e in errors {
                    write!(f, " {} ({:?})", e.field, e.problem)?;
                }
                Ok(())
            }
            AppError::NotFound => write!(f, "not found"),
            AppError::PossibleDuplicates(hits) => write!(f, "{} possible duplicate(s)", hits.len()),
            AppError::Conflict(_) => write!(f, "changed by someone else since it was opened"),
            AppError::OwnedElsewhere { owner } => write!(f, "already a customer of {owner}"),
            AppError::StageBlocked { missing } => write!(f, "stage requirements missing: {missing:?}"),
            AppError::DealChanged => write!(f, "the deal was changed elsewhere"),
            AppError::TicketChanged => write!(f, "the ticket was changed elsewhere"),
            AppError::Unauthorized => write!(f, "not signed in"),
            AppError::Forbidden => write!(f, "not allowed"),
            AppError::LoginFailed => write!(f, "wrong username or password"),
            AppError::AccountDisabled => write!(f, "account disabled"),
            AppError::RateLimited { retry_after_secs } => write!(f, "too many attempts; retry in {retry_after_secs} s"),
            AppError::LimitReached { max } => write!(f, "already owns the maximum of {max} customers"),
            AppError::SetupClosed => write!(f, "setup link invalid or used"),
            AppError::TooLarge => write!(f, "request too large"),
            AppError::Busy { retry_after_secs } => write!(f, "busy; retry in {retry_after_secs} s"),
            AppError::PasswordChangeRequired => write!(f, "a new password must be chosen first"),
            AppError::Warming { retry_after_secs } => write!(f, "still loading after start; retry in {retry_after_secs} s"),
            AppError::Internal { reference } => write!(f, "internal error (reference {reference})"),
            AppError::Transport(msg) => write!(f, "could not reach the server: {msg}"),
        }
    }
}

impl std::error::Error for AppError {}

impl AppError {
    /// How long to wait before asking again, when the error is one of waiting (`Retry-After`).
    pub fn retry_after(&self) -> Option<u64> {
        match self {
            AppError::RateLimited { retry_after_secs } | AppError::Busy { retry_after_secs } | AppError::Warming { retry_after_secs } => {
                Some(*retry_after_secs)
            }
            _ => None,
        }
    }

    /// The problems of one field, if the error is about input.
    pub fn field_problems(&self, field: &str) -> Vec<Problem> {
        match self {
            AppError::Invalid(errors) => {
                errors.iter().filter(|e| e.field == field).map(|e| e.problem.clone()).collect()
            }
            _ => Vec::new(),
        }
    }
}

/// How a server function failure that never reached the service (the network, a body that
/// would not decode) becomes an `AppError` in the page.
#[cfg(feature = "server-fn")]
impl server_fn::error::FromServerFnError for AppError {
    type Encoder = server_fn::codec::JsonEncoding;

    fn from_server_fn_error(value: server_fn::error::ServerFnErrorErr) -> Self {
        AppError::Transport(value.to_string())
    }
}

pub type AppResult<T> = Result<T, AppError>;
