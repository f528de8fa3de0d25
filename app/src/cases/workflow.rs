//! The legal status changes of a case. Pure, so the browser can offer only
//! the buttons that will work and the server can refuse everything else.

use serde::{Deserialize, Serialize};

use crate::cases::status::CaseStatus;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Transition {
    /// The referred-to side opened the case.
    Receive,
    Accept,
    Reject,
    Start,
    Complete,
    Hold,
    Resume,
    /// Withdrawn by the referring side.
    Cancel,
}

impl Transition {
    pub const ALL: [Transition; 8] = [
        Transition::Receive,
        Transition::Accept,
        Transition::Reject,
        Transition::Start,
        Transition::Complete,
        Transition::Hold,
        Transition::Resume,
        Transition::Cancel,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Transition::Receive => "Mark received",
            Transition::Accept => "Accept",
            Transition::Reject => "Reject",
            Transition::Start => "Start",
            Transition::Complete => "Complete",
            Transition::Hold => "Put on hold",
            Transition::Resume => "Resume",
            Transition::Cancel => "Cancel referral",
        }
    }

    /// The verb for the history timeline.
    pub fn past_tense(self) -> &'static str {
        match self {
            Transition::Receive => "Received",
            Transition::Accept => "Accepted",
            Transition::Reject => "Rejected",
            Transition::Start => "Started",
            Transition::Complete => "Completed",
            Transition::Hold => "Put on hold",
            Transition::Resume => "Resumed",
            Transition::Cancel => "Cancelled",
        }
    }

    /// The status this transition leads to from `from`, or why it cannot.
    pub fn target(
        self,
        from: CaseStatus,
        before_hold: Option<CaseStatus>,
    ) -> Result<CaseStatus, String> {
        use CaseStatus::*;
        let to = match (self, from) {
            (Transition::Receive, Requested) => Received,
            (Transition::Accept, Requested | Received) => Accepted,
            (Transition::Reject, Requested | Received) => Rejected,
            (Transition::Start, Accepted) => InProgress,
            (Transition::Complete, InProgress) => Completed,
            (Transition::Hold, Requested | Received | Accepted | InProgress) => OnHold,
            (Transition::Resume, OnHold) => before_hold.unwrap_or(Received),
            (Transition::Cancel, s) if s.is_open() => Cancelled,
            _ => {
                return Err(format!(
                    "A case that is {} cannot be {}.",
                    from.label().to_lowercase(),
                    self.past_tense().to_lowercase()
                ));
            }
        };
        Ok(to)
    }
}

/// Why a referred-to doctor turns a case down.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RejectionReason {
    NotMySpecialty,
    InsufficientInformation,
    NoCapacity,
    PatientDeclined,
    Duplicate,
    Other,
}

impl RejectionReason {
    pub const ALL: [RejectionReason; 6] = [
        RejectionReason::NotMySpecialty,
        RejectionReason::InsufficientInformation,
        RejectionReason::NoCapacity,
        RejectionReason::PatientDeclined,
        RejectionReason::Duplicate,
        RejectionReason::Other,
    ];

    pub fn key(self) -> &'static str {
        match self {
            RejectionReason::NotMySpecialty => "not_my_specialty",
            RejectionReason::InsufficientInformation => "insufficient_information",
            RejectionReason::NoCapacity => "no_capacity",
            RejectionReason::PatientDeclined => "patient_declined",
            RejectionReason::Duplicate => "duplicate",
            RejectionReason::Other => "other",
        }
    }

    pub fn from_key(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.key() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            RejectionReason::NotMySpecialty => "Outside my specialty",
            RejectionReason::InsufficientInformation => "Insufficient information",
            RejectionReason::NoCapacity => "No capacity",
            RejectionReason::PatientDeclined => "Patient declined",
            RejectionReason::Duplicate => "Duplicate referral",
            RejectionReason::Other => "Other",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use CaseStatus::*;

    #[test]
    fn only_the_listed_transitions_are_legal() {
        let legal: &[(Transition, CaseStatus, CaseStatus)] = &[
            (Transition::Receive, Requested, Received),
            (Transition::Accept, Requested, Accepted),
            (Transition::Accept, Received, Accepted),
            (Transition::Reject, Requested, Rejected),
            (Transition::Reject, Received, Rejected),
            (Transition::Start, Accepted, InProgress),
            (Transition::Complete, InProgress, Completed),
            (Transition::Hold, Requested, OnHold),
            (Transition::Hold, Received, OnHold),
            (Transition::Hold, Accepted, OnHold),
            (Transition::Hold, InProgress, OnHold),
            (Transition::Resume, OnHold, InProgress),
            (Transition::Cancel, Requested, Cancelled),
            (Transition::Cancel, Received, Cancelled),
            (Transition::Cancel, Accepted, Cancelled),
            (Transition::Cancel, InProgress, Cancelled),
            (Transition::Cancel, OnHold, Cancelled),
        ];
        for t in Transition::ALL {
            for from in CaseStatus::ALL {
                let expected = legal
                    .iter()
                    .find(|(lt, lf, _)| *lt == t && *lf == from)
                    .map(|l| l.2);
                let got = t.target(from, Some(InProgress)).ok();
                assert_eq!(got, expected, "{t:?} from {from:?}");
            }
        }
    }

    #[test]
    fn a_refusal_says_why() {
        let err = Transition::Accept
            .target(Completed, None)
            .expect_err("illegal");
        assert_eq!(err, "A case that is completed cannot be accepted.");
    }

    #[test]
    fn resuming_returns_to_where_the_case_was() {
        assert_eq!(
            Transition::Resume.target(OnHold, Some(Accepted)),
            Ok(Accepted)
        );
    }
}
