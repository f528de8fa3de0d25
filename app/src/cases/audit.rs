//! What a case's activity-log entries say, as types. The services write
//! them and the case's history reads them back (stored as JSON in the log
//! row), so a history line is built from fields, not from guessing at a
//! JSON document's keys. Clinical text never goes in: a rejection note is
//! only "with a note".

use serde::{Deserialize, Serialize};

use crate::activity::ActivityAction;

/// A referral was made, fresh or referred on from another case.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Created {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referred_from: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referred_to: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub urgency: Option<String>,
}

/// A workflow step: accepted, rejected, put on hold…
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusChanged {
    /// The step in the past tense, as the history says it ("Accepted").
    #[serde(default = "changed")]
    pub transition: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    /// A rejection's reason (its label; the note stays on the case).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub with_note: Option<bool>,
}

/// The case's details were edited: which fields, never their text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Modified {
    #[serde(default, deserialize_with = "fields_of_any_age")]
    pub fields: Vec<String>,
}

/// Old rows kept `{field: {before, after}}`; their keys are the fields.
fn fields_of_any_age<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    let value = serde_json::Value::deserialize(d)?;
    Ok(crate::activity::redact::changed_fields(&value))
}

/// The referred-to side passed the case on to another doctor.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferredOn {
    #[serde(default)]
    pub new_case: i32,
    #[serde(default = "another_doctor")]
    pub to_doctor: String,
}

// A row missing a key (written by hand, or by a much older version) still
// makes a history line, with these words in its place.
fn changed() -> String {
    "Changed".to_string()
}

fn another_doctor() -> String {
    "another doctor".to_string()
}

/// The receiving side chose who owns the case, or left it unowned.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assigned {
    /// The new owner's name; `None` when the case was left unassigned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
}

/// The deadline watch told people of a missed response deadline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Escalated {
    /// "owner" at the deadline, "case_managers" a day later.
    #[serde(default)]
    pub step: String,
    /// Whom it told, by name.
    #[serde(default)]
    pub told: Vec<String>,
}

/// A file was attached to the case (everyone on it sees it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attached {
    #[serde(default)]
    pub attachment: i32,
    #[serde(default = "a_file")]
    pub name: String,
    #[serde(default)]
    pub size: i64,
    #[serde(default)]
    pub sha256: String,
}

fn a_file() -> String {
    "a file".to_string()
}

/// One entry of a case's history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CaseEvent {
    Created(Created),
    StatusChanged(StatusChanged),
    Modified(Modified),
    ReferredOn(ReferredOn),
    Assigned(Assigned),
    Escalated(Escalated),
    Attached(Attached),
}

impl CaseEvent {
    /// The actions that make up a case's history: what [`CaseEvent::read`]
    /// reads, for a query that wants only those rows.
    pub const HISTORY: [ActivityAction; 7] = [
        ActivityAction::CaseCreated,
        ActivityAction::CaseStatusChanged,
        ActivityAction::CaseModified,
        ActivityAction::CaseReferredOn,
        ActivityAction::CaseAssigned,
        ActivityAction::CaseEscalated,
        ActivityAction::CaseFileAttached,
    ];

    /// Reads a stored entry; `None` for actions that are not part of a
    /// case's history (views, exports) or a detail of another shape.
    pub fn read(action: ActivityAction, detail: &str) -> Option<CaseEvent> {
        let parsed = match action {
            ActivityAction::CaseCreated => serde_json::from_str(detail).map(CaseEvent::Created),
            ActivityAction::CaseStatusChanged => {
                serde_json::from_str(detail).map(CaseEvent::StatusChanged)
            }
            ActivityAction::CaseModified => serde_json::from_str(detail).map(CaseEvent::Modified),
            ActivityAction::CaseReferredOn => {
                serde_json::from_str(detail).map(CaseEvent::ReferredOn)
            }
            ActivityAction::CaseAssigned => serde_json::from_str(detail).map(CaseEvent::Assigned),
            ActivityAction::CaseEscalated => serde_json::from_str(detail).map(CaseEvent::Escalated),
            // Posts stay out of the history both sides read: an internal
            // note's existence is its practice's business.
            ActivityAction::CaseFileAttached => {
                serde_json::from_str(detail).map(CaseEvent::Attached)
            }
            _ => return None,
        };
        parsed
            .inspect_err(|e| tracing::warn!(error = %e, ?action, "unreadable case history entry"))
            .ok()
    }

    /// The same event without what a file is called, for readers outside
    /// the case (a file's name can say what it is about).
    pub fn without_file_names(self) -> CaseEvent {
        match self {
            CaseEvent::Attached(a) => CaseEvent::Attached(Attached {
                name: "a file".into(),
                ..a
            }),
            other => other,
        }
    }

    /// What happened, as the history line starts.
    pub fn describe(&self) -> String {
        match self {
            CaseEvent::Created(c) => match c.referred_from {
                Some(parent) => format!("Referred on from case #{parent}"),
                None => "Referral created".to_string(),
            },
            CaseEvent::StatusChanged(s) => match &s.reason {
                Some(reason) => format!("{} ({reason})", s.transition),
                None => s.transition.clone(),
            },
            CaseEvent::Modified(m) => format!("Modified ({})", m.fields.join(", ")),
            CaseEvent::ReferredOn(r) => {
                format!("Referred on to {} as case #{}", r.to_doctor, r.new_case)
            }
            CaseEvent::Assigned(a) => match &a.owner {
                Some(owner) => format!("Assigned to {owner}"),
                None => "Owner removed".to_string(),
            },
            CaseEvent::Escalated(e) => {
                let who = if e.told.is_empty() {
                    "no one active to tell".to_string()
                } else {
                    e.told.join(", ")
                };
                if e.step == "case_managers" {
                    format!("A day past its response deadline: escalated to {who}")
                } else {
                    format!("Past its response deadline: {who} told")
                }
            }
            CaseEvent::Attached(a) => format!("File attached: {}", a.name),
        }
    }
}

/// The JSON stored for a typed detail.
pub fn stored<T: Serialize>(detail: &T) -> serde_json::Value {
    serde_json::to_value(detail).unwrap_or_else(|e| {
        tracing::error!(error = %e, "case history detail did not serialise");
        serde_json::Value::Null
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_event_reads_back_what_was_written() {
        let events = [
            (
                ActivityAction::CaseCreated,
                CaseEvent::Created(Created {
                    referred_from: Some(7),
                    ..Default::default()
                }),
                "Referred on from case #7",
            ),
            (
                ActivityAction::CaseStatusChanged,
                CaseEvent::StatusChanged(StatusChanged {
                    transition: "Rejected".into(),
                    from: "received".into(),
                    to: "rejected".into(),
                    reason: Some("Outside our scope".into()),
                    with_note: Some(true),
                }),
                "Rejected (Outside our scope)",
            ),
            (
                ActivityAction::CaseModified,
                CaseEvent::Modified(Modified {
                    fields: vec!["urgency".into(), "patient_contact".into()],
                }),
                "Modified (urgency, patient_contact)",
            ),
            (
                ActivityAction::CaseReferredOn,
                CaseEvent::ReferredOn(ReferredOn {
                    new_case: 12,
                    to_doctor: "Dr. Ben Okafor".into(),
                }),
                "Referred on to Dr. Ben Okafor as case #12",
            ),
            (
                ActivityAction::CaseAssigned,
                CaseEvent::Assigned(Assigned {
                    owner: Some("Morgan Hill".into()),
                }),
                "Assigned to Morgan Hill",
            ),
            (
                ActivityAction::CaseAssigned,
                CaseEvent::Assigned(Assigned { owner: None }),
                "Owner removed",
            ),
            (
                ActivityAction::CaseEscalated,
                CaseEvent::Escalated(Escalated {
                    step: "case_managers".into(),
                    told: vec!["Morgan Hill".into()],
                }),
                "A day past its response deadline: escalated to Morgan Hill",
            ),
            (
                ActivityAction::CaseEscalated,
                CaseEvent::Escalated(Escalated {
                    step: "owner".into(),
                    told: vec!["Dr. Li Chen".into()],
                }),
                "Past its response deadline: Dr. Li Chen told",
            ),
            (
                ActivityAction::CaseFileAttached,
                CaseEvent::Attached(Attached {
                    attachment: 4,
                    name: "letter.pdf".into(),
                    size: 2048,
                    sha256: "ab".into(),
                }),
                "File attached: letter.pdf",
            ),
        ];
        for (action, event, line) in events {
            let json = match &event {
                CaseEvent::Created(d) => stored(d),
                CaseEvent::StatusChanged(d) => stored(d),
                CaseEvent::Modified(d) => stored(d),
                CaseEvent::ReferredOn(d) => stored(d),
                CaseEvent::Assigned(d) => stored(d),
                CaseEvent::Escalated(d) => stored(d),
                CaseEvent::Attached(d) => stored(d),
            }
            .to_string();
            let back = CaseEvent::read(action, &json).expect("readable");
            assert_eq!(back, event);
            assert_eq!(back.describe(), line);
        }
    }

    #[test]
    fn an_old_edit_row_names_its_fields_without_their_values() {
        let old = r#"{"fields":{"notes":{"before":"x","after":"y"}}}"#;
        let event = CaseEvent::read(ActivityAction::CaseModified, old).expect("readable");
        assert_eq!(event.describe(), "Modified (notes)");
    }

    #[test]
    fn a_row_missing_keys_still_makes_a_line() {
        let event = CaseEvent::read(ActivityAction::CaseStatusChanged, "{}").expect("readable");
        assert_eq!(event.describe(), "Changed");
        let event =
            CaseEvent::read(ActivityAction::CaseReferredOn, r#"{"new_case":3}"#).expect("readable");
        assert_eq!(event.describe(), "Referred on to another doctor as case #3");
    }

    #[test]
    fn other_actions_are_not_history() {
        assert_eq!(CaseEvent::read(ActivityAction::CaseViewed, "{}"), None);
        // Nor is a post: the other practice must not learn of a note.
        assert_eq!(CaseEvent::read(ActivityAction::CasePostAdded, "{}"), None);
    }
}
