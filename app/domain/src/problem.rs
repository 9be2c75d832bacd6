//! What can be wrong with one field of a form. Every validator returns these; the pages put
//! each next to its field, in the reader's language.

use serde::{Deserialize, Serialize};

/// What is wrong with one field of a form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "problem")]
pub enum Problem {
    Required,
    TooLong { max: usize },
    InvalidEmail,
    InvalidPhone,
    InvalidDate,
    DateInFuture,
    DateTooOld,
    UnknownChoice,
    Duplicate,
    TooShort { min: usize },
    InvalidUsername,
    UsernameTaken,
    InvalidAmount,
    Negative,
    AmountTooLarge,
    OutOfRange { min: i64, max: i64 },
    TooMany { max: usize },
    EndBeforeStart,
    InvalidTime,
    EitherDatesOrHours,
    /// A time that must lie ahead (a snooze) is now or past.
    NotInFuture,
    /// An order line whose amount's sign contradicts its quantity's (a return has both
    /// negative, a sale both positive).
    ReturnSign,
    /// A file that is neither a table Kehu reads (CSV in UTF-8 or GBK, XLSX) nor text.
    NotText,
    /// The customer is a colleague's: not the caller's to change.
    OwnedByColleague,
    /// Not a well-formed 统一社会信用代码 (18 characters with their check character).
    InvalidCreditCode,
    /// Not an absolute http(s) address with a host (a webhook's receiver).
    InvalidUrl,
    /// The current password, typed to change it, is not the right one.
    WrongPassword,
    /// A new password that is the old one.
    SameAsBefore,
    /// Typed twice, and the two differ.
    Mismatch,
    /// Invisible control characters or text-direction overrides, which can make a name read
    /// backwards in lists and exports, or cut it short elsewhere.
    ControlCharacters,
    /// A pasted line (a holiday list) that is not a date or a range of dates.
    BadLine { line: usize },
    /// Two stretches of working hours that overlap.
    Overlapping,
    /// A day entered both as a holiday and as a make-up working day (调休).
    HolidayAndWorkday { day: String },
    /// Not an offset from UTC such as +08:00.
    InvalidUtcOffset,
    /// The customer asked not to be disturbed now.
    InDoNotDisturb,
    /// The customer has a problem still open (no NPS survey meanwhile).
    OpenTicket,
    /// The customer was sent a survey recently; the next may go in this many days.
    SurveyTooSoon { days: u32 },
    /// The survey was answered already, or its link has expired.
    SurveyClosed,
    /// The ticket was merged into another; work that one.
    TicketMerged,
    /// The score's weights add up to this, not 100.
    WeightsSum { total: i64 },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// The input's name in the form, e.g. `name`, `phone`.
    pub field: String,
    #[serde(flatten)]
    pub problem: Problem,
}

impl FieldError {
    pub fn new(field: &str, problem: Problem) -> Self {
        FieldError { field: field.to_string(), problem }
    }
}
