//! The translation layer: every string a person reads goes through here. Chinese (zh-CN)
//! is the default; the choice is kept in a cookie so the server renders the right language
//! on the first byte and the page never flashes the other one.

mod messages;
mod today_text;

pub use messages::Msg;
pub use today_text::{lead_model_text, lead_reason_text, usual_interval_text};

use serde::{Deserialize, Serialize};

use crate::customers::types::{CustomerKind, LifecycleStage, ListSort, TagDimension, TouchpointKind};
use crate::error::AppError;
use crate::problem::Problem;
use crate::pipeline::types::{DealStatus, Requirement, StageDef};

pub const LANG_COOKIE: &str = "kehu_lang";

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Zh, Lang::En];

    /// The BCP 47 tag, used in `<html lang>` and in the cookie.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    /// Reads a language tag loosely: `zh`, `zh-CN`, `zh-Hans`, `en-US`…
    pub fn parse(tag: &str) -> Option<Lang> {
        let tag = tag.trim().to_ascii_lowercase();
        if tag.starts_with("zh") {
            Some(Lang::Zh)
        } else if tag.starts_with("en") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// The name of the language in itself, for the switcher.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::Zh => "中文",
            Lang::En => "English",
        }
    }

    /// The language asked for by a `Cookie` header, if any.
    pub fn from_cookie_header(header: &str) -> Option<Lang> {
        header.split(';').find_map(|pair| {
            let (name, value) = pair.trim().split_once('=')?;
            (name == LANG_COOKIE).then(|| Lang::parse(value)).flatten()
        })
    }

}

pub fn stage_label(stage: LifecycleStage) -> Msg {
    match stage {
        LifecycleStage::Lead => Msg::StageLead,
        LifecycleStage::Opportunity => Msg::StageOpportunity,
        LifecycleStage::Customer => Msg::StageCustomer,
        LifecycleStage::Churned => Msg::StageChurned,
    }
}

pub fn kind_label(kind: CustomerKind) -> Msg {
    match kind {
        CustomerKind::Company => Msg::KindCompany,
        CustomerKind::Person => Msg::KindPerson,
    }
}

pub fn dimension_label(dimension: TagDimension) -> Msg {
    match dimension {
        TagDimension::Behavior => Msg::DimBehavior,
        TagDimension::Organization => Msg::DimOrganization,
        TagDimension::Value => Msg::DimValue,
    }
}

/// A visit's check-in on the timeline: "已签到 · 误差约 25 米".
pub fn check_in_text(accuracy_m: u32, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("已签到 · 误差约 {accuracy_m} 米"),
        Lang::En => format!("Checked in · within about {accuracy_m} m"),
    }
}

pub fn touch_label(kind: TouchpointKind) -> Msg {
    match kind {
        TouchpointKind::Call => Msg::TouchCall,
        TouchpointKind::Visit => Msg::TouchVisit,
        TouchpointKind::Email => Msg::TouchEmail,
        TouchpointKind::Chat => Msg::TouchChat,
        TouchpointKind::WebVisit => Msg::TouchWebVisit,
        TouchpointKind::Download => Msg::TouchDownload,
        TouchpointKind::Note => Msg::TouchNote,
    }
}

pub fn role_label(role: crate::accounts::types::Role) -> Msg {
    use crate::accounts::types::Role;
    match role {
        Role::Admin => Msg::RoleAdmin,
        Role::Manager => Msg::RoleManager,
        Role::Rep => Msg::RoleRep,
        Role::Service => Msg::RoleService,
    }
}

pub fn sort_label(sort: ListSort) -> Msg {
    match sort {
        ListSort::Updated => Msg::SortUpdated,
        ListSort::Created => Msg::SortCreated,
        ListSort::Name => Msg::SortName,
        ListSort::LastContact => Msg::SortLastContact,
        ListSort::Stale => Msg::SortStale,
    }
}

/// An import field as the mapping menu names it.
pub fn import_field_label(field: crate::customers::import::ImportField, lang: Lang) -> String {
    use crate::customers::import::ImportField as F;
    let (contact, msg) = match field {
        F::Name => (false, Msg::FieldName),
        F::Phone => (false, Msg::FieldPhone),
        F::Email => (false, Msg::FieldEmail),
        F::CreditCode => (false, Msg::KeyCreditCode),
        F::Industry => (false, Msg::FieldIndustry),
        F::Region => (false, Msg::FieldRegion),
        F::Address => (false, Msg::FieldAddress),
        F::Source => (false, Msg::FieldSource),
        F::Owner => (false, Msg::FieldOwner),
        F::Tags => (false, Msg::Tags),
        F::Notes => (false, Msg::FieldNotes),
        F::ContactName => (true, Msg::FieldName),
        F::ContactTitle => (true, Msg::FieldTitle),
        F::ContactPhone => (true, Msg::FieldPhone),
        F::ContactEmail => (true, Msg::FieldEmail),
        F::ContactBirthday => (true, Msg::FieldBirthday),
    };
    if contact {
        format!("{} · {}", Msg::Contacts.text(lang), msg.text(lang))
    } else {
        msg.text(lang).to_string()
    }
}

/// A refused import row's problems in one line, each named by the file's own column for its
/// field (else the field's name): what the check shows and the error sheet's last column.
pub fn import_problems_text(
    problems: &[crate::problem::FieldError],
    headings: &[String],
    mapping: &[Option<crate::customers::import::ImportField>],
    lang: Lang,
) -> String {
    use crate::customers::import::ImportField;
    problems
        .iter()
        .map(|p| {
            let column = ImportField::parse(&p.field)
                .map(|f| mapping.iter().position(|m| *m == Some(f)).and_then(|i| headings.get(i).cloned()).unwrap_or_else(|| import_field_label(f, lang)))
                .unwrap_or_else(|| p.field.clone());
            format!("{column}: {}", problem_text(&p.problem, lang))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn problem_text(problem: &Problem, lang: Lang) -> String {
    match problem {
        Problem::Required => Msg::ErrRequired.text(lang).to_string(),
        Problem::TooLong { max } => match lang {
            Lang::Zh => format!("不能超过 {max} 个字符。"),
            Lang::En => format!("At most {max} characters."),
        },
        Problem::InvalidEmail => Msg::ErrInvalidEmail.text(lang).to_string(),
        Problem::InvalidPhone => Msg::ErrInvalidPhone.text(lang).to_string(),
        Problem::InvalidDate => Msg::ErrInvalidDate.text(lang).to_string(),
        Problem::DateInFuture => Msg::ErrDateInFuture.text(lang).to_string(),
        Problem::DateTooOld => Msg::ErrDateTooOld.text(lang).to_string(),
        Problem::UnknownChoice => Msg::ErrUnknownChoice.text(lang).to_string(),
        Problem::Duplicate => Msg::ErrDuplicate.text(lang).to_string(),
        Problem::TooShort { min } => match lang {
            Lang::Zh => format!("至少 {min} 个字符。"),
            Lang::En => format!("At least {min} characters."),
        },
        Problem::InvalidUsername => Msg::ErrInvalidUsername.text(lang).to_string(),
        Problem::UsernameTaken => Msg::ErrUsernameTaken.text(lang).to_string(),
        Problem::InvalidAmount => Msg::ErrInvalidAmount.text(lang).to_string(),
        Problem::Negative => Msg::ErrNegative.text(lang).to_string(),
        Problem::AmountTooLarge => Msg::ErrAmountTooLarge.text(lang).to_string(),
        Problem::EndBeforeStart => Msg::ErrEndBeforeStart.text(lang).to_string(),
        Problem::InvalidTime => Msg::ErrInvalidTime.text(lang).to_string(),
        Problem::EitherDatesOrHours => Msg::ErrEitherDatesOrHours.text(lang).to_string(),
        Problem::NotInFuture => Msg::ErrNotInFuture.text(lang).to_string(),
        Problem::ReturnSign => Msg::ErrReturnSign.text(lang).to_string(),
        Problem::NotText => Msg::ErrNotText.text(lang).to_string(),
        Problem::ControlCharacters => Msg::ErrControlCharacters.text(lang).to_string(),
        Problem::OwnedByColleague => Msg::ErrOwnedByColleague.text(lang).to_string(),
        Problem::InvalidCreditCode => Msg::ErrInvalidCreditCode.text(lang).to_string(),
        Problem::InvalidUrl => Msg::ErrInvalidUrl.text(lang).to_string(),
        Problem::WrongPassword => Msg::ErrWrongPassword.text(lang).to_string(),
        Problem::SameAsBefore => Msg::ErrSameAsBefore.text(lang).to_string(),
        Problem::Mismatch => Msg::ErrMismatch.text(lang).to_string(),
        Problem::OutOfRange { min, max } => match lang {
            Lang::Zh => format!("请输入 {min} 到 {max} 之间的数。"),
            Lang::En => format!("Enter a number from {min} to {max}."),
        },
        Problem::TooMany { max } => match lang {
            Lang::Zh => format!("最多 {max} 项。"),
            Lang::En => format!("At most {max} entries."),
        },
        Problem::BadLine { line } => match lang {
            Lang::Zh => format!("第 {line} 行看不懂：每行写一个日期或日期范围，如 2026-10-01 或 2026-10-01~2026-10-07（最长 60 天），后面可写名称。"),
            Lang::En => format!("Line {line} is not understood: write one date or range per line, such as 2026-10-01 or 2026-10-01~2026-10-07 (at most 60 days), a name may follow."),
        },
        Problem::HolidayAndWorkday { day } => match lang {
            Lang::Zh => format!("{day} 同时写成了节假日和调休上班日，请删去其一。"),
            Lang::En => format!("{day} is entered both as a holiday and as a make-up working day; remove one."),
        },
        Problem::Overlapping => Msg::ErrOverlapping.text(lang).to_string(),
        Problem::InvalidUtcOffset => Msg::ErrInvalidUtcOffset.text(lang).to_string(),
        Problem::InDoNotDisturb => Msg::ErrInDoNotDisturb.text(lang).to_string(),
        Problem::OpenTicket => Msg::ErrOpenTicket.text(lang).to_string(),
        Problem::SurveyClosed => Msg::ErrSurveyClosed.text(lang).to_string(),
        Problem::TicketMerged => Msg::ErrTicketMerged.text(lang).to_string(),
        Problem::SurveyTooSoon { days } => match lang {
            Lang::Zh => format!("该客户近期已收到过调查，{days} 天后才能再发。"),
            Lang::En => format!("This customer was sent a survey recently; the next may go in {days} days."),
        },
        Problem::WeightsSum { total } => match lang {
            Lang::Zh => format!("各项权重合计 {total}%，应为 100%。"),
            Lang::En => format!("The weights add up to {total} %; they must add up to 100 %."),
        },
    }
}

/// The sentence shown for a failed request as a whole (field problems are shown by field).
pub fn error_text(error: &AppError, lang: Lang) -> String {
    let msg = match error {
        AppError::OwnedElsewhere { owner } if owner.is_empty() => Msg::ErrOwnedBySomeoneElse,
        AppError::OwnedElsewhere { owner } => {
            return match lang {
                Lang::Zh => format!("该客户已由 {owner} 负责（撞单），未保存。请联系对方或经理。"),
                Lang::En => format!("This customer already belongs to {owner}; nothing was saved. Talk to them or your manager."),
            }
        }
        AppError::RateLimited { retry_after_secs } => {
            let minutes = retry_after_secs.div_ceil(60);
            return match lang {
                Lang::Zh => format!("登录失败次数过多，请 {minutes} 分钟后再试。"),
                Lang::En => format!("Too many failed sign-ins; try again in {minutes} min."),
            }
        }
        AppError::LimitReached { max } => {
            return match lang {
                Lang::Zh => format!("已达客户上限（{max} 位），无法再领取。"),
                Lang::En => format!("You already own the maximum of {max} customers."),
            }
        }
        AppError::StageBlocked { missing } => return blocked_text(missing, lang),
        AppError::Busy { retry_after_secs } => {
            return match lang {
                Lang::Zh => format!("服务器正忙于同类工作，未处理。请 {retry_after_secs} 秒后再试。"),
                Lang::En => format!("The server is busy with work of this kind and did nothing; try again in {retry_after_secs} s."),
            }
        }
        AppError::Warming { .. } => {
            return match lang {
                Lang::Zh => "服务器刚刚启动，正在加载数据…未做任何更改，请几秒后刷新或再试。".to_string(),
                Lang::En => "The server has just started and is loading its data… nothing was done; reload or try again in a few seconds.".to_string(),
            }
        }
        AppError::PasswordChangeRequired => Msg::ErrPasswordChangeRequired,
        AppError::Internal { reference } => {
            return match lang {
                Lang::Zh => format!("服务器出错了，未能完成。请稍后再试；如果仍然不行，请把编号 {reference} 告诉管理员。"),
                Lang::En => format!("Something went wrong on the server and nothing was done. Try again; if it keeps happening, give your administrator the reference {reference}."),
            }
        }
        AppError::DealChanged => Msg::ErrDealChanged,
        AppError::TicketChanged => Msg::ErrTicketChanged,
        AppError::Unauthorized => Msg::ErrUnauthorized,
        AppError::Forbidden => Msg::ErrForbidden,
        AppError::LoginFailed => Msg::ErrLoginFailed,
        AppError::AccountDisabled => Msg::ErrAccountDisabled,
        AppError::SetupClosed => Msg::ErrSetupClosed,
        AppError::Invalid(_) => Msg::ErrFixFields,
        AppError::NotFound => Msg::ErrNotFound,
        AppError::PossibleDuplicates(_) => Msg::PossibleDuplicates,
        AppError::Conflict(_) => Msg::ErrConflict,
        AppError::TooLarge => Msg::ErrTooLarge,
        AppError::Transport(_) => Msg::ErrTransport,
    };
    msg.text(lang).to_string()
}

pub fn reminder_kind_label(kind: crate::reminders::types::ReminderKind) -> Msg {
    use crate::reminders::types::ReminderKind as K;
    match kind {
        K::Birthday => Msg::RemKindBirthday,
        K::CareDate => Msg::RemKindCareDate,
        K::Renewal => Msg::RemKindRenewal,
        K::StaleVip => Msg::RemKindStaleVip,
        K::NextStep => Msg::RemKindNextStep,
        K::AfterSales => Msg::RemKindAfterSales,
        K::Churn => Msg::RemKindChurn,
        K::Repurchase => Msg::RemKindRepurchase,
        K::Sla => Msg::RemKindSla,
        K::Season => Msg::RemKindSeason,
        K::Target => Msg::RemKindTarget,
    }
}

pub fn metric_label(metric: crate::targets::types::Metric) -> Msg {
    use crate::targets::types::Metric;
    match metric {
        Metric::Signed => Msg::TgSigned,
        Metric::Collected => Msg::TgCollected,
        Metric::NewCustomers => Msg::TgNewCustomers,
        Metric::FollowUps => Msg::TgFollowUps,
        Metric::OrderRevenue => Msg::TgOrderRevenue,
    }
}

pub fn segment_label(segment: crate::insight::types::Segment) -> Msg {
    use crate::insight::types::Segment as S;
    match segment {
        S::HighValue => Msg::SegHighValue,
        S::Keep => Msg::SegKeep,
        S::Develop => Msg::SegDevelop,
        S::WinBack => Msg::SegWinBack,
        S::Dormant => Msg::SegDormant,
        S::General => Msg::SegGeneral,
    }
}

pub fn report_kind_label(kind: crate::insight::types::ReportKind) -> Msg {
    use crate::insight::types::ReportKind as R;
    match kind {
        R::Channels => Msg::RepChannels,
        R::Products => Msg::RepProducts,
        R::Regions => Msg::RepRegions,
        R::ChurnRisk => Msg::RepChurnRisk,
    }
}

pub fn report_column_label(column: crate::insight::types::ReportColumn) -> Msg {
    use crate::insight::types::ReportColumn as C;
    match column {
        C::Channel => Msg::ColChannel,
        C::Product => Msg::Product,
        C::Category => Msg::Category,
        C::Region => Msg::ColRegion,
        C::Segment => Msg::Segment,
        C::Customers => Msg::ColCustomers,
        C::Won => Msg::ColWon,
        C::Conversion => Msg::ColConversion,
        C::Revenue => Msg::ColRevenue,
        C::Quantity => Msg::Quantity,
        C::Buyers => Msg::ColBuyers,
        C::AtRisk => Msg::ColAtRisk,
        C::RiskShare => Msg::ColRiskShare,
    }
}

pub fn deal_status_label(status: DealStatus) -> Msg {
    match status {
        DealStatus::Open => Msg::StatusOpen,
        DealStatus::Won => Msg::StatusWon,
        DealStatus::Lost => Msg::StatusLost,
    }
}

pub fn requirement_label(requirement: Requirement) -> Msg {
    match requirement {
        Requirement::Amount => Msg::ReqAmount,
        Requirement::NeedsAnalysis => Msg::ReqNeedsAnalysis,
        Requirement::Quote => Msg::ReqQuote,
        Requirement::SignedContract => Msg::ReqSignedContract,
    }
}

/// "Still needed: a quote, a signed contract" in the reader's language.
pub fn blocked_text(missing: &[Requirement], lang: Lang) -> String {
    let items: Vec<&str> = missing.iter().map(|r| requirement_label(*r).text(lang)).collect();
    match lang {
        Lang::Zh => format!("还缺：{}。", items.join("、")),
        Lang::En => format!("Still needed: {}.", items.join(", ")),
    }
}

/// A configured stage's name in the reader's language.
pub fn stage_name(stage: &StageDef, lang: Lang) -> String {
    match lang {
        Lang::Zh => stage.name_zh.clone(),
        Lang::En => stage.name_en.clone(),
    }
}

pub fn count_text(total: u64, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("共 {total} 位客户"),
        Lang::En if total == 1 => "1 customer".to_string(),
        Lang::En => format!("{total} customers"),
    }
}

/// Under a list that shows only the first of many by due time: "the first 100 of 3412".
pub fn listed_of_text(listed: usize, total: u32, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("按到期时间仅显示前 {listed} 条，共 {total} 条；可按类型筛选。"),
        Lang::En => format!("Showing the first {listed} of {total} by due time; pick a kind above to narrow the list."),
    }
}

pub fn page_text(page: u32, pages: u32, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("第 {page} / {pages} 页"),
        Lang::En => format!("Page {page} of {pages}"),
    }
}

/// The reader's language, shared through context by every component.
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_wins_and_is_found_among_others() {
        assert_eq!(Lang::from_cookie_header("a=1; kehu_lang=en; b=2"), Some(Lang::En));
        assert_eq!(Lang::from_cookie_header("kehu_lang=zh-CN"), Some(Lang::Zh));
        assert_eq!(Lang::from_cookie_header("other=en"), None);
        assert_eq!(Lang::from_cookie_header("kehu_lang=fr"), None);
    }

    #[test]
    fn every_message_has_both_languages() {
        // A blank translation is as bad as a missing one.
        for &msg in Msg::ALL {
            assert!(!msg.text(Lang::Zh).is_empty() && !msg.text(Lang::En).is_empty());
            assert_ne!(msg.text(Lang::Zh), msg.text(Lang::En));
        }
    }

    #[test]
    fn too_long_names_the_limit() {
        assert!(problem_text(&Problem::TooLong { max: 200 }, Lang::Zh).contains("200"));
        assert!(problem_text(&Problem::TooLong { max: 200 }, Lang::En).contains("200"));
    }
}
