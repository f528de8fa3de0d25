//! Work queues: the case list's standing questions ("what has nobody taken
//! yet?", "what is mine?"), each a filter with a count.

use serde::{Deserialize, Serialize};

use crate::cases::{CaseSide, CaseStatus};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Queue {
    /// Open cases referred to us that no one owns yet.
    Unassigned,
    /// Open cases the viewer owns.
    Mine,
    /// Open cases referred to us: accepting, starting, completing or
    /// resuming them is our step.
    WaitingOnUs,
    /// Open cases we referred: the other practice has the next step.
    WaitingOnThem,
    /// Cases on either side whose response deadline passed unanswered.
    Overdue,
}

impl Queue {
    pub const ALL: [Queue; 5] = [
        Queue::Unassigned,
        Queue::Mine,
        Queue::WaitingOnUs,
        Queue::WaitingOnThem,
        Queue::Overdue,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Queue::Unassigned => "Unassigned",
            Queue::Mine => "Mine",
            Queue::WaitingOnUs => "Waiting on us",
            Queue::WaitingOnThem => "Waiting on them",
            Queue::Overdue => "Overdue",
        }
    }

    /// The value used in URLs.
    pub fn key(self) -> &'static str {
        match self {
            Queue::Unassigned => "unassigned",
            Queue::Mine => "mine",
            Queue::WaitingOnUs => "ours",
            Queue::WaitingOnThem => "theirs",
            Queue::Overdue => "overdue",
        }
    }

    pub fn from_key(s: &str) -> Option<Queue> {
        Queue::ALL.into_iter().find(|q| q.key() == s)
    }

    /// The side of the case a queue's cases are on, if it names one.
    pub fn side(self) -> Option<CaseSide> {
        match self {
            Queue::Unassigned | Queue::WaitingOnUs => Some(CaseSide::ReferredTo),
            Queue::WaitingOnThem => Some(CaseSide::ReferredBy),
            Queue::Mine | Queue::Overdue => None,
        }
    }

    /// Every queue holds open cases only: a closed case waits on no one.
    /// An overdue case is one still waiting for its answer.
    pub fn statuses(self) -> Vec<CaseStatus> {
        CaseStatus::ALL
            .into_iter()
            .filter(|s| match self {
                Queue::Overdue => crate::cases::deadlines::awaits_response(*s),
                _ => s.is_open(),
            })
            .collect()
    }
}

/// How many cases each queue holds for the viewer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueCounts {
    pub counts: Vec<(Queue, u64)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_and_closed_cases_wait_on_no_one() {
        for q in Queue::ALL {
            assert_eq!(Queue::from_key(q.key()), Some(q));
        }
        assert_eq!(Queue::from_key("nonsense"), None);
        let open = Queue::Mine.statuses();
        assert!(!open.contains(&CaseStatus::Completed));
        assert!(!open.contains(&CaseStatus::Rejected));
        assert!(!open.contains(&CaseStatus::Cancelled));
        assert!(open.contains(&CaseStatus::OnHold));
        assert_eq!(
            Queue::Overdue.statuses(),
            [CaseStatus::Requested, CaseStatus::Received]
        );
    }
}
