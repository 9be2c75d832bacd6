//! Service tickets (工单): what a ticket is, and which status may follow which.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TicketKind {
    /// 咨询
    Question,
    /// 故障
    Incident,
    /// 投诉
    Complaint,
    /// 安装 / 验收
    Installation,
    /// 退换货
    Return,
}

impl TicketKind {
    pub const ALL: [TicketKind; 5] = [TicketKind::Question, TicketKind::Incident, TicketKind::Complaint, TicketKind::Installation, TicketKind::Return];

    pub fn key(self) -> &'static str {
        match self {
            TicketKind::Question => "question",
            TicketKind::Incident => "incident",
            TicketKind::Complaint => "complaint",
            TicketKind::Installation => "installation",
            TicketKind::Return => "return",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.key() == key)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    /// 低
    Low,
    /// 中
    Normal,
    /// 高
    High,
    /// 紧急
    Urgent,
}

impl Priority {
    pub const ALL: [Priority; 4] = [Priority::Low, Priority::Normal, Priority::High, Priority::Urgent];

    pub fn key(self) -> &'static str {
        match self {
            Priority::Low => "low",
            Priority::Normal => "normal",
            Priority::High => "high",
            Priority::Urgent => "urgent",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.key() == key)
    }
}

/// 新建 → 处理中 → 待客户 → 已解决 → 已关闭; a solved or closed ticket can be reopened (重开),
/// which puts it back to 处理中.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TicketStatus {
    New,
    InProgress,
    /// Waiting for the customer: the resolution clock pauses.
    WaitingCustomer,
    Solved,
    Closed,
}

impl TicketStatus {
    pub const ALL: [TicketStatus; 5] = [TicketStatus::New, TicketStatus::InProgress, TicketStatus::WaitingCustomer, TicketStatus::Solved, TicketStatus::Closed];

    pub fn key(self) -> &'static str {
        match self {
            TicketStatus::New => "new",
            TicketStatus::InProgress => "in_progress",
            TicketStatus::WaitingCustomer => "waiting_customer",
            TicketStatus::Solved => "solved",
            TicketStatus::Closed => "closed",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.key() == key)
    }

    /// Still someone's work: counted in backlogs and open-ticket badges.
    pub fn is_open(self) -> bool {
        matches!(self, TicketStatus::New | TicketStatus::InProgress | TicketStatus::WaitingCustomer)
    }

    /// Where a ticket may go from here. Nothing goes back to 新建; a solved or closed one only
    /// reopens (to 处理中) or, once solved, closes.
    pub fn can_move_to(self, to: TicketStatus) -> bool {
        use TicketStatus::*;
        match (self, to) {
            (from, to) if from == to => false,
            (_, New) => false,
            (New | InProgress | WaitingCustomer, _) => true,
            (Solved, InProgress | Closed) => true,
            (Closed, InProgress) => true,
            _ => false,
        }
    }

    /// A move back from solved or closed to work: a reopening (重开), told apart in the timeline
    /// and in the reports.
    pub fn is_reopening(self, to: TicketStatus) -> bool {
        !self.is_open() && to.is_open()
    }
}

#[cfg(test)]
mod tests {
    use super::TicketStatus::*;
    use super::*;

    #[test]
    fn the_status_flow() {
        assert!(New.can_move_to(InProgress));
        assert!(InProgress.can_move_to(WaitingCustomer));
        assert!(WaitingCustomer.can_move_to(InProgress));
        assert!(InProgress.can_move_to(Solved));
        assert!(Solved.can_move_to(Closed));
        assert!(Solved.can_move_to(InProgress) && Solved.is_reopening(InProgress));
        assert!(Closed.can_move_to(InProgress) && Closed.is_reopening(InProgress));
        assert!(!Closed.can_move_to(Solved));
        assert!(!Solved.can_move_to(WaitingCustomer));
        assert!(!InProgress.can_move_to(New));
        assert!(!InProgress.can_move_to(InProgress));
        assert!(!InProgress.is_reopening(Solved));
    }

    #[test]
    fn keys_round_trip() {
        for s in TicketStatus::ALL {
            assert_eq!(TicketStatus::from_key(s.key()), Some(s));
        }
        for k in TicketKind::ALL {
            assert_eq!(TicketKind::from_key(k.key()), Some(k));
        }
        for p in Priority::ALL {
            assert_eq!(Priority::from_key(p.key()), Some(p));
        }
        assert_eq!(Priority::from_key("asap"), None);
    }
}
