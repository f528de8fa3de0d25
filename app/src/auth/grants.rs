//! What an agency can grant an external case manager: whether they may be
//! in at all ([`AccessStatus`]) and which kinds of client data they may see
//! ([`Visibility`]). They live under `auth` because the policy decides with
//! them; the agency's pages only edit them.

use serde::{Deserialize, Serialize};

/// Whether an external case manager may use the portal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ssr",
    derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum),
    sea_orm(
        rs_type = "String",
        db_type = "String(sea_orm::sea_query::StringLen::N(16))"
    )
)]
pub enum AccessStatus {
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "active"))]
    Active,
    /// Cannot sign in; can be re-activated.
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "suspended"))]
    Suspended,
    /// Permanent: only a new invitation lets them back in.
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "revoked"))]
    Revoked,
}

impl AccessStatus {
    pub const ALL: [AccessStatus; 3] = [
        AccessStatus::Active,
        AccessStatus::Suspended,
        AccessStatus::Revoked,
    ];

    pub fn key(self) -> &'static str {
        match self {
            AccessStatus::Active => "active",
            AccessStatus::Suspended => "suspended",
            AccessStatus::Revoked => "revoked",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            AccessStatus::Active => "Active",
            AccessStatus::Suspended => "Suspended",
            AccessStatus::Revoked => "Revoked",
        }
    }

    pub fn from_key(key: &str) -> Option<AccessStatus> {
        Self::ALL.into_iter().find(|s| s.key() == key)
    }

    /// Revoked is final; every other change is allowed (to a different
    /// status).
    pub fn may_become(self, to: AccessStatus) -> bool {
        self != to && self != AccessStatus::Revoked
    }
}

/// A kind of client data the portal can show.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DataKind {
    Schedules,
    Notes,
    HoursSummary,
    Documents,
    StaffInfo,
    ContactInfo,
    Assessments,
}

impl DataKind {
    pub const ALL: [DataKind; 7] = [
        DataKind::Schedules,
        DataKind::Notes,
        DataKind::HoursSummary,
        DataKind::Assessments,
        DataKind::Documents,
        DataKind::StaffInfo,
        DataKind::ContactInfo,
    ];

    pub fn key(self) -> &'static str {
        match self {
            DataKind::Schedules => "schedules",
            DataKind::Notes => "notes",
            DataKind::HoursSummary => "hours_summary",
            DataKind::Documents => "documents",
            DataKind::StaffInfo => "staff_info",
            DataKind::ContactInfo => "contact_info",
            DataKind::Assessments => "assessments",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            DataKind::Schedules => "Schedules",
            DataKind::Notes => "Notes",
            DataKind::HoursSummary => "Hours Summary",
            DataKind::Documents => "Documents",
            DataKind::StaffInfo => "Staff Info",
            DataKind::ContactInfo => "Contact Info",
            DataKind::Assessments => "Assessments",
        }
    }

    pub fn from_key(key: &str) -> Option<DataKind> {
        Self::ALL.into_iter().find(|k| k.key() == key)
    }
}

/// What an agency lets case managers see.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Visibility {
    pub schedules: bool,
    pub notes: bool,
    pub hours_summary: bool,
    pub documents: bool,
    pub staff_info: bool,
    pub contact_info: bool,
    pub assessments: bool,
}

impl Default for Visibility {
    /// The product's defaults: the care record on, people's details off.
    fn default() -> Self {
        Visibility {
            schedules: true,
            notes: true,
            hours_summary: true,
            documents: true,
            staff_info: false,
            contact_info: false,
            assessments: true,
        }
    }
}

impl Visibility {
    /// Every kind on: what agency staff see.
    pub const fn everything() -> Visibility {
        Visibility {
            schedules: true,
            notes: true,
            hours_summary: true,
            documents: true,
            staff_info: true,
            contact_info: true,
            assessments: true,
        }
    }

    pub fn allows(&self, kind: DataKind) -> bool {
        match kind {
            DataKind::Schedules => self.schedules,
            DataKind::Notes => self.notes,
            DataKind::HoursSummary => self.hours_summary,
            DataKind::Documents => self.documents,
            DataKind::StaffInfo => self.staff_info,
            DataKind::ContactInfo => self.contact_info,
            DataKind::Assessments => self.assessments,
        }
    }

    pub fn set(&mut self, kind: DataKind, on: bool) {
        let field = match kind {
            DataKind::Schedules => &mut self.schedules,
            DataKind::Notes => &mut self.notes,
            DataKind::HoursSummary => &mut self.hours_summary,
            DataKind::Documents => &mut self.documents,
            DataKind::StaffInfo => &mut self.staff_info,
            DataKind::ContactInfo => &mut self.contact_info,
            DataKind::Assessments => &mut self.assessments,
        };
        *field = on;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revoked_is_final() {
        use AccessStatus::*;
        assert!(Active.may_become(Suspended));
        assert!(Suspended.may_become(Active));
        assert!(Active.may_become(Revoked));
        assert!(!Revoked.may_become(Active));
        assert!(!Revoked.may_become(Suspended));
        assert!(!Active.may_become(Active));
    }

    #[test]
    fn visibility_toggles_each_kind_alone() {
        for kind in DataKind::ALL {
            let mut v = Visibility::default();
            v.set(kind, false);
            assert!(!v.allows(kind));
            v.set(kind, true);
            assert!(v.allows(kind));
            assert_eq!(DataKind::from_key(kind.key()), Some(kind));
        }
    }
}
