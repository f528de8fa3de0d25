use serde::{Deserialize, Serialize};

use crate::cases::workflow::Transition;

/// What a notification tells of. Stored as a stable string.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ssr",
    derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum),
    sea_orm(
        rs_type = "String",
        db_type = "String(sea_orm::sea_query::StringLen::N(32))"
    )
)]
pub enum NotificationKind {
    /// A new referral to the recipient (or one referred on to them).
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "referred"))]
    Referred,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "accepted"))]
    Accepted,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "rejected"))]
    Rejected,
    /// The case the recipient is on went on to another doctor.
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "referred_on"))]
    ReferredOn,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "cancelled"))]
    Cancelled,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "completed"))]
    Completed,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "on_hold"))]
    OnHold,
    /// Someone made the recipient the case's owner.
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "assigned"))]
    Assigned,
    /// A case the recipient answers for passed its response deadline.
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "overdue"))]
    Overdue,
    /// A case of the recipient's practice stayed unanswered a day past its
    /// deadline; the detail names its doctor.
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "escalated"))]
    Escalated,
    /// A post in the case's conversation (or, within one's practice, an
    /// internal note).
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "message"))]
    Message,
    /// A file attached to the case.
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "attachment"))]
    Attachment,
    /// In the portal: a report put in the case manager's portal.
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "report_sent"))]
    ReportSent,
    /// In the portal: the agency answered the case manager.
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "agency_message"))]
    AgencyMessage,
}

impl NotificationKind {
    pub const ALL: [NotificationKind; 14] = [
        Self::Referred,
        Self::Accepted,
        Self::Rejected,
        Self::ReferredOn,
        Self::Cancelled,
        Self::Completed,
        Self::OnHold,
        Self::Assigned,
        Self::Overdue,
        Self::Escalated,
        Self::Message,
        Self::Attachment,
        Self::ReportSent,
        Self::AgencyMessage,
    ];

    /// Whether this kind is told to an agency's case managers in their
    /// portal; the others are told to the people on referral cases.
    pub fn in_portal(self) -> bool {
        matches!(self, Self::ReportSent | Self::AgencyMessage)
    }

    /// The event as the settings name it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Referred => "A case is referred to me",
            Self::Accepted => "A case is accepted",
            Self::Rejected => "A case is rejected",
            Self::ReferredOn => "A case is referred on",
            Self::Cancelled => "A case is cancelled",
            Self::Completed => "A case is completed",
            Self::OnHold => "A case is put on hold",
            Self::Assigned => "A case is assigned to me",
            Self::Overdue => "A case I answer for passes its deadline",
            Self::Escalated => "An overdue case of my practice is escalated to me",
            Self::Message => "Someone writes on a case of mine",
            Self::Attachment => "A file is attached to a case of mine",
            Self::ReportSent => "A report is put in my portal",
            Self::AgencyMessage => "The agency answers my message",
        }
    }

    /// Whether this event is mailed whatever the recipient chose: a
    /// rejection (the referrer must find another doctor) and an urgent
    /// referral cannot wait for someone to open the app.
    pub fn always_mailed(self, urgent: bool) -> bool {
        match self {
            Self::Rejected => true,
            Self::Referred => urgent,
            _ => false,
        }
    }

    /// Whether the recipient may turn off this kind's mail at all.
    pub fn can_mute(self) -> bool {
        !self.always_mailed(false)
    }

    /// The event a status change makes, if it is one people hear of.
    /// Receiving, starting and resuming are steps of the receiving side's
    /// own work: the other side sees them on the case, unannounced.
    pub fn of_transition(t: Transition) -> Option<Self> {
        match t {
            Transition::Accept => Some(Self::Accepted),
            Transition::Reject => Some(Self::Rejected),
            Transition::Cancel => Some(Self::Cancelled),
            Transition::Complete => Some(Self::Completed),
            Transition::Hold => Some(Self::OnHold),
            Transition::Receive | Transition::Start | Transition::Resume => None,
        }
    }

    /// The verb after the actor's name: "Dr Bo Brown rejected …".
    pub fn verb(self) -> &'static str {
        match self {
            Self::Referred => "referred to you",
            Self::Accepted => "accepted",
            Self::Rejected => "rejected",
            Self::ReferredOn => "referred on",
            Self::Cancelled => "cancelled",
            Self::Completed => "completed",
            Self::OnHold => "put on hold",
            Self::Assigned => "assigned to you",
            Self::Overdue => "is overdue",
            Self::Escalated => "is overdue and escalated to you",
            Self::Message => "has a new message",
            Self::Attachment => "has a new attachment",
            Self::ReportSent => "sent you a report",
            Self::AgencyMessage => "answered you",
        }
    }

    /// The line a recipient reads. `for_whom` is the doctor a case manager
    /// acted for; `detail` a label such as the rejection reason.
    pub fn sentence(
        self,
        actor: &str,
        for_whom: Option<&str>,
        case_id: i32,
        detail: Option<&str>,
    ) -> String {
        let who = match for_whom {
            Some(doctor) => format!("{actor} (for {doctor})"),
            None => actor.to_string(),
        };
        let what = match self {
            // Told by the deadline watch, not by a person.
            Self::Overdue => format!("Case #{case_id} is past its response deadline"),
            Self::Escalated => {
                return match detail {
                    Some(doctor) => format!(
                        "Case #{case_id} to {doctor} is past its response deadline; \
                         it is escalated to you."
                    ),
                    None => format!(
                        "Case #{case_id} is past its response deadline; it is escalated to you."
                    ),
                };
            }
            // Portal events name the client in the app only (`detail`).
            Self::ReportSent => {
                return match detail {
                    Some(client) => format!("A new report on {client} is in your portal."),
                    None => "A new report is in your portal.".to_string(),
                };
            }
            Self::AgencyMessage => {
                return match detail {
                    Some(client) => format!("{who} answered you about {client}."),
                    None => format!("{who} answered your message."),
                };
            }
            Self::Referred => format!("{who} referred case #{case_id} to you"),
            Self::Assigned => format!("{who} assigned case #{case_id} to you"),
            Self::Message => format!("{who} wrote on case #{case_id}"),
            Self::Attachment => format!("{who} attached a file to case #{case_id}"),
            other => format!("{who} {} case #{case_id}", other.verb()),
        };
        match detail {
            Some(d) => format!("{what}: {d}."),
            None => format!("{what}."),
        }
    }
}

/// How a user hears of one kind of event besides the app.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ssr",
    derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum),
    sea_orm(
        rs_type = "String",
        db_type = "String(sea_orm::sea_query::StringLen::N(16))"
    )
)]
pub enum Delivery {
    /// An e-mail at once, besides the app.
    #[default]
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "immediate"))]
    Immediate,
    /// Gathered into one e-mail a day, at the user's digest hour.
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "digest"))]
    Digest,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "in_app"))]
    InAppOnly,
}

impl Delivery {
    pub const ALL: [Delivery; 3] = [Delivery::Immediate, Delivery::Digest, Delivery::InAppOnly];

    pub fn key(self) -> &'static str {
        match self {
            Delivery::Immediate => "immediate",
            Delivery::Digest => "digest",
            Delivery::InAppOnly => "in_app",
        }
    }

    pub fn from_key(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.key() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Delivery::Immediate => "E-mail me at once",
            Delivery::Digest => "In my daily digest e-mail",
            Delivery::InAppOnly => "In the app only",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sentence_names_the_actor_whom_they_acted_for_and_the_reason() {
        assert_eq!(
            NotificationKind::Rejected.sentence(
                "Cara Case",
                Some("Dr Bo Brown"),
                12,
                Some("No capacity")
            ),
            "Cara Case (for Dr Bo Brown) rejected case #12: No capacity."
        );
        assert_eq!(
            NotificationKind::Referred.sentence("Dr Al Archer", None, 3, None),
            "Dr Al Archer referred case #3 to you."
        );
        assert_eq!(
            NotificationKind::Escalated.sentence("", None, 7, Some("Dr Bo Brown")),
            "Case #7 to Dr Bo Brown is past its response deadline; it is escalated to you."
        );
        assert_eq!(
            NotificationKind::Overdue.sentence("", None, 7, None),
            "Case #7 is past its response deadline."
        );
    }

    #[test]
    fn rejections_and_urgent_referrals_cannot_be_muted() {
        let muteable: Vec<_> = NotificationKind::ALL
            .into_iter()
            .filter(|k| k.can_mute())
            .collect();
        assert!(!muteable.contains(&NotificationKind::Rejected));
        assert!(muteable.contains(&NotificationKind::Referred));
        assert!(NotificationKind::Referred.always_mailed(true));
        assert!(!NotificationKind::Accepted.always_mailed(true));
    }

    #[test]
    fn only_decisions_and_ends_are_announced() {
        let announced: Vec<_> = Transition::ALL
            .into_iter()
            .filter_map(NotificationKind::of_transition)
            .collect();
        assert_eq!(
            announced,
            [
                NotificationKind::Accepted,
                NotificationKind::Rejected,
                NotificationKind::Completed,
                NotificationKind::OnHold,
                NotificationKind::Cancelled,
            ]
        );
    }
}
